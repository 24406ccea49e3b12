import type { CorridorId } from '../config/corridors.ts'
import { type Failure, fail } from '../errors.ts'
import type { OracleReading } from '../oracle/aggregate.ts'
import { type OraclePair, SYNTHETIC_LEGS } from '../oracle/pairs.ts'
import type { RateSource } from './model.ts'

export type RateSelection = { readonly rateSource: RateSource; readonly pairs: readonly OraclePair[] }

/** The selection a rate source names for a corridor: its own pair, or the USD legs when synthetic. */
export function selectionOf(corridor: CorridorId, rateSource: RateSource): RateSelection {
  return rateSource === 'SYNTHETIC'
    ? { rateSource, pairs: SYNTHETIC_LEGS }
    : { rateSource, pairs: [corridor] }
}

function clean(reading: OracleReading): boolean {
  return reading.status === 'OK' && !reading.nearStale && !reading.nearDeviation
}

/**
 * L4 (SPEC §4): USD-IDR and USD-SGD price directly. MYR-IDR prices directly
 * while its own feed is clean; when the direct feed is unusable, or only near
 * a threshold while both USD legs are clean, it goes synthetic through USD.
 * The synthetic path needs both legs quotable and the destination Active pool
 * holding inventory, else CROSS_LEG_INSUFFICIENT.
 */
export function selectRateSource(
  corridor: CorridorId,
  reading: (pair: OraclePair) => OracleReading,
  destinationActiveMinor: bigint,
): { failure?: Failure; selection: RateSelection } {
  const direct: RateSelection = { rateSource: 'DIRECT', pairs: [corridor] }
  if (corridor !== 'MYR-IDR') return { selection: direct }
  const directReading = reading('MYR-IDR')
  if (clean(directReading)) return { selection: direct }
  const legs = SYNTHETIC_LEGS.map(reading)
  const synthetic: RateSelection = { rateSource: 'SYNTHETIC', pairs: SYNTHETIC_LEGS }
  if (legs.every(clean) || (directReading.status !== 'OK' && legs.every((leg) => leg.status === 'OK'))) {
    if (destinationActiveMinor <= 0n) {
      return {
        selection: synthetic,
        failure: fail('CROSS_LEG_INSUFFICIENT', 'the IDR leg has no inventory', corridor),
      }
    }
    return { selection: synthetic }
  }
  if (directReading.status === 'OK') return { selection: direct }
  const broken = SYNTHETIC_LEGS.filter((_, i) => legs[i]?.status !== 'OK').join(' and ')
  return {
    selection: synthetic,
    failure: fail(
      'CROSS_LEG_INSUFFICIENT',
      `MYR-IDR has no usable direct feed and ${broken} cannot be quoted`,
      corridor,
    ),
  }
}
