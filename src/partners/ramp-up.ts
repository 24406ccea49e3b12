import { type Failure, fail } from '../errors.ts'
import { mul, percent, type Ratio, r } from '../money/ratio.ts'

/**
 * The production ramp-up of SPEC §9, as pure functions of the partner's
 * ramp-up record and `now`: "weeks 1–2 25% of the agreed limits (auto pause
 * if error rate > 5%), weeks 3–4 50%, month 2 75%, then 100%". It governs the
 * live environment only; sandbox always has the full limits.
 */

const DAY_MS = 86_400_000

/**
 * The schedule, counted in whole days from the go-live instant [ours]: weeks
 * 1–2 are days 0–13, weeks 3–4 days 14–27, "month 2" days 28–55, and the
 * agreed limits apply from day 56. A step starts at exactly go-live + fromDay × 24 h.
 */
export const RAMP_UP_STEPS = [
  { fromDay: 0, pct: '25' },
  { fromDay: 14, pct: '50' },
  { fromDay: 28, pct: '75' },
  { fromDay: 56, pct: '100' },
] as const

export const LAST_STEP_INDEX = RAMP_UP_STEPS.length - 1

type Step = (typeof RAMP_UP_STEPS)[number]

function stepAt(index: number): Step {
  const step = RAMP_UP_STEPS[index]
  if (step === undefined) throw new RangeError(`no ramp-up step ${index}`)
  return step
}

/**
 * The automatic pause [ours]: an error is a live execution that ended FAILED
 * or ROLLED_BACK (its chain transfer did not settle); the rate is errors over
 * every live execution that reached an end state (PENDING ones are not yet
 * either), counted over the trailing 24 hours of the live clock, or since the
 * admin last resumed the partner if that is later. Fewer than 20 finished
 * executions decide nothing (one failure in a handful is noise, not a rate).
 * More than 5% pauses: 1 of 20 (exactly 5%) does not, 2 of 20 does.
 */
export const ERROR_RATE_POLICY = {
  windowMs: 24 * 3_600_000,
  minExecutions: 20,
  maxErrorPct: 5n,
} as const

export type ErrorRatePolicy = {
  readonly windowMs: number
  readonly minExecutions: number
  readonly maxErrorPct: bigint
}

/** A partner's ramp-up as stored (src/partners/ramp-up-store.ts); a partner without a row has the defaults. */
export type RampUp = {
  /** The partner's creation unless the admin set another date. */
  readonly goLiveAtMs: number
  /** The step the admin advanced to (an index into RAMP_UP_STEPS); the schedule wins when it is further. */
  readonly advancedStep: number
  /** An admin-set percentage of the agreed limits (decimal text, 0 < pct ≤ 100) that replaces the schedule. */
  readonly overridePct: string | null
  readonly pausedAtMs: number | null
  readonly pausedReason: string | null
  /** The last resume: failures before it no longer count towards the error rate. */
  readonly resumedAtMs: number | null
}

export function defaultRampUp(createdAtMs: number): RampUp {
  return {
    goLiveAtMs: createdAtMs,
    advancedStep: 0,
    overridePct: null,
    pausedAtMs: null,
    pausedReason: null,
    resumedAtMs: null,
  }
}

/** The schedule's step at `nowMs` (before go-live: the first step, since live keys work from creation). */
export function scheduledStep(goLiveAtMs: number, nowMs: number): number {
  let index = 0
  RAMP_UP_STEPS.forEach((step, i) => {
    if (nowMs >= goLiveAtMs + step.fromDay * DAY_MS) index = i
  })
  return index
}

export type RampUpStatus = {
  /** 0-based index into RAMP_UP_STEPS: the schedule's step or the one advanced to, whichever is further. */
  readonly stepIndex: number
  readonly stepPct: string
  /** The percentage of the agreed limits in force: the override, else the step's. */
  readonly limitPct: string
  /** When the schedule reaches the next step after the current one; null at 100%. */
  readonly nextStepAtMs: number | null
  readonly paused: boolean
}

export function rampUpStatus(rampUp: RampUp, nowMs: number): RampUpStatus {
  const stepIndex = Math.min(
    Math.max(scheduledStep(rampUp.goLiveAtMs, nowMs), rampUp.advancedStep),
    LAST_STEP_INDEX,
  )
  const step = stepAt(stepIndex)
  const next = RAMP_UP_STEPS[stepIndex + 1]
  return {
    stepIndex,
    stepPct: step.pct,
    limitPct: rampUp.overridePct ?? step.pct,
    nextStepAtMs: next === undefined ? null : rampUp.goLiveAtMs + next.fromDay * DAY_MS,
    paused: rampUp.pausedAtMs !== null,
  }
}

export type AgreedLimits = { readonly daily_per_corridor_usd: string; readonly monthly_usd: string }
export type EffectiveLimits = {
  readonly dailyPerCorridorUsd: Ratio
  readonly monthlyUsd: Ratio
  /** While ramped down: what a VOLUME_LIMIT_EXCEEDED refusal adds, so the partner knows why the limit is lower. */
  readonly note?: string
}

/**
 * The limits L1 checks (SPEC §4, §9): the agreed ones times the ramp-up
 * percentage in force, exactly (no rounding: $500,000 at 25% is $125,000,
 * $1,000.01 at 25% is $250.0025). `rampUp` is undefined in sandbox, which
 * keeps the agreed limits.
 */
export function effectiveLimits(
  limits: AgreedLimits,
  rampUp: RampUp | undefined,
  nowMs: number,
): EffectiveLimits {
  const daily = r(limits.daily_per_corridor_usd)
  const monthly = r(limits.monthly_usd)
  const pct = rampUp === undefined ? '100' : rampUpStatus(rampUp, nowMs).limitPct
  if (pct === '100') return { dailyPerCorridorUsd: daily, monthlyUsd: monthly }
  const factor = percent(r(pct))
  return {
    dailyPerCorridorUsd: mul(daily, factor),
    monthlyUsd: mul(monthly, factor),
    note: `${pct}% of the agreed limit during the production ramp-up`,
  }
}

/** SPEC §9: a paused live partner gets neither firm quotes nor executions until the admin resumes it. */
export function pausedFailure(rampUp: RampUp | undefined): Failure | undefined {
  if (rampUp === undefined || rampUp.pausedAtMs === null) return undefined
  return fail(
    'RAMP_UP_PAUSED',
    `live trading is paused during the production ramp-up (${rampUp.pausedReason ?? 'by the operator'}); the operator resumes it`,
  )
}

/**
 * The automatic pause watches a partner while it ramps up (the percentage in
 * force is below 100%) and is not already paused. SPEC §9 attaches it to weeks
 * 1–2; we keep it through the whole ramp-up [ours], since a failing
 * integration is no safer at 50% than at 25%.
 */
export function autoPauseWatches(rampUp: RampUp, nowMs: number): boolean {
  const status = rampUpStatus(rampUp, nowMs)
  return !status.paused && status.limitPct !== '100'
}

/**
 * Where the error-rate window starts (inclusive): 24 h back, or just after the
 * last resume if later, so executions made up to the resume no longer count.
 */
export function errorWindowStartMs(rampUp: RampUp, nowMs: number, policy: ErrorRatePolicy): number {
  const trailing = nowMs - policy.windowMs
  return rampUp.resumedAtMs === null ? trailing : Math.max(trailing, rampUp.resumedAtMs + 1)
}

export type ErrorCounts = { readonly finished: bigint; readonly failed: bigint }

/** More than maxErrorPct% of at least minExecutions finished executions failed (exact integer comparison). */
export function errorRateExceeded(counts: ErrorCounts, policy: ErrorRatePolicy): boolean {
  if (counts.finished < BigInt(policy.minExecutions)) return false
  return counts.failed * 100n > policy.maxErrorPct * counts.finished
}

export function errorPauseReason(counts: ErrorCounts, policy: ErrorRatePolicy): string {
  return `error rate above ${policy.maxErrorPct}%: ${counts.failed} of ${counts.finished} live executions failed`
}
