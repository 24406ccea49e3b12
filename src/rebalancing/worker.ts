import type { Clocks } from '../clock/clock.ts'
import { ASSET_BY_FIAT, type AssetCode } from '../config/assets.ts'
import { CORRIDOR_IDS, CORRIDORS, type CorridorId } from '../config/corridors.ts'
import { ENVIRONMENTS, type Environment } from '../config/environment.ts'
import { POOLS } from '../config/pools.ts'
import { DEFAULT_REBALANCING_CONFIG, type RebalancingConfig } from '../config/rebalancing.ts'
import type { Result } from '../errors.ts'
import { abs, cmp, formatRatio, mul, type Ratio, ratio } from '../money/ratio.ts'
import type { OracleService } from '../oracle/service.ts'
import { minorToUsd } from '../pools/model.ts'
import type { UsdRates } from '../pools/usd-rates.ts'
import type { RiskEngine } from '../risk/engine.ts'
import { lockActivePosition, readActivePositions } from '../risk/positions.ts'
import { msOf } from '../store/columns.ts'
import type { Store, Tx } from '../store/store.ts'
import type { ActivePools } from '../trading/market.ts'
import type { Worker } from '../workers/runner.ts'
import { readOpenBatches, settleExpiredBatches } from './batches.ts'
import { type Cooldown, type Decision, type Direction, type PoolSnapshot, planRebalance } from './planner.ts'
import { lockRebalanceBalances, type RebalanceBalances, settleRebalance } from './settle.ts'

export type RebalancerLog = {
  info?(obj: object, msg: string): void
  warn(obj: object, msg: string): void
}

export type RebalancerDeps = {
  readonly store: Store
  /** SPEC §8 moves at the oracle mid: `moneyRates` (the current OK mid, else the last one ≤ 5 min old), never a fallback. */
  readonly oracle: Pick<OracleService, 'moneyRates'>
  /** Optional per-corridor rates (a stale USD-SGD need not stop USD-IDR); `oracle.moneyRates` when absent. */
  readonly corridorRates?: (environment: Environment, corridor: CorridorId) => Result<UsdRates>
  /** The environment's clock: the sandbox follows its test clock. */
  readonly clocks: Clocks
  /** Evaluated on every rebalance (SPEC §6.2), and asked for portfolio VaR (SPEC §8 "VaR > 80%"). */
  readonly engine: Pick<RiskEngine, 'poke' | 'varPctOfLimit'>
  /** Pricing's cached Active balances, forgotten after a rebalance on this node. */
  readonly pools?: Pick<ActivePools, 'invalidate'>
  readonly config?: RebalancingConfig
  readonly log?: RebalancerLog
}

/** What happened to one corridor in one run. */
export type CorridorOutcome =
  | { readonly corridor: CorridorId; readonly kind: 'none' | 'wait'; readonly decision: Decision }
  | {
      readonly corridor: CorridorId
      readonly kind: 'skipped'
      readonly decision: Decision
      /** Why nothing moved although the plan said to. */
      readonly reason: string
    }
  | {
      readonly corridor: CorridorId
      readonly kind: 'rebalance'
      readonly decision: Decision
      readonly rebalanceId: string
      readonly partial: boolean
    }
  | { readonly corridor: CorridorId; readonly kind: 'oracle_stale'; readonly message: string }

export type RebalancerRun = {
  readonly environment: Environment
  readonly outcomes: readonly CorridorOutcome[]
}

export const rebalancerWorkerName = (environment: Environment) => `rebalancer.${environment}`

function cooldownOf(row: { direction: string; started_at: bigint; ends_at: bigint }): Cooldown {
  return {
    direction: row.direction as Direction,
    startedAtMs: msOf(row.started_at),
    endsAtMs: msOf(row.ends_at),
  }
}

async function readCooldowns(store: Store, environment: Environment): Promise<Map<CorridorId, Cooldown>> {
  const rows = await store.kysely
    .selectFrom('rebalance_cooldowns')
    .selectAll()
    .where('environment', '=', environment)
    .execute()
  return new Map(rows.map((row) => [row.corridor as CorridorId, cooldownOf(row)]))
}

/** Writes the cooldown a decision leaves (SPEC §8), or removes the one it ends. */
async function saveCooldown(
  tx: Tx,
  environment: Environment,
  corridor: CorridorId,
  before: Cooldown | undefined,
  after: Cooldown | undefined,
): Promise<void> {
  if (after === undefined) {
    if (before !== undefined) {
      await tx.kysely
        .deleteFrom('rebalance_cooldowns')
        .where('environment', '=', environment)
        .where('corridor', '=', corridor)
        .execute()
    }
    return
  }
  if (before?.startedAtMs === after.startedAtMs && before.direction === after.direction) return
  const row = {
    direction: after.direction,
    started_at: BigInt(after.startedAtMs),
    ends_at: BigInt(after.endsAtMs),
  }
  await tx.kysely
    .insertInto('rebalance_cooldowns')
    .values({ environment, corridor, ...row })
    .onConflict((oc) => oc.columns(['environment', 'corridor']).doUpdateSet(row))
    .execute()
}

function snapshot(asset: AssetCode, active: bigint, reserve: bigint, rates: UsdRates): PoolSnapshot {
  return {
    activeUsd: minorToUsd(active, asset, rates),
    activeTargetUsd: ratio(POOLS[asset].ACTIVE.targetUsd),
    activeMinPct: POOLS[asset].ACTIVE.minPct,
    reserveUsd: minorToUsd(reserve, asset, rates),
  }
}

function poolsOf(corridor: CorridorId, balances: RebalanceBalances, rates: UsdRates) {
  const { base, quote } = CORRIDORS[corridor]
  return {
    base: snapshot(ASSET_BY_FIAT[base].code, balances.activeBase, balances.reserveBase, rates),
    quote: snapshot(ASSET_BY_FIAT[quote].code, balances.activeQuote, balances.reserveQuote, rates),
  }
}

/**
 * One corridor in one transaction: the four pool balances and the position
 * under lock (in the order executions take them), the cooldown, the plan,
 * and what the plan decided: a rebalance settled, a cooldown kept, started
 * or ended.
 */
function decideAndPersist(
  deps: RebalancerDeps,
  environment: Environment,
  corridor: CorridorId,
  rates: UsdRates,
  varPctOfLimit: Ratio | undefined,
  config: RebalancingConfig,
  hourly: boolean,
): Promise<CorridorOutcome> {
  return deps.store.transaction(async (tx): Promise<CorridorOutcome> => {
    const nowMs = deps.clocks[environment].now()
    const balances = await lockRebalanceBalances(tx, environment, corridor)
    const position = await lockActivePosition(tx, environment, corridor)
    const cooldownRow = await tx.kysely
      .selectFrom('rebalance_cooldowns')
      .selectAll()
      .where('environment', '=', environment)
      .where('corridor', '=', corridor)
      .executeTakeFirst()
    const before = cooldownRow === undefined ? undefined : cooldownOf(cooldownRow)
    const baseCode = ASSET_BY_FIAT[CORRIDORS[corridor].base].code
    const decision = planRebalance(
      {
        corridor,
        nowMs,
        positionUsd: minorToUsd(position.baseUnits, baseCode, rates),
        pools: poolsOf(corridor, balances, rates),
        cooldown: before,
        varPctOfLimit,
        hourly,
      },
      config,
    )
    if (decision.kind !== 'rebalance') {
      await saveCooldown(tx, environment, corridor, before, decision.cooldown)
      return decision.kind === 'skipped'
        ? { corridor, kind: 'skipped', decision, reason: decision.reason }
        : { corridor, kind: decision.kind, decision }
    }
    const settled = await settleRebalance(tx, {
      environment,
      corridor,
      direction: decision.direction,
      amountUsd: decision.amountUsd,
      rates,
      atMs: nowMs,
      trigger: decision.trigger,
      emergency: decision.emergency,
      partial: decision.partial,
      deviationUsd: decision.deviationUsd,
      batchOpenMs: config.batchOpenMs,
    })
    // Nothing fits once rounded to smallest units: the cooldown stays, the plan is retried next run.
    if (!settled.ok) return { corridor, kind: 'skipped', decision, reason: settled.message }
    await saveCooldown(tx, environment, corridor, before, undefined)
    return {
      corridor,
      kind: 'rebalance',
      decision,
      rebalanceId: settled.value.rebalanceId,
      partial: settled.value.partial,
    }
  })
}

const HOUR_MS = 3_600_000

/** The start of the clock hour whose sweep last ran (SPEC §8 "hourly"); −1 before the first. */
async function lastSweep(store: Store, environment: Environment): Promise<number> {
  const row = await store.kysely
    .selectFrom('rebalance_sweeps')
    .select('hour_start')
    .where('environment', '=', environment)
    .executeTakeFirst()
  return row === undefined ? -1 : msOf(row.hour_start)
}

async function recordSweep(store: Store, environment: Environment, hourStart: number): Promise<void> {
  await store.kysely
    .insertInto('rebalance_sweeps')
    .values({ environment, hour_start: BigInt(hourStart) })
    .onConflict((oc) => oc.column('environment').doUpdateSet({ hour_start: BigInt(hourStart) }))
    .execute()
}

/** Batches past their window stop taking fills; read first, so a quiet second writes nothing. */
async function settleDueBatches(deps: RebalancerDeps, environment: Environment, config: RebalancingConfig) {
  const nowMs = deps.clocks[environment].now()
  const due = (await readOpenBatches(deps.store, environment)).some(
    (b) => b.status === 'OPEN' && b.openedAtMs <= nowMs - config.batchOpenMs,
  )
  if (due)
    await deps.store.transaction((tx) => settleExpiredBatches(tx, environment, nowMs, config.batchOpenMs))
}

/**
 * The corridors worth a transaction now: a position beyond its residual (a
 * rebalance or a cooldown may follow) or a cooldown to keep or end. An
 * unlocked read: a trade after it wakes the worker again.
 */
async function candidates(
  deps: RebalancerDeps,
  environment: Environment,
  ratesOf: (corridor: CorridorId) => Result<UsdRates>,
  config: RebalancingConfig,
): Promise<{ corridor: CorridorId; soft: boolean }[]> {
  const positions = await readActivePositions(deps.store, environment)
  const cooldowns = await readCooldowns(deps.store, environment)
  const found: { corridor: CorridorId; soft: boolean }[] = []
  for (const corridor of CORRIDOR_IDS) {
    const rates = ratesOf(corridor)
    const c = config.corridors[corridor]
    const base = positions.get(corridor)?.baseUnits ?? 0n
    if (!rates.ok) {
      // Reported only where there is something to rebalance: an idle environment is not an incident.
      if (base !== 0n || cooldowns.has(corridor)) found.push({ corridor, soft: false })
      continue
    }
    const deviation = abs(minorToUsd(base, ASSET_BY_FIAT[CORRIDORS[corridor].base].code, rates.value))
    const beyondResidual = cmp(deviation, mul(ratio(c.softUsd), config.residualFactor)) > 0
    if (beyondResidual || cooldowns.has(corridor)) {
      found.push({ corridor, soft: cmp(deviation, ratio(c.softUsd)) >= 0 })
    }
  }
  return found
}

/**
 * One run of the Phase 1 rebalancer for an environment (SPEC §8): each
 * corridor's decision is planned and persisted in its own transaction; after
 * any rebalance the risk engine evaluates the environment (SPEC §6.2, trigger
 * `rebalance`). Refuses to move anything at a stale oracle. Stops between
 * corridors once the lease may have passed to another node.
 */
export async function runRebalancer(
  deps: RebalancerDeps,
  environment: Environment,
  stillHeld: () => boolean,
): Promise<RebalancerRun> {
  const config = deps.config ?? DEFAULT_REBALANCING_CONFIG
  const ratesOf = (corridor: CorridorId): Result<UsdRates> =>
    deps.corridorRates?.(environment, corridor) ?? deps.oracle.moneyRates(environment)
  await settleDueBatches(deps, environment, config)
  const hourStart = Math.floor(deps.clocks[environment].now() / HOUR_MS) * HOUR_MS
  const hourly = (await lastSweep(deps.store, environment)) < hourStart
  const todo = await candidates(deps, environment, ratesOf, config)
  // SPEC §8 "VaR > 80%" matters only at or above soft: read it only then (it costs a full risk read).
  const varPctOfLimit = todo.some((t) => t.soft) ? await deps.engine.varPctOfLimit(environment) : undefined
  const outcomes: CorridorOutcome[] = []
  for (const { corridor } of todo) {
    if (!stillHeld()) break
    const rates = ratesOf(corridor)
    if (!rates.ok) {
      outcomes.push({ corridor, kind: 'oracle_stale', message: rates.message })
      continue
    }
    const outcome = await decideAndPersist(
      deps,
      environment,
      corridor,
      rates.value,
      varPctOfLimit,
      config,
      hourly,
    )
    outcomes.push(outcome)
    if (outcome.kind === 'rebalance') logRebalance(deps.log, environment, outcome)
  }
  // The sweep is done once every corridor was looked at; a run cut short leaves it to the next one.
  if (hourly && stillHeld() && outcomes.every((o) => o.kind !== 'oracle_stale')) {
    await recordSweep(deps.store, environment, hourStart)
  }
  if (outcomes.some((o) => o.kind === 'rebalance')) {
    deps.pools?.invalidate(environment)
    deps.engine.poke(environment, 'rebalance')
  }
  return { environment, outcomes }
}

function logRebalance(log: RebalancerLog | undefined, environment: Environment, outcome: CorridorOutcome) {
  if (outcome.kind !== 'rebalance' || outcome.decision.kind !== 'rebalance') return
  const d = outcome.decision
  const fields = {
    environment,
    corridor: outcome.corridor,
    rebalance_id: outcome.rebalanceId,
    direction: d.direction,
    trigger: d.trigger,
    deviation_usd: formatRatio(d.deviationUsd, 2, 'floor'),
    wanted_usd: formatRatio(d.wantedUsd, 2, 'floor'),
    amount_usd: formatRatio(d.amountUsd, 2, 'floor'),
  }
  if (outcome.partial || d.emergency) {
    log?.warn(
      { ...fields, partial: outcome.partial, emergency: d.emergency },
      d.emergency ? 'emergency rebalance (Phase 2 sends an emergency RFQ for the bag)' : 'partial rebalance',
    )
  } else {
    log?.info?.(fields, 'rebalance executed')
  }
}

/** A run's problems worth telling an operator once (a stale oracle, a rebalance with nothing to move). */
function problemsOf(run: RebalancerRun): string[] {
  return run.outcomes.flatMap((o) =>
    o.kind === 'oracle_stale'
      ? [`${o.corridor}: oracle stale (${o.message})`]
      : o.kind === 'skipped'
        ? [`${o.corridor}: rebalance skipped: ${o.reason}`]
        : [],
  )
}

/**
 * The rebalancer as a background worker, named `rebalancer.<environment>`
 * for its lease (once per environment across nodes, SPEC §15): every second,
 * and whenever an execution wakes it. A problem that persists is logged when
 * it starts and when it clears, not every second.
 */
export function rebalancerWorker(deps: RebalancerDeps, environment: Environment): Worker {
  let reported: string[] = []
  return {
    name: rebalancerWorkerName(environment),
    everyMs: 1_000,
    async run({ stillHeld }) {
      const run = await runRebalancer(deps, environment, stillHeld)
      const problems = problemsOf(run)
      if (problems.join('\n') !== reported.join('\n')) {
        if (problems.length > 0) deps.log?.warn({ environment, problems }, 'rebalancer cannot act')
        else deps.log?.info?.({ environment }, 'rebalancer problems cleared')
        reported = problems
      }
      return run
    },
  }
}

/** One rebalancer worker per environment. */
export function rebalancerWorkers(deps: RebalancerDeps): Worker[] {
  return ENVIRONMENTS.map((environment) => rebalancerWorker(deps, environment))
}
