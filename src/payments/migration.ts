import type { Kysely } from 'kysely'
import type { Migration } from 'kysely/migration'
import type { Dialect } from '../store/store.ts'

/**
 * Issue 13 payments: one row per payment instruction (one per execution),
 * and its message history. Timestamps are epoch milliseconds; amounts exact
 * decimal text of minor units, as elsewhere.
 */
export function paymentsMigration(dialect: Dialect): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('payments')
        .addColumn('payment_id', 'text', (c) => c.primaryKey())
        .addColumn('environment', 'text', (c) => c.notNull())
        .addColumn('execution_id', 'text', (c) => c.notNull().unique())
        .addColumn('originator_id', 'text', (c) => c.notNull().references('partners.id'))
        .addColumn('off_ramp_id', 'text', (c) => c.notNull().references('partners.id'))
        .addColumn('rail', 'text', (c) => c.notNull())
        .addColumn('beneficiary', 'text', (c) => c.notNull())
        .addColumn('travel_rule', 'text')
        .addColumn('uetr', 'text', (c) => c.notNull().unique())
        .addColumn('end_to_end_id', 'text', (c) => c.notNull())
        .addColumn('remittance_information', 'text')
        .addColumn('asset', 'text', (c) => c.notNull())
        .addColumn('amount', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('reason', 'text')
        .addColumn('answer_by', 'bigint')
        .addColumn('rollback', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute()
      // The timeout worker reads unanswered instructions by deadline.
      await db.schema
        .createIndex('payments_answer_by')
        .on('payments')
        .columns(['environment', 'answer_by'])
        .execute()
      await db.schema
        .createTable('payment_messages')
        .addColumn('id', dialect === 'postgres' ? 'bigserial' : 'integer', (c) =>
          dialect === 'postgres' ? c.primaryKey() : c.primaryKey().autoIncrement(),
        )
        .addColumn('payment_id', 'text', (c) => c.notNull().references('payments.payment_id'))
        .addColumn('message_id', 'text', (c) => c.notNull().unique())
        .addColumn('message_type', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute()
      await db.schema
        .createIndex('payment_messages_payment')
        .on('payment_messages')
        .columns(['payment_id', 'id'])
        .execute()
    },
  }
}
