import type { SignalResult } from '../states.ts'

/**
 * SPEC §4 L8: when a quote fails the arbitrage check the corridor goes to
 * RESTRICT. The check itself (bid < adjusted mid < ask, the synthetic/direct
 * gap, the triangle) belongs to pricing; the risk engine only sees its latest
 * outcome for the corridor. It names no direction: a mispriced book is not an
 * inventory imbalance.
 */
export type ArbitrageOutcome = { readonly ok: true } | { readonly ok: false; readonly reason: string }

export function arbitrageSignal(outcome: ArbitrageOutcome): SignalResult {
  if (outcome.ok) return { signal: 'arbitrage', state: 'NORMAL', reason: 'arbitrage checks pass' }
  return { signal: 'arbitrage', state: 'RESTRICT', reason: `arbitrage check failed: ${outcome.reason}` }
}
