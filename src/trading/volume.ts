import { sql } from 'kysely'
import type { CorridorId } from '../config/corridors.ts'
import type { Environment } from '../config/environment.ts'
import { type Ratio, ratio } from '../money/ratio.ts'
import type { VolumeUsage } from '../pricing/l1-entry.ts'
import type { Reader } from '../store/store.ts'

/** Sizes are kept in millionths of a USD: exact enough for limits, and an int8 both databases sum exactly. */
export const USD_MICROS = 1_000_000n

export function usdMicros(usd: Ratio): bigint {
  return (usd.num * USD_MICROS) / usd.den
}

function startOfUtcDay(nowMs: number): number {
  const d = new Date(nowMs)
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate())
}

function startOfUtcMonth(nowMs: number): number {
  const d = new Date(nowMs)
  return Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), 1)
}

function toBigint(value: unknown): bigint {
  return value === null || value === undefined ? 0n : BigInt(String(value))
}

/**
 * L1 volume usage (SPEC §9 limits, [ours] counting): executed volume (pending
 * or settled) plus live firm quotes, today (UTC) in the corridor and this
 * month in all corridors, on the environment's clock.
 */
export async function volumeUsage(
  db: Reader,
  environment: Environment,
  partnerId: string,
  corridor: CorridorId,
  nowMs: number,
): Promise<VolumeUsage> {
  const day = BigInt(startOfUtcDay(nowMs))
  const month = BigInt(startOfUtcMonth(nowMs))
  const executed = await db.kysely
    .selectFrom('executions')
    .select([
      sql<string>`sum(case when corridor = ${corridor} and created_at >= ${day} then usd_micros else 0 end)`.as(
        'day',
      ),
      sql<string>`sum(usd_micros)`.as('month'),
    ])
    .where('partner_id', '=', partnerId)
    .where('environment', '=', environment)
    .where('status', 'in', ['PENDING', 'SETTLED'])
    .where('created_at', '>=', month)
    .executeTakeFirst()
  const open = await db.kysely
    .selectFrom('quotes')
    .select([
      sql<string>`sum(case when corridor = ${corridor} then usd_micros else 0 end)`.as('day'),
      sql<string>`sum(usd_micros)`.as('month'),
    ])
    .where('partner_id', '=', partnerId)
    .where('environment', '=', environment)
    .where('status', '=', 'OPEN')
    .where('expires_at', '>', BigInt(nowMs))
    .executeTakeFirst()
  return {
    dailyCorridorUsd: ratio(toBigint(executed?.day) + toBigint(open?.day), USD_MICROS),
    monthlyUsd: ratio(toBigint(executed?.month) + toBigint(open?.month), USD_MICROS),
  }
}
