import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { ASSET_CODES } from '../../src/config/assets.ts'
import {
  type PayoutInput,
  payoutSource,
  planTranchePayment,
  type QueueInput,
  type QueueState,
  queueState,
  queueStateRank,
  type RiskState,
  slowModeAllowance,
  tranchePlan,
  WITHDRAWAL_TIERS,
  type WithdrawalTier,
  withdrawalTier,
} from '../../src/liquidity/withdrawal-policy.ts'
import { max, min, r, ratio } from '../../src/money/ratio.ts'

const HOUR = 3_600_000
const T0 = 1_800_000_000_000
const USDT = 10n ** 6n

describe('withdrawalTier (SPEC §7.5)', () => {
  const table: [string, WithdrawalTier][] = [
    ['0', 'STANDARD'],
    ['49999.999999', 'STANDARD'],
    ['50000', 'LARGE'],
    ['120000', 'LARGE'],
    ['200000', 'LARGE'],
    ['200000.000001', 'WHALE'],
    ['5000000', 'WHALE'],
  ]
  for (const [usd, tier] of table) it(`$${usd} is ${tier}`, () => assert.equal(withdrawalTier(r(usd)), tier))

  it('throws on a negative amount', () => assert.throws(() => withdrawalTier(r('-1')), RangeError))
})

describe('tranchePlan (SPEC §7.5)', () => {
  it('pays a standard withdrawal at once', () => {
    const plan = tranchePlan({
      asset: 'USDT',
      amountMinor: 49_000n * USDT,
      tier: 'STANDARD',
      requestedAtMs: T0,
      fiatPerUsd: r('1'),
    })
    assert.deepEqual(plan, {
      tier: 'STANDARD',
      otcOffered: false,
      tranches: [{ atMs: T0, amountMinor: 49_000n * USDT }],
    })
  })

  it('pays a large withdrawal after 24 h notice in tranches of at most $50K every 12 h', () => {
    const plan = tranchePlan({
      asset: 'USDT',
      amountMinor: 120_000n * USDT,
      tier: 'LARGE',
      requestedAtMs: T0,
      fiatPerUsd: r('1'),
    })
    assert.deepEqual(plan.tranches, [
      { atMs: T0 + 24 * HOUR, amountMinor: 50_000n * USDT },
      { atMs: T0 + 36 * HOUR, amountMinor: 50_000n * USDT },
      { atMs: T0 + 48 * HOUR, amountMinor: 20_000n * USDT },
    ])
    assert.equal(plan.otcOffered, false)
  })

  it('pays a whale after 72 h notice at most $100K a day and offers OTC', () => {
    const plan = tranchePlan({
      asset: 'USDT',
      amountMinor: 250_000n * USDT + 1n,
      tier: 'WHALE',
      requestedAtMs: T0,
      fiatPerUsd: r('1'),
    })
    assert.deepEqual(plan.tranches, [
      { atMs: T0 + 72 * HOUR, amountMinor: 100_000n * USDT },
      { atMs: T0 + 96 * HOUR, amountMinor: 100_000n * USDT },
      { atMs: T0 + 120 * HOUR, amountMinor: 50_000n * USDT + 1n },
    ])
    assert.equal(plan.otcOffered, true)
  })

  it('turns the USD cap into the asset at mid, rounded down', () => {
    // $50K at 16,250 IDR/USD = 812,500,000 IDR = 81,250,000,000 minor units.
    const plan = tranchePlan({
      asset: 'IDRX',
      amountMinor: 100_000_000_000n,
      tier: 'LARGE',
      requestedAtMs: T0,
      fiatPerUsd: r('16250'),
    })
    assert.deepEqual(
      plan.tranches.map((t) => t.amountMinor),
      [81_250_000_000n, 18_750_000_000n],
    )
  })

  it('throws on a non-positive amount', () => {
    assert.throws(
      () =>
        tranchePlan({ asset: 'USDT', amountMinor: 0n, tier: 'LARGE', requestedAtMs: T0, fiatPerUsd: r('1') }),
      RangeError,
    )
  })

  it('tranches sum exactly to the amount, respect the cap, and are spaced in time', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...ASSET_CODES),
        fc.bigInt({ min: 1n, max: 10n ** 13n }),
        fc.constantFrom(...WITHDRAWAL_TIERS),
        fc.bigInt({ min: 1n, max: 20_000n }),
        (asset, amountMinor, tier, fiatPerUsd) => {
          const plan = tranchePlan({
            asset,
            amountMinor,
            tier,
            requestedAtMs: T0,
            fiatPerUsd: ratio(fiatPerUsd),
          })
          assert.equal(
            plan.tranches.reduce((sum, t) => sum + t.amountMinor, 0n),
            amountMinor,
          )
          assert.ok(plan.tranches.every((t) => t.amountMinor > 0n))
          plan.tranches.forEach((t, i) => {
            if (i > 0) assert.ok(t.atMs > plan.tranches[i - 1]!.atMs)
          })
          if (tier === 'STANDARD') assert.equal(plan.tranches.length, 1)
        },
      ),
      { numRuns: 200 },
    )
  })
})

function queue(reservePct: string, corridorStates: RiskState[] = [], varPct = '0'): QueueInput {
  return { reserveHealthPct: r(reservePct), corridorStates, varPctOfLimit: r(varPct) }
}

describe('queueState (SPEC §7.5)', () => {
  // label, input, state, flagged, redirect to Yield
  const table: [string, QueueInput, QueueState, boolean, boolean][] = [
    ['healthy Reserve', queue('95'), 'NORMAL', false, false],
    ['80.01% is healthy', queue('80.01'), 'NORMAL', false, false],
    ['80% is flagged', queue('80'), 'NORMAL', true, false],
    ['60.01% is flagged', queue('60.01'), 'NORMAL', true, false],
    ['60% is SLOW', queue('60'), 'SLOW', false, false],
    ['30% is SLOW', queue('30'), 'SLOW', false, false],
    ['29.99% is PAUSED, redirected to Yield', queue('29.99'), 'PAUSED', false, true],
    ['PROTECT changes nothing', queue('95', ['PROTECT']), 'NORMAL', false, false],
    ['RESTRICT is SLOW', queue('95', ['NORMAL', 'RESTRICT']), 'SLOW', false, false],
    ['RESTRICT keeps the flag', queue('70', ['RESTRICT']), 'SLOW', true, false],
    ['HALT is PAUSED', queue('95', ['HALT']), 'PAUSED', false, false],
    ['VaR at 80% of limit is not PAUSED', queue('95', [], '80'), 'NORMAL', false, false],
    ['VaR above 80% of limit is PAUSED', queue('95', [], '80.1'), 'PAUSED', false, false],
    ['HALT beats a Reserve redirect', queue('10', ['HALT']), 'PAUSED', false, false],
    ['the most restrictive wins', queue('50', ['RESTRICT'], '90'), 'PAUSED', false, false],
  ]
  for (const [label, input, state, flagged, redirect] of table) {
    it(label, () => {
      const decision = queueState(input)
      assert.deepEqual(
        [decision.state, decision.flagged, decision.redirectToYield],
        [state, flagged, redirect],
      )
    })
  }

  it('lists every reason', () => {
    assert.deepEqual(queueState(queue('20', ['RESTRICT', 'HALT'], '85')).reasons, [
      'RESERVE_CRITICAL',
      'CORRIDOR_RESTRICT',
      'CORRIDOR_HALT',
      'VAR_ABOVE_80_PCT_OF_LIMIT',
    ])
    assert.deepEqual(queueState(queue('90')).reasons, [])
  })

  const riskRank: Record<RiskState, number> = { NORMAL: 0, PROTECT: 1, RESTRICT: 2, HALT: 3 }
  const risk = fc.constantFrom<RiskState>('NORMAL', 'PROTECT', 'RESTRICT', 'HALT')
  const pct = fc.bigInt({ min: 0n, max: 12_000n }).map((hundredths) => ratio(hundredths, 100n))

  /** A severity of the whole decision: state first; a pause with a redirect is less severe than one without. */
  function severity(input: QueueInput): number {
    const decision = queueState(input)
    return (
      queueStateRank(decision.state) * 2 + (decision.state === 'PAUSED' && !decision.redirectToYield ? 1 : 0)
    )
  }

  it('is monotonic: worse inputs never give a less restrictive state', () => {
    fc.assert(
      fc.property(
        fc.tuple(pct, pct),
        fc.array(fc.tuple(risk, risk), { maxLength: 3 }),
        fc.tuple(pct, pct),
        fc.array(risk, { maxLength: 2 }),
        ([healthA, healthB], corridors, [varA, varB], extra) => {
          // Order each pair so `good` gets the better value and `bad` the worse (or equal) one;
          // `bad` may also see extra corridors, which can only add conditions.
          const good: QueueInput = {
            reserveHealthPct: max(healthA, healthB),
            corridorStates: corridors.map(([a, b]) => (riskRank[a] <= riskRank[b] ? a : b)),
            varPctOfLimit: min(varA, varB),
          }
          const bad: QueueInput = {
            reserveHealthPct: min(healthA, healthB),
            corridorStates: [...corridors.map(([a, b]) => (riskRank[a] <= riskRank[b] ? b : a)), ...extra],
            varPctOfLimit: max(varA, varB),
          }
          assert.ok(severity(bad) >= severity(good), 'worse inputs gave a less restrictive decision')
        },
      ),
      { numRuns: 500 },
    )
  })
})

describe('payoutSource (SPEC §7.5, §2.2)', () => {
  const normal = { state: 'NORMAL' as const, redirectToYield: false }
  const slow = { state: 'SLOW' as const, redirectToYield: false }
  const reservePause = { state: 'PAUSED' as const, redirectToYield: true }
  const haltPause = { state: 'PAUSED' as const, redirectToYield: false }
  const table: [string, PayoutInput, string[], boolean][] = [
    ['standard A from Reserve', { tier: 'STANDARD', lpClass: 'A', queue: normal }, ['RESERVE'], false],
    [
      'standard B from Reserve, then its Yield capital',
      { tier: 'STANDARD', lpClass: 'B', queue: normal },
      ['RESERVE', 'YIELD'],
      false,
    ],
    [
      'large B from Yield then Reserve',
      { tier: 'LARGE', lpClass: 'B', queue: normal },
      ['YIELD', 'RESERVE'],
      true,
    ],
    [
      'whale B from Yield then Reserve',
      { tier: 'WHALE', lpClass: 'B', queue: slow },
      ['YIELD', 'RESERVE'],
      true,
    ],
    ['large A from Reserve in tranches', { tier: 'LARGE', lpClass: 'A', queue: normal }, ['RESERVE'], true],
    ['whale A never from Yield', { tier: 'WHALE', lpClass: 'A', queue: normal }, ['RESERVE'], true],
    [
      'Reserve pause: B redirected to Yield',
      { tier: 'STANDARD', lpClass: 'B', queue: reservePause },
      ['YIELD'],
      false,
    ],
    ['Reserve pause: A waits', { tier: 'STANDARD', lpClass: 'A', queue: reservePause }, [], false],
    ['HALT pause: B waits', { tier: 'LARGE', lpClass: 'B', queue: haltPause }, [], true],
  ]
  for (const [label, input, pools, inTranches] of table) {
    it(label, () => assert.deepEqual(payoutSource(input), { pools, inTranches }))
  }
})

describe('slowModeAllowance (SPEC §7.5: $10K per hour per pool)', () => {
  it('is unlimited in NORMAL, $10K less what was paid in SLOW, nothing in PAUSED', () => {
    assert.deepEqual(slowModeAllowance('NORMAL', r('999999')), { kind: 'UNLIMITED' })
    assert.deepEqual(slowModeAllowance('SLOW', r('0')), { kind: 'LIMITED', remainingUsd: r('10000') })
    assert.deepEqual(slowModeAllowance('SLOW', r('7500.5')), { kind: 'LIMITED', remainingUsd: r('2499.5') })
    assert.deepEqual(slowModeAllowance('SLOW', r('12000')), { kind: 'LIMITED', remainingUsd: r('0') })
    assert.deepEqual(slowModeAllowance('PAUSED', r('0')), { kind: 'LIMITED', remainingUsd: r('0') })
  })
})

describe('planTranchePayment (SPEC §7.5, §15)', () => {
  const queue = { state: 'NORMAL' as const, flagged: false, redirectToYield: false, reasons: [] }
  const facts = (reserve: bigint, yieldMinor: bigint) => ({
    RESERVE: { balanceMinor: reserve * USDT, paidLastHourUsd: r('0') },
    YIELD: { balanceMinor: yieldMinor * USDT, paidLastHourUsd: r('0') },
  })
  const plan = (lpClass: 'A' | 'B', reserve: bigint, yieldMinor: bigint) =>
    planTranchePayment({
      tier: 'STANDARD',
      lpClass,
      queue,
      trancheMinor: 40_000n * USDT,
      pools: facts(reserve, yieldMinor),
      usdToMinor: (usd) => (usd.num * USDT) / usd.den,
      smallestPartMinor: 2n,
    })
  it('pays class B from its Reserve share, else whole from its Yield capital, else in part', () => {
    assert.deepEqual(plan('B', 50_000n, 0n), { pool: 'RESERVE', amountMinor: 40_000n * USDT })
    assert.deepEqual(plan('B', 30_000n, 100_000n), { pool: 'YIELD', amountMinor: 40_000n * USDT })
    assert.deepEqual(plan('B', 30_000n, 25_000n), { pool: 'RESERVE', amountMinor: 30_000n * USDT })
    assert.deepEqual(plan('B', 0n, 25_000n), { pool: 'YIELD', amountMinor: 25_000n * USDT })
  })
  it('never pays class A from Yield, and waits when nothing is worth a share', () => {
    assert.deepEqual(plan('A', 10_000n, 100_000n), { pool: 'RESERVE', amountMinor: 10_000n * USDT })
    assert.equal(plan('A', 0n, 100_000n), undefined)
    assert.equal(plan('B', 0n, 0n), undefined)
  })
  it('in SLOW mode pays what the hour allows, and waits when that is less than a share is worth', () => {
    const slow = { ...queue, state: 'SLOW' as const }
    const paid = (usd: string) => ({
      RESERVE: { balanceMinor: 100_000n * USDT, paidLastHourUsd: r(usd) },
      YIELD: { balanceMinor: 0n, paidLastHourUsd: r('0') },
    })
    const slowPlan = (usd: string) =>
      planTranchePayment({
        tier: 'STANDARD',
        lpClass: 'A',
        queue: slow,
        trancheMinor: 40_000n * USDT,
        pools: paid(usd),
        usdToMinor: (amount) => (amount.num * USDT) / amount.den,
        smallestPartMinor: 2n,
      })
    assert.deepEqual(slowPlan('0'), { pool: 'RESERVE', amountMinor: 10_000n * USDT })
    assert.deepEqual(slowPlan('9999.999998'), { pool: 'RESERVE', amountMinor: 2n })
    // One minor unit left of the $10,000 hour: one share is worth more, so paying it would burn nothing.
    assert.equal(slowPlan('9999.999999'), undefined)
    assert.equal(slowPlan('10000'), undefined)
  })
})
