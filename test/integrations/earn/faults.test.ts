/**
 * Issue 12 "Done when", the venue misbehaving: a token that expires mid-day
 * and a token endpoint that is down, a two-cycle outage of the venue, a
 * difference between our books and the venue's report (the alert), and a
 * loss at the venue (class B then the treasury, never class A).
 */
import assert from 'node:assert/strict'
import { it } from 'node:test'
import { accountId, ownedPoolAccount } from '../../../src/ledger/accounts.ts'
import { verifyLedger } from '../../../src/ledger/verify.ts'
import { advance, DAY_S, depositOk, readyLp, walletAddress } from '../../liquidity/lp-support.ts'
import type { TestApp } from '../../support/app.ts'
import { describeEachDialect } from '../../support/databases.ts'
import { bookBehindOurBack, classBLp, createEarnApp, earn, fullIndex, outbox } from './support.ts'

const WAD = 10n ** 18n

type EntityView = {
  entity: string
  token: { status: string }
  reconciliation_status: string
  differences: { asset: string; booked: string; reported: string; difference: string }[]
  balances: { asset: string; booked: string; reported: string }[]
  pending_bookings: number
  cycle_error: string | null
  next_report_date: string | null
}

async function venueView(app: TestApp): Promise<Record<string, EntityView>> {
  const response = await app.admin('GET', '/admin/v1/yield/venue?environment=sandbox')
  assert.equal(response.statusCode, 200, response.body)
  return Object.fromEntries(response.json().entities.map((e: EntityView) => [e.entity, e]))
}

async function ledgerBalance(app: TestApp, id: string): Promise<string> {
  const row = await app.store.kysely
    .selectFrom('ledger_accounts')
    .select('balance')
    .where('id', '=', id)
    .executeTakeFirst()
  return String(row?.balance ?? '0')
}

describeEachDialect('yield venue: token expiry and outage', ({ store }) => {
  it('a mid-day token expiry, a token endpoint down and a two-cycle outage lose and double nothing', async () => {
    const app = await createEarnApp(store())
    try {
      const { lp, wallet } = await classBLp(app, 2, ['20000', '6000', '1000'])
      await depositOk(app, lp, 'USDT', '20000', wallet)
      assert.equal(await earn(app).sendBookings('sandbox'), 2)
      const venue = await earn(app).simulator('sandbox')
      assert.ok(venue)
      await advance(app, DAY_S)
      assert.equal(await earn(app).runCycle('sandbox'), 2)

      // Every token dies mid-day: the next call gets a 401, takes a fresh token and goes on.
      await advance(app, 3600)
      await venue.expireTokens()
      await depositOk(app, lp, 'USDT', '1000', wallet)
      assert.equal(await earn(app).sendBookings('sandbox'), 2)

      // The token endpoint is down when the tokens die: bookings wait, the view says FAILING.
      await venue.expireTokens()
      venue.faults.tokenDown = true
      await advance(app, 3600)
      await depositOk(app, lp, 'USDT', '6000', wallet)
      assert.equal(await earn(app).sendBookings('sandbox'), 0)
      assert.equal((await venueView(app)).lending?.token.status, 'FAILING')
      assert.equal((await venueView(app)).lending?.pending_bookings, 1)
      venue.faults.tokenDown = false

      // Then the whole venue answers 503 for two cycles: no booking, no report.
      venue.faults.serverError = true
      for (let day = 0; day < 2; day++) {
        await advance(app, DAY_S)
        assert.equal(await earn(app).sendBookings('sandbox'), 0)
        assert.equal(await earn(app).runCycle('sandbox'), 0)
      }
      const waiting = await venueView(app)
      assert.equal(waiting.lending?.pending_bookings, 1)
      assert.equal(waiting.defi?.pending_bookings, 1)
      assert.match(String(waiting.lending?.cycle_error), /503/)

      // Back: the queue goes out in order, the missed reports are ingested in order, once.
      venue.faults.serverError = false
      // The retry waits out its backoff (on the environment's clock) first.
      assert.equal(await earn(app).sendBookings('sandbox'), 0)
      await advance(app, 60)
      assert.equal(await earn(app).sendBookings('sandbox'), 2)
      assert.equal(await earn(app).runCycle('sandbox'), 4)
      // A report published late (6 h after the cycle; it is 03:00): the cycle waits for it, then takes it.
      venue.faults.reportDelayMs = 6 * 3_600_000
      await advance(app, DAY_S)
      assert.equal(await earn(app).runCycle('sandbox'), 0)
      assert.match(String((await venueView(app)).defi?.cycle_error), /not published yet/)
      await advance(app, 4 * 3600)
      // …and a slow venue answers late but answers.
      venue.faults.slowMs = 50
      assert.equal(await earn(app).runCycle('sandbox'), 2)
      venue.faults.slowMs = 0
      venue.faults.reportDelayMs = 0
      assert.equal(await earn(app).sendBookings('sandbox'), 0)

      const rows = await outbox(store())
      assert.equal(rows.length, 6)
      assert.ok(rows.every((row) => row.status === 'SENT'))
      const deposits = rows.reduce((sum, row) => sum + BigInt(row.amount), 0n)
      assert.equal(deposits, 13_500_000_000n)
      const reports = await store().kysely.selectFrom('earn_reports').select('report_id').execute()
      // Days 0 to 3 closed, each entity's report once.
      assert.equal(reports.length, 8)
      const view = await venueView(app)
      for (const entity of ['lending', 'defi'] as const) {
        assert.equal(view[entity]?.reconciliation_status, 'OK', JSON.stringify(view[entity]))
        assert.equal(view[entity]?.pending_bookings, 0)
        assert.equal(view[entity]?.token.status, 'OK')
        // Our books of the venue equal its own figure rounded down to the unit.
        const held: bigint = (await venue.balances(entity)).USDT ?? 0n
        const line = view[entity]?.balances[0]
        assert.equal(line?.reported.replace('.', ''), held.toString())
        assert.equal(line?.booked.replace('.', ''), (held / 10n ** 12n).toString())
        // …and so does the ledger's own account of the entity (issue 12 item 3).
        assert.equal(
          await ledgerBalance(app, `sandbox:USDT:venue.${entity}:at_venue`),
          (held / 10n ** 12n).toString(),
        )
      }
      assert.equal((await verifyLedger(store())).violationCount, 0)
      // Principal at the venue is exactly what was booked once: 6,750 per entity plus interest.
      for (const entity of ['lending', 'defi'] as const) {
        const held: bigint = (await venue.balances(entity)).USDT ?? 0n
        assert.ok(held > 6_750n * WAD && held < 6_760n * WAD, `${entity} ${held}`)
      }
    } finally {
      await app.close()
    }
  })
})

describeEachDialect('yield venue: reconciliation alert', ({ store }) => {
  it('a difference between our books and the report raises the alert', async () => {
    const app = await createEarnApp(store())
    try {
      const { lp, wallet } = await classBLp(app, 3, ['20000'])
      await depositOk(app, lp, 'USDT', '20000', wallet)
      await earn(app).sendBookings('sandbox')
      // Someone books at the venue what our ledger never moved: 25 USDT into the LP's lending account.
      await bookBehindOurBack(app, store(), lp.id, 'deposits', '25.000000000000000000')
      await advance(app, DAY_S)
      assert.equal(await earn(app).runCycle('sandbox'), 2)
      const view = await venueView(app)
      assert.equal(view.lending?.reconciliation_status, 'MISMATCH')
      assert.deepEqual(view.lending?.differences, [
        { asset: 'USDT', booked: '5000000000', reported: '5025000000', difference: '25000000' },
      ])
      assert.equal(view.defi?.reconciliation_status, 'OK')
      const alerts = await store()
        .kysely.selectFrom('audit_log')
        .select(['action', 'target_id'])
        .where('action', '=', 'yield.venue.mismatch')
        .execute()
      assert.deepEqual(alerts, [{ action: 'yield.venue.mismatch', target_id: 'sandbox:lending' }])
    } finally {
      await app.close()
    }
  })
})

describeEachDialect('yield venue: loss', ({ store }) => {
  it('a loss at the venue lowers kUSD-full only: class A untouched', async () => {
    const app = await createEarnApp(store())
    try {
      const { lp, wallet } = await classBLp(app, 4, ['20000'])
      const walletA = walletAddress(40)
      const lpA = await readyLp(app, {
        liquidityClass: 'A',
        wallet: walletA,
        funds: { USDT: ['10000'] },
        name: 'LP A',
      })
      await advance(app, DAY_S)
      await depositOk(app, lpA, 'USDT', '10000', walletA)
      await depositOk(app, lp, 'USDT', '20000', wallet)
      await earn(app).sendBookings('sandbox')
      await advance(app, DAY_S)
      assert.equal(await earn(app).runCycle('sandbox'), 2)
      const classA = accountId(ownedPoolAccount('sandbox', 'USDT', 'RESERVE', 'class_a'))
      const before = { reserveA: await ledgerBalance(app, classA), fx: await fullIndex(store(), 'USDT') }
      const fxIndex = async () =>
        String(
          (
            await store()
              .kysely.selectFrom('ktoken_variants')
              .select('index_ray')
              .where('environment', '=', 'sandbox')
              .where('asset', '=', 'USDT')
              .where('variant', '=', 'fx')
              .executeTakeFirstOrThrow()
          ).index_ray,
        )
      const fxBefore = await fxIndex()
      assert.equal(before.fx, '1000000000000000000000000000')
      const venue = await earn(app).simulator('sandbox')
      await venue?.scheduleLoss('lending', 'USDT', 1_000n * WAD)
      await advance(app, DAY_S)
      assert.equal(await earn(app).runCycle('sandbox'), 2)
      // Replay: lending loses 1,000 less a day's 5% interest on 5,000 (credit -999.331597), defi earns 1.054371.
      assert.equal(await fullIndex(store()), '950086138700000000000000000')
      assert.equal(await fxIndex(), fxBefore)
      assert.equal(await ledgerBalance(app, classA), before.reserveA)
      assert.equal(before.reserveA, '10000000000')
      const positions = await app.inject({ method: 'GET', url: '/v1/lp/positions', headers: lpA.headers() })
      const fx = positions.json().positions.find((p: { ktoken: string }) => p.ktoken === 'kUSD-fx')
      assert.equal(fx.balance, '10000')
      const positionsB = await app.inject({ method: 'GET', url: '/v1/lp/positions', headers: lp.headers() })
      const full = positionsB.json().positions.find((p: { ktoken: string }) => p.ktoken === 'kUSD-full')
      assert.equal(full.balance, '19001.722774')
      const view = await venueView(app)
      assert.equal(view.lending?.reconciliation_status, 'OK')
      // The loss left the lending entity's ledger account at what the venue still holds, to the unit.
      for (const entity of ['lending', 'defi'] as const) {
        const held: bigint = (await venue?.balances(entity))?.USDT ?? 0n
        assert.equal(
          await ledgerBalance(app, `sandbox:USDT:venue.${entity}:at_venue`),
          (held / 10n ** 12n).toString(),
        )
      }
      assert.equal(await ledgerBalance(app, 'sandbox:USDT:venue.lending:at_venue'), '4000668403')
      assert.equal((await verifyLedger(store())).violationCount, 0)
    } finally {
      await app.close()
    }
  })
})
