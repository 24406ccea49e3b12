import { CORRIDOR_IDS, type CorridorId } from '../config/corridors.ts'
import type { Environment } from '../config/environment.ts'
import type { OracleReading } from '../oracle/aggregate.ts'
import type { OraclePair } from '../oracle/pairs.ts'
import type { OracleService } from '../oracle/service.ts'
import { SYNTHETIC_LEGS } from '../pricing/l4-cross-leg.ts'
import type { CorridorStateView } from '../pricing/model.ts'
import { SIDES } from './states.ts'

/** Where the pipeline and the state API read a corridor's state; the risk engine implements it in full. */
export type CorridorStates = {
  view(environment: Environment, corridor: CorridorId): CorridorStateView
}

function unusable(reading: OracleReading): string | undefined {
  if (reading.status === 'STALE') return `oracle: ${reading.pair} price is stale`
  if (reading.status === 'DEVIATION') return `oracle: ${reading.pair} sources disagree beyond the threshold`
  return undefined
}

/**
 * Corridor state from oracle health alone: a corridor whose prices are stale
 * or unresolved is HALT, else NORMAL. MYR-IDR halts only when neither its
 * direct feed nor both USD legs can price it.
 */
export function createOracleStates(oracle: OracleService): CorridorStates {
  return {
    view(environment, corridor) {
      const read = (pair: OraclePair) => oracle.reading(environment, pair)
      const pairs: readonly OraclePair[] = corridor === 'MYR-IDR' ? ['MYR-IDR'] : [corridor]
      let reasons = pairs.map((pair) => unusable(read(pair))).filter((r): r is string => r !== undefined)
      if (corridor === 'MYR-IDR' && reasons.length > 0) {
        const legReasons = SYNTHETIC_LEGS.map((pair) => unusable(read(pair))).filter(
          (r): r is string => r !== undefined,
        )
        reasons = legReasons.length === 0 ? [] : [...reasons, ...legReasons]
      }
      return reasons.length === 0
        ? { state: 'NORMAL', allowedDirections: [...SIDES], reasons: [] }
        : { state: 'HALT', allowedDirections: [], reasons }
    },
  }
}

export function allCorridors(): readonly CorridorId[] {
  return CORRIDOR_IDS
}
