import type { CorridorId } from '../config/corridors.ts'
import { type Failure, fail } from '../errors.ts'
import { cmp, div, formatRatio, mul, type Ratio, ratio, sub } from '../money/ratio.ts'
import type { Side } from '../risk/states.ts'

const BPS_PER_UNIT = ratio(10_000n)

/**
 * How far the mid (QUOTE per BASE) moved against the pool between quoting
 * and now, in bps of the quoted mid; zero or negative when it moved in the
 * pool's favour. The quote fixed the partner's rate, so the pool loses what
 * the market moved in the partner's favour:
 *
 * - SELL: the partner pays BASE and is paid QUOTE at the bid. A lower mid
 *   now means BASE buys less QUOTE in the market than the quote pays: the
 *   pool loses when the mid fell.
 * - BUY: the partner pays QUOTE and is paid BASE at the ask. A higher mid
 *   now means BASE costs more QUOTE in the market than the quote charges:
 *   the pool loses when the mid rose.
 *
 * A synthetic MYR-IDR mid (USD-IDR ÷ USD-MYR, IDR per MYR) follows the same
 * rule on the cross: it falls when MYR weakens against USD or IDR
 * strengthens, which favours a SELL (MYR for IDR).
 */
export function adverseMoveBps(side: Side, quotedMid: Ratio, midNow: Ratio): Ratio {
  const change = side === 'SELL' ? sub(quotedMid, midNow) : sub(midNow, quotedMid)
  return mul(div(change, quotedMid), BPS_PER_UNIT)
}

/**
 * SPEC §15 "Firm quotes": a firm quote is not a free option on the market.
 * Execution refuses it when the mid moved against the pool by more than the
 * tolerance since quoting (exactly the tolerance still executes).
 */
export function checkPriceMove(input: {
  readonly corridor: CorridorId
  readonly side: Side
  readonly quotedMid: Ratio
  readonly midNow: Ratio
  readonly toleranceBps: Ratio
}): Failure | undefined {
  const moved = adverseMoveBps(input.side, input.quotedMid, input.midNow)
  if (cmp(moved, input.toleranceBps) <= 0) return undefined
  const from = formatRatio(input.quotedMid, 8, 'floor')
  const to = formatRatio(input.midNow, 8, 'floor')
  return fail(
    'QUOTE_STALE_PRICE',
    `the ${input.corridor} mid moved ${formatRatio(moved, 2, 'floor')} bps against the pool since this ${input.side} quote ` +
      `(${from} → ${to}), beyond the ${formatRatio(input.toleranceBps, 2, 'floor')} bps tolerance: request a new quote`,
    input.corridor,
  )
}
