import { ASSET_BY_FIAT } from '../config/assets.ts'
import { CORRIDOR_IDS, CORRIDORS, type CorridorId } from '../config/corridors.ts'
import type { RiskConfig } from '../config/risk.ts'
import { formatDecimal } from '../money/decimal.ts'
import { abs, add, cmp, div, formatRatio, mul, type Ratio, ratio, ZERO } from '../money/ratio.ts'
import { pow10 } from '../money/rounding.ts'
import { minorToUsd } from '../pools/model.ts'
import type { UsdRates } from '../pools/usd-rates.ts'
import { pnlUsd } from '../rebalancing/batch-model.ts'
import { corridorRate } from '../rebalancing/planner.ts'
import type { RiskEngine } from './engine.ts'
import { pricingPairs, type RiskInputs } from './inputs.ts'
import type { CorridorPosition } from './positions.ts'
import { DEFAULT_POR_CONFIG, porView } from './signals/por.ts'
import { exposureOf } from './signals-for.ts'
import { mostSevere, type RiskState } from './states.ts'

const usd = (value: Ratio) => formatRatio(value, 2, 'floor')
const pct = (value: Ratio | undefined) => (value === undefined ? null : formatRatio(value, 4, 'ceil'))

export type CorridorRiskView = {
  inventory_units: string
  waop: string | null
  oracle_mid: string | null
  gross_exposure_usd: string
  unrealised_pnl_usd: string
  var_1d_usd: string
  var_pct_of_capital: string | null
  concentration_pct: string
  status: RiskState
  oldest_batch_age_hours: string | null
  breach_type?: string
}

/** The most serious exposure condition behind a corridor's status, for `breach_type` (SPEC §13). */
function breachType(
  exposurePct: Ratio | undefined,
  concentrationPct: Ratio,
  portfolioState: RiskState,
  config: RiskConfig,
): string | undefined {
  const e = config.exposure
  if (portfolioState === 'RESTRICT') return 'VAR_BREACH'
  if (exposurePct !== undefined && cmp(exposurePct, e.breachAtPctOfCapacity) >= 0) return 'CAPACITY_BREACH'
  if (portfolioState === 'PROTECT') return 'VAR_WARNING'
  if (exposurePct !== undefined && cmp(exposurePct, e.warnAtPctOfCapacity) >= 0) return 'CAPACITY_WARNING'
  if (cmp(concentrationPct, e.concentrationWarnAtPct) >= 0) return 'CONCENTRATION_WARNING'
  return undefined
}

/** One part of a corridor's open position: signed BASE units at an open price (QUOTE per BASE). */
type Lot = { readonly units: bigint; readonly price: Ratio }

/**
 * The parts of a corridor's open position (SPEC §8): each open batch of the
 * Reserve's bag at its WAOP, and what the Active pools still hold at the
 * average rate they dealt it at (QUOTE paid or taken per BASE, fees included).
 */
function lotsOf(corridor: CorridorId, position: CorridorPosition | undefined): Lot[] {
  if (position === undefined) return []
  const { base, quote } = CORRIDORS[corridor]
  const lots: Lot[] = position.bag
    .filter((lot) => lot.openUnits > 0n)
    .map((lot) => ({
      units: lot.direction === 'LONG_BASE' ? lot.openUnits : -lot.openUnits,
      price: lot.waop,
    }))
  const active = position.active
  if (active.baseUnits !== 0n) {
    const price = abs(
      div(
        ratio(active.quoteUnits, pow10(ASSET_BY_FIAT[quote].decimals)),
        ratio(active.baseUnits, pow10(ASSET_BY_FIAT[base].decimals)),
      ),
    )
    lots.push({ units: active.baseUnits, price })
  }
  return lots
}

/**
 * SPEC §13 `waop`: the weighted average open price of the corridor's net
 * position, over the parts on its side (parts on the other side are netted
 * by the next rebalance, first in, first out); null when flat.
 */
function waopOf(corridor: CorridorId, position: CorridorPosition | undefined): Ratio | undefined {
  const net = position?.baseUnits ?? 0n
  if (net === 0n) return undefined
  const side = lotsOf(corridor, position).filter((lot) => lot.units > 0n === net > 0n)
  const volume = side.reduce((sum, lot) => sum + (lot.units < 0n ? -lot.units : lot.units), 0n)
  if (volume === 0n) return undefined
  const cost = side.reduce(
    (sum, lot) => add(sum, mul(ratio(lot.units < 0n ? -lot.units : lot.units), lot.price)),
    ZERO,
  )
  return div(cost, ratio(volume))
}

/**
 * SPEC §13 `unrealised_pnl_usd`: the open position marked at the oracle mid.
 * The bag: each batch's open volume × (mid − WAOP) (SPEC §8); the Active part:
 * what it took in less what it paid out, both valued now.
 */
function unrealisedUsd(corridor: CorridorId, position: CorridorPosition | undefined, rates: UsdRates): Ratio {
  if (position === undefined) return ZERO
  const { base, quote } = CORRIDORS[corridor]
  const baseAsset = ASSET_BY_FIAT[base]
  const mid = corridorRate(corridor, rates)
  const bag = position.bag.reduce(
    (sum, lot) =>
      add(
        sum,
        pnlUsd(lot.direction, lot.openUnits, baseAsset.decimals, lot.waop, mid, rates.fiatPerUsd(quote)),
      ),
    ZERO,
  )
  const active = add(
    minorToUsd(position.active.baseUnits, baseAsset.code, rates),
    minorToUsd(position.active.quoteUnits, ASSET_BY_FIAT[quote].code, rates),
  )
  return add(bag, active)
}

/**
 * SPEC §13 GET /v1/reserve/risk-status: each corridor's open position (the
 * Reserve's open batches plus what the Active pools hold until the next
 * rebalance), its WAOP and what it is worth at oracle mid, its VaR and share
 * of exposure, and the corridor's state.
 */
export function riskStatus(
  engine: RiskEngine,
  inputs: RiskInputs,
  environment: 'sandbox' | 'live',
  config: RiskConfig,
) {
  const exposure = exposureOf(inputs, config)
  const corridors = {} as Record<CorridorId, CorridorRiskView>
  for (const corridor of CORRIDOR_IDS) {
    const baseAsset = ASSET_BY_FIAT[CORRIDORS[corridor].base]
    const position = inputs.positions.get(corridor)
    const baseUnits = position?.baseUnits ?? 0n
    const figures = exposure.corridors.find((c) => c.corridor === corridor)
    if (figures === undefined) throw new Error(`no exposure figures for ${corridor}`)
    const pairs = pricingPairs(corridor, inputs.readings)
    const mids = pairs.map((pair) => inputs.readings.get(pair)?.mid)
    const mid = mids.every((m) => m !== undefined)
      ? mids.length === 1
        ? mids[0]
        : div(mids[0] as Ratio, mids[1] as Ratio)
      : undefined
    const waop = waopOf(corridor, position)
    const view: CorridorRiskView = {
      inventory_units: formatDecimal(baseUnits, baseAsset.decimals),
      waop: waop === undefined ? null : formatRatio(waop, 8, 'floor'),
      oracle_mid: mid === undefined ? null : formatRatio(mid, 8, 'floor'),
      gross_exposure_usd: usd(figures.grossExposureUsd),
      unrealised_pnl_usd: usd(unrealisedUsd(corridor, position, inputs.rates)),
      var_1d_usd: usd(figures.var1dUsd),
      var_pct_of_capital: pct(figures.varPctOfCapital),
      concentration_pct: formatRatio(figures.concentrationPct, 4, 'ceil'),
      status: engine.view(environment, corridor).state,
      // The oldest open batch, or the Active position when older (what is not rebalanced yet).
      oldest_batch_age_hours:
        position?.openedAtMs == null
          ? null
          : formatRatio(ratio(BigInt(inputs.nowMs - position.openedAtMs), 3_600_000n), 2, 'floor'),
    }
    const breach = breachType(
      figures.exposurePctOfCapacity,
      figures.concentrationPct,
      exposure.portfolioState,
      config,
    )
    corridors[corridor] = breach === undefined ? view : { ...view, breach_type: breach }
  }
  return {
    environment,
    snapshot_time: new Date(inputs.nowMs).toISOString(),
    reserve_capital_usd: usd(inputs.reserveCapitalUsd),
    portfolio_var_usd: usd(exposure.portfolioVarUsd),
    portfolio_var_pct: pct(exposure.portfolioVarPct),
    // The worst of the corridors' states, which already include their exposure signals.
    overall_status: mostSevere(Object.values(corridors).map((c) => c.status)),
    last_emergency_rfq: null,
    corridors,
    // Issue 11: each issuer's Proof of Reserve and what it says about its asset's corridors (only when one publishes).
    ...((inputs.reserveProofs ?? []).length === 0
      ? {}
      : {
          proof_of_reserve: (inputs.reserveProofs ?? []).map((p) =>
            porView(p, inputs.nowMs, DEFAULT_POR_CONFIG),
          ),
        }),
  }
}
