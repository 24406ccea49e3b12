import { ASSET_BY_FIAT, ASSETS, FIATS, type Fiat, isAssetCode, isFiat } from '../../config/assets.ts'
import { CORRIDOR_IDS, CORRIDORS, type CorridorId } from '../../config/corridors.ts'
import type { Environment } from '../../config/environment.ts'
import type { RiskConfig } from '../../config/risk.ts'
import { div, formatRatio, mul, ONE, type Ratio, r, ratio } from '../../money/ratio.ts'
import { pow10 } from '../../money/rounding.ts'
import type { OracleService } from '../../oracle/service.ts'
import { usdToMinor } from '../../pools/model.ts'
import { runQuotePipeline } from '../../pricing/pipeline.ts'
import type { CorridorStates } from '../../risk/engine.ts'
import type { Side } from '../../risk/states.ts'
import { type ActivePools, marketView } from '../../trading/market.ts'

/** SPEC §12.1: publish the executable rate for a reference size (default), or the oracle mid. */
export type RatesMode = 'executable' | 'mid'

/** The reference size executable rates are computed for, in USD (STABLEFX_RATES_REFERENCE_USD). */
export const REFERENCE_SIZE_USD = '1000'

type Leg = { corridor: CorridorId; side: Side; to: Fiat }

/** The corridors as a graph of fiats: each corridor trades both ways. */
function neighbours(fiat: Fiat): Leg[] {
  return CORRIDOR_IDS.flatMap((corridor): Leg[] => {
    const { base, quote } = CORRIDORS[corridor]
    if (base === fiat) return [{ corridor, side: 'SELL', to: quote }]
    if (quote === fiat) return [{ corridor, side: 'BUY', to: base }]
    return []
  })
}

/** The shortest chain of corridors from one fiat to another (USD-MYR, for one, goes through IDR). */
function route(from: Fiat, to: Fiat): Leg[] | undefined {
  const seen = new Set<Fiat>([from])
  let frontier: { at: Fiat; path: Leg[] }[] = [{ at: from, path: [] }]
  while (frontier.length > 0) {
    const next: typeof frontier = []
    for (const { at, path } of frontier) {
      for (const leg of neighbours(at)) {
        if (seen.has(leg.to)) continue
        if (leg.to === to) return [...path, leg]
        seen.add(leg.to)
        next.push({ at: leg.to, path: [...path, leg] })
      }
    }
    frontier = next
  }
  return undefined
}

export type RatesDeps = {
  readonly oracle: OracleService
  readonly pools: ActivePools
  readonly states: CorridorStates
  readonly riskConfig: RiskConfig
  readonly environment: Environment
  readonly mode: RatesMode
  /** The size executable rates are priced for, USD as a decimal string; REFERENCE_SIZE_USD when absent. */
  readonly referenceUsd?: string
}

/**
 * One unit of `from` in `to`: the product of each leg's effective rate
 * (destination received ÷ source paid, fees included, for the reference
 * size), or the oracle mids. Undefined when any leg cannot be quoted now.
 */
export async function rateBetween(
  deps: RatesDeps,
  from: Fiat,
  to: Fiat,
  sizeUsd: Ratio = r(deps.referenceUsd ?? REFERENCE_SIZE_USD),
): Promise<Ratio | undefined> {
  const legs = route(from, to)
  if (legs === undefined) return undefined
  const market = marketView(deps.oracle, deps.environment)
  const levels = await deps.pools.levels(deps.environment)
  let rate = ONE
  for (const leg of legs) {
    const source = leg.side === 'SELL' ? CORRIDORS[leg.corridor].base : CORRIDORS[leg.corridor].quote
    const sourceAsset = ASSET_BY_FIAT[source]
    const outcome = runQuotePipeline({
      request: {
        corridor: leg.corridor,
        side: leg.side,
        size: {
          kind: 'source',
          // Each leg is priced for the size in USD, converted at the oracle into its source asset.
          minor: usdToMinor(sizeUsd, sourceAsset.code, deps.oracle.usdRates(deps.environment)),
        },
      },
      partner: { enabledCorridors: CORRIDOR_IDS, feeOverrides: [], feeTierMultiplier: ONE },
      market,
      activePool: (asset) => levels.get(asset) ?? { balance: 0n, target: 0n },
      stateView: deps.states.view(deps.environment, leg.corridor),
      riskConfig: deps.riskConfig,
    })
    if (!outcome.ok) return undefined
    const q = outcome.value
    const legRate =
      deps.mode === 'mid'
        ? leg.side === 'SELL'
          ? q.mid
          : div(ONE, q.mid)
        : div(
            ratio(q.destinationMinor, pow10(q.destination.decimals)),
            ratio(q.sourceMinor, pow10(q.source.decimals)),
          )
    rate = mul(rate, legRate)
  }
  return rate
}

/** The Rafiki contract's base: a fiat or a stablecoin code; undefined for anything else (→ 404). */
export function baseFiat(code: string): Fiat | undefined {
  if (isFiat(code)) return code
  if (isAssetCode(code)) return ASSETS[code].fiat
  return undefined
}

/**
 * SPEC §12.1 body: every served fiat and stablecoin code as a positive finite
 * JSON number, "1 unit of base = rate units of the key". A stablecoin trades
 * 1:1 with its fiat. Codes whose corridors cannot be quoted right now (a
 * halted corridor, stale oracle) are left out rather than published at a
 * rate that would not execute. Rates are rounded down to 12 digits, so a
 * payment sized on them does not come up short.
 */
export async function ratesFor(deps: RatesDeps, base: Fiat): Promise<Record<string, number>> {
  const rates: Record<string, number> = {}
  for (const fiat of FIATS) {
    const rate = fiat === base ? ONE : await rateBetween(deps, base, fiat)
    if (rate === undefined || rate.num <= 0n) continue
    const value = Number(formatRatio(rate, 12, 'floor'))
    if (!(value > 0) || !Number.isFinite(value)) continue
    rates[fiat] = value
    rates[ASSET_BY_FIAT[fiat].code] = value
  }
  return rates
}
