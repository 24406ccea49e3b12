import type { CorridorId } from '../config/corridors.ts'
import { type Failure, fail } from '../errors.ts'
import type { CorridorStateView } from '../risk/states.ts'

/** L6 (SPEC §4, §6.1): a halted corridor quotes nothing; other states shape spreads and sizes in L3 and L7. */
export function checkState(corridor: CorridorId, view: CorridorStateView): Failure | undefined {
  if (view.state !== 'HALT') return undefined
  const why = view.reasons.length > 0 ? `: ${view.reasons.join('; ')}` : ''
  return fail('QUOTE_HALTED', `trading on ${corridor} is halted${why}`, corridor)
}
