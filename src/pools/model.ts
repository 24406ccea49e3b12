import { ASSETS, type AssetCode } from '../config/assets.ts'
import { POOLS, type PoolTier } from '../config/pools.ts'
import { formatDecimal } from '../money/decimal.ts'
import { div, formatRatio, mul, percent, type Ratio, ratio, scale } from '../money/ratio.ts'
import { pow10 } from '../money/rounding.ts'
import type { UsdRates } from './usd-rates.ts'

/** Converts whole US dollars into the smallest unit of an asset at the given rates, rounded down. */
export function usdToMinor(usd: Ratio, asset: AssetCode, rates: UsdRates): bigint {
  const config = ASSETS[asset]
  return scale(pow10(config.decimals), mul(usd, rates.fiatPerUsd(config.fiat)), 'floor')
}

/** Values an amount in whole US dollars at the given rates (exact). */
export function minorToUsd(minor: bigint, asset: AssetCode, rates: UsdRates): Ratio {
  const config = ASSETS[asset]
  return div(ratio(minor, pow10(config.decimals)), rates.fiatPerUsd(config.fiat))
}

/** A pool's target (its max, SPEC §2.2) in the asset's smallest unit. */
export function poolTargetMinor(asset: AssetCode, tier: PoolTier, rates: UsdRates): bigint {
  return usdToMinor(ratio(POOLS[asset][tier].targetUsd), asset, rates)
}

export function poolMinMinor(asset: AssetCode, tier: PoolTier, rates: UsdRates): bigint {
  return scale(poolTargetMinor(asset, tier, rates), percent(POOLS[asset][tier].minPct), 'ceil')
}

/**
 * SPEC §2.2 health labels. Reserve: > 80% HEALTHY, 60–80% MILD, 30–60%
 * SIGNIFICANT, < 30% CRITICAL. Active: below its min (40%) BELOW_MIN, below
 * 20% CRITICAL (SPEC §6.2). Yield has a cap, not a target: FULL at the cap.
 */
export type PoolStatus = 'HEALTHY' | 'MILD' | 'SIGNIFICANT' | 'CRITICAL' | 'BELOW_MIN' | 'OK' | 'FULL'

export function poolStatus(asset: AssetCode, tier: PoolTier, balance: bigint, target: bigint): PoolStatus {
  if (tier === 'YIELD') return balance >= target ? 'FULL' : 'OK'
  // Percent comparisons in integers: balance × 100 against target × threshold.
  const atLeast = (pct: bigint) => balance * 100n >= target * pct
  if (tier === 'RESERVE') {
    if (balance * 100n > target * 80n) return 'HEALTHY'
    if (atLeast(60n)) return 'MILD'
    if (atLeast(30n)) return 'SIGNIFICANT'
    return 'CRITICAL'
  }
  if (!atLeast(20n)) return 'CRITICAL'
  return atLeast(POOLS[asset].ACTIVE.minPct) ? 'HEALTHY' : 'BELOW_MIN'
}

export type PoolView = {
  asset: AssetCode
  tier: PoolTier
  balance: string
  target: string
  min: string
  health_pct: string
  status: PoolStatus
}

export function poolView(asset: AssetCode, tier: PoolTier, balance: bigint, rates: UsdRates): PoolView {
  const target = poolTargetMinor(asset, tier, rates)
  const decimals = ASSETS[asset].decimals
  return {
    asset,
    tier,
    balance: formatDecimal(balance, decimals),
    target: formatDecimal(target, decimals),
    min: formatDecimal(poolMinMinor(asset, tier, rates), decimals),
    health_pct: target === 0n ? '0' : formatRatio(ratio(balance * 100n, target), 2, 'floor'),
    status: poolStatus(asset, tier, balance, target),
  }
}
