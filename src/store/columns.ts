/**
 * int8 columns come back as bigint on both databases. Timestamps (epoch
 * milliseconds) and small counters become numbers here, and only here, so a
 * Number() never appears near money (SPEC §14.1).
 */
export function msOf(value: bigint): number {
  return Number(value)
}

export function countOf(value: bigint): number {
  return Number(value)
}
