/**
 * Timestamps are int8 epoch milliseconds in the database (bigint in code) and
 * numbers in memory. This is the one conversion, named, so a Number() never
 * appears near money (SPEC §14.1).
 */
export function msOf(value: bigint): number {
  return Number(value)
}
