/**
 * The graduated response of SPEC §6.1 through HTTP (issue 4, "Done when"):
 * a firm quote in each state carries its `state_flag`, the SPEC §5 max size
 * and a spread that widens NORMAL < PROTECT < RESTRICT for the same size;
 * RESTRICT from a drained pool lets only the refilling direction through
 * (DIRECTION_BLOCKED for the other); HALT refuses quotes and executions of
 * open quotes with QUOTE_HALTED while an execution already in flight settles.
 *
 * How each state is reached: PROTECT by a real oracle signal (the USD-IDR
 * primaries 16 s old, 80 % of the 20 s max age); RESTRICT by a real
 * volatility signal (a 0.2 % move) for the spread comparison, and by a real
 * inventory signal (IDRX Active drained by executions) for the direction
 * rule; HALT by the operator override, the one state with no cheap real
 * trigger that leaves the pools and prices alone.
 */
import assert from 'node:assert/strict'
import { it } from 'node:test'
import { createPartner, setMarket, setPrice } from '../support/app.ts'
import { describeEachDialect } from '../support/databases.ts'
import {
  ADDRESS,
  balanceOf,
  execute,
  expectError,
  firmQuote,
  fund,
  gatedChain,
  get,
  quoteOk,
} from '../trading/support.ts'
import {
  compareDecimals,
  corridorState,
  DRAIN_SELLS_USD,
  iso,
  openApp,
  override,
  poolMinor,
  settleRisk,
  sourcePrice,
  systemState,
  T,
  trade,
} from './engine-support.ts'

describeEachDialect('risk states over HTTP', ({ dialect }) => {
  it('a firm quote shows each state, its max size, and spreads NORMAL < PROTECT < RESTRICT', T, async (t) => {
    const app = await openApp(t, dialect)
    await setMarket(app)
    const partner = await createPartner(app)
    const request = { pair: 'USD-IDR', side: 'SELL', amount: '10000' }

    // NORMAL: max size min($200,000, 10 % of IDRX Active $500,000) = $50,000; spread 4 base +
    // 10 × 10,000 / 500,000 = 0.2 liquidity.
    const normal = await quoteOk(app, partner, request)
    assert.equal(normal.state_flag, 'NORMAL')
    assert.equal(normal.allowed_direction, 'BOTH')
    assert.equal(normal.max_size, '50000')
    assert.equal(normal.spread_bps, '4.2')
    assert.equal(normal.fee_breakdown.liquidity_bps, '0.2')

    // PROTECT from the oracle signal: both primaries 16 s old (SPEC §6.2 near-threshold at 80 % of 20 s).
    await sourcePrice(app, 'primary_a', 'USD-IDR', '16250', 16_000)
    await sourcePrice(app, 'primary_b', 'USD-IDR', '16250', 16_000)
    await settleRisk(app)
    const protectState = await corridorState(app, partner, 'USD-IDR')
    assert.equal(protectState.state, 'PROTECT')
    assert.deepEqual(protectState.reasons, [
      'oracle: oracle USD-IDR age near the limit: age 16000 ms (max 20000 ms), deviation 0% (max 0.15%)',
    ])
    assert.deepEqual(protectState.allowed_directions, ['BUY', 'SELL'])
    // PROTECT: max size × 0.5; the liquidity add-on × 1.5 (0.3), nothing else moves.
    const protect = await quoteOk(app, partner, request)
    assert.equal(protect.state_flag, 'PROTECT')
    assert.equal(protect.allowed_direction, 'BOTH')
    assert.equal(protect.max_size, '25000')
    assert.equal(protect.spread_bps, '4.3')
    assert.equal(protect.fee_breakdown.liquidity_bps, '0.3')

    // RESTRICT from the volatility signal: the mid moves 16250 → 16282.5, 0.2 % in 5 minutes
    // (SPEC §6.2: 0.15–0.30 % RESTRICT). Volatility names no direction, so both stay open.
    await setPrice(app, 'USD-IDR', '16282.5')
    await settleRisk(app)
    const restrictState = await corridorState(app, partner, 'USD-IDR')
    assert.equal(restrictState.state, 'RESTRICT')
    assert.deepEqual(restrictState.reasons, ['volatility: mid moved 0.2% over 5 min, at or above 0.15%'])
    const restrict = await quoteOk(app, partner, request)
    assert.equal(restrict.state_flag, 'RESTRICT')
    assert.equal(restrict.allowed_direction, 'BOTH')
    assert.equal(restrict.mid, '16282.5')
    // 25 % of 10 % of IDRX Active: 8,125,000,000 IDR / 16282.5 = $499,001.996… → $12,475.0499…
    assert.equal(restrict.max_size, '12475.04')
    // SPEC §5 "maximum spread": 4 base + 20 volatility cap + 15 liquidity cap + 8 MaxSkew.
    assert.equal(restrict.spread_bps, '47')
    assert.equal(restrict.fee_breakdown.volatility_bps, '20')
    assert.equal(restrict.fee_breakdown.liquidity_bps, '15')

    assert.equal(compareDecimals(normal.spread_bps, protect.spread_bps), -1)
    assert.equal(compareDecimals(protect.spread_bps, restrict.spread_bps), -1)
    assert.equal(compareDecimals(normal.max_size, protect.max_size), 1)
    assert.equal(compareDecimals(protect.max_size, restrict.max_size), 1)
  })

  it('RESTRICT from a drained IDRX pool blocks SELL and quotes BUY, the refilling side', T, async (t) => {
    const app = await openApp(t, dialect)
    await setMarket(app)
    const partner = await createPartner(app)
    await fund(app, partner, 'USDT', '200000')
    for (const amount of DRAIN_SELLS_USD) {
      await trade(app, partner, { pair: 'USD-IDR', side: 'SELL', amount })
      await settleRisk(app)
    }
    const state = await corridorState(app, partner, 'USD-IDR')
    assert.equal(state.state, 'RESTRICT')
    // The QUOTE pool (IDRX) is short: only BUY (partner pays IDRX) refills it.
    assert.deepEqual(state.allowed_directions, ['BUY'])

    const blocked = expectError(
      await firmQuote(app, partner, { pair: 'USD-IDR', side: 'SELL', amount: '100' }),
      400,
      'DIRECTION_BLOCKED',
      'USD-IDR',
    )
    assert.equal(blocked.message, 'SELL is blocked on USD-IDR in RESTRICT (allowed: BUY)')
    expectError(
      await get(app, partner, '/v1/quote?pair=USD-IDR&side=SELL&amount=100'),
      400,
      'DIRECTION_BLOCKED',
      'USD-IDR',
    )

    // BUY 16,250,000 IDRX ($1,000) quotes: max size 25 % of 10 % of USDT Active $1,135,000.
    const buy = await quoteOk(app, partner, { pair: 'USD-IDR', side: 'BUY', amount: '16250000' })
    assert.equal(buy.state_flag, 'RESTRICT')
    assert.equal(buy.allowed_direction, 'BUY')
    assert.equal(buy.max_size, '28375')
    assert.equal(buy.spread_bps, '47')
    assert.equal(await poolMinor(app, 'USDT'), 1_135_000_000_000n)
  })

  it('a quote for the side RESTRICT has since blocked does not execute', T, async (t) => {
    const app = await openApp(t, dialect)
    await setMarket(app)
    const partner = await createPartner(app)
    await fund(app, partner, 'USDT', '200000')
    for (const amount of DRAIN_SELLS_USD.slice(0, 5)) {
      await trade(app, partner, { pair: 'USD-IDR', side: 'SELL', amount })
      await settleRisk(app)
    }
    // Two SELL quotes in PROTECT; the first one to execute takes the corridor to RESTRICT (only BUY).
    const early = await quoteOk(app, partner, { pair: 'USD-IDR', side: 'SELL', amount: '19000' })
    assert.equal(early.state_flag, 'PROTECT')
    await trade(app, partner, { pair: 'USD-IDR', side: 'SELL', amount: '19000' })
    await settleRisk(app)
    const state = await corridorState(app, partner, 'USD-IDR')
    assert.equal(state.state, 'RESTRICT')
    assert.deepEqual(state.allowed_directions, ['BUY'])
    const usdt = await balanceOf(app, partner, 'USDT')
    const idrx = await poolMinor(app, 'IDRX')

    // L9 re-checks the state at execution: the seed says executing in the restricted direction during
    // RESTRICT gets DIRECTION_BLOCKED (and SPEC §4 L9 asks amount ≤ max_size, here $9,126.64 < $19,000).
    expectError(
      await execute(app, partner, { quote_id: early.quote_id, destination_address: ADDRESS }),
      400,
      'DIRECTION_BLOCKED',
      'USD-IDR',
    )
    assert.equal(await balanceOf(app, partner, 'USDT'), usdt)
    assert.equal(await poolMinor(app, 'IDRX'), idrx)
  })

  it('HALT refuses new quotes and the execution of an open quote with QUOTE_HALTED', T, async (t) => {
    const app = await openApp(t, dialect)
    await setMarket(app)
    const partner = await createPartner(app)
    await fund(app, partner, 'USDT', '10000')
    const open = await quoteOk(app, partner, { pair: 'USD-IDR', side: 'SELL', amount: '5000' })
    assert.equal(open.state_flag, 'NORMAL')

    const expiresAt = iso(app.clock.now() + 3_600_000)
    await override(app, {
      corridor: 'USD-IDR',
      state: 'HALT',
      reason: 'issuer incident',
      expires_at: expiresAt,
      environment: 'sandbox',
    })

    const halted = expectError(
      await firmQuote(app, partner, { pair: 'USD-IDR', side: 'BUY', amount: '16250000' }),
      503,
      'QUOTE_HALTED',
      'USD-IDR',
    )
    assert.equal(
      halted.message,
      `trading on USD-IDR is halted: override: HALT until ${expiresAt}: issuer incident`,
    )
    expectError(
      await get(app, partner, '/v1/quote?pair=USD-IDR&side=SELL&amount=1000'),
      503,
      'QUOTE_HALTED',
      'USD-IDR',
    )
    expectError(
      await execute(app, partner, { quote_id: open.quote_id, destination_address: ADDRESS }),
      503,
      'QUOTE_HALTED',
      'USD-IDR',
    )
    assert.equal(await balanceOf(app, partner, 'USDT'), '10000')
    assert.equal(await poolMinor(app, 'IDRX'), 812_500_000_000n)

    const state = await systemState(app, partner)
    assert.equal(state.system_state, 'HALT')
    assert.deepEqual(state.corridors['USD-IDR'], {
      state: 'HALT',
      allowed_directions: [],
      max_size: '0',
      max_size_currency: 'USD',
      oracle_age_ms: 0,
      reasons: [`override: HALT until ${expiresAt}: issuer incident`],
    })
    // The halt is the corridor's: USD-SGD still quotes.
    assert.equal(state.corridors['USD-SGD'].state, 'NORMAL')
    const sgd = await quoteOk(app, partner, { pair: 'USD-SGD', side: 'SELL', amount: '100' })
    assert.equal(sgd.state_flag, 'NORMAL')
  })

  it('an execution already in flight when HALT begins settles', T, async (t) => {
    const gate = gatedChain()
    const app = await openApp(t, dialect, { chain: gate.chain })
    await setMarket(app)
    const partner = await createPartner(app)
    await fund(app, partner, 'USDT', '10000')
    const quote = await quoteOk(app, partner, { pair: 'USD-IDR', side: 'SELL', amount: '5000' })

    // Booked (ledger entry written), now waiting on the chain transfer.
    const pending = execute(app, partner, { quote_id: quote.quote_id, destination_address: ADDRESS })
    await gate.entered
    await override(app, {
      corridor: 'USD-IDR',
      state: 'HALT',
      reason: 'halt during settlement',
      expires_at: iso(app.clock.now() + 600_000),
      environment: 'sandbox',
    })
    expectError(
      await firmQuote(app, partner, { pair: 'USD-IDR', side: 'SELL', amount: '100' }),
      503,
      'QUOTE_HALTED',
      'USD-IDR',
    )
    gate.release()
    const response = await pending
    assert.equal(response.statusCode, 200, response.body)
    const execution = response.json()
    assert.equal(execution.status, 'SETTLED')
    assert.equal(execution.destination_amount, quote.destination_amount)
    assert.equal(execution.state_flag, 'NORMAL')
    assert.equal(await balanceOf(app, partner, 'USDT'), '5000')
    const settled = await app.store.kysely
      .selectFrom('events')
      .select('type')
      .where('partner_id', '=', partner.id)
      .where('type', '=', 'execution.settled')
      .execute()
    assert.equal(settled.length, 1)
    assert.equal((await corridorState(app, partner, 'USD-IDR')).state, 'HALT')
  })
})
