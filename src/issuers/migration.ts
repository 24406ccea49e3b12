import type { Kysely } from 'kysely'
import type { Migration } from 'kysely/migration'

/**
 * 0013_issuers (issue 11): the latest Proof of Reserve reading of each
 * issuer per environment, and the mint and redeem requests sent to issuers.
 * Same types on both databases: amounts are exact decimal text (minor units
 * of 18-decimal assets overflow int8), timestamps epoch milliseconds.
 */
export function issuersMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('issuer_reserves')
        .addColumn('partner_id', 'text', (c) => c.notNull().references('partners.id'))
        .addColumn('environment', 'text', (c) => c.notNull())
        .addColumn('asset', 'text', (c) => c.notNull())
        // The last good reading; null until one arrived.
        .addColumn('reserves', 'text')
        .addColumn('circulating_supply', 'text')
        .addColumn('as_of', 'bigint')
        .addColumn('read_at', 'bigint')
        // The last poll, good or not, and why it failed.
        .addColumn('polled_at', 'bigint', (c) => c.notNull())
        // The first poll: a reading that never came is stale counted from here.
        .addColumn('first_polled_at', 'bigint', (c) => c.notNull())
        .addColumn('error', 'text')
        .addPrimaryKeyConstraint('issuer_reserves_pk', ['partner_id', 'environment'])
        .execute()
      await db.schema
        .createTable('issuer_requests')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('environment', 'text', (c) => c.notNull())
        .addColumn('partner_id', 'text', (c) => c.notNull().references('partners.id'))
        .addColumn('asset', 'text', (c) => c.notNull())
        .addColumn('amount', 'text', (c) => c.notNull())
        .addColumn('pay_asset', 'text', (c) => c.notNull())
        .addColumn('pay_amount', 'text', (c) => c.notNull())
        .addColumn('destination', 'text', (c) => c.notNull())
        .addColumn('purpose', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        // The issuer's id for it (`mint_id` / `redeem_id`), from its 202.
        .addColumn('issuer_ref', 'text')
        .addColumn('tx_hash', 'text')
        .addColumn('entry_id', 'bigint')
        .addColumn('error', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addUniqueConstraint('issuer_requests_ref', ['partner_id', 'kind', 'issuer_ref'])
        .execute()
    },
  }
}
