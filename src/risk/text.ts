import { formatRatio, type Ratio } from '../money/ratio.ts'

/**
 * Reason strings are read by operators and partners, never parsed: two
 * decimals are enough, and the exact values stay in the numeric fields.
 */
export function showPct(pct: Ratio): string {
  return `${formatRatio(pct, 2, 'floor')}%`
}

/** A fraction shown as a percentage (0.35 → "35%"). */
export function showFractionPct(fraction: Ratio): string {
  return showPct({ num: fraction.num * 100n, den: fraction.den })
}

export function showUsd(usd: Ratio): string {
  return `$${formatRatio(usd, 2, 'floor')}`
}
