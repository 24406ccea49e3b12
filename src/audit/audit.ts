import type { Reader, Tx } from '../store/store.ts'

export type AuditRecord = {
  readonly actor: string
  readonly action: string
  readonly targetType: string
  readonly targetId: string
  readonly before: unknown
  readonly after: unknown
  readonly atMs: number
}

/** SPEC §9: every admin change is audited (who, what, before, after, when), in the change's own transaction. */
export async function recordAudit(tx: Tx, record: AuditRecord): Promise<void> {
  await tx.kysely
    .insertInto('audit_log')
    .values({
      actor: record.actor,
      action: record.action,
      target_type: record.targetType,
      target_id: record.targetId,
      before: record.before === undefined ? null : JSON.stringify(record.before),
      after: record.after === undefined ? null : JSON.stringify(record.after),
      at: BigInt(record.atMs),
    })
    .execute()
}

export type AuditView = {
  id: string
  actor: string
  action: string
  target_type: string
  target_id: string
  before: unknown
  after: unknown
  at: string
}

export type AuditQuery = { targetId?: string; action?: string; cursor?: bigint; limit: number }

/** Newest first, with a cursor for the next (older) page. */
export async function listAudit(
  db: Reader,
  query: AuditQuery,
): Promise<{ items: AuditView[]; nextCursor: string | null }> {
  const rows = await db.kysely
    .selectFrom('audit_log')
    .selectAll()
    .$if(query.targetId !== undefined, (q) => q.where('target_id', '=', query.targetId as string))
    .$if(query.action !== undefined, (q) => q.where('action', '=', query.action as string))
    .$if(query.cursor !== undefined, (q) => q.where('id', '<', query.cursor as bigint))
    .orderBy('id', 'desc')
    .limit(query.limit + 1)
    .execute()
  const page = rows.slice(0, query.limit)
  return {
    items: page.map((row) => ({
      id: row.id.toString(),
      actor: row.actor,
      action: row.action,
      target_type: row.target_type,
      target_id: row.target_id,
      before: row.before === null ? null : JSON.parse(row.before),
      after: row.after === null ? null : JSON.parse(row.after),
      at: new Date(Number(row.at)).toISOString(),
    })),
    nextCursor: rows.length > query.limit ? (page[page.length - 1]?.id.toString() ?? null) : null,
  }
}
