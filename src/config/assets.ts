import type { AssetUnit } from '../money/amount.ts'

/** SPEC §2.1: the Phase 1 stablecoins, each pegged to one fiat currency. */
export const FIATS = ['USD', 'IDR', 'SGD', 'MYR'] as const
export type Fiat = (typeof FIATS)[number]

export const ASSET_CODES = ['USDT', 'IDRX', 'tnSGD', 'MYRC'] as const
export type AssetCode = (typeof ASSET_CODES)[number]

export type AssetConfig = AssetUnit<AssetCode> & {
  readonly fiat: Fiat
  /** SPEC §7.1: lock period of an LP deposit. */
  readonly depositLockHours: number
  /** SPEC §2.2: share of a class B deposit that goes to Reserve (the rest to Yield), in percent. */
  readonly classBReservePct: bigint
}

export const ASSETS: Readonly<Record<AssetCode, AssetConfig>> = {
  USDT: { code: 'USDT', fiat: 'USD', decimals: 6, depositLockHours: 24, classBReservePct: 50n },
  IDRX: { code: 'IDRX', fiat: 'IDR', decimals: 2, depositLockHours: 72, classBReservePct: 60n },
  tnSGD: { code: 'tnSGD', fiat: 'SGD', decimals: 6, depositLockHours: 48, classBReservePct: 50n },
  MYRC: { code: 'MYRC', fiat: 'MYR', decimals: 18, depositLockHours: 72, classBReservePct: 60n },
}

export const ASSET_BY_FIAT: Readonly<Record<Fiat, AssetConfig>> = {
  USD: ASSETS.USDT,
  IDR: ASSETS.IDRX,
  SGD: ASSETS.tnSGD,
  MYR: ASSETS.MYRC,
}

export function isAssetCode(value: string): value is AssetCode {
  return (ASSET_CODES as readonly string[]).includes(value)
}

export function isFiat(value: string): value is Fiat {
  return (FIATS as readonly string[]).includes(value)
}

/**
 * Mid rates (units of fiat per USD) used before any oracle price exists: to
 * size the sandbox pools at first start and to seed the simulated oracle.
 * Realistic late-2026 levels; not used to price a trade.
 */
export const REFERENCE_FIAT_PER_USD: Readonly<Record<Fiat, string>> = {
  USD: '1',
  IDR: '16250',
  SGD: '1.3',
  MYR: '4.2',
}
