import { sql } from 'kysely'
import type { ChainAdapter } from '../chain/adapter.ts'
import type { Clock } from '../clock/clock.ts'
import { dbNowMs } from '../cluster/db-time.ts'
import { forgetDeadNodes } from '../cluster/nodes.ts'
import { ENVIRONMENTS, type Environment } from '../config/environment.ts'
import { expireQuotes } from '../events/quote-expiry.ts'
import { purgeExpiredKeys } from '../http/idempotency.ts'
import type { EarnService } from '../integrations/earn/service.ts'
import type { IssuerService } from '../issuers/service.ts'
import { type MoneyRates, retryDeferredFees } from '../liquidity/fees.ts'
import { fillPendingDeposits } from '../liquidity/pending.ts'
import { processWithdrawals } from '../liquidity/withdrawal-worker.ts'
import type { WithdrawalDeps } from '../liquidity/withdrawals.ts'
import type { HttpFeed } from '../oracle/http-feed.ts'
import type { OracleService } from '../oracle/service.ts'
import type { SimFeed } from '../oracle/sim.ts'
import { warnExpiringKeys } from '../partners/expiry-warnings.ts'
import { pauseOnErrorRate } from '../partners/ramp-up-watch.ts'
import type { PaymentService } from '../payments/service.ts'
import { type Phase2Service, phase2Workers } from '../rebalancing/phase2-service.ts'
import { type RebalancerDeps, rebalancerWorkers } from '../rebalancing/worker.ts'
import type { RiskEngine } from '../risk/engine.ts'
import type { Store } from '../store/store.ts'
import type { ExecutionService } from '../trading/executions.ts'
import type { WebhookWorker } from '../webhooks/worker.ts'
import type { Worker } from './runner.ts'

type Context = Parameters<Worker['run']>[0]

const SECOND_MS = 1_000
const MINUTE_MS = 60_000
/** Rate-limit buckets untouched this long are full again and can go. */
const IDLE_BUCKET_MS = 3_600_000

/** A worker that runs as long as its lease is held (a feed with timers of its own), checking every 250 ms. */
function whileHeld(name: string, service: { start(): void; stop(): void }): Worker {
  return {
    name,
    everyMs: 250,
    async run({ stillHeld }) {
      service.start()
      try {
        while (stillHeld()) await new Promise((resolve) => setTimeout(resolve, 250))
      } finally {
        service.stop()
      }
    },
  }
}

/**
 * Every background worker of stablefx, each named for its lease (SPEC §15:
 * each runs once per environment across nodes). What they do lives in their
 * domains; this is the list, with how often each runs.
 */
export function backgroundWorkers(deps: {
  store: Store
  liveClock: Clock
  oracle: OracleService
  sim: SimFeed | undefined
  feeds: HttpFeed | undefined
  risk: RiskEngine
  executions: ExecutionService
  withdrawals: WithdrawalDeps
  chain: ChainAdapter
  fees: {
    moneyRates: MoneyRates
    wallClockMs: () => number
    log: Parameters<typeof retryDeferredFees>[2]['log']
  }
  /** SPEC §8 Phase 1 rebalancing; absent when the operator turned it off (STABLEFX_REBALANCER=off). */
  rebalancer: RebalancerDeps | undefined
  /** SPEC §10 webhook verification and delivery. */
  webhooks: WebhookWorker
  /** Issue 11: issuers' Proof of Reserve polling. */
  issuers: IssuerService
  /** Issue 13: unanswered payment instructions are rejected (AB05) after their timeout. */
  payments: PaymentService
  /** Issue 12: the yield venue: booking queue, daily reports, settlements (does nothing until something is booked). */
  earn: EarnService
  /** SPEC §8 Phase 2 buy-backs, §6.2 exposure actions, Reserve deficit escalation; off with the rebalancer. */
  phase2: Phase2Service | undefined
}): Worker[] {
  const perEnvironment = (
    prefix: string,
    everyMs: number,
    run: (environment: Environment, context: Context) => Promise<unknown>,
  ): Worker[] =>
    ENVIRONMENTS.map((environment) => ({
      name: `${prefix}.${environment}`,
      everyMs,
      run: (context: Context) => run(environment, context),
    }))
  const workers: Worker[] = []
  // SPEC §6.2 prices first: a node that starts the workers prices the pairs before evaluating them.
  if (deps.sim !== undefined) {
    const sim = deps.sim
    workers.push({ name: 'oracle.sim', everyMs: SECOND_MS, run: () => sim.tick() })
  }
  if (deps.feeds !== undefined) workers.push(whileHeld('oracle.feeds', deps.feeds))
  workers.push(
    // SPEC §6.1–6.3: degradation by time every second, recovery every 5 minutes of the environment's clock.
    ...perEnvironment('risk', SECOND_MS, (environment) => deps.risk.tick(environment)),
    // SPEC §7.5: due withdrawal tranches; routes only queue them.
    ...perEnvironment('withdrawals', SECOND_MS, (environment, { stillHeld }) =>
      processWithdrawals(deps.withdrawals, deps.chain, environment, stillHeld),
    ),
    // SPEC §7.1: pending deposits enter pools with room, FIFO; they wait while no oracle mid is usable.
    ...perEnvironment('deposits.pending', SECOND_MS, async (environment) => {
      const rates = deps.oracle.moneyRates(environment)
      if (!rates.ok) return 0
      return fillPendingDeposits(deps.store, environment, rates.value, () =>
        deps.withdrawals.clocks[environment].now(),
      )
    }),
    // SPEC §7.3, §15: fee distributions a settlement could not run, retried with backoff.
    ...perEnvironment('fees.deferred', SECOND_MS, (environment, { stillHeld }) =>
      retryDeferredFees(
        deps.store,
        environment,
        { ...deps.fees, clockMs: () => deps.withdrawals.clocks[environment].now() },
        stillHeld,
      ),
    ),
    // SPEC §8: the Active pools refilled from the Reserve, every second and after every execution.
    ...(deps.rebalancer === undefined ? [] : rebalancerWorkers(deps.rebalancer)),
    // SPEC §8 Phase 2: the bag bought back through RFQ or issuers, exposure actions, Reserve deficits; every 5 s.
    ...(deps.phase2 === undefined ? [] : phase2Workers(deps.phase2)),
    // SPEC §10: webhook verifications, then each endpoint's queue in order; retries on the wall clock.
    ...perEnvironment('webhooks', SECOND_MS, (environment, { stillHeld }) =>
      deps.webhooks.run(environment, stillHeld),
    ),
    // Issue 11: each issuer's Proof of Reserve, polled on its own interval (the risk worker reads it).
    ...perEnvironment('por', SECOND_MS, (environment, { stillHeld }) =>
      deps.issuers.pollReserves(environment, stillHeld),
    ),
    // SPEC §10 quote.expired: firm quotes past their expiry, never executed, announced once each.
    ...perEnvironment('earn', 5 * SECOND_MS, (environment, { stillHeld }) =>
      deps.earn.tick(environment, stillHeld),
    ),
    ...perEnvironment('payments.timeout', 10 * SECOND_MS, (environment, { stillHeld }) =>
      deps.payments.expireUnanswered(environment, stillHeld),
    ),
    ...perEnvironment('quotes.expiry', SECOND_MS, (environment, { stillHeld }) =>
      expireQuotes(deps.store, environment, deps.withdrawals.clocks[environment].now(), stillHeld),
    ),
    // Executions whose settling node died or stalled are settled by another (SPEC §15).
    ...perEnvironment('executions.recovery', SECOND_MS, (environment, { stillHeld }) =>
      deps.executions.recoverPending(environment, stillHeld),
    ),
    // SPEC §9 [ours]: partner.credential_expiring 14 and 3 days before a live key expires. Credentials age on
    // the live clock only (sandbox keys never expire; the sandbox clock is the partners' to move), so one worker.
    {
      name: 'credentials.expiry',
      everyMs: MINUTE_MS,
      run: () => warnExpiringKeys(deps.store, deps.liveClock.now()),
    },
    // SPEC §9 production ramp-up: a live partner ramping up whose error rate passes 5% is paused. Live only
    // (the ramp-up governs live limits), on the live clock, every 10 s.
    {
      name: 'rampup.live',
      everyMs: 10 * SECOND_MS,
      run: ({ stillHeld }) => pauseOnErrorRate(deps.store, deps.liveClock.now(), undefined, stillHeld),
    },
    {
      name: 'idempotency.purge',
      everyMs: MINUTE_MS,
      run: () => purgeExpiredKeys(deps.store, deps.liveClock.now()),
    },
    {
      name: 'cluster.maintenance',
      everyMs: MINUTE_MS,
      async run() {
        await deps.oracle.prune()
        await deps.store.transaction((tx) => forgetDeadNodes(tx))
        await deps.store.kysely
          .deleteFrom('rate_limit_buckets')
          .where('at', '<', sql<bigint>`${dbNowMs(deps.store.dialect)} - ${IDLE_BUCKET_MS}`)
          .execute()
      },
    },
  )
  return workers
}
