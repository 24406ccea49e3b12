import { type RawBuilder, sql } from 'kysely'
import type { Dialect } from '../store/store.ts'

/**
 * The database's clock in epoch milliseconds. Leases, heartbeats and claims
 * compare times written by different nodes, so they use the one clock every
 * node shares rather than each machine's own.
 */
export function dbNowMs(dialect: Dialect): RawBuilder<bigint> {
  return dialect === 'postgres'
    ? sql<bigint>`(extract(epoch from clock_timestamp()) * 1000)::int8`
    : sql<bigint>`cast((julianday('now') - 2440587.5) * 86400000 as integer)`
}
