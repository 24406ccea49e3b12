import type { Ratio } from './ratio.ts'

/** Sizes are kept in millionths of a USD: exact enough for limits, and an int8 both databases sum exactly. */
export const USD_MICROS = 1_000_000n

/** A USD amount in millionths, rounded toward zero. */
export function usdMicros(usd: Ratio): bigint {
  return (usd.num * USD_MICROS) / usd.den
}
