import { recordAudit } from '../audit/audit.ts'
import type { Clock } from '../clock/clock.ts'
import { type Failure, fail, ok, type Result } from '../errors.ts'
import { formatDecimal, parseDecimal } from '../money/decimal.ts'
import { msOf } from '../store/columns.ts'
import { lockPartner } from '../store/locks.ts'
import type { Reader, Store } from '../store/store.ts'
import {
  autoPauseWatches,
  ERROR_RATE_POLICY,
  type ErrorRatePolicy,
  errorWindowStartMs,
  LAST_STEP_INDEX,
  RAMP_UP_STEPS,
  type RampUp,
  rampUpStatus,
} from './ramp-up.ts'
import { countExecutionErrors, readRampUp, writeRampUp } from './ramp-up-store.ts'

export const RAMP_UP_ACTIONS = ['advance', 'override', 'pause', 'resume', 'set_go_live'] as const
export type RampUpAction = (typeof RAMP_UP_ACTIONS)[number]

export type RampUpCommand = {
  readonly action: RampUpAction
  /** override: the percentage of the agreed limits (decimal text), or null to follow the schedule again. */
  readonly limit_pct?: string | null
  /** set_go_live: an ISO 8601 UTC instant. */
  readonly go_live_at?: string
  /** pause: why, shown to the partner in its RAMP_UP_PAUSED refusals. */
  readonly reason?: string
}

/** The ramp-up state, as audited and as the admin view starts. */
export type RampUpStateView = {
  go_live_at: string
  step: number
  step_pct: string
  limit_pct: string
  next_step_at: string | null
  override: { limit_pct: string } | null
  paused: boolean
  paused_at: string | null
  paused_reason: string | null
}

export type RampUpView = RampUpStateView & {
  partner_id: string
  environment: 'live'
  schedule: { step: number; starts_at: string; limit_pct: string }[]
  error_rate: {
    window_start: string
    finished_executions: number
    failed_executions: number
    min_executions: number
    max_error_pct: string
    watching: boolean
  }
}

export type RampUpService = {
  view(partnerId: string): Promise<Result<RampUpView>>
  act(partnerId: string, command: RampUpCommand, actor: string): Promise<Result<RampUpView>>
}

const DAY_MS = 86_400_000
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
const ISO_INSTANT = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d{1,3})?Z$/
const iso = (ms: number) => new Date(ms).toISOString()
const isoOrNull = (ms: number | null) => (ms === null ? null : iso(ms))

export function stateView(rampUp: RampUp, nowMs: number): RampUpStateView {
  const status = rampUpStatus(rampUp, nowMs)
  return {
    go_live_at: iso(rampUp.goLiveAtMs),
    step: status.stepIndex + 1,
    step_pct: status.stepPct,
    limit_pct: status.limitPct,
    next_step_at: isoOrNull(status.nextStepAtMs),
    override: rampUp.overridePct === null ? null : { limit_pct: rampUp.overridePct },
    paused: status.paused,
    paused_at: isoOrNull(rampUp.pausedAtMs),
    paused_reason: rampUp.pausedReason,
  }
}

/** A partner's ramp-up and creation, or undefined for an unknown partner. */
export async function loadRampUp(
  db: Reader,
  partnerId: string,
): Promise<{ rampUp: RampUp; createdAtMs: number } | undefined> {
  if (!UUID.test(partnerId)) return undefined
  const partner = await db.kysely
    .selectFrom('partners')
    .select('created_at')
    .where('id', '=', partnerId)
    .executeTakeFirst()
  if (partner === undefined) return undefined
  const createdAtMs = msOf(partner.created_at)
  return { rampUp: await readRampUp(db, partnerId, createdAtMs), createdAtMs }
}

function invalid(message: string): Failure {
  return fail('VALIDATION_ERROR', message)
}

/** Fields that belong to one action only: anything else in the body is a mistake, not a no-op. */
const FIELDS_OF: Record<RampUpAction, readonly (keyof RampUpCommand)[]> = {
  advance: [],
  override: ['limit_pct'],
  pause: ['reason'],
  resume: [],
  set_go_live: ['go_live_at'],
}

/** The change an action makes, as a pure function of the state before it. */
export function applyRampUpCommand(rampUp: RampUp, command: RampUpCommand, nowMs: number): Result<RampUp> {
  const allowed = FIELDS_OF[command.action]
  for (const field of ['limit_pct', 'go_live_at', 'reason'] as const) {
    if (command[field] !== undefined && !allowed.includes(field)) {
      return invalid(`${field} does not go with action ${command.action}`)
    }
  }
  switch (command.action) {
    case 'advance': {
      const current = rampUpStatus(rampUp, nowMs).stepIndex
      if (current >= LAST_STEP_INDEX)
        return fail('CONFLICT', 'the ramp-up is already at its last step (100%)')
      return ok({ ...rampUp, advancedStep: current + 1 })
    }
    case 'override': {
      if (command.limit_pct === undefined) return invalid('override needs limit_pct (a percentage, or null)')
      if (command.limit_pct === null) return ok({ ...rampUp, overridePct: null })
      const pct = parseDecimal(command.limit_pct, 2)
      if (!pct.ok) return invalid(`limit_pct ${pct.reason}`)
      if (pct.minor <= 0n || pct.minor > 10_000n) return invalid('limit_pct must be above 0 and at most 100')
      // Stored canonical ("30.50" is "30.5", "100.00" is "100"), so equal percentages read equal.
      return ok({ ...rampUp, overridePct: formatDecimal(pct.minor, 2) })
    }
    case 'pause':
      if (rampUp.pausedAtMs !== null) return fail('CONFLICT', 'the partner is already paused')
      return ok({ ...rampUp, pausedAtMs: nowMs, pausedReason: command.reason ?? 'paused by the operator' })
    case 'resume':
      if (rampUp.pausedAtMs === null) return fail('CONFLICT', 'the partner is not paused')
      return ok({ ...rampUp, pausedAtMs: null, pausedReason: null, resumedAtMs: nowMs })
    case 'set_go_live': {
      const text = command.go_live_at
      if (text === undefined) return invalid('set_go_live needs go_live_at (an ISO 8601 UTC instant)')
      const ms = ISO_INSTANT.test(text) ? Date.parse(text) : Number.NaN
      if (!Number.isFinite(ms) || iso(ms).slice(0, 19) !== text.slice(0, 19)) {
        return invalid('go_live_at must be an ISO 8601 UTC instant such as 2026-12-01T00:00:00Z')
      }
      // The schedule restarts from the new date: steps advanced from the old one no longer apply.
      return ok({ ...rampUp, goLiveAtMs: ms, advancedStep: 0 })
    }
  }
}

export function createRampUpService(deps: {
  store: Store
  clock: Clock
  policy?: ErrorRatePolicy
}): RampUpService {
  const { store, clock } = deps
  const policy = deps.policy ?? ERROR_RATE_POLICY

  async function fullView(db: Reader, partnerId: string, rampUp: RampUp, nowMs: number): Promise<RampUpView> {
    const windowStartMs = errorWindowStartMs(rampUp, nowMs, policy)
    const counts = await countExecutionErrors(db, partnerId, windowStartMs, nowMs)
    const state = stateView(rampUp, nowMs)
    return {
      partner_id: partnerId,
      environment: 'live',
      ...state,
      schedule: RAMP_UP_STEPS.map((step, i) => ({
        step: i + 1,
        starts_at: iso(rampUp.goLiveAtMs + step.fromDay * DAY_MS),
        limit_pct: step.pct,
      })),
      error_rate: {
        window_start: iso(windowStartMs),
        finished_executions: Number(counts.finished),
        failed_executions: Number(counts.failed),
        min_executions: policy.minExecutions,
        max_error_pct: policy.maxErrorPct.toString(),
        watching: autoPauseWatches(rampUp, nowMs),
      },
    }
  }

  return {
    async view(partnerId) {
      const loaded = await loadRampUp(store, partnerId)
      if (loaded === undefined) return fail('NOT_FOUND', 'no such partner')
      return ok(await fullView(store, partnerId, loaded.rampUp, clock.now()))
    },

    async act(partnerId, command, actor) {
      return store.transaction(async (tx): Promise<Result<RampUpView>> => {
        // The partner's lock: a change waits for, and is seen by, its firm quotes and executions.
        if (UUID.test(partnerId)) await lockPartner(tx, partnerId)
        const loaded = await loadRampUp(tx, partnerId)
        if (loaded === undefined) return fail('NOT_FOUND', 'no such partner')
        const nowMs = clock.now()
        const after = applyRampUpCommand(loaded.rampUp, command, nowMs)
        if (!after.ok) return after
        await writeRampUp(tx, partnerId, after.value, loaded.createdAtMs, nowMs)
        await recordAudit(tx, {
          actor,
          action: `partner.ramp_up.${command.action}`,
          targetType: 'partner',
          targetId: partnerId,
          before: stateView(loaded.rampUp, nowMs),
          after: stateView(after.value, nowMs),
          atMs: nowMs,
        })
        return ok(await fullView(tx, partnerId, after.value, nowMs))
      })
    },
  }
}
