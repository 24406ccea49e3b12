import type { Kysely } from 'kysely'
import type { Migration } from 'kysely/migration'

/**
 * Issue 14, the EVM chain: the hot wallet's nonce per environment (the row
 * every sending node locks), every transaction stablefx signs, recorded with
 * its reference, nonce and hash before it is broadcast, the deposit
 * watcher's cursor and the deposits it credited or put in suspense. Same
 * types on both databases: amounts are decimal text, timestamps epoch ms.
 */
export function evmMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema
        .createTable('evm_senders')
        .addColumn('environment', 'text', (c) => c.primaryKey())
        .addColumn('chain_id', 'bigint', (c) => c.notNull())
        .addColumn('address', 'text', (c) => c.notNull())
        .addColumn('next_nonce', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute()
      await db.schema
        .createTable('evm_transactions')
        .addColumn('environment', 'text', (c) => c.notNull())
        .addColumn('reference', 'text', (c) => c.notNull())
        .addColumn('chain_id', 'bigint', (c) => c.notNull())
        // `transfer` (an ERC-20 payout) or `ktoken` (mint, burn, index).
        .addColumn('kind', 'text', (c) => c.notNull())
        .addColumn('contract', 'text', (c) => c.notNull())
        .addColumn('call_data', 'text', (c) => c.notNull())
        // What the reference stands for (asset, to, amount), checked on every resend.
        .addColumn('fingerprint', 'text', (c) => c.notNull())
        .addColumn('nonce', 'bigint', (c) => c.notNull())
        // Every hash signed for this nonce, replacements included (JSON array, oldest first).
        .addColumn('tx_hashes', 'text', (c) => c.notNull())
        // The latest signed transaction, rebroadcast as is after a crash.
        .addColumn('raw_tx', 'text', (c) => c.notNull())
        .addColumn('max_fee_per_gas', 'text', (c) => c.notNull())
        .addColumn('max_priority_fee_per_gas', 'text', (c) => c.notNull())
        // SIGNED (recorded, maybe broadcast) → CONFIRMED or REVERTED.
        .addColumn('status', 'text', (c) => c.notNull())
        .addColumn('mined_hash', 'text')
        .addColumn('block_number', 'bigint')
        .addColumn('signed_at', 'bigint', (c) => c.notNull())
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('evm_transactions_pk', ['environment', 'reference'])
        .addUniqueConstraint('evm_transactions_nonce', ['environment', 'chain_id', 'nonce'])
        .execute()
      await db.schema
        .createIndex('evm_transactions_open')
        .on('evm_transactions')
        .columns(['environment', 'status', 'nonce'])
        .execute()
      await db.schema
        .createTable('evm_cursors')
        .addColumn('environment', 'text', (c) => c.primaryKey())
        // The next block to read, and the hash of the one before it (a reorg below it is detected).
        .addColumn('next_block', 'bigint', (c) => c.notNull())
        .addColumn('last_hash', 'text')
        .addColumn('updated_at', 'bigint', (c) => c.notNull())
        .execute()
      await db.schema
        .createTable('evm_deposits')
        .addColumn('environment', 'text', (c) => c.notNull())
        .addColumn('tx_hash', 'text', (c) => c.notNull())
        .addColumn('log_index', 'bigint', (c) => c.notNull())
        .addColumn('block_number', 'bigint', (c) => c.notNull())
        .addColumn('block_hash', 'text', (c) => c.notNull())
        .addColumn('asset', 'text', (c) => c.notNull())
        .addColumn('from_address', 'text', (c) => c.notNull())
        .addColumn('to_address', 'text', (c) => c.notNull())
        .addColumn('amount', 'text', (c) => c.notNull())
        // PREFUNDING, LP_DEPOSIT or SUSPENSE.
        .addColumn('outcome', 'text', (c) => c.notNull())
        .addColumn('partner_id', 'text')
        .addColumn('reason', 'text')
        .addColumn('entry_id', 'bigint')
        .addColumn('deposit_id', 'text')
        .addColumn('created_at', 'bigint', (c) => c.notNull())
        .addPrimaryKeyConstraint('evm_deposits_pk', ['environment', 'tx_hash', 'log_index'])
        .execute()
    },
  }
}
