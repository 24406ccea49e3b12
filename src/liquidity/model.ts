import { ASSETS, type AssetCode } from '../config/assets.ts'

/** SPEC §1: LP class A is FX-only, class B is FX + yield. */
export const LP_CLASSES = ['A', 'B'] as const
export type LpClass = (typeof LP_CLASSES)[number]

/** SPEC §7.2: two kToken variants per stablecoin; `fx` is held by class A, `full` by class B. */
export const KTOKEN_VARIANTS = ['fx', 'full'] as const
export type KTokenVariant = (typeof KTOKEN_VARIANTS)[number]

export function variantForClass(lpClass: LpClass): KTokenVariant {
  return lpClass === 'A' ? 'fx' : 'full'
}

/** The partner-facing token name, `kUSD-fx`, `kIDR-full` (SPEC §7.2 names tokens by fiat, not stablecoin). */
export function kTokenSymbol(asset: AssetCode, variant: KTokenVariant): string {
  return `k${ASSETS[asset].fiat}-${variant}`
}
