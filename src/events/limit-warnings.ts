import type { Environment } from '../config/environment.ts'
import { formatRatio, type Ratio, ratio } from '../money/ratio.ts'
import { USD_MICROS, usdMicros } from '../money/usd-micros.ts'
import type { Tx } from '../store/store.ts'
import { recordEvent } from './events.ts'

/** [ours] The shares of a limit at which `partner.limit_warning` is written, in percent. */
export const LIMIT_WARNING_THRESHOLDS_PCT = [80, 100] as const

export type LimitKind = 'DAILY_CORRIDOR' | 'MONTHLY'

/** The monthly limit is not per corridor: its scope is written as this. */
const ALL_CORRIDORS = '*'

type Limit = {
  readonly kind: LimitKind
  readonly scope: string
  readonly period: string
  readonly limitMicros: bigint
  readonly usedMicros: bigint
}

/**
 * SPEC §9, §10 `partner.limit_warning` [ours]: when an execution is booked,
 * the partner's executed volume (booked executions, pending or settled; a
 * failed one gives its volume back) is compared with its daily limit in the
 * execution's corridor (UTC day) and its monthly limit over every corridor
 * (UTC month), both on the environment's clock. Each threshold of
 * LIMIT_WARNING_THRESHOLDS_PCT that the volume has reached is announced once
 * per limit and period: `limit_warnings` remembers what was announced. Runs
 * in the booking transaction, which holds the partner's lock, so two
 * bookings never announce the same threshold.
 */
export async function warnOnLimits(
  tx: Tx,
  input: {
    readonly partnerId: string
    readonly environment: Environment
    readonly corridor: string
    /** YYYY-MM-DD, the day the execution counts in. */
    readonly day: string
    /** The limits in force, USD (the agreed ones, or a live partner's ramped ones: SPEC §9). */
    readonly limits: { readonly dailyPerCorridorUsd: Ratio; readonly monthlyUsd: Ratio }
    readonly atMs: number
  },
): Promise<void> {
  const month = input.day.slice(0, 7)
  const volume = await tx.kysely
    .selectFrom('partner_volume')
    .select(['corridor', 'day', 'usd_micros'])
    .where('partner_id', '=', input.partnerId)
    .where('environment', '=', input.environment)
    .where('day', '>=', `${month}-01`)
    .where('day', '<=', `${month}-31`)
    .execute()
  let dayMicros = 0n
  let monthMicros = 0n
  for (const row of volume) {
    const micros = BigInt(row.usd_micros)
    monthMicros += micros
    if (row.corridor === input.corridor && row.day === input.day) dayMicros += micros
  }
  const limits: Limit[] = [
    {
      kind: 'DAILY_CORRIDOR',
      scope: input.corridor,
      period: input.day,
      limitMicros: usdMicros(input.limits.dailyPerCorridorUsd),
      usedMicros: dayMicros,
    },
    {
      kind: 'MONTHLY',
      scope: ALL_CORRIDORS,
      period: month,
      limitMicros: usdMicros(input.limits.monthlyUsd),
      usedMicros: monthMicros,
    },
  ]
  for (const limit of limits) {
    for (const pct of LIMIT_WARNING_THRESHOLDS_PCT) {
      if (limit.usedMicros * 100n < limit.limitMicros * BigInt(pct)) continue
      await announceOnce(tx, input, limit, pct)
    }
  }
}

async function announceOnce(
  tx: Tx,
  input: { readonly partnerId: string; readonly environment: Environment; readonly atMs: number },
  limit: Limit,
  pct: number,
): Promise<void> {
  const key = {
    partner_id: input.partnerId,
    environment: input.environment,
    limit_kind: limit.kind,
    scope: limit.scope,
    period: limit.period,
    threshold_pct: BigInt(pct),
  }
  const announced = await tx.kysely
    .selectFrom('limit_warnings')
    .select('event_id')
    .where('partner_id', '=', key.partner_id)
    .where('environment', '=', key.environment)
    .where('limit_kind', '=', key.limit_kind)
    .where('scope', '=', key.scope)
    .where('period', '=', key.period)
    .where('threshold_pct', '=', key.threshold_pct)
    .executeTakeFirst()
  if (announced !== undefined) return
  const usd = (micros: bigint) => formatRatio(ratio(micros, USD_MICROS), 2, 'floor')
  const eventId = await recordEvent(tx, {
    environment: input.environment,
    partnerId: input.partnerId,
    type: 'partner.limit_warning',
    data: {
      limit: limit.kind,
      corridor: limit.scope === ALL_CORRIDORS ? null : limit.scope,
      period: limit.period,
      threshold_pct: pct,
      limit_usd: usd(limit.limitMicros),
      used_usd: usd(limit.usedMicros),
    },
    atMs: input.atMs,
  })
  await tx.kysely
    .insertInto('limit_warnings')
    .values({ ...key, event_id: eventId, created_at: BigInt(input.atMs) })
    .execute()
}
