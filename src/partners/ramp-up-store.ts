import { sql } from 'kysely'
import type { Environment } from '../config/environment.ts'
import { msOf } from '../store/columns.ts'
import type { PartnerRampUpTable } from '../store/schema.ts'
import type { Reader, Tx } from '../store/store.ts'
import { defaultRampUp, type ErrorCounts, type RampUp } from './ramp-up.ts'

/**
 * Persistence of the SPEC §9 production ramp-up (table partner_ramp_up,
 * migration 0012_ramp_up). A partner without a row has the defaults, so
 * nothing is written at partner creation and every node reads the same state.
 */

const orNull = (value: bigint | null): number | null => (value === null ? null : msOf(value))

export function rampUpOf(row: PartnerRampUpTable | undefined, createdAtMs: number): RampUp {
  if (row === undefined) return defaultRampUp(createdAtMs)
  return {
    goLiveAtMs: row.go_live_at === null ? createdAtMs : msOf(row.go_live_at),
    advancedStep: Number(row.advanced_step),
    overridePct: row.override_pct,
    pausedAtMs: orNull(row.paused_at),
    pausedReason: row.paused_reason,
    resumedAtMs: orNull(row.resumed_at),
  }
}

export async function readRampUp(db: Reader, partnerId: string, createdAtMs: number): Promise<RampUp> {
  const row = await db.kysely
    .selectFrom('partner_ramp_up')
    .selectAll()
    .where('partner_id', '=', partnerId)
    .executeTakeFirst()
  return rampUpOf(row, createdAtMs)
}

/**
 * The ramp-up trading applies (firm quotes, executions): read in the caller's
 * transaction, so a pause or an advance is seen by every node at once. The
 * ramp-up is production only: undefined in sandbox.
 */
export async function liveRampUp(
  db: Reader,
  partner: { readonly id: string; readonly createdAtMs: number },
  environment: Environment,
): Promise<RampUp | undefined> {
  if (environment !== 'live') return undefined
  return readRampUp(db, partner.id, partner.createdAtMs)
}

/** Stores a ramp-up in the caller's transaction (the caller audits it there too). */
export async function writeRampUp(
  tx: Tx,
  partnerId: string,
  rampUp: RampUp,
  createdAtMs: number,
  nowMs: number,
): Promise<void> {
  const row = {
    // The default go-live stays null, so the row keeps following the partner's creation.
    go_live_at: rampUp.goLiveAtMs === createdAtMs ? null : BigInt(rampUp.goLiveAtMs),
    advanced_step: BigInt(rampUp.advancedStep),
    override_pct: rampUp.overridePct,
    paused_at: rampUp.pausedAtMs === null ? null : BigInt(rampUp.pausedAtMs),
    paused_reason: rampUp.pausedReason,
    resumed_at: rampUp.resumedAtMs === null ? null : BigInt(rampUp.resumedAtMs),
    updated_at: BigInt(nowMs),
  }
  await tx.kysely
    .insertInto('partner_ramp_up')
    .values({ partner_id: partnerId, ...row })
    .onConflict((oc) => oc.column('partner_id').doUpdateSet(row))
    .execute()
}

const toBigint = (value: unknown): bigint =>
  value === null || value === undefined ? 0n : BigInt(String(value))

/**
 * The partner's live executions created in [fromMs, toMs] on the live clock
 * that reached an end state, and how many of those failed (FAILED, or
 * ROLLED_BACK). PENDING ones are neither yet. Read from the database, so the
 * count is the same whichever node asks.
 */
export async function countExecutionErrors(
  db: Reader,
  partnerId: string,
  fromMs: number,
  toMs: number,
): Promise<ErrorCounts> {
  const row = await db.kysely
    .selectFrom('executions')
    .select([
      sql<string>`count(*)`.as('finished'),
      sql<string>`sum(case when status in ('FAILED', 'ROLLED_BACK') then 1 else 0 end)`.as('failed'),
    ])
    .where('partner_id', '=', partnerId)
    .where('environment', '=', 'live')
    .where('status', '!=', 'PENDING')
    .where('created_at', '>=', BigInt(fromMs))
    .where('created_at', '<=', BigInt(toMs))
    .executeTakeFirst()
  return { finished: toBigint(row?.finished), failed: toBigint(row?.failed) }
}
