import type { OracleReading } from '../../oracle/aggregate.ts'
import { ORACLE_PAIR_CONFIG } from '../../oracle/pairs.ts'
import type { SignalResult } from '../states.ts'
import { showFractionPct } from '../text.ts'

/**
 * SPEC §6.2 oracle health, from the oracle module's reading: the module owns
 * the limits and decides staleness, deviation and "near" (80 % of a limit);
 * the risk engine only maps that verdict to a state. A deviation that the
 * reference settled is OK with `nearDeviation` set, so it lands in PROTECT
 * rather than HALT (SPEC: HALT only "with no usable tie-breaker").
 */
export function oracleSignal(reading: OracleReading): SignalResult {
  const subject = `oracle ${reading.pair}`
  const detail = `: ${figures(reading)}`
  if (reading.status === 'STALE')
    return { signal: 'oracle', state: 'HALT', reason: `${subject} price stale${detail}` }
  if (reading.status === 'DEVIATION') {
    return { signal: 'oracle', state: 'HALT', reason: `${subject} sources deviate beyond the limit${detail}` }
  }
  if (reading.nearStale || reading.nearDeviation) {
    const which =
      reading.nearStale && reading.nearDeviation
        ? 'age and deviation'
        : reading.nearStale
          ? 'age'
          : 'deviation'
    return { signal: 'oracle', state: 'PROTECT', reason: `${subject} ${which} near the limit${detail}` }
  }
  // [ours] A price resting on one primary source confirmed by the web reference is usable, but the
  // corridor has lost its redundancy: PROTECT until both primaries agree again.
  if (reading.tieBreak) {
    return {
      signal: 'oracle',
      state: 'PROTECT',
      reason: `${subject} rests on one primary and the reference${detail}`,
    }
  }
  return { signal: 'oracle', state: 'NORMAL', reason: `${subject} healthy${detail}` }
}

/** The reading's figures beside the pair's limits, e.g. "age 17000 ms (max 20000 ms), deviation 0.05% (max 0.15%)". */
function figures(reading: OracleReading): string {
  const { maxAgeMs, maxDeviation } = ORACLE_PAIR_CONFIG[reading.pair]
  const age =
    reading.ageMs === null
      ? `no price yet from a primary source (max age ${maxAgeMs} ms)`
      : `age ${reading.ageMs} ms (max ${maxAgeMs} ms)`
  // A stale reading carries no deviation (the oracle only compares fresh primaries), so none is shown.
  if (reading.status === 'STALE') return age
  const deviation = `deviation ${showFractionPct(reading.deviation)} (max ${showFractionPct(maxDeviation)})`
  return `${age}, ${deviation}${reading.tieBreak ? ', settled by the tie-breaker' : ''}`
}
