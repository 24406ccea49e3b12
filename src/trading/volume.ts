import { sql } from 'kysely'
import { utcDay } from '../clock/clock.ts'
import type { CorridorId } from '../config/corridors.ts'
import type { Environment } from '../config/environment.ts'
import { ratio } from '../money/ratio.ts'
import { USD_MICROS } from '../money/usd-micros.ts'
import type { VolumeUsage } from '../pricing/l1-entry.ts'
import type { Reader, Tx } from '../store/store.ts'

function toBigint(value: unknown): bigint {
  return value === null || value === undefined ? 0n : BigInt(String(value))
}

/**
 * Adds (or, for a failed execution, takes back) executed volume in the
 * partner's running daily total, in the execution's own transaction, so the
 * limit check reads a few rows instead of the partner's whole history.
 */
export async function addExecutedVolume(
  tx: Tx,
  key: { partnerId: string; environment: Environment; corridor: string; day: string },
  usdMicrosDelta: bigint,
): Promise<void> {
  await tx.kysely
    .insertInto('partner_volume')
    .values({
      partner_id: key.partnerId,
      environment: key.environment,
      corridor: key.corridor,
      day: key.day,
      usd_micros: usdMicrosDelta,
    })
    .onConflict((oc) =>
      oc.columns(['partner_id', 'environment', 'corridor', 'day']).doUpdateSet((eb) => ({
        usd_micros: eb('partner_volume.usd_micros', '+', eb.ref('excluded.usd_micros')),
      })),
    )
    .execute()
}

/** A partner's open (unexpired, unexecuted) firm quotes in one environment: how many, and the next to expire. */
export type OpenQuotes = { readonly count: number; readonly nextExpiryMs: number | undefined }

/**
 * L1 volume usage (SPEC §9 limits, [ours] counting): executed volume (pending
 * or settled) plus live firm quotes, today (UTC) in the corridor and this
 * month in all corridors, on the environment's clock; and the partner's
 * open firm quotes, which the same read counts (SPEC §15 "Firm quotes").
 */
export async function volumeUsage(
  db: Reader,
  environment: Environment,
  partnerId: string,
  corridor: CorridorId,
  nowMs: number,
): Promise<{ usage: VolumeUsage; open: OpenQuotes }> {
  const today = utcDay(nowMs)
  const executed = await db.kysely
    .selectFrom('partner_volume')
    .select([
      sql<string>`sum(case when corridor = ${corridor} and day = ${today} then usd_micros else 0 end)`.as(
        'day',
      ),
      sql<string>`sum(usd_micros)`.as('month'),
    ])
    .where('partner_id', '=', partnerId)
    .where('environment', '=', environment)
    .where('day', '>=', `${today.slice(0, 7)}-01`)
    .executeTakeFirst()
  const open = await db.kysely
    .selectFrom('quotes')
    .select([
      sql<string>`sum(case when corridor = ${corridor} then usd_micros else 0 end)`.as('day'),
      sql<string>`sum(usd_micros)`.as('month'),
      sql<string>`count(*)`.as('count'),
      sql<string | null>`min(expires_at)`.as('next_expiry'),
    ])
    .where('partner_id', '=', partnerId)
    .where('environment', '=', environment)
    .where('status', '=', 'OPEN')
    .where('expires_at', '>', BigInt(nowMs))
    .executeTakeFirst()
  return {
    usage: {
      dailyCorridorUsd: ratio(toBigint(executed?.day) + toBigint(open?.day), USD_MICROS),
      monthlyUsd: ratio(toBigint(executed?.month) + toBigint(open?.month), USD_MICROS),
    },
    open: {
      count: Number(toBigint(open?.count)),
      nextExpiryMs:
        open?.next_expiry === null || open?.next_expiry === undefined ? undefined : Number(open.next_expiry),
    },
  }
}
