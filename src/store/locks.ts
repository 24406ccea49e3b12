import { sql } from 'kysely'
import type { Tx } from './store.ts'

/**
 * Serialises transactions about one partner until commit. PostgreSQL takes a
 * transaction-scoped advisory lock on the partner id; SQLite already runs one
 * writer at a time.
 */
export async function lockPartner(tx: Tx, partnerId: string): Promise<void> {
  if (tx.dialect !== 'postgres') return
  await sql`select pg_advisory_xact_lock(hashtextextended(${partnerId}, 0))`.execute(tx.kysely)
}

/**
 * Serialises the writers of one append-only log until commit, so its ids
 * commit in order and a reader that remembers the last id it saw never skips
 * a row committed later with a smaller id. SQLite has one writer already.
 */
export async function lockLog(tx: Tx, log: string): Promise<void> {
  if (tx.dialect !== 'postgres') return
  await sql`select pg_advisory_xact_lock(hashtextextended(${`log:${log}`}, 0))`.execute(tx.kysely)
}
