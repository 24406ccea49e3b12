import { PRICING } from '../config/pricing.ts'
import { type Failure, fail } from '../errors.ts'
import { abs, add, bps, cmp, div, mul, ONE, percent, type Ratio, r, sub } from '../money/ratio.ts'
import type { RiskState } from '../risk/states.ts'
import type { PricedQuote, RateSource } from './model.ts'

export type ArbitrageInput = {
  readonly quote: PricedQuote
  readonly state: RiskState
  readonly rateSource: RateSource
  /** MYR-IDR only: the direct mid and the synthetic cross, when each is available. */
  readonly directMid?: Ratio
  readonly syntheticMid?: Ratio
  /** MYR-IDR only: USD-IDR mid and base spread, and the USD-MYR mid, for the triangle. */
  readonly usdIdrMid?: Ratio
  readonly usdIdrBaseSpreadBps?: Ratio
  readonly usdMyrMid?: Ratio
}

function arbFailure(quote: PricedQuote, why: string): Failure {
  return fail('ARB_CHECK_FAILED', why, quote.corridor)
}

/** A mid with a spread around it: bid and ask. */
function straddle(mid: Ratio, spreadBps: Ratio): { bid: Ratio; ask: Ratio } {
  const half = div(bps(spreadBps), r('2'))
  return { bid: mul(mid, sub(ONE, half)), ask: mul(mid, add(ONE, half)) }
}

/**
 * L8 (SPEC §4): BID < adjusted mid < ASK; for MYR-IDR the synthetic and direct
 * mids may differ by at most 0.30% (NORMAL) or 0.50% (otherwise); and no
 * round trip USD→IDR→MYR→USD (or back) returns more than it started with,
 * valuing our USD-IDR leg at no better than its base spread and USD-MYR, which
 * we do not quote, at the market's bid/ask around its mid (an assumed
 * external spread, [ours]). The SPEC writes the triangle as "USD-IDR bid ×
 * MYR-IDR ask × 1/USD-MYR ask"; read as a round trip it is the two loops below.
 */
export function checkArbitrage(input: ArbitrageInput): Failure | undefined {
  const { quote } = input
  if (!(cmp(quote.bid, quote.adjustedMid) < 0 && cmp(quote.adjustedMid, quote.ask) < 0)) {
    return arbFailure(quote, 'bid and ask do not straddle the adjusted mid')
  }
  if (quote.corridor !== 'MYR-IDR') return undefined
  if (input.directMid !== undefined && input.syntheticMid !== undefined) {
    const gap = div(abs(sub(input.directMid, input.syntheticMid)), input.syntheticMid)
    const allowed = percent(
      r(input.state === 'NORMAL' ? PRICING.syntheticGapNormalPct : PRICING.syntheticGapProtectPct),
    )
    if (cmp(gap, allowed) > 0)
      return arbFailure(quote, 'direct and synthetic MYR-IDR disagree beyond the allowed gap')
  }
  if (
    input.usdIdrMid === undefined ||
    input.usdMyrMid === undefined ||
    input.usdIdrBaseSpreadBps === undefined
  ) {
    return undefined
  }
  const usdIdr = straddle(input.usdIdrMid, input.usdIdrBaseSpreadBps)
  const usdMyr = straddle(input.usdMyrMid, r(PRICING.externalUsdMyrSpreadBps))
  // USD → IDR at our USD-IDR bid → MYR at our MYR-IDR ask → USD at the market's USD-MYR ask.
  const loopOut = div(div(usdIdr.bid, quote.ask), usdMyr.ask)
  // USD → MYR at the market's USD-MYR bid → IDR at our MYR-IDR bid → USD at our USD-IDR ask.
  const loopBack = div(mul(usdMyr.bid, quote.bid), usdIdr.ask)
  if (cmp(loopOut, ONE) > 0 || cmp(loopBack, ONE) > 0) {
    return arbFailure(quote, 'a USD-IDR-MYR round trip would return more than it started with')
  }
  return undefined
}
