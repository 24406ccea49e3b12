/**
 * The Phase 1 rebalancing planner (SPEC §8), a pure function: tables with
 * literal expected decisions, then properties over random positions, pools,
 * cooldowns, VaR and times. Money is in whole USD unless a name says minor.
 *
 * USD-IDR: soft 50,000, hard 100,000, emergency 150,000; residual 0.3 × soft
 * = 15,000; cooldown 4 h at peak (00–12 UTC), 2 h off peak. USD-SGD: soft
 * 100,000 (residual 30,000), hard 200,000; peak 00–10 UTC, 2 h / 1 h.
 * MYR-IDR: soft 30,000 (residual 9,000), hard 60,000, emergency 90,000.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import type { CorridorId } from '../../src/config/corridors.ts'
import { DEFAULT_REBALANCING_CONFIG, validateRebalancingConfig } from '../../src/config/rebalancing.ts'
import { abs, cmp, mul, type Ratio, r, ratio, sub } from '../../src/money/ratio.ts'
import type { UsdRates } from '../../src/pools/usd-rates.ts'
import {
  type Cooldown,
  type Decision,
  outsideDeadZone,
  type PlanInput,
  type PoolSnapshot,
  planRebalance,
  rebalanceLegs,
} from '../../src/rebalancing/planner.ts'

const HOUR = 3_600_000
/** Monday 23 November 2026, 00:00 UTC. */
const MONDAY = Date.UTC(2026, 10, 23)
const SATURDAY = Date.UTC(2026, 10, 28)
const config = DEFAULT_REBALANCING_CONFIG

const usd = (text: string) => r(text)

/** Pools at target with a Reserve of $1.8M each: nothing limits a rebalance. */
function pool(activeUsd = '500000', reserveUsd = '1800000'): PoolSnapshot {
  return {
    activeUsd: usd(activeUsd),
    activeTargetUsd: usd('500000'),
    activeMinPct: 40n,
    reserveUsd: usd(reserveUsd),
  }
}

function input(overrides: Partial<PlanInput> & { positionUsd: Ratio }): PlanInput {
  return {
    corridor: 'USD-IDR',
    nowMs: MONDAY + 3 * HOUR,
    pools: { base: pool(), quote: pool() },
    cooldown: undefined,
    varPctOfLimit: undefined,
    hourly: false,
    ...overrides,
  }
}

/** A decision with its ratios as decimal strings, for literal comparison. */
function shown(decision: Decision) {
  const text = (value: Ratio) => (value.den === 1n ? value.num.toString() : `${value.num}/${value.den}`)
  const out: Record<string, unknown> = { kind: decision.kind, deviation: text(decision.deviationUsd) }
  if (decision.kind === 'none') out.reason = decision.reason
  if (decision.kind === 'wait')
    Object.assign(out, { direction: decision.direction, started: decision.started })
  if (decision.kind === 'rebalance' || decision.kind === 'skipped') {
    Object.assign(out, {
      direction: decision.direction,
      trigger: decision.trigger,
      emergency: decision.emergency,
      wanted: text(decision.wantedUsd),
    })
  }
  if (decision.kind === 'rebalance')
    Object.assign(out, { amount: text(decision.amountUsd), partial: decision.partial })
  if (decision.cooldown !== undefined) out.cooldown = decision.cooldown
  return out
}

const plan = (overrides: Partial<PlanInput> & { positionUsd: Ratio }) =>
  shown(planRebalance(input(overrides), config))

describe('rebalancing configuration', () => {
  it('the defaults are the SPEC §8 table and pass validation', () => {
    assert.deepEqual(validateRebalancingConfig(config), [])
    assert.deepEqual(config.corridors['USD-IDR'], {
      softUsd: 50_000n,
      hardUsd: 100_000n,
      emergencyUsd: 150_000n,
      cooldownPeakMs: 4 * HOUR,
      cooldownOffPeakMs: 2 * HOUR,
      peakHoursUtc: { fromHour: 0, toHour: 12 },
    })
    assert.deepEqual(config.corridors['USD-SGD'].peakHoursUtc, { fromHour: 0, toHour: 10 })
    assert.equal(config.corridors['MYR-IDR'].cooldownOffPeakMs, 2 * HOUR)
    assert.deepEqual(config.holidays, [])
  })

  it('names every problem of a bad configuration', () => {
    const bad = {
      ...config,
      corridors: {
        ...config.corridors,
        'USD-IDR': { ...config.corridors['USD-IDR'], hardUsd: 40_000n, cooldownPeakMs: 0 },
      },
      residualFactor: r('1'),
      holidays: ['2026-13-45', 'tomorrow'],
    }
    assert.deepEqual(validateRebalancingConfig(bad), [
      'USD-IDR.softUsd must be below USD-IDR.hardUsd',
      'USD-IDR.cooldownPeakMs must be a positive whole number of ms',
      'residualFactor must be at least 0 and below 1',
      'holiday 2026-13-45 must be a date written YYYY-MM-DD',
      'holiday tomorrow must be a date written YYYY-MM-DD',
    ])
  })
})

describe('planRebalance: thresholds and cooldowns (SPEC §8)', () => {
  it('a flat position and one below soft do nothing', () => {
    assert.deepEqual(plan({ positionUsd: usd('0') }), { kind: 'none', deviation: '0', reason: 'flat' })
    assert.deepEqual(plan({ positionUsd: usd('49999.99') }), {
      kind: 'none',
      deviation: '4999999/100',
      reason: 'below soft',
    })
  })

  it('soft starts a cooldown: 4 h at peak, 2 h off peak (USD-IDR)', () => {
    const peak = MONDAY + 3 * HOUR
    assert.deepEqual(plan({ positionUsd: usd('50000'), nowMs: peak }), {
      kind: 'wait',
      deviation: '50000',
      direction: 'LONG_BASE',
      started: true,
      cooldown: { direction: 'LONG_BASE', startedAtMs: peak, endsAtMs: peak + 4 * HOUR },
    })
    const offPeak = MONDAY + 14 * HOUR
    assert.deepEqual(plan({ positionUsd: usd('50000'), nowMs: offPeak }).cooldown, {
      direction: 'LONG_BASE',
      startedAtMs: offPeak,
      endsAtMs: offPeak + 2 * HOUR,
    })
    // 12:00 UTC is the first off-peak hour for IDR corridors.
    const noon = MONDAY + 12 * HOUR
    assert.deepEqual(plan({ positionUsd: usd('50000'), nowMs: noon }).cooldown, {
      direction: 'LONG_BASE',
      startedAtMs: noon,
      endsAtMs: noon + 2 * HOUR,
    })
  })

  it('USD-SGD peak ends at 10:00 UTC: 2 h before, 1 h from then', () => {
    const before = MONDAY + 10 * HOUR - 1
    const at = MONDAY + 10 * HOUR
    const sgd = (nowMs: number) => plan({ corridor: 'USD-SGD', positionUsd: usd('100000'), nowMs }).cooldown
    assert.deepEqual(sgd(before), {
      direction: 'LONG_BASE',
      startedAtMs: before,
      endsAtMs: before + 2 * HOUR,
    })
    assert.deepEqual(sgd(at), { direction: 'LONG_BASE', startedAtMs: at, endsAtMs: at + HOUR })
  })

  it('a running cooldown is kept, fires when it ends if still at or above soft, and clears below soft', () => {
    const cooldown: Cooldown = {
      direction: 'LONG_BASE',
      startedAtMs: MONDAY + 3 * HOUR,
      endsAtMs: MONDAY + 7 * HOUR,
    }
    assert.deepEqual(plan({ positionUsd: usd('60000'), cooldown, nowMs: MONDAY + 7 * HOUR - 1 }), {
      kind: 'wait',
      deviation: '60000',
      direction: 'LONG_BASE',
      started: false,
      cooldown,
    })
    assert.deepEqual(plan({ positionUsd: usd('60000'), cooldown, nowMs: MONDAY + 7 * HOUR }), {
      kind: 'rebalance',
      deviation: '60000',
      direction: 'LONG_BASE',
      trigger: 'cooldown_elapsed',
      emergency: false,
      wanted: '45000',
      amount: '45000',
      partial: false,
    })
    assert.deepEqual(plan({ positionUsd: usd('45000'), cooldown, nowMs: MONDAY + 7 * HOUR }), {
      kind: 'none',
      deviation: '45000',
      reason: 'below soft',
    })
  })

  it('a cooldown for the other direction starts over', () => {
    const cooldown: Cooldown = { direction: 'SHORT_BASE', startedAtMs: MONDAY, endsAtMs: MONDAY + 4 * HOUR }
    const now = MONDAY + 5 * HOUR
    assert.deepEqual(plan({ positionUsd: usd('50000'), cooldown, nowMs: now }), {
      kind: 'wait',
      deviation: '50000',
      direction: 'LONG_BASE',
      started: true,
      cooldown: { direction: 'LONG_BASE', startedAtMs: now, endsAtMs: now + 4 * HOUR },
    })
  })

  it('hard fires at once: amount = deviation − soft × 0.3', () => {
    assert.deepEqual(plan({ positionUsd: usd('99999.99') }).kind, 'wait')
    assert.deepEqual(plan({ positionUsd: usd('100000') }), {
      kind: 'rebalance',
      deviation: '100000',
      direction: 'LONG_BASE',
      trigger: 'hard',
      emergency: false,
      wanted: '85000',
      amount: '85000',
      partial: false,
    })
    // Pools short BASE (partners bought USD): the Reserve refills USDT, Active IDRX goes to the Reserve.
    assert.deepEqual(plan({ positionUsd: usd('-120000.5') }), {
      kind: 'rebalance',
      deviation: '240001/2',
      direction: 'SHORT_BASE',
      trigger: 'hard',
      emergency: false,
      wanted: '210001/2',
      amount: '210001/2',
      partial: false,
    })
  })

  it('emergency, and VaR above 80 % of its limit at or above soft, fire flagged as emergencies', () => {
    assert.deepEqual(plan({ positionUsd: usd('150000') }), {
      kind: 'rebalance',
      deviation: '150000',
      direction: 'LONG_BASE',
      trigger: 'emergency',
      emergency: true,
      wanted: '135000',
      amount: '135000',
      partial: false,
    })
    assert.deepEqual(plan({ positionUsd: usd('60000'), varPctOfLimit: usd('80.01') }), {
      kind: 'rebalance',
      deviation: '60000',
      direction: 'LONG_BASE',
      trigger: 'var',
      emergency: true,
      wanted: '45000',
      amount: '45000',
      partial: false,
    })
    // At exactly 80 % it is not above; below soft VaR changes nothing.
    assert.equal(plan({ positionUsd: usd('60000'), varPctOfLimit: usd('80') }).kind, 'wait')
    assert.equal(plan({ positionUsd: usd('40000'), varPctOfLimit: usd('150') }).kind, 'none')
  })

  it('weekends and configured holidays fire a soft deviation at once', () => {
    assert.deepEqual(plan({ positionUsd: usd('50000'), nowMs: SATURDAY + 3 * HOUR }), {
      kind: 'rebalance',
      deviation: '50000',
      direction: 'LONG_BASE',
      trigger: 'weekend',
      emergency: false,
      wanted: '35000',
      amount: '35000',
      partial: false,
    })
    const holiday = { ...config, holidays: ['2026-11-24'] }
    const tuesday = Date.UTC(2026, 10, 24, 5)
    const decision = planRebalance(input({ positionUsd: usd('50000'), nowMs: tuesday }), holiday)
    assert.equal(decision.kind === 'rebalance' && decision.trigger, 'holiday')
    // The default list is empty: the same Tuesday waits.
    assert.equal(plan({ positionUsd: usd('50000'), nowMs: tuesday }).kind, 'wait')
  })

  it('an Active pool below its 40 % minimum fires below soft, when the position is beyond its residual', () => {
    const drained = { base: pool(), quote: pool('199999.99') }
    assert.deepEqual(plan({ positionUsd: usd('20000'), pools: drained }), {
      kind: 'rebalance',
      deviation: '20000',
      direction: 'LONG_BASE',
      trigger: 'deficit',
      emergency: false,
      wanted: '5000',
      amount: '5000',
      partial: false,
    })
    assert.deepEqual(plan({ positionUsd: usd('10000'), pools: drained }), {
      kind: 'none',
      deviation: '10000',
      reason:
        'an Active pool is below its minimum, but the position is within its residual: not Phase 1 flow',
    })
    // At exactly 40 % it is not below; the BASE pool is not the one a long position drains.
    assert.equal(
      plan({ positionUsd: usd('20000'), pools: { base: pool(), quote: pool('200000') } }).kind,
      'none',
    )
    assert.equal(plan({ positionUsd: usd('20000'), pools: { base: pool('1'), quote: pool() } }).kind, 'none')
  })

  it('the hour’s sweep brings a corridor below soft back once an Active pool has left its dead zone', () => {
    // USD-IDR's dead zone is 5 %: IDRX at 90.9 % of target is outside it, at 95.2 % inside.
    const outside = { base: pool(), quote: pool('454500') }
    const inside = { base: pool(), quote: pool('476000') }
    assert.deepEqual(plan({ positionUsd: usd('45000'), pools: outside, hourly: true }), {
      kind: 'rebalance',
      deviation: '45000',
      direction: 'LONG_BASE',
      trigger: 'hourly',
      emergency: false,
      wanted: '30000',
      amount: '30000',
      partial: false,
    })
    // Not the sweep (a later run in the same hour), inside the dead zone, or within the residual: nothing.
    assert.equal(plan({ positionUsd: usd('45000'), pools: outside }).kind, 'none')
    assert.equal(plan({ positionUsd: usd('45000'), pools: inside, hourly: true }).kind, 'none')
    assert.equal(plan({ positionUsd: usd('15000'), pools: outside, hourly: true }).kind, 'none')
    // At or above soft the cooldown decides, sweep or not (SPEC §8: soft waits at peak).
    assert.equal(plan({ positionUsd: usd('50000'), pools: outside, hourly: true }).kind, 'wait')
  })

  it('never takes more than the protocol Reserve (or the giving Active pool) holds', () => {
    const thinReserve = { base: pool(), quote: pool('500000', '30000') }
    assert.deepEqual(plan({ positionUsd: usd('100000'), pools: thinReserve }), {
      kind: 'rebalance',
      deviation: '100000',
      direction: 'LONG_BASE',
      trigger: 'hard',
      emergency: false,
      wanted: '85000',
      amount: '30000',
      partial: true,
    })
    const cooldown: Cooldown = { direction: 'LONG_BASE', startedAtMs: MONDAY, endsAtMs: MONDAY + HOUR }
    const empty = { base: pool(), quote: pool('500000', '0') }
    assert.deepEqual(plan({ positionUsd: usd('60000'), pools: empty, cooldown, nowMs: MONDAY + 2 * HOUR }), {
      kind: 'skipped',
      deviation: '60000',
      direction: 'LONG_BASE',
      trigger: 'cooldown_elapsed',
      emergency: false,
      wanted: '45000',
      cooldown,
    })
    // Short BASE: the BASE Reserve refills, the QUOTE Active pool gives up the position.
    const short = plan({
      positionUsd: usd('-100000'),
      pools: { base: pool('500000', '20000'), quote: pool('7000') },
    })
    assert.equal(short.amount, '7000')
    assert.equal(short.partial, true)
  })

  it('MYR-IDR has its own thresholds: soft 30,000, hard 60,000 (residual 9,000)', () => {
    assert.equal(plan({ corridor: 'MYR-IDR', positionUsd: usd('29999') }).kind, 'none')
    assert.equal(plan({ corridor: 'MYR-IDR', positionUsd: usd('30000') }).kind, 'wait')
    assert.equal(plan({ corridor: 'MYR-IDR', positionUsd: usd('60000') }).amount, '51000')
    assert.equal(plan({ corridor: 'MYR-IDR', positionUsd: usd('90000') }).trigger, 'emergency')
  })
})

/** Fiat per USD at the setMarket mids, or others given. */
function rates(idr = '16250', myr = '4.2', sgd = '1.3'): UsdRates {
  const table = { USD: r('1'), IDR: r(idr), SGD: r(sgd), MYR: r(myr) }
  return { fiatPerUsd: (fiat) => table[fiat] }
}

const plenty = { baseMinor: 10n ** 40n, quoteMinor: 10n ** 40n }

describe('rebalanceLegs: smallest units at the oracle mid, rounded in the Active pools’ favour', () => {
  it('USD-IDR $85,000 at 16,250: 85,000 USDT against 1,381,250,000 IDRX', () => {
    const legs = rebalanceLegs({
      corridor: 'USD-IDR',
      direction: 'LONG_BASE',
      amountUsd: usd('85000'),
      rates: rates(),
      available: plenty,
    })
    assert.deepEqual(legs, {
      baseMinor: 85_000_000_000n,
      quoteMinor: 138_125_000_000n,
      rate: r('16250'),
      capped: false,
    })
  })

  it('QUOTE rounds up when Active receives it, down when Active pays it', () => {
    const one = (direction: 'LONG_BASE' | 'SHORT_BASE') =>
      rebalanceLegs({
        corridor: 'USD-IDR',
        direction,
        amountUsd: usd('1'),
        rates: rates('16250.123'),
        available: plenty,
      })
    // 1 USDT × 16,250.123 = 1,625,012.3 IDRX-minor.
    assert.equal(one('LONG_BASE')?.quoteMinor, 1_625_013n)
    assert.equal(one('SHORT_BASE')?.quoteMinor, 1_625_012n)
    // BASE is the size, rounded down from USD: $0.0000009 moves nothing.
    assert.equal(
      rebalanceLegs({
        corridor: 'USD-IDR',
        direction: 'LONG_BASE',
        amountUsd: usd('0.0000009'),
        rates: rates(),
        available: plenty,
      }),
      undefined,
    )
  })

  it('a Reserve short of QUOTE caps both legs so the QUOTE fits', () => {
    // The Reserve holds 1,000,000 IDRX: floor(1,000,000 / 16,250) = 61.538461 USDT, whose QUOTE
    // rounds up to exactly 1,000,000.00 IDRX (99,999,999.125 minor → 100,000,000).
    assert.deepEqual(
      rebalanceLegs({
        corridor: 'USD-IDR',
        direction: 'LONG_BASE',
        amountUsd: usd('100000'),
        rates: rates(),
        available: { baseMinor: 10n ** 20n, quoteMinor: 100_000_000n },
      }),
      { baseMinor: 61_538_461n, quoteMinor: 100_000_000n, rate: r('16250'), capped: true },
    )
    assert.equal(
      rebalanceLegs({
        corridor: 'USD-IDR',
        direction: 'LONG_BASE',
        amountUsd: usd('100000'),
        rates: rates(),
        available: { baseMinor: 10n ** 20n, quoteMinor: 0n },
      }),
      undefined,
    )
  })

  it('MYR-IDR moves at the USD cross: $42,000 = 176,400 MYRC against 682,500,000 IDRX', () => {
    assert.deepEqual(
      rebalanceLegs({
        corridor: 'MYR-IDR',
        direction: 'SHORT_BASE',
        amountUsd: usd('42000'),
        rates: rates(),
        available: plenty,
      }),
      {
        baseMinor: 176_400n * 10n ** 18n,
        quoteMinor: 68_250_000_000n,
        rate: ratio(16250n * 10n, 42n),
        capped: false,
      },
    )
  })
})

const cents = (min: number, max: number) => fc.integer({ min, max }).map((c) => ratio(BigInt(c), 100n))
const poolArb: fc.Arbitrary<PoolSnapshot> = fc.record({
  activeUsd: cents(0, 150_000_000),
  activeTargetUsd: fc.constant(usd('500000')),
  activeMinPct: fc.constant(40n),
  reserveUsd: cents(0, 300_000_000),
})
const corridorArb = fc.constantFrom<CorridorId>('USD-IDR', 'USD-SGD', 'MYR-IDR')
const nowArb = fc.integer({ min: MONDAY, max: MONDAY + 14 * 24 * HOUR })
const cooldownArb: fc.Arbitrary<Cooldown | undefined> = fc.option(
  fc.record({
    direction: fc.constantFrom('LONG_BASE' as const, 'SHORT_BASE' as const),
    startedAtMs: fc.integer({ min: MONDAY - 4 * HOUR, max: MONDAY + 14 * 24 * HOUR }),
    endsAtMs: fc.integer({ min: MONDAY, max: MONDAY + 15 * 24 * HOUR }),
  }),
  { nil: undefined },
)
const planInputArb: fc.Arbitrary<PlanInput> = fc.record({
  corridor: corridorArb,
  nowMs: nowArb,
  positionUsd: cents(-40_000_000, 40_000_000),
  pools: fc.record({ base: poolArb, quote: poolArb }),
  cooldown: cooldownArb,
  varPctOfLimit: fc.option(cents(0, 20_000), { nil: undefined }),
  hourly: fc.boolean(),
})

const soft = (corridor: CorridorId) => ratio(config.corridors[corridor].softUsd)
const residual = (corridor: CorridorId) => mul(soft(corridor), config.residualFactor)
const drains = (i: PlanInput) => (i.positionUsd.num > 0n ? i.pools.quote : i.pools.base)
const belowMin = (p: PoolSnapshot) => cmp(p.activeUsd, mul(p.activeTargetUsd, r('0.4'))) < 0

describe('planRebalance properties', () => {
  it('a rebalance moves a positive amount, never more than the deviation or than capital allows', () => {
    fc.assert(
      fc.property(planInputArb, (i) => {
        const d = planRebalance(i, config)
        if (d.kind !== 'rebalance') return true
        const capacity =
          d.direction === 'LONG_BASE'
            ? [i.pools.base.activeUsd, i.pools.quote.reserveUsd]
            : [i.pools.quote.activeUsd, i.pools.base.reserveUsd]
        return (
          cmp(d.amountUsd, r('0')) > 0 &&
          cmp(d.amountUsd, abs(i.positionUsd)) <= 0 &&
          capacity.every((c) => cmp(d.amountUsd, c) <= 0) &&
          d.partial === cmp(d.amountUsd, d.wantedUsd) < 0
        )
      }),
      { numRuns: 2_000 },
    )
  })

  it('below soft, with the drained Active pool at or above its minimum, only the hour’s sweep fires', () => {
    fc.assert(
      fc.property(planInputArb, (i) => {
        fc.pre(cmp(abs(i.positionUsd), soft(i.corridor)) < 0 && !belowMin(drains(i)))
        const d = planRebalance(i, config)
        if (
          i.hourly &&
          cmp(abs(i.positionUsd), residual(i.corridor)) > 0 &&
          outsideDeadZone(i.corridor, i.pools)
        )
          return d.kind !== 'none' && d.kind !== 'wait' && d.trigger === 'hourly'
        return d.kind === 'none' && d.cooldown === undefined
      }),
      { numRuns: 2_000 },
    )
  })

  it('when capital allows, a rebalance leaves exactly soft × 0.3', () => {
    fc.assert(
      fc.property(planInputArb, (i) => {
        const d = planRebalance(i, config)
        fc.pre(d.kind === 'rebalance' && !d.partial)
        if (d.kind !== 'rebalance') return true
        return cmp(sub(abs(i.positionUsd), d.amountUsd), residual(i.corridor)) === 0
      }),
      { numRuns: 2_000 },
    )
  })

  it('at or above hard it never waits', () => {
    fc.assert(
      fc.property(planInputArb, (i) => {
        fc.pre(cmp(abs(i.positionUsd), ratio(config.corridors[i.corridor].hardUsd)) >= 0)
        const kind = planRebalance(i, config).kind
        return kind === 'rebalance' || kind === 'skipped'
      }),
      { numRuns: 1_000 },
    )
  })
})

describe('rebalanceLegs properties', () => {
  const legsArb = fc.record({
    corridor: corridorArb,
    direction: fc.constantFrom('LONG_BASE' as const, 'SHORT_BASE' as const),
    amountUsd: cents(1, 50_000_000),
    idr: fc.integer({ min: 14_000_0000, max: 18_000_0000 }).map((n) => ratio(BigInt(n), 10_000n)),
    available: fc.record({
      baseMinor: fc.bigInt({ min: 0n, max: 10n ** 30n }),
      quoteMinor: fc.bigInt({ min: 0n, max: 10n ** 16n }),
    }),
  })

  it('never exceed the amount or what is available; QUOTE is within one unit of BASE × mid, on Active’s side', () => {
    fc.assert(
      fc.property(legsArb, ({ corridor, direction, amountUsd, idr, available }) => {
        const table = { USD: r('1'), IDR: idr, SGD: r('1.3'), MYR: r('4.2') }
        const usdRates: UsdRates = { fiatPerUsd: (fiat) => table[fiat] }
        const legs = rebalanceLegs({ corridor, direction, amountUsd, rates: usdRates, available })
        if (legs === undefined) return true
        const decimals = { 'USD-IDR': [6, 2], 'USD-SGD': [6, 6], 'MYR-IDR': [18, 2] }[corridor] as [
          number,
          number,
        ]
        const exactQuote = mul(
          mul(ratio(legs.baseMinor, 10n ** BigInt(decimals[0])), legs.rate),
          ratio(10n ** BigInt(decimals[1])),
        )
        const gap = sub(ratio(legs.quoteMinor), exactQuote)
        const favoursActive = direction === 'LONG_BASE' ? cmp(gap, r('0')) >= 0 : cmp(gap, r('0')) <= 0
        const baseFiat = corridor === 'MYR-IDR' ? table.MYR : table.USD
        const baseUsd = mul(
          ratio(legs.baseMinor, 10n ** BigInt(decimals[0])),
          ratio(baseFiat.den, baseFiat.num),
        )
        return (
          legs.baseMinor <= available.baseMinor &&
          legs.quoteMinor <= available.quoteMinor &&
          cmp(baseUsd, amountUsd) <= 0 &&
          cmp(abs(gap), r('1')) < 0 &&
          favoursActive
        )
      }),
      { numRuns: 2_000 },
    )
  })
})
