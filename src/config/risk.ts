import { cmp, type Ratio, r, ratio, ZERO } from '../money/ratio.ts'
import { ASSET_CODES, type AssetCode } from './assets.ts'
import { CORRIDOR_IDS, CORRIDORS, type CorridorId } from './corridors.ts'
import { POOLS } from './pools.ts'

/**
 * Every threshold of the risk engine (SPEC §6, with the state multipliers and
 * max internal size of SPEC §5) in one typed object. Percentages are exact
 * ratios written in percent (`r('0.05')` is 0.05 %), times are integer
 * milliseconds. The SPEC values are the defaults; `validateRiskConfig` is run
 * once at start so that a bad override stops the server instead of silently
 * weakening a circuit breaker. The SPEC §6.2 oracle limits are not here: the
 * oracle owns them (oracle/pairs.ts), and the risk engine reads its verdict.
 *
 * Boundaries (which side of a threshold a value equal to it falls on) follow
 * the SPEC wording and are named in the field: `...AtPct` means "at or above",
 * `...AbovePct` / `...BeyondPct` mean "strictly above", `...BelowPct` means
 * "strictly below".
 */

export type RiskConfig = {
  readonly volatility: {
    /** SPEC §6.2 says a 5–15 minute window; §5 fixes the add-on at 5 minutes, and one window serves both. */
    readonly windowMs: number
    /** |mid move| ≥ this → PROTECT (SPEC: "< 0.05% NORMAL"). */
    readonly protectAtPct: Ratio
    /** |mid move| ≥ this → RESTRICT (the 0.15–0.30 band includes its lower end). */
    readonly restrictAtPct: Ratio
    /** |mid move| > this → HALT (SPEC: "> 0.30% HALT"; exactly 0.30 % stays RESTRICT). */
    readonly haltAbovePct: Ratio
  }
  readonly inventory: {
    /** SPEC §5: |IR| at or inside the dead zone is NORMAL. From the corridor table. */
    readonly deadZonePct: Readonly<Record<CorridorId, Ratio>>
    /** SPEC §5: |IR| strictly beyond this → RESTRICT; between the dead zone and this → PROTECT. */
    readonly restrictBeyondPct: Ratio
    /** SPEC §2.2 / §6.2: an Active pool strictly below this share of its target → RESTRICT towards refilling. */
    readonly activeMinPct: Readonly<Record<AssetCode, Ratio>>
    /**
     * SPEC §6.2 [ours], §15: an Active pool strictly below this share of its target halts the
     * direction that depletes it (the corridor shows RESTRICT towards refilling); both pools of a
     * corridor below it → HALT.
     */
    readonly haltBelowPct: Ratio
  }
  readonly exposure: {
    /** SPEC §6.2: gross exposure at or above this share of the corridor's reserve capacity → PROTECT. */
    readonly warnAtPctOfCapacity: Ratio
    /** ... and at or above this → RESTRICT. */
    readonly breachAtPctOfCapacity: Ratio
    /** SPEC §6.2: one-sided 95 % quantile of the normal distribution. */
    readonly varZ: Ratio
    /** SPEC §6.2: the 99 % stress quantile, reported beside VaR (it drives no state). */
    readonly stressVarZ: Ratio
    /** SPEC §6.2: portfolio VaR = Σ corridor VaR × (1 − discount). */
    readonly diversificationDiscountPct: Ratio
    /** SPEC §6.2: portfolio VaR at or above this share of reserve capital → PROTECT. */
    readonly varWarnAtPctOfCapital: Ratio
    /** ... and at or above this → RESTRICT. */
    readonly varBreachAtPctOfCapital: Ratio
    /** SPEC §6.2: one corridor holding at least this share of total gross exposure → PROTECT. */
    readonly concentrationWarnAtPct: Ratio
    /**
     * [ours] The concentration warning counts only once total gross exposure is
     * at least this share of reserve capital: otherwise the very first trade of
     * the day is "100 % concentrated" and would hold the corridor in PROTECT.
     * Zero gives the SPEC's unconditional reading.
     */
    readonly concentrationFloorPctOfCapital: Ratio
    /** SPEC §6.2: exposure is also re-evaluated on this timer. */
    readonly evaluationIntervalMs: number
  }
  readonly recovery: {
    /** SPEC §6.3: recovery is evaluated on this timer (and on operator request). */
    readonly intervalMs: number
  }
  /** SPEC §5 state multipliers [ours]. RESTRICT puts every add-on at its cap instead of scaling it. */
  readonly stateResponse: {
    readonly protect: { readonly addOnFactor: Ratio; readonly maxSizeFactor: Ratio }
    readonly restrict: { readonly maxSizeFactor: Ratio }
  }
  /** SPEC §5 [ours]: NORMAL max internal size = min(capUsd, pct of the destination Active balance). */
  readonly maxInternalSize: {
    readonly capUsd: Ratio
    readonly pctOfDestinationActive: Ratio
  }
}

function deadZonesFromCorridors(): Record<CorridorId, Ratio> {
  const zones = {} as Record<CorridorId, Ratio>
  for (const id of CORRIDOR_IDS) zones[id] = r(CORRIDORS[id].skewDeadZonePct)
  return zones
}

function activeMinsFromPools(): Record<AssetCode, Ratio> {
  const mins = {} as Record<AssetCode, Ratio>
  for (const code of ASSET_CODES) mins[code] = ratio(POOLS[code].ACTIVE.minPct)
  return mins
}

const FIVE_MINUTES_MS = 5 * 60 * 1000

export const DEFAULT_RISK_CONFIG: RiskConfig = {
  volatility: {
    windowMs: FIVE_MINUTES_MS,
    protectAtPct: r('0.05'),
    restrictAtPct: r('0.15'),
    haltAbovePct: r('0.30'),
  },
  inventory: {
    deadZonePct: deadZonesFromCorridors(),
    restrictBeyondPct: r('25'),
    activeMinPct: activeMinsFromPools(),
    haltBelowPct: r('20'),
  },
  exposure: {
    warnAtPctOfCapacity: r('70'),
    breachAtPctOfCapacity: r('90'),
    varZ: r('1.645'),
    stressVarZ: r('2.326'),
    diversificationDiscountPct: r('15'),
    varWarnAtPctOfCapital: r('5'),
    varBreachAtPctOfCapital: r('10'),
    concentrationWarnAtPct: r('50'),
    concentrationFloorPctOfCapital: r('10'),
    evaluationIntervalMs: FIVE_MINUTES_MS,
  },
  recovery: { intervalMs: FIVE_MINUTES_MS },
  stateResponse: {
    protect: { addOnFactor: r('1.5'), maxSizeFactor: r('0.5') },
    restrict: { maxSizeFactor: r('0.25') },
  },
  maxInternalSize: { capUsd: r('200000'), pctOfDestinationActive: r('10') },
}

const HUNDRED = ratio(100n)
const ONE = ratio(1n)

/** Adds a problem unless low < value ≤ high (or low ≤ value when `lowInclusive`). */
function checkRange(
  problems: string[],
  name: string,
  value: Ratio,
  low: Ratio,
  high: Ratio,
  lowInclusive = false,
) {
  const aboveLow = lowInclusive ? cmp(value, low) >= 0 : cmp(value, low) > 0
  if (!aboveLow || cmp(value, high) > 0) {
    problems.push(
      `${name} must be ${lowInclusive ? 'at least' : 'above'} ${show(low)} and at most ${show(high)}`,
    )
  }
}

function checkIncreasing(problems: string[], names: readonly string[], values: readonly Ratio[]) {
  for (let i = 1; i < values.length; i++) {
    if (cmp(values[i - 1]!, values[i]!) >= 0) problems.push(`${names[i - 1]} must be below ${names[i]}`)
  }
}

function checkMs(problems: string[], name: string, ms: number) {
  if (!Number.isSafeInteger(ms) || ms <= 0) problems.push(`${name} must be a positive whole number of ms`)
}

function show(value: Ratio): string {
  return value.den === 1n ? value.num.toString() : `${value.num}/${value.den}`
}

function validateVolatility(config: RiskConfig, problems: string[]) {
  const v = config.volatility
  checkMs(problems, 'volatility.windowMs', v.windowMs)
  checkRange(problems, 'volatility.protectAtPct', v.protectAtPct, ZERO, HUNDRED)
  checkRange(problems, 'volatility.haltAbovePct', v.haltAbovePct, ZERO, HUNDRED)
  checkIncreasing(
    problems,
    ['volatility.protectAtPct', 'volatility.restrictAtPct', 'volatility.haltAbovePct'],
    [v.protectAtPct, v.restrictAtPct, v.haltAbovePct],
  )
}

function validateInventory(config: RiskConfig, problems: string[]) {
  const inv = config.inventory
  checkRange(problems, 'inventory.restrictBeyondPct', inv.restrictBeyondPct, ZERO, HUNDRED)
  for (const id of CORRIDOR_IDS) {
    checkRange(problems, `inventory.deadZonePct.${id}`, inv.deadZonePct[id], ZERO, HUNDRED, true)
    checkIncreasing(
      problems,
      [`inventory.deadZonePct.${id}`, 'inventory.restrictBeyondPct'],
      [inv.deadZonePct[id], inv.restrictBeyondPct],
    )
  }
  checkRange(problems, 'inventory.haltBelowPct', inv.haltBelowPct, ZERO, HUNDRED)
  for (const code of ASSET_CODES) {
    checkRange(problems, `inventory.activeMinPct.${code}`, inv.activeMinPct[code], ZERO, HUNDRED)
    checkIncreasing(
      problems,
      ['inventory.haltBelowPct', `inventory.activeMinPct.${code}`],
      [inv.haltBelowPct, inv.activeMinPct[code]],
    )
  }
}

function validateExposure(config: RiskConfig, problems: string[]) {
  const e = config.exposure
  checkRange(problems, 'exposure.breachAtPctOfCapacity', e.breachAtPctOfCapacity, ZERO, HUNDRED)
  checkRange(problems, 'exposure.warnAtPctOfCapacity', e.warnAtPctOfCapacity, ZERO, HUNDRED)
  checkIncreasing(
    problems,
    ['exposure.warnAtPctOfCapacity', 'exposure.breachAtPctOfCapacity'],
    [e.warnAtPctOfCapacity, e.breachAtPctOfCapacity],
  )
  if (cmp(e.varZ, ZERO) <= 0) problems.push('exposure.varZ must be positive')
  if (cmp(e.stressVarZ, e.varZ) < 0) problems.push('exposure.stressVarZ must be at least exposure.varZ')
  checkRange(
    problems,
    'exposure.diversificationDiscountPct',
    e.diversificationDiscountPct,
    ZERO,
    HUNDRED,
    true,
  )
  if (cmp(e.diversificationDiscountPct, HUNDRED) === 0) {
    problems.push('exposure.diversificationDiscountPct must be below 100')
  }
  checkRange(problems, 'exposure.varWarnAtPctOfCapital', e.varWarnAtPctOfCapital, ZERO, HUNDRED)
  checkRange(problems, 'exposure.varBreachAtPctOfCapital', e.varBreachAtPctOfCapital, ZERO, HUNDRED)
  checkIncreasing(
    problems,
    ['exposure.varWarnAtPctOfCapital', 'exposure.varBreachAtPctOfCapital'],
    [e.varWarnAtPctOfCapital, e.varBreachAtPctOfCapital],
  )
  checkRange(problems, 'exposure.concentrationWarnAtPct', e.concentrationWarnAtPct, ZERO, HUNDRED)
  checkRange(
    problems,
    'exposure.concentrationFloorPctOfCapital',
    e.concentrationFloorPctOfCapital,
    ZERO,
    HUNDRED,
    true,
  )
  checkMs(problems, 'exposure.evaluationIntervalMs', e.evaluationIntervalMs)
}

function validateResponse(config: RiskConfig, problems: string[]) {
  const { protect, restrict } = config.stateResponse
  // Spreads must not narrow and sizes must not grow as the state worsens (SPEC §6.1).
  if (cmp(protect.addOnFactor, ONE) < 0) problems.push('stateResponse.protect.addOnFactor must be at least 1')
  checkRange(problems, 'stateResponse.protect.maxSizeFactor', protect.maxSizeFactor, ZERO, ONE)
  checkRange(problems, 'stateResponse.restrict.maxSizeFactor', restrict.maxSizeFactor, ZERO, ONE)
  if (cmp(restrict.maxSizeFactor, protect.maxSizeFactor) > 0) {
    problems.push('stateResponse.restrict.maxSizeFactor must be at most stateResponse.protect.maxSizeFactor')
  }
  if (cmp(config.maxInternalSize.capUsd, ZERO) <= 0) problems.push('maxInternalSize.capUsd must be positive')
  checkRange(
    problems,
    'maxInternalSize.pctOfDestinationActive',
    config.maxInternalSize.pctOfDestinationActive,
    ZERO,
    HUNDRED,
  )
  checkMs(problems, 'recovery.intervalMs', config.recovery.intervalMs)
}

/** Every problem found, one line each; an empty list means the configuration is usable. */
export function validateRiskConfig(config: RiskConfig): string[] {
  const problems: string[] = []
  validateVolatility(config, problems)
  validateInventory(config, problems)
  validateExposure(config, problems)
  validateResponse(config, problems)
  return problems
}
