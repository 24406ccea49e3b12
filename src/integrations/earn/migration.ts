import type { Kysely } from 'kysely'
import type { Migration } from 'kysely/migration'

/**
 * Issue 12, the yield venue (SPEC §12.2, §15): the admin's split of each
 * asset between the venue's legal entities, the synced products, our users
 * and accounts at the venue, what each owner has booked there, the durable
 * booking queue (filled in the transaction of every Yield move), the daily
 * reports ingested (once, by id), per entity and asset what we booked, the
 * dust carried and the last reconciliation, and the settlements. Same types
 * on both databases: amounts are exact decimal text (minor units or 18-decimal
 * "wad" integers, named so), timestamps epoch milliseconds.
 */
export function earnMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('earn_splits')
        .addColumn('environment', 'text', (c) => c.notNull())
        .addColumn('asset', 'text', (c) => c.notNull())
        // JSON [{entity, product_id, pct}], percentages summing to 100.
        .addColumn('split', 'text', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('earn_splits_pk', ['environment', 'asset'])
        .execute()
      await db.schema
        .createTable('earn_products')
        .addColumn('environment', 'text', (c) => c.notNull())
        .addColumn('entity', 'text', (c) => c.notNull())
        .addColumn('product_id', 'text', (c) => c.notNull())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('currency', 'text', (c) => c.notNull())
        .addColumn('apy', 'text', (c) => c.notNull())
        .addColumn('synced_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('earn_products_pk', ['environment', 'entity', 'product_id'])
        .execute()
      await db.schema
        .createTable('earn_users')
        .addColumn('environment', 'text', (c) => c.notNull())
        .addColumn('entity', 'text', (c) => c.notNull())
        .addColumn('owner', 'text', (c) => c.notNull())
        .addColumn('venue_user_id', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('earn_users_pk', ['environment', 'entity', 'owner'])
        .execute()
      await db.schema
        .createTable('earn_accounts')
        .addColumn('environment', 'text', (c) => c.notNull())
        .addColumn('entity', 'text', (c) => c.notNull())
        .addColumn('owner', 'text', (c) => c.notNull())
        .addColumn('product_id', 'text', (c) => c.notNull())
        .addColumn('venue_account_id', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('earn_accounts_pk', ['environment', 'entity', 'owner', 'product_id'])
        .execute()
      await db.schema
        .createTable('earn_positions')
        .addColumn('environment', 'text', (c) => c.notNull())
        .addColumn('entity', 'text', (c) => c.notNull())
        .addColumn('owner', 'text', (c) => c.notNull())
        .addColumn('asset', 'text', (c) => c.notNull())
        .addColumn('product_id', 'text', (c) => c.notNull())
        // What the owner holds at the venue as we book it: bookings queued or sent, plus reported interest.
        .addColumn('amount_wad', 'text', (c) => c.notNull())
        .addPrimaryKeyConstraint('earn_positions_pk', ['environment', 'entity', 'owner', 'asset'])
        .execute()
      await db.schema
        .createTable('earn_outbox')
        .addColumn('reference', 'text', (c) => c.primaryKey())
        .addColumn('seq', 'bigint', (c) => c.notNull())
        .addColumn('environment', 'text', (c) => c.notNull())
        .addColumn('entity', 'text', (c) => c.notNull())
        .addColumn('owner', 'text', (c) => c.notNull())
        .addColumn('asset', 'text', (c) => c.notNull())
        .addColumn('product_id', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('amount', 'text', (c) => c.notNull())
        .addColumn('cause', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('attempts', 'bigint', (c) => c.notNull())
        .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
        .addColumn('venue_booking_id', 'text')
        .addColumn('booked_at', 'bigint')
        .addColumn('last_error', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute()
      await db.schema
        .createIndex('earn_outbox_queue')
        .on('earn_outbox')
        .columns(['environment', 'status', 'seq'])
        .execute()
      await db.schema
        .createTable('earn_cycles')
        .addColumn('environment', 'text', (c) => c.notNull())
        .addColumn('entity', 'text', (c) => c.notNull())
        // The next accounting day whose report is to be ingested (YYYY-MM-DD, UTC).
        .addColumn('next_date', 'text', (c) => c.notNull())
        .addColumn('last_attempt_at', 'bigint')
        .addColumn('last_error', 'text')
        .addPrimaryKeyConstraint('earn_cycles_pk', ['environment', 'entity'])
        .execute()
      await db.schema
        .createTable('earn_reports')
        .addColumn('environment', 'text', (c) => c.notNull())
        .addColumn('entity', 'text', (c) => c.notNull())
        .addColumn('report_id', 'text', (c) => c.notNull())
        .addColumn('date', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('summary', 'text', (c) => c.notNull())
        .addColumn('ingested_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('earn_reports_pk', ['environment', 'entity', 'report_id'])
        .execute()
      await db.schema
        .createTable('earn_balances')
        .addColumn('environment', 'text', (c) => c.notNull())
        .addColumn('entity', 'text', (c) => c.notNull())
        .addColumn('asset', 'text', (c) => c.notNull())
        // Interest less losses booked into the pools from reports, in minor units; the dust carried, in wad.
        .addColumn('credited', 'text', (c) => c.notNull())
        .addColumn('dust_wad', 'text', (c) => c.notNull())
        // The partner margin the venue pays us (treasury income), booked the same way.
        .addColumn('margin_credited', 'text', (c) => c.notNull())
        .addColumn('margin_dust_wad', 'text', (c) => c.notNull())
        .addColumn('outstanding_wad', 'text', (c) => c.notNull())
        .addColumn('reported_wad', 'text', (c) => c.notNull())
        .addColumn('expected', 'text', (c) => c.notNull())
        .addColumn('difference', 'text', (c) => c.notNull())
        .addColumn('last_report_id', 'text')
        .addColumn('last_report_date', 'text')
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('earn_balances_pk', ['environment', 'entity', 'asset'])
        .execute()
      await db.schema
        .createTable('earn_settlements')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('environment', 'text', (c) => c.notNull())
        .addColumn('entity', 'text', (c) => c.notNull())
        .addColumn('asset', 'text', (c) => c.notNull())
        .addColumn('report_id', 'text', (c) => c.notNull())
        .addColumn('direction', 'text', (c) => c.notNull())
        .addColumn('amount_wad', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('tx_hash', 'text')
        .addColumn('attempts', 'bigint', (c) => c.notNull())
        .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
        .addColumn('last_error', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute()
    },
  }
}
