import { recordAudit } from '../audit/audit.ts'
import type { Clocks } from '../clock/clock.ts'
import { CORRIDOR_IDS, type CorridorId } from '../config/corridors.ts'
import { ENVIRONMENTS, type Environment } from '../config/environment.ts'
import type { RiskConfig } from '../config/risk.ts'
import { recordEvent } from '../events/events.ts'
import { ORACLE_PAIRS } from '../oracle/pairs.ts'
import type { OracleService } from '../oracle/service.ts'
import type { CorridorStateView } from '../pricing/model.ts'
import { msOf } from '../store/columns.ts'
import type { Store, Tx } from '../store/store.ts'
import { gatherInputs, pricingPairs, type RiskInputs } from './inputs.ts'
import {
  applyOverride,
  type CorridorRiskState,
  type EffectiveRiskState,
  type EvaluationMode,
  evaluate,
  initialRiskState,
  isOverrideActive,
  isRecoveryDue,
  type StateOverride,
} from './machine.ts'
import { oracleSignal } from './signals/oracle.ts'
import { corridorSignals, exposureOf } from './signals-for.ts'
import { describeSignal, type RiskState, type Side } from './states.ts'

/** Where the pipeline and the state API read a corridor's state. */
export type CorridorStates = {
  view(environment: Environment, corridor: CorridorId): CorridorStateView
}

/** One change of a corridor's effective state, as stored and as the stream sends it. */
export type StateChange = {
  readonly id: string
  readonly environment: Environment
  readonly corridor: CorridorId
  readonly previousState: RiskState
  readonly state: RiskState
  readonly reasons: readonly string[]
  readonly trigger: string
  readonly atMs: number
}

/** A state change as the stream and the operations API show it. */
export function changeView(change: StateChange) {
  return {
    id: change.id,
    corridor: change.corridor,
    previous_state: change.previousState,
    state: change.state,
    reasons: [...change.reasons],
    trigger: change.trigger,
    timestamp: new Date(change.atMs).toISOString(),
  }
}

export type Trigger = 'price' | 'execution' | 'timer' | 'operator' | 'override' | 'arbitrage' | 'start'

export type RiskEngine = CorridorStates & {
  /** Loads overrides and the last known states; the first price, execution or tick evaluates. */
  load(): Promise<void>
  /** Asks for a degradation check soon (prices, executions); calls arriving together share one evaluation. */
  poke(environment: Environment, trigger: Trigger): void
  /** Runs an evaluation now; `recover` is the SPEC §6.3 recovery (timer or operator). */
  evaluateNow(environment: Environment, mode: EvaluationMode, trigger: Trigger): Promise<StateChange[]>
  /** The pipeline's L8 reports a failed arbitrage check: the corridor goes to RESTRICT (SPEC §4). */
  reportArbitrage(environment: Environment, corridor: CorridorId, reason: string): void
  setOverride(
    environment: Environment,
    corridor: CorridorId,
    override: StateOverride,
    actor: string,
  ): Promise<StateChange[]>
  effective(environment: Environment, corridor: CorridorId): EffectiveRiskState
  overrideOf(environment: Environment, corridor: CorridorId): (StateOverride & { actor: string }) | undefined
  lastInputs(environment: Environment): RiskInputs | undefined
  subscribe(environment: Environment, listener: (change: StateChange) => void): () => void
  /** The 1-second tick: degradation by time (prices ageing), and recovery every 5 minutes of that environment's clock. */
  start(): void
  stop(): void
}

type Memory = {
  computed: Map<CorridorId, CorridorRiskState>
  effective: Map<CorridorId, EffectiveRiskState>
  overrides: Map<CorridorId, StateOverride & { actor: string }>
  arbitrage: Map<CorridorId, string>
  /** Hysteresis starts once the oracle has priced every pair: until then the state is what the signals say. */
  warm: boolean
  lastRecoveryMs: number
  inputs: RiskInputs | undefined
  queue: Promise<unknown>
  pokePending: boolean
}

const TICK_MS = 1_000

export function createRiskEngine(deps: {
  store: Store
  oracle: OracleService
  clocks: Clocks
  config: RiskConfig
  log: { warn(obj: object, msg: string): void }
}): RiskEngine {
  const { store, oracle, clocks, config } = deps
  const memory = new Map<Environment, Memory>()
  const listeners = new Map<Environment, Set<(change: StateChange) => void>>()
  for (const environment of ENVIRONMENTS) {
    const nowMs = clocks[environment].now()
    const computed = new Map(CORRIDOR_IDS.map((c) => [c, initialRiskState(nowMs)]))
    memory.set(environment, {
      computed,
      effective: new Map(
        CORRIDOR_IDS.map((c) => [c, applyOverride(computed.get(c) as CorridorRiskState, undefined, nowMs)]),
      ),
      overrides: new Map(),
      arbitrage: new Map(),
      warm: false,
      lastRecoveryMs: nowMs,
      inputs: undefined,
      queue: Promise.resolve(),
      pokePending: false,
    })
    listeners.set(environment, new Set())
  }
  const mem = (environment: Environment) => memory.get(environment) as Memory
  let timer: NodeJS.Timeout | undefined

  /** Runs `fn` after every evaluation already queued for the environment: evaluations never interleave. */
  function serial<T>(environment: Environment, fn: () => Promise<T>): Promise<T> {
    const m = mem(environment)
    const run = m.queue.then(fn, fn)
    m.queue = run.catch(() => undefined)
    return run
  }

  async function run(
    environment: Environment,
    mode: EvaluationMode,
    trigger: Trigger,
  ): Promise<StateChange[]> {
    const m = mem(environment)
    const nowMs = clocks[environment].now()
    // A failed arbitrage check holds its corridor in RESTRICT until the next recovery, which re-opens it:
    // the check runs again on every quote, and fails again if the gap is still there.
    if (mode === 'recover') m.arbitrage.clear()
    const inputs = await gatherInputs(store, oracle, environment, nowMs, config.volatility.windowMs)
    m.inputs = inputs
    const allPriced = [...inputs.readings.values()].every((reading) => reading.status === 'OK')
    const exposure = exposureOf(inputs, config)
    const next = new Map<CorridorId, { computed: CorridorRiskState; effective: EffectiveRiskState }>()
    for (const corridor of CORRIDOR_IDS) {
      const signals = corridorSignals(corridor, inputs, exposure, m.arbitrage.get(corridor), config)
      // Before warm-up the state is simply what the signals say (a start with no prices is no incident).
      const previous = m.warm ? (m.computed.get(corridor) as CorridorRiskState) : initialRiskState(nowMs)
      const computed = evaluate(previous, signals, m.warm ? mode : 'degrade', nowMs)
      next.set(corridor, {
        computed,
        effective: applyOverride(computed, activeOverride(m, corridor, nowMs), nowMs),
      })
    }
    if (mode === 'recover') m.lastRecoveryMs = nowMs
    if (allPriced) m.warm = true
    return commit(environment, next, trigger, nowMs)
  }

  /** The oracle's HALT reason for a corridor right now, if its prices are unusable (cheap: readings are cached per ms). */
  function liveOracleHalt(environment: Environment, corridor: CorridorId): string | undefined {
    const readings = new Map(ORACLE_PAIRS.map((pair) => [pair, oracle.reading(environment, pair)]))
    for (const pair of pricingPairs(corridor, readings)) {
      const reading = readings.get(pair)
      if (reading !== undefined && reading.status !== 'OK') return describeSignal(oracleSignal(reading))
    }
    return undefined
  }

  function activeOverride(m: Memory, corridor: CorridorId, nowMs: number) {
    const override = m.overrides.get(corridor)
    return isOverrideActive(override, nowMs) ? override : undefined
  }

  /** Persists the new states and a transition (with its `system.state_change` event) for each change. */
  async function commit(
    environment: Environment,
    next: Map<CorridorId, { computed: CorridorRiskState; effective: EffectiveRiskState }>,
    trigger: Trigger,
    nowMs: number,
  ): Promise<StateChange[]> {
    const m = mem(environment)
    const changes: StateChange[] = []
    await store.transaction(async (tx) => {
      for (const [corridor, { computed, effective }] of next) {
        const before = m.effective.get(corridor) as EffectiveRiskState
        if (before.state !== effective.state) {
          changes.push(await recordChange(tx, environment, corridor, before.state, effective, trigger, nowMs))
        }
        if (before.state !== effective.state || sameDetail(before, effective) === false) {
          await saveState(tx, environment, corridor, effective, nowMs)
        }
        m.computed.set(corridor, computed)
        m.effective.set(corridor, effective)
      }
    })
    for (const change of changes) for (const listener of listeners.get(environment) ?? []) listener(change)
    return changes
  }

  return {
    view(environment, corridor): CorridorStateView {
      const effective = mem(environment).effective.get(corridor) as EffectiveRiskState
      // Prices go stale by time alone, between evaluations; degradation is immediate (SPEC §6.1), so a
      // read checks the oracle itself and shows HALT at once (the next evaluation records it).
      const oracleNow = liveOracleHalt(environment, corridor)
      if (oracleNow !== undefined && effective.state !== 'HALT') {
        this.poke(environment, 'price')
        return { state: 'HALT', allowedDirections: [], reasons: [oracleNow] }
      }
      return {
        state: effective.state,
        allowedDirections: effective.allowedDirections,
        reasons: effective.reasons,
      }
    },
    effective: (environment, corridor) => mem(environment).effective.get(corridor) as EffectiveRiskState,
    overrideOf: (environment, corridor) => {
      const m = mem(environment)
      return activeOverride(m, corridor, clocks[environment].now()) === undefined
        ? undefined
        : m.overrides.get(corridor)
    },
    lastInputs: (environment) => mem(environment).inputs,

    async load() {
      const overrides = await store.kysely.selectFrom('risk_overrides').selectAll().orderBy('id').execute()
      for (const row of overrides) {
        mem(row.environment as Environment).overrides.set(row.corridor as CorridorId, {
          state: row.state as RiskState,
          reason: row.reason,
          expiresAtMs: msOf(row.expires_at),
          actor: row.actor,
        })
      }
      // The last known states, so the first evaluation after a restart records only real changes.
      const states = await store.kysely.selectFrom('risk_states').selectAll().execute()
      for (const row of states) {
        const m = mem(row.environment as Environment)
        const corridor = row.corridor as CorridorId
        const detail = JSON.parse(row.detail) as { reasons: string[]; allowed_directions: Side[] }
        const before = m.effective.get(corridor) as EffectiveRiskState
        m.effective.set(corridor, {
          ...before,
          state: row.state as RiskState,
          reasons: detail.reasons,
          allowedDirections: detail.allowed_directions,
        })
      }
    },

    poke(environment, trigger) {
      const m = mem(environment)
      // Pokes that arrive before a queued evaluation starts share it: under load that is one evaluation
      // per batch of executions, each still seeing every execution committed before it starts.
      if (m.pokePending) return
      m.pokePending = true
      setImmediate(() => {
        serial(environment, () => {
          m.pokePending = false
          return run(environment, 'degrade', trigger)
        }).catch((error) => deps.log.warn({ err: error, environment }, 'risk evaluation failed'))
      })
    },

    evaluateNow: (environment, mode, trigger) => serial(environment, () => run(environment, mode, trigger)),

    reportArbitrage(environment, corridor, reason) {
      mem(environment).arbitrage.set(corridor, reason)
      this.poke(environment, 'arbitrage')
    },

    setOverride(environment, corridor, override, actor) {
      return serial(environment, async () => {
        const nowMs = clocks[environment].now()
        const before = mem(environment).effective.get(corridor)?.state
        await store.transaction(async (tx) => {
          // SPEC §13: audited, in the same transaction as the override itself.
          await recordAudit(tx, {
            actor,
            action: 'risk.state_override',
            targetType: 'corridor',
            targetId: `${environment}:${corridor}`,
            before: { state: before },
            after: {
              state: override.state,
              reason: override.reason,
              expires_at: new Date(override.expiresAtMs).toISOString(),
            },
            atMs: clocks.live.now(),
          })
          await tx.kysely
            .insertInto('risk_overrides')
            .values({
              environment,
              corridor,
              state: override.state,
              reason: override.reason,
              actor,
              expires_at: BigInt(override.expiresAtMs),
              created_at: BigInt(nowMs),
            })
            .execute()
        })
        mem(environment).overrides.set(corridor, { ...override, actor })
        return run(environment, 'degrade', 'override')
      })
    },

    subscribe(environment, listener) {
      const set = listeners.get(environment) as Set<(change: StateChange) => void>
      set.add(listener)
      return () => set.delete(listener)
    },

    start() {
      timer = setInterval(() => {
        for (const environment of ENVIRONMENTS) {
          const m = mem(environment)
          const due = isRecoveryDue(m.lastRecoveryMs, clocks[environment].now(), config)
          serial(environment, () => run(environment, due ? 'recover' : 'degrade', 'timer')).catch((error) =>
            deps.log.warn({ err: error, environment }, 'risk evaluation failed'),
          )
        }
      }, TICK_MS)
      timer.unref()
    },
    stop() {
      if (timer !== undefined) clearInterval(timer)
    },
  }
}

function sameDetail(a: EffectiveRiskState, b: EffectiveRiskState): boolean {
  return (
    a.reasons.join('\n') === b.reasons.join('\n') &&
    a.allowedDirections.join(',') === b.allowedDirections.join(',') &&
    a.computed.state === b.computed.state
  )
}

async function saveState(
  tx: Tx,
  environment: Environment,
  corridor: CorridorId,
  effective: EffectiveRiskState,
  nowMs: number,
) {
  const detail = JSON.stringify({
    reasons: effective.reasons,
    allowed_directions: effective.allowedDirections as Side[],
    computed_state: effective.computed.state,
    override: effective.override ?? null,
  })
  await tx.kysely
    .insertInto('risk_states')
    .values({
      environment,
      corridor,
      state: effective.state,
      detail,
      since_at: BigInt(effective.computed.sinceMs),
      updated_at: BigInt(nowMs),
    })
    .onConflict((oc) =>
      oc
        .columns(['environment', 'corridor'])
        .doUpdateSet({ state: effective.state, detail, updated_at: BigInt(nowMs) }),
    )
    .execute()
}

async function recordChange(
  tx: Tx,
  environment: Environment,
  corridor: CorridorId,
  previousState: RiskState,
  effective: EffectiveRiskState,
  trigger: Trigger,
  nowMs: number,
): Promise<StateChange> {
  const row = await tx.kysely
    .insertInto('risk_transitions')
    .values({
      environment,
      corridor,
      previous_state: previousState,
      state: effective.state,
      reasons: JSON.stringify(effective.reasons),
      trigger,
      at: BigInt(nowMs),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  // SPEC §10: system.state_change {corridor, previous_state, state, reason}.
  await recordEvent(tx, {
    environment,
    partnerId: null,
    type: 'system.state_change',
    data: {
      corridor,
      previous_state: previousState,
      state: effective.state,
      reason: effective.reasons.join('; '),
    },
    atMs: nowMs,
  })
  return {
    id: row.id.toString(),
    environment,
    corridor,
    previousState,
    state: effective.state,
    reasons: effective.reasons,
    trigger,
    atMs: nowMs,
  }
}
