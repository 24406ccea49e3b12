import type { CorridorId } from '../config/corridors.ts'
import { type Failure, fail } from '../errors.ts'
import type { CorridorStateView, Side } from '../risk/states.ts'

/**
 * L2 (SPEC §4): in RESTRICT only the direction that reduces the pool
 * imbalance is allowed. HALT is left to L6, so a halted corridor answers
 * QUOTE_HALTED rather than a direction error (SPEC §6.1).
 */
export function checkDirection(
  corridor: CorridorId,
  side: Side,
  view: CorridorStateView,
): Failure | undefined {
  if (view.state !== 'RESTRICT' || view.allowedDirections.includes(side)) return undefined
  const allowed = view.allowedDirections.length === 0 ? 'none' : view.allowedDirections.join(', ')
  return fail(
    'DIRECTION_BLOCKED',
    `${side} is blocked on ${corridor} in RESTRICT (allowed: ${allowed})`,
    corridor,
  )
}
