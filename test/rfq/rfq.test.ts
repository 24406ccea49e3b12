/**
 * Issue 11 L3 EXTERNAL_RFQ over real HTTP: simulated market makers on
 * 127.0.0.1 (src/sim/market-makers.ts) answer signed RFQs; the best in-band
 * answer with the balance to fill wins; a fill is one balanced journal
 * entry; tranches share a parent order; a silent counterparty holds no lock.
 */
import assert from 'node:assert/strict'
import { after, afterEach, before, it } from 'node:test'
import { verifyLedger } from '../../src/ledger/verify.ts'
import { type MarketMaker, type MarketMakerConfig, startMarketMaker } from '../../src/sim/market-makers.ts'
import { createPartner, createTestApp, setMarket, type TestApp, type TestPartner } from '../support/app.ts'
import { describeEachDialect } from '../support/databases.ts'
import { ADDRESS, balanceOf, execute, expectError, firmQuote, fund, quoteOk } from '../trading/support.ts'

const T = { timeout: 30_000 }
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

type Counterparty = { mm: MarketMaker; partner: TestPartner }

describeEachDialect('RFQ to market makers (L3 EXTERNAL_RFQ)', ({ store }) => {
  let app: TestApp
  let taker: TestPartner
  let open: Counterparty[] = []

  before(async () => {
    app = await createTestApp(store())
    await setMarket(app)
    taker = await createPartner(app, {
      name: 'Big Ramp',
      limits: { daily_per_corridor_usd: '10000000', monthly_usd: '100000000' },
    })
  })
  after(() => app.close())
  // Each test brings its own counterparties: the previous ones are suspended and their servers closed.
  afterEach(async () => {
    for (const { mm, partner } of open) {
      await app.admin('PATCH', `/admin/v1/partners/${partner.id}`, { status: 'SUSPENDED' })
      await mm.close()
    }
    open = []
  })

  async function counterparty(
    name: string,
    config: Partial<MarketMakerConfig>,
    options: { idrx?: string[]; timeoutMs?: number; tier?: string } = {},
  ): Promise<Counterparty> {
    const mm = await startMarketMaker({ name, nowMs: () => app.clock.now(), ...config })
    const partner = await createPartner(app, {
      name,
      type: 'RFQ_COUNTERPARTY',
      corridors: ['USD-IDR'],
      rfq_url: mm.url,
      ...(options.timeoutMs === undefined ? {} : { rfq_timeout_ms: options.timeoutMs }),
      ...(options.tier === undefined ? {} : { rfq_access_tier: options.tier }),
    })
    mm.config.secret = partner.webhookSecret
    for (const amount of options.idrx ?? []) await fund(app, partner, 'IDRX', amount)
    const cp = { mm, partner }
    open.push(cp)
    return cp
  }

  async function entriesOf(executionId: string) {
    const entries = await store()
      .kysely.selectFrom('journal_entries')
      .select(['id', 'kind'])
      .where('reference', '=', executionId)
      .execute()
    const postings = await store()
      .kysely.selectFrom('postings')
      .select(['account_id', 'amount'])
      .where(
        'entry_id',
        'in',
        entries.map((e) => e.id),
      )
      .execute()
    return { entries, postings }
  }

  async function rfqFilledEvents(partnerId: string) {
    const rows = await store()
      .kysely.selectFrom('events')
      .select(['data'])
      .where('partner_id', '=', partnerId)
      .where('type', '=', 'rfq.filled')
      .orderBy('id')
      .execute()
    return rows.map((row) => JSON.parse(row.data) as Record<string, unknown>)
  }

  it(
    'a firm quote above the max internal size goes to the best counterparty; its fill is one balanced entry',
    T,
    async () => {
      const a = await counterparty('MM A', { spreadBps: '10' }, { idrx: ['2000000000'] })
      const b = await counterparty('MM B', { spreadBps: '5' }, { idrx: ['2000000000'] })
      const c = await counterparty('MM C', { spreadBps: '20' }, { idrx: ['2000000000'] })
      // A partner of its own: its balances are this test's alone.
      const buyer = await createPartner(app, { name: 'Ramp One' })
      const quote = await quoteOk(app, buyer, { pair: 'USD-IDR', side: 'SELL', amount: '100000' })
      assert.equal(quote.execution_path, 'EXTERNAL_RFQ')
      assert.equal(quote.rate, '16241.875')
      assert.equal(quote.destination_amount, '1624187500')
      assert.equal(quote.mid, '16250')
      assert.equal(quote.spread_bps, '5')
      // The counterparty's quote is firm until respond_by (T0 + 1.5 s) + 30 s: the firm quote expires then, not at 45 s.
      assert.equal(quote.expiry_timestamp, '2026-11-23T00:00:31.500Z')
      assert.equal(quote.parent_order_id, null)
      assert.deepEqual(quote.tranches, [
        { tranche_id: null, amount: '100000', rate: '16241.875', counterparty: b.partner.id },
      ])
      // Every counterparty was asked once, with the contract's body, signed (the simulators check it).
      for (const { mm } of [a, b, c]) {
        assert.equal(mm.requests.length, 1)
        const body = mm.requests[0] as Record<string, unknown>
        assert.deepEqual(Object.keys(body).sort(), [
          'amount',
          'amount_currency',
          'environment',
          'pair',
          'purpose',
          'respond_by',
          'rfq_id',
          'side',
        ])
        assert.equal(body.amount, '100000')
        assert.equal(body.amount_currency, 'USDT')
        assert.equal(body.purpose, 'CLIENT_ORDER')
        assert.equal(body.respond_by, '2026-11-23T00:00:01.500Z')
      }

      await fund(app, buyer, 'USDT', '100000')
      const executed = await execute(app, buyer, { quote_id: quote.quote_id, destination_address: ADDRESS })
      assert.equal(executed.statusCode, 200, executed.body)
      const execution = executed.json()
      assert.equal(execution.status, 'SETTLED')
      assert.equal(execution.execution_path, 'EXTERNAL_RFQ')
      assert.equal(execution.destination_amount, '1624187500')
      assert.equal(execution.platform_fee, '0')
      assert.equal(await balanceOf(app, buyer, 'USDT'), '0')
      assert.equal(await balanceOf(app, b.partner, 'USDT'), '100000')
      assert.equal(await balanceOf(app, b.partner, 'IDRX'), '375812500')
      assert.equal(await balanceOf(app, a.partner, 'IDRX'), '2000000000')

      const { entries, postings } = await entriesOf(execution.execution_id)
      assert.deepEqual(
        entries.map((e) => e.kind),
        ['swap'],
      )
      const byAccount = Object.fromEntries(postings.map((p) => [p.account_id, p.amount]))
      assert.deepEqual(byAccount, {
        [`sandbox:USDT:partner:${buyer.id}:prefunded`]: '-100000000000',
        [`sandbox:USDT:partner:${b.partner.id}:prefunded`]: '100000000000',
        [`sandbox:IDRX:partner:${b.partner.id}:prefunded`]: '-162418750000',
        'sandbox:IDRX:protocol:chain': '162418750000',
      })
      assert.equal((await verifyLedger(store())).ok, true)
      const events = await rfqFilledEvents(b.partner.id)
      assert.equal(events.length, 1)
      assert.equal(events[0]?.execution_id, execution.execution_id)
      assert.equal(events[0]?.rate, '16241.875')
      assert.equal(events[0]?.received, '100000')
      assert.equal(events[0]?.paid, '1624187500')
      assert.deepEqual(await rfqFilledEvents(a.partner.id), [])
    },
  )

  it('skips an answer outside the band, one after the timeout and one without the balance', T, async () => {
    // 80 bps better than the mid: outside the 50 bps band (SPEC §4).
    const far = await counterparty('MM far', { spreadBps: '-80' }, { idrx: ['2000000000'] })
    // The best rate, but 400 ms late against its own 100 ms SLA.
    const late = await counterparty(
      'MM late',
      { spreadBps: '1', latencyMs: 500 },
      { idrx: ['2000000000'], timeoutMs: 100 },
    )
    // A good rate with nothing to pay it with.
    const broke = await counterparty('MM broke', { spreadBps: '2' })
    const fair = await counterparty('MM fair', { spreadBps: '25' }, { idrx: ['2000000000'] })
    const quote = await quoteOk(app, taker, { pair: 'USD-IDR', side: 'SELL', amount: '100000' })
    assert.equal(quote.rate, '16209.375')
    assert.deepEqual(
      quote.tranches.map((t: { counterparty: string }) => t.counterparty),
      [fair.partner.id],
    )
    // Each of the three skipped was asked, and each would have beaten the fair rate (16209.375) for a SELL.
    for (const { mm } of [far, late, broke, fair]) assert.equal(mm.requests.length, 1)
  })

  it(
    'a counterparty that spent its balance before the fill: 422 NO_VIABLE_RFQ_QUOTE, nothing booked',
    T,
    async () => {
      const only = await counterparty('MM spender', { spreadBps: '10' }, { idrx: ['2000000000'] })
      const quote = await quoteOk(app, taker, { pair: 'USD-IDR', side: 'SELL', amount: '100000' })
      assert.equal(quote.destination_amount, '1623375000')
      // The market maker buys USDT with 400,000,000 IDRX on the DIRECT path: 1,600,000,000 left, short of the quote.
      const spend = await quoteOk(app, only.partner, { pair: 'USD-IDR', side: 'BUY', amount: '400000000' })
      const spent = await execute(app, only.partner, {
        quote_id: spend.quote_id,
        destination_address: ADDRESS,
      })
      assert.equal(spent.json().status, 'SETTLED')
      await fund(app, taker, 'USDT', '100000')
      const before = await balanceOf(app, taker, 'USDT')
      const response = await execute(app, taker, { quote_id: quote.quote_id, destination_address: ADDRESS })
      expectError(response, 422, 'NO_VIABLE_RFQ_QUOTE', 'USD-IDR')
      assert.equal(await balanceOf(app, taker, 'USDT'), before)
      assert.equal(await balanceOf(app, only.partner, 'IDRX'), '1600000000')
      assert.deepEqual(await rfqFilledEvents(only.partner.id), [])
    },
  )

  it(
    'RFQ access tier (SPEC §9): a taker with NONE keeps the L3 refusal; a counterparty with NONE is not asked',
    T,
    async () => {
      const asked = await counterparty('MM asked', { spreadBps: '10' }, { idrx: ['2000000000'] })
      const benched = await counterparty(
        'MM benched',
        { spreadBps: '1' },
        { idrx: ['2000000000'], tier: 'NONE' },
      )
      const quote = await quoteOk(app, taker, { pair: 'USD-IDR', side: 'SELL', amount: '100000' })
      assert.deepEqual(
        quote.tranches.map((t: { counterparty: string }) => t.counterparty),
        [asked.partner.id],
      )
      assert.equal(benched.mm.requests.length, 0)
      const direct = await createPartner(app, { name: 'No RFQ Ramp', rfq_access_tier: 'NONE' })
      const shown = await app.admin('GET', `/admin/v1/partners/${direct.id}`)
      assert.equal(shown.json().rfq_access_tier, 'NONE')
      const refused = await firmQuote(app, direct, { pair: 'USD-IDR', side: 'SELL', amount: '100000' })
      expectError(refused, 400, 'ABOVE_MAX_TRANSACTION_SIZE', 'USD-IDR')
      assert.equal(asked.mm.requests.length, 1)
      const bad = await app.admin('PATCH', `/admin/v1/partners/${direct.id}`, { rfq_access_tier: 'GOLD' })
      expectError(bad, 400, 'VALIDATION_ERROR')
      assert.match(bad.json().error.message, /rfq_access_tier must be one of: NONE, STANDARD, PRIORITY/)
    },
  )

  it('NO_VIABLE_RFQ_QUOTE when every counterparty declines', T, async () => {
    await counterparty('MM 1', { decline: true }, { idrx: ['2000000000'] })
    await counterparty('MM 2', { decline: true }, { idrx: ['2000000000'] })
    await counterparty('MM 3', { failureRate: 1 }, { idrx: ['2000000000'] })
    const response = await firmQuote(app, taker, { pair: 'USD-IDR', side: 'SELL', amount: '100000' })
    expectError(response, 422, 'NO_VIABLE_RFQ_QUOTE', 'USD-IDR')
  })

  it('a $1M order fills as four tranches under one parent order, in one entry', T, async () => {
    // 250,000 USDT at 5 bps is 4,060,468,750 IDRX: each counterparty can pay two tranches.
    const best = await counterparty('MM 5', { spreadBps: '5' }, { idrx: ['8200000000'] })
    const next = await counterparty('MM 10', { spreadBps: '10' }, { idrx: ['8200000000'] })
    await counterparty('MM 20', { spreadBps: '20' }, { idrx: ['8200000000'] })
    const quote = await quoteOk(app, taker, { pair: 'USD-IDR', side: 'SELL', amount: '1000000' })
    assert.equal(quote.execution_path, 'EXTERNAL_RFQ')
    assert.match(quote.parent_order_id, UUID)
    const parent = quote.parent_order_id
    assert.deepEqual(quote.tranches, [
      { tranche_id: `${parent}-1`, amount: '250000', rate: '16241.875', counterparty: best.partner.id },
      { tranche_id: `${parent}-2`, amount: '250000', rate: '16241.875', counterparty: best.partner.id },
      { tranche_id: `${parent}-3`, amount: '250000', rate: '16233.75', counterparty: next.partner.id },
      { tranche_id: `${parent}-4`, amount: '250000', rate: '16233.75', counterparty: next.partner.id },
    ])
    // 2 × 4,060,468,750 + 2 × 4,058,437,500
    assert.equal(quote.destination_amount, '16237812500')
    assert.equal(best.mm.requests[0]?.parent_order_id, parent)

    await fund(app, taker, 'USDT', '1000000')
    const executed = await execute(app, taker, { quote_id: quote.quote_id, destination_address: ADDRESS })
    assert.equal(executed.statusCode, 200, executed.body)
    const execution = executed.json()
    assert.equal(execution.status, 'SETTLED')
    const { entries, postings } = await entriesOf(execution.execution_id)
    assert.equal(entries.length, 1)
    assert.equal(postings.length, 16)
    assert.equal(await balanceOf(app, best.partner, 'IDRX'), '79062500')
    assert.equal(await balanceOf(app, next.partner, 'IDRX'), '83125000')
    assert.equal((await verifyLedger(store())).ok, true)
    assert.deepEqual(
      (await rfqFilledEvents(best.partner.id)).map((e) => e.tranche_id),
      [`${parent}-1`, `${parent}-2`],
    )
  })

  it(
    'a silent counterparty holds no lock: a DIRECT trade of the same partner completes while the RFQ waits',
    T,
    async () => {
      const silent = await counterparty('MM silent', { latencyMs: 3_000 }, { idrx: ['2000000000'] })
      const answering = await counterparty('MM quick', { spreadBps: '10' }, { idrx: ['2000000000'] })
      let rfqDone = false
      const rfq = firmQuote(app, taker, { pair: 'USD-IDR', side: 'SELL', amount: '100000' }).then(
        (response) => {
          rfqDone = true
          return response
        },
      )
      while (silent.mm.requests.length === 0) await new Promise((resolve) => setTimeout(resolve, 5))
      await fund(app, taker, 'USDT', '1000')
      const direct = await quoteOk(app, taker, { pair: 'USD-IDR', side: 'SELL', amount: '1000' })
      assert.equal(direct.execution_path, 'DIRECT')
      const executed = await execute(app, taker, { quote_id: direct.quote_id, destination_address: ADDRESS })
      assert.equal(executed.json().status, 'SETTLED')
      assert.equal(rfqDone, false, 'the DIRECT trade finished while the RFQ still waited')
      const response = await rfq
      assert.equal(response.statusCode, 200, response.body)
      assert.deepEqual(
        response.json().tranches.map((t: { counterparty: string }) => t.counterparty),
        [answering.partner.id],
      )
    },
  )

  it('an RFQ URL follows the webhook URL policy; the SLA is bounded', T, async () => {
    const response = await app.admin('POST', '/admin/v1/partners', {
      name: 'MM bad',
      type: 'RFQ_COUNTERPARTY',
      rfq_url: 'http://169.254.169.254/rfq',
    })
    expectError(response, 400, 'VALIDATION_ERROR')
    const slow = await app.admin('POST', '/admin/v1/partners', {
      name: 'MM slow',
      type: 'RFQ_COUNTERPARTY',
      rfq_url: 'https://mm.example.com/rfq',
      rfq_timeout_ms: 60_000,
    })
    expectError(slow, 400, 'VALIDATION_ERROR')
    const fine = await app.admin('POST', '/admin/v1/partners', {
      name: 'MM fine',
      type: 'RFQ_COUNTERPARTY',
      corridors: ['USD-SGD'],
      rfq_url: 'https://mm.example.com/rfq',
      rfq_timeout_ms: 800,
    })
    assert.equal(fine.statusCode, 201, fine.body)
    assert.equal(fine.json().rfq_url, 'https://mm.example.com/rfq')
    assert.equal(fine.json().rfq_timeout_ms, 800)
    const cleared = await app.admin('PATCH', `/admin/v1/partners/${fine.json().partner_id}`, {
      rfq_url: null,
    })
    assert.equal(cleared.json().rfq_url, null)
  })
})
