import type { CorridorId } from '../config/corridors.ts'
import { formatDecimal } from '../money/decimal.ts'
import { formatRatio, type Ratio } from '../money/ratio.ts'
import type { QuoteOutcome } from '../pricing/pipeline.ts'
import type { Side } from '../risk/states.ts'

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
