import { ASSET_CODES, type AssetCode, type Fiat } from '../config/assets.ts'
import { CORRIDORS, type CorridorId } from '../config/corridors.ts'
import type { Environment } from '../config/environment.ts'
import { FEE_TABLE, FEE_TIERS } from '../config/fees.ts'
import { PRICING } from '../config/pricing.ts'
import { fail, ok, type Result } from '../errors.ts'
import { poolAccount } from '../ledger/accounts.ts'
import { balancesOf } from '../ledger/journal.ts'
import { ONE, type Ratio } from '../money/ratio.ts'
import type { OraclePair } from '../oracle/pairs.ts'
import type { OracleService } from '../oracle/service.ts'
import { poolTargetMinor } from '../pools/model.ts'
import type { UsdRates } from '../pools/usd-rates.ts'
import { selectionOf } from '../pricing/l4-cross-leg.ts'
import { oracleMid } from '../pricing/l5-oracle.ts'
import type { RateSource } from '../pricing/model.ts'
import type { MarketView } from '../pricing/pipeline.ts'
import type { PoolLevel } from '../pricing/skew.ts'
import type { Store } from '../store/store.ts'

/**
 * The market of one environment as the pipeline reads it, valued at the
 * oracle's display rates (reference mids where a pair has none): for
 * estimates such as the Rafiki rates, never for a firm quote or a fill.
 */
export function marketView(oracle: OracleService, environment: Environment): MarketView {
  return marketAt(oracle, environment, oracle.usdRates(environment))
}

function marketAt(oracle: OracleService, environment: Environment, rates: UsdRates): MarketView {
  return {
    reading: (pair) => oracle.reading(environment, pair),
    midMoveBps: (pair) => oracle.midMoveBps(environment, pair, PRICING.volatilityWindowMs),
    fiatPerUsd: (fiat) => rates.fiatPerUsd(fiat),
  }
}

/**
 * The fiats whose USD rate a corridor's money reads: its two, USD (sizes,
 * tiers and limits are in USD), its minimum's, and its fixed fees'.
 */
export function corridorFiats(corridor: CorridorId): readonly Fiat[] {
  const { base, quote, minTransactionFiat } = CORRIDORS[corridor]
  const feeFiats = FEE_TIERS.map((tier) => FEE_TABLE[corridor][tier].fixedFee.fiat)
  return [...new Set<Fiat>(['USD', base, quote, minTransactionFiat, ...feeFiats])]
}

/**
 * Fiat per USD for one corridor's money paths (sizes, fee tiers, minimums,
 * fixed fees, pool targets, max size): `oracle.moneyRates`, the current OK
 * mid, else the last OK mid at most 5 minutes old, else ORACLE_STALE; never
 * a hard-coded rate. `moneyRates` answers for every USD pair at once, so when
 * it refuses, a corridor whose own pairs are OK now is still served at their
 * current mids: a stale USD-SGD feed does not stop USD-IDR.
 */
export function corridorMoneyRates(
  oracle: OracleService,
  environment: Environment,
  corridor: CorridorId,
): Result<UsdRates> {
  const all = oracle.moneyRates(environment)
  if (all.ok) return all
  const mids = new Map<Fiat, Ratio>([['USD', ONE]])
  for (const fiat of corridorFiats(corridor)) {
    if (fiat === 'USD') continue
    const pair = `USD-${fiat}` as OraclePair
    const reading = oracle.reading(environment, pair)
    if (reading.status !== 'OK' || reading.mid === undefined) {
      return fail('ORACLE_STALE', `${corridor} amounts cannot be valued: ${all.message}`, corridor)
    }
    mids.set(fiat, reading.mid)
  }
  return ok({
    fiatPerUsd(fiat) {
      const mid = mids.get(fiat)
      if (mid === undefined) throw new Error(`${corridor} money paths read no ${fiat} rate`)
      return mid
    },
  })
}

/** The pipeline's market for a firm quote or a fill: `corridorMoneyRates`, or its ORACLE_STALE. */
export function moneyMarketView(
  oracle: OracleService,
  environment: Environment,
  corridor: CorridorId,
): Result<MarketView> {
  const rates = corridorMoneyRates(oracle, environment, corridor)
  return rates.ok ? ok(marketAt(oracle, environment, rates.value)) : rates
}

/**
 * The Active pools as pricing and execution read them, and the oracle
 * figures that value them on money paths.
 */
export type ActivePools = {
  /** Balance and target of every Active pool, balances at most `maxAgeMs` old; targets at display rates. */
  levels(environment: Environment): Promise<ReadonlyMap<AssetCode, PoolLevel>>
  /** Forget the cached balances after this node moved money in or out of a pool. */
  invalidate(environment: Environment): void
  /** Fiat per USD for a corridor's money paths (`corridorMoneyRates`), or ORACLE_STALE. */
  moneyRates(environment: Environment, corridor: CorridorId): Result<UsdRates>
  /** The mid now on the pairs a rate source rests on (SPEC §4 L5), or L5's refusal. */
  midNow(environment: Environment, corridor: CorridorId, rateSource: RateSource): Result<Ratio>
}

/** How long Active balances may be cached for pricing; executions invalidate at once on this node. */
const POOL_CACHE_MS = 250

/**
 * Active pool levels for pricing (skew, liquidity add-on, max size). Targets
 * follow the oracle's USD rates (SPEC §2.2: "USD equivalent at oracle mid").
 */
export function createActivePools(deps: { store: Store; oracle: OracleService }): ActivePools {
  const cache = new Map<Environment, { atMs: number; balances: Map<AssetCode, bigint> }>()
  // The levels map is rebuilt only when the balances or the prices behind the targets change, so
  // callers may cache on its identity.
  const built = new Map<
    Environment,
    { balances: Map<AssetCode, bigint>; version: number; levels: Map<AssetCode, PoolLevel> }
  >()
  async function balances(environment: Environment): Promise<Map<AssetCode, bigint>> {
    const hit = cache.get(environment)
    const now = performance.now()
    if (hit !== undefined && now - hit.atMs < POOL_CACHE_MS) return hit.balances
    const keys = ASSET_CODES.map((asset) => poolAccount(environment, asset, 'ACTIVE'))
    const balance = await balancesOf(deps.store, keys)
    const fresh = new Map(keys.map((key) => [key.asset, balance(key)]))
    cache.set(environment, { atMs: now, balances: fresh })
    return fresh
  }
  return {
    async levels(environment) {
      const current = await balances(environment)
      const version = deps.oracle.version(environment)
      const previous = built.get(environment)
      if (previous !== undefined && previous.balances === current && previous.version === version)
        return previous.levels
      const rates = deps.oracle.usdRates(environment)
      const levels = new Map(
        ASSET_CODES.map((asset) => [
          asset,
          { balance: current.get(asset) ?? 0n, target: poolTargetMinor(asset, 'ACTIVE', rates) },
        ]),
      )
      built.set(environment, { balances: current, version, levels })
      return levels
    },
    invalidate(environment) {
      cache.delete(environment)
    },
    moneyRates: (environment, corridor) => corridorMoneyRates(deps.oracle, environment, corridor),
    midNow: (environment, corridor, rateSource) =>
      oracleMid(corridor, selectionOf(corridor, rateSource), (pair) =>
        deps.oracle.reading(environment, pair),
      ),
  }
}
