import { sql } from 'kysely'
import { CORRIDOR_IDS, type CorridorId } from '../config/corridors.ts'
import type { Environment } from '../config/environment.ts'
import { recordEvent } from '../events/events.ts'
import { msOf } from '../store/columns.ts'
import type { Reader, Tx } from '../store/store.ts'
import {
  applyOverride,
  type CorridorRiskState,
  type EffectiveRiskState,
  initialRiskState,
  type StateOverride,
} from './machine.ts'
import type { RiskState, Side } from './states.ts'

/**
 * The risk engine's memory in the database (SPEC §15 "Several nodes"): what
 * each corridor's state machine last decided, the operator overrides, the
 * arbitrage holds, and per environment whether the oracle has warmed up and
 * when recovery last ran. Every node evaluates from it and writes back to it
 * under one lock per environment, so a change is decided and recorded once.
 */
export type OverrideRecord = StateOverride & { readonly actor: string }

export type RiskMemory = {
  readonly environment: Environment
  /** False until an evaluation has been stored for the environment. */
  readonly stored: boolean
  readonly warm: boolean
  readonly lastRecoveryMs: number
  readonly version: bigint
  readonly computed: ReadonlyMap<CorridorId, CorridorRiskState>
  readonly effective: ReadonlyMap<CorridorId, EffectiveRiskState>
  /** The latest override of each corridor, active or not. */
  readonly overrides: ReadonlyMap<CorridorId, OverrideRecord>
  readonly holds: ReadonlyMap<CorridorId, string>
}

/** How a corridor's state is kept in `risk_states.detail`. */
type StoredDetail = {
  reasons: string[]
  allowed_directions: Side[]
  computed_state?: RiskState
  computed?: {
    state: RiskState
    reasons: string[]
    allowed_directions: Side[]
    since_at: number
    signal_state: RiskState
  }
  override?: { state: RiskState; reason: string; expires_at: number } | null
}

/** Serialises evaluations of one environment across nodes until commit (SQLite: one writer already). */
export async function lockEnvironment(tx: Tx, environment: Environment): Promise<void> {
  if (tx.dialect !== 'postgres') return
  await sql`select pg_advisory_xact_lock(hashtextextended(${`risk:${environment}`}, 0))`.execute(tx.kysely)
}

function storedComputed(detail: StoredDetail, state: RiskState, sinceMs: number): CorridorRiskState {
  const c = detail.computed
  const computedState = c?.state ?? detail.computed_state ?? state
  return {
    state: computedState,
    reasons: c?.reasons ?? detail.reasons,
    allowedDirections: c?.allowed_directions ?? detail.allowed_directions,
    changed: false,
    previousState: computedState,
    sinceMs: c?.since_at ?? sinceMs,
    signalState: c?.signal_state ?? computedState,
    signals: [],
  }
}

export async function readMemory(db: Reader, environment: Environment, nowMs: number): Promise<RiskMemory> {
  const [environmentRow, stateRows, overrideRows, holdRows] = await Promise.all([
    db.kysely
      .selectFrom('risk_environments')
      .selectAll()
      .where('environment', '=', environment)
      .executeTakeFirst(),
    db.kysely.selectFrom('risk_states').selectAll().where('environment', '=', environment).execute(),
    db.kysely
      .selectFrom('risk_overrides')
      .selectAll()
      .where(
        'id',
        'in',
        db.kysely
          .selectFrom('risk_overrides')
          .select((eb) => eb.fn.max('id').as('id'))
          .where('environment', '=', environment)
          .groupBy('corridor'),
      )
      .execute(),
    db.kysely.selectFrom('risk_holds').selectAll().where('environment', '=', environment).execute(),
  ])
  const overrides = new Map<CorridorId, OverrideRecord>()
  for (const row of overrideRows) {
    overrides.set(row.corridor as CorridorId, {
      state: row.state as RiskState,
      reason: row.reason,
      expiresAtMs: msOf(row.expires_at),
      actor: row.actor,
    })
  }
  const computed = new Map<CorridorId, CorridorRiskState>()
  const effective = new Map<CorridorId, EffectiveRiskState>()
  for (const corridor of CORRIDOR_IDS) {
    const row = stateRows.find((r) => r.corridor === corridor)
    const detail = row === undefined ? undefined : (JSON.parse(row.detail) as StoredDetail)
    const machine =
      row === undefined || detail === undefined
        ? initialRiskState(nowMs)
        : storedComputed(detail, row.state as RiskState, msOf(row.since_at))
    computed.set(corridor, machine)
    const applied = applyOverride(machine, overrides.get(corridor), nowMs)
    // What partners were last shown: the stored row (a lapsed override shows until an evaluation records it).
    effective.set(
      corridor,
      row === undefined || detail === undefined
        ? applied
        : {
            ...applied,
            state: row.state as RiskState,
            reasons: detail.reasons,
            allowedDirections: detail.allowed_directions,
          },
    )
  }
  return {
    environment,
    stored: environmentRow !== undefined,
    warm: environmentRow !== undefined && environmentRow.warm === 1n,
    lastRecoveryMs: environmentRow === undefined ? nowMs : msOf(environmentRow.last_recovery_at),
    version: environmentRow?.version ?? 0n,
    computed,
    effective,
    overrides,
    holds: new Map(holdRows.map((row) => [row.corridor as CorridorId, row.reason])),
  }
}

/** The version of an environment's stored memory (0 before its first evaluation). */
export async function storedVersion(db: Reader, environment: Environment): Promise<bigint> {
  const row = await db.kysely
    .selectFrom('risk_environments')
    .select('version')
    .where('environment', '=', environment)
    .executeTakeFirst()
  return row?.version ?? 0n
}

export async function saveEnvironment(
  tx: Tx,
  environment: Environment,
  values: { warm: boolean; lastRecoveryMs: number; version: bigint },
): Promise<void> {
  const row = {
    warm: values.warm ? 1n : 0n,
    last_recovery_at: BigInt(values.lastRecoveryMs),
    version: values.version,
  }
  await tx.kysely
    .insertInto('risk_environments')
    .values({ environment, ...row })
    .onConflict((oc) => oc.column('environment').doUpdateSet(row))
    .execute()
}

export async function saveState(
  tx: Tx,
  environment: Environment,
  corridor: CorridorId,
  effective: EffectiveRiskState,
  nowMs: number,
): Promise<void> {
  const c = effective.computed
  const detail: StoredDetail = {
    reasons: [...effective.reasons],
    allowed_directions: [...effective.allowedDirections],
    computed_state: c.state,
    computed: {
      state: c.state,
      reasons: [...c.reasons],
      allowed_directions: [...c.allowedDirections],
      since_at: c.sinceMs,
      signal_state: c.signalState,
    },
    override:
      effective.override === undefined
        ? null
        : {
            state: effective.override.state,
            reason: effective.override.reason,
            expires_at: effective.override.expiresAtMs,
          },
  }
  const text = JSON.stringify(detail)
  await tx.kysely
    .insertInto('risk_states')
    .values({
      environment,
      corridor,
      state: effective.state,
      detail: text,
      since_at: BigInt(c.sinceMs),
      updated_at: BigInt(nowMs),
    })
    .onConflict((oc) =>
      oc.columns(['environment', 'corridor']).doUpdateSet({
        state: effective.state,
        detail: text,
        since_at: BigInt(c.sinceMs),
        updated_at: BigInt(nowMs),
      }),
    )
    .execute()
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

/** Records a transition and its `system.state_change` event (SPEC §6.1, §10) in the evaluation's transaction. */
export async function recordChange(tx: Tx, change: Omit<StateChange, 'id'>): Promise<StateChange> {
  const row = await tx.kysely
    .insertInto('risk_transitions')
    .values({
      environment: change.environment,
      corridor: change.corridor,
      previous_state: change.previousState,
      state: change.state,
      reasons: JSON.stringify(change.reasons),
      trigger: change.trigger,
      at: BigInt(change.atMs),
    })
    .returning('id')
    .executeTakeFirstOrThrow()
  // SPEC §10: system.state_change {corridor, previous_state, state, reason}.
  await recordEvent(tx, {
    environment: change.environment,
    partnerId: null,
    type: 'system.state_change',
    data: {
      corridor: change.corridor,
      previous_state: change.previousState,
      state: change.state,
      reason: change.reasons.join('; '),
    },
    atMs: change.atMs,
  })
  return { ...change, id: row.id.toString() }
}

/** The transitions of an environment after `afterId`, in order (the stream's replay and every node's tail). */
export async function changesAfter(
  db: Reader,
  environment: Environment,
  afterId: bigint,
  limit = 1_000,
): Promise<StateChange[]> {
  const rows = await db.kysely
    .selectFrom('risk_transitions')
    .selectAll()
    .where('environment', '=', environment)
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(limit)
    .execute()
  return rows.map((row) => ({
    id: row.id.toString(),
    environment,
    corridor: row.corridor as CorridorId,
    previousState: row.previous_state as RiskState,
    state: row.state as RiskState,
    reasons: JSON.parse(row.reasons) as string[],
    trigger: row.trigger,
    atMs: msOf(row.at),
  }))
}

export async function lastChangeId(db: Reader, environment: Environment): Promise<bigint> {
  const row = await db.kysely
    .selectFrom('risk_transitions')
    .select('id')
    .where('environment', '=', environment)
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst()
  return row?.id ?? 0n
}

export async function saveHold(
  tx: Tx,
  environment: Environment,
  corridor: CorridorId,
  reason: string,
  atMs: number,
) {
  await tx.kysely
    .insertInto('risk_holds')
    .values({ environment, corridor, reason, at: BigInt(atMs) })
    .onConflict((oc) => oc.columns(['environment', 'corridor']).doUpdateSet({ reason, at: BigInt(atMs) }))
    .execute()
}

export async function clearHolds(tx: Tx, environment: Environment): Promise<void> {
  await tx.kysely.deleteFrom('risk_holds').where('environment', '=', environment).execute()
}
