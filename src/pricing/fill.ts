import type { AssetConfig, Fiat } from '../config/assets.ts'
import type { CorridorId } from '../config/corridors.ts'
import type { FeeTier } from '../config/fees.ts'
import type { Ratio } from '../money/ratio.ts'
import type { Side } from '../risk/states.ts'
import { type SwapAmounts, swapAmounts } from './amounts.ts'
import { type FeeOverride, feeTierFor, resolveFees } from './fee-tiers.ts'
import { fixedFeeMinor } from './l7-pricing.ts'

/** What a firm quote fixed, as execution needs it to price a fill. */
export type QuotedTerms = {
  readonly corridor: CorridorId
  readonly side: Side
  readonly source: AssetConfig
  readonly destination: AssetConfig
  /** The executable rate of the quote's side; a fill keeps it (the quote is firm). */
  readonly rate: Ratio
  readonly sourceMinor: bigint
  /** The net the quote showed for its whole amount. */
  readonly destinationMinor: bigint
  readonly variableBips: Ratio
  readonly fixedFeeMinor: bigint
  /** Undefined for a quote stored before tiers were kept with it: a partial fill then resolves its tier afresh. */
  readonly feeTier: FeeTier | undefined
}

export type Fill = SwapAmounts & { readonly tier: FeeTier }

/**
 * SPEC §3, §5: what an execution of `amountMinor` pays and receives. The
 * whole quoted amount pays exactly what the quote showed. A part is priced
 * as its own size: the fee tier its USD size falls in (SPEC §5, min
 * inclusive), with that tier's variable fee (after the partner's override
 * and fee tier multiplier) and fixed fee (converted into the destination
 * asset at the given rates, rounded up); a part in the quoted tier keeps
 * the quoted fees. The rate stays the quoted rate either way.
 */
export function fillAmounts(input: {
  readonly quote: QuotedTerms
  readonly amountMinor: bigint
  /** The executed amount in USD. */
  readonly sizeUsd: Ratio
  readonly feeOverrides: readonly FeeOverride[]
  readonly feeTierMultiplier: Ratio
  readonly fiatPerUsd: (fiat: Fiat) => Ratio
}): Fill {
  const { quote } = input
  const params = {
    side: quote.side,
    rate: quote.rate,
    source: quote.source,
    destination: quote.destination,
    sourceMinor: input.amountMinor,
  }
  if (input.amountMinor === quote.sourceMinor) {
    const whole = swapAmounts({
      ...params,
      variableBips: quote.variableBips,
      fixedFeeMinor: quote.fixedFeeMinor,
    })
    return { ...whole, netMinor: quote.destinationMinor, tier: quote.feeTier ?? feeTierFor(input.sizeUsd) }
  }
  const tier = feeTierFor(input.sizeUsd)
  if (tier === quote.feeTier) {
    return {
      ...swapAmounts({ ...params, variableBips: quote.variableBips, fixedFeeMinor: quote.fixedFeeMinor }),
      tier,
    }
  }
  const fees = resolveFees(quote.corridor, tier, input.feeOverrides, input.feeTierMultiplier)
  const fixed = fixedFeeMinor(
    fees.fixedFee.amount,
    fees.fixedFee.fiat,
    quote.destination.fiat,
    input.fiatPerUsd,
  )
  return { ...swapAmounts({ ...params, variableBips: fees.variableBips, fixedFeeMinor: fixed }), tier }
}
