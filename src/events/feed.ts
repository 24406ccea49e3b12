import { type SqlBool, sql } from 'kysely'
import type { Environment } from '../config/environment.ts'
import { fail, ok, type Result } from '../errors.ts'
import type { Reader } from '../store/store.ts'
import type { EventType } from './events.ts'

/** SPEC §10 envelope. */
export type EventEnvelope = {
  readonly id: string
  readonly event: EventType
  readonly timestamp: string
  readonly environment: Environment
  readonly data: Record<string, unknown>
}

/** A position in the commit-ordered feed: the writing transaction (0 on SQLite) and the row id. */
export type FeedCursor = { readonly xid: bigint; readonly id: bigint }

const MAX_ID = 2n ** 63n - 1n

export function formatCursor(cursor: FeedCursor): string {
  return `${cursor.xid}-${cursor.id}`
}

/** A cursor as `formatCursor` writes it; anything else is a 400. */
export function parseFeedCursor(text: string | undefined, field: string): Result<FeedCursor | undefined> {
  if (text === undefined) return ok(undefined)
  const match = /^([0-9]{1,19})-([0-9]{1,19})$/.exec(text)
  if (match === null) return fail('VALIDATION_ERROR', `${field} is not a cursor this API issued`)
  const xid = BigInt(match[1] as string)
  const id = BigInt(match[2] as string)
  if (xid > MAX_ID || id > MAX_ID) return fail('VALIDATION_ERROR', `${field} is not a cursor this API issued`)
  return ok({ xid, id })
}

export type FeedRow = {
  readonly cursor: FeedCursor
  readonly partnerId: string | null
  readonly envelope: EventEnvelope
}

/**
 * Events of one environment in commit order, after `after`: a partner's own
 * (`partnerId`) and the broadcasts (no partner), or every event when
 * `partnerId` is undefined. On PostgreSQL only events whose transaction is
 * older than every transaction still running are read, ordered by
 * (transaction id, row id): a row that commits late always sorts after what
 * was already read, so a cursor never skips it. SQLite has one writer, so
 * row ids are commit order.
 */
export async function readFeed(
  db: Reader,
  query: {
    readonly environment: Environment
    readonly partnerId?: string | undefined
    readonly types?: readonly string[] | undefined
    readonly after?: FeedCursor | undefined
    readonly limit: number
  },
): Promise<FeedRow[]> {
  const xid = sql<bigint>`coalesce(commit_xid, 0)`
  let q = db.kysely
    .selectFrom('events')
    .select(['id', 'event_id', 'environment', 'partner_id', 'type', 'data', 'created_at', xid.as('xid')])
    .where('environment', '=', query.environment)
  if (query.partnerId !== undefined) {
    const partnerId = query.partnerId
    q = q.where((eb) => eb.or([eb('partner_id', '=', partnerId), eb('partner_id', 'is', null)]))
  }
  if (query.types !== undefined && query.types.length > 0) q = q.where('type', 'in', [...query.types])
  if (query.after !== undefined) {
    const { xid: afterXid, id } = query.after
    q = q.where(sql<SqlBool>`(${xid}, id) > (${afterXid}, ${id})`)
  }
  if (db.dialect === 'postgres') {
    q = q.where(sql<SqlBool>`${xid} < pg_snapshot_xmin(pg_current_snapshot())::text::bigint`)
  }
  const rows = await q.orderBy(xid).orderBy('id').limit(query.limit).execute()
  return rows.map((row) => ({
    cursor: { xid: BigInt(row.xid), id: BigInt(row.id) },
    partnerId: row.partner_id,
    envelope: {
      id: row.event_id,
      event: row.type as EventType,
      timestamp: new Date(Number(row.created_at)).toISOString(),
      environment: row.environment as Environment,
      data: JSON.parse(row.data) as Record<string, unknown>,
    },
  }))
}
