import { ASSETS, type AssetCode } from '../config/assets.ts'
import type { CorridorId } from '../config/corridors.ts'
import type { FeeTier } from '../config/fees.ts'
import type { Ratio } from '../money/ratio.ts'
import { r, ratio } from '../money/ratio.ts'
import type { QuoteOutcome } from '../pricing/pipeline.ts'
import type { Side } from '../risk/states.ts'
import { rateText } from './views.ts'

/**
 * What a firm quote commits to, stored with it: execution recomputes amounts
 * from these. The rate is firm; a partial execution pays the fees of its own
 * size's tier (SPEC §3, §5), and the mid at quoting is what execution checks
 * the market against (SPEC §15 "Firm quotes").
 */
export type QuoteTerms = {
  readonly corridor: CorridorId
  readonly side: Side
  readonly sourceAsset: AssetCode
  readonly destinationAsset: AssetCode
  readonly rate: Ratio
  readonly variableBips: Ratio
  readonly fixedFeeMinor: bigint
  readonly sourceMinor: bigint
  readonly destinationMinor: bigint
  readonly rateSource: string
  readonly stateFlag: string
  /** The fee tier the quote was priced in; undefined for quotes stored before it was kept. */
  readonly feeTier: FeeTier | undefined
  /** The oracle (or synthetic) mid at quoting, QUOTE per BASE; undefined for quotes stored before it was kept. */
  readonly mid: Ratio | undefined
}

type StoredTerms = {
  corridor: CorridorId
  side: Side
  source_asset: AssetCode
  destination_asset: AssetCode
  rate: string
  variable_bips: [string, string]
  fixed_fee_minor: string
  source_minor: string
  destination_minor: string
  rate_source: string
  state_flag: string
  fee_tier?: FeeTier
  /** Exact, as numerator and denominator: a synthetic mid has no short decimal form. */
  mid?: [string, string]
}

export function termsOf(outcome: QuoteOutcome): QuoteTerms {
  return {
    corridor: outcome.corridor,
    side: outcome.side,
    sourceAsset: outcome.source.code,
    destinationAsset: outcome.destination.code,
    rate: outcome.side === 'SELL' ? outcome.bid : outcome.ask,
    variableBips: outcome.fees.variableBips,
    fixedFeeMinor: outcome.fees.fixedFeeMinor,
    sourceMinor: outcome.sourceMinor,
    destinationMinor: outcome.destinationMinor,
    rateSource: outcome.rateSource,
    stateFlag: outcome.stateView.state,
    feeTier: outcome.fees.tier,
    mid: outcome.mid,
  }
}

export function encodeTerms(terms: QuoteTerms): string {
  const stored: StoredTerms = {
    corridor: terms.corridor,
    side: terms.side,
    source_asset: terms.sourceAsset,
    destination_asset: terms.destinationAsset,
    // Executable rates have at most 8 fraction digits, so the decimal text is exact.
    rate: rateText(terms.rate),
    variable_bips: [terms.variableBips.num.toString(), terms.variableBips.den.toString()],
    fixed_fee_minor: terms.fixedFeeMinor.toString(),
    source_minor: terms.sourceMinor.toString(),
    destination_minor: terms.destinationMinor.toString(),
    rate_source: terms.rateSource,
    state_flag: terms.stateFlag,
    ...(terms.feeTier === undefined ? {} : { fee_tier: terms.feeTier }),
    ...(terms.mid === undefined ? {} : { mid: [terms.mid.num.toString(), terms.mid.den.toString()] }),
  }
  return JSON.stringify(stored)
}

export function decodeTerms(text: string): QuoteTerms {
  const stored = JSON.parse(text) as StoredTerms
  return {
    corridor: stored.corridor,
    side: stored.side,
    sourceAsset: stored.source_asset,
    destinationAsset: stored.destination_asset,
    rate: r(stored.rate),
    variableBips: ratio(BigInt(stored.variable_bips[0]), BigInt(stored.variable_bips[1])),
    fixedFeeMinor: BigInt(stored.fixed_fee_minor),
    sourceMinor: BigInt(stored.source_minor),
    destinationMinor: BigInt(stored.destination_minor),
    rateSource: stored.rate_source,
    stateFlag: stored.state_flag,
    feeTier: stored.fee_tier,
    mid: stored.mid === undefined ? undefined : ratio(BigInt(stored.mid[0]), BigInt(stored.mid[1])),
  }
}

export function assetsOf(terms: QuoteTerms) {
  return { source: ASSETS[terms.sourceAsset], destination: ASSETS[terms.destinationAsset] }
}
