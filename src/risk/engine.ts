import { recordAudit } from '../audit/audit.ts'
import type { Clocks } from '../clock/clock.ts'
import type { Bus } from '../cluster/bus.ts'
import { CORRIDOR_IDS, type CorridorId } from '../config/corridors.ts'
import { ENVIRONMENTS, type Environment } from '../config/environment.ts'
import type { RiskConfig } from '../config/risk.ts'
import { div, mul, percent, type Ratio, ratio, ZERO } from '../money/ratio.ts'
import { ORACLE_PAIRS } from '../oracle/pairs.ts'
import type { OracleService } from '../oracle/service.ts'
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
import {
  changesAfter,
  clearHolds,
  lastChangeId,
  lockEnvironment,
  type OverrideRecord,
  type RiskMemory,
  readMemory,
  recordChange,
  type StateChange,
  saveEnvironment,
  saveHold,
  saveState,
  storedVersion,
} from './memory.ts'
import { oracleSignal } from './signals/oracle.ts'
import { corridorSignals, exposureOf } from './signals-for.ts'
import { type CorridorStateView, describeSignal, type Side } from './states.ts'

export type { StateChange } from './memory.ts'

/** Where the pipeline and the state API read a corridor's state. */
export type CorridorStates = {
  view(environment: Environment, corridor: CorridorId): CorridorStateView
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

export type Trigger =
  | 'price'
  | 'execution'
  | 'timer'
  | 'operator'
  | 'override'
  | 'arbitrage'
  | 'start'
  | 'rebalance'

export type RiskEngine = CorridorStates & {
  /** Loads the recorded states (at start); the first price, execution or tick evaluates. */
  load(): Promise<void>
  /** Catches up with what other nodes recorded: states, and transitions for the subscribers. */
  sync(environment?: Environment): Promise<void>
  /** Asks for a degradation check soon (prices, executions); calls arriving together share one evaluation. */
  poke(environment: Environment, trigger: Trigger): void
  /** Runs an evaluation now; `recover` is the SPEC §6.3 recovery (timer or operator). */
  evaluateNow(environment: Environment, mode: EvaluationMode, trigger: Trigger): Promise<StateChange[]>
  /**
   * The timer's evaluation (the risk worker, once per environment across
   * nodes, every second): degradation by time (prices ageing), and the SPEC
   * §6.3 recovery when its 5 minutes (on the environment's clock) are up
   * since the last one, whichever node ran it.
   */
  tick(environment: Environment): Promise<StateChange[]>
  /** The pipeline's L8 reports a failed arbitrage check: the corridor goes to RESTRICT (SPEC §4). */
  reportArbitrage(environment: Environment, corridor: CorridorId, reason: string): void
  setOverride(
    environment: Environment,
    corridor: CorridorId,
    override: StateOverride,
    actor: string,
  ): Promise<StateChange[]>
  effective(environment: Environment, corridor: CorridorId): EffectiveRiskState
  overrideOf(environment: Environment, corridor: CorridorId): OverrideRecord | undefined
  /** The inputs of the last evaluation this node ran, if any. */
  lastInputs(environment: Environment): RiskInputs | undefined
  /** Portfolio VaR as a percentage of its breach limit, now (SPEC §6.2, §7.5: the withdrawal queue pauses above 80%). */
  varPctOfLimit(environment: Environment): Promise<Ratio>
  /** Every change of the environment's states, whichever node recorded it. */
  subscribe(environment: Environment, listener: (change: StateChange) => void): () => void
}

/** What this node knows of an environment's states: a copy of the database's, refreshed by `sync`. */
type Copy = {
  memory: RiskMemory | undefined
  inputs: RiskInputs | undefined
  lastChangeId: bigint
  queue: Promise<unknown>
  pokePending: boolean
  /** A pending poke's evaluation must take the lock (an arbitrage hold or an operator's change is behind it). */
  pokeNeedsLock: boolean
  /** Arbitrage holds being written: an evaluation waits for them. */
  holdWrites: Promise<unknown>
}

/** Portfolio VaR as a percentage of its breach limit (SPEC §6.2: 10% of reserve capital). */
function varPctOfLimitOf(inputs: RiskInputs, config: RiskConfig): Ratio {
  if (inputs.reserveCapitalUsd.num === 0n) return ZERO
  const limit = mul(inputs.reserveCapitalUsd, percent(config.exposure.varBreachAtPctOfCapital))
  return mul(div(exposureOf(inputs, config).portfolioVarUsd, limit), ratio(100n))
}

/** Pokes whose cause is already in the database as an input: a quiet check may settle them (see `quiet`). */
const QUIET_TRIGGERS: ReadonlySet<Trigger> = new Set(['price', 'execution', 'rebalance'])

/** Warm once every pair was priced: before, the state is simply what the signals say. */
function warmAfter(memory: RiskMemory, inputs: RiskInputs): boolean {
  return memory.warm || [...inputs.readings.values()].every((reading) => reading.status === 'OK')
}

type Next = Map<CorridorId, { computed: CorridorRiskState; effective: EffectiveRiskState }>

/** SPEC §6.3 for every corridor of an environment: a pure function of the memory, the inputs and the time. */
function decide(
  memory: RiskMemory,
  inputs: RiskInputs,
  mode: EvaluationMode,
  config: RiskConfig,
  nowMs: number,
): Next {
  const exposure = exposureOf(inputs, config)
  const next: Next = new Map()
  for (const corridor of CORRIDOR_IDS) {
    const hold = mode === 'recover' ? undefined : memory.holds.get(corridor)
    const signals = corridorSignals(corridor, inputs, exposure, hold, config)
    // Before warm-up the state is simply what the signals say (a start with no prices is no incident).
    const previous = memory.warm
      ? (memory.computed.get(corridor) as CorridorRiskState)
      : initialRiskState(nowMs)
    const computed = evaluate(previous, signals, memory.warm ? mode : 'degrade', nowMs)
    const override = memory.overrides.get(corridor)
    next.set(corridor, {
      computed,
      effective: applyOverride(computed, isOverrideActive(override, nowMs) ? override : undefined, nowMs),
    })
  }
  return next
}

/** Whether an evaluation left a corridor's stored state as it was (nothing to write). */
function sameState(a: EffectiveRiskState, b: EffectiveRiskState): boolean {
  return (
    a.state === b.state &&
    a.reasons.join('\n') === b.reasons.join('\n') &&
    a.allowedDirections.join(',') === b.allowedDirections.join(',') &&
    a.computed.state === b.computed.state &&
    a.computed.sinceMs === b.computed.sinceMs &&
    a.override?.expiresAtMs === b.override?.expiresAtMs
  )
}

export function createRiskEngine(deps: {
  store: Store
  oracle: OracleService
  clocks: Clocks
  config: RiskConfig
  log: { warn(obj: object, msg: string): void }
  /** Tells other nodes when states change (absent: one process is the system). */
  bus?: Bus
}): RiskEngine {
  const { store, oracle, clocks, config } = deps
  const copies = new Map<Environment, Copy>(
    ENVIRONMENTS.map((environment) => [
      environment,
      {
        memory: undefined,
        inputs: undefined,
        lastChangeId: 0n,
        queue: Promise.resolve(),
        pokePending: false,
        pokeNeedsLock: false,
        holdWrites: Promise.resolve(),
      },
    ]),
  )
  const listeners = new Map<Environment, Set<(change: StateChange) => void>>(
    ENVIRONMENTS.map((environment) => [environment, new Set()]),
  )
  const copyOf = (environment: Environment) => copies.get(environment) as Copy

  /** Runs `fn` after every evaluation this node already queued for the environment. */
  function serial<T>(environment: Environment, fn: () => Promise<T>): Promise<T> {
    const copy = copyOf(environment)
    const run = copy.queue.then(fn, fn)
    copy.queue = run.catch(() => undefined)
    return run
  }

  function effectiveOf(environment: Environment, corridor: CorridorId): EffectiveRiskState {
    const memory = copyOf(environment).memory
    if (memory !== undefined) return memory.effective.get(corridor) as EffectiveRiskState
    const nowMs = clocks[environment].now()
    return applyOverride(initialRiskState(nowMs), undefined, nowMs)
  }

  /** Sends the environment's new transitions, in order, to this node's subscribers. */
  async function tail(environment: Environment): Promise<void> {
    const copy = copyOf(environment)
    for (;;) {
      const changes = await changesAfter(store, environment, copy.lastChangeId)
      for (const change of changes) {
        copy.lastChangeId = BigInt(change.id)
        for (const listener of listeners.get(environment) ?? []) listener(change)
      }
      if (changes.length < 1_000) return
    }
  }

  /**
   * Reloads the environment's memory when another node stored a newer version
   * (one cheap read when nothing changed), then sends its new transitions on.
   * Versions only grow, so a read that raced an evaluation on this node never
   * replaces what that evaluation stored.
   */
  async function refresh(environment: Environment): Promise<void> {
    const copy = copyOf(environment)
    const stored = await storedVersion(store, environment)
    if (copy.memory === undefined || stored > copy.memory.version) {
      const memory = await readMemory(store, environment, clocks[environment].now())
      if (copy.memory === undefined || memory.version > copy.memory.version) copy.memory = memory
    }
    await tail(environment)
  }

  /**
   * One evaluation: under the environment's lock, read the memory, gather the
   * inputs, decide, and store every change with its transition and event, in
   * one transaction. `auto` is the timer's: recovery when it is due.
   */
  async function run(
    environment: Environment,
    mode: EvaluationMode | 'auto',
    trigger: Trigger,
  ): Promise<StateChange[]> {
    const copy = copyOf(environment)
    await copy.holdWrites
    await oracle.sync()
    const outcome = await store.transaction(async (tx) => {
      await lockEnvironment(tx, environment)
      const nowMs = clocks[environment].now()
      const memory = await readMemory(tx, environment, nowMs)
      const effectiveMode: EvaluationMode =
        mode === 'auto' ? (isRecoveryDue(memory.lastRecoveryMs, nowMs, config) ? 'recover' : 'degrade') : mode
      // A failed arbitrage check holds its corridor in RESTRICT until the next recovery, which re-opens it:
      // the check runs again on every quote, and fails again if the gap is still there.
      if (effectiveMode === 'recover' && memory.holds.size > 0) await clearHolds(tx, environment)
      const inputs = await gatherInputs(tx, oracle, environment, nowMs, config.volatility.windowMs)
      const next = decide(memory, inputs, effectiveMode, config, nowMs)
      const changes = await persist(tx, memory, next, trigger, nowMs)
      const warm = warmAfter(memory, inputs)
      const lastRecoveryMs = effectiveMode === 'recover' ? nowMs : memory.lastRecoveryMs
      const moved =
        changes.moved || !memory.stored || warm !== memory.warm || lastRecoveryMs !== memory.lastRecoveryMs
      const version = moved ? memory.version + 1n : memory.version
      // Most evaluations change nothing and write nothing: the common case under load costs only reads.
      if (moved) {
        await saveEnvironment(tx, environment, { warm, lastRecoveryMs, version })
        await deps.bus?.publish(tx, `risk:${environment}`)
      }
      const after: RiskMemory = {
        ...memory,
        stored: true,
        warm,
        lastRecoveryMs,
        version,
        computed: new Map([...next].map(([corridor, n]) => [corridor, n.computed])),
        effective: new Map([...next].map(([corridor, n]) => [corridor, n.effective])),
        holds: effectiveMode === 'recover' ? new Map() : memory.holds,
      }
      return { inputs, memory: after, changes: changes.recorded }
    })
    copy.inputs = outcome.inputs
    // Another node may have stored a newer version meanwhile; its notification brings that one.
    if (copy.memory === undefined || outcome.memory.version >= copy.memory.version)
      copy.memory = outcome.memory
    await tail(environment)
    return outcome.changes
  }

  /**
   * The common case under load, without a transaction or the environment's
   * lock: when this node's copy is the stored version and a degradation check
   * on fresh inputs changes nothing (no state, reason or warm-up moves), there
   * is nothing to write and the evaluation ends here. Anything else, or a
   * copy behind the database, goes to `run`, which decides again under the
   * lock. Only for pokes whose cause is already in the database as inputs
   * (prices, executions, rebalances): a hold or an override is not versioned
   * until an evaluation under the lock records it.
   */
  async function quiet(environment: Environment): Promise<boolean> {
    const copy = copyOf(environment)
    const memory = copy.memory
    if (memory === undefined || !memory.stored) return false
    await copy.holdWrites
    await oracle.sync()
    if ((await storedVersion(store, environment)) !== memory.version) return false
    const nowMs = clocks[environment].now()
    const inputs = await gatherInputs(store, oracle, environment, nowMs, config.volatility.windowMs)
    const next = decide(memory, inputs, 'degrade', config, nowMs)
    if (warmAfter(memory, inputs) !== memory.warm) return false
    for (const [corridor, { effective }] of next) {
      if (!sameState(memory.effective.get(corridor) as EffectiveRiskState, effective)) return false
    }
    copy.inputs = inputs
    return true
  }

  /** Stores what changed; `moved` when any corridor row changed (other nodes then reload). */
  async function persist(
    tx: Tx,
    memory: RiskMemory,
    next: Next,
    trigger: Trigger,
    nowMs: number,
  ): Promise<{ recorded: StateChange[]; moved: boolean }> {
    const recorded: StateChange[] = []
    let moved = false
    for (const [corridor, { effective }] of next) {
      const before = memory.effective.get(corridor) as EffectiveRiskState
      if (before.state !== effective.state) {
        recorded.push(
          await recordChange(tx, {
            environment: memory.environment,
            corridor,
            previousState: before.state,
            state: effective.state,
            reasons: effective.reasons,
            trigger,
            atMs: nowMs,
          }),
        )
      }
      if (!memory.stored || !sameState(before, effective)) {
        await saveState(tx, memory.environment, corridor, effective, nowMs)
        moved = true
      }
    }
    return { recorded, moved }
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

  const engine: RiskEngine = {
    view(environment, corridor): CorridorStateView {
      const effective = effectiveOf(environment, corridor)
      // Prices go stale by time alone, between evaluations; degradation is immediate (SPEC §6.1), so a
      // read checks the oracle itself and shows HALT at once (the next evaluation records it).
      const oracleNow = liveOracleHalt(environment, corridor)
      if (oracleNow !== undefined && effective.state !== 'HALT') {
        engine.poke(environment, 'price')
        return { state: 'HALT', allowedDirections: [], reasons: [oracleNow] }
      }
      return {
        state: effective.state,
        allowedDirections: effective.allowedDirections as readonly Side[],
        reasons: effective.reasons,
      }
    },
    effective: effectiveOf,
    overrideOf(environment, corridor) {
      const override = copyOf(environment).memory?.overrides.get(corridor)
      return isOverrideActive(override, clocks[environment].now()) ? override : undefined
    },
    lastInputs: (environment) => copyOf(environment).inputs,
    async varPctOfLimit(environment) {
      const inputs = await gatherInputs(
        store,
        oracle,
        environment,
        clocks[environment].now(),
        config.volatility.windowMs,
      )
      return varPctOfLimitOf(inputs, config)
    },

    async load() {
      for (const environment of ENVIRONMENTS) {
        const copy = copyOf(environment)
        copy.memory = await readMemory(store, environment, clocks[environment].now())
        copy.lastChangeId = await lastChangeId(store, environment)
      }
    },

    async sync(environment) {
      for (const env of environment === undefined ? ENVIRONMENTS : [environment]) await refresh(env)
    },

    poke(environment, trigger) {
      const copy = copyOf(environment)
      if (!QUIET_TRIGGERS.has(trigger)) copy.pokeNeedsLock = true
      // Pokes that arrive before a queued evaluation starts share it: under load that is one evaluation
      // per batch of executions, each still seeing every execution committed before it starts.
      if (copy.pokePending) return
      copy.pokePending = true
      setImmediate(() => {
        serial(environment, async () => {
          copy.pokePending = false
          const needsLock = copy.pokeNeedsLock
          copy.pokeNeedsLock = false
          if (!needsLock && (await quiet(environment))) return []
          return run(environment, 'degrade', trigger)
        }).catch((error) => deps.log.warn({ err: error, environment }, 'risk evaluation failed'))
      })
    },

    evaluateNow: (environment, mode, trigger) => serial(environment, () => run(environment, mode, trigger)),

    tick: (environment) => serial(environment, () => run(environment, 'auto', 'timer')),

    reportArbitrage(environment, corridor, reason) {
      const copy = copyOf(environment)
      const write = store.transaction((tx) =>
        saveHold(tx, environment, corridor, reason, clocks[environment].now()),
      )
      copy.holdWrites = Promise.all([copy.holdWrites, write]).catch((error) =>
        deps.log.warn({ err: error, environment, corridor }, 'could not record the arbitrage hold'),
      )
      void copy.holdWrites.then(() => engine.poke(environment, 'arbitrage'))
    },

    setOverride(environment, corridor, override, actor) {
      return serial(environment, async () => {
        const before = effectiveOf(environment, corridor).state
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
              created_at: BigInt(clocks[environment].now()),
            })
            .execute()
        })
        return run(environment, 'degrade', 'override')
      })
    },

    subscribe(environment, listener) {
      const set = listeners.get(environment) as Set<(change: StateChange) => void>
      set.add(listener)
      return () => set.delete(listener)
    },
  }
  return engine
}
