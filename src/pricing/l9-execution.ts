import type { CorridorId } from '../config/corridors.ts'
import { type Failure, fail } from '../errors.ts'
import { cmp, formatRatio, type Ratio } from '../money/ratio.ts'
import type { Side } from '../risk/states.ts'
import { checkDirection } from './l2-direction.ts'
import type { CorridorStateView } from './model.ts'

export type ExecutableQuote = {
  readonly corridor: CorridorId
  readonly status: 'OPEN' | 'EXECUTED'
  readonly expiresAtMs: number
  readonly sourceMinor: bigint
}

/**
 * L9 (SPEC §4) checks before any money moves: the quote executes once
 * (QUOTE_ALREADY_EXECUTED), before it expires (QUOTE_EXPIRED, the expiry
 * instant itself included), not while the corridor is halted, not in a
 * direction RESTRICT has blocked since the quote was taken (SPEC §6.1), for at
 * most the quoted amount, and within the state's max size now.
 */
export function checkExecution(input: {
  readonly quote: ExecutableQuote
  readonly nowMs: number
  readonly view: CorridorStateView
  readonly side: Side
  readonly amountMinor: bigint
  readonly sizeUsd: Ratio
  readonly maxSizeUsd: Ratio
}): Failure | undefined {
  const { quote } = input
  if (quote.status === 'EXECUTED')
    return fail('QUOTE_ALREADY_EXECUTED', 'this quote was executed already', quote.corridor)
  if (input.nowMs >= quote.expiresAtMs) return fail('QUOTE_EXPIRED', 'this quote has expired', quote.corridor)
  if (input.view.state === 'HALT')
    return fail('QUOTE_HALTED', `trading on ${quote.corridor} is halted`, quote.corridor)
  const blocked = checkDirection(quote.corridor, input.side, input.view)
  if (blocked !== undefined) return blocked
  if (input.amountMinor <= 0n) return fail('VALIDATION_ERROR', 'amount must be positive', quote.corridor)
  if (input.amountMinor > quote.sourceMinor) {
    return fail('VALIDATION_ERROR', 'amount is above the quoted amount', quote.corridor)
  }
  if (cmp(input.sizeUsd, input.maxSizeUsd) > 0) {
    return fail(
      'ABOVE_MAX_TRANSACTION_SIZE',
      `the largest ${quote.corridor} trade now is ${formatRatio(input.maxSizeUsd, 2, 'floor')} USD`,
      quote.corridor,
    )
  }
  return undefined
}
