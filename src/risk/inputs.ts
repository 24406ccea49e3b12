import { sql } from 'kysely'
import { utcDay } from '../clock/clock.ts'
import { ASSET_BY_FIAT, ASSET_CODES, type AssetCode } from '../config/assets.ts'
import { CORRIDORS, type CorridorId } from '../config/corridors.ts'
import type { Environment } from '../config/environment.ts'
import { DAILY_VOLATILITY_PCT } from '../config/exposure.ts'
import { POOLS } from '../config/pools.ts'
import { readReserveProofs } from '../issuers/reserves.ts'
import { poolAccount, poolAccounts, prefundedAccount } from '../ledger/accounts.ts'
import { balancesOf } from '../ledger/journal.ts'
import { abs, add, max, min, percent, type Ratio, r, ratio, sub, ZERO } from '../money/ratio.ts'
import { USD_MICROS } from '../money/usd-micros.ts'
import type { OracleReading } from '../oracle/aggregate.ts'
import { ORACLE_PAIRS, type OraclePair, SYNTHETIC_LEGS } from '../oracle/pairs.ts'
import type { OracleService } from '../oracle/service.ts'
import { DEFAULT_CONFIG, type PartnerConfig } from '../partners/model.ts'
import { minorToUsd } from '../pools/model.ts'
import type { UsdRates } from '../pools/usd-rates.ts'
import { legsOf } from '../pricing/model.ts'
import type { Reader } from '../store/store.ts'
import { type CorridorPosition, readPositions } from './positions.ts'
import type { ActivePoolSnapshot } from './signals/inventory.ts'
import type { ReserveProof } from './signals/por.ts'
import {
  executableOpenQuotesUsd,
  type OpenQuoteGroup,
  type PartnerCapacity,
} from './signals/quote-exposure.ts'
import type { Side } from './states.ts'

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
  /** Issue 11: each issuer's latest Proof of Reserve (absent or empty: no issuer publishes one). */
  readonly reserveProofs?: readonly ReserveProof[]
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
      ...poolAccounts(environment, asset, 'RESERVE'),
    ]),
  )
  const activePools = new Map<AssetCode, ActivePoolSnapshot>()
  let reserveCapitalUsd = ZERO
  for (const asset of ASSET_CODES) {
    const active = balance(poolAccount(environment, asset, 'ACTIVE'))
    // Reserve capital of every owner: VaR is measured against all of it (SPEC §6.2).
    const reserve = poolAccounts(environment, asset, 'RESERVE').reduce((sum, key) => sum + balance(key), 0n)
    activePools.set(asset, {
      balanceUsd: minorToUsd(active, asset, rates),
      targetUsd: ratio(POOLS[asset].ACTIVE.targetUsd),
    })
    reserveCapitalUsd = add(reserveCapitalUsd, minorToUsd(reserve, asset, rates))
  }
  const openQuotesUsd = await readOpenQuotesUsd(db, environment, nowMs, rates)
  return {
    nowMs,
    readings: new Map(ORACLE_PAIRS.map((pair) => [pair, oracle.reading(environment, pair)])),
    midMoveBps: new Map(ORACLE_PAIRS.map((pair) => [pair, oracle.midMoveBps(environment, pair, windowMs)])),
    rates,
    activePools,
    positions: await readPositions(db, environment),
    openQuotesUsd,
    reserveCapitalUsd,
    reserveProofs: await readReserveProofs(db, environment),
  }
}

/**
 * Live firm quotes' exposure per corridor, bounded by what each partner could
 * execute (SPEC §6.2, §15 "Firm quotes"; signals/quote-exposure.ts): two
 * reads, the open quotes summed per partner, corridor and side with each
 * partner's limits and executed volume, then the prefunded balances they
 * would draw on.
 */
async function readOpenQuotesUsd(
  db: Reader,
  environment: Environment,
  nowMs: number,
  rates: UsdRates,
): Promise<Map<CorridorId, Ratio>> {
  const today = utcDay(nowMs)
  const monthStart = `${today.slice(0, 7)}-01`
  const rows = await db.kysely
    .selectFrom('quotes as q')
    .innerJoin('partners as p', 'p.id', 'q.partner_id')
    .select((eb) => [
      'q.partner_id',
      'q.corridor',
      'q.side',
      'p.config',
      sql<string>`sum(q.usd_micros)`.as('open_micros'),
      // What the partner executed today in the corridor, and this month in all of them (SPEC §9 limits).
      eb
        .selectFrom('partner_volume as v')
        .select(sql<string | null>`sum(v.usd_micros)`.as('usd'))
        .whereRef('v.partner_id', '=', 'q.partner_id')
        .whereRef('v.corridor', '=', 'q.corridor')
        .where('v.environment', '=', environment)
        .where('v.day', '=', today)
        .as('day_micros'),
      eb
        .selectFrom('partner_volume as v')
        .select(sql<string | null>`sum(v.usd_micros)`.as('usd'))
        .whereRef('v.partner_id', '=', 'q.partner_id')
        .where('v.environment', '=', environment)
        .where('v.day', '>=', monthStart)
        .as('month_micros'),
    ])
    .where('q.environment', '=', environment)
    .where('q.status', '=', 'OPEN')
    .where('q.expires_at', '>', BigInt(nowMs))
    .groupBy(['q.partner_id', 'q.corridor', 'q.side', 'p.config'])
    .execute()
  if (rows.length === 0) return new Map()
  const sourceAccount = (row: (typeof rows)[number]) =>
    prefundedAccount(
      environment,
      legsOf(row.corridor as CorridorId, row.side as Side).source.code,
      row.partner_id,
    )
  const balance = await balancesOf(db, rows.map(sourceAccount))
  const micros = (value: unknown) =>
    ratio(value === null || value === undefined ? 0n : BigInt(String(value)), USD_MICROS)
  const capacities = new Map<string, PartnerCapacity>()
  const executedToday = new Map(
    rows.map((row) => [`${row.partner_id}|${row.corridor}`, micros(row.day_micros)]),
  )
  for (const row of rows) {
    if (capacities.has(row.partner_id)) continue
    const { limits } = { ...DEFAULT_CONFIG, ...(JSON.parse(row.config) as Partial<PartnerConfig>) }
    capacities.set(row.partner_id, {
      balanceUsd: (asset) =>
        minorToUsd(balance(prefundedAccount(environment, asset, row.partner_id)), asset, rates),
      dailyLeftUsd: (corridor) =>
        sub(r(limits.daily_per_corridor_usd), executedToday.get(`${row.partner_id}|${corridor}`) ?? ZERO),
      monthlyLeftUsd: sub(r(limits.monthly_usd), micros(row.month_micros)),
    })
  }
  const groups: OpenQuoteGroup[] = rows.map((row) => ({
    partnerId: row.partner_id,
    corridor: row.corridor as CorridorId,
    side: row.side as Side,
    openUsd: micros(row.open_micros),
  }))
  return executableOpenQuotesUsd(groups, (partnerId) => capacities.get(partnerId) as PartnerCapacity)
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
