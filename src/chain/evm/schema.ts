/** Issue 14: the tables of migration 0016_evm, as Kysely sees them (src/store/schema.ts lists them). */
export interface EvmSendersTable {
  environment: string
  chain_id: bigint
  address: string
  next_nonce: bigint
  updated_at: bigint
}

export interface EvmTransactionsTable {
  environment: string
  reference: string
  chain_id: bigint
  kind: string
  contract: string
  call_data: string
  fingerprint: string
  nonce: bigint
  /** JSON array of every hash signed for the nonce, oldest first. */
  tx_hashes: string
  raw_tx: string
  max_fee_per_gas: string
  max_priority_fee_per_gas: string
  status: string
  mined_hash: string | null
  block_number: bigint | null
  signed_at: bigint
  updated_at: bigint
}

export interface EvmCursorsTable {
  environment: string
  next_block: bigint
  last_hash: string | null
  updated_at: bigint
}

export interface EvmDepositsTable {
  environment: string
  tx_hash: string
  log_index: bigint
  block_number: bigint
  block_hash: string
  asset: string
  from_address: string
  to_address: string
  amount: string
  outcome: string
  partner_id: string | null
  reason: string | null
  entry_id: bigint | null
  deposit_id: string | null
  created_at: bigint
}
