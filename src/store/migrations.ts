import { type CreateTableBuilder, type Kysely, sql } from 'kysely'
import { type Migration, type MigrationProvider, Migrator } from 'kysely/migration'
import { evmMigration } from '../chain/evm/migration.ts'
import { earnMigration } from '../integrations/earn/migration.ts'
import { issuersMigration } from '../issuers/migration.ts'
import { credentialsMigration } from '../partners/migration.ts'
import { rampUpMigration } from '../partners/ramp-up-migration.ts'
import { paymentsMigration } from '../payments/migration.ts'
import { phase2Migration } from '../rebalancing/migration.ts'
import type { Dialect } from './store.ts'

/**
 * One set of migrations for both databases. Where the dialects differ (auto
 * ids, exact money type, triggers), the difference is in the helpers below and
 * nowhere else.
 */
function dialectTypes(dialect: Dialect) {
  return {
    money: dialect === 'postgres' ? sql`numeric(78, 0)` : sql`text`,
    autoId: (table: CreateTableBuilder<string, never>): CreateTableBuilder<string, 'id'> =>
      dialect === 'postgres'
        ? table.addColumn('id', 'bigserial', (c) => c.primaryKey())
        : table.addColumn('id', 'integer', (c) => c.primaryKey().autoIncrement()),
  }
}

/** Journal entries and postings are append-only: the database itself refuses updates and deletes. */
async function makeImmutable(db: Kysely<unknown>, dialect: Dialect, table: string): Promise<void> {
  if (dialect === 'postgres') {
    await sql`create trigger ${sql.raw(`${table}_immutable`)} before update or delete on ${sql.table(table)}
      for each row execute function stablefx_immutable()`.execute(db)
    return
  }
  for (const op of ['update', 'delete']) {
    await sql`create trigger ${sql.raw(`${table}_no_${op}`)} before ${sql.raw(op)} on ${sql.table(table)}
      begin select raise(abort, ${sql.lit(`${table} are immutable`)}); end`.execute(db)
  }
}

function initial(dialect: Dialect): Migration {
  const t = dialectTypes(dialect)
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('settings')
        .addColumn('key', 'text', (c) => c.primaryKey())
        .addColumn('value', 'text', (c) => c.notNull())
        .execute()
      await db.schema
        .createTable('partners')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('name', 'text', (c) => c.notNull())
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('config', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute()
      await db.schema
        .createTable('api_keys')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('partner_id', 'text', (c) => c.notNull().references('partners.id'))
        .addColumn('environment', 'text', (c) => c.notNull())
        .addColumn('key_hash', 'text', (c) => c.notNull().unique())
        .addColumn('key_prefix', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('revoked_at', 'bigint')
        .execute()
      await db.schema.createIndex('api_keys_partner').on('api_keys').column('partner_id').execute()
      await db.schema
        .createTable('webhook_secrets')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('partner_id', 'text', (c) => c.notNull().references('partners.id'))
        .addColumn('secret', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('retired_at', 'bigint')
        .execute()
      await t
        .autoId(db.schema.createTable('audit_log'))
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('action', 'text', (c) => c.notNull())
        .addColumn('target_type', 'text', (c) => c.notNull())
        .addColumn('target_id', 'text', (c) => c.notNull())
        .addColumn('before', 'text')
        .addColumn('after', 'text')
        .addColumn('at', 'bigint', (c) => c.notNull())
        .execute()
      await db.schema
        .createTable('ledger_accounts')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('environment', 'text', (c) => c.notNull())
        .addColumn('asset', 'text', (c) => c.notNull())
        .addColumn('owner', 'text', (c) => c.notNull())
        .addColumn('purpose', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('balance', t.money, (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addUniqueConstraint('ledger_accounts_key', ['environment', 'asset', 'owner', 'purpose'])
        .execute()
      await t
        .autoId(db.schema.createTable('journal_entries'))
        .addColumn('environment', 'text', (c) => c.notNull())
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('reference', 'text', (c) => c.notNull())
        .addColumn('reverses_entry_id', 'bigint', (c) => c.unique().references('journal_entries.id'))
        .addColumn('memo', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addUniqueConstraint('journal_entries_reference', ['environment', 'kind', 'reference'])
        .execute()
      await t
        .autoId(db.schema.createTable('postings'))
        .addColumn('entry_id', 'bigint', (c) => c.notNull().references('journal_entries.id'))
        .addColumn('account_id', 'text', (c) => c.notNull().references('ledger_accounts.id'))
        .addColumn('amount', t.money, (c) => c.notNull())
        .execute()
      await db.schema.createIndex('postings_entry').on('postings').column('entry_id').execute()
      await db.schema.createIndex('postings_account').on('postings').columns(['account_id', 'id']).execute()
      if (dialect === 'postgres') {
        await sql`create function stablefx_immutable() returns trigger language plpgsql as $$
          begin raise exception '% is immutable', tg_table_name; end $$`.execute(db)
      }
      await makeImmutable(db, dialect, 'journal_entries')
      await makeImmutable(db, dialect, 'postings')
    },
  }
}

/** Firm quotes, executions, idempotency keys and the event outbox (SPEC §3, §10, §14.3). */
function trading(dialect: Dialect): Migration {
  const t = dialectTypes(dialect)
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('quotes')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('environment', 'text', (c) => c.notNull())
        .addColumn('partner_id', 'text', (c) => c.notNull().references('partners.id'))
        .addColumn('corridor', 'text', (c) => c.notNull())
        .addColumn('side', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('source_amount', t.money, (c) => c.notNull())
        .addColumn('usd_micros', 'bigint', (c) => c.notNull())
        .addColumn('terms', 'text', (c) => c.notNull())
        .addColumn('client_ref', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .execute()
      await db.schema
        .createIndex('quotes_partner_open')
        .on('quotes')
        .columns(['partner_id', 'status', 'expires_at'])
        .execute()
      await db.schema
        .createIndex('quotes_open')
        .on('quotes')
        .columns(['environment', 'status', 'expires_at'])
        .execute()
      await t
        .autoId(db.schema.createTable('executions'))
        .addColumn('execution_id', 'text', (c) => c.notNull().unique())
        .addColumn('environment', 'text', (c) => c.notNull())
        .addColumn('partner_id', 'text', (c) => c.notNull().references('partners.id'))
        .addColumn('quote_id', 'text', (c) => c.notNull().unique().references('quotes.id'))
        .addColumn('corridor', 'text', (c) => c.notNull())
        .addColumn('side', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('source_amount', t.money, (c) => c.notNull())
        .addColumn('destination_amount', t.money, (c) => c.notNull())
        .addColumn('platform_fee', t.money, (c) => c.notNull())
        .addColumn('usd_micros', 'bigint', (c) => c.notNull())
        .addColumn('destination_address', 'text', (c) => c.notNull())
        .addColumn('tx_hash', 'text')
        .addColumn('entry_id', 'bigint', (c) => c.references('journal_entries.id'))
        .addColumn('failure_reason', 'text')
        .addColumn('details', 'text', (c) => c.notNull())
        .addColumn('client_ref', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('settled_at', 'bigint')
        .execute()
      await db.schema
        .createIndex('executions_partner')
        .on('executions')
        .columns(['partner_id', 'environment', 'id'])
        .execute()
      await db.schema
        .createIndex('executions_volume')
        .on('executions')
        .columns(['partner_id', 'created_at'])
        .execute()
      await db.schema.createIndex('executions_pending').on('executions').columns(['status']).execute()
      await db.schema
        .createTable('idempotency_keys')
        .addColumn('partner_id', 'text', (c) => c.notNull())
        .addColumn('environment', 'text', (c) => c.notNull())
        .addColumn('key', 'text', (c) => c.notNull())
        .addColumn('request_hash', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('response_status', 'bigint')
        .addColumn('response_body', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('idempotency_keys_pk', ['partner_id', 'environment', 'key'])
        .execute()
      await db.schema
        .createIndex('idempotency_keys_expiry')
        .on('idempotency_keys')
        .column('expires_at')
        .execute()
      await t
        .autoId(db.schema.createTable('events'))
        .addColumn('event_id', 'text', (c) => c.notNull().unique())
        .addColumn('environment', 'text', (c) => c.notNull())
        .addColumn('partner_id', 'text')
        .addColumn('type', 'text', (c) => c.notNull())
        .addColumn('data', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute()
      await db.schema.createIndex('events_type').on('events').columns(['environment', 'type', 'id']).execute()
      await db.schema
        .createTable('partner_volume')
        .addColumn('partner_id', 'text', (c) => c.notNull())
        .addColumn('environment', 'text', (c) => c.notNull())
        .addColumn('corridor', 'text', (c) => c.notNull())
        .addColumn('day', 'text', (c) => c.notNull())
        .addColumn('usd_micros', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('partner_volume_pk', ['partner_id', 'environment', 'corridor', 'day'])
        .execute()
    },
  }
}

/** The risk engine's memory (SPEC §6): corridor states, their history, operator overrides, open positions. */
function risk(dialect: Dialect): Migration {
  const t = dialectTypes(dialect)
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('risk_states')
        .addColumn('environment', 'text', (c) => c.notNull())
        .addColumn('corridor', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('detail', 'text', (c) => c.notNull())
        .addColumn('since_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('risk_states_pk', ['environment', 'corridor'])
        .execute()
      await t
        .autoId(db.schema.createTable('risk_transitions'))
        .addColumn('environment', 'text', (c) => c.notNull())
        .addColumn('corridor', 'text', (c) => c.notNull())
        .addColumn('previous_state', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('reasons', 'text', (c) => c.notNull())
        .addColumn('trigger', 'text', (c) => c.notNull())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .execute()
      await db.schema
        .createIndex('risk_transitions_env')
        .on('risk_transitions')
        .columns(['environment', 'id'])
        .execute()
      await t
        .autoId(db.schema.createTable('risk_overrides'))
        .addColumn('environment', 'text', (c) => c.notNull())
        .addColumn('corridor', 'text', (c) => c.notNull())
        .addColumn('state', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('actor', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute()
      await db.schema
        .createIndex('risk_overrides_env')
        .on('risk_overrides')
        .columns(['environment', 'corridor', 'id'])
        .execute()
      await db.schema
        .createTable('corridor_positions')
        .addColumn('environment', 'text', (c) => c.notNull())
        .addColumn('corridor', 'text', (c) => c.notNull())
        .addColumn('base_units', t.money, (c) => c.notNull())
        .addColumn('quote_units', t.money, (c) => c.notNull())
        .addColumn('opened_at', 'bigint')
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('corridor_positions_pk', ['environment', 'corridor'])
        .execute()
    },
  }
}

/** Liquidity providers (SPEC §7, §9): wallets, kToken vaults and holdings, deposits, the queues, index history. */
function liquidity(dialect: Dialect): Migration {
  const t = dialectTypes(dialect)
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('wallets')
        .addColumn('partner_id', 'text', (c) => c.notNull().references('partners.id'))
        .addColumn('address', 'text', (c) => c.notNull())
        .addColumn('label', 'text', (c) => c.notNull())
        .addColumn('added_at', 'bigint', (c) => c.notNull())
        .addColumn('sandbox_added_at', 'bigint', (c) => c.notNull())
        .addColumn('removed_at', 'bigint')
        .addPrimaryKeyConstraint('wallets_pk', ['partner_id', 'address'])
        .execute()
      await db.schema
        .createTable('ktoken_variants')
        .addColumn('environment', 'text', (c) => c.notNull())
        .addColumn('asset', 'text', (c) => c.notNull())
        .addColumn('variant', 'text', (c) => c.notNull())
        .addColumn('index_ray', t.money, (c) => c.notNull())
        .addColumn('total_shares', t.money, (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('ktoken_variants_pk', ['environment', 'asset', 'variant'])
        .execute()
      await db.schema
        .createTable('ktoken_index_days')
        .addColumn('environment', 'text', (c) => c.notNull())
        .addColumn('asset', 'text', (c) => c.notNull())
        .addColumn('variant', 'text', (c) => c.notNull())
        .addColumn('day', 'text', (c) => c.notNull())
        .addColumn('index_ray', t.money, (c) => c.notNull())
        .addPrimaryKeyConstraint('ktoken_index_days_pk', ['environment', 'asset', 'variant', 'day'])
        .execute()
      await db.schema
        .createTable('lp_holdings')
        .addColumn('environment', 'text', (c) => c.notNull())
        .addColumn('partner_id', 'text', (c) => c.notNull().references('partners.id'))
        .addColumn('asset', 'text', (c) => c.notNull())
        .addColumn('variant', 'text', (c) => c.notNull())
        .addColumn('shares', t.money, (c) => c.notNull())
        .addColumn('deposited', t.money, (c) => c.notNull())
        .addColumn('withdrawn', t.money, (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('lp_holdings_pk', ['environment', 'partner_id', 'asset', 'variant'])
        .execute()
      await t
        .autoId(db.schema.createTable('lp_deposits'))
        .addColumn('deposit_id', 'text', (c) => c.notNull().unique())
        .addColumn('environment', 'text', (c) => c.notNull())
        .addColumn('partner_id', 'text', (c) => c.notNull().references('partners.id'))
        .addColumn('asset', 'text', (c) => c.notNull())
        .addColumn('variant', 'text', (c) => c.notNull())
        .addColumn('from_address', 'text', (c) => c.notNull())
        .addColumn('tx_hash', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('amount', t.money, (c) => c.notNull())
        .addColumn('shares', t.money, (c) => c.notNull())
        .addColumn('pending', t.money, (c) => c.notNull())
        .addColumn('routing', 'text', (c) => c.notNull())
        .addColumn('locked_until', 'bigint', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute()
      await db.schema
        .createIndex('lp_deposits_partner')
        .on('lp_deposits')
        .columns(['environment', 'partner_id', 'asset'])
        .execute()
      await t
        .autoId(db.schema.createTable('lp_pending'))
        .addColumn('deposit_id', 'text', (c) => c.notNull())
        .addColumn('environment', 'text', (c) => c.notNull())
        .addColumn('asset', 'text', (c) => c.notNull())
        .addColumn('pool', 'text', (c) => c.notNull())
        .addColumn('amount', t.money, (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('filled_at', 'bigint')
        .execute()
      await db.schema
        .createIndex('lp_pending_open')
        .on('lp_pending')
        .columns(['environment', 'asset', 'filled_at', 'id'])
        .execute()
      await t
        .autoId(db.schema.createTable('lp_withdrawals'))
        .addColumn('withdrawal_id', 'text', (c) => c.notNull().unique())
        .addColumn('environment', 'text', (c) => c.notNull())
        .addColumn('partner_id', 'text', (c) => c.notNull().references('partners.id'))
        .addColumn('asset', 'text', (c) => c.notNull())
        .addColumn('variant', 'text', (c) => c.notNull())
        .addColumn('tier', 'text', (c) => c.notNull())
        .addColumn('amount', t.money, (c) => c.notNull())
        .addColumn('shares', t.money, (c) => c.notNull())
        .addColumn('paid', t.money, (c) => c.notNull())
        .addColumn('to_address', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('reason', 'text')
        .addColumn('requested_at', 'bigint', (c) => c.notNull())
        .addColumn('completed_at', 'bigint')
        .execute()
      await db.schema
        .createIndex('lp_withdrawals_open')
        .on('lp_withdrawals')
        .columns(['environment', 'status', 'id'])
        .execute()
      await db.schema
        .createTable('lp_withdrawal_tranches')
        .addColumn('withdrawal_id', 'text', (c) => c.notNull())
        .addColumn('n', 'bigint', (c) => c.notNull())
        .addColumn('due_at', 'bigint', (c) => c.notNull())
        .addColumn('amount', t.money, (c) => c.notNull())
        .addColumn('pool', 'text')
        .addColumn('tx_hash', 'text')
        .addColumn('paid_at', 'bigint')
        .addPrimaryKeyConstraint('lp_withdrawal_tranches_pk', ['withdrawal_id', 'n'])
        .execute()
    },
  }
}

/**
 * Several nodes, one system (SPEC §15 "Several nodes"): the node registry and
 * worker leases, the oracle's price log, the risk engine's memory per
 * environment, arbitrage holds, the simulated chain's transfers, shared rate
 * limit buckets, and the columns that let a crashed request or execution be
 * recovered by another node.
 */
function cluster(dialect: Dialect): Migration {
  const t = dialectTypes(dialect)
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('nodes')
        .addColumn('id', 'text', (c) => c.primaryKey())
        .addColumn('host', 'text', (c) => c.notNull())
        .addColumn('pid', 'bigint', (c) => c.notNull())
        .addColumn('started_at', 'bigint', (c) => c.notNull())
        .addColumn('heartbeat_at', 'bigint', (c) => c.notNull())
        .execute()
      await db.schema
        .createTable('worker_leases')
        .addColumn('name', 'text', (c) => c.primaryKey())
        .addColumn('holder', 'text', (c) => c.notNull())
        .addColumn('expires_at', 'bigint', (c) => c.notNull())
        .addColumn('acquired_at', 'bigint', (c) => c.notNull())
        .addColumn('fence', 'bigint', (c) => c.notNull())
        .execute()
      await t
        .autoId(db.schema.createTable('oracle_prices'))
        .addColumn('environment', 'text', (c) => c.notNull())
        .addColumn('pair', 'text', (c) => c.notNull())
        .addColumn('source', 'text', (c) => c.notNull())
        .addColumn('price', 'text', (c) => c.notNull())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addColumn('received_at', 'bigint', (c) => c.notNull())
        .execute()
      await db.schema
        .createIndex('oracle_prices_latest')
        .on('oracle_prices')
        .columns(['environment', 'pair', 'source', 'id'])
        .execute()
      await db.schema
        .createIndex('oracle_prices_received')
        .on('oracle_prices')
        .columns(['environment', 'received_at'])
        .execute()
      await db.schema
        .createTable('risk_environments')
        .addColumn('environment', 'text', (c) => c.primaryKey())
        .addColumn('warm', 'bigint', (c) => c.notNull())
        .addColumn('last_recovery_at', 'bigint', (c) => c.notNull())
        .addColumn('version', 'bigint', (c) => c.notNull())
        .execute()
      await db.schema
        .createTable('risk_holds')
        .addColumn('environment', 'text', (c) => c.notNull())
        .addColumn('corridor', 'text', (c) => c.notNull())
        .addColumn('reason', 'text', (c) => c.notNull())
        .addColumn('at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('risk_holds_pk', ['environment', 'corridor'])
        .execute()
      await db.schema
        .createTable('chain_transfers')
        .addColumn('environment', 'text', (c) => c.notNull())
        .addColumn('reference', 'text', (c) => c.notNull())
        .addColumn('asset', 'text', (c) => c.notNull())
        .addColumn('to_address', 'text', (c) => c.notNull())
        .addColumn('amount', t.money, (c) => c.notNull())
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('sends', 'bigint', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('chain_transfers_pk', ['environment', 'reference'])
        .execute()
      // Rate-limit buckets need no durability: on PostgreSQL the table is unlogged (no WAL, no fsync).
      await sql`create ${sql.raw(dialect === 'postgres' ? 'unlogged ' : '')}table rate_limit_buckets (
        key text primary key,
        tokens double precision not null,
        at bigint not null
      )`.execute(db)
      for (const column of ['holder', 'claim', 'resource'] as const) {
        await db.schema.alterTable('idempotency_keys').addColumn(column, 'text').execute()
      }
      await db.schema.alterTable('idempotency_keys').addColumn('lease_until', 'bigint').execute()
      await db.schema.alterTable('executions').addColumn('claim_node', 'text').execute()
      await db.schema.alterTable('executions').addColumn('claim_until', 'bigint').execute()
    },
  }
}

/**
 * Liquidity providers' money as promised (SPEC §15 ownership, per-LP
 * multipliers, withdrawals at payment-time value): withdrawals escrow shares
 * and burn them tranche by tranche, and fee distributions that could not run
 * in their settlement wait here to be retried.
 */
function ownership(dialect: Dialect): Migration {
  const t = dialectTypes(dialect)
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('lp_withdrawals').addColumn('shares_paid', t.money).execute()
      await db.schema.alterTable('lp_withdrawal_tranches').addColumn('shares', t.money).execute()
      await db.schema
        .createTable('fee_distributions')
        .addColumn('execution_id', 'text', (c) => c.primaryKey())
        .addColumn('environment', 'text', (c) => c.notNull())
        .addColumn('fee_asset', 'text', (c) => c.notNull())
        .addColumn('fee', t.money, (c) => c.notNull())
        .addColumn('swap_assets', 'text', (c) => c.notNull())
        .addColumn('attempts', 'bigint', (c) => c.notNull())
        .addColumn('last_error', 'text')
        .addColumn('next_at', 'bigint', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute()
      await db.schema
        .createIndex('fee_distributions_due')
        .on('fee_distributions')
        .columns(['environment', 'next_at'])
        .execute()
    },
  }
}

/**
 * Phase 1 rebalancing (SPEC §8): each movement between the protocol Reserve
 * and the Active pools, the batches the Reserve holds ("the bag") with their
 * fills, and the soft-threshold cooldowns, kept here because several nodes
 * run one rebalancer.
 */
function rebalancing(dialect: Dialect): Migration {
  const t = dialectTypes(dialect)
  return {
    async up(db: Kysely<unknown>) {
      await t
        .autoId(db.schema.createTable('rebalances'))
        .addColumn('rebalance_id', 'text', (c) => c.notNull().unique())
        .addColumn('environment', 'text', (c) => c.notNull())
        .addColumn('corridor', 'text', (c) => c.notNull())
        .addColumn('direction', 'text', (c) => c.notNull())
        .addColumn('trigger', 'text', (c) => c.notNull())
        .addColumn('emergency', 'bigint', (c) => c.notNull())
        .addColumn('partial', 'bigint', (c) => c.notNull())
        .addColumn('base_amount', t.money, (c) => c.notNull())
        .addColumn('quote_amount', t.money, (c) => c.notNull())
        .addColumn('rate', 'text', (c) => c.notNull())
        .addColumn('deviation_usd', 'text')
        .addColumn('entry_id', 'bigint', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute()
      await db.schema
        .createIndex('rebalances_corridor')
        .on('rebalances')
        .columns(['environment', 'corridor', 'id'])
        .execute()
      await t
        .autoId(db.schema.createTable('rebalance_batches'))
        .addColumn('batch_id', 'text', (c) => c.notNull().unique())
        .addColumn('environment', 'text', (c) => c.notNull())
        .addColumn('corridor', 'text', (c) => c.notNull())
        .addColumn('direction', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('volume', t.money, (c) => c.notNull())
        .addColumn('cost', 'text', (c) => c.notNull())
        .addColumn('closed_volume', t.money, (c) => c.notNull())
        .addColumn('realised_pnl_usd', 'text', (c) => c.notNull())
        .addColumn('opened_at', 'bigint', (c) => c.notNull())
        .addColumn('settled_at', 'bigint')
        .addColumn('closed_at', 'bigint')
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute()
      await db.schema
        .createIndex('rebalance_batches_open')
        .on('rebalance_batches')
        .columns(['environment', 'status', 'corridor', 'id'])
        .execute()
      await t
        .autoId(db.schema.createTable('rebalance_fills'))
        .addColumn('batch_id', 'text', (c) => c.notNull())
        .addColumn('rebalance_id', 'text', (c) => c.notNull())
        .addColumn('volume', t.money, (c) => c.notNull())
        .addColumn('rate', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .execute()
      await db.schema
        .createIndex('rebalance_fills_batch')
        .on('rebalance_fills')
        .columns(['batch_id', 'id'])
        .execute()
      await db.schema
        .createTable('rebalance_cooldowns')
        .addColumn('environment', 'text', (c) => c.notNull())
        .addColumn('corridor', 'text', (c) => c.notNull())
        .addColumn('direction', 'text', (c) => c.notNull())
        .addColumn('started_at', 'bigint', (c) => c.notNull())
        .addColumn('ends_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('rebalance_cooldowns_pk', ['environment', 'corridor'])
        .execute()
      // The start of the last clock hour whose sweep ran (SPEC §8 "hourly"), per environment.
      await db.schema
        .createTable('rebalance_sweeps')
        .addColumn('environment', 'text', (c) => c.primaryKey())
        .addColumn('hour_start', 'bigint', (c) => c.notNull())
        .execute()
    },
  }
}

/**
 * Events in commit order (SPEC §10 feed and webhooks): on PostgreSQL each
 * event records the id of the transaction that wrote it, so a reader can take
 * only what every older transaction has finished with and never skip a row
 * that commits late. SQLite has one writer: its row ids are commit order.
 */
function eventOrder(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('events').addColumn('commit_xid', 'bigint').execute()
      await db.schema
        .createIndex('events_commit_order')
        .on('events')
        .columns(['environment', 'commit_xid', 'id'])
        .execute()
    },
  }
}

/**
 * Events, part two (SPEC §10): every event row gets a commit position, so the
 * feed orders by (commit_xid, id) on the index instead of an expression (0 on
 * SQLite, where row ids are commit order, and for rows written before 0008);
 * and `limit_warnings` remembers which `partner.limit_warning` thresholds
 * were announced in which period, so each is announced once.
 */
function events(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await sql`update events set commit_xid = 0 where commit_xid is null`.execute(db)
      await db.schema
        .createTable('limit_warnings')
        .addColumn('partner_id', 'text', (c) => c.notNull())
        .addColumn('environment', 'text', (c) => c.notNull())
        .addColumn('limit_kind', 'text', (c) => c.notNull())
        .addColumn('scope', 'text', (c) => c.notNull())
        .addColumn('period', 'text', (c) => c.notNull())
        .addColumn('threshold_pct', 'bigint', (c) => c.notNull())
        .addColumn('event_id', 'text', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('limit_warnings_pk', [
          'partner_id',
          'environment',
          'limit_kind',
          'scope',
          'period',
          'threshold_pct',
        ])
        .execute()
    },
  }
}

/** SPEC §10 webhooks: endpoints per partner and environment, the delivery queue, the per-attempt log. */
function webhooks(dialect: Dialect): Migration {
  const t = dialectTypes(dialect)
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('webhook_endpoints')
        .addColumn('partner_id', 'text', (c) => c.notNull().references('partners.id'))
        .addColumn('environment', 'text', (c) => c.notNull())
        .addColumn('url', 'text', (c) => c.notNull())
        .addColumn('events', 'text')
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('status_reason', 'text')
        .addColumn('verification_id', 'text')
        .addColumn('verification_body', 'text')
        .addColumn('challenge', 'text')
        .addColumn('verification_attempts', 'bigint', (c) => c.notNull())
        .addColumn('next_verification_at', 'bigint')
        .addColumn('cursor_xid', 'bigint', (c) => c.notNull())
        .addColumn('cursor_id', 'bigint', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addColumn('verified_at', 'bigint')
        .addPrimaryKeyConstraint('webhook_endpoints_pk', ['partner_id', 'environment'])
        .execute()
      await t
        .autoId(db.schema.createTable('webhook_deliveries'))
        .addColumn('environment', 'text', (c) => c.notNull())
        .addColumn('partner_id', 'text', (c) => c.notNull())
        .addColumn('event_id', 'text', (c) => c.notNull())
        .addColumn('event_type', 'text', (c) => c.notNull())
        .addColumn('body', 'text', (c) => c.notNull())
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('attempts', 'bigint', (c) => c.notNull())
        .addColumn('next_attempt_at', 'bigint', (c) => c.notNull())
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addUniqueConstraint('webhook_deliveries_event', ['environment', 'partner_id', 'event_id'])
        .execute()
      await db.schema
        .createIndex('webhook_deliveries_queue')
        .on('webhook_deliveries')
        .columns(['environment', 'partner_id', 'status', 'id'])
        .execute()
      await t
        .autoId(db.schema.createTable('webhook_attempts'))
        .addColumn('environment', 'text', (c) => c.notNull())
        .addColumn('partner_id', 'text', (c) => c.notNull())
        .addColumn('event_id', 'text', (c) => c.notNull())
        .addColumn('event_type', 'text', (c) => c.notNull())
        .addColumn('attempt', 'bigint', (c) => c.notNull())
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('status_code', 'bigint')
        .addColumn('latency_ms', 'bigint', (c) => c.notNull())
        .addColumn('error', 'text')
        .addColumn('at', 'bigint', (c) => c.notNull())
        .execute()
      await db.schema
        .createIndex('webhook_attempts_partner')
        .on('webhook_attempts')
        .columns(['environment', 'partner_id', 'id'])
        .execute()
    },
  }
}

/**
 * Issue 12: events for operators only (`audience = 'operator'`, e.g. a yield
 * venue settlement's `settlement.confirmed`). Every partner-facing reader of
 * the feed (src/events/feed.ts) reads `audience = 'partner'` alone; the admin
 * feed reads the operator events, on a partial index that partner events,
 * the great majority, never enter.
 */
function operatorEvents(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .alterTable('events')
        .addColumn('audience', 'text', (c) => c.notNull().defaultTo('partner'))
        .execute()
      await db.schema
        .createIndex('events_operator')
        .on('events')
        .columns(['environment', 'commit_xid', 'id'])
        .where(sql.ref('audience'), '=', 'operator')
        .execute()
    },
  }
}

export function migrationsFor(dialect: Dialect): Record<string, Migration> {
  return {
    '0001_initial': initial(dialect),
    '0002_trading': trading(dialect),
    '0003_risk': risk(dialect),
    '0004_liquidity': liquidity(dialect),
    '0005_cluster': cluster(dialect),
    '0006_ownership': ownership(dialect),
    '0007_rebalancing': rebalancing(dialect),
    '0008_event_order': eventOrder(),
    '0009_credentials': credentialsMigration(),
    '0010_webhooks': webhooks(dialect),
    '0011_events': events(),
    '0012_ramp_up': rampUpMigration(),
    '0013_issuers': issuersMigration(),
    '0014_phase2': phase2Migration(),
    '0015_earn': earnMigration(),
    '0016_evm': evmMigration(),
    '0017_payments': paymentsMigration(dialect),
    '0018_operator_events': operatorEvents(),
  }
}

export async function migrate(db: Kysely<unknown>, dialect: Dialect): Promise<string[]> {
  const provider: MigrationProvider = { getMigrations: async () => migrationsFor(dialect) }
  const migrator = new Migrator({ db, provider })
  const { error, results } = await migrator.migrateToLatest()
  if (error !== undefined) throw error
  return (results ?? []).filter((r) => r.status === 'Success').map((r) => r.migrationName)
}
