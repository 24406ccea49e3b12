import type { CorridorId } from '../../config/corridors.ts'
import type { RiskConfig } from '../../config/risk.ts'
import { add, cmp, div, mul, percent, type Ratio, ratio, sub, ZERO } from '../../money/ratio.ts'
import { mostSevere, type RiskState, type SignalResult } from '../states.ts'
import { showPct, showUsd } from '../text.ts'

/**
 * SPEC §6.2 system exposure, with the figures the reserve risk status shows
 * (SPEC §13). The shell gathers the inputs: gross exposure is inventory units
 * × oracle mid and includes live firm quotes until they expire or execute.
 */
export type CorridorExposureInput = {
  readonly corridor: CorridorId
  readonly grossExposureUsd: Ratio
  readonly reserveCapacityUsd: Ratio
  /** One-day volatility σ of the corridor's mid, a fraction (0.006 = 0.6 %). */
  readonly volatility1d: Ratio
}

export type ExposureInput = {
  readonly corridors: readonly CorridorExposureInput[]
  readonly reserveCapitalUsd: Ratio
}

export type CorridorExposure = {
  readonly corridor: CorridorId
  readonly grossExposureUsd: Ratio
  /** Undefined when the corridor has no reserve capacity. */
  readonly exposurePctOfCapacity: Ratio | undefined
  /** SPEC §13 `var_1d_usd`: exposure × z(95 %) × σ, before the diversification discount. */
  readonly var1dUsd: Ratio
  readonly stressVar1dUsd: Ratio
  /** SPEC §13 `var_pct_of_capital`; undefined when there is no reserve capital. */
  readonly varPctOfCapital: Ratio | undefined
  /** SPEC §13 `concentration_pct`: share of total gross exposure, 0 when there is none. */
  readonly concentrationPct: Ratio
  readonly result: SignalResult
}

export type ExposureAssessment = {
  readonly totalGrossExposureUsd: Ratio
  /** SPEC §13 `portfolio_var_usd`: Σ corridor VaR × (1 − discount). */
  readonly portfolioVarUsd: Ratio
  readonly portfolioStressVarUsd: Ratio
  /** SPEC §13 `portfolio_var_pct`; undefined when there is no reserve capital. */
  readonly portfolioVarPct: Ratio | undefined
  /** The portfolio VaR condition alone; it applies to every corridor. */
  readonly portfolioState: RiskState
  readonly corridors: readonly CorridorExposure[]
}

type Condition = { readonly state: RiskState; readonly reason: string }

const HUNDRED = ratio(100n)

/** SPEC §6.2: a corridor's one-day VaR at quantile z is exposure × z × σ; no square root is needed. */
function varUsd(input: CorridorExposureInput, z: Ratio): Ratio {
  return mul(mul(input.grossExposureUsd, z), input.volatility1d)
}

function checkInput(input: CorridorExposureInput) {
  // Gross exposure and σ are magnitudes; a negative one is a bug in whoever measured it.
  if (cmp(input.grossExposureUsd, ZERO) < 0)
    throw new RangeError(`${input.corridor} gross exposure is negative`)
  if (cmp(input.volatility1d, ZERO) < 0) throw new RangeError(`${input.corridor} volatility is negative`)
}

/** part as a percentage of whole; undefined for an empty whole. */
function pctOf(part: Ratio, whole: Ratio): Ratio | undefined {
  return cmp(whole, ZERO) > 0 ? mul(div(part, whole), HUNDRED) : undefined
}

/**
 * "At x % of whole": value ≥ x % × whole, for a positive value only, so an
 * empty position never trips a limit, while a position against zero capacity
 * or capital always does (there is nothing to absorb it).
 */
function reaches(value: Ratio, whole: Ratio, pct: Ratio): boolean {
  return cmp(value, ZERO) > 0 && cmp(value, mul(whole, percent(pct))) >= 0
}

/** Warn → PROTECT, breach → RESTRICT, the shape every exposure limit of SPEC §6.2 has. */
function graded(value: Ratio, whole: Ratio, warnPct: Ratio, breachPct: Ratio, what: string): Condition {
  if (reaches(value, whole, breachPct))
    return { state: 'RESTRICT', reason: `${what} at or above the ${showPct(breachPct)} breach level` }
  if (reaches(value, whole, warnPct))
    return { state: 'PROTECT', reason: `${what} at or above the ${showPct(warnPct)} warning level` }
  return { state: 'NORMAL', reason: `${what} below the ${showPct(warnPct)} warning level` }
}

function portfolioCondition(varUsd: Ratio, capitalUsd: Ratio, config: RiskConfig): Condition {
  const e = config.exposure
  const what = `portfolio VaR ${showUsd(varUsd)} of reserve capital ${showUsd(capitalUsd)}`
  return graded(varUsd, capitalUsd, e.varWarnAtPctOfCapital, e.varBreachAtPctOfCapital, what)
}

/**
 * Concentration is a warning (SPEC §6.2 gives it no breach level), read as
 * PROTECT like the other warnings, and only once the book is material
 * (config `concentrationFloorPctOfCapital`).
 */
function concentrationCondition(
  concentrationPct: Ratio,
  totalUsd: Ratio,
  capitalUsd: Ratio,
  config: RiskConfig,
): Condition {
  const e = config.exposure
  const what = `${showPct(concentrationPct)} of gross exposure in this corridor`
  const material = cmp(totalUsd, mul(capitalUsd, percent(e.concentrationFloorPctOfCapital))) >= 0
  if (cmp(totalUsd, ZERO) > 0 && material && cmp(concentrationPct, e.concentrationWarnAtPct) >= 0) {
    return {
      state: 'PROTECT',
      reason: `${what}, at or above the ${showPct(e.concentrationWarnAtPct)} warning level`,
    }
  }
  return { state: 'NORMAL', reason: `${what}` }
}

/** The signal keeps the reasons of every condition at its final state, so operators see all of them. */
function combine(conditions: readonly Condition[]): SignalResult {
  const state = mostSevere(conditions.map((c) => c.state))
  const reason = conditions
    .filter((c) => c.state === state)
    .map((c) => c.reason)
    .join('; ')
  return { signal: 'exposure', state, reason }
}

function assessCorridor(
  input: CorridorExposureInput,
  totalUsd: Ratio,
  capitalUsd: Ratio,
  portfolio: Condition,
  config: RiskConfig,
): CorridorExposure {
  const e = config.exposure
  const var1dUsd = varUsd(input, e.varZ)
  const concentrationPct = pctOf(input.grossExposureUsd, totalUsd) ?? ZERO
  const capacity = graded(
    input.grossExposureUsd,
    input.reserveCapacityUsd,
    e.warnAtPctOfCapacity,
    e.breachAtPctOfCapacity,
    `gross exposure ${showUsd(input.grossExposureUsd)} of reserve capacity ${showUsd(input.reserveCapacityUsd)}`,
  )
  const concentration = concentrationCondition(concentrationPct, totalUsd, capitalUsd, config)
  return {
    corridor: input.corridor,
    grossExposureUsd: input.grossExposureUsd,
    exposurePctOfCapacity: pctOf(input.grossExposureUsd, input.reserveCapacityUsd),
    var1dUsd,
    stressVar1dUsd: varUsd(input, e.stressVarZ),
    varPctOfCapital: pctOf(var1dUsd, capitalUsd),
    concentrationPct,
    result: combine([capacity, portfolio, concentration]),
  }
}

/**
 * SPEC §6.2: corridor VaR_c = exposure × 1.645 × σ_1d; portfolio VaR =
 * Σ VaR_c × (1 − 15 %). Portfolio VaR warn (5 % of reserve capital) →
 * PROTECT, breach (10 %) → RESTRICT, for every corridor: any new trade can
 * add to it. Gross exposure against the corridor's reserve capacity
 * (70 % / 90 %) and concentration apply to their own corridor. Exposure names
 * no direction: which side reduces it depends on the reserve's position, and
 * the inventory signal already names the imbalance-reducing side.
 */
export function assessExposure(input: ExposureInput, config: RiskConfig): ExposureAssessment {
  const e = config.exposure
  const keep = sub(ratio(1n), percent(e.diversificationDiscountPct))
  let totalUsd = ZERO
  let varSumUsd = ZERO
  let stressSumUsd = ZERO
  for (const c of input.corridors) {
    checkInput(c)
    totalUsd = add(totalUsd, c.grossExposureUsd)
    varSumUsd = add(varSumUsd, varUsd(c, e.varZ))
    stressSumUsd = add(stressSumUsd, varUsd(c, e.stressVarZ))
  }
  const portfolioVarUsd = mul(varSumUsd, keep)
  const portfolio = portfolioCondition(portfolioVarUsd, input.reserveCapitalUsd, config)
  return {
    totalGrossExposureUsd: totalUsd,
    portfolioVarUsd,
    portfolioStressVarUsd: mul(stressSumUsd, keep),
    portfolioVarPct: pctOf(portfolioVarUsd, input.reserveCapitalUsd),
    portfolioState: portfolio.state,
    corridors: input.corridors.map((c) =>
      assessCorridor(c, totalUsd, input.reserveCapitalUsd, portfolio, config),
    ),
  }
}
