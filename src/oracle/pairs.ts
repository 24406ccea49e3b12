import type { Fiat } from '../config/assets.ts'
import { percent, type Ratio, r } from '../money/ratio.ts'

/**
 * SPEC §6.2: the pairs the oracle prices. MYR-IDR is a corridor of its own;
 * USD-MYR exists only as the other leg of the synthetic MYR-IDR (SPEC §4 L4).
 */
export const ORACLE_PAIRS = ['USD-IDR', 'USD-SGD', 'USD-MYR', 'MYR-IDR'] as const
export type OraclePair = (typeof ORACLE_PAIRS)[number]

/** MYR-IDR priced through USD: MYR→USD→IDR, i.e. USD-IDR ÷ USD-MYR (SPEC §2.3, §4 L4). */
export const SYNTHETIC_LEGS: readonly OraclePair[] = ['USD-IDR', 'USD-MYR']

/** SPEC §6.2: two primaries weighted 50/50, and a web2 reference that only breaks ties. */
export const ORACLE_SOURCES = ['primary_a', 'primary_b', 'reference'] as const
export type OracleSource = (typeof ORACLE_SOURCES)[number]

export type OraclePairConfig = {
  readonly pair: OraclePair
  /** A price of `BASE-QUOTE` is how many units of the quote fiat one unit of the base fiat buys (USD-IDR 16250). */
  readonly base: Fiat
  readonly quote: Fiat
  /** SPEC §6.2: an observation older than this is stale. */
  readonly maxAgeMs: number
  /** SPEC §6.2: largest relative gap between the primaries, as a fraction (0.15% = 0.0015). */
  readonly maxDeviation: Ratio
}

export const ORACLE_PAIR_CONFIG: Readonly<Record<OraclePair, OraclePairConfig>> = {
  // SPEC §6.2: USD/IDR and USD/MYR 20 s, 0.15%.
  'USD-IDR': {
    pair: 'USD-IDR',
    base: 'USD',
    quote: 'IDR',
    maxAgeMs: 20_000,
    maxDeviation: percent(r('0.15')),
  },
  'USD-MYR': {
    pair: 'USD-MYR',
    base: 'USD',
    quote: 'MYR',
    maxAgeMs: 20_000,
    maxDeviation: percent(r('0.15')),
  },
  // SPEC §6.2: USD/SGD 30 s, 0.10%.
  'USD-SGD': {
    pair: 'USD-SGD',
    base: 'USD',
    quote: 'SGD',
    maxAgeMs: 30_000,
    maxDeviation: percent(r('0.10')),
  },
  // SPEC §6.2: MYR/IDR 15 s, 0.20%.
  'MYR-IDR': {
    pair: 'MYR-IDR',
    base: 'MYR',
    quote: 'IDR',
    maxAgeMs: 15_000,
    maxDeviation: percent(r('0.20')),
  },
}

/** SPEC §6.2 [ours]: a signal at or above 80% of its threshold is "near" it (the risk engine's PROTECT). */
export const NEAR_THRESHOLD_FRACTION: Ratio = percent(80n)

export function isOraclePair(value: string): value is OraclePair {
  return (ORACLE_PAIRS as readonly string[]).includes(value)
}

export function isOracleSource(value: string): value is OracleSource {
  return (ORACLE_SOURCES as readonly string[]).includes(value)
}
