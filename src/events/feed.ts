import { type SqlBool, sql } from 'kysely'
import type { Environment } from '../config/environment.ts'
import { fail, ok, type Result } from '../errors.ts'
import type { Reader } from '../store/store.ts'
import type { EventAudience, EventType } from './events.ts'

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

/** Orders two feed positions: negative when `a` comes first. */
export function compareCursors(a: FeedCursor, b: FeedCursor): number {
  if (a.xid !== b.xid) return a.xid < b.xid ? -1 : 1
  return a.id === b.id ? 0 : a.id < b.id ? -1 : 1
}

/** The start of the feed: a cursor before every event. */
export const FEED_START: FeedCursor = { xid: 0n, id: 0n }

type EventRow = {
  id: bigint
  event_id: string
  environment: string
  partner_id: string | null
  type: string
  data: string
  created_at: bigint
  commit_xid: bigint | null
}

const COLUMNS = [
  'id',
  'event_id',
  'environment',
  'partner_id',
  'type',
  'data',
  'created_at',
  'commit_xid',
] as const

function feedRow(row: EventRow): FeedRow {
  return {
    cursor: { xid: BigInt(row.commit_xid ?? 0n), id: BigInt(row.id) },
    partnerId: row.partner_id,
    envelope: {
      id: row.event_id,
      event: row.type as EventType,
      timestamp: new Date(Number(row.created_at)).toISOString(),
      environment: row.environment as Environment,
      data: JSON.parse(row.data) as Record<string, unknown>,
    },
  }
}

/** On PostgreSQL, only rows whose transaction is older than every transaction still running. */
const settled = sql<SqlBool>`commit_xid < pg_snapshot_xmin(pg_current_snapshot())::text::bigint`

/**
 * Events of one environment in commit order, after `after`: a partner's own
 * (`partnerId`) and the broadcasts (no partner), or every event when
 * `partnerId` is undefined. Only the events of one audience are read:
 * `partner` unless asked otherwise, so no partner-facing reader (feed,
 * stream, tail, webhooks) ever sees an operator event (issue 12). On PostgreSQL only events whose transaction is
 * older than every transaction still running are read, ordered by
 * (transaction id, row id): a row that commits late always sorts after what
 * was already read, so a cursor never skips it. SQLite has one writer, so
 * row ids are commit order (commit_xid is 0 there).
 */
export async function readFeed(
  db: Reader,
  query: {
    readonly environment: Environment
    readonly partnerId?: string | undefined
    readonly types?: readonly string[] | undefined
    readonly after?: FeedCursor | undefined
    readonly limit: number
    /** `partner` when absent; `operator` only for GET /admin/v1/events. */
    readonly audience?: EventAudience | undefined
  },
): Promise<FeedRow[]> {
  let q = db.kysely
    .selectFrom('events')
    .select(COLUMNS)
    .where('environment', '=', query.environment)
    .where('audience', '=', query.audience ?? 'partner')
  if (query.partnerId !== undefined) {
    const partnerId = query.partnerId
    q = q.where((eb) => eb.or([eb('partner_id', '=', partnerId), eb('partner_id', 'is', null)]))
  }
  if (query.types !== undefined && query.types.length > 0) q = q.where('type', 'in', [...query.types])
  if (query.after !== undefined) {
    const { xid, id } = query.after
    q = q.where(sql<SqlBool>`(commit_xid, id) > (${xid}, ${id})`)
  }
  if (db.dialect === 'postgres') q = q.where(settled)
  const rows = await q.orderBy('commit_xid').orderBy('id').limit(query.limit).execute()
  return rows.map(feedRow)
}

/**
 * The newest position a reader may take now (FEED_START when the feed is
 * empty): a stream that starts live starts after it, and misses nothing that
 * commits later, since a late commit sorts after it. It may be the position
 * of an operator event: a position only, whose content no partner reads.
 */
export async function feedHead(db: Reader, environment: Environment): Promise<FeedCursor> {
  const row = await db.kysely
    .selectFrom('events')
    .select(['id', 'commit_xid'])
    .where('environment', '=', environment)
    .$if(db.dialect === 'postgres', (q) => q.where(settled))
    .orderBy('commit_xid', 'desc')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst()
  return row === undefined ? FEED_START : { xid: BigInt(row.commit_xid ?? 0n), id: BigInt(row.id) }
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/** One event by its id, if it is the partner's own or a broadcast of its environment (never an operator event). */
export async function findEvent(
  db: Reader,
  query: { readonly environment: Environment; readonly partnerId: string; readonly eventId: string },
): Promise<Result<EventEnvelope>> {
  if (!UUID.test(query.eventId)) return fail('NOT_FOUND', 'no such event')
  const row = await db.kysely
    .selectFrom('events')
    .select(COLUMNS)
    .where('event_id', '=', query.eventId)
    .where('environment', '=', query.environment)
    .where('audience', '=', 'partner')
    .where((eb) => eb.or([eb('partner_id', '=', query.partnerId), eb('partner_id', 'is', null)]))
    .executeTakeFirst()
  return row === undefined ? fail('NOT_FOUND', 'no such event') : ok(feedRow(row).envelope)
}
