import { randomUUID } from 'node:crypto'
import { hostname } from 'node:os'
import { type Expression, type SqlBool, sql } from 'kysely'
import type { Dialect, Store, Tx } from '../store/store.ts'
import { dbNowMs } from './db-time.ts'

/**
 * SPEC §15 "Several nodes": every stablefx process is a node with an id of
 * its own (a restart is a new node) and a heartbeat in the database. A node
 * whose heartbeat is older than the liveness window is dead: the requests it
 * was serving and the executions it was settling may be taken over.
 */
export const HEARTBEAT_MS = 1_000
/** How long a silent node is still believed alive [ours]: five missed heartbeats. */
export const NODE_TTL_MS = 5_000
/** Dead nodes' rows are forgotten after a day; nothing refers to them longer than a lease. */
const FORGET_DEAD_AFTER_MS = 24 * 3600 * 1000

export async function joinCluster(store: Store): Promise<string> {
  const id = randomUUID()
  const now = dbNowMs(store.dialect)
  await store.kysely
    .insertInto('nodes')
    .values({ id, host: hostname(), pid: BigInt(process.pid), started_at: now, heartbeat_at: now })
    .execute()
  return id
}

/** Marks the node alive now; re-registers it if a sweep took its row while it was paused. */
export async function heartbeat(tx: Tx, nodeId: string): Promise<void> {
  const now = dbNowMs(tx.dialect)
  const updated = await tx.kysely
    .updateTable('nodes')
    .set({ heartbeat_at: now })
    .where('id', '=', nodeId)
    .executeTakeFirst()
  if (updated.numUpdatedRows > 0n) return
  await tx.kysely
    .insertInto('nodes')
    .values({ id: nodeId, host: hostname(), pid: BigInt(process.pid), started_at: now, heartbeat_at: now })
    .execute()
}

export async function leaveCluster(store: Store, nodeId: string): Promise<void> {
  await store.kysely.deleteFrom('nodes').where('id', '=', nodeId).execute()
}

/** Removes the rows of nodes dead for a day (the cluster maintenance worker). */
export async function forgetDeadNodes(tx: Tx): Promise<number> {
  const result = await tx.kysely
    .deleteFrom('nodes')
    .where('heartbeat_at', '<', sql<bigint>`${dbNowMs(tx.dialect)} - ${FORGET_DEAD_AFTER_MS}`)
    .executeTakeFirst()
  return Number(result.numDeletedRows)
}

/**
 * SQL: true when the node named by `holder` (a column or value) is this node
 * (`selfId`), or has a heartbeat within `ttlMs`. A null holder or an unknown
 * node is not alive.
 */
export function holderAlive(
  dialect: Dialect,
  holder: Expression<string | null>,
  ttlMs: number,
  selfId: string,
) {
  return sql<SqlBool>`(${holder} = ${selfId} or exists (select 1 from nodes where nodes.id = ${holder} and nodes.heartbeat_at > ${dbNowMs(dialect)} - ${ttlMs}))`
}

export type NodeView = { id: string; host: string; pid: number; started_at: string; heartbeat_age_ms: number }

/** The nodes that answered within the liveness window, oldest first (the operations view). */
export async function liveNodes(store: Store, ttlMs = NODE_TTL_MS): Promise<NodeView[]> {
  const rows = await store.kysely
    .selectFrom('nodes')
    .select([
      'id',
      'host',
      'pid',
      'started_at',
      sql<bigint>`${dbNowMs(store.dialect)} - heartbeat_at`.as('age'),
    ])
    .where('heartbeat_at', '>', sql<bigint>`${dbNowMs(store.dialect)} - ${ttlMs}`)
    .orderBy('started_at')
    .execute()
  return rows.map((row) => ({
    id: row.id,
    host: row.host,
    pid: Number(row.pid),
    started_at: new Date(Number(row.started_at)).toISOString(),
    heartbeat_age_ms: Number(row.age),
  }))
}
