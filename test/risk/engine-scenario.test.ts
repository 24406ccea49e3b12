/**
 * Issue 4 scenario: with the manual clock and no rebalancer, SELL USDT→IDRX
 * executions drain the IDRX Active pool (target $500,000) and USD-IDR moves
 * NORMAL → PROTECT (beyond the 5 % dead zone) → RESTRICT (more than 25 % off
 * target), each step recorded with its reasons in /v1/system/state, in
 * `risk_transitions` and as a `system.state_change` event. BUY executions
 * paying IDRX then refill the pool: the state stays RESTRICT under the
 * degradation checks every price and execution runs, and recovers to NORMAL
 * on the next 5-minute recovery evaluation (SPEC §6.3).
 */
import assert from 'node:assert/strict'
import { it } from 'node:test'
import { createPartner, setMarket } from '../support/app.ts'
import { describeEachDialect } from '../support/databases.ts'
import { fund } from '../trading/support.ts'
import {
  advanceWithFreshPrices,
  corridorState,
  DRAIN_SELLS_USD,
  lastEventId,
  lastTransitionId,
  openApp,
  poolMinor,
  settleRisk,
  stateEvents,
  systemState,
  T,
  trade,
  transitions,
} from './engine-support.ts'

describeEachDialect('risk scenario: drain and refill the IDRX Active pool', ({ dialect }) => {
  it('NORMAL → PROTECT → RESTRICT while draining, held while refilling, NORMAL on recovery', T, async (t) => {
    const app = await openApp(t, dialect)
    await setMarket(app)
    const partner = await createPartner(app)
    await fund(app, partner, 'USDT', '200000')
    await fund(app, partner, 'IDRX', '2200000000')
    const risk = app.stablefx.services.risk
    const fromTransition = await lastTransitionId(app)
    const fromEvent = await lastEventId(app)
    const initial = await corridorState(app, partner, 'USD-IDR')
    assert.equal(initial.state, 'NORMAL')
    assert.deepEqual(initial.reasons, [])

    // 1. $30,000 at NORMAL. Spread 4 + 10 × 30,000 / 500,000 = 4.6 bps: bid 16250 × (1 − 0.00023)
    // = 16246.2625, so the pool pays out 487,387,875 IDRX and holds 7,637,612,125
    // (94.0014 %, IR −5.9986 %; reasons show two decimals rounded down).
    const [first, ...protectSells] = DRAIN_SELLS_USD
    const opening = await trade(app, partner, { pair: 'USD-IDR', side: 'SELL', amount: first })
    assert.equal(opening.quote.state_flag, 'NORMAL')
    assert.equal(opening.quote.max_size, '50000')
    assert.equal(opening.quote.rate, '16246.2625')
    await settleRisk(app)
    assert.equal(await poolMinor(app, 'IDRX'), 763_761_212_500n)
    const protect = await corridorState(app, partner, 'USD-IDR')
    assert.equal(protect.state, 'PROTECT')
    const protectReason =
      'inventory: USD-IDR IDRX Active pool at 94% of target (IR -6%), outside the 5% dead zone'
    assert.deepEqual(protect.reasons, [protectReason])
    assert.deepEqual(protect.allowed_directions, ['BUY', 'SELL'])

    // 2. PROTECT halves the max size: 5 % of the IDRX pool's USD value, which shrinks with every sale
    // (7,637,612,125 IDRX / 16250 × 5 % = $23,500.34…). The skew now moves the mid down (k × IR) and
    // PROTECT scales the liquidity add-on by 1.5: the second sale's spread is 4 + 0.7340 + 0.8998 bps.
    const steps = [
      { maxSize: '23500.34', spread: '5.6339', share: '89.4%', ir: '-10.6%' },
      { maxSize: '22350.77', spread: '6.3278', share: '85%', ir: '-15%' },
      { maxSize: '21251.29', spread: '6.9904', share: '80.8%', ir: '-19.2%' },
      { maxSize: '20201.89', spread: '7.6214', share: '76.81%', ir: '-23.19%' },
      { maxSize: '19202.56', spread: '8.2206', share: '73.01%', ir: '-26.99%' },
    ]
    let restrictReason = ''
    for (const [i, amount] of protectSells.entries()) {
      const step = steps[i] as (typeof steps)[number]
      const { quote } = await trade(app, partner, { pair: 'USD-IDR', side: 'SELL', amount })
      assert.equal(quote.state_flag, 'PROTECT')
      assert.equal(quote.max_size, step.maxSize)
      assert.equal(quote.spread_bps, step.spread)
      await settleRisk(app)
      const after = await corridorState(app, partner, 'USD-IDR')
      const where = `inventory: USD-IDR IDRX Active pool at ${step.share} of target (IR ${step.ir})`
      if (i < steps.length - 1) {
        assert.equal(after.state, 'PROTECT')
        assert.deepEqual(after.reasons, [`${where}, outside the 5% dead zone`])
      } else {
        restrictReason = `${where}, more than 25% off target: only BUY allowed`
      }
    }
    // $135,000 of USDT came in; 73.01 % of the IDRX target is left: more than 25 % off target.
    assert.equal(await poolMinor(app, 'USDT'), 1_135_000_000_000n)
    const drained = await poolMinor(app, 'IDRX')
    assert.equal(drained, 593_231_857_755n)
    const restrict = await corridorState(app, partner, 'USD-IDR')
    assert.equal(restrict.state, 'RESTRICT')
    assert.deepEqual(restrict.reasons, [restrictReason])
    assert.deepEqual(restrict.allowed_directions, ['BUY'])
    // The smaller direction: 25 % of 10 % of IDRX Active, 5,932,318,577.55 / 16250 = $365,065.75… → $9,126.64.
    assert.equal(restrict.max_size, '9126.64')
    // The pools are shared: MYR-IDR (IDRX is its QUOTE pool too) is in RESTRICT towards BUY, and USD-SGD
    // sees USDT 13.5 % over target, beyond its 3 % dead zone. The system state is the worst corridor.
    const system = await systemState(app, partner)
    assert.equal(system.system_state, 'RESTRICT')
    assert.equal(system.corridors['MYR-IDR'].state, 'RESTRICT')
    assert.deepEqual(system.corridors['MYR-IDR'].allowed_directions, ['BUY'])
    assert.equal(system.corridors['USD-SGD'].state, 'PROTECT')
    assert.deepEqual(system.corridors['USD-SGD'].reasons, [
      'inventory: USD-SGD USDT Active pool at 113.5% of target (IR 13.5%), outside the 3% dead zone',
    ])

    // Every step is stored: two transitions, both caused by executions, and two events.
    const drainTransitions = await transitions(app, 'sandbox', 'USD-IDR', fromTransition)
    assert.deepEqual(
      drainTransitions.map(({ previous_state, state, reasons, trigger }) => ({
        previous_state,
        state,
        reasons,
        trigger,
      })),
      [
        { previous_state: 'NORMAL', state: 'PROTECT', reasons: [protectReason], trigger: 'execution' },
        { previous_state: 'PROTECT', state: 'RESTRICT', reasons: [restrictReason], trigger: 'execution' },
      ],
    )
    const drainEvents = await stateEvents(app, 'sandbox', 'USD-IDR', fromEvent)
    assert.deepEqual(
      drainEvents.map((e) => ({ partner_id: e.partner_id, data: e.data })),
      [
        {
          partner_id: null,
          data: { corridor: 'USD-IDR', previous_state: 'NORMAL', state: 'PROTECT', reason: protectReason },
        },
        {
          partner_id: null,
          data: {
            corridor: 'USD-IDR',
            previous_state: 'PROTECT',
            state: 'RESTRICT',
            reason: restrictReason,
          },
        },
      ],
    )

    // 3. Refill: six BUYs of 357,500,000 IDRX ($22,000 each). RESTRICT holds the mid 8 bps down and
    // the spread at 47 bps: ask 16250 × 0.9992 × 1.00235 = 16275.15695; the max size is 25 % of 10 %
    // of the USDT pool, $28,375 at first, shrinking as USDT leaves.
    const maxSizes = ['28375', '27825.85', '27276.7', '26727.55', '26178.4', '25629.25']
    for (const maxSize of maxSizes) {
      const { quote } = await trade(app, partner, { pair: 'USD-IDR', side: 'BUY', amount: '357500000' })
      assert.equal(quote.state_flag, 'RESTRICT')
      assert.equal(quote.allowed_direction, 'BUY')
      assert.equal(quote.max_size, maxSize)
      assert.equal(quote.rate, '16275.15695')
      assert.equal(quote.spread_bps, '47')
      await settleRisk(app)
      assert.equal((await corridorState(app, partner, 'USD-IDR')).state, 'RESTRICT')
    }
    // IDRX back to 99.41 % of target, USDT at 100.32 %: both inside the 5 % dead zone.
    assert.equal(await poolMinor(app, 'IDRX'), 807_731_857_755n)
    assert.equal(await poolMinor(app, 'USDT'), 1_003_204_035_970n)
    // The signals are clear, but degradation checks never improve a state: RESTRICT is held.
    assert.equal(risk.effective('sandbox', 'USD-IDR').computed.signalState, 'NORMAL')
    assert.deepEqual(await risk.evaluateNow('sandbox', 'degrade', 'timer'), [])
    const held = await corridorState(app, partner, 'USD-IDR')
    assert.equal(held.state, 'RESTRICT')
    assert.deepEqual(held.reasons, restrict.reasons)
    assert.deepEqual(held.allowed_directions, ['BUY'])

    // 4. Five minutes pass with fresh prices, and a degradation check every 10 s: still RESTRICT.
    // Then the 5-minute timer runs the recovery evaluation: every signal is clear, so NORMAL.
    await advanceWithFreshPrices(app, 5 * 60_000)
    assert.equal((await corridorState(app, partner, 'USD-IDR')).state, 'RESTRICT')
    const beforeRecovery = await lastTransitionId(app)
    const changes = await risk.evaluateNow('sandbox', 'recover', 'timer')
    const recovered = changes.find((c) => c.corridor === 'USD-IDR')
    assert.ok(recovered, JSON.stringify(changes))
    assert.equal(recovered.previousState, 'RESTRICT')
    assert.equal(recovered.state, 'NORMAL')
    assert.deepEqual(recovered.reasons, [])
    const normal = await corridorState(app, partner, 'USD-IDR')
    assert.equal(normal.state, 'NORMAL')
    assert.deepEqual(normal.reasons, [])
    assert.deepEqual(normal.allowed_directions, ['BUY', 'SELL'])
    const stored = await transitions(app, 'sandbox', 'USD-IDR', beforeRecovery)
    assert.deepEqual(
      stored.map(({ previous_state, state, reasons, trigger, at }) => ({
        previous_state,
        state,
        reasons,
        trigger,
        at,
      })),
      [{ previous_state: 'RESTRICT', state: 'NORMAL', reasons: [], trigger: 'timer', at: app.clock.now() }],
    )
    const allEvents = await stateEvents(app, 'sandbox', 'USD-IDR', fromEvent)
    assert.equal(allEvents.length, 3)
    assert.deepEqual(allEvents[2]?.data, {
      corridor: 'USD-IDR',
      previous_state: 'RESTRICT',
      state: 'NORMAL',
      reason: '',
    })
    // Both directions quote again, at the NORMAL size: 10 % of 8,077,318,577.55 IDRX / 16250.
    const { quote } = await trade(app, partner, { pair: 'USD-IDR', side: 'SELL', amount: '1000' })
    assert.equal(quote.state_flag, 'NORMAL')
    assert.equal(quote.allowed_direction, 'BOTH')
    assert.equal(quote.max_size, '49706.57')
  })
})
