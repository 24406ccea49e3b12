import type { CorridorId } from '../config/corridors.ts'
import { type Failure, fail, ok, type Result } from '../errors.ts'
import { div, type Ratio } from '../money/ratio.ts'
import type { OracleReading } from '../oracle/aggregate.ts'
import type { OraclePair } from '../oracle/pairs.ts'
import type { RateSelection } from './l4-cross-leg.ts'

function refusal(corridor: CorridorId, reading: OracleReading): Failure {
  return reading.status === 'STALE'
    ? fail('ORACLE_STALE', `the ${reading.pair} price is stale`, corridor)
    : fail('ORACLE_DEVIATION', `the ${reading.pair} sources disagree beyond the threshold`, corridor)
}

/**
 * L5 (SPEC §4, §6.2): every pair the selected rate rests on must have an OK
 * aggregated reading; the mid is the direct mid, or USD-IDR ÷ USD-MYR when
 * synthetic.
 */
export function oracleMid(
  corridor: CorridorId,
  selection: RateSelection,
  reading: (pair: OraclePair) => OracleReading,
): Result<Ratio> {
  const readings = selection.pairs.map(reading)
  for (const r of readings) if (r.status !== 'OK' || r.mid === undefined) return refusal(corridor, r)
  const mids = readings.map((r) => r.mid as Ratio)
  return ok(selection.rateSource === 'DIRECT' ? (mids[0] as Ratio) : div(mids[0] as Ratio, mids[1] as Ratio))
}
