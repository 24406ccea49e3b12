import { ASSET_BY_FIAT, type AssetConfig } from '../config/assets.ts'
import { CORRIDORS, type CorridorId } from '../config/corridors.ts'
import type { FeeTier } from '../config/fees.ts'
import type { Ratio } from '../money/ratio.ts'
import type { Side } from '../risk/states.ts'

export type RateSource = 'DIRECT' | 'SYNTHETIC'

/** What a partner asks for: an amount it pays (source) or, for fixed-receive quotes, an amount it receives. */
export type QuoteSize = { readonly kind: 'source' | 'destination'; readonly minor: bigint }

export type QuoteRequest = { readonly corridor: CorridorId; readonly side: Side; readonly size: QuoteSize }

/**
 * SPEC §1: the side is from the partner's view of the BASE currency. SELL:
 * the partner pays BASE and receives QUOTE at the bid; BUY: it pays QUOTE and
 * receives BASE at the ask.
 */
export function legsOf(corridor: CorridorId, side: Side): { source: AssetConfig; destination: AssetConfig } {
  const { base, quote } = CORRIDORS[corridor]
  return side === 'SELL'
    ? { source: ASSET_BY_FIAT[base], destination: ASSET_BY_FIAT[quote] }
    : { source: ASSET_BY_FIAT[quote], destination: ASSET_BY_FIAT[base] }
}

/** The spread components of SPEC §5, in bps. */
export type SpreadBreakdown = {
  readonly baseBps: Ratio
  readonly volatilityBps: Ratio
  readonly liquidityBps: Ratio
  /** Signed: positive moves the mid up (more QUOTE per BASE). */
  readonly skewBps: Ratio
  readonly totalBps: Ratio
}

export type FeeBreakdown = {
  readonly tier: FeeTier
  /** In the destination asset's smallest unit. */
  readonly fixedFeeMinor: bigint
  readonly variableFeeMinor: bigint
  readonly variableBips: Ratio
}

/** The outcome of L7: a priced quote, before the arbitrage checks. */
export type PricedQuote = {
  readonly corridor: CorridorId
  readonly side: Side
  readonly source: AssetConfig
  readonly destination: AssetConfig
  readonly mid: Ratio
  readonly adjustedMid: Ratio
  /** Executable rates (QUOTE per BASE), rounded in the pools' favour. */
  readonly bid: Ratio
  readonly ask: Ratio
  readonly spread: SpreadBreakdown
  readonly fees: FeeBreakdown
  readonly sourceMinor: bigint
  /** What the pool pays out before fees, and what the partner receives after them. */
  readonly grossDestinationMinor: bigint
  readonly destinationMinor: bigint
  readonly sizeUsd: Ratio
}
