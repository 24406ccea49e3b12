import type { OracleLimit, RiskConfig } from '../../config/risk.ts'
import { abs, cmp, mul, percent, type Ratio } from '../../money/ratio.ts'
import type { SignalResult } from '../states.ts'
import { msRatio, showPct } from '../text.ts'

/**
 * SPEC §6.2 oracle health. The oracle module aggregates the sources; the risk
 * engine only needs to know whether the result is usable and whether it is
 * close to not being usable.
 */
export type OracleStatus = 'OK' | 'STALE' | 'DEVIATION'

export type OracleReading = {
  readonly status: OracleStatus
  /** Age at or above the near-threshold share of the max age (SPEC §6.2 [ours]: 80 %). */
  readonly nearStale: boolean
  /** Source gap at or above the near-threshold share of the max deviation. */
  readonly nearDeviation: boolean
  /** Optional figures for the reason text, e.g. "age 17000 ms (max 20000 ms)". */
  readonly detail?: string
}

/** What the oracle module observed for one pair at evaluation time. */
export type OracleObservation = {
  /** Now minus the timestamp of the aggregated price, in ms. */
  readonly ageMs: number
  /** Gap between the two primary sources, in percent of the mid. */
  readonly deviationPct: Ratio
  /** SPEC §6.2: the web2 reference settles a deviation between the two primaries. */
  readonly tieBreakerUsable: boolean
}

/**
 * Classifies an observation against its pair's limits. Stale means strictly
 * older than the max age (a price exactly at the max age is still usable),
 * a deviation breach means strictly above the max deviation, "near" means at
 * or above 80 % of the limit. A deviation breach that the tie-breaker settles
 * is not a HALT (SPEC: "with no usable tie-breaker") but is reported as near
 * deviation, so the corridor is at least PROTECT while the sources disagree.
 * Staleness wins over deviation: a stale price is unusable whatever the gap.
 */
export function readOracle(
  observation: OracleObservation,
  limit: OracleLimit,
  config: RiskConfig,
): OracleReading {
  const near = percent(config.oracle.nearThresholdAtPct)
  const age = msRatio(observation.ageMs)
  const maxAge = msRatio(limit.maxAgeMs)
  const deviation = abs(observation.deviationPct)
  const stale = cmp(age, maxAge) > 0
  const breach = cmp(deviation, limit.maxDeviationPct) > 0
  const status: OracleStatus = stale ? 'STALE' : breach && !observation.tieBreakerUsable ? 'DEVIATION' : 'OK'
  return {
    status,
    nearStale: cmp(age, mul(maxAge, near)) >= 0,
    nearDeviation: cmp(deviation, mul(limit.maxDeviationPct, near)) >= 0,
    detail:
      `age ${observation.ageMs} ms (max ${limit.maxAgeMs} ms), ` +
      `deviation ${showPct(deviation)} (max ${showPct(limit.maxDeviationPct)})` +
      (breach && observation.tieBreakerUsable ? ', settled by the tie-breaker' : ''),
  }
}

/** SPEC §6.2: stale or unresolved deviation → HALT (no quotes); near either limit → PROTECT. */
export function oracleSignal(reading: OracleReading): SignalResult {
  const detail = reading.detail === undefined ? '' : `: ${reading.detail}`
  if (reading.status === 'STALE')
    return { signal: 'oracle', state: 'HALT', reason: `oracle price stale${detail}` }
  if (reading.status === 'DEVIATION') {
    return { signal: 'oracle', state: 'HALT', reason: `oracle sources deviate beyond the limit${detail}` }
  }
  if (reading.nearStale || reading.nearDeviation) {
    const which =
      reading.nearStale && reading.nearDeviation
        ? 'age and deviation'
        : reading.nearStale
          ? 'age'
          : 'deviation'
    return { signal: 'oracle', state: 'PROTECT', reason: `oracle ${which} near the limit${detail}` }
  }
  return { signal: 'oracle', state: 'NORMAL', reason: `oracle healthy${detail}` }
}
