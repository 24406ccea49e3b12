import { ASSET_BY_FIAT, type Fiat } from '../config/assets.ts'
import type { CorridorConfig } from '../config/corridors.ts'
import { FEE_TIER_MIN_USD, FEE_TIERS, type FeeTier } from '../config/fees.ts'
import { PRICING } from '../config/pricing.ts'
import type { RiskConfig } from '../config/risk.ts'
import { type Failure, fail, ok, type Result } from '../errors.ts'
import {
  abs,
  add,
  bps,
  clamp,
  div,
  max,
  min,
  mul,
  neg,
  ONE,
  type Ratio,
  r,
  ratio,
  scale,
  sub,
  ZERO,
} from '../money/ratio.ts'
import { pow10 } from '../money/rounding.ts'
import { minorToUsd } from '../pools/model.ts'
import { stateAddOnBps } from '../risk/limits.ts'
import type { RiskState, Side } from '../risk/states.ts'
import { type SwapAmounts, sourceForDestination, swapAmounts } from './amounts.ts'
import { type FeeOverride, feeTierFor, resolveFees } from './fee-tiers.ts'
import { legsOf, type PricedQuote, type QuoteSize, type SpreadBreakdown } from './model.ts'
import { roundRate } from './rates.ts'
import { drivingInventoryRatio, type PoolLevel, restrictSkewBps, skewBps } from './skew.ts'

/** Everything L7 needs, gathered by the shell: a pure function of these values. */
export type PricingInput = {
  readonly corridor: CorridorConfig
  readonly side: Side
  readonly size: QuoteSize
  readonly state: RiskState
  /** Oracle (or synthetic) mid, QUOTE per BASE. */
  readonly mid: Ratio
  /** |mid move| over the volatility window, in bps. */
  readonly midMoveBps: Ratio
  /** The corridor's Active pools, in their own smallest units. */
  readonly basePool: PoolLevel
  readonly quotePool: PoolLevel
  /** Units of each fiat per USD, for sizes, tiers and fixed fees. */
  readonly fiatPerUsd: (fiat: Fiat) => Ratio
  readonly feeOverrides: readonly FeeOverride[]
  readonly feeTierMultiplier: Ratio
  readonly riskConfig: RiskConfig
}

/** Volatility add-on (SPEC §5 [ours]): clamp((m − 5) × 0.5, 0, 20) bps. */
export function volatilityAddOnBps(midMoveBps: Ratio): Ratio {
  const raw = mul(sub(midMoveBps, r(PRICING.volatilityFreeBps)), r(PRICING.volatilitySlope))
  return clamp(raw, ZERO, r(PRICING.volatilityCapBps))
}

/** Liquidity add-on (SPEC §5 [ours]): 10 bps × size / destination Active balance, capped at 15; an empty pool is at the cap. */
export function liquidityAddOnBps(sizeUsd: Ratio, destinationBalanceUsd: Ratio): Ratio {
  const cap = r(PRICING.liquidityCapBps)
  if (destinationBalanceUsd.num <= 0n) return cap
  return min(mul(r(PRICING.liquiditySlopeBps), div(sizeUsd, destinationBalanceUsd)), cap)
}

/** SPEC §5: base + volatility + liquidity + |skew|, each add-on shaped by the corridor state. */
export function spreadFor(
  input: PricingInput,
  sizeUsd: Ratio,
  destinationBalanceUsd: Ratio,
  baseOverrideBps: Ratio | undefined,
): SpreadBreakdown {
  const { state, riskConfig, corridor } = input
  const baseBps = baseOverrideBps ?? r(corridor.baseSpreadBps)
  const volatilityBps = stateAddOnBps(
    state,
    volatilityAddOnBps(input.midMoveBps),
    r(PRICING.volatilityCapBps),
    riskConfig,
  )
  const liquidityBps = stateAddOnBps(
    state,
    liquidityAddOnBps(sizeUsd, destinationBalanceUsd),
    r(PRICING.liquidityCapBps),
    riskConfig,
  )
  const driving = drivingInventoryRatio(input.basePool, input.quotePool)
  const formula =
    state === 'RESTRICT'
      ? restrictSkewBps(driving, corridor)
      : skewBps(driving, corridor, PRICING.skewFullPct)
  // [ours] The skew moves the mid by at most the rest of the spread, so the favoured side is never
  // priced better than the oracle mid: otherwise anyone could sell to a pool above mid and buy back
  // at mid elsewhere, at the LPs' expense. The favoured side still gets the better price of the two.
  const others = add(add(baseBps, volatilityBps), liquidityBps)
  const skew = clamp(formula, neg(others), others)
  // In RESTRICT the skew's magnitude is at MaxSkew even when the imbalance has no sign (SPEC: "maximum spread").
  const skewMagnitude = state === 'RESTRICT' ? r(corridor.maxSkewBps) : abs(skew)
  return {
    baseBps,
    volatilityBps,
    liquidityBps,
    skewBps: skew,
    totalBps: add(others, skewMagnitude),
  }
}

/** Converts a fixed fee written in one fiat into the destination asset at the oracle rate, rounded up. */
export function fixedFeeMinor(
  amount: string,
  fiat: Fiat,
  destinationFiat: Fiat,
  fiatPerUsd: (fiat: Fiat) => Ratio,
): bigint {
  const destination = ASSET_BY_FIAT[destinationFiat]
  const inDestination = mul(r(amount), div(fiatPerUsd(destinationFiat), fiatPerUsd(fiat)))
  return scale(pow10(destination.decimals), inDestination, 'ceil')
}

type Candidate = Omit<PricedQuote, 'corridor' | 'side' | 'source' | 'destination' | 'mid' | 'sizeUsd'>

/** Prices one fee tier: spreads, skewed mid, rounded bid/ask, fees, and the amounts for a source or a wanted net. */
function atTier(
  input: PricingInput,
  tier: FeeTier,
  sizeUsd: Ratio,
  destinationBalanceUsd: Ratio,
  size: { sourceMinor: bigint } | { wantedMinor: bigint },
): Candidate {
  const { source, destination } = legsOf(input.corridor.id, input.side)
  const fees = resolveFees(input.corridor.id, tier, input.feeOverrides, input.feeTierMultiplier)
  const spread = spreadFor(input, sizeUsd, destinationBalanceUsd, fees.baseSpreadOverrideBps)
  const adjustedMid = mul(input.mid, add(ONE, bps(spread.skewBps)))
  const halfSpread = div(bps(spread.totalBps), ratio(2n))
  const bid = roundRate(mul(adjustedMid, sub(ONE, halfSpread)), 'floor')
  const ask = roundRate(mul(adjustedMid, add(ONE, halfSpread)), 'ceil')
  const params = {
    side: input.side,
    rate: input.side === 'SELL' ? bid : ask,
    source,
    destination,
    variableBips: fees.variableBips,
    fixedFeeMinor: fixedFeeMinor(
      fees.fixedFee.amount,
      fees.fixedFee.fiat,
      destination.fiat,
      input.fiatPerUsd,
    ),
  }
  const amounts: SwapAmounts =
    'sourceMinor' in size
      ? swapAmounts({ ...params, sourceMinor: size.sourceMinor })
      : sourceForDestination(params, size.wantedMinor)
  return {
    adjustedMid,
    bid,
    ask,
    spread,
    fees: {
      tier,
      fixedFeeMinor: amounts.fixedFeeMinor,
      variableFeeMinor: amounts.variableFeeMinor,
      variableBips: fees.variableBips,
    },
    sourceMinor: amounts.sourceMinor,
    grossDestinationMinor: amounts.grossMinor,
    destinationMinor: amounts.netMinor,
  }
}

/** The smallest source amount worth at least `usd` (a tier's lower bound). */
function minorAtLeastUsd(
  usd: Ratio,
  source: { decimals: number; fiat: Fiat },
  fiatPerUsd: (fiat: Fiat) => Ratio,
): bigint {
  return scale(pow10(source.decimals), mul(usd, fiatPerUsd(source.fiat)), 'ceil')
}

/**
 * Fixed-receive (SPEC §3 [ours]): the least source whose net reaches the
 * wanted amount, with the tier that source's USD size falls in (SPEC §5). Fees
 * drop at a tier boundary, so the answer may be the boundary itself: each
 * tier offers its own solution (valid when it lands in that tier) and its
 * lower bound (valid when that already reaches the amount); the least wins.
 */
function fixedReceive(
  input: PricingInput,
  wantedMinor: bigint,
  sizeUsd: Ratio,
  destinationBalanceUsd: Ratio,
): Candidate {
  const { source } = legsOf(input.corridor.id, input.side)
  const tierOf = (minor: bigint) => feeTierFor(minorToUsd(minor, source.code, input))
  const candidates: Candidate[] = []
  for (const tier of FEE_TIERS) {
    const solved = atTier(input, tier, sizeUsd, destinationBalanceUsd, { wantedMinor })
    if (tierOf(solved.sourceMinor) === tier) candidates.push(solved)
    const bound = minorAtLeastUsd(ratio(FEE_TIER_MIN_USD[tier]), source, input.fiatPerUsd)
    if (bound === 0n || tierOf(bound) !== tier) continue
    const atBound = atTier(input, tier, sizeUsd, destinationBalanceUsd, { sourceMinor: bound })
    if (atBound.destinationMinor >= wantedMinor) candidates.push(atBound)
  }
  const best = candidates.reduce((a, b) => (b.sourceMinor < a.sourceMinor ? b : a))
  return best
}

/**
 * L7 (SPEC §5): spreads, skewed mid, executable bid/ask, fee tier and fees,
 * and the amounts. The tier follows the source amount's USD size; the
 * liquidity add-on sizes the trade by the amount the partner named.
 */
export function priceQuote(input: PricingInput): Result<PricedQuote> {
  const { source, destination } = legsOf(input.corridor.id, input.side)
  const destinationPool = input.side === 'SELL' ? input.quotePool : input.basePool
  const destinationBalanceUsd = minorToUsd(destinationPool.balance, destination.code, input)
  const sizeAsset = input.size.kind === 'source' ? source : destination
  const requestUsd = minorToUsd(input.size.minor, sizeAsset.code, input)
  const priced =
    input.size.kind === 'source'
      ? atTier(input, feeTierFor(requestUsd), requestUsd, destinationBalanceUsd, {
          sourceMinor: input.size.minor,
        })
      : fixedReceive(input, input.size.minor, requestUsd, destinationBalanceUsd)
  if (priced.destinationMinor <= 0n) return feesExceedAmount(input.corridor.id)
  const sourceUsd = minorToUsd(priced.sourceMinor, source.code, input)
  return ok({
    ...priced,
    corridor: input.corridor.id,
    side: input.side,
    source,
    destination,
    mid: input.mid,
    sizeUsd: max(sourceUsd, ZERO),
  })
}

function feesExceedAmount(corridor: string): Failure {
  return fail('BELOW_MIN_TRANSACTION_SIZE', 'the amount does not cover the fees', corridor)
}
