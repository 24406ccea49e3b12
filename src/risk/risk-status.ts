import { ASSET_BY_FIAT } from '../config/assets.ts'
import { CORRIDOR_IDS, CORRIDORS, type CorridorId } from '../config/corridors.ts'
import type { RiskConfig } from '../config/risk.ts'
import { formatDecimal } from '../money/decimal.ts'
import { abs, add, cmp, div, formatRatio, type Ratio, ratio } from '../money/ratio.ts'
import { pow10 } from '../money/rounding.ts'
import { minorToUsd } from '../pools/model.ts'
import type { RiskEngine } from './engine.ts'
import { pricingPairs, type RiskInputs } from './inputs.ts'
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

/**
 * SPEC §13 GET /v1/reserve/risk-status: the bag each corridor holds (its
 * position since the last rebalance), what it is worth at oracle mid, its
 * VaR and share of exposure, and the corridor's state.
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
    const { base, quote } = CORRIDORS[corridor]
    const baseAsset = ASSET_BY_FIAT[base]
    const quoteAsset = ASSET_BY_FIAT[quote]
    const position = inputs.positions.get(corridor)
    const baseUnits = position?.baseUnits ?? 0n
    const quoteUnits = position?.quoteUnits ?? 0n
    const figures = exposure.corridors.find((c) => c.corridor === corridor)
    if (figures === undefined) throw new Error(`no exposure figures for ${corridor}`)
    const pairs = pricingPairs(corridor, inputs.readings)
    const mids = pairs.map((pair) => inputs.readings.get(pair)?.mid)
    const mid = mids.every((m) => m !== undefined)
      ? mids.length === 1
        ? mids[0]
        : div(mids[0] as Ratio, mids[1] as Ratio)
      : undefined
    const view: CorridorRiskView = {
      inventory_units: formatDecimal(baseUnits, baseAsset.decimals),
      waop:
        baseUnits === 0n
          ? null
          : formatRatio(
              abs(
                div(
                  ratio(quoteUnits, pow10(quoteAsset.decimals)),
                  ratio(baseUnits, pow10(baseAsset.decimals)),
                ),
              ),
              8,
              'floor',
            ),
      oracle_mid: mid === undefined ? null : formatRatio(mid, 8, 'floor'),
      gross_exposure_usd: usd(figures.grossExposureUsd),
      // The bag marked at oracle mid: what it took in less what it paid out, both valued now.
      unrealised_pnl_usd: usd(
        add(
          minorToUsd(baseUnits, baseAsset.code, inputs.rates),
          minorToUsd(quoteUnits, quoteAsset.code, inputs.rates),
        ),
      ),
      var_1d_usd: usd(figures.var1dUsd),
      var_pct_of_capital: pct(figures.varPctOfCapital),
      concentration_pct: formatRatio(figures.concentrationPct, 4, 'ceil'),
      status: engine.view(environment, corridor).state,
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
  }
}
