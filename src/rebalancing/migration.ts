import type { Kysely } from 'kysely'
import type { Migration } from 'kysely/migration'

/**
 * 0014_phase2 (issue 11): SPEC §8 Phase 2 and the smart rebalancing
 * escalation. A batch may be claimed by one buy-back at a time
 * (`closing_id`) and may be due early (`close_due_at`, SPEC §6.2 VaR warn);
 * each buy-back (RFQ or issuer redemption) is a row of `batch_closes`; each
 * Reserve deficit an escalation with its steps. Amounts are exact decimal
 * text, rates and PnL exact ratios `num/den`, times epoch milliseconds.
 */
export function phase2Migration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('rebalance_batches').addColumn('closing_id', 'text').execute()
      await db.schema.alterTable('rebalance_batches').addColumn('close_due_at', 'bigint').execute()
      await db.schema
        .createTable('batch_closes')
        .addColumn('close_id', 'text', (c) => c.primaryKey())
        .addColumn('environment', 'text', (c) => c.notNull())
        .addColumn('corridor', 'text', (c) => c.notNull())
        .addColumn('direction', 'text', (c) => c.notNull())
        .addColumn('method', 'text', (c) => c.notNull())
        .addColumn('purpose', 'text', (c) => c.notNull())
        .addColumn('trigger', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('volume', 'text', (c) => c.notNull())
        // [{batch_id, volume}] claimed, oldest first.
        .addColumn('batches', 'text', (c) => c.notNull())
        .addColumn('rate', 'text')
        .addColumn('realised_pnl_usd', 'text')
        // The issuer request id, or the RFQ parent order / rfq id.
        .addColumn('reference', 'text')
        .addColumn('detail', 'text')
        .addColumn('entry_id', 'bigint')
        .addColumn('actor', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute()
      await db.schema
        .createIndex('batch_closes_recent')
        .on('batch_closes')
        .columns(['environment', 'corridor', 'created_at'])
        .execute()
      await db.schema
        .createTable('reserve_escalations')
        .addColumn('escalation_id', 'text', (c) => c.primaryKey())
        .addColumn('environment', 'text', (c) => c.notNull())
        .addColumn('asset', 'text', (c) => c.notNull())
        .addColumn('deficit', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('started_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute()
      await db.schema
        .createTable('reserve_escalation_steps')
        .addColumn('escalation_id', 'text', (c) =>
          c.notNull().references('reserve_escalations.escalation_id'),
        )
        .addColumn('step', 'integer', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('amount', 'text', (c) => c.notNull())
        .addColumn('reference', 'text')
        .addColumn('detail', 'text')
        .addColumn('started_at', 'bigint', (c) => c.notNull())
        .addColumn('finished_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('reserve_escalation_steps_pk', ['escalation_id', 'step'])
        .execute()
    },
  }
}
