import { ASSET_CODES, type AssetCode } from '../config/assets.ts'
import type { Environment } from '../config/environment.ts'
import { PRICING } from '../config/pricing.ts'
import { poolAccount } from '../ledger/accounts.ts'
import { balancesOf } from '../ledger/journal.ts'
import type { OracleService } from '../oracle/service.ts'
import { poolTargetMinor } from '../pools/model.ts'
import type { MarketView } from '../pricing/pipeline.ts'
import type { PoolLevel } from '../pricing/skew.ts'
import type { Store } from '../store/store.ts'

/** The market of one environment as the pipeline reads it. */
export function marketView(oracle: OracleService, environment: Environment): MarketView {
  const rates = oracle.usdRates(environment)
  return {
    reading: (pair) => oracle.reading(environment, pair),
    midMoveBps: (pair) => oracle.midMoveBps(environment, pair, PRICING.volatilityWindowMs),
    fiatPerUsd: (fiat) => rates.fiatPerUsd(fiat),
  }
}

export type ActivePools = {
  /** Balance and target of every Active pool, balances at most `maxAgeMs` old. */
  levels(environment: Environment): Promise<ReadonlyMap<AssetCode, PoolLevel>>
  /** Forget the cached balances after this node moved money in or out of a pool. */
  invalidate(environment: Environment): void
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
  }
}
