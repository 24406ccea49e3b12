import { ASSET_CODES, type AssetCode } from '../config/assets.ts'
import type { Environment } from '../config/environment.ts'
import { add, r, ZERO } from '../money/ratio.ts'
import { minorToUsd } from '../pools/model.ts'
import type { UsdRates } from '../pools/usd-rates.ts'
import type { Reader } from '../store/store.ts'
import type { AssetTvl, PoolTvls } from './fee-split.ts'
import { balanceOf } from './ktoken.ts'
import type { KTokenVariant } from './model.ts'

export type HoldingRow = {
  partnerId: string
  asset: AssetCode
  variant: KTokenVariant
  shares: bigint
  indexRay: bigint
  feeTierMultiplier: string
}

/** Every non-empty holding of an environment, with its variant's index and the holder's fee multiplier. */
export async function readHoldings(db: Reader, environment: Environment): Promise<HoldingRow[]> {
  const rows = await db.kysely
    .selectFrom('lp_holdings')
    .innerJoin('ktoken_variants', (join) =>
      join
        .onRef('ktoken_variants.environment', '=', 'lp_holdings.environment')
        .onRef('ktoken_variants.asset', '=', 'lp_holdings.asset')
        .onRef('ktoken_variants.variant', '=', 'lp_holdings.variant'),
    )
    .innerJoin('partners', 'partners.id', 'lp_holdings.partner_id')
    .select([
      'lp_holdings.partner_id',
      'lp_holdings.asset',
      'lp_holdings.variant',
      'lp_holdings.shares',
      'ktoken_variants.index_ray',
      'partners.config',
    ])
    .where('lp_holdings.environment', '=', environment)
    .where('lp_holdings.shares', '!=', '0')
    .execute()
  return rows.map((row) => ({
    partnerId: row.partner_id,
    asset: row.asset as AssetCode,
    variant: row.variant as KTokenVariant,
    shares: BigInt(row.shares),
    indexRay: BigInt(row.index_ray),
    feeTierMultiplier:
      (JSON.parse(row.config) as { fee_tier_multiplier?: string }).fee_tier_multiplier ?? '1',
  }))
}

/**
 * SPEC §7.3 TVL by class, in USD at oracle mid: each class A holder with its
 * own multiplier (the partner's fee tier multiplier), class B in one sum.
 */
export function poolTvls(holdings: readonly HoldingRow[], rates: UsdRates): PoolTvls {
  const tvls: Partial<Record<AssetCode, AssetTvl>> = {}
  for (const asset of ASSET_CODES) {
    const mine = holdings.filter((h) => h.asset === asset)
    const classA = mine
      .filter((h) => h.variant === 'fx')
      .map((h) => ({
        tvlUsd: minorToUsd(balanceOf(h.shares, h.indexRay), asset, rates),
        multiplier: r(h.feeTierMultiplier),
      }))
    const classBTvlUsd = mine
      .filter((h) => h.variant === 'full')
      .reduce((sum, h) => add(sum, minorToUsd(balanceOf(h.shares, h.indexRay), asset, rates)), ZERO)
    tvls[asset] = { classA, classBTvlUsd }
  }
  return tvls
}
