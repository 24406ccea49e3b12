import type { AssetConfig } from '../config/assets.ts'
import type { CorridorId } from '../config/corridors.ts'
import { formatDecimal } from '../money/decimal.ts'
import { div, formatRatio, mul, type Ratio, ratio, sub, ZERO } from '../money/ratio.ts'
import type { QuoteOutcome } from '../pricing/pipeline.ts'
import type { RfqOrder } from '../rfq/service.ts'
import type { CorridorStateView, Side } from '../risk/states.ts'
import type { QuoteTerms } from './terms.ts'

/** Rates on the wire: 8 fraction digits, the precision executable rates are rounded to. */
export function rateText(rate: Ratio): string {
  return formatRatio(rate, 8, 'floor')
}

export function bpsText(value: Ratio): string {
  return formatRatio(value, 4, 'ceil')
}

/** SPEC §3 `allowed_direction`: BOTH, BUY or SELL (NONE when nothing trades). */
export function allowedDirection(sides: readonly Side[]): 'BOTH' | 'BUY' | 'SELL' | 'NONE' {
  if (sides.includes('BUY') && sides.includes('SELL')) return 'BOTH'
  return sides[0] ?? 'NONE'
}

export type IndicativeQuoteView = {
  pair: CorridorId
  side: Side
  amount: string
  indicative_rate: string
  mid: string
  spread_bps: string
  state_flag: string
  timestamp: string
  quote_type: 'INDICATIVE'
}

export function indicativeView(outcome: QuoteOutcome, nowMs: number): IndicativeQuoteView {
  return {
    pair: outcome.corridor,
    side: outcome.side,
    amount: formatDecimal(outcome.sourceMinor, outcome.source.decimals),
    indicative_rate: rateText(outcome.side === 'SELL' ? outcome.bid : outcome.ask),
    mid: rateText(outcome.mid),
    spread_bps: bpsText(outcome.spread.totalBps),
    state_flag: outcome.stateView.state,
    timestamp: new Date(nowMs).toISOString(),
    quote_type: 'INDICATIVE',
  }
}

export type FirmQuoteView = {
  quote_id: string
  pair: CorridorId
  side: Side
  source_asset: string
  destination_asset: string
  amount: string
  destination_amount: string
  bid: string
  ask: string
  adjusted_mid: string
  mid: string
  rate: string
  spread_bps: string
  expiry_timestamp: string
  max_size: string
  max_size_currency: 'USD'
  allowed_direction: 'BOTH' | 'BUY' | 'SELL' | 'NONE'
  state_flag: string
  quote_type: 'FIRM'
  execution_path: 'DIRECT' | 'EXTERNAL_RFQ'
  rate_source: string
  fee_breakdown: {
    tier: string
    fixed_fee: string
    fixed_fee_currency: string
    variable_fee: string
    variable_fee_bips: string
    base_spread_bps: string
    volatility_bps: string
    liquidity_bps: string
    inventory_skew_bps: string
    total_fee: string
  }
  client_ref: string | null
  timestamp: string
  /** Issue 11, EXTERNAL_RFQ only: the order the tranches share (null for a single fill). */
  parent_order_id?: string | null
  /** Issue 11, EXTERNAL_RFQ only: who fills what, at which rate. */
  tranches?: { tranche_id: string | null; amount: string; rate: string; counterparty: string }[]
}

export function firmView(
  quoteId: string,
  outcome: QuoteOutcome,
  createdAtMs: number,
  expiresAtMs: number,
  clientRef: string | null,
): FirmQuoteView {
  const destination = outcome.destination
  const fee = (minor: bigint) => formatDecimal(minor, destination.decimals)
  return {
    quote_id: quoteId,
    pair: outcome.corridor,
    side: outcome.side,
    source_asset: outcome.source.code,
    destination_asset: destination.code,
    amount: formatDecimal(outcome.sourceMinor, outcome.source.decimals),
    destination_amount: formatDecimal(outcome.destinationMinor, destination.decimals),
    bid: rateText(outcome.bid),
    ask: rateText(outcome.ask),
    adjusted_mid: rateText(outcome.adjustedMid),
    mid: rateText(outcome.mid),
    rate: rateText(outcome.side === 'SELL' ? outcome.bid : outcome.ask),
    spread_bps: bpsText(outcome.spread.totalBps),
    expiry_timestamp: new Date(expiresAtMs).toISOString(),
    max_size: formatRatio(outcome.maxSizeUsd, 2, 'floor'),
    max_size_currency: 'USD',
    allowed_direction: allowedDirection(outcome.stateView.allowedDirections),
    state_flag: outcome.stateView.state,
    quote_type: 'FIRM',
    execution_path: 'DIRECT',
    rate_source: outcome.rateSource,
    fee_breakdown: {
      tier: outcome.fees.tier,
      fixed_fee: fee(outcome.fees.fixedFeeMinor),
      fixed_fee_currency: destination.code,
      variable_fee: fee(outcome.fees.variableFeeMinor),
      variable_fee_bips: bpsText(outcome.fees.variableBips),
      base_spread_bps: bpsText(outcome.spread.baseBps),
      volatility_bps: bpsText(outcome.spread.volatilityBps),
      liquidity_bps: bpsText(outcome.spread.liquidityBps),
      inventory_skew_bps: formatRatio(outcome.spread.skewBps, 4, 'floor'),
      total_fee: fee(outcome.fees.fixedFeeMinor + outcome.fees.variableFeeMinor),
    },
    client_ref: clientRef,
    timestamp: new Date(createdAtMs).toISOString(),
  }
}

/** An EXTERNAL_RFQ firm quote before it has an id: its terms and what its view shows. */
export type RfqQuote = {
  readonly terms: QuoteTerms
  readonly order: RfqOrder
  readonly source: AssetConfig
  readonly destination: AssetConfig
  readonly mid: Ratio
  /** The order's rate over all its tranches, QUOTE per BASE. */
  readonly rate: Ratio
  /** What the rate costs the taker against the oracle mid, in bps. */
  readonly costBps: Ratio
  readonly maxSizeUsd: Ratio
  readonly stateView: CorridorStateView
}

function pow10(n: number): bigint {
  return 10n ** BigInt(n)
}

/** Issue 11: the terms and figures of an RFQ order; no platform fee is added to a counterparty's rate [ours]. */
export function rfqQuoteOf(input: {
  corridor: CorridorId
  side: Side
  source: AssetConfig
  destination: AssetConfig
  order: RfqOrder
  mid: Ratio
  stateView: CorridorStateView
  maxSizeUsd: Ratio
}): RfqQuote {
  const { source, destination, order, side, mid } = input
  const sourceUnits = ratio(order.sourceMinor, pow10(source.decimals))
  const destinationUnits = ratio(order.destinationMinor, pow10(destination.decimals))
  const rate = side === 'SELL' ? div(destinationUnits, sourceUnits) : div(sourceUnits, destinationUnits)
  const costBps = mul(div(side === 'SELL' ? sub(mid, rate) : sub(rate, mid), mid), ratio(10_000n))
  return {
    terms: {
      corridor: input.corridor,
      side,
      sourceAsset: source.code,
      destinationAsset: destination.code,
      rate,
      variableBips: ZERO,
      fixedFeeMinor: 0n,
      sourceMinor: order.sourceMinor,
      destinationMinor: order.destinationMinor,
      rateSource: 'DIRECT',
      stateFlag: input.stateView.state,
      feeTier: undefined,
      mid,
    },
    order,
    source,
    destination,
    mid,
    rate,
    costBps,
    maxSizeUsd: input.maxSizeUsd,
    stateView: input.stateView,
  }
}

export function rfqFirmView(
  quoteId: string,
  quote: RfqQuote,
  createdAtMs: number,
  expiresAtMs: number,
  clientRef: string | null,
): FirmQuoteView {
  const { source, destination, order } = quote
  const zero = formatDecimal(0n, destination.decimals)
  return {
    quote_id: quoteId,
    pair: quote.terms.corridor,
    side: quote.terms.side,
    source_asset: source.code,
    destination_asset: destination.code,
    amount: formatDecimal(order.sourceMinor, source.decimals),
    destination_amount: formatDecimal(order.destinationMinor, destination.decimals),
    bid: rateText(quote.rate),
    ask: rateText(quote.rate),
    adjusted_mid: rateText(quote.mid),
    mid: rateText(quote.mid),
    rate: rateText(quote.rate),
    spread_bps: formatRatio(quote.costBps, 4, 'ceil'),
    expiry_timestamp: new Date(expiresAtMs).toISOString(),
    max_size: formatRatio(quote.maxSizeUsd, 2, 'floor'),
    max_size_currency: 'USD',
    allowed_direction: allowedDirection(quote.stateView.allowedDirections),
    state_flag: quote.stateView.state,
    quote_type: 'FIRM',
    execution_path: 'EXTERNAL_RFQ',
    rate_source: 'EXTERNAL_RFQ',
    fee_breakdown: {
      tier: 'EXTERNAL_RFQ',
      fixed_fee: zero,
      fixed_fee_currency: destination.code,
      variable_fee: zero,
      variable_fee_bips: '0',
      base_spread_bps: '0',
      volatility_bps: '0',
      liquidity_bps: '0',
      inventory_skew_bps: '0',
      total_fee: zero,
    },
    client_ref: clientRef,
    timestamp: new Date(createdAtMs).toISOString(),
    parent_order_id: order.parentOrderId,
    tranches: order.tranches.map((t) => ({
      tranche_id: t.trancheId,
      amount: formatDecimal(t.sourceMinor, source.decimals),
      rate: t.rateText,
      counterparty: t.counterpartyId,
    })),
  }
}
