/**
 * SPEC §6.1: the four corridor states, from mildest to most severe. The
 * system state is the most severe corridor state (SPEC §1).
 */
export const RISK_STATES = ['NORMAL', 'PROTECT', 'RESTRICT', 'HALT'] as const
export type RiskState = (typeof RISK_STATES)[number]

/** SPEC §1: the side is from the partner's view of the BASE currency. */
export const SIDES = ['BUY', 'SELL'] as const
export type Side = (typeof SIDES)[number]

/** A corridor's risk state as the pipeline and the state API see it (the risk engine provides it). */
export type CorridorStateView = {
  readonly state: RiskState
  readonly allowedDirections: readonly Side[]
  readonly reasons: readonly string[]
}

export const SIGNALS = [
  'oracle',
  'volatility',
  'inventory',
  'exposure',
  'arbitrage',
  'override',
  'por',
] as const
export type SignalName = (typeof SIGNALS)[number]

/**
 * What one signal says about one corridor. `allowedDirections`, when present,
 * names the sides this signal would let through in RESTRICT (the ones that
 * reduce the imbalance it sees); absent means the signal has no view on
 * direction. The state decides whether directions matter at all (limits.ts).
 */
export type SignalResult = {
  readonly signal: SignalName
  readonly state: RiskState
  readonly reason: string
  readonly allowedDirections?: readonly Side[]
}

const SEVERITY: Readonly<Record<RiskState, number>> = { NORMAL: 0, PROTECT: 1, RESTRICT: 2, HALT: 3 }

export function severity(state: RiskState): number {
  return SEVERITY[state]
}

export function isRiskState(value: string): value is RiskState {
  return (RISK_STATES as readonly string[]).includes(value)
}

/** True when `a` is strictly more severe than `b`. */
export function isMoreSevere(a: RiskState, b: RiskState): boolean {
  return SEVERITY[a] > SEVERITY[b]
}

export function moreSevere(a: RiskState, b: RiskState): RiskState {
  return SEVERITY[a] >= SEVERITY[b] ? a : b
}

/** The most severe of the states; NORMAL for none, since no signal means nothing is wrong. */
export function mostSevere(states: readonly RiskState[]): RiskState {
  let worst: RiskState = 'NORMAL'
  for (const state of states) worst = moreSevere(worst, state)
  return worst
}

/** A result in one line, for reason lists: `inventory: IDRX Active pool at 35% of target …`. */
export function describeSignal(result: SignalResult): string {
  return `${result.signal}: ${result.reason}`
}
