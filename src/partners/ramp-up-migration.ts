import type { Kysely } from 'kysely'
import type { Migration } from 'kysely/migration'

/**
 * 0012_ramp_up (SPEC §9 production ramp-up): one row per partner whose
 * ramp-up differs from the defaults (go-live at creation, the schedule, not
 * paused). Same types on both databases: timestamps are epoch milliseconds.
 */
export function rampUpMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('partner_ramp_up')
        .addColumn('partner_id', 'text', (c) => c.primaryKey().references('partners.id'))
        .addColumn('go_live_at', 'bigint')
        .addColumn('advanced_step', 'bigint', (c) => c.notNull().defaultTo(0))
        .addColumn('override_pct', 'text')
        .addColumn('paused_at', 'bigint')
        .addColumn('paused_reason', 'text')
        .addColumn('resumed_at', 'bigint')
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute()
    },
  }
}
