/**
 * SPEC §10: each event type written exactly once for its cause, in the
 * causing transaction, with its documented data: settlement.confirmed and
 * execution.settled for a settled execution; settlement.failed,
 * execution.rolled_back and execution.failed for a refused transfer;
 * quote.expired once per expired, unexecuted quote (the sweeper);
 * partner.limit_warning at 80% and 100% of the daily and monthly limits,
 * once per threshold per period.
 */
import assert from 'node:assert/strict'
import { after, before, beforeEach, it } from 'node:test'
import { SIMULATED_REVERT_ADDRESS } from '../../src/chain/adapter.ts'
import { expireQuotes } from '../../src/events/quote-expiry.ts'
import { createPartner, createTestApp, setMarket, type TestApp, type TestPartner } from '../support/app.ts'
import { describeEachDialect } from '../support/databases.ts'
import {
  ADDRESS,
  ADDRESS_CHECKSUMMED,
  advanceSandbox,
  execute,
  expectError,
  fund,
  quoteOk,
} from '../trading/support.ts'

const T = { timeout: 30_000 }
const NOW = '2026-11-23T00:00:00.000Z'
const REVERT_CHECKSUMMED = '0x000000000000000000000000000000000000fA11'

describeEachDialect('events emitted for their causes', ({ store }) => {
  let app: TestApp
  before(async () => {
    app = await createTestApp(store())
  })
  after(() => app.close())
  beforeEach(() => setMarket(app))

  /**
   * The partner's own events as written, in row order (one writing transaction's events are in
   * row order). Read from the table, not the feed: the feed's visibility horizon is its own test.
   */
  async function eventsOf(partner: TestPartner) {
    const rows = await store()
      .kysely.selectFrom('events')
      .selectAll()
      .where('partner_id', '=', partner.id)
      .orderBy('id')
      .execute()
    return rows.map((row) => ({
      event: row.type,
      data: JSON.parse(row.data),
      timestamp: new Date(Number(row.created_at)).toISOString(),
    }))
  }

  const sgd = (amount: string) => ({ pair: 'USD-SGD', side: 'SELL', amount })

  it('a settled execution: settlement.confirmed, then execution.settled, once each', T, async () => {
    const partner = await createPartner(app, { name: 'Settles' })
    await fund(app, partner, 'USDT', '1000')
    const quote = await quoteOk(app, partner, sgd('100'))
    const response = await execute(app, partner, { quote_id: quote.quote_id, destination_address: ADDRESS })
    assert.equal(response.statusCode, 200, response.body)
    const execution = response.json()
    assert.equal(execution.status, 'SETTLED')
    assert.deepEqual(await eventsOf(partner), [
      {
        event: 'settlement.confirmed',
        timestamp: NOW,
        data: {
          execution_id: execution.execution_id,
          quote_id: quote.quote_id,
          asset: 'tnSGD',
          amount: execution.destination_amount,
          destination_address: ADDRESS_CHECKSUMMED,
          tx_hash: execution.tx_hash,
          confirmed_at: NOW,
        },
      },
      { event: 'execution.settled', timestamp: NOW, data: execution },
    ])
  })

  it(
    'a refused transfer: settlement.failed, execution.rolled_back, execution.failed, once each',
    T,
    async () => {
      const partner = await createPartner(app, { name: 'Reverts' })
      await fund(app, partner, 'USDT', '1000')
      const quote = await quoteOk(app, partner, sgd('100'))
      const response = await execute(app, partner, {
        quote_id: quote.quote_id,
        destination_address: SIMULATED_REVERT_ADDRESS,
      })
      const execution = response.json()
      assert.equal(execution.status, 'FAILED')
      const reversal = await store()
        .kysely.selectFrom('journal_entries')
        .select('id')
        .where('kind', '=', 'reversal')
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirstOrThrow()
      assert.deepEqual(await eventsOf(partner), [
        {
          event: 'settlement.failed',
          timestamp: NOW,
          data: {
            execution_id: execution.execution_id,
            quote_id: quote.quote_id,
            asset: 'tnSGD',
            amount: execution.destination_amount,
            destination_address: REVERT_CHECKSUMMED,
            reason: 'ON_CHAIN_REVERT',
            failed_at: NOW,
          },
        },
        {
          event: 'execution.rolled_back',
          timestamp: NOW,
          data: {
            execution_id: execution.execution_id,
            quote_id: quote.quote_id,
            pair: 'USD-SGD',
            side: 'SELL',
            reason: 'ON_CHAIN_REVERT',
            returned_asset: 'USDT',
            returned_amount: '100',
            destination_asset: 'tnSGD',
            unsent_amount: execution.destination_amount,
            reversal_entry_id: reversal.id.toString(),
            rolled_back_at: NOW,
          },
        },
        { event: 'execution.failed', timestamp: NOW, data: { ...execution, reason: 'ON_CHAIN_REVERT' } },
      ])
    },
  )

  it('quote.expired once per firm quote that expired unexecuted; it never executes after', T, async () => {
    const partner = await createPartner(app, { name: 'Lets expire' })
    await fund(app, partner, 'USDT', '1000')
    const expiring = await quoteOk(app, partner, { ...sgd('100'), client_ref: 'order-7' })
    const executed = await quoteOk(app, partner, sgd('50'))
    const done = await execute(app, partner, { quote_id: executed.quote_id, destination_address: ADDRESS })
    assert.equal(done.json().status, 'SETTLED')
    const clock = app.stablefx.services.clocks.sandbox
    // Before the expiry nothing is swept.
    assert.equal(await expireQuotes(store(), 'sandbox', clock.now()), 0)
    await advanceSandbox(app, 45)
    assert.equal(await expireQuotes(store(), 'sandbox', clock.now()), 1)
    assert.equal(await expireQuotes(store(), 'sandbox', clock.now() + 60_000), 0)
    const expired = (await eventsOf(partner)).filter((e) => e.event === 'quote.expired')
    assert.deepEqual(expired, [
      {
        event: 'quote.expired',
        timestamp: '2026-11-23T00:00:45.000Z',
        data: {
          quote_id: expiring.quote_id,
          pair: 'USD-SGD',
          side: 'SELL',
          source_asset: 'USDT',
          destination_asset: 'tnSGD',
          amount: '100',
          destination_amount: expiring.destination_amount,
          client_ref: 'order-7',
          expiry_timestamp: '2026-11-23T00:00:45.000Z',
        },
      },
    ])
    assert.equal(expiring.expiry_timestamp, '2026-11-23T00:00:45.000Z')
    await setMarket(app)
    const late = await execute(app, partner, { quote_id: expiring.quote_id, destination_address: ADDRESS })
    expectError(late, 400, 'QUOTE_EXPIRED', 'USD-SGD')
  })

  it('a quote announced expired is refused even by a node whose clock is behind', T, async () => {
    const partner = await createPartner(app, { name: 'Skewed clocks' })
    await fund(app, partner, 'USDT', '1000')
    const quote = await quoteOk(app, partner, sgd('100'))
    // A sweeper on a node whose clock runs a minute ahead announces it expired.
    const ahead = app.stablefx.services.clocks.sandbox.now() + 60_000
    assert.equal(await expireQuotes(store(), 'sandbox', ahead), 1)
    const response = await execute(app, partner, { quote_id: quote.quote_id, destination_address: ADDRESS })
    expectError(response, 400, 'QUOTE_EXPIRED', 'USD-SGD')
    assert.deepEqual(
      (await eventsOf(partner)).map((e) => e.event),
      ['quote.expired'],
    )
  })

  it(
    'partner.limit_warning at 80% and 100% of the daily and the monthly limit, once per period',
    T,
    async () => {
      const partner = await createPartner(app, {
        name: 'Near its limits',
        limits: { daily_per_corridor_usd: '1000', monthly_usd: '1500' },
      })
      await fund(app, partner, 'USDT', '2000')
      const run = async (pair: string, amount: string, address = ADDRESS) => {
        const quote = await quoteOk(app, partner, { pair, side: 'SELL', amount })
        const response = await execute(app, partner, {
          quote_id: quote.quote_id,
          destination_address: address,
        })
        assert.equal(response.statusCode, 200, response.body)
        return response.json().status as string
      }
      const warnings = async () =>
        (await eventsOf(partner)).filter((e) => e.event === 'partner.limit_warning').map((e) => e.data)
      const warning = (
        limit: string,
        corridor: string | null,
        period: string,
        pct: number,
        used: string,
      ) => ({
        limit,
        corridor,
        period,
        threshold_pct: pct,
        limit_usd: limit === 'MONTHLY' ? '1500' : '1000',
        used_usd: used,
      })
      assert.equal(await run('USD-SGD', '700'), 'SETTLED')
      assert.deepEqual(await warnings(), [])
      // Booked to 800 (80%) then refused by the chain: the warning stands, the volume goes back to 700.
      assert.equal(await run('USD-SGD', '100', SIMULATED_REVERT_ADDRESS), 'FAILED')
      const daily80 = warning('DAILY_CORRIDOR', 'USD-SGD', '2026-11-23', 80, '800')
      assert.deepEqual(await warnings(), [daily80])
      // Back at 800: the 80% of this day was announced already.
      assert.equal(await run('USD-SGD', '100'), 'SETTLED')
      assert.deepEqual(await warnings(), [daily80])
      const daily100 = warning('DAILY_CORRIDOR', 'USD-SGD', '2026-11-23', 100, '1000')
      assert.equal(await run('USD-SGD', '200'), 'SETTLED')
      assert.deepEqual(await warnings(), [daily80, daily100])
      // Every corridor counts toward the month: 1,000 + 200 = 1,200 is 80% of 1,500.
      const monthly80 = warning('MONTHLY', null, '2026-11', 80, '1200')
      assert.equal(await run('USD-IDR', '200'), 'SETTLED')
      assert.deepEqual(await warnings(), [daily80, daily100, monthly80])
      const monthly100 = warning('MONTHLY', null, '2026-11', 100, '1500')
      assert.equal(await run('USD-IDR', '300'), 'SETTLED')
      assert.deepEqual(await warnings(), [daily80, daily100, monthly80, monthly100])
    },
  )

  it('partner.limit_warning again in the next day', T, async () => {
    const partner = await createPartner(app, {
      name: 'Daily again',
      limits: { daily_per_corridor_usd: '1000', monthly_usd: '100000' },
    })
    await fund(app, partner, 'USDT', '2000')
    const run = async (amount: string) => {
      const quote = await quoteOk(app, partner, sgd(amount))
      const response = await execute(app, partner, { quote_id: quote.quote_id, destination_address: ADDRESS })
      assert.equal(response.json().status, 'SETTLED', response.body)
    }
    await run('850')
    await advanceSandbox(app, 86_400)
    await setMarket(app)
    await run('850')
    const periods = (await eventsOf(partner))
      .filter((e) => e.event === 'partner.limit_warning')
      .map((e) => [e.data.period, e.data.threshold_pct, e.data.used_usd])
    assert.deepEqual(periods, [
      ['2026-11-23', 80, '850'],
      ['2026-11-24', 80, '850'],
    ])
  })
})
