import { ASSET_CODES, type AssetCode } from '../config/assets.ts'
import type { Environment } from '../config/environment.ts'
import { POOL_TIERS, type PoolTier } from '../config/pools.ts'
import { ownedPoolAccount, type PoolOwner, poolAccounts, TIER_OWNERS } from '../ledger/accounts.ts'
import { balancesOf } from '../ledger/journal.ts'
import type { Reader } from '../store/store.ts'

/** One pool's balance, and each owner's part of it (SPEC §15 ownership). */
export type PoolHolding = {
  readonly total: bigint
  readonly byOwner: Readonly<Partial<Record<PoolOwner, bigint>>>
}

/** Every pool of an environment: asset → tier → total and owners' parts. */
export type PoolHoldings = ReadonlyMap<AssetCode, Readonly<Record<PoolTier, PoolHolding>>>

/** Reads every owner account of every pool of an environment in one query. */
export async function readPoolHoldings(db: Reader, environment: Environment): Promise<PoolHoldings> {
  const balance = await balancesOf(
    db,
    ASSET_CODES.flatMap((asset) => POOL_TIERS.flatMap((tier) => poolAccounts(environment, asset, tier))),
  )
  return new Map(
    ASSET_CODES.map((asset) => {
      const tiers = {} as Record<PoolTier, PoolHolding>
      for (const tier of POOL_TIERS) {
        const byOwner: Partial<Record<PoolOwner, bigint>> = {}
        let total = 0n
        for (const owner of TIER_OWNERS[tier]) {
          const amount = balance(ownedPoolAccount(environment, asset, tier, owner))
          byOwner[owner] = amount
          total += amount
        }
        tiers[tier] = { total, byOwner }
      }
      return [asset, tiers]
    }),
  )
}

/** One pool's total balance (every owner's part), e.g. a Reserve's health against its target. */
export async function poolTotal(
  db: Reader,
  environment: Environment,
  asset: AssetCode,
  tier: PoolTier,
): Promise<bigint> {
  const accounts = poolAccounts(environment, asset, tier)
  const balance = await balancesOf(db, accounts)
  return accounts.reduce((sum, account) => sum + balance(account), 0n)
}
