import type { FastifyInstance } from 'fastify'
import { createBalanceService } from './balances/service.ts'
import { type ChainAdapter, createSimulatedChain } from './chain/adapter.ts'
import { createEvmRuntime } from './chain/evm/runtime.ts'
import type { EvmSettings } from './chain/evm/settings.ts'
import type { Clock } from './clock/clock.ts'
import { createSandboxClock, type SandboxClock } from './clock/sandbox-clock.ts'
import { createBus } from './cluster/bus.ts'
import { createClusterMetrics } from './cluster/metrics.ts'
import { joinCluster, leaveCluster } from './cluster/nodes.ts'
import { ENVIRONMENTS } from './config/environment.ts'
import { DEFAULT_REBALANCING_CONFIG, validateRebalancingConfig } from './config/rebalancing.ts'
import { DEFAULT_RISK_CONFIG, type RiskConfig, validateRiskConfig } from './config/risk.ts'
import type { LogLevel } from './config/settings.ts'
import { buildHttpShell } from './http/app.ts'
import { createAuthThrottle } from './http/auth.ts'
import { registerBusinessMetrics } from './http/business-metrics.ts'
import { createIdempotency, type ReplayResource } from './http/idempotency.ts'
import type { LogDestination } from './http/log-destination.ts'
import { createMetrics } from './http/metrics.ts'
import { createMemoryRateLimiter, createStoreRateLimiter } from './http/rate-limit.ts'
import { enqueueYieldRecall } from './integrations/earn/bookings.ts'
import { createEvmEarnPayer } from './integrations/earn/chain-payer.ts'
import { createEarnService, type EarnVenueSetting } from './integrations/earn/service.ts'
import { createIssuerService } from './issuers/service.ts'
import { createDepositService } from './liquidity/deposits.ts'
import { feeOfExecution, settleFee } from './liquidity/fees.ts'
import { type WithdrawalDeps, withdrawalOf } from './liquidity/withdrawals.ts'
import { createHttpFeed, type FeedConfig } from './oracle/http-feed.ts'
import { createStorePriceLog } from './oracle/price-log.ts'
import { createOracleService } from './oracle/service.ts'
import { createSimFeed } from './oracle/sim.ts'
import { createSecretBox, processSecretsKey, registerSecretBox } from './partners/secret-box.ts'
import { createPartnerService } from './partners/service.ts'
import { createWalletService } from './partners/wallets.ts'
import { sealPlaintextWebhookSecrets } from './partners/webhook-secrets.ts'
import { createPaymentService } from './payments/service.ts'
import { seedPools } from './pools/service.ts'
import { referenceUsdRates } from './pools/usd-rates.ts'
import { completeIssuerClose } from './rebalancing/buyback.ts'
import { createPhase2Service } from './rebalancing/phase2-service.ts'
import { rebalancerWorkerName } from './rebalancing/worker.ts'
import { createRfqService, type RfqOptions } from './rfq/service.ts'
import { createRiskEngine } from './risk/engine.ts'
import { type AppServices, mountRoutes } from './routes.ts'
import type { Store } from './store/store.ts'
import { createExecutionService } from './trading/executions.ts'
import { createActivePools } from './trading/market.ts'
import { createQuoteService } from './trading/quotes.ts'
import { createWebhookService, type WebhookOptions } from './webhooks/service.ts'
import { systemResolve } from './webhooks/transport.ts'
import { policyFor, webhookWorkerName } from './webhooks/worker.ts'
import { backgroundWorkers } from './workers/catalog.ts'
import { createWorkerRunner } from './workers/runner.ts'

/** Timings of the several-nodes machinery; tests shorten them, production keeps the defaults. */
export type ClusterTimings = {
  /** How long a worker lease lasts without renewal (default 5 s). */
  readonly leaseMs?: number
  /** Heartbeat and lease renewal period (default 1 s). */
  readonly tickMs?: number
  /** A node silent this long is dead (default 5 s). */
  readonly nodeTtlMs?: number
  /** How long a node has to settle an execution it booked before recovery may (default 30 s). */
  readonly settleClaimMs?: number
  /** How long a live node's request may hold its idempotency key (default 60 s). */
  readonly idempotencyLeaseMs?: number
}

export type StablefxOptions = {
  readonly store: Store
  readonly adminToken: string
  /** SPEC §13: the operations token, distinct from the admin token and partner keys. */
  readonly opsToken: string
  readonly liveClock: Clock
  readonly logLevel: LogLevel
  readonly rateLimit: boolean
  /** Process-level metrics (event loop, memory) belong to a real server, not to every test app. */
  readonly processMetrics: boolean
  /** Wraps the sandbox clock's base; tests pass a manual clock here. */
  readonly sandboxBaseClock?: Clock
  /** `sim` feeds simulated prices once started; `manual` takes prices only through the admin API. */
  readonly oracleMode: 'sim' | 'manual'
  readonly oracleSeed?: number
  readonly oracleFeeds?: readonly FeedConfig[]
  readonly chain?: ChainAdapter
  readonly riskConfig?: RiskConfig
  readonly rates?: AppServices['rates']
  readonly cluster?: ClusterTimings
  /** SPEC §8 Phase 1 rebalancing as a background worker (default on; STABLEFX_REBALANCER=off turns it off). */
  readonly rebalancer?: boolean
  /** State streams (SSE) one partner may hold open on this node; SSE_MAX_PER_PARTNER (5) by default. */
  readonly sseMaxPerPartner?: number
  /** SPEC §9: the 32-byte key sealing webhook secrets at rest; a process-wide random one when absent (tests). */
  readonly secretsKey?: Buffer
  /** SPEC §10 webhooks: local receivers in sandbox (STABLEFX_WEBHOOK_ALLOW_PRIVATE); tests inject DNS and jitter. */
  readonly webhooks?: WebhookOptions
  /** Issue 11: RFQ to market makers above the max internal size (corridor timeout, single-fill size). */
  readonly rfq?: RfqOptions
  /** Issue 14: STABLEFX_CHAIN=evm, one environment settles on an EVM chain (Kaia); the other stays simulated. */
  readonly evm?: EvmSettings
  /** Issue 13: the Travel Rule threshold (USD, default 1,000) and the unanswered-instruction timeout (default 24 h). */
  readonly payments?: { readonly travelRuleThresholdUsd?: bigint; readonly timeoutMs?: number }
  /** Issue 12: the yield venue per environment (sandbox: the bundled simulator, started lazily; live: off until configured). */
  readonly earn?: {
    readonly sandbox?: EarnVenueSetting
    readonly live?: EarnVenueSetting
    readonly thresholdUsd?: bigint
    /** First retry delay of venue calls (doubling); tests shorten it. */
    readonly retryDelayMs?: number
  }
  /** Where log lines go (stdout by default); tests capture them here. */
  readonly logStream?: LogDestination
}

export type Stablefx = {
  readonly services: AppServices
  readonly app: FastifyInstance
  /** Starts background work: this node's heartbeat, the workers whose leases it wins, cluster notifications. */
  start(): Promise<void>
  /** Stops background work (leases given up for a survivor) and the HTTP server; the store is the caller's to close. */
  close(): Promise<void>
}

/**
 * The composition root: every service is built here, by hand, from explicit
 * dependencies (CONVENTIONS.md: no container). The CLI and the tests both
 * start stablefx through this function.
 */
export async function createStablefx(options: StablefxOptions): Promise<Stablefx> {
  const { store, liveClock } = options
  const timings = options.cluster ?? {}
  const riskConfig = options.riskConfig ?? DEFAULT_RISK_CONFIG
  const problems = validateRiskConfig(riskConfig)
  if (problems.length > 0) throw new Error(`invalid risk configuration: ${problems.join('; ')}`)
  const rebalancingProblems = validateRebalancingConfig(DEFAULT_REBALANCING_CONFIG)
  if (rebalancingProblems.length > 0) {
    throw new Error(`invalid rebalancing configuration: ${rebalancingProblems.join('; ')}`)
  }
  let log: {
    info(obj: object, msg: string): void
    warn(obj: object, msg: string): void
    error(obj: object, msg: string): void
  } = {
    info: () => {},
    warn: () => {},
    error: () => {},
  }
  const lateLog = {
    warn: (o: object, m: string) => log.warn(o, m),
    error: (o: object, m: string) => log.error(o, m),
  }
  const nodeId = await joinCluster(store)
  const bus = createBus({ store, log: lateLog })
  const sandboxClock: SandboxClock = await createSandboxClock(
    store,
    options.sandboxBaseClock ?? liveClock,
    bus,
  )
  const clocks = { live: liveClock, sandbox: sandboxClock }
  const referenceRates = referenceUsdRates()
  await seedPools(store, referenceRates, liveClock.now())
  // Registered at once: webhook delivery opens secrets through signingSecrets, which has no key parameter.
  const secretBox = registerSecretBox(createSecretBox(options.secretsKey ?? processSecretsKey()))
  // Webhook secrets written before 0009_credentials are sealed now: none stays in clear (SPEC §9).
  await sealPlaintextWebhookSecrets(store, secretBox)
  const oracle = createOracleService({ clocks, log: createStorePriceLog({ store, bus }) })
  await oracle.load()
  const pools = createActivePools({ store, oracle })
  const risk = createRiskEngine({ store, oracle, clocks, config: riskConfig, log: lateLog, bus })
  await risk.load()
  oracle.onPrice((accepted) => risk.poke(accepted.environment, 'price'))
  const moneyRates = (environment: 'sandbox' | 'live') => oracle.moneyRates(environment)
  const feeDeps = { moneyRates, wallClockMs: () => liveClock.now(), log: lateLog }
  // Issue 14: payouts as ERC-20 transfers, a deposit watcher and the kToken mirror for the EVM environment.
  const evm =
    options.evm === undefined
      ? undefined
      : createEvmRuntime({
          settings: options.evm,
          store,
          clocks,
          wallets: createWalletService({ store, liveClock, clocks }),
          moneyRates,
          fallback: createSimulatedChain({ store, clock: liveClock }),
          log: lateLog,
        })
  const chain = options.chain ?? evm?.chain ?? createSimulatedChain({ store, clock: liveClock })
  const executions = createExecutionService({
    store,
    chain,
    clocks,
    states: risk,
    pools,
    afterChange: (environment) => {
      risk.poke(environment, 'execution')
      // SPEC §8: an execution may have moved a pool past a threshold; the rebalancer looks now, not in a second.
      wakeRebalancer(environment)
    },
    riskConfig,
    // SPEC §7.3 in the settling transaction, but never able to sink it (SPEC §15): deferred and retried instead.
    onSettled: (tx, execution, atMs) => settleFee(tx, feeOfExecution(execution), feeDeps, atMs),
    nodeId,
    ...(timings.settleClaimMs === undefined ? {} : { claimMs: timings.settleClaimMs }),
    ...(timings.nodeTtlMs === undefined ? {} : { nodeTtlMs: timings.nodeTtlMs }),
    log: lateLog,
  })
  const wallets = createWalletService({ store, liveClock, clocks })
  // Issue 13: payment instructions; Travel Rule data sealed with the secrets key; a reversal moves pools and risk.
  const payments = createPaymentService({
    store,
    clocks,
    secrets: secretBox,
    ...(timings.nodeTtlMs === undefined ? {} : { nodeTtlMs: timings.nodeTtlMs }),
    ...(options.payments?.travelRuleThresholdUsd === undefined
      ? {}
      : { travelRuleThresholdUsd: options.payments.travelRuleThresholdUsd }),
    ...(options.payments?.timeoutMs === undefined ? {} : { timeoutMs: options.payments.timeoutMs }),
    afterReversal: (environment) => {
      pools.invalidate(environment)
      risk.poke(environment, 'execution')
    },
  })
  const withdrawalDeps: WithdrawalDeps = { store, wallets, engine: risk, riskConfig, clocks, moneyRates }
  const sim =
    options.oracleMode === 'sim'
      ? createSimFeed({ oracle, clocks, seed: options.oracleSeed ?? 1 })
      : undefined
  if (sim !== undefined) sandboxClock.onAdvance(() => sim.tick())
  const feeds =
    options.oracleFeeds !== undefined && options.oracleFeeds.length > 0
      ? createHttpFeed({ oracle, clocks, logger: lateLog }, options.oracleFeeds)
      : undefined
  const rebalancerOn = options.rebalancer ?? true
  // SPEC §10: webhook times are wall-clock in both environments (receivers check webhook-timestamp against theirs).
  const webhooks = createWebhookService({
    store,
    clock: liveClock,
    options: options.webhooks ?? {},
    log: lateLog,
    wake: (environment) => runner.wake(webhookWorkerName(environment)),
  })
  // Issue 11: calls to issuers follow the webhook URL policy and DNS of the webhooks (tests inject both).
  const issuers = createIssuerService({
    store,
    clocks,
    wallClockMs: () => liveClock.now(),
    policy: (environment) => policyFor(environment, options.webhooks?.allowPrivateSandbox ?? true),
    resolve: options.webhooks?.resolve ?? systemResolve,
    moneyRates,
    onReading: (environment) => risk.poke(environment, 'timer'),
    // SPEC §8 Phase 2: a completed redemption closes the batches it bought back, in its booking transaction.
    onCompleted: (tx, request, entryId, atMs) =>
      request.kind === 'REDEEM' ? completeIssuerClose(tx, request, entryId, atMs) : Promise.resolve(),
  })
  // Issue 12: the yield venue (bookings queue, daily reports, settlement); no server runs until it is needed.
  const earn = createEarnService({
    store,
    clocks,
    venues: {
      sandbox: options.earn?.sandbox ?? { kind: 'simulator' },
      live: options.earn?.live ?? { kind: 'off' },
    },
    moneyRates,
    log: lateLog,
    ...(options.earn?.thresholdUsd === undefined ? {} : { thresholdUsd: options.earn.thresholdUsd }),
    ...(options.earn?.retryDelayMs === undefined ? {} : { retryDelayMs: options.earn.retryDelayMs }),
    // Issue 12: a configured venue's settlements are paid through the EVM environment's sender.
    ...(evm === undefined ? {} : { chainPayer: createEvmEarnPayer(evm) }),
  })
  const rfq = createRfqService({
    store,
    wallClockMs: () => liveClock.now(),
    options: {
      allowPrivateSandbox: options.webhooks?.allowPrivateSandbox ?? true,
      ...(options.webhooks?.resolve === undefined ? {} : { resolve: options.webhooks.resolve }),
      ...options.rfq,
    },
  })
  // SPEC §8 Phase 2, §6.2 exposure actions and the Reserve deficit escalation (issue 11).
  const phase2 = createPhase2Service({
    store,
    clocks,
    rfq,
    issuers,
    corridorRates: (environment, corridor) => pools.moneyRates(environment, corridor),
    moneyRates,
    engine: risk,
    riskConfig,
    log: lateLog,
    // Issue 12: a recall out of Yield is booked at the venue, in the recall's transaction.
    onYieldRecall: (tx, recall) =>
      enqueueYieldRecall(tx, { ...recall, atMs: clocks[recall.environment].now() }),
  })
  const runner = createWorkerRunner({
    store,
    bus,
    nodeId,
    workers: [
      ...(evm?.workers ?? []),
      ...backgroundWorkers({
        store,
        liveClock,
        oracle,
        sim,
        feeds,
        risk,
        executions,
        withdrawals: withdrawalDeps,
        chain,
        fees: feeDeps,
        webhooks: webhooks.worker,
        issuers,
        payments,
        earn,
        phase2: rebalancerOn ? phase2 : undefined,
        rebalancer: rebalancerOn
          ? {
              store,
              oracle,
              corridorRates: (environment, corridor) => pools.moneyRates(environment, corridor),
              clocks,
              engine: risk,
              pools,
              log: { info: (o, m) => log.info(o, m), warn: (o, m) => log.warn(o, m) },
            }
          : undefined,
      }),
    ],
    log: lateLog,
    ...(timings.leaseMs === undefined ? {} : { leaseMs: timings.leaseMs }),
    ...(timings.tickMs === undefined ? {} : { tickMs: timings.tickMs }),
    onRun: (name, outcome) => clusterMetrics.workerRuns.inc({ worker: name, outcome }),
  })
  function wakeRebalancer(environment: 'sandbox' | 'live') {
    if (rebalancerOn) runner.wake(rebalancerWorkerName(environment))
  }
  // A retried request whose first attempt committed is answered from what it committed, read now.
  const replay: ReplayResource = async (auth, resource) => {
    const [kind, id] = resource.split(':') as [string, string]
    if (kind === 'execution') {
      const found = await executions.get(auth, id)
      return found.ok ? { status: 200, body: found.value } : undefined
    }
    if (kind === 'withdrawal') {
      const found = await withdrawalOf(store, auth.environment, auth.partner.id, id)
      return found === undefined ? undefined : { status: 201, body: found }
    }
    if (kind === 'payment' || kind === 'payment-status') {
      const found = await payments.get(auth, id)
      return found.ok ? { status: kind === 'payment' ? 201 : 200, body: found.value } : undefined
    }
    return undefined
  }
  const idempotency = createIdempotency({
    store,
    clock: liveClock,
    nodeId,
    replay,
    ...(timings.idempotencyLeaseMs === undefined ? {} : { leaseMs: timings.idempotencyLeaseMs }),
    ...(timings.nodeTtlMs === undefined ? {} : { nodeTtlMs: timings.nodeTtlMs }),
  })
  // SPEC §15: limits shared by every node on PostgreSQL; SQLite is one process, so memory is the whole system.
  const rateLimiter = options.rateLimit
    ? store.dialect === 'postgres'
      ? createStoreRateLimiter(store)
      : createMemoryRateLimiter()
    : undefined
  const metrics = createMetrics({ processMetrics: options.processMetrics })
  // Issue 15: pools, corridor states, oracle ages, executions, fees, webhooks and withdrawals on /metrics.
  registerBusinessMetrics(metrics.registry, { store, states: risk, oracle })
  const clusterMetrics = createClusterMetrics(metrics.registry, {
    listening: () => bus.listening(),
    held: () => runner.held(),
  })
  const services: AppServices = {
    store,
    clocks,
    nodeId,
    partners: createPartnerService({ store, clock: liveClock, secrets: secretBox }),
    balances: createBalanceService({ store, clocks, referenceRates }),
    oracle,
    pools,
    states: risk,
    riskConfig,
    risk,
    quotes: createQuoteService({
      store,
      oracle,
      pools,
      states: risk,
      clocks,
      riskConfig,
      onArbitrageFailure: (environment, corridor, reason) =>
        risk.reportArbitrage(environment, corridor, reason),
      rfq,
    }),
    executions,
    idempotency,
    rates: options.rates ?? { environment: 'sandbox', mode: 'executable', allow: [] },
    wallets,
    deposits: createDepositService({ store, wallets, clocks, moneyRates }),
    chain,
    evm,
    adminToken: options.adminToken,
    opsToken: options.opsToken,
    metrics,
    rateLimiter,
    authThrottle: rateLimiter === undefined ? undefined : createAuthThrottle(rateLimiter),
    listening: () => bus.listening(),
    wakeWithdrawals: (environment) => runner.wake(`withdrawals.${environment}`),
    webhooks,
    issuers,
    phase2,
    payments,
    earn,
    sseMaxPerPartner: options.sseMaxPerPartner,
  }
  const app = await buildHttpShell({
    logLevel: options.logLevel,
    metrics,
    ...(options.logStream === undefined ? {} : { logStream: options.logStream }),
  })
  await mountRoutes(app, services)
  log = app.log
  // What other nodes change reaches this one: on its notification, and on every poll and reconnection.
  bus.on('clock', () => sandboxClock.refresh())
  bus.on('oracle', () => oracle.sync())
  for (const environment of ENVIRONMENTS) bus.on(`risk:${environment}`, () => risk.sync(environment))
  bus.onResync(async () => {
    await sandboxClock.refresh()
    await oracle.sync()
    await risk.sync()
  })
  let started = false
  return {
    services,
    app,
    async start() {
      started = true
      bus.start()
      // Fresh prices before anything evaluates them: after a stop, the recorded ones may have aged.
      await sim?.tick()
      await feeds?.pollAll()
      await runner.start()
    },
    async close() {
      if (started) await runner.stop()
      await bus.stop()
      await app.close()
      await earn.close()
      await leaveCluster(store, nodeId).catch((error) =>
        log.warn({ err: error }, 'could not leave the cluster'),
      )
    },
  }
}
