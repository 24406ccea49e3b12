import { ASSET_CODES, type AssetCode } from '../config/assets.ts'
import type { Environment } from '../config/environment.ts'
import type { PoolHoldings } from '../pools/holdings.ts'
import { minorToUsd } from '../pools/model.ts'
import type { UsdRates } from '../pools/usd-rates.ts'
import type { Reader } from '../store/store.ts'
import type { AssetTvl, AssetVaults, PoolTvls } from './fee-split.ts'
import { totalClaimOf, type VariantState } from './ktoken.ts'
import { isVaultId, type LpClass, type VaultId, variantOfVault } from './model.ts'

/** Every vault of an environment, by asset and vault id, as stored. */
export async function readVaults(
  db: Reader,
  environment: Environment,
): Promise<ReadonlyMap<AssetCode, AssetVaults>> {
  const rows = await db.kysely
    .selectFrom('ktoken_variants')
    .select(['asset', 'variant', 'index_ray', 'total_shares'])
    .where('environment', '=', environment)
    .execute()
  const vaults = new Map<AssetCode, Partial<Record<VaultId, VariantState>>>()
  for (const row of rows) {
    if (!isVaultId(row.variant)) throw new Error(`unknown kToken vault ${row.variant}`)
    const asset = row.asset as AssetCode
    const mine = vaults.get(asset) ?? {}
    mine[row.variant] = { indexRay: BigInt(row.index_ray), totalShares: BigInt(row.total_shares) }
    vaults.set(asset, mine)
  }
  return vaults
}

/** What the holders of one class's vaults of an asset are owed in all, escrowed withdrawals included. */
export function classClaimMinor(vaults: AssetVaults | undefined, lpClass: LpClass): bigint {
  let claim = 0n
  for (const [vault, state] of Object.entries(vaults ?? {}) as [VaultId, VariantState][]) {
    if ((variantOfVault(vault) === 'fx') === (lpClass === 'A')) claim += totalClaimOf(state)
  }
  return claim
}

/**
 * SPEC §7.3 and §15 fee weights per asset, in USD at oracle mid: each vault's
 * whole claim (its shares × index, withdrawals in escrow included: they
 * still earn) and the protocol's own Reserve and Yield capital.
 */
export function poolTvls(
  vaults: ReadonlyMap<AssetCode, AssetVaults>,
  pools: PoolHoldings,
  rates: UsdRates,
): PoolTvls {
  const out: Partial<Record<AssetCode, AssetTvl>> = {}
  for (const asset of ASSET_CODES) {
    const mine = vaults.get(asset) ?? {}
    const pool = pools.get(asset)
    const protocolMinor = (pool?.RESERVE.byOwner.protocol ?? 0n) + (pool?.YIELD.byOwner.protocol ?? 0n)
    out[asset] = {
      vaults: (Object.entries(mine) as [VaultId, VariantState][])
        .filter(([, state]) => state.totalShares > 0n)
        .map(([vault, state]) => ({ vault, tvlUsd: minorToUsd(totalClaimOf(state), asset, rates) })),
      protocolTvlUsd: minorToUsd(protocolMinor, asset, rates),
    }
  }
  return out
}
