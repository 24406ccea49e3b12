/**
 * Issue 12 item 4: `settlement.confirmed` / `settlement.failed` for the yield
 * venue's settlements, as operator events. A payment the venue confirms, a
 * payment that gives up after its attempts, and an inbound settlement that
 * does not match what we expect each write one event, in the transaction of
 * the settlement's state; GET /admin/v1/events lists them, and no partner
 * sees them (its feed, an event by id, its webhook).
 */
import assert from 'node:assert/strict'
import { it } from 'node:test'
import { advance, DAY_S, depositOk } from '../../liquidity/lp-support.ts'
import type { TestApp } from '../../support/app.ts'
import { describeEachDialect } from '../../support/databases.ts'
import { activeEndpoint, feedSettled, runWorker, startReceiver } from '../../webhooks/support.ts'
import { bookBehindOurBack, classBLp, createEarnApp, earn } from './support.ts'

type Envelope = { id: string; event: string; environment: string; data: Record<string, unknown> }

async function operatorEvents(app: TestApp, query = ''): Promise<Envelope[]> {
  await feedSettled(app.store)
  const response = await app.admin('GET', `/admin/v1/events?environment=sandbox${query}`)
  assert.equal(response.statusCode, 200, response.body)
  return response.json().items
}

async function settlements(app: TestApp) {
  return app.store.kysely
    .selectFrom('earn_settlements')
    .select(['id', 'entity', 'direction', 'amount_wad', 'status', 'tx_hash', 'report_id'])
    .orderBy('id')
    .execute()
}

describeEachDialect('yield venue settlements: operator events', ({ store }) => {
  it('a paid settlement is one settlement.confirmed per entity, on the admin feed only', async () => {
    const app = await createEarnApp(store())
    const hook = await startReceiver(app.clock)
    try {
      const { lp, wallet } = await classBLp(app, 11, ['20000'])
      await activeEndpoint(app, lp, hook)
      await depositOk(app, lp, 'USDT', '20000', wallet)
      assert.equal(await earn(app).sendBookings('sandbox'), 2)
      await advance(app, DAY_S)
      assert.equal(await earn(app).runCycle('sandbox'), 2)
      // Nothing paid yet: no event.
      assert.deepEqual(await operatorEvents(app), [])
      assert.equal(await earn(app).sendSettlements('sandbox'), 2)
      const rows = await settlements(app)
      assert.deepEqual(rows.map((r) => [r.entity, r.direction, r.amount_wad, r.status]).sort(), [
        ['defi', 'TO_VENUE', '5000000000000000000000', 'CONFIRMED'],
        ['lending', 'TO_VENUE', '5000000000000000000000', 'CONFIRMED'],
      ])
      // Paid in settlement id order, one event each.
      const events = await operatorEvents(app)
      assert.deepEqual(
        events.map((e) => [e.event, e.environment, e.data]),
        rows.map((r) => [
          'settlement.confirmed',
          'sandbox',
          {
            source: 'yield_venue',
            settlement_id: r.id,
            entity: r.entity,
            asset: 'USDT',
            direction: 'TO_VENUE',
            amount: '5000000000',
            amount_wad: '5000000000000000000000',
            tx_hash: r.tx_hash,
          },
        ]),
      )
      assert.match(String(rows[0]?.tx_hash), /^0x[0-9a-f]{64}$/)
      assert.match(String(rows[0]?.id), /:USDT:out$/)
      // The filter and the paging work as on GET /v1/events.
      assert.deepEqual(await operatorEvents(app, '&type=settlement.failed'), [])
      const first = await app.admin('GET', '/admin/v1/events?environment=sandbox&limit=1')
      assert.equal(first.json().items.length, 1)
      const rest = await app.admin(
        'GET',
        `/admin/v1/events?environment=sandbox&after=${first.json().next_cursor}`,
      )
      assert.deepEqual(
        rest.json().items.map((e: Envelope) => e.id),
        [events[1]?.id],
      )
      assert.equal((await app.admin('GET', '/admin/v1/events?environment=live')).json().items.length, 0)
      const refused = await app.inject({
        method: 'GET',
        url: '/admin/v1/events?environment=sandbox',
        headers: lp.headers(),
      })
      assert.equal(refused.statusCode, 403)

      // No partner sees them: its feed, the event by id, its webhook.
      await feedSettled(app.store)
      const feed = await app.inject({ method: 'GET', url: '/v1/events?limit=100', headers: lp.headers() })
      assert.equal(feed.statusCode, 200, feed.body)
      const partnerTypes: string[] = feed.json().items.map((e: Envelope) => e.event)
      assert.ok(partnerTypes.includes('deposit.confirmed'), partnerTypes.join())
      assert.ok(!partnerTypes.some((t) => t.startsWith('settlement.')), partnerTypes.join())
      const byId = await app.inject({
        method: 'GET',
        url: `/v1/events/${events[0]?.id}`,
        headers: lp.headers(),
      })
      assert.equal(byId.statusCode, 404)
      await runWorker(app)
      const delivered = hook.events().map((r) => (r.verified.ok ? r.verified.payload.event : 'unverified'))
      assert.ok(delivered.includes('deposit.confirmed'), delivered.join())
      assert.ok(!delivered.some((t) => t.startsWith('settlement.')), delivered.join())
      const queued = await store()
        .kysely.selectFrom('webhook_deliveries')
        .select('event_type')
        .where('event_type', 'like', 'settlement.%')
        .execute()
      assert.deepEqual(queued, [])
    } finally {
      await hook.close()
      await app.close()
    }
  })
})

describeEachDialect('yield venue settlements: a payment that fails', ({ store }) => {
  it('a payment that gives up after its 8 attempts is one settlement.failed per entity', async () => {
    const app = await createEarnApp(store())
    try {
      const { lp, wallet } = await classBLp(app, 12, ['20000'])
      await depositOk(app, lp, 'USDT', '20000', wallet)
      assert.equal(await earn(app).sendBookings('sandbox'), 2)
      await advance(app, DAY_S)
      assert.equal(await earn(app).runCycle('sandbox'), 2)
      const venue = await earn(app).simulator('sandbox')
      assert.ok(venue)
      venue.faults.serverError = true
      for (let attempt = 1; attempt <= 8; attempt++) {
        assert.equal(await earn(app).sendSettlements('sandbox'), 0)
        const statuses = (await settlements(app)).map((r) => r.status)
        assert.deepEqual(statuses, attempt < 8 ? ['PENDING', 'PENDING'] : ['FAILED', 'FAILED'], `${attempt}`)
        // Before the last attempt nothing is announced.
        if (attempt < 8) assert.deepEqual(await operatorEvents(app), [])
        await advance(app, 300)
      }
      venue.faults.serverError = false
      // A FAILED settlement is not tried again.
      assert.equal(await earn(app).sendSettlements('sandbox'), 0)
      const rows = await settlements(app)
      const events = await operatorEvents(app)
      assert.deepEqual(
        events.map((e) => [e.event, e.data.entity, e.data.direction, e.data.amount, e.data.tx_hash]).sort(),
        [
          ['settlement.failed', 'defi', 'TO_VENUE', '5000000000', null],
          ['settlement.failed', 'lending', 'TO_VENUE', '5000000000', null],
        ],
      )
      assert.deepEqual(
        events.map((e) => e.data.settlement_id),
        rows.map((r) => r.id),
      )
      assert.match(String(events[0]?.data.reason), /^gave up after 8 attempts: .*503/)
      const audit = await store()
        .kysely.selectFrom('audit_log')
        .select('target_id')
        .where('action', '=', 'yield.venue.settlement.failed')
        .orderBy('target_id')
        .execute()
      assert.deepEqual(audit, [{ target_id: 'sandbox:defi' }, { target_id: 'sandbox:lending' }])
    } finally {
      await app.close()
    }
  })
})

describeEachDialect('yield venue settlements: an inbound mismatch', ({ store }) => {
  it('an inbound settlement that does not match what we expect is a settlement.failed', async () => {
    const app = await createEarnApp(store())
    try {
      const { lp, wallet } = await classBLp(app, 13, ['20000'])
      await depositOk(app, lp, 'USDT', '20000', wallet)
      assert.equal(await earn(app).sendBookings('sandbox'), 2)
      await advance(app, DAY_S)
      assert.equal(await earn(app).runCycle('sandbox'), 2)
      assert.equal(await earn(app).sendSettlements('sandbox'), 2)
      // Someone withdraws 25 USDT from the LP's lending account that our ledger never moved:
      // the venue settles it to us the next day, and we expected nothing.
      await bookBehindOurBack(app, store(), lp.id, 'withdrawals', '25.000000000000000000')
      await advance(app, DAY_S)
      assert.equal(await earn(app).runCycle('sandbox'), 2)
      const inbound = (await settlements(app)).filter((r) => r.direction === 'FROM_VENUE')
      assert.deepEqual(
        inbound.map((r) => [r.entity, r.amount_wad, r.status]),
        [['lending', '25000000000000000000', 'FAILED']],
      )
      const failed = await operatorEvents(app, '&type=settlement.failed')
      assert.deepEqual(
        failed.map((e) => e.data),
        [
          {
            source: 'yield_venue',
            settlement_id: inbound[0]?.id,
            entity: 'lending',
            asset: 'USDT',
            direction: 'FROM_VENUE',
            amount: '25000000',
            amount_wad: '25000000000000000000',
            tx_hash: inbound[0]?.tx_hash,
            reason: 'expected 0.000000000000000000, the venue paid 25.000000000000000000',
          },
        ],
      )
      // The two payments of the first day stay the only confirmations.
      assert.equal((await operatorEvents(app, '&type=settlement.confirmed')).length, 2)
    } finally {
      await app.close()
    }
  })
})
