import type { Generated } from 'kysely'
import type {
  EvmCursorsTable,
  EvmDepositsTable,
  EvmSendersTable,
  EvmTransactionsTable,
} from '../chain/evm/schema.ts'
import type {
  EarnAccountsTable,
  EarnBalancesTable,
  EarnCyclesTable,
  EarnOutboxTable,
  EarnPositionsTable,
  EarnProductsTable,
  EarnReportsTable,
  EarnSettlementsTable,
  EarnSplitsTable,
  EarnUsersTable,
} from '../integrations/earn/tables.ts'
import type { PaymentMessagesTable, PaymentsTable } from '../payments/tables.ts'

/**
 * The database as Kysely sees it, on SQLite and PostgreSQL alike. Integer
 * columns are int8 and come back as bigint on both; money columns are exact
 * decimal text (numeric on PostgreSQL) because 18-decimal assets overflow
 * int8; timestamps are epoch milliseconds.
 */
export interface DB {
  settings: { key: string; value: string }
  partners: PartnersTable
  api_keys: ApiKeysTable
  webhook_secrets: WebhookSecretsTable
  audit_log: AuditLogTable
  ledger_accounts: LedgerAccountsTable
  journal_entries: JournalEntriesTable
  postings: PostingsTable
  quotes: QuotesTable
  executions: ExecutionsTable
  idempotency_keys: IdempotencyKeysTable
  events: EventsTable
  limit_warnings: LimitWarningsTable
  partner_volume: PartnerVolumeTable
  risk_states: RiskStatesTable
  risk_transitions: RiskTransitionsTable
  risk_overrides: RiskOverridesTable
  corridor_positions: CorridorPositionsTable
  wallets: WalletsTable
  ktoken_variants: KTokenVariantsTable
  ktoken_index_days: KTokenIndexDaysTable
  lp_holdings: LpHoldingsTable
  lp_deposits: LpDepositsTable
  lp_pending: LpPendingTable
  lp_withdrawals: LpWithdrawalsTable
  lp_withdrawal_tranches: LpWithdrawalTranchesTable
  nodes: NodesTable
  worker_leases: WorkerLeasesTable
  oracle_prices: OraclePricesTable
  risk_environments: RiskEnvironmentsTable
  risk_holds: RiskHoldsTable
  chain_transfers: ChainTransfersTable
  rate_limit_buckets: RateLimitBucketsTable
  fee_distributions: FeeDistributionsTable
  rebalances: RebalancesTable
  rebalance_batches: RebalanceBatchesTable
  rebalance_fills: RebalanceFillsTable
  rebalance_cooldowns: RebalanceCooldownsTable
  rebalance_sweeps: RebalanceSweepsTable
  webhook_endpoints: WebhookEndpointsTable
  webhook_deliveries: WebhookDeliveriesTable
  webhook_attempts: WebhookAttemptsTable
  partner_ramp_up: PartnerRampUpTable
  issuer_reserves: IssuerReservesTable
  issuer_requests: IssuerRequestsTable
  payments: PaymentsTable
  payment_messages: PaymentMessagesTable
  evm_senders: EvmSendersTable
  evm_transactions: EvmTransactionsTable
  evm_cursors: EvmCursorsTable
  evm_deposits: EvmDepositsTable
  earn_splits: EarnSplitsTable
  earn_products: EarnProductsTable
  earn_users: EarnUsersTable
  earn_accounts: EarnAccountsTable
  earn_positions: EarnPositionsTable
  earn_outbox: EarnOutboxTable
  earn_cycles: EarnCyclesTable
  earn_reports: EarnReportsTable
  earn_balances: EarnBalancesTable
  earn_settlements: EarnSettlementsTable
  batch_closes: BatchClosesTable
  reserve_escalations: ReserveEscalationsTable
  reserve_escalation_steps: ReserveEscalationStepsTable
}

/** SPEC §8 Phase 1: one movement between the protocol Reserve and the Active pools, one journal entry. */
/** SPEC §10: a partner's webhook endpoint, one per environment (src/webhooks/). */
export interface WebhookEndpointsTable {
  partner_id: string
  environment: string
  url: string
  /** JSON array of the event types subscribed; null: every type, broadcasts included. */
  events: string | null
  /** PENDING_VERIFICATION | ACTIVE | DISABLED */
  status: string
  status_reason: string | null
  /** The pending `webhook.verification` message: its id, exact body and the challenge it carries. */
  verification_id: string | null
  verification_body: string | null
  challenge: string | null
  verification_attempts: bigint
  next_verification_at: bigint | null
  /** The feed position (src/events/feed.ts) up to which events are queued in webhook_deliveries. */
  cursor_xid: bigint
  cursor_id: bigint
  created_at: bigint
  updated_at: bigint
  verified_at: bigint | null
}

/** One event to deliver to one endpoint; the body is fixed when queued, so every retry is byte-identical. */
export interface WebhookDeliveriesTable {
  id: Generated<bigint>
  environment: string
  partner_id: string
  event_id: string
  event_type: string
  body: string
  /** PENDING | DELIVERED | DEAD_LETTERED */
  status: string
  attempts: bigint
  next_attempt_at: bigint
  created_at: bigint
  updated_at: bigint
}

/** The delivery log: one row per POST (SPEC §10), verification attempts included. */
export interface WebhookAttemptsTable {
  id: Generated<bigint>
  environment: string
  partner_id: string
  event_id: string
  event_type: string
  attempt: bigint
  /** DELIVERED | FAILED | DEAD_LETTERED */
  outcome: string
  status_code: bigint | null
  latency_ms: bigint
  error: string | null
  at: bigint
}

export interface RebalancesTable {
  id: Generated<bigint>
  rebalance_id: string
  environment: string
  corridor: string
  /** LONG_BASE: BASE went to the Reserve, QUOTE came to Active; SHORT_BASE the other way. */
  direction: string
  /** What fired it: hard, emergency, var, deficit, holiday, weekend, cooldown_elapsed. */
  trigger: string
  emergency: bigint
  /** 1 when less than wanted moved (the protocol Reserve or the Active pool held less). */
  partial: bigint
  base_amount: string
  quote_amount: string
  /** The oracle mid it moved at, QUOTE per BASE, an exact ratio `num/den`. */
  rate: string
  /** The corridor's USD deviation when it fired, an exact ratio `num/den`. */
  deviation_usd: string | null
  entry_id: bigint
  created_at: bigint
}

/** SPEC §8: a batch of the bag the Reserve holds, OPEN → SETTLED_INTERNALLY → CLOSED. */
export interface RebalanceBatchesTable {
  id: Generated<bigint>
  batch_id: string
  environment: string
  corridor: string
  direction: string
  status: string
  /** Σ fill volumes, BASE smallest units. */
  volume: string
  /** Σ volume × rate over the fills, an exact ratio `num/den`: WAOP = cost / volume. */
  cost: string
  /** How much of `volume` opposite flow has netted. */
  closed_volume: string
  /** Σ realised PnL of the netted volume, USD, an exact ratio `num/den`. */
  realised_pnl_usd: string
  opened_at: bigint
  settled_at: bigint | null
  closed_at: bigint | null
  updated_at: bigint
  /** 0014_phase2: the Phase 2 buy-back that holds this batch, if any (one at a time). */
  closing_id: string | null
  /** 0014_phase2: when Phase 2 buys it back, when earlier than its default (SPEC §6.2 VaR warn). */
  close_due_at: bigint | null
}

/** 0014_phase2 (SPEC §8 Phase 2): one buy-back of batches through RFQ or issuer redemption. */
export interface BatchClosesTable {
  close_id: string
  environment: string
  corridor: string
  direction: string
  /** RFQ | ISSUER_REDEEM */
  method: string
  /** The RFQ purpose: REBALANCE | EMERGENCY. */
  purpose: string
  /** Why: AGE | VAR_WARNING | VAR_BREACH | EMERGENCY_THRESHOLD | OPERATOR. */
  trigger: string
  /** PENDING | FILLED | FAILED */
  status: string
  /** BASE smallest units claimed. */
  volume: string
  /** JSON [{batch_id, volume}], oldest first. */
  batches: string
  rate: string | null
  realised_pnl_usd: string | null
  reference: string | null
  detail: string | null
  entry_id: bigint | null
  actor: string | null
  created_at: bigint
  updated_at: bigint
}

/** 0014_phase2 (SPEC §8 smart rebalancing escalation): one Reserve deficit and how it was met. */
export interface ReserveEscalationsTable {
  escalation_id: string
  environment: string
  asset: string
  /** Smallest units below the Reserve's minimum when it started. */
  deficit: string
  /** COVERED | WAITING_FOR_MINT | EXHAUSTED */
  status: string
  started_at: bigint
  updated_at: bigint
}

export interface ReserveEscalationStepsTable {
  escalation_id: string
  step: number
  /** YIELD_RECALL | ISSUER_MINT | RFQ */
  kind: string
  /** DONE | PARTIAL | REQUESTED | FAILED | SKIPPED */
  outcome: string
  amount: string
  reference: string | null
  detail: string | null
  started_at: bigint
  finished_at: bigint
}

export interface RebalanceFillsTable {
  id: Generated<bigint>
  batch_id: string
  rebalance_id: string
  volume: string
  /** The oracle mid of the fill, an exact ratio `num/den`. */
  rate: string
  created_at: bigint
}

/** A soft deviation's cooldown (SPEC §8), one per corridor, on the environment's clock. */
export interface RebalanceCooldownsTable {
  environment: string
  corridor: string
  direction: string
  started_at: bigint
  ends_at: bigint
}

/** The last hourly sweep of the rebalancer (SPEC §8 "hourly"), per environment: the clock hour it ran in. */
export interface RebalanceSweepsTable {
  environment: string
  hour_start: bigint
}

/** A settled swap's fee whose distribution (SPEC §7.3) could not run in its settlement: retried by a worker. */
export interface FeeDistributionsTable {
  execution_id: string
  environment: string
  fee_asset: string
  fee: string
  /** The swap's two assets, `USDT,IDRX`. */
  swap_assets: string
  attempts: bigint
  last_error: string | null
  /** When to try again (wall clock, ms). */
  next_at: bigint
  created_at: bigint
}

/** One running stablefx process; `heartbeat_at` (database time, ms) says it is alive. */
export interface NodesTable {
  id: string
  host: string
  pid: bigint
  started_at: bigint
  heartbeat_at: bigint
}

/** Who runs a background worker now: the holder until `expires_at` (database time, ms); `fence` grows on every takeover. */
export interface WorkerLeasesTable {
  name: string
  holder: string
  expires_at: bigint
  acquired_at: bigint
  fence: bigint
}

/**
 * Every price the oracle accepted, in commit order (`id`): each node replays
 * this log into its own copy of the readings, so all nodes see the same prices.
 */
export interface OraclePricesTable {
  id: Generated<bigint>
  environment: string
  pair: string
  source: string
  /** An exact ratio, `num/den`. */
  price: string
  /** The price's own timestamp (environment clock, ms). */
  at: bigint
  /** When the oracle accepted it (environment clock, ms): aggregation and the mid history run at this time. */
  received_at: bigint
}

/** The risk engine's memory of one environment, beside its corridors' rows in risk_states. */
export interface RiskEnvironmentsTable {
  environment: string
  /** 1 once the oracle has priced every pair. */
  warm: bigint
  /** The last SPEC §6.3 recovery evaluation (environment clock, ms). */
  last_recovery_at: bigint
  /** Grows on every change of the environment's states: nodes reload their copy when it moves. */
  version: bigint
}

/** SPEC §4 L8: a failed arbitrage check holds its corridor in RESTRICT until the next recovery. */
export interface RiskHoldsTable {
  environment: string
  corridor: string
  reason: string
  at: bigint
}

/** The sandbox chain's transfers: one per reference, whatever node sends it how often. */
export interface ChainTransfersTable {
  environment: string
  reference: string
  asset: string
  to_address: string
  amount: string
  /** JSON: the chain result (`{ok, txHash}` or `{ok, reason}`). */
  outcome: string
  /** How many times it was sent: more than one means a resend the reference deduplicated. */
  sends: bigint
  created_at: bigint
}

/** A token bucket shared by every node (SPEC §3 rate limits), on database time. */
export interface RateLimitBucketsTable {
  key: string
  tokens: number
  at: bigint
}

/** SPEC §9 wallet whitelist; an address is usable 24 h after `added_at` (cooling). */
export interface WalletsTable {
  partner_id: string
  address: string
  label: string
  /** When it was added, on the live clock and on the sandbox test clock. */
  added_at: bigint
  sandbox_added_at: bigint
  removed_at: bigint | null
}

/** SPEC §7.2: one row per kToken variant: its liquidity index (27-decimal fixed point) and outstanding shares. */
export interface KTokenVariantsTable {
  environment: string
  asset: string
  variant: string
  index_ray: string
  total_shares: string
  updated_at: bigint
}

/** The last index of each UTC day, for the annualised growth figures. */
export interface KTokenIndexDaysTable {
  environment: string
  asset: string
  variant: string
  day: string
  index_ray: string
}

export interface LpHoldingsTable {
  environment: string
  partner_id: string
  asset: string
  variant: string
  shares: string
  /** Principal paid in and taken out, smallest units, for `earned`. */
  deposited: string
  withdrawn: string
  updated_at: bigint
}

export interface LpDepositsTable {
  id: Generated<bigint>
  deposit_id: string
  environment: string
  partner_id: string
  asset: string
  variant: string
  from_address: string
  tx_hash: string
  /** Where the money came from: the partner's prefunded balance (sandbox) or the chain (live). */
  source: string
  amount: string
  /** Shares minted so far (pending parts mint when they enter a pool). */
  shares: string
  pending: string
  /** JSON: how the deposit was split (SPEC §7.1). */
  routing: string
  locked_until: bigint
  created_at: bigint
}

/** SPEC §7.1 FIFO pending queue: deposit parts waiting for room in a pool. */
export interface LpPendingTable {
  id: Generated<bigint>
  deposit_id: string
  environment: string
  asset: string
  pool: string
  amount: string
  created_at: bigint
  filled_at: bigint | null
}

/** SPEC §7.5 withdrawal queue, FIFO by id. */
export interface LpWithdrawalsTable {
  id: Generated<bigint>
  withdrawal_id: string
  environment: string
  partner_id: string
  asset: string
  variant: string
  tier: string
  amount: string
  shares: string
  paid: string
  to_address: string
  status: string
  reason: string | null
  requested_at: bigint
  completed_at: bigint | null
  /** Of the escrowed `shares`, those burned so far (SPEC §15: burned at the index of each payment). */
  shares_paid: string | null
}

export interface LpWithdrawalTranchesTable {
  withdrawal_id: string
  n: bigint
  due_at: bigint
  amount: string
  pool: string | null
  tx_hash: string | null
  paid_at: bigint | null
  /** The escrowed shares this tranche burns; `amount` is their value when paid (its estimate until then). */
  shares: string | null
}

export interface RiskStatesTable {
  environment: string
  corridor: string
  state: string
  /** JSON: reasons, allowed directions, the computed state under any override. */
  detail: string
  since_at: bigint
  updated_at: bigint
}

export interface RiskTransitionsTable {
  id: Generated<bigint>
  environment: string
  corridor: string
  previous_state: string
  state: string
  /** JSON array of reasons. */
  reasons: string
  /** What ran the evaluation: price, execution, timer, operator, override, arbitrage. */
  trigger: string
  at: bigint
}

export interface RiskOverridesTable {
  id: Generated<bigint>
  environment: string
  corridor: string
  state: string
  reason: string
  actor: string
  expires_at: bigint
  created_at: bigint
}

/**
 * The position swaps leave in a corridor ("the bag", SPEC §8) until a
 * rebalance settles it: signed units of each currency the pools took in (+)
 * or paid out (−).
 */
export interface CorridorPositionsTable {
  environment: string
  corridor: string
  base_units: string
  quote_units: string
  /** When the position last moved away from flat. */
  opened_at: bigint | null
  updated_at: bigint
}

/**
 * 0012_ramp_up: a live partner's SPEC §9 production ramp-up, where it differs
 * from the defaults (go-live at creation, the schedule, not paused); no row
 * means the defaults (src/partners/ramp-up.ts).
 */
export interface PartnerRampUpTable {
  partner_id: string
  /** Null: the partner's creation. */
  go_live_at: bigint | null
  /** The step index (0–3) the admin advanced to. */
  advanced_step: bigint
  /** Decimal text, 0 < pct ≤ 100; null follows the schedule. */
  override_pct: string | null
  paused_at: bigint | null
  paused_reason: string | null
  resumed_at: bigint | null
  updated_at: bigint
}

/** Executed volume per partner, corridor and UTC day (on the environment's clock), kept with each execution. */
export interface PartnerVolumeTable {
  partner_id: string
  environment: string
  corridor: string
  /** YYYY-MM-DD */
  day: string
  usd_micros: bigint
}

export interface QuotesTable {
  id: string
  environment: string
  partner_id: string
  corridor: string
  side: string
  /**
   * OPEN until executed (EXECUTED); expiry is read from expires_at. The quote-expiry sweeper marks an
   * expired, unexecuted quote EXPIRED when it announces `quote.expired` (src/events/quote-expiry.ts).
   */
  status: string
  source_amount: string
  /** The quote's size in millionths of a USD, for volume limits and exposure. */
  usd_micros: bigint
  /** JSON: everything execution needs (rate, fees, assets) and the response shown to the partner. */
  terms: string
  client_ref: string | null
  created_at: bigint
  expires_at: bigint
}

export interface ExecutionsTable {
  /** Insertion order, for stable cursors. */
  id: Generated<bigint>
  execution_id: string
  environment: string
  partner_id: string
  quote_id: string
  corridor: string
  side: string
  status: string
  source_amount: string
  destination_amount: string
  platform_fee: string
  usd_micros: bigint
  destination_address: string
  tx_hash: string | null
  entry_id: bigint | null
  failure_reason: string | null
  /** JSON: the rest of the execution view (rate, assets, path, state flag). */
  details: string
  client_ref: string | null
  created_at: bigint
  settled_at: bigint | null
  /** The node settling it and until when (database time, ms); recovery takes over after. */
  claim_node: string | null
  claim_until: bigint | null
}

export interface IdempotencyKeysTable {
  partner_id: string
  environment: string
  key: string
  request_hash: string
  status: string
  response_status: bigint | null
  response_body: string | null
  created_at: bigint
  expires_at: bigint
  /** The node serving the request that holds the key, and until when (database time, ms) it may. */
  holder: string | null
  lease_until: bigint | null
  /** A token of the request holding the key: only that request may record or complete it. */
  claim: string | null
  /** What the request committed (`execution:<id>`), recorded in the same transaction. */
  resource: string | null
}

export interface EventsTable {
  id: Generated<bigint>
  event_id: string
  environment: string
  partner_id: string | null
  type: string
  /** JSON: the event's `data` (SPEC §10 envelope `{id, event, timestamp, environment, data}`). */
  data: string
  created_at: bigint
  /** PostgreSQL: the writing transaction's id (commit order for readers); 0 on SQLite (since 0011). */
  commit_xid: bigint | null
  /** Issue 12 (0018): `partner` (the feed, streams, webhooks) or `operator` (GET /admin/v1/events only). */
  audience: Generated<string>
}

/** `partner.limit_warning` thresholds already announced, one row per (limit, scope, period, threshold). */
export interface LimitWarningsTable {
  partner_id: string
  environment: string
  /** DAILY_CORRIDOR or MONTHLY. */
  limit_kind: string
  /** The corridor of a daily limit; `*` for the monthly one. */
  scope: string
  /** YYYY-MM-DD (daily) or YYYY-MM (monthly), UTC on the environment's clock. */
  period: string
  threshold_pct: bigint
  event_id: string
  created_at: bigint
}

export interface PartnersTable {
  id: string
  name: string
  type: string
  status: string
  /** JSON: the admin config store (SPEC §9). */
  config: string
  created_at: bigint
  updated_at: bigint
}

export interface ApiKeysTable {
  id: string
  partner_id: string
  environment: string
  /** SHA-256 of the key, hex. The key itself is never stored. */
  key_hash: string
  key_prefix: string
  status: string
  created_at: bigint
  revoked_at: bigint | null
  /** 0009_credentials: null for sandbox keys, which never expire (SPEC §9). */
  expires_at: bigint | null
  /** When a rotation issued this key's successor; it works until expires_at (the overlap end). */
  replaced_at: bigint | null
  /** 14 or 3 once that partner.credential_expiring warning was emitted. */
  expiry_warned_days: number | null
}

export interface WebhookSecretsTable {
  id: string
  partner_id: string
  /** Plaintext only in rows written before 0009_credentials and not yet sealed; '' otherwise. */
  secret: string
  created_at: bigint
  retired_at: bigint | null
  /** 0009_credentials: the secret sealed with AES-256-GCM (src/partners/secret-box.ts). */
  secret_sealed: string | null
}

export interface AuditLogTable {
  id: Generated<bigint>
  actor: string
  action: string
  target_type: string
  target_id: string
  before: string | null
  after: string | null
  at: bigint
}

export interface LedgerAccountsTable {
  id: string
  environment: string
  asset: string
  owner: string
  purpose: string
  /** `internal` accounts never go negative; `world` accounts stand for the outside. */
  kind: string
  balance: string
  created_at: bigint
}

export interface JournalEntriesTable {
  id: Generated<bigint>
  environment: string
  kind: string
  reference: string
  reverses_entry_id: bigint | null
  memo: string | null
  created_at: bigint
}

export interface PostingsTable {
  id: Generated<bigint>
  entry_id: bigint
  account_id: string
  /** Signed: positive credits the account, negative debits it. */
  amount: string
}

/** Issue 11: an issuer's latest Proof of Reserve reading in one environment (src/issuers/). */
export interface IssuerReservesTable {
  partner_id: string
  environment: string
  asset: string
  /** Decimal text as the issuer published it; null until a good reading arrived. */
  reserves: string | null
  circulating_supply: string | null
  as_of: bigint | null
  read_at: bigint | null
  polled_at: bigint
  first_polled_at: bigint
  error: string | null
}

/** Issue 11: a mint or redeem request sent to an issuer (src/issuers/). */
export interface IssuerRequestsTable {
  id: string
  kind: string
  environment: string
  partner_id: string
  asset: string
  /** Minor units, decimal text. */
  amount: string
  pay_asset: string
  pay_amount: string
  destination: string
  purpose: string
  status: string
  issuer_ref: string | null
  tx_hash: string | null
  entry_id: bigint | null
  error: string | null
  created_at: bigint
  updated_at: bigint
}
