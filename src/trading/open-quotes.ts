import type { CorridorId } from '../config/corridors.ts'
import { type Failure, fail } from '../errors.ts'
import type { OpenQuotes } from './volume.ts'

/**
 * SPEC §15 "Firm quotes" [ours]: a partner holds at most `max` open firm
 * quotes per environment. The one that would go beyond is refused with 422
 * OPEN_QUOTE_LIMIT_EXCEEDED, like the other partner limits; the message says
 * when the next open quote expires, which frees a place.
 */
export function checkOpenQuoteCap(open: OpenQuotes, max: number, corridor: CorridorId): Failure | undefined {
  if (open.count < max) return undefined
  const next =
    open.nextExpiryMs === undefined
      ? ''
      : ` (the next expires at ${new Date(open.nextExpiryMs).toISOString()})`
  return fail(
    'OPEN_QUOTE_LIMIT_EXCEEDED',
    `${open.count} firm quotes are open, the most one partner may hold is ${max}: execute one or let one expire${next}`,
    corridor,
  )
}
