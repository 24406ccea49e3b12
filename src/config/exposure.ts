import type { CorridorId } from './corridors.ts'

/**
 * Inputs of the SPEC §6.2 exposure signal that the SPEC leaves to us [ours].
 *
 * One-day volatility σ of each corridor's mid, for VaR = exposure × z × σ:
 * long-run levels of these pairs (IDR and MYR move more than SGD against USD;
 * the MYR-IDR cross carries both). Fifteen minutes of ticks cannot estimate a
 * daily σ, so these are configuration, not measurement.
 */
export const DAILY_VOLATILITY_PCT: Readonly<Record<CorridorId, string>> = {
  'USD-IDR': '0.5',
  'USD-SGD': '0.3',
  'MYR-IDR': '0.6',
}
