import type { RiskConfig } from '../config/risk.ts'
import { allowedDirections } from './limits.ts'
import {
  describeSignal,
  isMoreSevere,
  isRiskState,
  mostSevere,
  type RiskState,
  type Side,
  type SignalResult,
} from './states.ts'

/**
 * SPEC §6.3 state machine for one corridor: a pure function from the
 * previous state, the latest signals, the kind of evaluation and the time.
 *
 * - 'degrade' evaluations run on every price update, execution and rebalance
 *   settlement; they only ever move to a more severe state (SPEC §6.1:
 *   degradation is automatic and immediate) and never improve one.
 * - 'recover' evaluations run on the 5-minute timer and on operator request.
 *   They degrade like any evaluation, and otherwise apply SPEC §6.3 reading
 *   each signal as one "condition", cleared when it says NORMAL:
 *     all clear  → NORMAL;
 *     some clear → PROTECT, but never milder than the most severe remaining
 *                  signal (stepping to PROTECT while a signal says RESTRICT
 *                  would be undone by the next degrade evaluation), so in
 *                  effect the state the signals say;
 *     none clear → unchanged, even if every signal has eased (a corridor in
 *                  HALT whose signals all say PROTECT stays in HALT until one
 *                  of them clears: the conservative reading of the text).
 *   An evaluation with no signals is "all clear".
 */
export type EvaluationMode = 'degrade' | 'recover'

export type CorridorRiskState = {
  readonly state: RiskState
  /**
   * Why the corridor is in `state`: the signals at that state (none in
   * NORMAL; each signal's own NORMAL text stays in `signals`). When the state
   * is held above what the signals say (waiting for recovery), the reasons
   * and directions of the evaluation that set it are kept, and `signalState`
   * shows the difference.
   */
  readonly reasons: readonly string[]
  readonly allowedDirections: readonly Side[]
  /** True when this evaluation moved the state; the shell emits `system.state_change` then. */
  readonly changed: boolean
  /** The state before this evaluation (equal to `state` when unchanged). */
  readonly previousState: RiskState
  /** When the corridor entered `state`. */
  readonly sinceMs: number
  /** The most severe signal of this evaluation. */
  readonly signalState: RiskState
  readonly signals: readonly SignalResult[]
}

/** A corridor that has never been evaluated: NORMAL, both directions. */
export function initialRiskState(nowMs: number): CorridorRiskState {
  return {
    state: 'NORMAL',
    reasons: [],
    allowedDirections: allowedDirections('NORMAL', []),
    changed: false,
    previousState: 'NORMAL',
    sinceMs: nowMs,
    signalState: 'NORMAL',
    signals: [],
  }
}

/** The state after one evaluation; the transition rules alone, see the module comment. */
export function nextState(
  current: RiskState,
  signals: readonly SignalResult[],
  mode: EvaluationMode,
): RiskState {
  const signalState = mostSevere(signals.map((s) => s.state))
  if (isMoreSevere(signalState, current)) return signalState
  if (mode === 'degrade') return current
  const cleared = signals.filter((s) => s.state === 'NORMAL').length
  if (cleared === signals.length) return 'NORMAL'
  if (cleared === 0) return current
  return isMoreSevere(signalState, 'PROTECT') ? signalState : 'PROTECT'
}

/** NORMAL needs no explanation; any other state is explained by the signals that put it there. */
function reasonsAt(state: RiskState, signals: readonly SignalResult[]): string[] {
  if (state === 'NORMAL') return []
  return signals.filter((s) => s.state === state).map(describeSignal)
}

function signalDirections(signals: readonly SignalResult[]): (readonly Side[])[] {
  const lists: (readonly Side[])[] = []
  for (const s of signals) if (s.allowedDirections !== undefined) lists.push(s.allowedDirections)
  return lists
}

export function evaluate(
  previous: CorridorRiskState,
  signals: readonly SignalResult[],
  mode: EvaluationMode,
  nowMs: number,
): CorridorRiskState {
  for (const s of signals) if (!isRiskState(s.state)) throw new TypeError(`unknown risk state ${s.state}`)
  const state = nextState(previous.state, signals, mode)
  const signalState = mostSevere(signals.map((s) => s.state))
  const held = isMoreSevere(state, signalState)
  const changed = state !== previous.state
  return {
    state,
    reasons: held ? previous.reasons : reasonsAt(state, signals),
    allowedDirections: held
      ? previous.allowedDirections
      : allowedDirections(state, signalDirections(signals)),
    changed,
    previousState: previous.state,
    sinceMs: changed ? nowMs : previous.sinceMs,
    signalState,
    signals,
  }
}

/** SPEC §6.3: the recovery timer is due once a full interval has passed since the last recovery evaluation. */
export function isRecoveryDue(lastRecoveryEvaluationMs: number, nowMs: number, config: RiskConfig): boolean {
  return nowMs - lastRecoveryEvaluationMs >= config.recovery.intervalMs
}

/**
 * An operator override (SPEC §13, `POST /v1/reserve/state-override`, audited
 * by the shell). While it is active (now < expiresAtMs) it sets the corridor
 * state, whether that is tighter than the computed state (allowed at any
 * time, for any state up to HALT) or looser (allowed only until it expires).
 * From expiresAtMs on it is ignored and the computed state applies at once.
 */
export type StateOverride = {
  readonly state: RiskState
  readonly reason: string
  readonly expiresAtMs: number
}

/**
 * What partners see. `computed` is the machine's own state, which the shell
 * persists and passes back to `evaluate`: an override is a view over the
 * machine, never an input to it, so when it expires nothing of it lingers
 * (no held HALT after a tightening override, no hidden degradation after a
 * loosening one). The shell detects a visible change by comparing `state`
 * with the previous effective state.
 */
export type EffectiveRiskState = {
  readonly state: RiskState
  readonly reasons: readonly string[]
  readonly allowedDirections: readonly Side[]
  /** The override in force, if any. */
  readonly override: StateOverride | undefined
  readonly computed: CorridorRiskState
}

export function isOverrideActive(
  override: StateOverride | undefined,
  nowMs: number,
): override is StateOverride {
  return override !== undefined && nowMs < override.expiresAtMs
}

/**
 * Applies an active override. Its reason comes first, followed by the
 * computed reasons so operators still see what the signals say. Directions
 * follow the override's state: in RESTRICT the sides the signals name (so a
 * HALT from an empty pool, loosened to RESTRICT, still lets only refilling
 * trades through), none in HALT, both otherwise.
 */
export function applyOverride(
  computed: CorridorRiskState,
  override: StateOverride | undefined,
  nowMs: number,
): EffectiveRiskState {
  if (!isOverrideActive(override, nowMs)) {
    return {
      state: computed.state,
      reasons: computed.reasons,
      allowedDirections: computed.allowedDirections,
      override: undefined,
      computed,
    }
  }
  const directions =
    override.state === computed.state
      ? computed.allowedDirections
      : allowedDirections(override.state, signalDirections(computed.signals))
  return {
    state: override.state,
    reasons: [
      `override: ${override.state} until ${new Date(override.expiresAtMs).toISOString()}: ${override.reason}`,
      ...computed.reasons,
    ],
    allowedDirections: directions,
    override,
    computed,
  }
}
