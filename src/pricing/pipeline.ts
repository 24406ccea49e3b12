import { ASSET_BY_FIAT, type AssetCode, type Fiat } from '../config/assets.ts'
import { CORRIDORS } from '../config/corridors.ts'
import type { RiskConfig } from '../config/risk.ts'
import { ok, type Result } from '../errors.ts'
import { add, div, type Ratio, r } from '../money/ratio.ts'
import type { OracleReading } from '../oracle/aggregate.ts'
import type { OraclePair } from '../oracle/pairs.ts'
import { minorToUsd } from '../pools/model.ts'
import type { CorridorStateView } from '../risk/states.ts'
import type { FeeOverride } from './fee-tiers.ts'
import { checkEntry, type VolumeUsage } from './l1-entry.ts'
import { checkDirection } from './l2-direction.ts'
import { checkSize } from './l3-size.ts'
import { selectRateSource } from './l4-cross-leg.ts'
import { oracleMid } from './l5-oracle.ts'
import { checkState } from './l6-state.ts'
import { priceQuote } from './l7-pricing.ts'
import { checkArbitrage } from './l8-arbitrage.ts'
import { legsOf, type PricedQuote, type QuoteRequest, type RateSource } from './model.ts'
import type { PoolLevel } from './skew.ts'

/** The market as the shell read it for this quote: oracle readings, volatility, USD rates. */
export type MarketView = {
  reading(pair: OraclePair): OracleReading
  midMoveBps(pair: OraclePair): Ratio
  fiatPerUsd(fiat: Fiat): Ratio
}

export type PartnerTerms = {
  readonly enabledCorridors: readonly import('../config/corridors.ts').CorridorId[]
  readonly feeOverrides: readonly FeeOverride[]
  readonly feeTierMultiplier: Ratio
  /** Firm quotes only: the partner's limits and what it has used. */
  readonly limits?: {
    readonly dailyPerCorridorUsd: Ratio
    readonly monthlyUsd: Ratio
    readonly usage: VolumeUsage
    /** Why the limits are below the agreed ones (SPEC §9 production ramp-up). */
    readonly note?: string
  }
}

export type PipelineInput = {
  readonly request: QuoteRequest
  readonly partner: PartnerTerms
  readonly market: MarketView
  /** Active pool balance and target per asset, in smallest units. */
  readonly activePool: (asset: AssetCode) => PoolLevel
  readonly stateView: CorridorStateView
  readonly riskConfig: RiskConfig
}

export type QuoteOutcome = PricedQuote & {
  readonly rateSource: RateSource
  readonly maxSizeUsd: Ratio
  readonly stateView: CorridorStateView
}

/**
 * The quote pipeline of SPEC §4: nine layers, composed in order, each a pure
 * function that passes a value on or stops with its SPEC code. L9 runs at
 * execution time (trading/executions.ts).
 */
export function runQuotePipeline(input: PipelineInput): Result<QuoteOutcome> {
  const { request, market, stateView, partner } = input
  const corridor = CORRIDORS[request.corridor]
  const { source, destination } = legsOf(request.corridor, request.side)
  const sizeAsset = request.size.kind === 'source' ? source : destination
  const sizeUsd = minorToUsd(request.size.minor, sizeAsset.code, market)
  const destinationPool = input.activePool(destination.code)

  const entry = checkEntry({
    corridor: request.corridor,
    enabledCorridors: partner.enabledCorridors,
    sizeUsd,
    fiatPerUsd: market.fiatPerUsd,
    ...(partner.limits === undefined ? {} : { limits: partner.limits }),
  })
  if (entry !== undefined) return entry
  const direction = checkDirection(request.corridor, request.side, stateView)
  if (direction !== undefined) return direction
  const size = checkSize({
    corridor: request.corridor,
    state: stateView.state,
    sizeUsd,
    destinationActiveUsd: minorToUsd(destinationPool.balance, destination.code, market),
    riskConfig: input.riskConfig,
  })
  if (size.failure !== undefined) return size.failure
  const crossLeg = selectRateSource(request.corridor, market.reading, destinationPool.balance)
  if (crossLeg.failure !== undefined) return crossLeg.failure
  const mid = oracleMid(request.corridor, crossLeg.selection, market.reading)
  if (!mid.ok) return mid
  const halted = checkState(request.corridor, stateView)
  if (halted !== undefined) return halted

  const priced = priceQuote({
    corridor,
    side: request.side,
    size: request.size,
    state: stateView.state,
    mid: mid.value,
    midMoveBps: rateMoveBps(crossLeg.selection.pairs, market),
    basePool: input.activePool(ASSET_BY_FIAT[corridor.base].code),
    quotePool: input.activePool(ASSET_BY_FIAT[corridor.quote].code),
    fiatPerUsd: market.fiatPerUsd,
    feeOverrides: partner.feeOverrides,
    feeTierMultiplier: partner.feeTierMultiplier,
    riskConfig: input.riskConfig,
  })
  if (!priced.ok) return priced
  const arbitrage = checkArbitrage({
    quote: priced.value,
    state: stateView.state,
    rateSource: crossLeg.selection.rateSource,
    ...crossRates(request.corridor, market),
  })
  if (arbitrage !== undefined) return arbitrage
  return ok({
    ...priced.value,
    rateSource: crossLeg.selection.rateSource,
    maxSizeUsd: size.maxSizeUsd,
    stateView,
  })
}

/**
 * SPEC §5 m, the mid move behind the rate: the pair's own for a direct rate;
 * for a synthetic cross a ÷ b, the sum of the legs' moves, which bounds the
 * cross's move (to first order) whichever way each leg went.
 */
function rateMoveBps(pairs: readonly OraclePair[], market: MarketView): Ratio {
  return pairs.map((pair) => market.midMoveBps(pair)).reduce((sum, move) => add(sum, move))
}

/** For MYR-IDR, the mids L8 compares: direct and synthetic, and the USD legs for the triangle. */
function crossRates(corridor: string, market: MarketView) {
  if (corridor !== 'MYR-IDR') return {}
  const mid = (pair: OraclePair) => {
    const reading = market.reading(pair)
    return reading.status === 'OK' ? reading.mid : undefined
  }
  const direct = mid('MYR-IDR')
  const usdIdr = mid('USD-IDR')
  const usdMyr = mid('USD-MYR')
  return {
    ...(direct === undefined ? {} : { directMid: direct }),
    ...(usdIdr === undefined || usdMyr === undefined
      ? {}
      : {
          syntheticMid: div(usdIdr, usdMyr),
          usdIdrMid: usdIdr,
          usdMyrMid: usdMyr,
          usdIdrBaseSpreadBps: r(CORRIDORS['USD-IDR'].baseSpreadBps),
        }),
  }
}
