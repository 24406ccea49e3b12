import { ASSET_BY_FIAT, ASSET_CODES, type AssetCode } from '../config/assets.ts'
import { CORRIDORS, type CorridorId } from '../config/corridors.ts'
import type { Environment } from '../config/environment.ts'
import { DAILY_VOLATILITY_PCT } from '../config/exposure.ts'
import { POOLS } from '../config/pools.ts'
import { poolAccount } from '../ledger/accounts.ts'
import { balancesOf } from '../ledger/journal.ts'
import { abs, add, max, min, percent, type Ratio, r, ratio, ZERO } from '../money/ratio.ts'
import type { OracleReading } from '../oracle/aggregate.ts'
import { ORACLE_PAIRS, type OraclePair } from '../oracle/pairs.ts'
import type { OracleService } from '../oracle/service.ts'
import { minorToUsd } from '../pools/model.ts'
import type { UsdRates } from '../pools/usd-rates.ts'
import { SYNTHETIC_LEGS } from '../pricing/l4-cross-leg.ts'
import type { Reader } from '../store/store.ts'
import { USD_MICROS } from '../trading/volume.ts'
import { type CorridorPosition, readPositions } from './positions.ts'
import type { ActivePoolSnapshot } from './signals/inventory.ts'

/** Everything the four signals read for one environment at one instant (SPEC §6.2). */
export type RiskInputs = {
  readonly nowMs: number
  readonly readings: ReadonlyMap<OraclePair, OracleReading>
  readonly midMoveBps: ReadonlyMap<OraclePair, Ratio>
  readonly rates: UsdRates
  readonly activePools: ReadonlyMap<AssetCode, ActivePoolSnapshot>
  readonly positions: ReadonlyMap<CorridorId, CorridorPosition>
  /** Live firm quotes' notional per corridor, USD (SPEC §6.2: they count until they expire or execute). */
  readonly openQuotesUsd: ReadonlyMap<CorridorId, Ratio>
  /** Σ Reserve pool balances, USD: the capital VaR is measured against. */
  readonly reserveCapitalUsd: Ratio
}

/** The pairs a corridor's price rests on now: its own, or for MYR-IDR without a usable direct feed, the USD legs. */
export function pricingPairs(
  corridor: CorridorId,
  readings: ReadonlyMap<OraclePair, OracleReading>,
): readonly OraclePair[] {
  if (corridor !== 'MYR-IDR') return [corridor]
  const direct = readings.get('MYR-IDR')
  const legsOk = SYNTHETIC_LEGS.every((pair) => readings.get(pair)?.status === 'OK')
  return direct?.status !== 'OK' && legsOk ? SYNTHETIC_LEGS : ['MYR-IDR']
}

/** Reads the pools, positions and live quotes behind the signals; oracle figures come from memory. */
export async function gatherInputs(
  db: Reader,
  oracle: OracleService,
  environment: Environment,
  nowMs: number,
  windowMs: number,
): Promise<RiskInputs> {
  const rates = oracle.usdRates(environment)
  const balance = await balancesOf(
    db,
    ASSET_CODES.flatMap((asset) => [
      poolAccount(environment, asset, 'ACTIVE'),
      poolAccount(environment, asset, 'RESERVE'),
    ]),
  )
  const activePools = new Map<AssetCode, ActivePoolSnapshot>()
  let reserveCapitalUsd = ZERO
  for (const asset of ASSET_CODES) {
    const active = balance(poolAccount(environment, asset, 'ACTIVE'))
    const reserve = balance(poolAccount(environment, asset, 'RESERVE'))
    activePools.set(asset, {
      balanceUsd: minorToUsd(active, asset, rates),
      targetUsd: ratio(POOLS[asset].ACTIVE.targetUsd),
    })
    reserveCapitalUsd = add(reserveCapitalUsd, minorToUsd(reserve, asset, rates))
  }
  const quotes = await db.kysely
    .selectFrom('quotes')
    .select(['corridor', 'usd_micros'])
    .where('environment', '=', environment)
    .where('status', '=', 'OPEN')
    .where('expires_at', '>', BigInt(nowMs))
    .execute()
  const openQuotesUsd = new Map<CorridorId, Ratio>()
  for (const q of quotes) {
    const corridor = q.corridor as CorridorId
    openQuotesUsd.set(
      corridor,
      add(openQuotesUsd.get(corridor) ?? ZERO, ratio(BigInt(q.usd_micros), USD_MICROS)),
    )
  }
  return {
    nowMs,
    readings: new Map(ORACLE_PAIRS.map((pair) => [pair, oracle.reading(environment, pair)])),
    midMoveBps: new Map(ORACLE_PAIRS.map((pair) => [pair, oracle.midMoveBps(environment, pair, windowMs)])),
    rates,
    activePools,
    positions: await readPositions(db, environment),
    openQuotesUsd,
    reserveCapitalUsd,
  }
}

/**
 * A corridor's gross exposure (SPEC §6.2 "units × oracle mid"): the larger
 * side of its open position in USD, plus live firm quotes. [ours]
 */
export function grossExposureUsd(corridor: CorridorId, inputs: RiskInputs): Ratio {
  const { base, quote } = CORRIDORS[corridor]
  const position = inputs.positions.get(corridor)
  const baseUsd = abs(minorToUsd(position?.baseUnits ?? 0n, ASSET_BY_FIAT[base].code, inputs.rates))
  const quoteUsd = abs(minorToUsd(position?.quoteUnits ?? 0n, ASSET_BY_FIAT[quote].code, inputs.rates))
  return add(max(baseUsd, quoteUsd), inputs.openQuotesUsd.get(corridor) ?? ZERO)
}

/** A corridor's reserve capacity [ours]: the smaller Reserve target of its two assets, USD. */
export function reserveCapacityUsd(corridor: CorridorId): Ratio {
  const { base, quote } = CORRIDORS[corridor]
  return min(
    ratio(POOLS[ASSET_BY_FIAT[base].code].RESERVE.targetUsd),
    ratio(POOLS[ASSET_BY_FIAT[quote].code].RESERVE.targetUsd),
  )
}

export function dailyVolatility(corridor: CorridorId): Ratio {
  return percent(r(DAILY_VOLATILITY_PCT[corridor]))
}
