import { sql } from 'kysely'
import type { Store, Tx } from '../store/store.ts'
import { dbNowMs } from './db-time.ts'

/**
 * Worker leases (SPEC §15: each background worker runs once per environment
 * across nodes). A lease names one worker; its holder runs the worker until
 * the lease expires, renewing it on every heartbeat. A lease whose holder
 * stopped renewing (the node died or hangs) is taken by the next node to ask,
 * and its `fence` grows, so a takeover is visible in the row.
 *
 * Measured choice: one statement per node per heartbeat renews what the node
 * holds and takes what has expired, on both databases (pg-boss and
 * graphile-worker are PostgreSQL-only; SQLite runs one process, where the
 * same statement simply always succeeds).
 */
export const LEASE_MS = 5_000

export async function ensureLeases(store: Store, names: readonly string[]): Promise<void> {
  if (names.length === 0) return
  await store.kysely
    .insertInto('worker_leases')
    .values(names.map((name) => ({ name, holder: '', expires_at: 0n, acquired_at: 0n, fence: 0n })))
    .onConflict((oc) => oc.column('name').doNothing())
    .execute()
}

/** Renews the leases `nodeId` holds among `names` and takes the expired ones; returns what it holds now. */
export async function renewLeases(
  tx: Tx,
  nodeId: string,
  names: readonly string[],
  leaseMs: number,
): Promise<Set<string>> {
  if (names.length === 0) return new Set()
  const now = dbNowMs(tx.dialect)
  const rows = await tx.kysely
    .updateTable('worker_leases')
    .set({
      expires_at: sql<bigint>`${now} + ${leaseMs}`,
      fence: sql<bigint>`case when holder = ${nodeId} then fence else fence + 1 end`,
      acquired_at: sql<bigint>`case when holder = ${nodeId} then acquired_at else ${now} end`,
      holder: nodeId,
    })
    .where('name', 'in', names)
    .where((eb) => eb.or([eb('holder', '=', nodeId), eb('expires_at', '<', now)]))
    .returning('name')
    .execute()
  return new Set(rows.map((row) => row.name))
}

/** Gives up every lease the node holds, so a survivor takes them at its next heartbeat. */
export async function releaseLeases(store: Store, nodeId: string): Promise<void> {
  await store.kysely
    .updateTable('worker_leases')
    .set({ expires_at: 0n })
    .where('holder', '=', nodeId)
    .execute()
}

export type LeaseView = { name: string; holder: string; expires_in_ms: number; fence: number }

export async function leaseViews(store: Store): Promise<LeaseView[]> {
  const rows = await store.kysely
    .selectFrom('worker_leases')
    .select(['name', 'holder', 'fence', sql<bigint>`expires_at - ${dbNowMs(store.dialect)}`.as('left')])
    .orderBy('name')
    .execute()
  return rows.map((row) => ({
    name: row.name,
    holder: row.holder,
    expires_in_ms: Math.max(0, Number(row.left)),
    fence: Number(row.fence),
  }))
}
