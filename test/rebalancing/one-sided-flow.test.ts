/**
 * Issue 9 "Done when", the one-sided flow (SPEC §5, §6.2, §8): $300,000 of
 * USD-IDR SELL in $1,000 trades over one sandbox hour (one every 12 s),
 * through the HTTP API of the in-memory test app. After each execution the
 * test runs the rebalancer once, as a running server's wake after every
 * execution would, and before each trade the risk worker's tick (which runs
 * the 5-minute recovery on the sandbox clock). USD-IDR drifts up 6 IDR (3.7
 * bps, inside the 5 bps volatility band) every 20 minutes, so the batch's
 * fills are at different mids.
 *
 * Weekday (Monday 00:00 UTC, peak: a soft deviation would wait 4 h): each
 * time the USD-IDR position reaches the $100,000 hard threshold (trades 100,
 * 185, 270) the protocol Reserve takes $85,000 of it at the mid (SPEC §8:
 * deviation − $50,000 × 0.3), Active IDRX goes back inside its 5 % dead zone,
 * and it is never much more than 20 % off target (79.95 % of it at the
 * lowest, the target growing with the mid): the corridor never leaves
 * NORMAL/PROTECT and quotes both ways throughout. The last trade lands at
 * 01:00:00, where the new hour's sweep (SPEC §8 "hourly") finds $45,000,
 * below soft but with Active IDRX at 90.92 %, outside its dead zone, and
 * takes it back to the $15,000 residual: the hour ends with Active IDRX at
 * 96.92 % of target, inside the dead zone. The four movements fill one batch
 * (one hour window) whose WAOP is the fill-weighted average of its fills.
 *
 * Weekend (Saturday, SPEC §8: soft fires at once): movements at every
 * $50,000 of deviation, each leaving $15,000; this flow stops $5,000 after the
 * eighth, so Active IDRX ends inside the dead zone (where a flow stops in the
 * $35,000 cycle decides that, not a guarantee).
 *
 * Without the rebalancer, the same flow takes the corridor to RESTRICT (only
 * BUY) after 125 trades, once Active IDRX is more than 25 % off target.
 */
import assert from 'node:assert/strict'
import { it } from 'node:test'
import { verifyLedger } from '../../src/ledger/verify.ts'
import { r, ratio } from '../../src/money/ratio.ts'
import type { OraclePair } from '../../src/oracle/pairs.ts'
import { waopOf } from '../../src/rebalancing/batch-model.ts'
import { fillsOf } from '../../src/rebalancing/batches.ts'
import { type RebalancerDeps, runRebalancer } from '../../src/rebalancing/worker.ts'
import { MARKET, openApp, poolMinor, settleRisk, systemState, trade } from '../risk/engine-support.ts'
import { createPartner, OPS_TOKEN, setMarket, type TestApp, type TestPartner } from '../support/app.ts'
import { describeEachDialect } from '../support/databases.ts'
import { advanceSandbox, expectError, firmQuote, fund } from '../trading/support.ts'

const T = { timeout: 300_000 }
const TRADES = 300
const STEP_S = 12
const DAY_S = 86_400

/** USD-IDR drifts up 6 IDR every 20 minutes of the flow. */
function usdIdrMid(elapsedS: number): string {
  return String(16250 + 6 * Math.floor(elapsedS / 1200))
}

/** Every pair priced by all three sources at the sandbox clock's now, as a running feed would. */
async function freshSandboxPrices(app: TestApp, usdIdr: string) {
  const { oracle, clocks } = app.stablefx.services
  const atMs = clocks.sandbox.now()
  const mids: Record<string, string> = { ...MARKET, 'USD-IDR': usdIdr }
  const accepted = await oracle.submitMany(
    Object.entries(mids).flatMap(([pair, price]) =>
      (['primary_a', 'primary_b', 'reference'] as const).map((source) => ({
        environment: 'sandbox' as const,
        source,
        pair: pair as OraclePair,
        price: r(price),
        atMs,
      })),
    ),
  )
  assert.ok(accepted.ok)
}

function rebalancerDeps(app: TestApp): RebalancerDeps {
  const s = app.stablefx.services
  return { store: s.store, oracle: s.oracle, clocks: s.clocks, engine: s.risk, pools: s.pools }
}

/** Active IDRX in percent of its $500,000 target at the USD-IDR mid, two decimals rounded down (as reasons show it). */
async function idrxPct(app: TestApp, mid: string): Promise<string> {
  const minor = await poolMinor(app, 'IDRX')
  const hundredths = (minor * 10_000n) / (500_000n * BigInt(mid) * 100n)
  return `${hundredths / 100n}.${String(hundredths % 100n).padStart(2, '0')}`
}

type Flow = {
  /** The trades (1-based) after which the rebalancer moved something. */
  rebalancedAt: number[]
  /** Active IDRX % just before each movement (after its trade) and just after it. */
  before: string[]
  after: string[]
  /** Every USD-IDR state and allowed-directions pair partners saw before a trade. */
  seen: Set<string>
}

/**
 * The flow: every 12 s of sandbox time (the manual clock, which the sandbox
 * clock follows) fresh prices, the risk tick, the corridor's state as
 * partners read it, one $1,000 SELL, then (optionally) one rebalancer run.
 * The evaluations executions and rebalances ask for run before the next
 * tick (the engine evaluates one at a time).
 */
async function sellFlow(
  app: TestApp,
  partner: TestPartner,
  rebalancer: boolean,
  trades = TRADES,
): Promise<Flow> {
  const deps = rebalancerDeps(app)
  const flow: Flow = { rebalancedAt: [], before: [], after: [], seen: new Set() }
  for (let i = 1; i <= trades; i++) {
    app.clock.advance(STEP_S * 1000)
    const mid = usdIdrMid(i * STEP_S)
    await freshSandboxPrices(app, mid)
    await app.stablefx.services.risk.tick('sandbox')
    const usdIdr = (await systemState(app, partner)).corridors['USD-IDR']
    flow.seen.add(`${usdIdr.state} ${usdIdr.allowed_directions.join(',')}`)
    if (usdIdr.state === 'RESTRICT') break
    await trade(app, partner, { pair: 'USD-IDR', side: 'SELL', amount: '1000' })
    if (!rebalancer) continue
    const before = await idrxPct(app, mid)
    const run = await runRebalancer(deps, 'sandbox', () => true)
    if (run.outcomes.some((o) => o.kind === 'rebalance')) {
      flow.rebalancedAt.push(i)
      flow.before.push(before)
      flow.after.push(await idrxPct(app, mid))
    }
  }
  await settleRisk(app)
  return flow
}

/** GET /v1/reserve/batches as an operator calls it, with the ops token. */
async function batchesOverHttp(app: TestApp, query: string) {
  const response = await app.inject({
    method: 'GET',
    url: `/v1/reserve/batches${query}`,
    headers: { authorization: `Bearer ${OPS_TOKEN}` },
  })
  assert.equal(response.statusCode, 200, response.body)
  return response.json()
}

async function rebalanceEvents(app: TestApp) {
  const rows = await app.store.kysely
    .selectFrom('events')
    .selectAll()
    .where('environment', '=', 'sandbox')
    .where('type', '=', 'rebalance.executed')
    .orderBy('id')
    .execute()
  return rows.map((row) => JSON.parse(row.data))
}

async function riskStatusOf(app: TestApp) {
  const response = await app.inject({
    method: 'GET',
    url: '/v1/reserve/risk-status?environment=sandbox',
    headers: { authorization: `Bearer ${OPS_TOKEN}` },
  })
  assert.equal(response.statusCode, 200, response.body)
  return response.json()
}

async function ledgerOk(app: TestApp) {
  const report = await app.store.snapshot((db) => verifyLedger(db))
  assert.deepEqual(report.violations, [])
}

/** A new app with the market priced and a partner holding $300,000 of USDT. */
async function ready(t: Parameters<typeof openApp>[0], dialect: Parameters<typeof openApp>[1], days = 0) {
  const app = await openApp(t, dialect)
  if (days > 0) await advanceSandbox(app, days * DAY_S)
  await setMarket(app)
  const partner = await createPartner(app)
  await fund(app, partner, 'USDT', '300000')
  return { app, partner }
}

describeEachDialect('one-sided flow: $300,000 of USD-IDR SELL in one sandbox hour', ({ dialect }) => {
  // The weekday run covers the store on both databases; the other two runs (a minute on PostgreSQL)
  // change only the calendar or leave the rebalancer out, so they run on SQLite.
  const once = { ...T, skip: dialect === 'postgres' ? 'same storage paths as the weekday run' : false }
  it('weekday: the rebalancer keeps USD-IDR quotable both ways; one batch at its WAOP', T, async (t) => {
    const { app, partner } = await ready(t, dialect)
    const reserveUsdt = await poolMinor(app, 'USDT', 'RESERVE')
    const reserveIdrx = await poolMinor(app, 'IDRX', 'RESERVE')
    const flow = await sellFlow(app, partner, true)

    // Quotable both ways before every trade; PROTECT outside the dead zone, never RESTRICT.
    assert.deepEqual([...flow.seen], ['NORMAL BUY,SELL', 'PROTECT BUY,SELL'])
    // The hard threshold: $100,000 after 100 trades, then after 85 more each time. Just before, Active
    // IDRX is about 80 % of target (the pools paid $1,000 at the bid per trade); just after, 97 %.
    // Trade 300 lands at 01:00:00: the new hour's sweep finds $45,000 (below soft) with Active IDRX at
    // 90.92 %, outside its 5 % dead zone, and brings it back to the $15,000 residual.
    assert.deepEqual(flow.rebalancedAt, [100, 185, 270, 300])
    assert.deepEqual(flow.before, ['79.97', '79.98', '79.95', '90.92'])
    assert.deepEqual(flow.after, ['96.97', '96.98', '96.95', '96.92'])
    // The hour ends with Active IDRX inside its dead zone. The PROTECT of the last trades is held until
    // the next 5-minute recovery (SPEC §6.3), which then finds nothing wrong: NORMAL.
    assert.equal(await idrxPct(app, usdIdrMid(TRADES * STEP_S)), '96.92')
    const held = (await systemState(app, partner)).corridors['USD-IDR']
    assert.deepEqual([held.state, held.allowed_directions], ['PROTECT', ['BUY', 'SELL']])
    app.clock.advance(5 * 60_000)
    await freshSandboxPrices(app, usdIdrMid(TRADES * STEP_S))
    await app.stablefx.services.risk.tick('sandbox')
    await settleRisk(app)
    const end = (await systemState(app, partner)).corridors['USD-IDR']
    assert.deepEqual(
      { state: end.state, directions: end.allowed_directions, reasons: end.reasons },
      { state: 'NORMAL', directions: ['BUY', 'SELL'], reasons: [] },
    )

    // Each movement: 85,000 USDT from Active to the protocol Reserve, its IDRX at the mid back to Active.
    const events = await rebalanceEvents(app)
    const batchId = events[0]?.filled?.batch_id
    assert.deepEqual(
      events.map((e) => ({ ...e, rebalance_id: undefined })),
      [
        ['hard', '16256', '100000', '85000', '1381760000', true],
        ['hard', '16256', '100000', '85000', '1381760000', false],
        ['hard', '16262', '100000', '85000', '1382270000', false],
        ['hourly', '16268', '45000', '30000', '488040000', false],
      ].map(([trigger, rate, deviation, usdt, idrx, opened]) => ({
        rebalance_id: undefined,
        corridor: 'USD-IDR',
        direction: 'LONG_BASE',
        trigger,
        emergency: false,
        partial: false,
        rate,
        deviation_usd: deviation,
        amount_usd: usdt,
        moved: [
          { asset: 'USDT', amount: usdt, from: 'ACTIVE', to: 'RESERVE' },
          { asset: 'IDRX', amount: idrx, from: 'RESERVE', to: 'ACTIVE' },
        ],
        netted: [],
        filled: { batch_id: batchId, volume: usdt, opened },
      })),
    )
    assert.equal(await poolMinor(app, 'USDT', 'RESERVE'), reserveUsdt + 285_000_000_000n)
    assert.equal(await poolMinor(app, 'IDRX', 'RESERVE'), reserveIdrx - 463_383_000_000n)

    // One batch (its window is an hour from 00:20): WAOP = (85,000 × 16,256 × 2 + 85,000 × 16,262 +
    // 30,000 × 16,268) / 285,000 = 16,259.0526…, the fill-weighted average of its fills; marked at 16,268:
    // (285,000 × 16,268 − 4,633,830,000) / 16,268 = 2,550,000 / 16,268 = $156.749…
    const listed = await batchesOverHttp(app, '?environment=sandbox&corridor=USD-IDR&status=OPEN')
    assert.deepEqual(listed, {
      items: [
        {
          batch_id: batchId,
          corridor: 'USD-IDR',
          direction: 'LONG_BASE',
          status: 'OPEN',
          volume_asset: 'USDT',
          volume: '285000',
          open_volume: '285000',
          waop: '16259.05263157',
          fills: [
            { volume: '85000', rate: '16256', at: '2026-11-23T00:20:00.000Z' },
            { volume: '85000', rate: '16256', at: '2026-11-23T00:37:00.000Z' },
            { volume: '85000', rate: '16262', at: '2026-11-23T00:54:00.000Z' },
            { volume: '30000', rate: '16268', at: '2026-11-23T01:00:00.000Z' },
          ],
          realised_pnl_usd: '0',
          unrealised_pnl_usd: '156.74',
          opened_at: '2026-11-23T00:20:00.000Z',
          settled_at: null,
          closed_at: null,
          closing_id: null,
          close_due_at: null,
        },
      ],
      next_cursor: null,
    })
    const fills = (await fillsOf(app.store, [batchId])).get(batchId) ?? []
    assert.deepEqual(waopOf(fills), ratio(4_633_830_000n, 285_000n))

    // Risk status: the whole position ($285,000 in the bag, $15,000 still in Active) counts in exposure;
    // WAOP weighs the bag at 16,258 with Active's part at the rates it dealt.
    const status = (await riskStatusOf(app)).corridors['USD-IDR']
    assert.deepEqual(
      {
        units: status.inventory_units,
        waop: status.waop,
        gross: status.gross_exposure_usd,
        unrealised: status.unrealised_pnl_usd,
        age: status.oldest_batch_age_hours,
      },
      { units: '300000', waop: '16249.2130537', gross: '300000', unrealised: '346.45', age: '0.75' },
    )
    await ledgerOk(app)
  })

  it('weekend: soft fires at once; this flow ends with Active IDRX inside its dead zone', once, async (t) => {
    // Saturday 28 November 2026, 00:00 UTC on the sandbox clock.
    const { app, partner } = await ready(t, dialect, 5)
    const flow = await sellFlow(app, partner, true)
    assert.deepEqual([...flow.seen], ['NORMAL BUY,SELL', 'PROTECT BUY,SELL'])
    // Every $50,000 (soft): trade 50, then every 35 trades; each leaves $15,000.
    assert.deepEqual(flow.rebalancedAt, [50, 85, 120, 155, 190, 225, 260, 295])
    const events = await rebalanceEvents(app)
    assert.deepEqual(
      events.map((e) => [e.trigger, e.amount_usd]),
      flow.rebalancedAt.map(() => ['weekend', '35000']),
    )
    // Five trades after the eighth movement: $20,000 off target, inside the 5 % dead zone: NORMAL again.
    const end = (await systemState(app, partner)).corridors['USD-IDR']
    assert.deepEqual(
      { state: end.state, directions: end.allowed_directions, reasons: end.reasons },
      { state: 'NORMAL', directions: ['BUY', 'SELL'], reasons: [] },
    )
    assert.equal(await idrxPct(app, usdIdrMid(TRADES * STEP_S)), '95.91')
    const listed = await batchesOverHttp(app, '?environment=sandbox')
    assert.equal(listed.items.length, 1)
    assert.equal(listed.items[0].fills.length, 8)
    assert.equal(listed.items[0].volume, '280000')
    await ledgerOk(app)
  })

  it('without the rebalancer the same flow takes USD-IDR to RESTRICT', once, async (t) => {
    const { app, partner } = await ready(t, dialect)
    const flow = await sellFlow(app, partner, false)
    assert.deepEqual([...flow.seen], ['NORMAL BUY,SELL', 'PROTECT BUY,SELL', 'RESTRICT BUY'])
    const usdIdr = (await systemState(app, partner)).corridors['USD-IDR']
    assert.deepEqual(usdIdr.reasons, [
      'inventory: USD-IDR IDRX Active pool at 74.98% of target (IR -25.02%), more than 25% off target: only BUY allowed',
    ])
    // After 125 of the 300 trades: the next SELL is refused.
    const executions = await app.store.kysely.selectFrom('executions').select('id').execute()
    assert.equal(executions.length, 125)
    expectError(
      await firmQuote(app, partner, { pair: 'USD-IDR', side: 'SELL', amount: '1000' }),
      400,
      'DIRECTION_BLOCKED',
      'USD-IDR',
    )
    assert.deepEqual(await rebalanceEvents(app), [])
  })
})
