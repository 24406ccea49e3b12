import type { Fiat } from './assets.ts'
import type { CorridorId } from './corridors.ts'

/** SPEC §5 fee tiers, by USD size; min inclusive, max exclusive. */
export const FEE_TIERS = ['MICRO', 'SMALL', 'MEDIUM', 'LARGE', 'INSTITUTIONAL'] as const
export type FeeTier = (typeof FEE_TIERS)[number]

/** Lower bound of each tier in USD (the tier runs up to the next one's bound, exclusive). */
export const FEE_TIER_MIN_USD: Readonly<Record<FeeTier, bigint>> = {
  MICRO: 0n,
  SMALL: 1_000n,
  MEDIUM: 10_000n,
  LARGE: 50_000n,
  INSTITUTIONAL: 200_000n,
}

/** A fixed fee is written in one fiat and deducted, converted at the oracle rate, from the destination amount. */
export type FixedFee = { readonly amount: string; readonly fiat: Fiat }

export type TierFees = {
  readonly fixedFee: FixedFee
  readonly variableBips: string
  /** Replaces the corridor's base spread when set (SPEC §5: "0/NULL means the corridor default"). */
  readonly spreadOverrideBps?: string
}

const USD = (amount: string): FixedFee => ({ amount, fiat: 'USD' })

/**
 * SPEC §5: USD-IDR MICRO and SMALL carry a 10,000 IDR fixed fee; our choices
 * elsewhere are $0.50 for MICRO, $1 for SMALL (the SPEC's fallback fixed fee),
 * MEDIUM and LARGE, and nothing for INSTITUTIONAL. Variable fees 8/5/3/2/1 bips.
 * The table's "20 bps (USD-IDR example)" spread override is read as an example
 * of a partner override, so no corridor default overrides its base spread.
 */
function corridorTiers(microSmallFixed: FixedFee | undefined): Readonly<Record<FeeTier, TierFees>> {
  return {
    MICRO: { fixedFee: microSmallFixed ?? USD('0.5'), variableBips: '8' },
    SMALL: { fixedFee: microSmallFixed ?? USD('1'), variableBips: '5' },
    MEDIUM: { fixedFee: USD('1'), variableBips: '3' },
    LARGE: { fixedFee: USD('1'), variableBips: '2' },
    INSTITUTIONAL: { fixedFee: USD('0'), variableBips: '1' },
  }
}

export const FEE_TABLE: Readonly<Record<CorridorId, Readonly<Record<FeeTier, TierFees>>>> = {
  'USD-IDR': corridorTiers({ amount: '10000', fiat: 'IDR' }),
  'USD-SGD': corridorTiers(undefined),
  'MYR-IDR': corridorTiers(undefined),
}
