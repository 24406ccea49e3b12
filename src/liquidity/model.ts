import { ASSETS, type AssetCode } from '../config/assets.ts'
import { formatRatio, parseRatio, type Ratio, r } from '../money/ratio.ts'

/** SPEC §1: LP class A is FX-only, class B is FX + yield. */
export const LP_CLASSES = ['A', 'B'] as const
export type LpClass = (typeof LP_CLASSES)[number]

/** SPEC §7.2: two kToken variants per stablecoin; `fx` is held by class A, `full` by class B. */
export const KTOKEN_VARIANTS = ['fx', 'full'] as const
export type KTokenVariant = (typeof KTOKEN_VARIANTS)[number]

export function variantForClass(lpClass: LpClass): KTokenVariant {
  return lpClass === 'A' ? 'fx' : 'full'
}

export function classOfVariant(variant: KTokenVariant): LpClass {
  return variant === 'fx' ? 'A' : 'B'
}

/** The partner-facing token name, `kUSD-fx`, `kIDR-full` (SPEC §7.2 names tokens by fiat, not stablecoin). */
export function kTokenSymbol(asset: AssetCode, variant: KTokenVariant): string {
  return `k${ASSETS[asset].fiat}-${variant}`
}

/**
 * A vault: one liquidity index and its shares. Class B LPs share the `full`
 * vault; class A LPs sit in the vault of their own multiplier (SPEC §7.3,
 * §15 "Class A multiplier … applied per LP"): `fx` at 1×, `fx@0.3` at 0.3×.
 * Fees are credited per vault, weighted by its TVL × its multiplier, so each
 * LP earns at its own multiplier while every vault keeps the plain kToken
 * maths. Partners see the variant (`kUSD-fx`), never the vault.
 */
export type VaultId = 'full' | 'fx' | `fx@${string}`

/** The vault of a class and (class A) multiplier, a decimal from 0 to 1 written canonically (`0.30` is `0.3`). */
export function vaultFor(lpClass: LpClass, classAMultiplier: string): VaultId {
  if (lpClass === 'B') return 'full'
  const multiplier = canonicalMultiplier(classAMultiplier)
  return multiplier === '1' ? 'fx' : `fx@${multiplier}`
}

export function variantOfVault(vault: VaultId): KTokenVariant {
  return vault === 'full' ? 'full' : 'fx'
}

/** The fee weight of a vault: its class A multiplier, 1 for `fx` and `full`. */
export function multiplierOfVault(vault: VaultId): Ratio {
  return vault.startsWith('fx@') ? r(vault.slice(3)) : r('1')
}

export function isVaultId(text: string): text is VaultId {
  if (text === 'full' || text === 'fx') return true
  if (!text.startsWith('fx@')) return false
  const parsed = parseRatio(text.slice(3))
  return parsed !== undefined && canonicalMultiplier(text.slice(3)) === text.slice(3)
}

/** `0.30` → `0.3`, `1.0` → `1`: one vault per multiplier value, whatever its spelling. */
export function canonicalMultiplier(text: string): string {
  const parsed = parseRatio(text)
  if (parsed === undefined || parsed.num < 0n || parsed.num > parsed.den)
    throw new RangeError(`a class A multiplier is a decimal from 0 to 1, got ${text}`)
  return formatRatio(parsed, 36, 'floor')
}
