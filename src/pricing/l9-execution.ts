import type { CorridorId } from '../config/corridors.ts'
import { type Failure, fail } from '../errors.ts'
import type { RiskState } from '../risk/states.ts'

export type ExecutableQuote = {
  readonly corridor: CorridorId
  readonly status: 'OPEN' | 'EXECUTED'
  readonly expiresAtMs: number
  readonly sourceMinor: bigint
}

/**
 * L9 (SPEC §4) checks before any money moves: the quote executes once
 * (QUOTE_ALREADY_EXECUTED), before it expires (QUOTE_EXPIRED, the expiry
 * instant itself included), not while the corridor is halted, and for at most
 * the quoted amount.
 */
export function checkExecution(input: {
  readonly quote: ExecutableQuote
  readonly nowMs: number
  readonly state: RiskState
  readonly amountMinor: bigint
}): Failure | undefined {
  const { quote } = input
  if (quote.status === 'EXECUTED')
    return fail('QUOTE_ALREADY_EXECUTED', 'this quote was executed already', quote.corridor)
  if (input.nowMs >= quote.expiresAtMs) return fail('QUOTE_EXPIRED', 'this quote has expired', quote.corridor)
  if (input.state === 'HALT')
    return fail('QUOTE_HALTED', `trading on ${quote.corridor} is halted`, quote.corridor)
  if (input.amountMinor <= 0n) return fail('VALIDATION_ERROR', 'amount must be positive', quote.corridor)
  if (input.amountMinor > quote.sourceMinor) {
    return fail('VALIDATION_ERROR', 'amount is above the quoted amount', quote.corridor)
  }
  return undefined
}
