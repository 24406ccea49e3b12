/**
 * Generated from stablefx's /openapi.json by sdk/scripts/generate.ts
 * (openapi-typescript). Do not edit: run `node sdk/scripts/generate.ts`.
 */

export interface paths {
    "/admin/v1/audit": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The audit log, newest first */
        get: operations["getAdminAudit"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/cluster": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The live nodes, and the node holding each worker lease */
        get: operations["getAdminCluster"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/dashboard/batches": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Dashboard: the latest rebalancing batches, realised PnL, and the latest buy-backs */
        get: operations["dashboardBatches"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/dashboard/clock": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Dashboard: the sandbox test clock and the live clock */
        get: operations["dashboardClock"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/dashboard/corridors": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Dashboard: each corridor’s state with its reasons, the risk status, the last 24 h as a timeline, and the latest state changes */
        get: operations["dashboardCorridors"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/dashboard/flows": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Dashboard: executions and settled volume (USD) per time bucket and corridor over a window of the environment’s clock */
        get: operations["dashboardFlows"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/dashboard/liquidity": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Dashboard: per asset Reserve and Yield, LP TVL by class, kToken indexes (as GET /v1/lp/pools) */
        get: operations["dashboardLiquidity"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/dashboard/pools": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Dashboard: the twelve pools with balance, target, min and health (as GET /admin/v1/pools) */
        get: operations["dashboardPools"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/dashboard/webhooks": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Dashboard: webhook endpoints, delivery queue, attempts by outcome over 24 h, and the latest attempts */
        get: operations["dashboardWebhooks"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * Operator events (e.g. yield venue settlements), oldest first, in commit order
         * @description Events no partner receives. Page with `after` = the previous `next_cursor`; `type` filters by event type, repeated or comma-separated.
         */
        get: operations["getAdminEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/oracle": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The SPEC §6.2 oracle reading of every pair, per environment */
        get: operations["getAdminOracle"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/oracle/prices": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Submit one source’s price for a pair (both environments unless one is named) */
        post: operations["postAdminOraclePrices"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/partners": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every partner with its configuration */
        get: operations["getAdminPartners"];
        put?: never;
        /** Provision a partner; the response is the only time its secrets are shown */
        post: operations["postAdminPartners"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/partners/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One partner with its configuration */
        get: operations["getAdminPartnersById"];
        put?: never;
        post?: never;
        /** Offboard: revoke every key, retire the webhook secrets, status OFFBOARDED; records kept (audited, idempotent) */
        delete: operations["deleteAdminPartnersById"];
        options?: never;
        head?: never;
        /** Change a partner’s configuration (audited) */
        patch: operations["patchAdminPartnersById"];
        trace?: never;
    };
    "/admin/v1/partners/{id}/api-keys": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A partner’s API keys: prefix and status, never the key */
        get: operations["getAdminPartnersByIdApiKeys"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/partners/{id}/api-keys/{key_id}/revoke": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Revoke a key at once (every node within 2 s); revoking a revoked key changes nothing (audited) */
        post: operations["postAdminPartnersByIdApiKeysByKeyIdRevoke"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/partners/{id}/api-keys/rotate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Issue a new API key (shown once); the current one works until the overlap ends (audited) */
        post: operations["postAdminPartnersByIdApiKeysRotate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/partners/{id}/ramp-up": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A partner’s production ramp-up (live limits, SPEC §9) and its error rate */
        get: operations["getAdminPartnersByIdRampUp"];
        put?: never;
        /** Advance, override, pause, resume, or set the go-live of a partner’s ramp-up (audited) */
        post: operations["postAdminPartnersByIdRampUp"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/partners/{id}/wallets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Whitelist a wallet (usable after 24 h of cooling; audited) */
        post: operations["postAdminPartnersByIdWallets"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/partners/{id}/wallets/{address}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        post?: never;
        /** Remove a wallet from the whitelist (audited) */
        delete: operations["deleteAdminPartnersByIdWalletsByAddress"];
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/partners/{id}/webhook": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A partner’s webhook endpoint */
        get: operations["getAdminPartnersByIdWebhook"];
        /** Set a partner’s webhook endpoint (audited) */
        put: operations["putAdminPartnersByIdWebhook"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/partners/{id}/webhook-secret/rotate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Issue a new webhook secret (shown once); both sign until the overlap ends (audited) */
        post: operations["postAdminPartnersByIdWebhookSecretRotate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/partners/{id}/webhook/dead-letters/redeliver": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Deliver a partner’s dead-lettered events again */
        post: operations["postAdminPartnersByIdWebhookDeadLettersRedeliver"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/partners/{id}/webhook/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A partner’s webhook deliveries, newest first */
        get: operations["getAdminPartnersByIdWebhookDeliveries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/partners/{id}/webhook/deliveries/{event_id}/redeliver": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Deliver one event to a partner again */
        post: operations["postAdminPartnersByIdWebhookDeliveriesByEventIdRedeliver"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/payments/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A payment and its message history; Travel Rule data redacted */
        get: operations["getAdminPaymentsById"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/pools": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The twelve pools of one environment: balance, target, min and health (SPEC §2.2) */
        get: operations["getAdminPools"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/sandbox/clock": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The sandbox test clock: its time and its offset from the wall clock */
        get: operations["getAdminSandboxClock"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/sandbox/clock/advance": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Move the sandbox clock forward (expiries, cooling, locks, recovery timers follow it) */
        post: operations["postAdminSandboxClockAdvance"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/yield/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Manual correction only (audited): a yield profit (positive) or loss (negative) on an asset’s -full kToken; venue interest arrives from the daily reports */
        post: operations["postAdminYieldEvents"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/yield/venue": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The yield venue per entity: token health, balances booked vs reported, last report, reconciliation, pending bookings, outstanding settlements */
        get: operations["getAdminYieldVenue"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/yield/venue/run": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Run the venue work now: send due bookings, ingest every closed day’s report, pay settlements due */
        post: operations["postAdminYieldVenueRun"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/admin/v1/yield/venue/splits/{asset}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        /** Which venue product(s) an asset’s class B Yield capital is booked in, and the split between entities (audited) */
        put: operations["putAdminYieldVenueSplitsByAsset"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/health": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Liveness: answers without I/O */
        get: operations["getHealth"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ops/v1/evm/deposits": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** On-chain deposits the watcher recorded, newest first: PREFUNDING, LP_DEPOSIT, or SUSPENSE with the reason */
        get: operations["getOpsEvmDeposits"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ops/v1/evm/reconciliation": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** kToken balances and indexes on chain against the ledger, with every difference */
        get: operations["getOpsEvmReconciliation"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/rates": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Exchange rates for Interledger (Rafiki) nodes (SPEC §12.1) */
        get: operations["getRates"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/ready": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Readiness: the database answers */
        get: operations["getReady"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/balances": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The partner’s prefunded balances per asset */
        get: operations["getBalances"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/beneficiaries/validate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Validate a beneficiary (IBAN, BIC, local account and wallet formats): 200 {valid, errors} */
        post: operations["postBeneficiariesValidate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/deposit-address": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Where to send on-chain deposits: prefunding, or (LP partners) liquidity, credited from a whitelisted wallet after the confirmations */
        get: operations["getDepositAddress"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/events": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The partner’s events and its environment’s broadcasts, oldest first, in commit order
         * @description Page with `after` = the previous `next_cursor`. An empty page means nothing newer has committed yet: poll again with the same cursor. `type` filters by event type, repeated or comma-separated.
         */
        get: operations["listEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/events/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One event: the partner’s own, or a broadcast of its environment (404 otherwise) */
        get: operations["getEvent"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/events/stream": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Every event of the partner and every broadcast, as Server-Sent Events (id = feed cursor, event = type, data = envelope); resumable with Last-Event-ID; headers at once; heartbeat every 15 s; at most STABLEFX_SSE_MAX_PER_PARTNER (default 5) per partner per node */
        get: operations["streamEvents"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/execute": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Execute a firm quote: debit the prefunded source, send the destination on chain */
        post: operations["postExecute"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/executions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /**
         * The partner’s own executions, newest first
         * @description Filters (all optional, combined): `status`; `client_ref` (exact); `from` (inclusive) and `to` (exclusive), ISO 8601 times of the execution’s creation.
         */
        get: operations["getExecutions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/executions/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** One of the partner’s executions, with its current status */
        get: operations["getExecutionsById"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/firm-quote": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Firm quote, executable until expiry_timestamp (45 s) */
        post: operations["postFirmQuote"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/issuer/mints/{id}/complete": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** An issuer reports a mint done: the Reserve books it */
        post: operations["postIssuerMintsByIdComplete"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/issuer/redeems/{id}/complete": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** An issuer reports a redeem done: the Reserve books it */
        post: operations["postIssuerRedeemsByIdComplete"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/lp/deposits": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Deposit from a whitelisted, cooled wallet (sandbox: the simulated chain takes it from the faucet balance) */
        post: operations["postLpDeposits"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/lp/pools": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Per asset: Reserve and Yield, TVL by class, index and annualised growth */
        get: operations["getLpPools"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/lp/positions": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Per kToken variant: shares, balance, deposited, earned, locks, queues */
        get: operations["getLpPositions"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/lp/withdrawals": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The partner’s withdrawals with status and queue position */
        get: operations["getLpWithdrawals"];
        put?: never;
        /** Burn kTokens and queue a withdrawal to a whitelisted wallet (SPEC §7.5 tiers and queue); the worker pays it */
        post: operations["postLpWithdrawals"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/payments": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Attach a payment instruction to an execution: validated, stored, relayed to the off-ramp partner */
        post: operations["postPayments"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/payments/{id}": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** A payment and its message history, for its two partners (anyone else: 404) */
        get: operations["getPaymentsById"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/payments/{id}/status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** The off-ramp partner reports a status (pacs.002: ACCP, ACSP, ACSC, RJCT with a reason code) */
        post: operations["postPaymentsByIdStatus"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/quote": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Indicative quote: no reservation, no expiry (SPEC §3) */
        get: operations["getQuote"];
        put?: never;
        /** Firm quote, executable until expiry_timestamp (45 s) */
        post: operations["postQuote"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/reserve/batches": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Rebalancing batches with their fills, WAOP and PnL (SPEC §8, §13) */
        get: operations["getReserveBatches"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/reserve/closes": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Phase 2 buy-backs of batches, newest first, with R_executed and realised PnL (SPEC §8) */
        get: operations["listBuybacks"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/reserve/emergency-rfq": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * Buy back a corridor’s bag through the RFQ counterparties now (SPEC §6.2, §13; audited)
         * @description `amount` is the USD worth of the bag to buy back at the oracle mid (oldest batches first); the whole bag when absent. 200 with the filled buy-back; 409 CONFLICT when the corridor has no open batch; 422 NO_VIABLE_RFQ_QUOTE when no counterparty filled it (the attempt is recorded and shows in `risk-status.last_emergency_rfq`).
         */
        post: operations["emergencyRfq"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/reserve/escalations": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Reserve deficit escalations with each step’s outcome and timing (SPEC §8) */
        get: operations["listEscalations"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/reserve/issuer-mint": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Ask the asset’s issuer to mint into the protocol Reserve */
        post: operations["postReserveIssuerMint"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/reserve/issuer-redeem": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Ask the asset’s issuer to redeem from the protocol Reserve */
        post: operations["postReserveIssuerRedeem"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/reserve/issuer-requests": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The latest mint and redeem requests sent to issuers, newest first (at most 50) */
        get: operations["getReserveIssuerRequests"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/reserve/risk-status": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Reserve risk status per corridor: the bag, its value, VaR, concentration (SPEC §13) */
        get: operations["getReserveRiskStatus"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/reserve/state-override": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Set a corridor’s state until expires_at (audited). Tightens at any time; a looser state lasts only until it expires */
        post: operations["postReserveStateOverride"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/risk/evaluate": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Run the SPEC §6.3 recovery evaluation now */
        post: operations["postRiskEvaluate"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/sandbox/faucet": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Sandbox only: credit test funds to the partner’s prefunded balance */
        post: operations["postSandboxFaucet"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/system/state": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** System and corridor states (SPEC §3, §6) */
        get: operations["getSystemState"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/system/state/stream": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** State changes as Server-Sent Events; resumable with Last-Event-ID; heartbeat every 15 s; at most STABLEFX_SSE_MAX_PER_PARTNER (default 5) per partner per node */
        get: operations["getSystemStateStream"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/wallets": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The partner’s whitelisted wallets and when each becomes usable */
        get: operations["getWallets"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhook": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The partner’s webhook endpoint in this environment, and whether it is verified */
        get: operations["getWebhook"];
        /** Set the webhook endpoint of this environment; it is verified before any event is sent */
        put: operations["putWebhook"];
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhook/dead-letters/redeliver": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Send every dead-lettered event again, in order */
        post: operations["postWebhookDeadLettersRedeliver"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhook/deliveries": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** The delivery log, one item per attempt, newest first */
        get: operations["getWebhookDeliveries"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    "/v1/webhook/deliveries/{event_id}/redeliver": {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Send an event again (at the back of the queue, same id and body) */
        post: operations["postWebhookDeliveriesByEventIdRedeliver"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export interface webhooks {
    issuerMint: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Mint request to an issuer (POST to its mint_url) */
        post: operations["issuerMint"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    issuerProofOfReserve: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        /** Proof of Reserve reading (GET its por_url, every por_interval_s) */
        get: operations["issuerProofOfReserve"];
        put?: never;
        post?: never;
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    issuerRedeem: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /** Redemption request to an issuer (POST to its redeem_url) */
        post: operations["issuerRedeem"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    partnerEvent: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * An event delivered to the partner’s webhook URL (PUT /v1/webhook)
         * @description Verify the Standard Webhooks signature with your webhook secret, answer 2xx within 5 s; anything else is retried with backoff, then dead-lettered. The verification is a `webhook.verification` whose `data.challenge` you echo.
         */
        post: operations["partnerEvent"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
    rfqRequest: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        get?: never;
        put?: never;
        /**
         * RFQ to a market maker (POST to its rfq_url)
         * @description stablefx asks every eligible RFQ_COUNTERPARTY at once and takes the best answer within 50 bps of the oracle mid that arrives before respond_by and that the counterparty’s prefunded balance can fill. A fill is one journal entry between prefunded balances, announced by the signed `rfq.filled` event.
         */
        post: operations["counterpartyRfq"];
        delete?: never;
        options?: never;
        head?: never;
        patch?: never;
        trace?: never;
    };
}
export interface components {
    schemas: never;
    responses: never;
    parameters: never;
    requestBodies: never;
    headers: never;
    pathItems: never;
}
export type $defs = Record<string, never>;
export interface operations {
    getAdminAudit: {
        parameters: {
            query?: {
                action?: string;
                cursor?: string;
                limit?: string;
                target_id?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            action: string;
                            actor: string;
                            after: unknown;
                            at: string;
                            before: unknown;
                            id: string;
                            target_id: string;
                            target_type: string;
                        }[];
                        next_cursor: string | null;
                    };
                };
            };
        };
    };
    getAdminCluster: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        leases: {
                            expires_in_ms: number;
                            fence: number;
                            holder: string;
                            name: string;
                        }[];
                        listening: boolean;
                        node_id: string;
                        nodes: {
                            heartbeat_age_ms: number;
                            host: string;
                            id: string;
                            pid: number;
                            started_at: string;
                        }[];
                    };
                };
            };
        };
    };
    dashboardBatches: {
        parameters: {
            query?: {
                environment?: "sandbox" | "live";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success: the JSON body the route’s summary describes */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
        };
    };
    dashboardClock: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success: the JSON body the route’s summary describes */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
        };
    };
    dashboardCorridors: {
        parameters: {
            query?: {
                environment?: "sandbox" | "live";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success: the JSON body the route’s summary describes */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
        };
    };
    dashboardFlows: {
        parameters: {
            query?: {
                environment?: "sandbox" | "live";
                window?: "1h" | "24h" | "7d";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success: the JSON body the route’s summary describes */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
        };
    };
    dashboardLiquidity: {
        parameters: {
            query?: {
                environment?: "sandbox" | "live";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success: the JSON body the route’s summary describes */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
        };
    };
    dashboardPools: {
        parameters: {
            query?: {
                environment?: "sandbox" | "live";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success: the JSON body the route’s summary describes */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
        };
    };
    dashboardWebhooks: {
        parameters: {
            query?: {
                environment?: "sandbox" | "live";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success: the JSON body the route’s summary describes */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
        };
    };
    getAdminEvents: {
        parameters: {
            query?: {
                /** @description a next_cursor this API issued */
                after?: string;
                environment?: "sandbox" | "live";
                limit?: string;
                type?: string | string[];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: ({
                            /** @description the execution, as GET /v1/executions/{id} answers, status SETTLED */
                            data: {
                                client_ref: string | null;
                                created_at: string;
                                destination_address: string;
                                destination_amount: string;
                                destination_asset: string;
                                execution_id: string;
                                execution_path: string;
                                failure_reason: string | null;
                                filled_rate: string;
                                pair: string;
                                platform_fee: string;
                                platform_fee_currency: string;
                                quote_id: string;
                                settled_at: string | null;
                                side: string;
                                source_amount: string;
                                source_asset: string;
                                state_flag: string;
                                status: string;
                                tx_hash: string | null;
                            } & {
                                [key: string]: unknown;
                            };
                            environment: "sandbox" | "live";
                            /** @enum {string} */
                            event: "execution.settled";
                            /** @description the event id (UUID); also the webhook-id of its deliveries */
                            id: string;
                            timestamp: string;
                        } | {
                            /** @description the execution, status FAILED, and the reason */
                            data: {
                                client_ref: string | null;
                                created_at: string;
                                destination_address: string;
                                destination_amount: string;
                                destination_asset: string;
                                execution_id: string;
                                execution_path: string;
                                failure_reason: string | null;
                                filled_rate: string;
                                pair: string;
                                platform_fee: string;
                                platform_fee_currency: string;
                                quote_id: string;
                                /** @description e.g. ON_CHAIN_REVERT */
                                reason: string;
                                settled_at: string | null;
                                side: string;
                                source_amount: string;
                                source_asset: string;
                                state_flag: string;
                                status: string;
                                tx_hash: string | null;
                            } & {
                                [key: string]: unknown;
                            };
                            environment: "sandbox" | "live";
                            /** @enum {string} */
                            event: "execution.failed";
                            /** @description the event id (UUID); also the webhook-id of its deliveries */
                            id: string;
                            timestamp: string;
                        } | {
                            /** @description what the reversal gave back */
                            data: {
                                destination_asset: string;
                                execution_id: string;
                                pair: string;
                                quote_id: string;
                                reason: string;
                                returned_amount: string;
                                /** @description the source asset credited back */
                                returned_asset: string;
                                /** @description the reversing journal entry */
                                reversal_entry_id: string;
                                rolled_back_at: string;
                                side: string;
                                /** @description the net destination amount that was not sent */
                                unsent_amount: string;
                            } & {
                                [key: string]: unknown;
                            };
                            environment: "sandbox" | "live";
                            /** @enum {string} */
                            event: "execution.rolled_back";
                            /** @description the event id (UUID); also the webhook-id of its deliveries */
                            id: string;
                            timestamp: string;
                        } | {
                            /** @description the quote as it was issued */
                            data: {
                                amount: string;
                                client_ref: string | null;
                                destination_amount: string;
                                destination_asset: string;
                                expiry_timestamp: string;
                                pair: string;
                                quote_id: string;
                                side: string;
                                source_asset: string;
                            } & {
                                [key: string]: unknown;
                            };
                            environment: "sandbox" | "live";
                            /** @enum {string} */
                            event: "quote.expired";
                            /** @description the event id (UUID); also the webhook-id of its deliveries */
                            id: string;
                            timestamp: string;
                        } | {
                            /** @description SPEC §10 fields */
                            data: {
                                corridor: string;
                                previous_state: string;
                                /** @description the reasons, joined by "; " */
                                reason: string;
                                state: string;
                            } & {
                                [key: string]: unknown;
                            };
                            environment: "sandbox" | "live";
                            /** @enum {string} */
                            event: "system.state_change";
                            /** @description the event id (UUID); also the webhook-id of its deliveries */
                            id: string;
                            timestamp: string;
                        } | {
                            /** @description the deposit, as POST /v1/lp/deposits answers */
                            data: {
                                amount: string;
                                asset: string;
                                deposit_id: string;
                                status: string;
                                tx_hash: string | null;
                            } & {
                                [key: string]: unknown;
                            };
                            environment: "sandbox" | "live";
                            /** @enum {string} */
                            event: "deposit.confirmed";
                            /** @description the event id (UUID); also the webhook-id of its deliveries */
                            id: string;
                            timestamp: string;
                        } | {
                            /** @description the withdrawal, as GET /v1/lp/withdrawals/{id} answers */
                            data: {
                                status: string;
                                withdrawal_id: string;
                            } & {
                                [key: string]: unknown;
                            };
                            environment: "sandbox" | "live";
                            /** @enum {string} */
                            event: "withdrawal.queued";
                            /** @description the event id (UUID); also the webhook-id of its deliveries */
                            id: string;
                            timestamp: string;
                        } | {
                            /** @description the withdrawal, as GET /v1/lp/withdrawals/{id} answers */
                            data: {
                                status: string;
                                withdrawal_id: string;
                            } & {
                                [key: string]: unknown;
                            };
                            environment: "sandbox" | "live";
                            /** @enum {string} */
                            event: "withdrawal.completed";
                            /** @description the event id (UUID); also the webhook-id of its deliveries */
                            id: string;
                            timestamp: string;
                        } | {
                            data: ({
                                /** @description the net destination amount */
                                amount: string;
                                /** @description the destination asset sent */
                                asset: string;
                                confirmed_at: string;
                                destination_address: string;
                                execution_id: string;
                                quote_id: string;
                                tx_hash: string;
                            } & {
                                [key: string]: unknown;
                            }) | ({
                                /** @description in smallest units of the asset, rounded down from amount_wad */
                                amount: string;
                                /** @description exact, 18 decimals as an integer */
                                amount_wad: string;
                                asset: string;
                                /** @description TO_VENUE: stablefx pays what it owes; FROM_VENUE: the venue pays stablefx */
                                direction: "TO_VENUE" | "FROM_VENUE";
                                /** @description the legal entity */
                                entity: "lending" | "defi";
                                settlement_id: string;
                                /** @enum {string} */
                                source: "yield_venue";
                                tx_hash: string | null;
                            } & {
                                [key: string]: unknown;
                            });
                            environment: "sandbox" | "live";
                            /** @enum {string} */
                            event: "settlement.confirmed";
                            /** @description the event id (UUID); also the webhook-id of its deliveries */
                            id: string;
                            timestamp: string;
                        } | {
                            data: ({
                                /** @description the net destination amount */
                                amount: string;
                                /** @description the destination asset sent */
                                asset: string;
                                destination_address: string;
                                execution_id: string;
                                failed_at: string;
                                quote_id: string;
                                /** @description e.g. ON_CHAIN_REVERT */
                                reason: string;
                            } & {
                                [key: string]: unknown;
                            }) | ({
                                /** @description in smallest units of the asset, rounded down from amount_wad */
                                amount: string;
                                /** @description exact, 18 decimals as an integer */
                                amount_wad: string;
                                asset: string;
                                /** @description TO_VENUE: stablefx pays what it owes; FROM_VENUE: the venue pays stablefx */
                                direction: "TO_VENUE" | "FROM_VENUE";
                                /** @description the legal entity */
                                entity: "lending" | "defi";
                                reason: string;
                                settlement_id: string;
                                /** @enum {string} */
                                source: "yield_venue";
                                tx_hash: string | null;
                            } & {
                                [key: string]: unknown;
                            });
                            environment: "sandbox" | "live";
                            /** @enum {string} */
                            event: "settlement.failed";
                            /** @description the event id (UUID); also the webhook-id of its deliveries */
                            id: string;
                            timestamp: string;
                        } | {
                            /** @description the movement, its legs (`moved`) and the batches it netted or filled */
                            data: {
                                amount_usd: string;
                                corridor: string;
                                direction: string;
                                rate: string;
                                rebalance_id: string;
                                trigger: string;
                            } & {
                                [key: string]: unknown;
                            };
                            environment: "sandbox" | "live";
                            /** @enum {string} */
                            event: "rebalance.executed";
                            /** @description the event id (UUID); also the webhook-id of its deliveries */
                            id: string;
                            timestamp: string;
                        } | {
                            /** @description which limit, which threshold */
                            data: {
                                /** @description the corridor of a daily limit; null for the monthly one */
                                corridor: string | null;
                                limit: "DAILY_CORRIDOR" | "MONTHLY";
                                limit_usd: string;
                                /** @description YYYY-MM-DD or YYYY-MM */
                                period: string;
                                threshold_pct: 80 | 100;
                                /** @description executed volume in the period, at the booking that crossed the threshold */
                                used_usd: string;
                            } & {
                                [key: string]: unknown;
                            };
                            environment: "sandbox" | "live";
                            /** @enum {string} */
                            event: "partner.limit_warning";
                            /** @description the event id (UUID); also the webhook-id of its deliveries */
                            id: string;
                            timestamp: string;
                        } | {
                            /** @description which key, and when it expires */
                            data: {
                                days_before: number;
                                environment: string;
                                expires_at: string;
                                key_id: string;
                                partner_id: string;
                                prefix: string;
                            } & {
                                [key: string]: unknown;
                            };
                            environment: "sandbox" | "live";
                            /** @enum {string} */
                            event: "partner.credential_expiring";
                            /** @description the event id (UUID); also the webhook-id of its deliveries */
                            id: string;
                            timestamp: string;
                        } | {
                            /** @description which quote was filled, and the amounts booked on the prefunded balances */
                            data: {
                                execution_id: string;
                                /** @description what the counterparty paid (the taker’s destination asset) */
                                paid: string;
                                paid_asset: string;
                                pair: string;
                                parent_order_id: string | null;
                                /** @description the counterparty's own quote id, from its answer */
                                quote_id: string;
                                /** @description QUOTE per BASE, as the counterparty answered */
                                rate: string;
                                /** @description what the counterparty received (the taker’s source asset) */
                                received: string;
                                received_asset: string;
                                rfq_id: string;
                                /** @description SPEC §1, from the taker’s view */
                                side: string;
                                tranche_id: string | null;
                            } & {
                                [key: string]: unknown;
                            };
                            environment: "sandbox" | "live";
                            /** @enum {string} */
                            event: "rfq.filled";
                            /** @description the event id (UUID); also the webhook-id of its deliveries */
                            id: string;
                            timestamp: string;
                        } | {
                            /** @description the instruction; the Travel Rule data itself is never in an event */
                            data: {
                                /** @description the camt.054-like deposit_confirmation when the execution settled; null while it is PENDING */
                                deposit_confirmation: {
                                    [key: string]: unknown;
                                } | null;
                                execution_id: string;
                                /** @description the pacs.008-like payment_instruction message */
                                instruction: {
                                    [key: string]: unknown;
                                };
                                payment_id: string;
                                /** @description IVMS101 data is attached: read it from GET /v1/payments/{id} */
                                travel_rule_included: boolean;
                                /** @description UUID v4, the payment’s end-to-end reference */
                                uetr: string;
                            } & {
                                [key: string]: unknown;
                            };
                            environment: "sandbox" | "live";
                            /** @enum {string} */
                            event: "payment.instruction";
                            /** @description the event id (UUID); also the webhook-id of its deliveries */
                            id: string;
                            timestamp: string;
                        } | {
                            /** @description the status report */
                            data: {
                                execution_id: string;
                                /** @description the pacs.002-like payment_status message */
                                message: {
                                    [key: string]: unknown;
                                };
                                payment_id: string;
                                /** @description ISO 20022 status reason code, e.g. AC01 */
                                reason: string | null;
                                /** @description ACCP, ACSP, ACSC or RJCT */
                                status: string;
                                uetr: string;
                            } & {
                                [key: string]: unknown;
                            };
                            environment: "sandbox" | "live";
                            /** @enum {string} */
                            event: "payment.status";
                            /** @description the event id (UUID); also the webhook-id of its deliveries */
                            id: string;
                            timestamp: string;
                        } | {
                            /** @description the rollback signal */
                            data: {
                                execution_id: string;
                                /** @description REVERSED, NOT_REVERSIBLE or ALREADY_REVERSED */
                                execution_reversal: string;
                                /** @description the camt.056-like rollback_signal message */
                                message: {
                                    [key: string]: unknown;
                                };
                                payment_id: string;
                                /** @description the rejection’s reason code */
                                reason: string;
                                uetr: string;
                            } & {
                                [key: string]: unknown;
                            };
                            environment: "sandbox" | "live";
                            /** @enum {string} */
                            event: "payment.rollback";
                            /** @description the event id (UUID); also the webhook-id of its deliveries */
                            id: string;
                            timestamp: string;
                        } | {
                            data: {
                                [key: string]: unknown;
                            };
                            environment: "sandbox" | "live";
                            event: string;
                            id: string;
                            timestamp: string;
                        })[];
                        /** @description the cursor of the last item, or `after` again when there is none */
                        next_cursor: string | null;
                    };
                };
            };
        };
    };
    getAdminOracle: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        live: {
                            mid_move_5m_bps: {
                                [key: string]: string;
                            };
                            now: string;
                            pairs: {
                                "MYR-IDR": {
                                    age_ms: number | null;
                                    deviation_bps: string;
                                    mid: string | null;
                                    near_deviation: boolean;
                                    near_stale: boolean;
                                    sources: string[];
                                    status: string;
                                    tie_break: boolean;
                                };
                                "USD-IDR": {
                                    age_ms: number | null;
                                    deviation_bps: string;
                                    mid: string | null;
                                    near_deviation: boolean;
                                    near_stale: boolean;
                                    sources: string[];
                                    status: string;
                                    tie_break: boolean;
                                };
                                "USD-MYR": {
                                    age_ms: number | null;
                                    deviation_bps: string;
                                    mid: string | null;
                                    near_deviation: boolean;
                                    near_stale: boolean;
                                    sources: string[];
                                    status: string;
                                    tie_break: boolean;
                                };
                                "USD-SGD": {
                                    age_ms: number | null;
                                    deviation_bps: string;
                                    mid: string | null;
                                    near_deviation: boolean;
                                    near_stale: boolean;
                                    sources: string[];
                                    status: string;
                                    tie_break: boolean;
                                };
                            };
                        };
                        sandbox: {
                            mid_move_5m_bps: {
                                [key: string]: string;
                            };
                            now: string;
                            pairs: {
                                "MYR-IDR": {
                                    age_ms: number | null;
                                    deviation_bps: string;
                                    mid: string | null;
                                    near_deviation: boolean;
                                    near_stale: boolean;
                                    sources: string[];
                                    status: string;
                                    tie_break: boolean;
                                };
                                "USD-IDR": {
                                    age_ms: number | null;
                                    deviation_bps: string;
                                    mid: string | null;
                                    near_deviation: boolean;
                                    near_stale: boolean;
                                    sources: string[];
                                    status: string;
                                    tie_break: boolean;
                                };
                                "USD-MYR": {
                                    age_ms: number | null;
                                    deviation_bps: string;
                                    mid: string | null;
                                    near_deviation: boolean;
                                    near_stale: boolean;
                                    sources: string[];
                                    status: string;
                                    tie_break: boolean;
                                };
                                "USD-SGD": {
                                    age_ms: number | null;
                                    deviation_bps: string;
                                    mid: string | null;
                                    near_deviation: boolean;
                                    near_stale: boolean;
                                    sources: string[];
                                    status: string;
                                    tie_break: boolean;
                                };
                            };
                        };
                    };
                };
            };
        };
    };
    postAdminOraclePrices: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    environment?: "sandbox" | "live";
                    pair: "USD-IDR" | "USD-SGD" | "USD-MYR" | "MYR-IDR";
                    price: string | number;
                    source: "primary_a" | "primary_b" | "reference";
                    timestamp?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        pair: string;
                        readings: {
                            live?: {
                                age_ms: number | null;
                                deviation_bps: string;
                                mid: string | null;
                                near_deviation: boolean;
                                near_stale: boolean;
                                sources: string[];
                                status: string;
                                tie_break: boolean;
                            };
                            sandbox?: {
                                age_ms: number | null;
                                deviation_bps: string;
                                mid: string | null;
                                near_deviation: boolean;
                                near_stale: boolean;
                                sources: string[];
                                status: string;
                                tie_break: boolean;
                            };
                        };
                    };
                };
            };
        };
    };
    getAdminPartners: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        partners: {
                            class_a_multiplier: string;
                            corridors: string[];
                            created_at: string;
                            deposit_acceptance: boolean;
                            fee_overrides: {
                                corridor: string;
                                spread_bps: string | null;
                                tier: string;
                                variable_bips: string | null;
                            }[];
                            fee_tier_multiplier: string;
                            issued_asset: string | null;
                            limits: {
                                daily_per_corridor_usd: string;
                                monthly_usd: string;
                            };
                            liquidity_class: string | null;
                            mint_url: string | null;
                            name: string;
                            partner_id: string;
                            payout_countries: string[];
                            payout_rails: string[];
                            por_interval_s: number;
                            por_url: string | null;
                            rate_limit_tier: string;
                            redeem_url: string | null;
                            /** @description NONE | STANDARD | PRIORITY */
                            rfq_access_tier: string;
                            rfq_timeout_ms: number | null;
                            rfq_url: string | null;
                            settlement_currencies: {
                                asset: string;
                                corridor: string;
                            }[];
                            status: string;
                            type: string;
                            updated_at: string;
                        }[];
                    };
                };
            };
        };
    };
    postAdminPartners: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    class_a_multiplier?: string | number;
                    corridors?: ("USD-IDR" | "USD-SGD" | "MYR-IDR")[];
                    deposit_acceptance?: boolean;
                    fee_overrides?: {
                        corridor: "USD-IDR" | "USD-SGD" | "MYR-IDR";
                        spread_bps?: (string | number) | null;
                        tier: "MICRO" | "SMALL" | "MEDIUM" | "LARGE" | "INSTITUTIONAL";
                        variable_bips?: (string | number) | null;
                    }[];
                    fee_tier_multiplier?: string | number;
                    issued_asset?: ("USDT" | "IDRX" | "tnSGD" | "MYRC") | null;
                    limits?: {
                        daily_per_corridor_usd?: string | number;
                        monthly_usd?: string | number;
                    };
                    liquidity_class?: ("A" | "B") | null;
                    mint_url?: string | null;
                    name: string;
                    payout_countries?: string[];
                    payout_rails?: ("BANK_TRANSFER" | "E_WALLET" | "CARD")[];
                    por_interval_s?: number;
                    por_url?: string | null;
                    rate_limit_tier?: "standard" | "premium";
                    redeem_url?: string | null;
                    rfq_access_tier?: "NONE" | "STANDARD" | "PRIORITY";
                    rfq_timeout_ms?: number | null;
                    rfq_url?: string | null;
                    settlement_currencies?: {
                        asset: "USDT" | "IDRX" | "tnSGD" | "MYRC";
                        corridor: "USD-IDR" | "USD-SGD" | "MYR-IDR";
                    }[];
                    type: "ON_OFF_RAMP" | "ISSUER" | "LP" | "RFQ_COUNTERPARTY" | "DISTRIBUTION";
                };
            };
        };
        responses: {
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        class_a_multiplier: string;
                        corridors: string[];
                        created_at: string;
                        deposit_acceptance: boolean;
                        fee_overrides: {
                            corridor: string;
                            spread_bps: string | null;
                            tier: string;
                            variable_bips: string | null;
                        }[];
                        fee_tier_multiplier: string;
                        issued_asset: string | null;
                        limits: {
                            daily_per_corridor_usd: string;
                            monthly_usd: string;
                        };
                        liquidity_class: string | null;
                        mint_url: string | null;
                        name: string;
                        partner_id: string;
                        payout_countries: string[];
                        payout_rails: string[];
                        por_interval_s: number;
                        por_url: string | null;
                        rate_limit_tier: string;
                        redeem_url: string | null;
                        /** @description NONE | STANDARD | PRIORITY */
                        rfq_access_tier: string;
                        rfq_timeout_ms: number | null;
                        rfq_url: string | null;
                        settlement_currencies: {
                            asset: string;
                            corridor: string;
                        }[];
                        status: string;
                        type: string;
                        updated_at: string;
                    } & {
                        api_key: string;
                        sandbox_api_key: string;
                        webhook_secret: string;
                    };
                };
            };
        };
    };
    getAdminPartnersById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        class_a_multiplier: string;
                        corridors: string[];
                        created_at: string;
                        deposit_acceptance: boolean;
                        fee_overrides: {
                            corridor: string;
                            spread_bps: string | null;
                            tier: string;
                            variable_bips: string | null;
                        }[];
                        fee_tier_multiplier: string;
                        issued_asset: string | null;
                        limits: {
                            daily_per_corridor_usd: string;
                            monthly_usd: string;
                        };
                        liquidity_class: string | null;
                        mint_url: string | null;
                        name: string;
                        partner_id: string;
                        payout_countries: string[];
                        payout_rails: string[];
                        por_interval_s: number;
                        por_url: string | null;
                        rate_limit_tier: string;
                        redeem_url: string | null;
                        /** @description NONE | STANDARD | PRIORITY */
                        rfq_access_tier: string;
                        rfq_timeout_ms: number | null;
                        rfq_url: string | null;
                        settlement_currencies: {
                            asset: string;
                            corridor: string;
                        }[];
                        status: string;
                        type: string;
                        updated_at: string;
                    };
                };
            };
        };
    };
    deleteAdminPartnersById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        class_a_multiplier: string;
                        corridors: string[];
                        created_at: string;
                        deposit_acceptance: boolean;
                        fee_overrides: {
                            corridor: string;
                            spread_bps: string | null;
                            tier: string;
                            variable_bips: string | null;
                        }[];
                        fee_tier_multiplier: string;
                        issued_asset: string | null;
                        limits: {
                            daily_per_corridor_usd: string;
                            monthly_usd: string;
                        };
                        liquidity_class: string | null;
                        mint_url: string | null;
                        name: string;
                        partner_id: string;
                        payout_countries: string[];
                        payout_rails: string[];
                        por_interval_s: number;
                        por_url: string | null;
                        rate_limit_tier: string;
                        redeem_url: string | null;
                        /** @description NONE | STANDARD | PRIORITY */
                        rfq_access_tier: string;
                        rfq_timeout_ms: number | null;
                        rfq_url: string | null;
                        settlement_currencies: {
                            asset: string;
                            corridor: string;
                        }[];
                        status: string;
                        type: string;
                        updated_at: string;
                    };
                };
            };
        };
    };
    patchAdminPartnersById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    class_a_multiplier?: string | number;
                    corridors?: ("USD-IDR" | "USD-SGD" | "MYR-IDR")[];
                    deposit_acceptance?: boolean;
                    fee_overrides?: {
                        corridor: "USD-IDR" | "USD-SGD" | "MYR-IDR";
                        spread_bps?: (string | number) | null;
                        tier: "MICRO" | "SMALL" | "MEDIUM" | "LARGE" | "INSTITUTIONAL";
                        variable_bips?: (string | number) | null;
                    }[];
                    fee_tier_multiplier?: string | number;
                    issued_asset?: ("USDT" | "IDRX" | "tnSGD" | "MYRC") | null;
                    limits?: {
                        daily_per_corridor_usd?: string | number;
                        monthly_usd?: string | number;
                    };
                    liquidity_class?: ("A" | "B") | null;
                    mint_url?: string | null;
                    name?: string;
                    payout_countries?: string[];
                    payout_rails?: ("BANK_TRANSFER" | "E_WALLET" | "CARD")[];
                    por_interval_s?: number;
                    por_url?: string | null;
                    rate_limit_tier?: "standard" | "premium";
                    redeem_url?: string | null;
                    rfq_access_tier?: "NONE" | "STANDARD" | "PRIORITY";
                    rfq_timeout_ms?: number | null;
                    rfq_url?: string | null;
                    settlement_currencies?: {
                        asset: "USDT" | "IDRX" | "tnSGD" | "MYRC";
                        corridor: "USD-IDR" | "USD-SGD" | "MYR-IDR";
                    }[];
                    status?: "ACTIVE" | "SUSPENDED";
                };
            };
        };
        responses: {
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        class_a_multiplier: string;
                        corridors: string[];
                        created_at: string;
                        deposit_acceptance: boolean;
                        fee_overrides: {
                            corridor: string;
                            spread_bps: string | null;
                            tier: string;
                            variable_bips: string | null;
                        }[];
                        fee_tier_multiplier: string;
                        issued_asset: string | null;
                        limits: {
                            daily_per_corridor_usd: string;
                            monthly_usd: string;
                        };
                        liquidity_class: string | null;
                        mint_url: string | null;
                        name: string;
                        partner_id: string;
                        payout_countries: string[];
                        payout_rails: string[];
                        por_interval_s: number;
                        por_url: string | null;
                        rate_limit_tier: string;
                        redeem_url: string | null;
                        /** @description NONE | STANDARD | PRIORITY */
                        rfq_access_tier: string;
                        rfq_timeout_ms: number | null;
                        rfq_url: string | null;
                        settlement_currencies: {
                            asset: string;
                            corridor: string;
                        }[];
                        status: string;
                        type: string;
                        updated_at: string;
                    };
                };
            };
        };
    };
    getAdminPartnersByIdApiKeys: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        api_keys: {
                            created_at: string;
                            environment: string;
                            /** @description null for sandbox keys, which never expire */
                            expires_at: string | null;
                            key_id: string;
                            prefix: string;
                            /** @description ACTIVE | RETIRING (replaced, working until expires_at) | EXPIRED | REVOKED */
                            status: string;
                        }[];
                    };
                };
            };
        };
    };
    postAdminPartnersByIdApiKeysByKeyIdRevoke: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
                key_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        created_at: string;
                        environment: string;
                        /** @description null for sandbox keys, which never expire */
                        expires_at: string | null;
                        key_id: string;
                        prefix: string;
                        /** @description ACTIVE | RETIRING (replaced, working until expires_at) | EXPIRED | REVOKED */
                        status: string;
                    };
                };
            };
        };
    };
    postAdminPartnersByIdApiKeysRotate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    environment?: "sandbox" | "live";
                    /** @description hours the previous credential keeps working (0–720, default 24; 0 stops it at once) */
                    overlap_hours?: number;
                };
            };
        };
        responses: {
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        api_key: string;
                        expires_at: string | null;
                        key_id: string;
                        previous_key_expires_at: string | null;
                    };
                };
            };
        };
    };
    getAdminPartnersByIdRampUp: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        environment: string;
                        error_rate: {
                            failed_executions: number;
                            finished_executions: number;
                            max_error_pct: string;
                            min_executions: number;
                            watching: boolean;
                            window_start: string;
                        };
                        go_live_at: string;
                        limit_pct: string;
                        next_step_at: string | null;
                        override: {
                            limit_pct: string;
                        } | null;
                        partner_id: string;
                        paused: boolean;
                        paused_at: string | null;
                        paused_reason: string | null;
                        schedule: {
                            limit_pct: string;
                            starts_at: string;
                            step: number;
                        }[];
                        step: number;
                        step_pct: string;
                    };
                };
            };
        };
    };
    postAdminPartnersByIdRampUp: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    action: "advance" | "override" | "pause" | "resume" | "set_go_live";
                    go_live_at?: string;
                    limit_pct?: (string | number) | null;
                    reason?: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        environment: string;
                        error_rate: {
                            failed_executions: number;
                            finished_executions: number;
                            max_error_pct: string;
                            min_executions: number;
                            watching: boolean;
                            window_start: string;
                        };
                        go_live_at: string;
                        limit_pct: string;
                        next_step_at: string | null;
                        override: {
                            limit_pct: string;
                        } | null;
                        partner_id: string;
                        paused: boolean;
                        paused_at: string | null;
                        paused_reason: string | null;
                        schedule: {
                            limit_pct: string;
                            starts_at: string;
                            step: number;
                        }[];
                        step: number;
                        step_pct: string;
                    };
                };
            };
        };
    };
    postAdminPartnersByIdWallets: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    address: string;
                    label: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        added_at: string;
                        address: string;
                        label: string;
                        usable: boolean;
                        usable_from: string;
                    };
                };
            };
        };
    };
    deleteAdminPartnersByIdWalletsByAddress: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                address: string;
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success: the JSON body the route’s summary describes */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
        };
    };
    getAdminPartnersByIdWebhook: {
        parameters: {
            query?: {
                environment?: "sandbox" | "live";
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        all_events: boolean;
                        created_at: string;
                        environment: string;
                        events: string[];
                        status: "PENDING_VERIFICATION" | "ACTIVE" | "DISABLED";
                        status_reason: string | null;
                        updated_at: string;
                        url: string;
                        verified_at: string | null;
                    };
                };
            };
        };
    };
    putAdminPartnersByIdWebhook: {
        parameters: {
            query?: {
                environment?: "sandbox" | "live";
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    events?: ("execution.settled" | "execution.failed" | "execution.rolled_back" | "quote.expired" | "system.state_change" | "deposit.confirmed" | "withdrawal.queued" | "withdrawal.completed" | "settlement.confirmed" | "settlement.failed" | "rebalance.executed" | "partner.limit_warning" | "partner.credential_expiring" | "rfq.filled" | "payment.instruction" | "payment.status" | "payment.rollback")[];
                    url: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        all_events: boolean;
                        created_at: string;
                        environment: string;
                        events: string[];
                        status: "PENDING_VERIFICATION" | "ACTIVE" | "DISABLED";
                        status_reason: string | null;
                        updated_at: string;
                        url: string;
                        verified_at: string | null;
                    };
                };
            };
        };
    };
    postAdminPartnersByIdWebhookSecretRotate: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description hours the previous credential keeps working (0–720, default 24; 0 stops it at once) */
                    overlap_hours?: number;
                };
            };
        };
        responses: {
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        previous_secret_expires_at: string | null;
                        webhook_secret: string;
                    };
                };
            };
        };
    };
    postAdminPartnersByIdWebhookDeadLettersRedeliver: {
        parameters: {
            query?: {
                environment?: "sandbox" | "live";
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        redelivered: number;
                    };
                };
            };
        };
    };
    getAdminPartnersByIdWebhookDeliveries: {
        parameters: {
            query?: {
                cursor?: string;
                environment?: "sandbox" | "live";
                event_id?: string;
                limit?: string;
                status?: "DELIVERED" | "FAILED" | "DEAD_LETTERED";
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            attempt: number;
                            attempt_id: string;
                            attempted_at: string;
                            error: string | null;
                            event: string;
                            event_id: string;
                            latency_ms: number;
                            status: "DELIVERED" | "FAILED" | "DEAD_LETTERED";
                            status_code: number | null;
                        }[];
                        next_cursor: string | null;
                    };
                };
            };
        };
    };
    postAdminPartnersByIdWebhookDeliveriesByEventIdRedeliver: {
        parameters: {
            query?: {
                environment?: "sandbox" | "live";
            };
            header?: never;
            path: {
                event_id: string;
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        event_id: string;
                        /** @enum {string} */
                        status: "PENDING";
                    };
                };
            };
        };
    };
    getAdminPaymentsById: {
        parameters: {
            query?: {
                environment?: "sandbox" | "live";
            };
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        amount: {
                            currency: string;
                            value: string;
                        };
                        answer_by: string | null;
                        beneficiary: {
                            [key: string]: unknown;
                        };
                        created_at: string;
                        end_to_end_id: string;
                        execution_id: string;
                        /**
                         * @description the message history, oldest first: one message per type shown
                         * @example [
                         *       {
                         *         "message_type": "beneficiary_validation_request",
                         *         "iso_model": "acmt.023",
                         *         "message_id": "6704fa0e-fe21-4469-95d2-d54beb8f06d8",
                         *         "execution_id": "b46c2bdc-e206-4461-9db7-c505b03fea91",
                         *         "payment_id": "4b69136e-0b94-4878-9481-01b0bcf8ebd7",
                         *         "uetr": "d755ca25-2cb8-4e1e-a214-11a85a0a0e77",
                         *         "creation_date_time": "2026-12-03T09:00:00.000Z",
                         *         "local_instrument": "BANK_TRANSFER",
                         *         "party": {
                         *           "name": "Budi Santoso",
                         *           "country": "ID"
                         *         },
                         *         "account": {
                         *           "name": "Budi Santoso",
                         *           "country": "ID",
                         *           "account_number": "1234567890",
                         *           "bic": "CENAIDJA"
                         *         }
                         *       },
                         *       {
                         *         "message_type": "beneficiary_validation_result",
                         *         "iso_model": "acmt.024",
                         *         "message_id": "26f2c97e-4510-4148-82bc-6b71f135b331",
                         *         "execution_id": "b46c2bdc-e206-4461-9db7-c505b03fea91",
                         *         "payment_id": "4b69136e-0b94-4878-9481-01b0bcf8ebd7",
                         *         "uetr": "d755ca25-2cb8-4e1e-a214-11a85a0a0e77",
                         *         "creation_date_time": "2026-12-03T09:00:00.000Z",
                         *         "original_message_id": "6704fa0e-fe21-4469-95d2-d54beb8f06d8",
                         *         "verification": true,
                         *         "errors": []
                         *       },
                         *       {
                         *         "message_type": "deposit_confirmation",
                         *         "iso_model": "camt.054",
                         *         "message_id": "c8b88897-d359-4916-b858-bf1948c36e3f",
                         *         "execution_id": "b46c2bdc-e206-4461-9db7-c505b03fea91",
                         *         "payment_id": "4b69136e-0b94-4878-9481-01b0bcf8ebd7",
                         *         "uetr": "d755ca25-2cb8-4e1e-a214-11a85a0a0e77",
                         *         "creation_date_time": "2026-12-03T09:00:00.000Z",
                         *         "account_owner": {
                         *           "partner_id": "06c95774-f409-4eef-bd3e-05b0a312c665",
                         *           "name": "Jakarta Payout"
                         *         },
                         *         "entry": {
                         *           "amount": {
                         *             "value": "24346989.83",
                         *             "currency": "IDRX"
                         *           },
                         *           "credit_debit_indicator": "CRDT",
                         *           "status": "BOOK",
                         *           "booking_date_time": "2026-12-03T08:59:58.000Z",
                         *           "account_servicer_reference": "0x42caa48342bca6189e16d25025182bab2d167ae9a2b9d7a22d16336ae745322f"
                         *         }
                         *       },
                         *       {
                         *         "message_type": "payment_instruction",
                         *         "iso_model": "pacs.008",
                         *         "message_id": "60d9174c-b051-4651-aaa3-4ceea60c9c89",
                         *         "execution_id": "b46c2bdc-e206-4461-9db7-c505b03fea91",
                         *         "payment_id": "4b69136e-0b94-4878-9481-01b0bcf8ebd7",
                         *         "uetr": "d755ca25-2cb8-4e1e-a214-11a85a0a0e77",
                         *         "creation_date_time": "2026-12-03T09:00:00.000Z",
                         *         "payment_identification": {
                         *           "end_to_end_id": "REMIT-2026-0001",
                         *           "uetr": "d755ca25-2cb8-4e1e-a214-11a85a0a0e77"
                         *         },
                         *         "payment_type_information": {
                         *           "local_instrument": "BANK_TRANSFER"
                         *         },
                         *         "instructed_amount": {
                         *           "value": "24346989.83",
                         *           "currency": "IDR"
                         *         },
                         *         "interbank_settlement_amount": {
                         *           "value": "24346989.83",
                         *           "currency": "IDRX"
                         *         },
                         *         "debtor": {
                         *           "partner_id": "66dcee40-c143-4dee-a0cc-10e3f7e61cb1",
                         *           "name": "Lion City Ramp"
                         *         },
                         *         "debtor_agent": {
                         *           "partner_id": "66dcee40-c143-4dee-a0cc-10e3f7e61cb1",
                         *           "name": "Lion City Ramp"
                         *         },
                         *         "creditor_agent": {
                         *           "partner_id": "06c95774-f409-4eef-bd3e-05b0a312c665",
                         *           "name": "Jakarta Payout",
                         *           "bicfi": "CENAIDJA"
                         *         },
                         *         "creditor": {
                         *           "name": "Budi Santoso",
                         *           "postal_address": {
                         *             "country": "ID"
                         *           }
                         *         },
                         *         "creditor_account": {
                         *           "other": {
                         *             "identification": "1234567890",
                         *             "scheme_name": "BBAN"
                         *           }
                         *         },
                         *         "remittance_information": {
                         *           "unstructured": "Family support December"
                         *         },
                         *         "travel_rule": {
                         *           "included": true
                         *         }
                         *       },
                         *       {
                         *         "message_type": "payment_status",
                         *         "iso_model": "pacs.002",
                         *         "message_id": "9dce93d1-5729-44c2-bb3a-4a35f0808420",
                         *         "execution_id": "b46c2bdc-e206-4461-9db7-c505b03fea91",
                         *         "payment_id": "4b69136e-0b94-4878-9481-01b0bcf8ebd7",
                         *         "uetr": "d755ca25-2cb8-4e1e-a214-11a85a0a0e77",
                         *         "creation_date_time": "2026-12-03T09:00:00.000Z",
                         *         "original_message_id": "60d9174c-b051-4651-aaa3-4ceea60c9c89",
                         *         "original_end_to_end_id": "REMIT-2026-0001",
                         *         "transaction_status": "RJCT",
                         *         "status_reason_information": {
                         *           "reason": "AC04",
                         *           "description": "ClosedAccountNumber: the account is closed",
                         *           "additional_information": null
                         *         },
                         *         "instructing_agent": {
                         *           "partner_id": "06c95774-f409-4eef-bd3e-05b0a312c665",
                         *           "name": "Jakarta Payout"
                         *         }
                         *       },
                         *       {
                         *         "message_type": "rollback_signal",
                         *         "iso_model": "camt.056",
                         *         "message_id": "aefa23cd-cb2a-4445-bbd1-af9eaff885df",
                         *         "execution_id": "b46c2bdc-e206-4461-9db7-c505b03fea91",
                         *         "payment_id": "4b69136e-0b94-4878-9481-01b0bcf8ebd7",
                         *         "uetr": "d755ca25-2cb8-4e1e-a214-11a85a0a0e77",
                         *         "creation_date_time": "2026-12-03T09:00:00.000Z",
                         *         "original_end_to_end_id": "REMIT-2026-0001",
                         *         "original_message_id": "9dce93d1-5729-44c2-bb3a-4a35f0808420",
                         *         "cancellation_reason": {
                         *           "reason": "AC04",
                         *           "description": "ClosedAccountNumber: the account is closed"
                         *         },
                         *         "execution_reversal": {
                         *           "status": "REVERSED",
                         *           "reversal_entry_id": "412",
                         *           "returned_asset": "USDT",
                         *           "returned_amount": "1500"
                         *         }
                         *       }
                         *     ]
                         */
                        messages: {
                            [key: string]: unknown;
                        }[];
                        off_ramp_partner_id: string;
                        originator_partner_id: string;
                        payment_id: string;
                        rail: string;
                        reason: string | null;
                        remittance_information: string | null;
                        rollback: string | null;
                        settlement_amount: {
                            asset: string;
                            value: string;
                        };
                        /** @description RCVD, then the last ISO status received: ACCP, ACSP, ACSC or RJCT */
                        status: string;
                        travel_rule: {
                            [key: string]: unknown;
                        } | null;
                        uetr: string;
                        updated_at: string;
                    };
                };
            };
        };
    };
    getAdminPools: {
        parameters: {
            query?: {
                environment?: "sandbox" | "live";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        environment: string;
                        pools: {
                            asset: string;
                            balance: string;
                            health_pct: string;
                            min: string;
                            status: string;
                            target: string;
                            tier: string;
                        }[];
                    };
                };
            };
        };
    };
    getAdminSandboxClock: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        now: string;
                        offset_seconds: number;
                    };
                };
            };
        };
    };
    postAdminSandboxClockAdvance: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    seconds: number;
                };
            };
        };
        responses: {
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        now: string;
                        offset_seconds: number;
                    };
                };
            };
        };
    };
    postAdminYieldEvents: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    amount: string;
                    asset: "USDT" | "IDRX" | "tnSGD" | "MYRC";
                    environment?: "sandbox" | "live";
                    reason: string;
                };
            };
        };
        responses: {
            /** @description Success: the JSON body the route’s summary describes */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
        };
    };
    getAdminYieldVenue: {
        parameters: {
            query?: {
                environment?: "sandbox" | "live";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success: the JSON body the route’s summary describes */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
        };
    };
    postAdminYieldVenueRun: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    environment?: "sandbox" | "live";
                };
            };
        };
        responses: {
            /** @description Success: the JSON body the route’s summary describes */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
        };
    };
    putAdminYieldVenueSplitsByAsset: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                asset: "USDT" | "IDRX" | "tnSGD" | "MYRC";
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    environment?: "sandbox" | "live";
                    split: {
                        entity: "lending" | "defi";
                        pct: number;
                        product_id: string;
                    }[];
                };
            };
        };
        responses: {
            /** @description Success: the JSON body the route’s summary describes */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
        };
    };
    getHealth: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        status: string;
                    };
                };
            };
        };
    };
    getOpsEvmDeposits: {
        parameters: {
            query?: {
                limit?: string;
                outcome?: "PREFUNDING" | "LP_DEPOSIT" | "SUSPENSE";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        deposits: {
                            /** @description smallest units */
                            amount: string;
                            asset: string;
                            block_number: string;
                            deposit_id: string | null;
                            from_address: string;
                            log_index: string;
                            outcome: string;
                            partner_id: string | null;
                            reason: string | null;
                            tx_hash: string;
                        }[];
                        environment: string;
                    };
                };
            };
        };
    };
    getOpsEvmReconciliation: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        checked: number;
                        differences: {
                            [key: string]: unknown;
                        }[];
                        environment: string;
                        ok: boolean;
                    };
                };
            };
        };
    };
    getRates: {
        parameters: {
            query: {
                base: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success: the JSON body the route’s summary describes */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
        };
    };
    getReady: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        status: string;
                    };
                };
            };
        };
    };
    getBalances: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        balances: {
                            asset: string;
                            available: string;
                        }[];
                    };
                };
            };
        };
    };
    postBeneficiariesValidate: {
        parameters: {
            query?: never;
            header?: {
                /** @description 16–255 printable characters; a retry with the same key and body replays the first answer (SPEC §14.3) */
                "idempotency-key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    beneficiary: {
                        [key: string]: unknown;
                    };
                    rail?: "BANK_TRANSFER" | "E_WALLET" | "CARD";
                };
            };
        };
        responses: {
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        beneficiary: {
                            [key: string]: unknown;
                        } | null;
                        errors: {
                            code: string;
                            field: string;
                            message: string;
                        }[];
                        messages: {
                            [key: string]: unknown;
                        }[];
                        rail: string;
                        valid: boolean;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            errors?: {
                                code: string;
                                field: string;
                                message: string;
                            }[];
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
        };
    };
    getDepositAddress: {
        parameters: {
            query: {
                asset: "USDT" | "IDRX" | "tnSGD" | "MYRC";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        address: string;
                        asset: string;
                        /** @description 0 on the simulated chain */
                        chain_id: number;
                        /** @description blocks after which a deposit is credited */
                        confirmations: number;
                        /** @description e.g. kaia, kaia-kairos, local; stablefx-simulated without a chain */
                        network: string;
                    };
                };
            };
        };
    };
    listEvents: {
        parameters: {
            query?: {
                /** @description a next_cursor (or SSE id) this API issued */
                after?: string;
                limit?: string;
                type?: string | string[];
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: ({
                            /** @description the execution, as GET /v1/executions/{id} answers, status SETTLED */
                            data: {
                                client_ref: string | null;
                                created_at: string;
                                destination_address: string;
                                destination_amount: string;
                                destination_asset: string;
                                execution_id: string;
                                execution_path: string;
                                failure_reason: string | null;
                                filled_rate: string;
                                pair: string;
                                platform_fee: string;
                                platform_fee_currency: string;
                                quote_id: string;
                                settled_at: string | null;
                                side: string;
                                source_amount: string;
                                source_asset: string;
                                state_flag: string;
                                status: string;
                                tx_hash: string | null;
                            } & {
                                [key: string]: unknown;
                            };
                            environment: "sandbox" | "live";
                            /** @enum {string} */
                            event: "execution.settled";
                            /** @description the event id (UUID); also the webhook-id of its deliveries */
                            id: string;
                            timestamp: string;
                        } | {
                            /** @description the execution, status FAILED, and the reason */
                            data: {
                                client_ref: string | null;
                                created_at: string;
                                destination_address: string;
                                destination_amount: string;
                                destination_asset: string;
                                execution_id: string;
                                execution_path: string;
                                failure_reason: string | null;
                                filled_rate: string;
                                pair: string;
                                platform_fee: string;
                                platform_fee_currency: string;
                                quote_id: string;
                                /** @description e.g. ON_CHAIN_REVERT */
                                reason: string;
                                settled_at: string | null;
                                side: string;
                                source_amount: string;
                                source_asset: string;
                                state_flag: string;
                                status: string;
                                tx_hash: string | null;
                            } & {
                                [key: string]: unknown;
                            };
                            environment: "sandbox" | "live";
                            /** @enum {string} */
                            event: "execution.failed";
                            /** @description the event id (UUID); also the webhook-id of its deliveries */
                            id: string;
                            timestamp: string;
                        } | {
                            /** @description what the reversal gave back */
                            data: {
                                destination_asset: string;
                                execution_id: string;
                                pair: string;
                                quote_id: string;
                                reason: string;
                                returned_amount: string;
                                /** @description the source asset credited back */
                                returned_asset: string;
                                /** @description the reversing journal entry */
                                reversal_entry_id: string;
                                rolled_back_at: string;
                                side: string;
                                /** @description the net destination amount that was not sent */
                                unsent_amount: string;
                            } & {
                                [key: string]: unknown;
                            };
                            environment: "sandbox" | "live";
                            /** @enum {string} */
                            event: "execution.rolled_back";
                            /** @description the event id (UUID); also the webhook-id of its deliveries */
                            id: string;
                            timestamp: string;
                        } | {
                            /** @description the quote as it was issued */
                            data: {
                                amount: string;
                                client_ref: string | null;
                                destination_amount: string;
                                destination_asset: string;
                                expiry_timestamp: string;
                                pair: string;
                                quote_id: string;
                                side: string;
                                source_asset: string;
                            } & {
                                [key: string]: unknown;
                            };
                            environment: "sandbox" | "live";
                            /** @enum {string} */
                            event: "quote.expired";
                            /** @description the event id (UUID); also the webhook-id of its deliveries */
                            id: string;
                            timestamp: string;
                        } | {
                            /** @description SPEC §10 fields */
                            data: {
                                corridor: string;
                                previous_state: string;
                                /** @description the reasons, joined by "; " */
                                reason: string;
                                state: string;
                            } & {
                                [key: string]: unknown;
                            };
                            environment: "sandbox" | "live";
                            /** @enum {string} */
                            event: "system.state_change";
                            /** @description the event id (UUID); also the webhook-id of its deliveries */
                            id: string;
                            timestamp: string;
                        } | {
                            /** @description the deposit, as POST /v1/lp/deposits answers */
                            data: {
                                amount: string;
                                asset: string;
                                deposit_id: string;
                                status: string;
                                tx_hash: string | null;
                            } & {
                                [key: string]: unknown;
                            };
                            environment: "sandbox" | "live";
                            /** @enum {string} */
                            event: "deposit.confirmed";
                            /** @description the event id (UUID); also the webhook-id of its deliveries */
                            id: string;
                            timestamp: string;
                        } | {
                            /** @description the withdrawal, as GET /v1/lp/withdrawals/{id} answers */
                            data: {
                                status: string;
                                withdrawal_id: string;
                            } & {
                                [key: string]: unknown;
                            };
                            environment: "sandbox" | "live";
                            /** @enum {string} */
                            event: "withdrawal.queued";
                            /** @description the event id (UUID); also the webhook-id of its deliveries */
                            id: string;
                            timestamp: string;
                        } | {
                            /** @description the withdrawal, as GET /v1/lp/withdrawals/{id} answers */
                            data: {
                                status: string;
                                withdrawal_id: string;
                            } & {
                                [key: string]: unknown;
                            };
                            environment: "sandbox" | "live";
                            /** @enum {string} */
                            event: "withdrawal.completed";
                            /** @description the event id (UUID); also the webhook-id of its deliveries */
                            id: string;
                            timestamp: string;
                        } | {
                            data: ({
                                /** @description the net destination amount */
                                amount: string;
                                /** @description the destination asset sent */
                                asset: string;
                                confirmed_at: string;
                                destination_address: string;
                                execution_id: string;
                                quote_id: string;
                                tx_hash: string;
                            } & {
                                [key: string]: unknown;
                            }) | ({
                                /** @description in smallest units of the asset, rounded down from amount_wad */
                                amount: string;
                                /** @description exact, 18 decimals as an integer */
                                amount_wad: string;
                                asset: string;
                                /** @description TO_VENUE: stablefx pays what it owes; FROM_VENUE: the venue pays stablefx */
                                direction: "TO_VENUE" | "FROM_VENUE";
                                /** @description the legal entity */
                                entity: "lending" | "defi";
                                settlement_id: string;
                                /** @enum {string} */
                                source: "yield_venue";
                                tx_hash: string | null;
                            } & {
                                [key: string]: unknown;
                            });
                            environment: "sandbox" | "live";
                            /** @enum {string} */
                            event: "settlement.confirmed";
                            /** @description the event id (UUID); also the webhook-id of its deliveries */
                            id: string;
                            timestamp: string;
                        } | {
                            data: ({
                                /** @description the net destination amount */
                                amount: string;
                                /** @description the destination asset sent */
                                asset: string;
                                destination_address: string;
                                execution_id: string;
                                failed_at: string;
                                quote_id: string;
                                /** @description e.g. ON_CHAIN_REVERT */
                                reason: string;
                            } & {
                                [key: string]: unknown;
                            }) | ({
                                /** @description in smallest units of the asset, rounded down from amount_wad */
                                amount: string;
                                /** @description exact, 18 decimals as an integer */
                                amount_wad: string;
                                asset: string;
                                /** @description TO_VENUE: stablefx pays what it owes; FROM_VENUE: the venue pays stablefx */
                                direction: "TO_VENUE" | "FROM_VENUE";
                                /** @description the legal entity */
                                entity: "lending" | "defi";
                                reason: string;
                                settlement_id: string;
                                /** @enum {string} */
                                source: "yield_venue";
                                tx_hash: string | null;
                            } & {
                                [key: string]: unknown;
                            });
                            environment: "sandbox" | "live";
                            /** @enum {string} */
                            event: "settlement.failed";
                            /** @description the event id (UUID); also the webhook-id of its deliveries */
                            id: string;
                            timestamp: string;
                        } | {
                            /** @description the movement, its legs (`moved`) and the batches it netted or filled */
                            data: {
                                amount_usd: string;
                                corridor: string;
                                direction: string;
                                rate: string;
                                rebalance_id: string;
                                trigger: string;
                            } & {
                                [key: string]: unknown;
                            };
                            environment: "sandbox" | "live";
                            /** @enum {string} */
                            event: "rebalance.executed";
                            /** @description the event id (UUID); also the webhook-id of its deliveries */
                            id: string;
                            timestamp: string;
                        } | {
                            /** @description which limit, which threshold */
                            data: {
                                /** @description the corridor of a daily limit; null for the monthly one */
                                corridor: string | null;
                                limit: "DAILY_CORRIDOR" | "MONTHLY";
                                limit_usd: string;
                                /** @description YYYY-MM-DD or YYYY-MM */
                                period: string;
                                threshold_pct: 80 | 100;
                                /** @description executed volume in the period, at the booking that crossed the threshold */
                                used_usd: string;
                            } & {
                                [key: string]: unknown;
                            };
                            environment: "sandbox" | "live";
                            /** @enum {string} */
                            event: "partner.limit_warning";
                            /** @description the event id (UUID); also the webhook-id of its deliveries */
                            id: string;
                            timestamp: string;
                        } | {
                            /** @description which key, and when it expires */
                            data: {
                                days_before: number;
                                environment: string;
                                expires_at: string;
                                key_id: string;
                                partner_id: string;
                                prefix: string;
                            } & {
                                [key: string]: unknown;
                            };
                            environment: "sandbox" | "live";
                            /** @enum {string} */
                            event: "partner.credential_expiring";
                            /** @description the event id (UUID); also the webhook-id of its deliveries */
                            id: string;
                            timestamp: string;
                        } | {
                            /** @description which quote was filled, and the amounts booked on the prefunded balances */
                            data: {
                                execution_id: string;
                                /** @description what the counterparty paid (the taker’s destination asset) */
                                paid: string;
                                paid_asset: string;
                                pair: string;
                                parent_order_id: string | null;
                                /** @description the counterparty's own quote id, from its answer */
                                quote_id: string;
                                /** @description QUOTE per BASE, as the counterparty answered */
                                rate: string;
                                /** @description what the counterparty received (the taker’s source asset) */
                                received: string;
                                received_asset: string;
                                rfq_id: string;
                                /** @description SPEC §1, from the taker’s view */
                                side: string;
                                tranche_id: string | null;
                            } & {
                                [key: string]: unknown;
                            };
                            environment: "sandbox" | "live";
                            /** @enum {string} */
                            event: "rfq.filled";
                            /** @description the event id (UUID); also the webhook-id of its deliveries */
                            id: string;
                            timestamp: string;
                        } | {
                            /** @description the instruction; the Travel Rule data itself is never in an event */
                            data: {
                                /** @description the camt.054-like deposit_confirmation when the execution settled; null while it is PENDING */
                                deposit_confirmation: {
                                    [key: string]: unknown;
                                } | null;
                                execution_id: string;
                                /** @description the pacs.008-like payment_instruction message */
                                instruction: {
                                    [key: string]: unknown;
                                };
                                payment_id: string;
                                /** @description IVMS101 data is attached: read it from GET /v1/payments/{id} */
                                travel_rule_included: boolean;
                                /** @description UUID v4, the payment’s end-to-end reference */
                                uetr: string;
                            } & {
                                [key: string]: unknown;
                            };
                            environment: "sandbox" | "live";
                            /** @enum {string} */
                            event: "payment.instruction";
                            /** @description the event id (UUID); also the webhook-id of its deliveries */
                            id: string;
                            timestamp: string;
                        } | {
                            /** @description the status report */
                            data: {
                                execution_id: string;
                                /** @description the pacs.002-like payment_status message */
                                message: {
                                    [key: string]: unknown;
                                };
                                payment_id: string;
                                /** @description ISO 20022 status reason code, e.g. AC01 */
                                reason: string | null;
                                /** @description ACCP, ACSP, ACSC or RJCT */
                                status: string;
                                uetr: string;
                            } & {
                                [key: string]: unknown;
                            };
                            environment: "sandbox" | "live";
                            /** @enum {string} */
                            event: "payment.status";
                            /** @description the event id (UUID); also the webhook-id of its deliveries */
                            id: string;
                            timestamp: string;
                        } | {
                            /** @description the rollback signal */
                            data: {
                                execution_id: string;
                                /** @description REVERSED, NOT_REVERSIBLE or ALREADY_REVERSED */
                                execution_reversal: string;
                                /** @description the camt.056-like rollback_signal message */
                                message: {
                                    [key: string]: unknown;
                                };
                                payment_id: string;
                                /** @description the rejection’s reason code */
                                reason: string;
                                uetr: string;
                            } & {
                                [key: string]: unknown;
                            };
                            environment: "sandbox" | "live";
                            /** @enum {string} */
                            event: "payment.rollback";
                            /** @description the event id (UUID); also the webhook-id of its deliveries */
                            id: string;
                            timestamp: string;
                        } | {
                            data: {
                                [key: string]: unknown;
                            };
                            environment: "sandbox" | "live";
                            event: string;
                            id: string;
                            timestamp: string;
                        })[];
                        /** @description the cursor of the last item, or `after` again when there is none */
                        next_cursor: string | null;
                    };
                };
            };
        };
    };
    getEvent: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description SPEC §10 event envelope {id, event, timestamp, environment, data} */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** @description the execution, as GET /v1/executions/{id} answers, status SETTLED */
                        data: {
                            client_ref: string | null;
                            created_at: string;
                            destination_address: string;
                            destination_amount: string;
                            destination_asset: string;
                            execution_id: string;
                            execution_path: string;
                            failure_reason: string | null;
                            filled_rate: string;
                            pair: string;
                            platform_fee: string;
                            platform_fee_currency: string;
                            quote_id: string;
                            settled_at: string | null;
                            side: string;
                            source_amount: string;
                            source_asset: string;
                            state_flag: string;
                            status: string;
                            tx_hash: string | null;
                        } & {
                            [key: string]: unknown;
                        };
                        environment: "sandbox" | "live";
                        /** @enum {string} */
                        event: "execution.settled";
                        /** @description the event id (UUID); also the webhook-id of its deliveries */
                        id: string;
                        timestamp: string;
                    } | {
                        /** @description the execution, status FAILED, and the reason */
                        data: {
                            client_ref: string | null;
                            created_at: string;
                            destination_address: string;
                            destination_amount: string;
                            destination_asset: string;
                            execution_id: string;
                            execution_path: string;
                            failure_reason: string | null;
                            filled_rate: string;
                            pair: string;
                            platform_fee: string;
                            platform_fee_currency: string;
                            quote_id: string;
                            /** @description e.g. ON_CHAIN_REVERT */
                            reason: string;
                            settled_at: string | null;
                            side: string;
                            source_amount: string;
                            source_asset: string;
                            state_flag: string;
                            status: string;
                            tx_hash: string | null;
                        } & {
                            [key: string]: unknown;
                        };
                        environment: "sandbox" | "live";
                        /** @enum {string} */
                        event: "execution.failed";
                        /** @description the event id (UUID); also the webhook-id of its deliveries */
                        id: string;
                        timestamp: string;
                    } | {
                        /** @description what the reversal gave back */
                        data: {
                            destination_asset: string;
                            execution_id: string;
                            pair: string;
                            quote_id: string;
                            reason: string;
                            returned_amount: string;
                            /** @description the source asset credited back */
                            returned_asset: string;
                            /** @description the reversing journal entry */
                            reversal_entry_id: string;
                            rolled_back_at: string;
                            side: string;
                            /** @description the net destination amount that was not sent */
                            unsent_amount: string;
                        } & {
                            [key: string]: unknown;
                        };
                        environment: "sandbox" | "live";
                        /** @enum {string} */
                        event: "execution.rolled_back";
                        /** @description the event id (UUID); also the webhook-id of its deliveries */
                        id: string;
                        timestamp: string;
                    } | {
                        /** @description the quote as it was issued */
                        data: {
                            amount: string;
                            client_ref: string | null;
                            destination_amount: string;
                            destination_asset: string;
                            expiry_timestamp: string;
                            pair: string;
                            quote_id: string;
                            side: string;
                            source_asset: string;
                        } & {
                            [key: string]: unknown;
                        };
                        environment: "sandbox" | "live";
                        /** @enum {string} */
                        event: "quote.expired";
                        /** @description the event id (UUID); also the webhook-id of its deliveries */
                        id: string;
                        timestamp: string;
                    } | {
                        /** @description SPEC §10 fields */
                        data: {
                            corridor: string;
                            previous_state: string;
                            /** @description the reasons, joined by "; " */
                            reason: string;
                            state: string;
                        } & {
                            [key: string]: unknown;
                        };
                        environment: "sandbox" | "live";
                        /** @enum {string} */
                        event: "system.state_change";
                        /** @description the event id (UUID); also the webhook-id of its deliveries */
                        id: string;
                        timestamp: string;
                    } | {
                        /** @description the deposit, as POST /v1/lp/deposits answers */
                        data: {
                            amount: string;
                            asset: string;
                            deposit_id: string;
                            status: string;
                            tx_hash: string | null;
                        } & {
                            [key: string]: unknown;
                        };
                        environment: "sandbox" | "live";
                        /** @enum {string} */
                        event: "deposit.confirmed";
                        /** @description the event id (UUID); also the webhook-id of its deliveries */
                        id: string;
                        timestamp: string;
                    } | {
                        /** @description the withdrawal, as GET /v1/lp/withdrawals/{id} answers */
                        data: {
                            status: string;
                            withdrawal_id: string;
                        } & {
                            [key: string]: unknown;
                        };
                        environment: "sandbox" | "live";
                        /** @enum {string} */
                        event: "withdrawal.queued";
                        /** @description the event id (UUID); also the webhook-id of its deliveries */
                        id: string;
                        timestamp: string;
                    } | {
                        /** @description the withdrawal, as GET /v1/lp/withdrawals/{id} answers */
                        data: {
                            status: string;
                            withdrawal_id: string;
                        } & {
                            [key: string]: unknown;
                        };
                        environment: "sandbox" | "live";
                        /** @enum {string} */
                        event: "withdrawal.completed";
                        /** @description the event id (UUID); also the webhook-id of its deliveries */
                        id: string;
                        timestamp: string;
                    } | {
                        data: ({
                            /** @description the net destination amount */
                            amount: string;
                            /** @description the destination asset sent */
                            asset: string;
                            confirmed_at: string;
                            destination_address: string;
                            execution_id: string;
                            quote_id: string;
                            tx_hash: string;
                        } & {
                            [key: string]: unknown;
                        }) | ({
                            /** @description in smallest units of the asset, rounded down from amount_wad */
                            amount: string;
                            /** @description exact, 18 decimals as an integer */
                            amount_wad: string;
                            asset: string;
                            /** @description TO_VENUE: stablefx pays what it owes; FROM_VENUE: the venue pays stablefx */
                            direction: "TO_VENUE" | "FROM_VENUE";
                            /** @description the legal entity */
                            entity: "lending" | "defi";
                            settlement_id: string;
                            /** @enum {string} */
                            source: "yield_venue";
                            tx_hash: string | null;
                        } & {
                            [key: string]: unknown;
                        });
                        environment: "sandbox" | "live";
                        /** @enum {string} */
                        event: "settlement.confirmed";
                        /** @description the event id (UUID); also the webhook-id of its deliveries */
                        id: string;
                        timestamp: string;
                    } | {
                        data: ({
                            /** @description the net destination amount */
                            amount: string;
                            /** @description the destination asset sent */
                            asset: string;
                            destination_address: string;
                            execution_id: string;
                            failed_at: string;
                            quote_id: string;
                            /** @description e.g. ON_CHAIN_REVERT */
                            reason: string;
                        } & {
                            [key: string]: unknown;
                        }) | ({
                            /** @description in smallest units of the asset, rounded down from amount_wad */
                            amount: string;
                            /** @description exact, 18 decimals as an integer */
                            amount_wad: string;
                            asset: string;
                            /** @description TO_VENUE: stablefx pays what it owes; FROM_VENUE: the venue pays stablefx */
                            direction: "TO_VENUE" | "FROM_VENUE";
                            /** @description the legal entity */
                            entity: "lending" | "defi";
                            reason: string;
                            settlement_id: string;
                            /** @enum {string} */
                            source: "yield_venue";
                            tx_hash: string | null;
                        } & {
                            [key: string]: unknown;
                        });
                        environment: "sandbox" | "live";
                        /** @enum {string} */
                        event: "settlement.failed";
                        /** @description the event id (UUID); also the webhook-id of its deliveries */
                        id: string;
                        timestamp: string;
                    } | {
                        /** @description the movement, its legs (`moved`) and the batches it netted or filled */
                        data: {
                            amount_usd: string;
                            corridor: string;
                            direction: string;
                            rate: string;
                            rebalance_id: string;
                            trigger: string;
                        } & {
                            [key: string]: unknown;
                        };
                        environment: "sandbox" | "live";
                        /** @enum {string} */
                        event: "rebalance.executed";
                        /** @description the event id (UUID); also the webhook-id of its deliveries */
                        id: string;
                        timestamp: string;
                    } | {
                        /** @description which limit, which threshold */
                        data: {
                            /** @description the corridor of a daily limit; null for the monthly one */
                            corridor: string | null;
                            limit: "DAILY_CORRIDOR" | "MONTHLY";
                            limit_usd: string;
                            /** @description YYYY-MM-DD or YYYY-MM */
                            period: string;
                            threshold_pct: 80 | 100;
                            /** @description executed volume in the period, at the booking that crossed the threshold */
                            used_usd: string;
                        } & {
                            [key: string]: unknown;
                        };
                        environment: "sandbox" | "live";
                        /** @enum {string} */
                        event: "partner.limit_warning";
                        /** @description the event id (UUID); also the webhook-id of its deliveries */
                        id: string;
                        timestamp: string;
                    } | {
                        /** @description which key, and when it expires */
                        data: {
                            days_before: number;
                            environment: string;
                            expires_at: string;
                            key_id: string;
                            partner_id: string;
                            prefix: string;
                        } & {
                            [key: string]: unknown;
                        };
                        environment: "sandbox" | "live";
                        /** @enum {string} */
                        event: "partner.credential_expiring";
                        /** @description the event id (UUID); also the webhook-id of its deliveries */
                        id: string;
                        timestamp: string;
                    } | {
                        /** @description which quote was filled, and the amounts booked on the prefunded balances */
                        data: {
                            execution_id: string;
                            /** @description what the counterparty paid (the taker’s destination asset) */
                            paid: string;
                            paid_asset: string;
                            pair: string;
                            parent_order_id: string | null;
                            /** @description the counterparty's own quote id, from its answer */
                            quote_id: string;
                            /** @description QUOTE per BASE, as the counterparty answered */
                            rate: string;
                            /** @description what the counterparty received (the taker’s source asset) */
                            received: string;
                            received_asset: string;
                            rfq_id: string;
                            /** @description SPEC §1, from the taker’s view */
                            side: string;
                            tranche_id: string | null;
                        } & {
                            [key: string]: unknown;
                        };
                        environment: "sandbox" | "live";
                        /** @enum {string} */
                        event: "rfq.filled";
                        /** @description the event id (UUID); also the webhook-id of its deliveries */
                        id: string;
                        timestamp: string;
                    } | {
                        /** @description the instruction; the Travel Rule data itself is never in an event */
                        data: {
                            /** @description the camt.054-like deposit_confirmation when the execution settled; null while it is PENDING */
                            deposit_confirmation: {
                                [key: string]: unknown;
                            } | null;
                            execution_id: string;
                            /** @description the pacs.008-like payment_instruction message */
                            instruction: {
                                [key: string]: unknown;
                            };
                            payment_id: string;
                            /** @description IVMS101 data is attached: read it from GET /v1/payments/{id} */
                            travel_rule_included: boolean;
                            /** @description UUID v4, the payment’s end-to-end reference */
                            uetr: string;
                        } & {
                            [key: string]: unknown;
                        };
                        environment: "sandbox" | "live";
                        /** @enum {string} */
                        event: "payment.instruction";
                        /** @description the event id (UUID); also the webhook-id of its deliveries */
                        id: string;
                        timestamp: string;
                    } | {
                        /** @description the status report */
                        data: {
                            execution_id: string;
                            /** @description the pacs.002-like payment_status message */
                            message: {
                                [key: string]: unknown;
                            };
                            payment_id: string;
                            /** @description ISO 20022 status reason code, e.g. AC01 */
                            reason: string | null;
                            /** @description ACCP, ACSP, ACSC or RJCT */
                            status: string;
                            uetr: string;
                        } & {
                            [key: string]: unknown;
                        };
                        environment: "sandbox" | "live";
                        /** @enum {string} */
                        event: "payment.status";
                        /** @description the event id (UUID); also the webhook-id of its deliveries */
                        id: string;
                        timestamp: string;
                    } | {
                        /** @description the rollback signal */
                        data: {
                            execution_id: string;
                            /** @description REVERSED, NOT_REVERSIBLE or ALREADY_REVERSED */
                            execution_reversal: string;
                            /** @description the camt.056-like rollback_signal message */
                            message: {
                                [key: string]: unknown;
                            };
                            payment_id: string;
                            /** @description the rejection’s reason code */
                            reason: string;
                            uetr: string;
                        } & {
                            [key: string]: unknown;
                        };
                        environment: "sandbox" | "live";
                        /** @enum {string} */
                        event: "payment.rollback";
                        /** @description the event id (UUID); also the webhook-id of its deliveries */
                        id: string;
                        timestamp: string;
                    } | {
                        data: {
                            [key: string]: unknown;
                        };
                        environment: "sandbox" | "live";
                        event: string;
                        id: string;
                        timestamp: string;
                    };
                };
            };
        };
    };
    streamEvents: {
        parameters: {
            query?: never;
            header?: {
                /** @description resume after this event: the `id` of the last frame received (a feed cursor) */
                "last-event-id"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description text/event-stream: frames `id: <cursor>`, `event: <type>`, `data: <envelope JSON>`; comment lines are heartbeats */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "text/event-stream": string;
                };
            };
        };
    };
    postExecute: {
        parameters: {
            query?: never;
            header?: {
                /** @description 16–255 printable characters; a retry with the same key and body replays the first answer (SPEC §14.3) */
                "idempotency-key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    amount?: string | number;
                    client_ref?: string;
                    destination_address: string;
                    quote_id: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        client_ref: string | null;
                        created_at: string;
                        destination_address: string;
                        destination_amount: string;
                        destination_asset: string;
                        execution_id: string;
                        execution_path: string;
                        failure_reason: string | null;
                        filled_rate: string;
                        pair: string;
                        platform_fee: string;
                        platform_fee_currency: string;
                        quote_id: string;
                        settled_at: string | null;
                        side: string;
                        source_amount: string;
                        source_asset: string;
                        state_flag: string;
                        status: string;
                        tx_hash: string | null;
                    };
                };
            };
        };
    };
    getExecutions: {
        parameters: {
            query?: {
                client_ref?: string;
                cursor?: string;
                from?: string;
                limit?: string;
                status?: "PENDING" | "SETTLED" | "FAILED" | "ROLLED_BACK";
                to?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            client_ref: string | null;
                            created_at: string;
                            destination_address: string;
                            destination_amount: string;
                            destination_asset: string;
                            execution_id: string;
                            execution_path: string;
                            failure_reason: string | null;
                            filled_rate: string;
                            pair: string;
                            platform_fee: string;
                            platform_fee_currency: string;
                            quote_id: string;
                            settled_at: string | null;
                            side: string;
                            source_amount: string;
                            source_asset: string;
                            state_flag: string;
                            status: string;
                            tx_hash: string | null;
                        }[];
                        next_cursor: string | null;
                    };
                };
            };
        };
    };
    getExecutionsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        client_ref: string | null;
                        created_at: string;
                        destination_address: string;
                        destination_amount: string;
                        destination_asset: string;
                        execution_id: string;
                        execution_path: string;
                        failure_reason: string | null;
                        filled_rate: string;
                        pair: string;
                        platform_fee: string;
                        platform_fee_currency: string;
                        quote_id: string;
                        settled_at: string | null;
                        side: string;
                        source_amount: string;
                        source_asset: string;
                        state_flag: string;
                        status: string;
                        tx_hash: string | null;
                    };
                };
            };
        };
    };
    postFirmQuote: {
        parameters: {
            query?: never;
            header?: {
                /** @description 16–255 printable characters; a retry with the same key and body replays the first answer (SPEC §14.3) */
                "idempotency-key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    amount?: string | number;
                    client_ref?: string;
                    destination_amount?: string | number;
                    pair: "USD-IDR" | "USD-SGD" | "MYR-IDR";
                    side: "BUY" | "SELL";
                };
            };
        };
        responses: {
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        adjusted_mid: string;
                        allowed_direction: string;
                        amount: string;
                        ask: string;
                        bid: string;
                        client_ref: string | null;
                        destination_amount: string;
                        destination_asset: string;
                        execution_path: string;
                        expiry_timestamp: string;
                        fee_breakdown: {
                            base_spread_bps: string;
                            fixed_fee: string;
                            fixed_fee_currency: string;
                            inventory_skew_bps: string;
                            liquidity_bps: string;
                            tier: string;
                            total_fee: string;
                            variable_fee: string;
                            variable_fee_bips: string;
                            volatility_bps: string;
                        };
                        max_size: string;
                        max_size_currency: string;
                        mid: string;
                        pair: string;
                        parent_order_id?: string | null;
                        quote_id: string;
                        quote_type: string;
                        rate: string;
                        rate_source: string;
                        side: string;
                        source_asset: string;
                        spread_bps: string;
                        state_flag: string;
                        timestamp: string;
                        tranches?: {
                            amount: string;
                            counterparty: string;
                            rate: string;
                            tranche_id: string | null;
                        }[];
                    };
                };
            };
        };
    };
    postIssuerMintsByIdComplete: {
        parameters: {
            query?: never;
            header?: {
                /** @description 16–255 printable characters; a retry with the same key and body replays the first answer (SPEC §14.3) */
                "idempotency-key"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    tx_hash: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        amount: string;
                        asset: string;
                        created_at: string;
                        destination: string;
                        environment: string;
                        error: string | null;
                        issuer_id: string;
                        kind: string;
                        mint_id?: string | null;
                        pay_with: {
                            amount: string;
                            asset: string;
                        };
                        purpose: string;
                        redeem_id?: string | null;
                        request_id: string;
                        status: string;
                        tx_hash: string | null;
                        updated_at: string;
                    };
                };
            };
        };
    };
    postIssuerRedeemsByIdComplete: {
        parameters: {
            query?: never;
            header?: {
                /** @description 16–255 printable characters; a retry with the same key and body replays the first answer (SPEC §14.3) */
                "idempotency-key"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    tx_hash: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        amount: string;
                        asset: string;
                        created_at: string;
                        destination: string;
                        environment: string;
                        error: string | null;
                        issuer_id: string;
                        kind: string;
                        mint_id?: string | null;
                        pay_with: {
                            amount: string;
                            asset: string;
                        };
                        purpose: string;
                        redeem_id?: string | null;
                        request_id: string;
                        status: string;
                        tx_hash: string | null;
                        updated_at: string;
                    };
                };
            };
        };
    };
    postLpDeposits: {
        parameters: {
            query?: never;
            header?: {
                /** @description 16–255 printable characters; a retry with the same key and body replays the first answer (SPEC §14.3) */
                "idempotency-key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    amount: string | number;
                    asset: "USDT" | "IDRX" | "tnSGD" | "MYRC";
                    from_address: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description the deposit: booked now, or pending for Pool room (SPEC §7.1) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
        };
    };
    getLpPools: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success: the JSON body the route’s summary describes */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
        };
    };
    getLpPositions: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success: the JSON body the route’s summary describes */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
        };
    };
    getLpWithdrawals: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success: the JSON body the route’s summary describes */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
        };
    };
    postLpWithdrawals: {
        parameters: {
            query?: never;
            header?: {
                /** @description 16–255 printable characters; a retry with the same key and body replays the first answer (SPEC §14.3) */
                "idempotency-key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    amount?: string | number;
                    asset: "USDT" | "IDRX" | "tnSGD" | "MYRC";
                    shares?: string;
                    to_address: string;
                    variant: "fx" | "full";
                };
            };
        };
        responses: {
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description the queued withdrawal, as GET /v1/lp/withdrawals shows it */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
        };
    };
    postPayments: {
        parameters: {
            query?: never;
            header?: {
                /** @description 16–255 printable characters; a retry with the same key and body replays the first answer (SPEC §14.3) */
                "idempotency-key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                /**
                 * @example {
                 *       "execution_id": "b46c2bdc-e206-4461-9db7-c505b03fea91",
                 *       "off_ramp_partner_id": "06c95774-f409-4eef-bd3e-05b0a312c665",
                 *       "rail": "BANK_TRANSFER",
                 *       "beneficiary": {
                 *         "name": "Budi Santoso",
                 *         "country": "ID",
                 *         "account_number": "1234567890",
                 *         "bic": "CENAIDJA"
                 *       },
                 *       "end_to_end_id": "REMIT-2026-0001",
                 *       "remittance_information": "Family support December",
                 *       "travel_rule": {
                 *         "originator": {
                 *           "originatorPersons": [
                 *             {
                 *               "naturalPerson": {
                 *                 "name": {
                 *                   "nameIdentifier": [
                 *                     {
                 *                       "primaryIdentifier": "Tan",
                 *                       "secondaryIdentifier": "Mei Ling",
                 *                       "nameIdentifierType": "LEGL"
                 *                     }
                 *                   ]
                 *                 },
                 *                 "geographicAddress": [
                 *                   {
                 *                     "addressType": "HOME",
                 *                     "streetName": "Orchard Road",
                 *                     "buildingNumber": "391",
                 *                     "postCode": "238872",
                 *                     "townName": "Singapore",
                 *                     "country": "SG"
                 *                   }
                 *                 ]
                 *               }
                 *             }
                 *           ],
                 *           "accountNumber": [
                 *             "0x8ba1f109551bd432803012645ac136ddd64dba72"
                 *           ]
                 *         },
                 *         "beneficiary": {
                 *           "beneficiaryPersons": [
                 *             {
                 *               "naturalPerson": {
                 *                 "name": {
                 *                   "nameIdentifier": [
                 *                     {
                 *                       "primaryIdentifier": "Santoso",
                 *                       "secondaryIdentifier": "Budi",
                 *                       "nameIdentifierType": "LEGL"
                 *                     }
                 *                   ]
                 *                 }
                 *               }
                 *             }
                 *           ],
                 *           "accountNumber": [
                 *             "1234567890"
                 *           ]
                 *         }
                 *       }
                 *     }
                 */
                "application/json": {
                    beneficiary: {
                        [key: string]: unknown;
                    };
                    end_to_end_id?: string;
                    execution_id: string;
                    off_ramp_partner_id: string;
                    rail: "BANK_TRANSFER" | "E_WALLET" | "CARD";
                    remittance_information?: string;
                    travel_rule?: {
                        [key: string]: unknown;
                    };
                };
            };
        };
        responses: {
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            201: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        amount: {
                            currency: string;
                            value: string;
                        };
                        answer_by: string | null;
                        beneficiary: {
                            [key: string]: unknown;
                        };
                        created_at: string;
                        end_to_end_id: string;
                        execution_id: string;
                        /**
                         * @description the message history, oldest first: one message per type shown
                         * @example [
                         *       {
                         *         "message_type": "beneficiary_validation_request",
                         *         "iso_model": "acmt.023",
                         *         "message_id": "6704fa0e-fe21-4469-95d2-d54beb8f06d8",
                         *         "execution_id": "b46c2bdc-e206-4461-9db7-c505b03fea91",
                         *         "payment_id": "4b69136e-0b94-4878-9481-01b0bcf8ebd7",
                         *         "uetr": "d755ca25-2cb8-4e1e-a214-11a85a0a0e77",
                         *         "creation_date_time": "2026-12-03T09:00:00.000Z",
                         *         "local_instrument": "BANK_TRANSFER",
                         *         "party": {
                         *           "name": "Budi Santoso",
                         *           "country": "ID"
                         *         },
                         *         "account": {
                         *           "name": "Budi Santoso",
                         *           "country": "ID",
                         *           "account_number": "1234567890",
                         *           "bic": "CENAIDJA"
                         *         }
                         *       },
                         *       {
                         *         "message_type": "beneficiary_validation_result",
                         *         "iso_model": "acmt.024",
                         *         "message_id": "26f2c97e-4510-4148-82bc-6b71f135b331",
                         *         "execution_id": "b46c2bdc-e206-4461-9db7-c505b03fea91",
                         *         "payment_id": "4b69136e-0b94-4878-9481-01b0bcf8ebd7",
                         *         "uetr": "d755ca25-2cb8-4e1e-a214-11a85a0a0e77",
                         *         "creation_date_time": "2026-12-03T09:00:00.000Z",
                         *         "original_message_id": "6704fa0e-fe21-4469-95d2-d54beb8f06d8",
                         *         "verification": true,
                         *         "errors": []
                         *       },
                         *       {
                         *         "message_type": "deposit_confirmation",
                         *         "iso_model": "camt.054",
                         *         "message_id": "c8b88897-d359-4916-b858-bf1948c36e3f",
                         *         "execution_id": "b46c2bdc-e206-4461-9db7-c505b03fea91",
                         *         "payment_id": "4b69136e-0b94-4878-9481-01b0bcf8ebd7",
                         *         "uetr": "d755ca25-2cb8-4e1e-a214-11a85a0a0e77",
                         *         "creation_date_time": "2026-12-03T09:00:00.000Z",
                         *         "account_owner": {
                         *           "partner_id": "06c95774-f409-4eef-bd3e-05b0a312c665",
                         *           "name": "Jakarta Payout"
                         *         },
                         *         "entry": {
                         *           "amount": {
                         *             "value": "24346989.83",
                         *             "currency": "IDRX"
                         *           },
                         *           "credit_debit_indicator": "CRDT",
                         *           "status": "BOOK",
                         *           "booking_date_time": "2026-12-03T08:59:58.000Z",
                         *           "account_servicer_reference": "0x42caa48342bca6189e16d25025182bab2d167ae9a2b9d7a22d16336ae745322f"
                         *         }
                         *       },
                         *       {
                         *         "message_type": "payment_instruction",
                         *         "iso_model": "pacs.008",
                         *         "message_id": "60d9174c-b051-4651-aaa3-4ceea60c9c89",
                         *         "execution_id": "b46c2bdc-e206-4461-9db7-c505b03fea91",
                         *         "payment_id": "4b69136e-0b94-4878-9481-01b0bcf8ebd7",
                         *         "uetr": "d755ca25-2cb8-4e1e-a214-11a85a0a0e77",
                         *         "creation_date_time": "2026-12-03T09:00:00.000Z",
                         *         "payment_identification": {
                         *           "end_to_end_id": "REMIT-2026-0001",
                         *           "uetr": "d755ca25-2cb8-4e1e-a214-11a85a0a0e77"
                         *         },
                         *         "payment_type_information": {
                         *           "local_instrument": "BANK_TRANSFER"
                         *         },
                         *         "instructed_amount": {
                         *           "value": "24346989.83",
                         *           "currency": "IDR"
                         *         },
                         *         "interbank_settlement_amount": {
                         *           "value": "24346989.83",
                         *           "currency": "IDRX"
                         *         },
                         *         "debtor": {
                         *           "partner_id": "66dcee40-c143-4dee-a0cc-10e3f7e61cb1",
                         *           "name": "Lion City Ramp"
                         *         },
                         *         "debtor_agent": {
                         *           "partner_id": "66dcee40-c143-4dee-a0cc-10e3f7e61cb1",
                         *           "name": "Lion City Ramp"
                         *         },
                         *         "creditor_agent": {
                         *           "partner_id": "06c95774-f409-4eef-bd3e-05b0a312c665",
                         *           "name": "Jakarta Payout",
                         *           "bicfi": "CENAIDJA"
                         *         },
                         *         "creditor": {
                         *           "name": "Budi Santoso",
                         *           "postal_address": {
                         *             "country": "ID"
                         *           }
                         *         },
                         *         "creditor_account": {
                         *           "other": {
                         *             "identification": "1234567890",
                         *             "scheme_name": "BBAN"
                         *           }
                         *         },
                         *         "remittance_information": {
                         *           "unstructured": "Family support December"
                         *         },
                         *         "travel_rule": {
                         *           "included": true
                         *         }
                         *       },
                         *       {
                         *         "message_type": "payment_status",
                         *         "iso_model": "pacs.002",
                         *         "message_id": "9dce93d1-5729-44c2-bb3a-4a35f0808420",
                         *         "execution_id": "b46c2bdc-e206-4461-9db7-c505b03fea91",
                         *         "payment_id": "4b69136e-0b94-4878-9481-01b0bcf8ebd7",
                         *         "uetr": "d755ca25-2cb8-4e1e-a214-11a85a0a0e77",
                         *         "creation_date_time": "2026-12-03T09:00:00.000Z",
                         *         "original_message_id": "60d9174c-b051-4651-aaa3-4ceea60c9c89",
                         *         "original_end_to_end_id": "REMIT-2026-0001",
                         *         "transaction_status": "RJCT",
                         *         "status_reason_information": {
                         *           "reason": "AC04",
                         *           "description": "ClosedAccountNumber: the account is closed",
                         *           "additional_information": null
                         *         },
                         *         "instructing_agent": {
                         *           "partner_id": "06c95774-f409-4eef-bd3e-05b0a312c665",
                         *           "name": "Jakarta Payout"
                         *         }
                         *       },
                         *       {
                         *         "message_type": "rollback_signal",
                         *         "iso_model": "camt.056",
                         *         "message_id": "aefa23cd-cb2a-4445-bbd1-af9eaff885df",
                         *         "execution_id": "b46c2bdc-e206-4461-9db7-c505b03fea91",
                         *         "payment_id": "4b69136e-0b94-4878-9481-01b0bcf8ebd7",
                         *         "uetr": "d755ca25-2cb8-4e1e-a214-11a85a0a0e77",
                         *         "creation_date_time": "2026-12-03T09:00:00.000Z",
                         *         "original_end_to_end_id": "REMIT-2026-0001",
                         *         "original_message_id": "9dce93d1-5729-44c2-bb3a-4a35f0808420",
                         *         "cancellation_reason": {
                         *           "reason": "AC04",
                         *           "description": "ClosedAccountNumber: the account is closed"
                         *         },
                         *         "execution_reversal": {
                         *           "status": "REVERSED",
                         *           "reversal_entry_id": "412",
                         *           "returned_asset": "USDT",
                         *           "returned_amount": "1500"
                         *         }
                         *       }
                         *     ]
                         */
                        messages: {
                            [key: string]: unknown;
                        }[];
                        off_ramp_partner_id: string;
                        originator_partner_id: string;
                        payment_id: string;
                        rail: string;
                        reason: string | null;
                        remittance_information: string | null;
                        rollback: string | null;
                        settlement_amount: {
                            asset: string;
                            value: string;
                        };
                        /** @description RCVD, then the last ISO status received: ACCP, ACSP, ACSC or RJCT */
                        status: string;
                        travel_rule: {
                            [key: string]: unknown;
                        } | null;
                        uetr: string;
                        updated_at: string;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            errors?: {
                                code: string;
                                field: string;
                                message: string;
                            }[];
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
        };
    };
    getPaymentsById: {
        parameters: {
            query?: never;
            header?: never;
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        amount: {
                            currency: string;
                            value: string;
                        };
                        answer_by: string | null;
                        beneficiary: {
                            [key: string]: unknown;
                        };
                        created_at: string;
                        end_to_end_id: string;
                        execution_id: string;
                        /**
                         * @description the message history, oldest first: one message per type shown
                         * @example [
                         *       {
                         *         "message_type": "beneficiary_validation_request",
                         *         "iso_model": "acmt.023",
                         *         "message_id": "6704fa0e-fe21-4469-95d2-d54beb8f06d8",
                         *         "execution_id": "b46c2bdc-e206-4461-9db7-c505b03fea91",
                         *         "payment_id": "4b69136e-0b94-4878-9481-01b0bcf8ebd7",
                         *         "uetr": "d755ca25-2cb8-4e1e-a214-11a85a0a0e77",
                         *         "creation_date_time": "2026-12-03T09:00:00.000Z",
                         *         "local_instrument": "BANK_TRANSFER",
                         *         "party": {
                         *           "name": "Budi Santoso",
                         *           "country": "ID"
                         *         },
                         *         "account": {
                         *           "name": "Budi Santoso",
                         *           "country": "ID",
                         *           "account_number": "1234567890",
                         *           "bic": "CENAIDJA"
                         *         }
                         *       },
                         *       {
                         *         "message_type": "beneficiary_validation_result",
                         *         "iso_model": "acmt.024",
                         *         "message_id": "26f2c97e-4510-4148-82bc-6b71f135b331",
                         *         "execution_id": "b46c2bdc-e206-4461-9db7-c505b03fea91",
                         *         "payment_id": "4b69136e-0b94-4878-9481-01b0bcf8ebd7",
                         *         "uetr": "d755ca25-2cb8-4e1e-a214-11a85a0a0e77",
                         *         "creation_date_time": "2026-12-03T09:00:00.000Z",
                         *         "original_message_id": "6704fa0e-fe21-4469-95d2-d54beb8f06d8",
                         *         "verification": true,
                         *         "errors": []
                         *       },
                         *       {
                         *         "message_type": "deposit_confirmation",
                         *         "iso_model": "camt.054",
                         *         "message_id": "c8b88897-d359-4916-b858-bf1948c36e3f",
                         *         "execution_id": "b46c2bdc-e206-4461-9db7-c505b03fea91",
                         *         "payment_id": "4b69136e-0b94-4878-9481-01b0bcf8ebd7",
                         *         "uetr": "d755ca25-2cb8-4e1e-a214-11a85a0a0e77",
                         *         "creation_date_time": "2026-12-03T09:00:00.000Z",
                         *         "account_owner": {
                         *           "partner_id": "06c95774-f409-4eef-bd3e-05b0a312c665",
                         *           "name": "Jakarta Payout"
                         *         },
                         *         "entry": {
                         *           "amount": {
                         *             "value": "24346989.83",
                         *             "currency": "IDRX"
                         *           },
                         *           "credit_debit_indicator": "CRDT",
                         *           "status": "BOOK",
                         *           "booking_date_time": "2026-12-03T08:59:58.000Z",
                         *           "account_servicer_reference": "0x42caa48342bca6189e16d25025182bab2d167ae9a2b9d7a22d16336ae745322f"
                         *         }
                         *       },
                         *       {
                         *         "message_type": "payment_instruction",
                         *         "iso_model": "pacs.008",
                         *         "message_id": "60d9174c-b051-4651-aaa3-4ceea60c9c89",
                         *         "execution_id": "b46c2bdc-e206-4461-9db7-c505b03fea91",
                         *         "payment_id": "4b69136e-0b94-4878-9481-01b0bcf8ebd7",
                         *         "uetr": "d755ca25-2cb8-4e1e-a214-11a85a0a0e77",
                         *         "creation_date_time": "2026-12-03T09:00:00.000Z",
                         *         "payment_identification": {
                         *           "end_to_end_id": "REMIT-2026-0001",
                         *           "uetr": "d755ca25-2cb8-4e1e-a214-11a85a0a0e77"
                         *         },
                         *         "payment_type_information": {
                         *           "local_instrument": "BANK_TRANSFER"
                         *         },
                         *         "instructed_amount": {
                         *           "value": "24346989.83",
                         *           "currency": "IDR"
                         *         },
                         *         "interbank_settlement_amount": {
                         *           "value": "24346989.83",
                         *           "currency": "IDRX"
                         *         },
                         *         "debtor": {
                         *           "partner_id": "66dcee40-c143-4dee-a0cc-10e3f7e61cb1",
                         *           "name": "Lion City Ramp"
                         *         },
                         *         "debtor_agent": {
                         *           "partner_id": "66dcee40-c143-4dee-a0cc-10e3f7e61cb1",
                         *           "name": "Lion City Ramp"
                         *         },
                         *         "creditor_agent": {
                         *           "partner_id": "06c95774-f409-4eef-bd3e-05b0a312c665",
                         *           "name": "Jakarta Payout",
                         *           "bicfi": "CENAIDJA"
                         *         },
                         *         "creditor": {
                         *           "name": "Budi Santoso",
                         *           "postal_address": {
                         *             "country": "ID"
                         *           }
                         *         },
                         *         "creditor_account": {
                         *           "other": {
                         *             "identification": "1234567890",
                         *             "scheme_name": "BBAN"
                         *           }
                         *         },
                         *         "remittance_information": {
                         *           "unstructured": "Family support December"
                         *         },
                         *         "travel_rule": {
                         *           "included": true
                         *         }
                         *       },
                         *       {
                         *         "message_type": "payment_status",
                         *         "iso_model": "pacs.002",
                         *         "message_id": "9dce93d1-5729-44c2-bb3a-4a35f0808420",
                         *         "execution_id": "b46c2bdc-e206-4461-9db7-c505b03fea91",
                         *         "payment_id": "4b69136e-0b94-4878-9481-01b0bcf8ebd7",
                         *         "uetr": "d755ca25-2cb8-4e1e-a214-11a85a0a0e77",
                         *         "creation_date_time": "2026-12-03T09:00:00.000Z",
                         *         "original_message_id": "60d9174c-b051-4651-aaa3-4ceea60c9c89",
                         *         "original_end_to_end_id": "REMIT-2026-0001",
                         *         "transaction_status": "RJCT",
                         *         "status_reason_information": {
                         *           "reason": "AC04",
                         *           "description": "ClosedAccountNumber: the account is closed",
                         *           "additional_information": null
                         *         },
                         *         "instructing_agent": {
                         *           "partner_id": "06c95774-f409-4eef-bd3e-05b0a312c665",
                         *           "name": "Jakarta Payout"
                         *         }
                         *       },
                         *       {
                         *         "message_type": "rollback_signal",
                         *         "iso_model": "camt.056",
                         *         "message_id": "aefa23cd-cb2a-4445-bbd1-af9eaff885df",
                         *         "execution_id": "b46c2bdc-e206-4461-9db7-c505b03fea91",
                         *         "payment_id": "4b69136e-0b94-4878-9481-01b0bcf8ebd7",
                         *         "uetr": "d755ca25-2cb8-4e1e-a214-11a85a0a0e77",
                         *         "creation_date_time": "2026-12-03T09:00:00.000Z",
                         *         "original_end_to_end_id": "REMIT-2026-0001",
                         *         "original_message_id": "9dce93d1-5729-44c2-bb3a-4a35f0808420",
                         *         "cancellation_reason": {
                         *           "reason": "AC04",
                         *           "description": "ClosedAccountNumber: the account is closed"
                         *         },
                         *         "execution_reversal": {
                         *           "status": "REVERSED",
                         *           "reversal_entry_id": "412",
                         *           "returned_asset": "USDT",
                         *           "returned_amount": "1500"
                         *         }
                         *       }
                         *     ]
                         */
                        messages: {
                            [key: string]: unknown;
                        }[];
                        off_ramp_partner_id: string;
                        originator_partner_id: string;
                        payment_id: string;
                        rail: string;
                        reason: string | null;
                        remittance_information: string | null;
                        rollback: string | null;
                        settlement_amount: {
                            asset: string;
                            value: string;
                        };
                        /** @description RCVD, then the last ISO status received: ACCP, ACSP, ACSC or RJCT */
                        status: string;
                        travel_rule: {
                            [key: string]: unknown;
                        } | null;
                        uetr: string;
                        updated_at: string;
                    };
                };
            };
        };
    };
    postPaymentsByIdStatus: {
        parameters: {
            query?: never;
            header?: {
                /** @description 16–255 printable characters; a retry with the same key and body replays the first answer (SPEC §14.3) */
                "idempotency-key"?: string;
            };
            path: {
                id: string;
            };
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    additional_information?: string;
                    reason?: string;
                    status: "ACCP" | "ACSP" | "ACSC" | "RJCT";
                };
            };
        };
        responses: {
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        amount: {
                            currency: string;
                            value: string;
                        };
                        answer_by: string | null;
                        beneficiary: {
                            [key: string]: unknown;
                        };
                        created_at: string;
                        end_to_end_id: string;
                        execution_id: string;
                        /**
                         * @description the message history, oldest first: one message per type shown
                         * @example [
                         *       {
                         *         "message_type": "beneficiary_validation_request",
                         *         "iso_model": "acmt.023",
                         *         "message_id": "6704fa0e-fe21-4469-95d2-d54beb8f06d8",
                         *         "execution_id": "b46c2bdc-e206-4461-9db7-c505b03fea91",
                         *         "payment_id": "4b69136e-0b94-4878-9481-01b0bcf8ebd7",
                         *         "uetr": "d755ca25-2cb8-4e1e-a214-11a85a0a0e77",
                         *         "creation_date_time": "2026-12-03T09:00:00.000Z",
                         *         "local_instrument": "BANK_TRANSFER",
                         *         "party": {
                         *           "name": "Budi Santoso",
                         *           "country": "ID"
                         *         },
                         *         "account": {
                         *           "name": "Budi Santoso",
                         *           "country": "ID",
                         *           "account_number": "1234567890",
                         *           "bic": "CENAIDJA"
                         *         }
                         *       },
                         *       {
                         *         "message_type": "beneficiary_validation_result",
                         *         "iso_model": "acmt.024",
                         *         "message_id": "26f2c97e-4510-4148-82bc-6b71f135b331",
                         *         "execution_id": "b46c2bdc-e206-4461-9db7-c505b03fea91",
                         *         "payment_id": "4b69136e-0b94-4878-9481-01b0bcf8ebd7",
                         *         "uetr": "d755ca25-2cb8-4e1e-a214-11a85a0a0e77",
                         *         "creation_date_time": "2026-12-03T09:00:00.000Z",
                         *         "original_message_id": "6704fa0e-fe21-4469-95d2-d54beb8f06d8",
                         *         "verification": true,
                         *         "errors": []
                         *       },
                         *       {
                         *         "message_type": "deposit_confirmation",
                         *         "iso_model": "camt.054",
                         *         "message_id": "c8b88897-d359-4916-b858-bf1948c36e3f",
                         *         "execution_id": "b46c2bdc-e206-4461-9db7-c505b03fea91",
                         *         "payment_id": "4b69136e-0b94-4878-9481-01b0bcf8ebd7",
                         *         "uetr": "d755ca25-2cb8-4e1e-a214-11a85a0a0e77",
                         *         "creation_date_time": "2026-12-03T09:00:00.000Z",
                         *         "account_owner": {
                         *           "partner_id": "06c95774-f409-4eef-bd3e-05b0a312c665",
                         *           "name": "Jakarta Payout"
                         *         },
                         *         "entry": {
                         *           "amount": {
                         *             "value": "24346989.83",
                         *             "currency": "IDRX"
                         *           },
                         *           "credit_debit_indicator": "CRDT",
                         *           "status": "BOOK",
                         *           "booking_date_time": "2026-12-03T08:59:58.000Z",
                         *           "account_servicer_reference": "0x42caa48342bca6189e16d25025182bab2d167ae9a2b9d7a22d16336ae745322f"
                         *         }
                         *       },
                         *       {
                         *         "message_type": "payment_instruction",
                         *         "iso_model": "pacs.008",
                         *         "message_id": "60d9174c-b051-4651-aaa3-4ceea60c9c89",
                         *         "execution_id": "b46c2bdc-e206-4461-9db7-c505b03fea91",
                         *         "payment_id": "4b69136e-0b94-4878-9481-01b0bcf8ebd7",
                         *         "uetr": "d755ca25-2cb8-4e1e-a214-11a85a0a0e77",
                         *         "creation_date_time": "2026-12-03T09:00:00.000Z",
                         *         "payment_identification": {
                         *           "end_to_end_id": "REMIT-2026-0001",
                         *           "uetr": "d755ca25-2cb8-4e1e-a214-11a85a0a0e77"
                         *         },
                         *         "payment_type_information": {
                         *           "local_instrument": "BANK_TRANSFER"
                         *         },
                         *         "instructed_amount": {
                         *           "value": "24346989.83",
                         *           "currency": "IDR"
                         *         },
                         *         "interbank_settlement_amount": {
                         *           "value": "24346989.83",
                         *           "currency": "IDRX"
                         *         },
                         *         "debtor": {
                         *           "partner_id": "66dcee40-c143-4dee-a0cc-10e3f7e61cb1",
                         *           "name": "Lion City Ramp"
                         *         },
                         *         "debtor_agent": {
                         *           "partner_id": "66dcee40-c143-4dee-a0cc-10e3f7e61cb1",
                         *           "name": "Lion City Ramp"
                         *         },
                         *         "creditor_agent": {
                         *           "partner_id": "06c95774-f409-4eef-bd3e-05b0a312c665",
                         *           "name": "Jakarta Payout",
                         *           "bicfi": "CENAIDJA"
                         *         },
                         *         "creditor": {
                         *           "name": "Budi Santoso",
                         *           "postal_address": {
                         *             "country": "ID"
                         *           }
                         *         },
                         *         "creditor_account": {
                         *           "other": {
                         *             "identification": "1234567890",
                         *             "scheme_name": "BBAN"
                         *           }
                         *         },
                         *         "remittance_information": {
                         *           "unstructured": "Family support December"
                         *         },
                         *         "travel_rule": {
                         *           "included": true
                         *         }
                         *       },
                         *       {
                         *         "message_type": "payment_status",
                         *         "iso_model": "pacs.002",
                         *         "message_id": "9dce93d1-5729-44c2-bb3a-4a35f0808420",
                         *         "execution_id": "b46c2bdc-e206-4461-9db7-c505b03fea91",
                         *         "payment_id": "4b69136e-0b94-4878-9481-01b0bcf8ebd7",
                         *         "uetr": "d755ca25-2cb8-4e1e-a214-11a85a0a0e77",
                         *         "creation_date_time": "2026-12-03T09:00:00.000Z",
                         *         "original_message_id": "60d9174c-b051-4651-aaa3-4ceea60c9c89",
                         *         "original_end_to_end_id": "REMIT-2026-0001",
                         *         "transaction_status": "RJCT",
                         *         "status_reason_information": {
                         *           "reason": "AC04",
                         *           "description": "ClosedAccountNumber: the account is closed",
                         *           "additional_information": null
                         *         },
                         *         "instructing_agent": {
                         *           "partner_id": "06c95774-f409-4eef-bd3e-05b0a312c665",
                         *           "name": "Jakarta Payout"
                         *         }
                         *       },
                         *       {
                         *         "message_type": "rollback_signal",
                         *         "iso_model": "camt.056",
                         *         "message_id": "aefa23cd-cb2a-4445-bbd1-af9eaff885df",
                         *         "execution_id": "b46c2bdc-e206-4461-9db7-c505b03fea91",
                         *         "payment_id": "4b69136e-0b94-4878-9481-01b0bcf8ebd7",
                         *         "uetr": "d755ca25-2cb8-4e1e-a214-11a85a0a0e77",
                         *         "creation_date_time": "2026-12-03T09:00:00.000Z",
                         *         "original_end_to_end_id": "REMIT-2026-0001",
                         *         "original_message_id": "9dce93d1-5729-44c2-bb3a-4a35f0808420",
                         *         "cancellation_reason": {
                         *           "reason": "AC04",
                         *           "description": "ClosedAccountNumber: the account is closed"
                         *         },
                         *         "execution_reversal": {
                         *           "status": "REVERSED",
                         *           "reversal_entry_id": "412",
                         *           "returned_asset": "USDT",
                         *           "returned_amount": "1500"
                         *         }
                         *       }
                         *     ]
                         */
                        messages: {
                            [key: string]: unknown;
                        }[];
                        off_ramp_partner_id: string;
                        originator_partner_id: string;
                        payment_id: string;
                        rail: string;
                        reason: string | null;
                        remittance_information: string | null;
                        rollback: string | null;
                        settlement_amount: {
                            asset: string;
                            value: string;
                        };
                        /** @description RCVD, then the last ISO status received: ACCP, ACSP, ACSC or RJCT */
                        status: string;
                        travel_rule: {
                            [key: string]: unknown;
                        } | null;
                        uetr: string;
                        updated_at: string;
                    };
                };
            };
            /** @description Default Response */
            400: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            errors?: {
                                code: string;
                                field: string;
                                message: string;
                            }[];
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
        };
    };
    getQuote: {
        parameters: {
            query: {
                amount: string;
                pair: "USD-IDR" | "USD-SGD" | "MYR-IDR";
                side: "BUY" | "SELL";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        amount: string;
                        indicative_rate: string;
                        mid: string;
                        pair: string;
                        quote_type: string;
                        side: string;
                        spread_bps: string;
                        state_flag: string;
                        timestamp: string;
                    };
                };
            };
        };
    };
    postQuote: {
        parameters: {
            query?: never;
            header?: {
                /** @description 16–255 printable characters; a retry with the same key and body replays the first answer (SPEC §14.3) */
                "idempotency-key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    amount?: string | number;
                    client_ref?: string;
                    destination_amount?: string | number;
                    pair: "USD-IDR" | "USD-SGD" | "MYR-IDR";
                    side: "BUY" | "SELL";
                };
            };
        };
        responses: {
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        adjusted_mid: string;
                        allowed_direction: string;
                        amount: string;
                        ask: string;
                        bid: string;
                        client_ref: string | null;
                        destination_amount: string;
                        destination_asset: string;
                        execution_path: string;
                        expiry_timestamp: string;
                        fee_breakdown: {
                            base_spread_bps: string;
                            fixed_fee: string;
                            fixed_fee_currency: string;
                            inventory_skew_bps: string;
                            liquidity_bps: string;
                            tier: string;
                            total_fee: string;
                            variable_fee: string;
                            variable_fee_bips: string;
                            volatility_bps: string;
                        };
                        max_size: string;
                        max_size_currency: string;
                        mid: string;
                        pair: string;
                        parent_order_id?: string | null;
                        quote_id: string;
                        quote_type: string;
                        rate: string;
                        rate_source: string;
                        side: string;
                        source_asset: string;
                        spread_bps: string;
                        state_flag: string;
                        timestamp: string;
                        tranches?: {
                            amount: string;
                            counterparty: string;
                            rate: string;
                            tranche_id: string | null;
                        }[];
                    };
                };
            };
        };
    };
    getReserveBatches: {
        parameters: {
            query?: {
                corridor?: "USD-IDR" | "USD-SGD" | "MYR-IDR";
                cursor?: string;
                environment?: "sandbox" | "live";
                limit?: string;
                status?: "OPEN" | "SETTLED_INTERNALLY" | "CLOSED";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            batch_id: string;
                            close_due_at: string | null;
                            closed_at: string | null;
                            closing_id: string | null;
                            corridor: string;
                            direction: string;
                            fills: {
                                at: string;
                                rate: string;
                                volume: string;
                            }[];
                            open_volume: string;
                            opened_at: string;
                            realised_pnl_usd: string;
                            settled_at: string | null;
                            status: string;
                            unrealised_pnl_usd: string | null;
                            volume: string;
                            volume_asset: string;
                            waop: string;
                        }[];
                        next_cursor: string | null;
                    };
                };
            };
        };
    };
    listBuybacks: {
        parameters: {
            query?: {
                corridor?: "USD-IDR" | "USD-SGD" | "MYR-IDR";
                environment?: "sandbox" | "live";
                limit?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            batches: {
                                batch_id: string;
                                volume: string;
                            }[];
                            close_id: string;
                            corridor: string;
                            created_at: string;
                            direction: string;
                            environment: string;
                            error: string | null;
                            /** @description RFQ | ISSUER_REDEEM */
                            method: string;
                            /** @description REBALANCE | EMERGENCY */
                            purpose: string;
                            rate: string | null;
                            realised_pnl_usd: string | null;
                            reference: string | null;
                            /** @description PENDING | FILLED | FAILED */
                            status: string;
                            tranches: {
                                counterparty: string;
                                rate: string;
                                volume: string;
                            }[];
                            /** @description AGE | VAR_WARNING | VAR_BREACH | EMERGENCY_THRESHOLD | OPERATOR */
                            trigger: string;
                            updated_at: string;
                            volume: string;
                            volume_asset: string;
                        }[];
                    };
                };
            };
        };
    };
    emergencyRfq: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    amount?: string;
                    corridor: "USD-IDR" | "USD-SGD" | "MYR-IDR";
                    environment?: "sandbox" | "live";
                };
            };
        };
        responses: {
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        batches: {
                            batch_id: string;
                            volume: string;
                        }[];
                        close_id: string;
                        corridor: string;
                        created_at: string;
                        direction: string;
                        environment: string;
                        error: string | null;
                        /** @description RFQ | ISSUER_REDEEM */
                        method: string;
                        /** @description REBALANCE | EMERGENCY */
                        purpose: string;
                        rate: string | null;
                        realised_pnl_usd: string | null;
                        reference: string | null;
                        /** @description PENDING | FILLED | FAILED */
                        status: string;
                        tranches: {
                            counterparty: string;
                            rate: string;
                            volume: string;
                        }[];
                        /** @description AGE | VAR_WARNING | VAR_BREACH | EMERGENCY_THRESHOLD | OPERATOR */
                        trigger: string;
                        updated_at: string;
                        volume: string;
                        volume_asset: string;
                    };
                };
            };
        };
    };
    listEscalations: {
        parameters: {
            query?: {
                asset?: "USDT" | "IDRX" | "tnSGD" | "MYRC";
                environment?: "sandbox" | "live";
                limit?: string;
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            asset: string;
                            deficit: string;
                            environment: string;
                            escalation_id: string;
                            started_at: string;
                            /** @description IN_PROGRESS | COVERED | WAITING_FOR_MINT | EXHAUSTED */
                            status: string;
                            steps: {
                                amount: string;
                                detail: string | null;
                                duration_ms: number;
                                /** @description YIELD_RECALL | ISSUER_MINT | RFQ */
                                kind: string;
                                /** @description DONE | PARTIAL | REQUESTED | FAILED | SKIPPED */
                                outcome: string;
                                reference: string | null;
                                started_at: string;
                                step: number;
                            }[];
                            updated_at: string;
                        }[];
                    };
                };
            };
        };
    };
    postReserveIssuerMint: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    amount: string | number;
                    asset: "USDT" | "IDRX" | "tnSGD" | "MYRC";
                    environment?: "sandbox" | "live";
                    pay_with?: {
                        amount: string | number;
                        asset: "USDT" | "IDRX" | "tnSGD" | "MYRC";
                    };
                    purpose?: "DEFICIT_RECOVERY" | "EMERGENCY";
                };
            };
        };
        responses: {
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        amount: string;
                        asset: string;
                        created_at: string;
                        destination: string;
                        environment: string;
                        error: string | null;
                        issuer_id: string;
                        kind: string;
                        mint_id?: string | null;
                        pay_with: {
                            amount: string;
                            asset: string;
                        };
                        purpose: string;
                        redeem_id?: string | null;
                        request_id: string;
                        status: string;
                        tx_hash: string | null;
                        updated_at: string;
                    };
                };
            };
        };
    };
    postReserveIssuerRedeem: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    amount: string | number;
                    asset: "USDT" | "IDRX" | "tnSGD" | "MYRC";
                    environment?: "sandbox" | "live";
                    pay_with?: {
                        amount: string | number;
                        asset: "USDT" | "IDRX" | "tnSGD" | "MYRC";
                    };
                    purpose?: "DEFICIT_RECOVERY" | "EMERGENCY";
                };
            };
        };
        responses: {
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        amount: string;
                        asset: string;
                        created_at: string;
                        destination: string;
                        environment: string;
                        error: string | null;
                        issuer_id: string;
                        kind: string;
                        mint_id?: string | null;
                        pay_with: {
                            amount: string;
                            asset: string;
                        };
                        purpose: string;
                        redeem_id?: string | null;
                        request_id: string;
                        status: string;
                        tx_hash: string | null;
                        updated_at: string;
                    };
                };
            };
        };
    };
    getReserveIssuerRequests: {
        parameters: {
            query?: {
                environment?: "sandbox" | "live";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        requests: {
                            amount: string;
                            asset: string;
                            created_at: string;
                            destination: string;
                            environment: string;
                            error: string | null;
                            issuer_id: string;
                            kind: string;
                            mint_id?: string | null;
                            pay_with: {
                                amount: string;
                                asset: string;
                            };
                            purpose: string;
                            redeem_id?: string | null;
                            request_id: string;
                            status: string;
                            tx_hash: string | null;
                            updated_at: string;
                        }[];
                    };
                };
            };
        };
    };
    getReserveRiskStatus: {
        parameters: {
            query?: {
                environment?: "sandbox" | "live";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success: the JSON body the route’s summary describes */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
        };
    };
    postReserveStateOverride: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    corridor: "USD-IDR" | "USD-SGD" | "MYR-IDR";
                    environment?: "sandbox" | "live";
                    expires_at: string;
                    reason: string;
                    state: "NORMAL" | "PROTECT" | "RESTRICT" | "HALT";
                };
            };
        };
        responses: {
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        changes: {
                            corridor: string;
                            id: string;
                            previous_state: string;
                            reasons: string[];
                            state: string;
                            timestamp: string;
                            trigger: string;
                        }[];
                        corridor: string;
                        expires_at: string;
                        state: string;
                    };
                };
            };
        };
    };
    postRiskEvaluate: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    environment?: "sandbox" | "live";
                };
            };
        };
        responses: {
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        changes: {
                            corridor: string;
                            id: string;
                            previous_state: string;
                            reasons: string[];
                            state: string;
                            timestamp: string;
                            trigger: string;
                        }[];
                        environment: string;
                    };
                };
            };
        };
    };
    postSandboxFaucet: {
        parameters: {
            query?: never;
            header?: {
                /** @description 16–255 printable characters; a retry with the same key and body replays the first answer (SPEC §14.3) */
                "idempotency-key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    amount: string | number;
                    asset: "USDT" | "IDRX" | "tnSGD" | "MYRC";
                };
            };
        };
        responses: {
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        amount: string;
                        asset: string;
                        available: string;
                        entry_id: string;
                    };
                };
            };
        };
    };
    getSystemState: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        corridors: {
                            [key: string]: {
                                allowed_directions: string[];
                                max_size: string;
                                max_size_currency: string;
                                oracle_age_ms: number | null;
                                reasons: string[];
                                state: string;
                            };
                        };
                        system_state: string;
                        timestamp: string;
                    };
                };
            };
        };
    };
    getSystemStateStream: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success: the JSON body the route’s summary describes */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
        };
    };
    getWallets: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Success: the JSON body the route’s summary describes */
            "2XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": unknown;
                };
            };
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
        };
    };
    getWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        all_events: boolean;
                        created_at: string;
                        environment: string;
                        events: string[];
                        status: "PENDING_VERIFICATION" | "ACTIVE" | "DISABLED";
                        status_reason: string | null;
                        updated_at: string;
                        url: string;
                        verified_at: string | null;
                    };
                };
            };
        };
    };
    putWebhook: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    events?: ("execution.settled" | "execution.failed" | "execution.rolled_back" | "quote.expired" | "system.state_change" | "deposit.confirmed" | "withdrawal.queued" | "withdrawal.completed" | "settlement.confirmed" | "settlement.failed" | "rebalance.executed" | "partner.limit_warning" | "partner.credential_expiring" | "rfq.filled" | "payment.instruction" | "payment.status" | "payment.rollback")[];
                    url: string;
                };
            };
        };
        responses: {
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        all_events: boolean;
                        created_at: string;
                        environment: string;
                        events: string[];
                        status: "PENDING_VERIFICATION" | "ACTIVE" | "DISABLED";
                        status_reason: string | null;
                        updated_at: string;
                        url: string;
                        verified_at: string | null;
                    };
                };
            };
        };
    };
    postWebhookDeadLettersRedeliver: {
        parameters: {
            query?: never;
            header?: {
                /** @description 16–255 printable characters; a retry with the same key and body replays the first answer (SPEC §14.3) */
                "idempotency-key"?: string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        redelivered: number;
                    };
                };
            };
        };
    };
    getWebhookDeliveries: {
        parameters: {
            query?: {
                cursor?: string;
                event_id?: string;
                limit?: string;
                status?: "DELIVERED" | "FAILED" | "DEAD_LETTERED";
            };
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        items: {
                            attempt: number;
                            attempt_id: string;
                            attempted_at: string;
                            error: string | null;
                            event: string;
                            event_id: string;
                            latency_ms: number;
                            status: "DELIVERED" | "FAILED" | "DEAD_LETTERED";
                            status_code: number | null;
                        }[];
                        next_cursor: string | null;
                    };
                };
            };
        };
    };
    postWebhookDeliveriesByEventIdRedeliver: {
        parameters: {
            query?: never;
            header?: {
                /** @description 16–255 printable characters; a retry with the same key and body replays the first answer (SPEC §14.3) */
                "idempotency-key"?: string;
            };
            path: {
                event_id: string;
            };
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description Default Response */
            "4XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            "5XX": {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        error: {
                            code: string;
                            corridor?: string;
                            message: string;
                            request_id: string;
                            timestamp: string;
                        };
                    };
                };
            };
            /** @description Default Response */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        event_id: string;
                        /** @enum {string} */
                        status: "PENDING";
                    };
                };
            };
        };
    };
    issuerMint: {
        parameters: {
            query?: never;
            header: {
                /** @description Standard Webhooks signature header (the partner’s webhook secret) */
                "webhook-id": string;
                /** @description Standard Webhooks signature header (the partner’s webhook secret) */
                "webhook-signature": string;
                /** @description Standard Webhooks signature header (the partner’s webhook secret) */
                "webhook-timestamp": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description decimal */
                    amount: string;
                    /** @description the issued asset to mint */
                    asset: string;
                    /** @description the protocol Reserve’s wallet */
                    destination: string;
                    /** @description what the Reserve pays for the mint */
                    pay_with: {
                        amount: string;
                        asset: string;
                    };
                    purpose: "DEFICIT_RECOVERY" | "EMERGENCY";
                    /** Format: uuid */
                    request_id: string;
                };
            };
        };
        responses: {
            /** @description accepted; completed later with the issuer's key */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        mint_id: string;
                    };
                };
            };
        };
    };
    issuerProofOfReserve: {
        parameters: {
            query?: never;
            header?: never;
            path?: never;
            cookie?: never;
        };
        requestBody?: never;
        responses: {
            /** @description the latest reading */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /** Format: date-time */
                        as_of: string;
                        asset: string;
                        /** @description decimal */
                        circulating_supply: string;
                        /** @description decimal */
                        reserves: string;
                    };
                };
            };
        };
    };
    issuerRedeem: {
        parameters: {
            query?: never;
            header: {
                /** @description Standard Webhooks signature header (the partner’s webhook secret) */
                "webhook-id": string;
                /** @description Standard Webhooks signature header (the partner’s webhook secret) */
                "webhook-signature": string;
                /** @description Standard Webhooks signature header (the partner’s webhook secret) */
                "webhook-timestamp": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description decimal */
                    amount: string;
                    /** @description the issued asset to redeem */
                    asset: string;
                    /** @description the protocol Reserve’s wallet */
                    destination: string;
                    /** @description what the issuer pays for the redemption */
                    pay_with: {
                        amount: string;
                        asset: string;
                    };
                    purpose: "DEFICIT_RECOVERY" | "EMERGENCY";
                    /** Format: uuid */
                    request_id: string;
                };
            };
        };
        responses: {
            /** @description accepted; completed later with the issuer's key */
            202: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        redeem_id: string;
                    };
                };
            };
        };
    };
    partnerEvent: {
        parameters: {
            query?: never;
            header: {
                /** @description Standard Webhooks signature header (the partner’s webhook secret) */
                "webhook-id": string;
                /** @description Standard Webhooks signature header (the partner’s webhook secret) */
                "webhook-signature": string;
                /** @description Standard Webhooks signature header (the partner’s webhook secret) */
                "webhook-timestamp": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description the execution, as GET /v1/executions/{id} answers, status SETTLED */
                    data: {
                        client_ref: string | null;
                        created_at: string;
                        destination_address: string;
                        destination_amount: string;
                        destination_asset: string;
                        execution_id: string;
                        execution_path: string;
                        failure_reason: string | null;
                        filled_rate: string;
                        pair: string;
                        platform_fee: string;
                        platform_fee_currency: string;
                        quote_id: string;
                        settled_at: string | null;
                        side: string;
                        source_amount: string;
                        source_asset: string;
                        state_flag: string;
                        status: string;
                        tx_hash: string | null;
                    } & {
                        [key: string]: unknown;
                    };
                    environment: "sandbox" | "live";
                    /** @constant */
                    event: "execution.settled";
                    /** @description the event id (UUID); also the webhook-id of its deliveries */
                    id: string;
                    timestamp: string;
                } | {
                    /** @description the execution, status FAILED, and the reason */
                    data: {
                        client_ref: string | null;
                        created_at: string;
                        destination_address: string;
                        destination_amount: string;
                        destination_asset: string;
                        execution_id: string;
                        execution_path: string;
                        failure_reason: string | null;
                        filled_rate: string;
                        pair: string;
                        platform_fee: string;
                        platform_fee_currency: string;
                        quote_id: string;
                        /** @description e.g. ON_CHAIN_REVERT */
                        reason: string;
                        settled_at: string | null;
                        side: string;
                        source_amount: string;
                        source_asset: string;
                        state_flag: string;
                        status: string;
                        tx_hash: string | null;
                    } & {
                        [key: string]: unknown;
                    };
                    environment: "sandbox" | "live";
                    /** @constant */
                    event: "execution.failed";
                    /** @description the event id (UUID); also the webhook-id of its deliveries */
                    id: string;
                    timestamp: string;
                } | {
                    /** @description what the reversal gave back */
                    data: {
                        destination_asset: string;
                        execution_id: string;
                        pair: string;
                        quote_id: string;
                        reason: string;
                        returned_amount: string;
                        /** @description the source asset credited back */
                        returned_asset: string;
                        /** @description the reversing journal entry */
                        reversal_entry_id: string;
                        rolled_back_at: string;
                        side: string;
                        /** @description the net destination amount that was not sent */
                        unsent_amount: string;
                    } & {
                        [key: string]: unknown;
                    };
                    environment: "sandbox" | "live";
                    /** @constant */
                    event: "execution.rolled_back";
                    /** @description the event id (UUID); also the webhook-id of its deliveries */
                    id: string;
                    timestamp: string;
                } | {
                    /** @description the quote as it was issued */
                    data: {
                        amount: string;
                        client_ref: string | null;
                        destination_amount: string;
                        destination_asset: string;
                        expiry_timestamp: string;
                        pair: string;
                        quote_id: string;
                        side: string;
                        source_asset: string;
                    } & {
                        [key: string]: unknown;
                    };
                    environment: "sandbox" | "live";
                    /** @constant */
                    event: "quote.expired";
                    /** @description the event id (UUID); also the webhook-id of its deliveries */
                    id: string;
                    timestamp: string;
                } | {
                    /** @description SPEC §10 fields */
                    data: {
                        corridor: string;
                        previous_state: string;
                        /** @description the reasons, joined by "; " */
                        reason: string;
                        state: string;
                    } & {
                        [key: string]: unknown;
                    };
                    environment: "sandbox" | "live";
                    /** @constant */
                    event: "system.state_change";
                    /** @description the event id (UUID); also the webhook-id of its deliveries */
                    id: string;
                    timestamp: string;
                } | {
                    /** @description the deposit, as POST /v1/lp/deposits answers */
                    data: {
                        amount: string;
                        asset: string;
                        deposit_id: string;
                        status: string;
                        tx_hash: string | null;
                    } & {
                        [key: string]: unknown;
                    };
                    environment: "sandbox" | "live";
                    /** @constant */
                    event: "deposit.confirmed";
                    /** @description the event id (UUID); also the webhook-id of its deliveries */
                    id: string;
                    timestamp: string;
                } | {
                    /** @description the withdrawal, as GET /v1/lp/withdrawals/{id} answers */
                    data: {
                        status: string;
                        withdrawal_id: string;
                    } & {
                        [key: string]: unknown;
                    };
                    environment: "sandbox" | "live";
                    /** @constant */
                    event: "withdrawal.queued";
                    /** @description the event id (UUID); also the webhook-id of its deliveries */
                    id: string;
                    timestamp: string;
                } | {
                    /** @description the withdrawal, as GET /v1/lp/withdrawals/{id} answers */
                    data: {
                        status: string;
                        withdrawal_id: string;
                    } & {
                        [key: string]: unknown;
                    };
                    environment: "sandbox" | "live";
                    /** @constant */
                    event: "withdrawal.completed";
                    /** @description the event id (UUID); also the webhook-id of its deliveries */
                    id: string;
                    timestamp: string;
                } | {
                    data: ({
                        /** @description the net destination amount */
                        amount: string;
                        /** @description the destination asset sent */
                        asset: string;
                        confirmed_at: string;
                        destination_address: string;
                        execution_id: string;
                        quote_id: string;
                        tx_hash: string;
                    } & {
                        [key: string]: unknown;
                    }) | ({
                        /** @description in smallest units of the asset, rounded down from amount_wad */
                        amount: string;
                        /** @description exact, 18 decimals as an integer */
                        amount_wad: string;
                        asset: string;
                        /** @description TO_VENUE: stablefx pays what it owes; FROM_VENUE: the venue pays stablefx */
                        direction: "TO_VENUE" | "FROM_VENUE";
                        /** @description the legal entity */
                        entity: "lending" | "defi";
                        settlement_id: string;
                        /** @constant */
                        source: "yield_venue";
                        tx_hash: string | null;
                    } & {
                        [key: string]: unknown;
                    });
                    environment: "sandbox" | "live";
                    /** @constant */
                    event: "settlement.confirmed";
                    /** @description the event id (UUID); also the webhook-id of its deliveries */
                    id: string;
                    timestamp: string;
                } | {
                    data: ({
                        /** @description the net destination amount */
                        amount: string;
                        /** @description the destination asset sent */
                        asset: string;
                        destination_address: string;
                        execution_id: string;
                        failed_at: string;
                        quote_id: string;
                        /** @description e.g. ON_CHAIN_REVERT */
                        reason: string;
                    } & {
                        [key: string]: unknown;
                    }) | ({
                        /** @description in smallest units of the asset, rounded down from amount_wad */
                        amount: string;
                        /** @description exact, 18 decimals as an integer */
                        amount_wad: string;
                        asset: string;
                        /** @description TO_VENUE: stablefx pays what it owes; FROM_VENUE: the venue pays stablefx */
                        direction: "TO_VENUE" | "FROM_VENUE";
                        /** @description the legal entity */
                        entity: "lending" | "defi";
                        reason: string;
                        settlement_id: string;
                        /** @constant */
                        source: "yield_venue";
                        tx_hash: string | null;
                    } & {
                        [key: string]: unknown;
                    });
                    environment: "sandbox" | "live";
                    /** @constant */
                    event: "settlement.failed";
                    /** @description the event id (UUID); also the webhook-id of its deliveries */
                    id: string;
                    timestamp: string;
                } | {
                    /** @description the movement, its legs (`moved`) and the batches it netted or filled */
                    data: {
                        amount_usd: string;
                        corridor: string;
                        direction: string;
                        rate: string;
                        rebalance_id: string;
                        trigger: string;
                    } & {
                        [key: string]: unknown;
                    };
                    environment: "sandbox" | "live";
                    /** @constant */
                    event: "rebalance.executed";
                    /** @description the event id (UUID); also the webhook-id of its deliveries */
                    id: string;
                    timestamp: string;
                } | {
                    /** @description which limit, which threshold */
                    data: {
                        /** @description the corridor of a daily limit; null for the monthly one */
                        corridor: string | null;
                        limit: "DAILY_CORRIDOR" | "MONTHLY";
                        limit_usd: string;
                        /** @description YYYY-MM-DD or YYYY-MM */
                        period: string;
                        threshold_pct: 80 | 100;
                        /** @description executed volume in the period, at the booking that crossed the threshold */
                        used_usd: string;
                    } & {
                        [key: string]: unknown;
                    };
                    environment: "sandbox" | "live";
                    /** @constant */
                    event: "partner.limit_warning";
                    /** @description the event id (UUID); also the webhook-id of its deliveries */
                    id: string;
                    timestamp: string;
                } | {
                    /** @description which key, and when it expires */
                    data: {
                        days_before: number;
                        environment: string;
                        expires_at: string;
                        key_id: string;
                        partner_id: string;
                        prefix: string;
                    } & {
                        [key: string]: unknown;
                    };
                    environment: "sandbox" | "live";
                    /** @constant */
                    event: "partner.credential_expiring";
                    /** @description the event id (UUID); also the webhook-id of its deliveries */
                    id: string;
                    timestamp: string;
                } | {
                    /** @description which quote was filled, and the amounts booked on the prefunded balances */
                    data: {
                        execution_id: string;
                        /** @description what the counterparty paid (the taker’s destination asset) */
                        paid: string;
                        paid_asset: string;
                        pair: string;
                        parent_order_id: string | null;
                        /** @description the counterparty's own quote id, from its answer */
                        quote_id: string;
                        /** @description QUOTE per BASE, as the counterparty answered */
                        rate: string;
                        /** @description what the counterparty received (the taker’s source asset) */
                        received: string;
                        received_asset: string;
                        rfq_id: string;
                        /** @description SPEC §1, from the taker’s view */
                        side: string;
                        tranche_id: string | null;
                    } & {
                        [key: string]: unknown;
                    };
                    environment: "sandbox" | "live";
                    /** @constant */
                    event: "rfq.filled";
                    /** @description the event id (UUID); also the webhook-id of its deliveries */
                    id: string;
                    timestamp: string;
                } | {
                    /** @description the instruction; the Travel Rule data itself is never in an event */
                    data: {
                        /** @description the camt.054-like deposit_confirmation when the execution settled; null while it is PENDING */
                        deposit_confirmation: {
                            [key: string]: unknown;
                        } | null;
                        execution_id: string;
                        /** @description the pacs.008-like payment_instruction message */
                        instruction: {
                            [key: string]: unknown;
                        };
                        payment_id: string;
                        /** @description IVMS101 data is attached: read it from GET /v1/payments/{id} */
                        travel_rule_included: boolean;
                        /** @description UUID v4, the payment’s end-to-end reference */
                        uetr: string;
                    } & {
                        [key: string]: unknown;
                    };
                    environment: "sandbox" | "live";
                    /** @constant */
                    event: "payment.instruction";
                    /** @description the event id (UUID); also the webhook-id of its deliveries */
                    id: string;
                    timestamp: string;
                } | {
                    /** @description the status report */
                    data: {
                        execution_id: string;
                        /** @description the pacs.002-like payment_status message */
                        message: {
                            [key: string]: unknown;
                        };
                        payment_id: string;
                        /** @description ISO 20022 status reason code, e.g. AC01 */
                        reason: string | null;
                        /** @description ACCP, ACSP, ACSC or RJCT */
                        status: string;
                        uetr: string;
                    } & {
                        [key: string]: unknown;
                    };
                    environment: "sandbox" | "live";
                    /** @constant */
                    event: "payment.status";
                    /** @description the event id (UUID); also the webhook-id of its deliveries */
                    id: string;
                    timestamp: string;
                } | {
                    /** @description the rollback signal */
                    data: {
                        execution_id: string;
                        /** @description REVERSED, NOT_REVERSIBLE or ALREADY_REVERSED */
                        execution_reversal: string;
                        /** @description the camt.056-like rollback_signal message */
                        message: {
                            [key: string]: unknown;
                        };
                        payment_id: string;
                        /** @description the rejection’s reason code */
                        reason: string;
                        uetr: string;
                    } & {
                        [key: string]: unknown;
                    };
                    environment: "sandbox" | "live";
                    /** @constant */
                    event: "payment.rollback";
                    /** @description the event id (UUID); also the webhook-id of its deliveries */
                    id: string;
                    timestamp: string;
                } | {
                    data: {
                        [key: string]: unknown;
                    };
                    environment: "sandbox" | "live";
                    event: string;
                    id: string;
                    timestamp: string;
                };
            };
        };
        responses: {
            /** @description received (any 2xx) */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
    counterpartyRfq: {
        parameters: {
            query?: never;
            header: {
                /** @description Standard Webhooks signature header (the partner’s webhook secret) */
                "webhook-id": string;
                /** @description Standard Webhooks signature header (the partner’s webhook secret) */
                "webhook-signature": string;
                /** @description Standard Webhooks signature header (the partner’s webhook secret) */
                "webhook-timestamp": string;
            };
            path?: never;
            cookie?: never;
        };
        requestBody: {
            content: {
                "application/json": {
                    /** @description decimal, in amount_currency */
                    amount: string;
                    /** @example USDT */
                    amount_currency: string;
                    environment: "sandbox" | "live";
                    /** @example USD-IDR */
                    pair: string;
                    /** @description only on tranches of a large order */
                    parent_order_id?: string;
                    purpose: "CLIENT_ORDER" | "REBALANCE" | "EMERGENCY";
                    /** Format: date-time */
                    respond_by: string;
                    /** Format: uuid */
                    rfq_id: string;
                    /** @description the taker’s side (SPEC §1) */
                    side: "BUY" | "SELL";
                    tranche_id?: string;
                };
            };
        };
        responses: {
            /** @description a firm quote */
            200: {
                headers: {
                    [name: string]: unknown;
                };
                content: {
                    "application/json": {
                        /**
                         * Format: date-time
                         * @description the rate is firm until then
                         */
                        expires_at: string;
                        /** @description the counterparty’s own id */
                        quote_id: string;
                        /** @description QUOTE per BASE, a decimal string, up to 18 decimals */
                        rate: string;
                        rfq_id: string;
                    };
                };
            };
            /** @description no quote */
            204: {
                headers: {
                    [name: string]: unknown;
                };
                content?: never;
            };
        };
    };
}
