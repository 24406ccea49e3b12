import type { Fiat } from '../config/assets.ts'
import type { CorridorId } from '../config/corridors.ts'
import { type Failure, fail } from '../errors.ts'
import { cmp, formatRatio, type Ratio } from '../money/ratio.ts'
import type { CorridorStateView, Side } from '../risk/states.ts'
import { checkMinimum } from './l1-entry.ts'
import { checkDirection } from './l2-direction.ts'
import { checkPriceMove } from './price-move.ts'

export type ExecutableQuote = {
  readonly corridor: CorridorId
  readonly status: 'OPEN' | 'EXECUTED'
  readonly expiresAtMs: number
  readonly sourceMinor: bigint
}

/**
 * L9 (SPEC §4), first the quote itself, before any oracle figure is read: it
 * executes once (QUOTE_ALREADY_EXECUTED), before it expires (QUOTE_EXPIRED,
 * the expiry instant itself included), not while the corridor is halted, not
 * in a direction RESTRICT has blocked since the quote was taken (SPEC §6.1),
 * and for a positive amount up to the quoted one.
 */
export function checkQuote(input: {
  readonly quote: ExecutableQuote
  readonly nowMs: number
  readonly view: CorridorStateView
  readonly side: Side
  readonly amountMinor: bigint
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
  return undefined
}

/**
 * L9 (SPEC §4, §15), then what executes now, on the oracle's figures of now:
 * the mid has not moved against the pool beyond the tolerance since quoting
 * (QUOTE_STALE_PRICE; skipped for a quote stored without its mid), a partial
 * amount reaches the corridor minimum on its own (the whole quoted amount
 * passed L1 when it was quoted), and the size is within the state's max
 * size now (ABOVE_MAX_TRANSACTION_SIZE).
 */
export function checkFill(input: {
  readonly corridor: CorridorId
  readonly side: Side
  readonly amountMinor: bigint
  readonly quotedMinor: bigint
  /** The executed amount in USD. */
  readonly sizeUsd: Ratio
  readonly maxSizeUsd: Ratio
  readonly fiatPerUsd: (fiat: Fiat) => Ratio
  readonly mid: { readonly quoted: Ratio; readonly now: Ratio } | undefined
  readonly midToleranceBps: Ratio
}): Failure | undefined {
  const { corridor } = input
  if (input.mid !== undefined) {
    const moved = checkPriceMove({
      corridor,
      side: input.side,
      quotedMid: input.mid.quoted,
      midNow: input.mid.now,
      toleranceBps: input.midToleranceBps,
    })
    if (moved !== undefined) return moved
  }
  if (input.amountMinor < input.quotedMinor) {
    const below = checkMinimum(corridor, input.sizeUsd, input.fiatPerUsd)
    if (below !== undefined) return below
  }
  if (cmp(input.sizeUsd, input.maxSizeUsd) > 0) {
    return fail(
      'ABOVE_MAX_TRANSACTION_SIZE',
      `the largest ${corridor} trade now is ${formatRatio(input.maxSizeUsd, 2, 'floor')} USD`,
      corridor,
    )
  }
  return undefined
}
