import type { RiskConfig } from '../config/risk.ts'
import { cmp, max, min, mul, ONE, percent, type Ratio, ZERO } from '../money/ratio.ts'
import { type RiskState, SIDES, type Side } from './states.ts'

/**
 * The graduated response of SPEC §6.1 with the [ours] numbers of SPEC §5:
 * what each state does to max size, spread add-ons and directions.
 */

/** SPEC §5: the share of the NORMAL max internal size each state keeps. */
function sizeFactor(state: RiskState, config: RiskConfig): Ratio {
  if (state === 'NORMAL') return ONE
  if (state === 'PROTECT') return config.stateResponse.protect.maxSizeFactor
  if (state === 'RESTRICT') return config.stateResponse.restrict.maxSizeFactor
  return ZERO
}

/**
 * SPEC §5 max internal size, in USD at oracle mid: min($200,000, 10 % of the
 * destination Active pool's balance) × 1 / 0.5 / 0.25 in NORMAL / PROTECT /
 * RESTRICT, and 0 in HALT. Exact; the caller rounds it down when it turns it
 * into an amount (rounding favours the pools). An overdrawn pool counts as
 * empty rather than giving a negative size.
 */
export function maxInternalSizeUsd(
  state: RiskState,
  destinationActiveBalanceUsd: Ratio,
  config: RiskConfig,
): Ratio {
  const m = config.maxInternalSize
  const balanceUsd = max(destinationActiveBalanceUsd, ZERO)
  const normalUsd = min(m.capUsd, mul(balanceUsd, percent(m.pctOfDestinationActive)))
  return mul(normalUsd, sizeFactor(state, config))
}

/**
 * How a state treats the volatility and liquidity add-ons (SPEC §5): scaled
 * (×1 NORMAL, ×1.5 PROTECT) or set to their caps (RESTRICT, "maximum
 * spread"). HALT quotes nothing; it answers `atCap` so that a caller pricing
 * in HALT by mistake still errs towards the pools.
 */
export type AddOnRule = { readonly mode: 'scaled'; readonly factor: Ratio } | { readonly mode: 'atCap' }

export function addOnMultiplier(state: RiskState, config: RiskConfig): AddOnRule {
  if (state === 'NORMAL') return { mode: 'scaled', factor: ONE }
  if (state === 'PROTECT') return { mode: 'scaled', factor: config.stateResponse.protect.addOnFactor }
  return { mode: 'atCap' }
}

/**
 * An add-on after the state's rule. A scaled add-on stays within its cap, so
 * that PROTECT never prices wider than RESTRICT (SPEC §6.1 orders spreads
 * NORMAL ≤ PROTECT ≤ RESTRICT).
 */
export function stateAddOnBps(state: RiskState, addOnBps: Ratio, capBps: Ratio, config: RiskConfig): Ratio {
  const rule = addOnMultiplier(state, config)
  if (rule.mode === 'atCap') return capBps
  return min(mul(addOnBps, rule.factor), capBps)
}

/**
 * SPEC §6.1 directions: both in NORMAL and PROTECT, none in HALT, and in
 * RESTRICT the sides every direction-naming signal allows (their
 * intersection, in BUY, SELL order). A RESTRICT that no signal attaches a
 * side to (exposure, arbitrage, an operator override) leaves both open: with
 * no imbalance seen there is no side that "reduces" it. If two signals
 * disagree the intersection is empty and nothing trades, which only
 * HALT-level trouble should cause; in Phase 1 only inventory names sides.
 */
export function allowedDirections(state: RiskState, signalDirections: readonly (readonly Side[])[]): Side[] {
  if (state === 'HALT') return []
  if (state !== 'RESTRICT') return [...SIDES]
  return SIDES.filter((side) => signalDirections.every((allowed) => allowed.includes(side)))
}

/** True when the size is within the state's max internal size (L3 sends the rest to RFQ). */
export function withinMaxInternalSize(
  state: RiskState,
  sizeUsd: Ratio,
  destinationActiveBalanceUsd: Ratio,
  config: RiskConfig,
): boolean {
  return cmp(sizeUsd, maxInternalSizeUsd(state, destinationActiveBalanceUsd, config)) <= 0
}
