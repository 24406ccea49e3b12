import { abs, add, cmp, div, min, mul, type Ratio, ratio, sub, ZERO } from '../money/ratio.ts'
import { NEAR_THRESHOLD_FRACTION, ORACLE_PAIR_CONFIG, type OraclePair, type OracleSource } from './pairs.ts'

/** One source's latest price for a pair and when the source observed it. */
export type Observation = { readonly price: Ratio; readonly atMs: number }
export type Observations = Partial<Record<OracleSource, Observation>>

/** SPEC §4 L5: OK, or the reason a quote is refused (ORACLE_STALE / ORACLE_DEVIATION). */
export type OracleStatus = 'OK' | 'STALE' | 'DEVIATION'

export type OracleReading = {
  readonly pair: OraclePair
  readonly status: OracleStatus
  /** Present exactly when the status is OK. */
  readonly mid?: Ratio
  /**
   * OK or DEVIATION: the age of the oldest primary the reading rests on.
   * STALE: the age of the older primary (so it is above the max age), or null
   * when a primary has never reported.
   */
  readonly ageMs: number | null
  /** Relative gap between the two primaries, |a − b| / min(a, b); 0 unless both are fresh. */
  readonly deviation: Ratio
  /** SPEC §6.2 [ours]: at or beyond 80% of the max age (always true when STALE). */
  readonly nearStale: boolean
  /** SPEC §6.2 [ours]: at or beyond 80% of the max deviation. */
  readonly nearDeviation: boolean
  /** The reference decided which primary to trust (SPEC §6.2 tie-breaker). */
  readonly tieBreak: boolean
  /** The sources the mid rests on, plus the reference when it broke a tie; empty without a mid. */
  readonly sources: readonly OracleSource[]
}

type Fresh = { readonly source: OracleSource; readonly price: Ratio; readonly ageMs: number }

const HALF = ratio(1n, 2n)

/** |x − y| / min(x, y): symmetric, and never smaller than the gap seen from either side. */
export function relativeDeviation(x: Ratio, y: Ratio): Ratio {
  return div(abs(sub(x, y)), min(x, y))
}

/** A clock never runs backwards on purpose; a timestamp slightly ahead of `now` counts as brand new. */
function ageOf(observation: Observation, nowMs: number): number {
  return Math.max(0, nowMs - observation.atMs)
}

function freshObservation(
  source: OracleSource,
  observation: Observation | undefined,
  nowMs: number,
  maxAgeMs: number,
): Fresh | undefined {
  if (observation === undefined) return undefined
  const ageMs = ageOf(observation, nowMs)
  // SPEC §6.2: fresh up to and including the max age.
  return ageMs <= maxAgeMs ? { source, price: observation.price, ageMs } : undefined
}

function atLeastNear(value: Ratio, threshold: Ratio): boolean {
  return cmp(value, mul(threshold, NEAR_THRESHOLD_FRACTION)) >= 0
}

type Outcome = Pick<OracleReading, 'status' | 'mid' | 'ageMs' | 'deviation' | 'tieBreak' | 'sources'>

/**
 * SPEC §6.2 oracle health, as a pure function of the latest observation per
 * source and the time. The caller supplies `nowMs` from the environment's
 * clock, so the sandbox's test clock ages prices like real time does live.
 */
export function aggregate(pair: OraclePair, observations: Observations, nowMs: number): OracleReading {
  const { maxAgeMs, maxDeviation } = ORACLE_PAIR_CONFIG[pair]
  const a = freshObservation('primary_a', observations.primary_a, nowMs, maxAgeMs)
  const b = freshObservation('primary_b', observations.primary_b, nowMs, maxAgeMs)
  const reference = freshObservation('reference', observations.reference, nowMs, maxAgeMs)
  const outcome =
    a !== undefined && b !== undefined
      ? fromTwoPrimaries(a, b, reference, maxDeviation)
      : fromOnePrimary(a ?? b, reference, maxDeviation, staleAgeMs(observations, nowMs))
  return {
    pair,
    ...outcome,
    nearStale:
      outcome.status === 'STALE' ||
      (outcome.ageMs !== null && atLeastNear(ratio(BigInt(outcome.ageMs)), ratio(BigInt(maxAgeMs)))),
    nearDeviation: atLeastNear(outcome.deviation, maxDeviation),
  }
}

/**
 * SPEC §6.2: both primaries fresh. Within the max deviation they are averaged
 * 50/50; beyond it the reference breaks the tie, and only if it sides with
 * exactly one of them. A reference close to both (it sits between them) or to
 * neither cannot say which primary is wrong: the deviation stays unresolved.
 */
function fromTwoPrimaries(a: Fresh, b: Fresh, reference: Fresh | undefined, maxDeviation: Ratio): Outcome {
  const deviation = relativeDeviation(a.price, b.price)
  const ageMs = Math.max(a.ageMs, b.ageMs)
  if (cmp(deviation, maxDeviation) <= 0) {
    const mid = mul(add(a.price, b.price), HALF)
    return { status: 'OK', mid, ageMs, deviation, tieBreak: false, sources: [a.source, b.source] }
  }
  const sided = reference === undefined ? [] : [a, b].filter((p) => agrees(p, reference, maxDeviation))
  const winner = sided.length === 1 ? sided[0] : undefined
  if (winner === undefined || reference === undefined) {
    return { status: 'DEVIATION', ageMs, deviation, tieBreak: false, sources: [] }
  }
  return {
    status: 'OK',
    mid: winner.price,
    ageMs: winner.ageMs,
    deviation,
    tieBreak: true,
    sources: [winner.source, reference.source],
  }
}

/**
 * Decision [ours], SPEC §6.2 is silent on one lost primary: a single fresh
 * primary is STALE on its own, but a fresh reference within the max deviation
 * of it is a usable tie-breaker ("stale or deviation breach with no usable
 * tie-breaker: HALT"), so the reading stays OK at that primary's price with
 * `tieBreak` set. The mid never comes from the reference itself: it is a web2
 * source that only arbitrates between the primaries.
 */
function fromOnePrimary(
  primary: Fresh | undefined,
  reference: Fresh | undefined,
  maxDeviation: Ratio,
  staleAgeMs: number | null,
): Outcome {
  if (primary !== undefined && reference !== undefined && agrees(primary, reference, maxDeviation)) {
    return {
      status: 'OK',
      mid: primary.price,
      ageMs: primary.ageMs,
      deviation: ZERO,
      tieBreak: true,
      sources: [primary.source, reference.source],
    }
  }
  return { status: 'STALE', ageMs: staleAgeMs, deviation: ZERO, tieBreak: false, sources: [] }
}

function agrees(primary: Fresh, reference: Fresh, maxDeviation: Ratio): boolean {
  return cmp(relativeDeviation(primary.price, reference.price), maxDeviation) <= 0
}

/** The age that went stale: the older primary's, or null when a primary has never reported. */
function staleAgeMs(observations: Observations, nowMs: number): number | null {
  const { primary_a, primary_b } = observations
  if (primary_a === undefined || primary_b === undefined) return null
  return Math.max(ageOf(primary_a, nowMs), ageOf(primary_b, nowMs))
}
