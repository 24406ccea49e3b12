/**
 * The pure core of the SPEC §9 production ramp-up (src/partners/ramp-up.ts,
 * src/partners/ramp-up-service.ts applyRampUpCommand): the schedule, the
 * ramped limits, the error-rate rule and the admin actions, with literal values.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { cmp, r } from '../../src/money/ratio.ts'
import {
  autoPauseWatches,
  defaultRampUp,
  ERROR_RATE_POLICY,
  effectiveLimits,
  errorRateExceeded,
  errorWindowStartMs,
  pausedFailure,
  type RampUp,
  rampUpStatus,
} from '../../src/partners/ramp-up.ts'
import { applyRampUpCommand, type RampUpCommand } from '../../src/partners/ramp-up-service.ts'
import { T0 } from '../support/app.ts'

const DAY = 86_400_000
const HOUR = 3_600_000
const AGREED = { daily_per_corridor_usd: '500000', monthly_usd: '10000000' }
const fresh = defaultRampUp(T0)

describe('ramp-up schedule (SPEC §9)', () => {
  const cases: [string, number, number, string, number | null][] = [
    // label, now, step, limit %, next step at
    ['go-live', T0, 1, '25', T0 + 14 * DAY],
    ['day 13, last millisecond', T0 + 14 * DAY - 1, 1, '25', T0 + 14 * DAY],
    ['day 14 (week 3)', T0 + 14 * DAY, 2, '50', T0 + 28 * DAY],
    ['day 27, last millisecond', T0 + 28 * DAY - 1, 2, '50', T0 + 28 * DAY],
    ['day 28 (month 2)', T0 + 28 * DAY, 3, '75', T0 + 56 * DAY],
    ['day 55, last millisecond', T0 + 56 * DAY - 1, 3, '75', T0 + 56 * DAY],
    ['day 56', T0 + 56 * DAY, 4, '100', null],
    ['a year on', T0 + 365 * DAY, 4, '100', null],
    ['before go-live (live keys work from creation)', T0 - DAY, 1, '25', T0 + 14 * DAY],
  ]
  for (const [label, now, step, pct, next] of cases) {
    it(`${label}: step ${step}, ${pct}%`, () => {
      const status = rampUpStatus(fresh, now)
      assert.equal(status.stepIndex + 1, step)
      assert.equal(status.limitPct, pct)
      assert.equal(status.nextStepAtMs, next)
    })
  }

  it('an advance is a floor: the schedule carries on past it', () => {
    const advanced: RampUp = { ...fresh, advancedStep: 1 }
    assert.equal(rampUpStatus(advanced, T0 + DAY).limitPct, '50')
    assert.equal(rampUpStatus(advanced, T0 + DAY).nextStepAtMs, T0 + 28 * DAY)
    assert.equal(rampUpStatus(advanced, T0 + 28 * DAY).limitPct, '75')
  })

  it('an override replaces the percentage, not the step', () => {
    const overridden: RampUp = { ...fresh, overridePct: '30.5' }
    const status = rampUpStatus(overridden, T0 + 20 * DAY)
    assert.deepEqual(status, {
      stepIndex: 1,
      stepPct: '50',
      limitPct: '30.5',
      nextStepAtMs: T0 + 28 * DAY,
      paused: false,
    })
  })
})

describe('effectiveLimits', () => {
  it('25%, 50%, 75%, 100% of the agreed limits, exactly', () => {
    const at = (now: number) => effectiveLimits(AGREED, fresh, now)
    assert.deepEqual(at(T0).dailyPerCorridorUsd, r('125000'))
    assert.deepEqual(at(T0).monthlyUsd, r('2500000'))
    assert.deepEqual(at(T0 + 14 * DAY).dailyPerCorridorUsd, r('250000'))
    assert.deepEqual(at(T0 + 28 * DAY).monthlyUsd, r('7500000'))
    assert.deepEqual(at(T0 + 56 * DAY), { dailyPerCorridorUsd: r('500000'), monthlyUsd: r('10000000') })
    assert.equal(at(T0).note, '25% of the agreed limit during the production ramp-up')
  })

  it('no rounding: $1,000.01 at 25% is $250.0025', () => {
    const limits = effectiveLimits({ daily_per_corridor_usd: '1000.01', monthly_usd: '3' }, fresh, T0)
    assert.deepEqual(limits.dailyPerCorridorUsd, r('250.0025'))
    assert.deepEqual(limits.monthlyUsd, r('0.75'))
  })

  it('sandbox (no ramp-up) keeps the agreed limits and adds no note', () => {
    assert.deepEqual(effectiveLimits(AGREED, undefined, T0), {
      dailyPerCorridorUsd: r('500000'),
      monthlyUsd: r('10000000'),
    })
  })

  it('property: never above the agreed limits, and never lower later on the schedule', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 10n ** 12n }),
        fc.integer({ min: -10 * DAY, max: 100 * DAY }),
        fc.integer({ min: 0, max: 30 * DAY }),
        (cents, offset, later) => {
          const limits = {
            daily_per_corridor_usd: `${cents / 100n}.${(cents % 100n).toString().padStart(2, '0')}`,
            monthly_usd: '1',
          }
          const agreed = r(limits.daily_per_corridor_usd)
          const now = effectiveLimits(limits, fresh, T0 + offset).dailyPerCorridorUsd
          const then = effectiveLimits(limits, fresh, T0 + offset + later).dailyPerCorridorUsd
          return cmp(now, agreed) <= 0 && cmp(now, then) <= 0 && cmp(now, r('0')) > 0
        },
      ),
    )
  })
})

describe('error rate (auto pause, [ours]: 24 h, at least 20 finished, more than 5%)', () => {
  const exceeded = (failed: bigint, finished: bigint) =>
    errorRateExceeded({ failed, finished }, ERROR_RATE_POLICY)
  it('1 of 20 (exactly 5%) does not pause; 2 of 20 and 2 of 21 do', () => {
    assert.equal(exceeded(1n, 20n), false)
    assert.equal(exceeded(2n, 20n), true)
    assert.equal(exceeded(2n, 21n), true)
    assert.equal(exceeded(5n, 100n), false)
    assert.equal(exceeded(6n, 100n), true)
  })
  it('below 20 finished executions nothing pauses, whatever the rate', () => {
    assert.equal(exceeded(2n, 19n), false)
    assert.equal(exceeded(19n, 19n), false)
  })
  it('the window is the trailing 24 h, or from just after the last resume if later', () => {
    const now = T0 + 3 * DAY
    assert.equal(errorWindowStartMs(fresh, now, ERROR_RATE_POLICY), now - 24 * HOUR)
    assert.equal(
      errorWindowStartMs({ ...fresh, resumedAtMs: now - HOUR }, now, ERROR_RATE_POLICY),
      now - HOUR + 1,
    )
    assert.equal(
      errorWindowStartMs({ ...fresh, resumedAtMs: now - 2 * DAY }, now, ERROR_RATE_POLICY),
      now - 24 * HOUR,
    )
  })
  it('watches while ramping up and not paused; not at 100%', () => {
    assert.equal(autoPauseWatches(fresh, T0), true)
    assert.equal(autoPauseWatches(fresh, T0 + 55 * DAY), true)
    assert.equal(autoPauseWatches(fresh, T0 + 56 * DAY), false)
    assert.equal(autoPauseWatches({ ...fresh, overridePct: '100' }, T0), false)
    assert.equal(autoPauseWatches({ ...fresh, pausedAtMs: T0, pausedReason: 'x' }, T0), false)
  })
  it('a paused ramp-up refuses with RAMP_UP_PAUSED; sandbox never does', () => {
    assert.equal(pausedFailure(undefined), undefined)
    assert.equal(pausedFailure(fresh), undefined)
    assert.deepEqual(pausedFailure({ ...fresh, pausedAtMs: T0, pausedReason: 'error rate above 5%' }), {
      ok: false,
      code: 'RAMP_UP_PAUSED',
      message:
        'live trading is paused during the production ramp-up (error rate above 5%); the operator resumes it',
    })
  })
})

describe('admin actions', () => {
  const act = (command: RampUpCommand, rampUp: RampUp = fresh, now = T0) =>
    applyRampUpCommand(rampUp, command, now)
  const refused = (command: RampUpCommand, code: string, message: string, rampUp: RampUp = fresh) => {
    const result = act(command, rampUp)
    assert.equal(result.ok, false)
    assert.deepEqual(result.ok ? undefined : [result.code, result.message], [code, message])
  }

  it('advance moves one step, and refuses at 100%', () => {
    const once = act({ action: 'advance' })
    assert.ok(once.ok)
    assert.equal(once.value.advancedStep, 1)
    const thrice = act({ action: 'advance' }, { ...fresh, advancedStep: 2 })
    assert.ok(thrice.ok)
    assert.equal(thrice.value.advancedStep, 3)
    refused({ action: 'advance' }, 'CONFLICT', 'the ramp-up is already at its last step (100%)', {
      ...fresh,
      advancedStep: 3,
    })
  })

  it('override stores a canonical percentage; null clears it', () => {
    const set = act({ action: 'override', limit_pct: '30.50' })
    assert.ok(set.ok)
    assert.equal(set.value.overridePct, '30.5')
    const full = act({ action: 'override', limit_pct: '100.00' })
    assert.ok(full.ok)
    assert.equal(full.value.overridePct, '100')
    const cleared = act({ action: 'override', limit_pct: null }, { ...fresh, overridePct: '30' })
    assert.ok(cleared.ok)
    assert.equal(cleared.value.overridePct, null)
  })

  it('override refuses what is not a percentage above 0 and at most 100', () => {
    const bad = 'limit_pct must be above 0 and at most 100'
    refused({ action: 'override', limit_pct: '0' }, 'VALIDATION_ERROR', bad)
    refused({ action: 'override', limit_pct: '100.01' }, 'VALIDATION_ERROR', bad)
    refused({ action: 'override' }, 'VALIDATION_ERROR', 'override needs limit_pct (a percentage, or null)')
    const digits = act({ action: 'override', limit_pct: '12.345' })
    assert.equal(digits.ok ? undefined : digits.code, 'VALIDATION_ERROR')
  })

  it('pause and resume, each refused when it changes nothing', () => {
    const paused = act({ action: 'pause', reason: 'partner asked' })
    assert.ok(paused.ok)
    assert.deepEqual([paused.value.pausedAtMs, paused.value.pausedReason], [T0, 'partner asked'])
    refused({ action: 'pause' }, 'CONFLICT', 'the partner is already paused', paused.value)
    const resumed = applyRampUpCommand(paused.value, { action: 'resume' }, T0 + HOUR)
    assert.ok(resumed.ok)
    assert.deepEqual(
      [resumed.value.pausedAtMs, resumed.value.pausedReason, resumed.value.resumedAtMs],
      [null, null, T0 + HOUR],
    )
    refused({ action: 'resume' }, 'CONFLICT', 'the partner is not paused')
  })

  it('set_go_live restarts the schedule from the date given', () => {
    const moved = act(
      { action: 'set_go_live', go_live_at: '2026-12-01T00:00:00Z' },
      { ...fresh, advancedStep: 2 },
    )
    assert.ok(moved.ok)
    assert.deepEqual([moved.value.goLiveAtMs, moved.value.advancedStep], [Date.UTC(2026, 11, 1), 0])
    const bad = 'go_live_at must be an ISO 8601 UTC instant such as 2026-12-01T00:00:00Z'
    for (const text of ['2026-12-01', '2026-02-30T00:00:00Z', '2026-12-01T00:00:00+01:00', 'soon']) {
      refused({ action: 'set_go_live', go_live_at: text }, 'VALIDATION_ERROR', bad)
    }
    refused(
      { action: 'set_go_live' },
      'VALIDATION_ERROR',
      'set_go_live needs go_live_at (an ISO 8601 UTC instant)',
    )
  })

  it('a field of another action is refused, not ignored', () => {
    refused(
      { action: 'advance', limit_pct: '50' },
      'VALIDATION_ERROR',
      'limit_pct does not go with action advance',
    )
    refused({ action: 'resume', reason: 'x' }, 'VALIDATION_ERROR', 'reason does not go with action resume')
    refused(
      { action: 'override', limit_pct: '50', go_live_at: '2026-12-01T00:00:00Z' },
      'VALIDATION_ERROR',
      'go_live_at does not go with action override',
    )
  })
})
