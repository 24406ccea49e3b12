/** Issue 12: the yield venue's tables as Kysely sees them (src/integrations/earn/migration.ts). */
export interface EarnSplitsTable {
  environment: string
  asset: string
  split: string
  updated_at: bigint
}

export interface EarnProductsTable {
  environment: string
  entity: string
  product_id: string
  name: string
  currency: string
  apy: string
  synced_at: bigint
}

export interface EarnUsersTable {
  environment: string
  entity: string
  owner: string
  venue_user_id: string
  created_at: bigint
}

export interface EarnAccountsTable {
  environment: string
  entity: string
  owner: string
  product_id: string
  venue_account_id: string
  created_at: bigint
}

export interface EarnPositionsTable {
  environment: string
  entity: string
  owner: string
  asset: string
  product_id: string
  amount_wad: string
}

export interface EarnOutboxTable {
  reference: string
  seq: bigint
  environment: string
  entity: string
  owner: string
  asset: string
  product_id: string
  /** DEPOSIT | WITHDRAWAL */
  kind: string
  /** Minor units of the asset. */
  amount: string
  cause: string
  /** PENDING | SENT | REJECTED */
  status: string
  attempts: bigint
  next_attempt_at: bigint
  venue_booking_id: string | null
  booked_at: bigint | null
  last_error: string | null
  created_at: bigint
  updated_at: bigint
}

export interface EarnCyclesTable {
  environment: string
  entity: string
  next_date: string
  last_attempt_at: bigint | null
  last_error: string | null
}

export interface EarnReportsTable {
  environment: string
  entity: string
  report_id: string
  date: string
  /** OK | MISMATCH */
  status: string
  summary: string
  ingested_at: bigint
}

export interface EarnBalancesTable {
  environment: string
  entity: string
  asset: string
  credited: string
  dust_wad: string
  margin_credited: string
  margin_dust_wad: string
  outstanding_wad: string
  reported_wad: string
  expected: string
  difference: string
  last_report_id: string | null
  last_report_date: string | null
  updated_at: bigint
}

export interface EarnSettlementsTable {
  id: string
  environment: string
  entity: string
  asset: string
  report_id: string
  /** TO_VENUE | FROM_VENUE */
  direction: string
  amount_wad: string
  /**
   * PENDING | SENDING (on chain: a transaction may be on its way; never superseded) | CONFIRMED |
   * RECONCILED (the venue's report shows it) | SUPERSEDED (replaced by the next report's figure) | FAILED
   */
  status: string
  tx_hash: string | null
  attempts: bigint
  next_attempt_at: bigint
  last_error: string | null
  created_at: bigint
  updated_at: bigint
}
