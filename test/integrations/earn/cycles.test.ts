/**
 * Issue 12 "Done when": against the bundled venue simulator over HTTP (on the
 * sandbox clock), 30 daily cycles with class B deposits and withdrawals in
 * between give the `-full` index the compounded interest of SPEC §12.2 to the
 * smallest unit, every report ingested more than once (once concurrently)
 * changes nothing, and the two entities keep their own users and amounts.
 *
 * The expected literals come from an independent replay of the scenario
 * (Python integers and 100-digit Decimal powers, not this code): venue
 * interest floor(closing × (floor(10^18 × (1 + APY)^(1/365)) − 10^18) / 10^18)
 * per entity (lending 5%, defi 8%), each day's interest rounded down to
 * USDT's 6 decimals with the dust carried, the index raised by
 * floor(credit × 10^27 / total shares) per report; deposits split 50/50
 * Reserve/Yield and 50/50 between the entities; Yield withdrawals split by
 * what the LP has booked at each entity. The ledger's `at_venue` account of
 * each entity ends equal to the venue's balance rounded down to the unit.
 */
import assert from 'node:assert/strict'
import { it } from 'node:test'
import type { Entity } from '../../../src/integrations/earn/model.ts'
import { verifyLedger } from '../../../src/ledger/verify.ts'
import { advance, DAY_S, depositOk, withdrawOk } from '../../liquidity/lp-support.ts'
import type { TestApp } from '../../support/app.ts'
import { describeEachDialect } from '../../support/databases.ts'
import { classBLp, createEarnApp, earn, fullIndex, ledgerBalance, outbox, venueClient } from './support.ts'

/** A client of our own on the simulator's credentials, to read what the venue publishes. */
async function venueReader(app: TestApp) {
  const { venue, client } = await venueClient(app)
  return {
    venue,
    client,
    async report(entity: Entity, date: string): Promise<unknown> {
      const listed = await client.call<{ items: { id: string }[] }>(
        entity,
        'GET',
        `/v1/reports?type=Report&date=${date}`,
      )
      assert.equal(listed.items.length, 1, `${entity} ${date}`)
      const link = await client.call<{ uri: string }>(
        entity,
        'GET',
        `/v1/reports/${(listed.items[0] as { id: string }).id}/download-uri`,
      )
      return client.download(entity, link.uri)
    },
  }
}

const dayOfSandbox = (app: TestApp, offsetDays = 0) =>
  new Date(app.stablefx.services.clocks.sandbox.now() + offsetDays * 86_400_000).toISOString().slice(0, 10)

describeEachDialect('yield venue: 30 daily cycles', ({ store }) => {
  it('compounds the venue interest into kUSD-full to the unit; re-ingestion and entities stay clean', async () => {
    const app = await createEarnApp(store())
    try {
      const { lp, wallet } = await classBLp(app, 1, ['20000', '6000', '1000'])
      await depositOk(app, lp, 'USDT', '20000', wallet)
      assert.equal(await earn(app).sendBookings('sandbox'), 2)
      const reader = await venueReader(app)
      const actions: Record<number, ['deposit' | 'withdraw', string, 'RESERVE' | 'YIELD' | null]> = {
        3: ['withdraw', '9000', 'RESERVE'],
        7: ['withdraw', '3000', 'YIELD'],
        10: ['deposit', '6000', null],
        14: ['withdraw', '5000', 'YIELD'],
        20: ['deposit', '1000', null],
        25: ['withdraw', '2000', 'RESERVE'],
      }
      const indexes: Record<number, string> = {}
      for (let k = 1; k <= 30; k++) {
        await advance(app, DAY_S)
        const closed = dayOfSandbox(app, -1)
        if (k % 2 === 1) {
          // Odd days: each report ingested twice at once before the worker sees it; exactly one counts.
          for (const entity of ['lending', 'defi'] as const) {
            const doc = await reader.report(entity, closed)
            const outcomes = await Promise.all([
              earn(app).ingestReport('sandbox', entity, doc),
              earn(app).ingestReport('sandbox', entity, doc),
            ])
            assert.deepEqual([...outcomes].sort(), ['duplicate', 'ingested'], `${entity} ${closed}`)
          }
          assert.equal(await earn(app).runCycle('sandbox'), 0)
        } else {
          assert.equal(await earn(app).runCycle('sandbox'), 2, `day ${k}`)
          // Even days: ingested again afterwards, nothing changes.
          const before = await fullIndex(store())
          for (const entity of ['lending', 'defi'] as const) {
            assert.equal(
              await earn(app).ingestReport('sandbox', entity, await reader.report(entity, closed)),
              'duplicate',
            )
          }
          assert.equal(await fullIndex(store()), before)
        }
        await earn(app).sendSettlements('sandbox')
        indexes[k] = await fullIndex(store())
        const action = actions[k]
        if (action === undefined) continue
        const [kind, amount, pool] = action
        if (kind === 'deposit') await depositOk(app, lp, 'USDT', amount, wallet)
        else {
          const done = await withdrawOk(app, lp, {
            asset: 'USDT',
            variant: 'full',
            to_address: wallet,
            amount,
          })
          assert.equal(done.status, 'COMPLETED')
          assert.equal(done.tranches[0].pool, pool)
        }
        await earn(app).sendBookings('sandbox')
      }
      // The replay's index after 3, 7, 14 and 30 days (27 decimals), to the last digit.
      assert.equal(indexes[3], '1000172293050000000000000000')
      assert.equal(indexes[7], '1000799065165574107033788909')
      assert.equal(indexes[14], '1001772730882455728220916561')
      assert.equal(indexes[30], '1003508033310294875559060936')
      const pools = await app.inject({
        method: 'GET',
        url: '/v1/lp/positions',
        headers: lp.headers(),
      })
      const full = pools.json().positions.find((p: { ktoken: string }) => p.ktoken === 'kUSD-full')
      assert.equal(full.shares, '8008274698')
      assert.equal(full.balance, '8036.367992')
      // What the venue holds, per entity, to 18 decimals, and our books of it to the unit.
      assert.deepEqual(await reader.venue.balances('lending'), { USDT: 2765444515692154645137n })
      assert.deepEqual(await reader.venue.balances('defi'), { USDT: 2770923479760050421371n })
      const view = (await app.admin('GET', '/admin/v1/yield/venue?environment=sandbox')).json()
      const byEntity = Object.fromEntries(
        view.entities.map((e: { entity: string }) => [e.entity, e]),
      ) as Record<
        string,
        {
          reconciliation_status: string
          balances: { booked: string; ledger: string; dust: string }[]
          pending_bookings: number
        }
      >
      assert.equal(byEntity.lending?.reconciliation_status, 'OK')
      assert.equal(byEntity.defi?.reconciliation_status, 'OK')
      assert.equal(byEntity.lending?.balances[0]?.booked, '2765.444515')
      assert.equal(byEntity.lending?.balances[0]?.ledger, '2765.444515')
      assert.equal(byEntity.defi?.balances[0]?.ledger, '2770.923479')
      assert.equal(byEntity.lending?.balances[0]?.dust, '0.000000692154645137')
      assert.equal(byEntity.defi?.balances[0]?.booked, '2770.923479')
      assert.equal(byEntity.defi?.balances[0]?.dust, '0.000000760050421371')
      assert.equal(byEntity.lending?.pending_bookings, 0)
      // The ledger's own account per entity holds the same, to the unit (issue 12 item 3); the contra is
      // minus both; the Yield pool's figures are the index's, above; the ledger verifies clean.
      assert.equal(await ledgerBalance(store(), 'sandbox:USDT:venue.lending:at_venue'), '2765444515')
      assert.equal(await ledgerBalance(store(), 'sandbox:USDT:venue.defi:at_venue'), '2770923479')
      assert.equal(await ledgerBalance(store(), 'sandbox:USDT:protocol:at_venue_contra'), '-5536367994')
      const verified = await verifyLedger(store())
      assert.deepEqual(verified.violations, [])
      assert.equal(verified.ok, true)
      // Every booking sent once: 3 deposits and 2 Yield withdrawals, each at both entities.
      const rows = await outbox(store())
      assert.equal(rows.length, 10)
      assert.ok(rows.every((row) => row.status === 'SENT'))
      // Every report ingested exactly once: 30 days × 2 entities.
      const reports = await store().kysely.selectFrom('earn_reports').select('report_id').execute()
      assert.equal(reports.length, 60)
      // The entities never see each other's users: one user each, ours, and the other's account is not found.
      assert.deepEqual(await reader.venue.users('lending'), [`sandbox:${lp.id}`])
      assert.deepEqual(await reader.venue.users('defi'), [`sandbox:${lp.id}`])
      const accounts = await store()
        .kysely.selectFrom('earn_accounts')
        .select(['entity', 'venue_account_id'])
        .orderBy('entity')
        .execute()
      assert.equal(accounts.length, 2)
      const defiAccount = accounts.find((a) => a.entity === 'defi')?.venue_account_id as string
      const crossed = await reader.client
        .call('lending', 'GET', `/v1/accounts/${defiAccount}`)
        .then(() => 'visible')
        .catch((error: { status: number }) => error.status)
      assert.equal(crossed, 404)
      const lendingProducts = await reader.client.call<{ items: { id: string }[] }>(
        'lending',
        'GET',
        '/v1/products',
      )
      assert.ok(lendingProducts.items.every((p) => p.id.startsWith('lend-')))
    } finally {
      await app.close()
    }
  })
})
