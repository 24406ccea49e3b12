import type { FastifyInstance } from 'fastify'
import { createBalanceService } from './balances/service.ts'
import { type ChainAdapter, createSimulatedChain } from './chain/adapter.ts'
import type { Clock } from './clock/clock.ts'
import { createSandboxClock, type SandboxClock } from './clock/sandbox-clock.ts'
import { ENVIRONMENTS, type Environment } from './config/environment.ts'
import { DEFAULT_RISK_CONFIG, type RiskConfig, validateRiskConfig } from './config/risk.ts'
import type { LogLevel } from './config/settings.ts'
import { buildHttpShell } from './http/app.ts'
import { createIdempotency, purgeExpiredKeys } from './http/idempotency.ts'
import { createMetrics } from './http/metrics.ts'
import { createRateLimiter } from './http/rate-limit.ts'
import { createDepositService } from './liquidity/deposits.ts'
import { distributeFee, feeOfExecution } from './liquidity/fees.ts'
import { fillPendingDeposits } from './liquidity/pending.ts'
import { processWithdrawals } from './liquidity/withdrawal-worker.ts'
import { createHttpFeed, type FeedConfig } from './oracle/http-feed.ts'
import { createOracleService } from './oracle/service.ts'
import { createSimFeed } from './oracle/sim.ts'
import { createPartnerService } from './partners/service.ts'
import { createWalletService } from './partners/wallets.ts'
import { seedPools } from './pools/service.ts'
import { referenceUsdRates } from './pools/usd-rates.ts'
import { createRiskEngine } from './risk/engine.ts'
import { type AppServices, mountRoutes } from './routes.ts'
import type { Store } from './store/store.ts'
import { createExecutionService } from './trading/executions.ts'
import { createActivePools } from './trading/market.ts'
import { createQuoteService } from './trading/quotes.ts'

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
  readonly rates?: { environment: 'sandbox' | 'live'; mode: 'executable' | 'mid'; allow: readonly string[] }
}

export type Stablefx = {
  readonly services: AppServices
  readonly app: FastifyInstance
  /** Starts background work: price feeds, maintenance timers, settling executions left pending. */
  start(): Promise<void>
  /** Stops background work and the HTTP server; the store is the caller's to close. */
  close(): Promise<void>
}

const MAINTENANCE_INTERVAL_MS = 60_000
const QUEUE_INTERVAL_MS = 1_000

/**
 * The composition root: every service is built here, by hand, from explicit
 * dependencies (CONVENTIONS.md: no container). The CLI and the tests both
 * start stablefx through this function.
 */
export async function createStablefx(options: StablefxOptions): Promise<Stablefx> {
  const { store, liveClock } = options
  const riskConfig = options.riskConfig ?? DEFAULT_RISK_CONFIG
  const problems = validateRiskConfig(riskConfig)
  if (problems.length > 0) throw new Error(`invalid risk configuration: ${problems.join('; ')}`)
  const sandboxClock: SandboxClock = await createSandboxClock(store, options.sandboxBaseClock ?? liveClock)
  const clocks = { live: liveClock, sandbox: sandboxClock }
  const referenceRates = referenceUsdRates()
  await seedPools(store, referenceRates, liveClock.now())
  const oracle = createOracleService({ clocks })
  const pools = createActivePools({ store, oracle })
  let log: { warn(obj: object, msg: string): void } = { warn: () => {} }
  const risk = createRiskEngine({
    store,
    oracle,
    clocks,
    config: riskConfig,
    log: { warn: (o, m) => log.warn(o, m) },
  })
  oracle.onPrice((accepted) => risk.poke(accepted.environment, 'price'))
  const states = risk
  const usdRates = (environment: Environment) => oracle.usdRates(environment)
  const chain = options.chain ?? createSimulatedChain()
  const executions = createExecutionService({
    store,
    chain,
    clocks,
    states,
    pools,
    afterChange: (environment) => risk.poke(environment, 'execution'),
    usdRates,
    riskConfig,
    onSettled: (tx, execution, atMs) =>
      distributeFee(tx, feeOfExecution(execution), usdRates(execution.environment as Environment), atMs),
  })
  const wallets = createWalletService({ store, liveClock, clocks })
  const liquidityDeps = { store, wallets, engine: risk, riskConfig, clocks, usdRates }
  const services: AppServices = {
    store,
    clocks,
    partners: createPartnerService({ store, clock: liveClock }),
    balances: createBalanceService({ store, clocks, referenceRates }),
    oracle,
    pools,
    states,
    riskConfig,
    risk,
    quotes: createQuoteService({
      store,
      oracle,
      pools,
      states,
      clocks,
      riskConfig,
      onArbitrageFailure: (environment, corridor, reason) =>
        risk.reportArbitrage(environment, corridor, reason),
    }),
    executions,
    idempotency: createIdempotency({ store, clocks }),
    rates: options.rates ?? { environment: 'sandbox', mode: 'executable', allow: [] },
    wallets,
    deposits: createDepositService({ store, wallets, clocks, usdRates }),
    chain,
    adminToken: options.adminToken,
    opsToken: options.opsToken,
    metrics: createMetrics({ processMetrics: options.processMetrics }),
    rateLimiter: options.rateLimit ? createRateLimiter() : undefined,
  }
  const app = await buildHttpShell({ logLevel: options.logLevel, metrics: services.metrics })
  await mountRoutes(app, services)
  log = app.log
  await risk.load()
  const stops: (() => void)[] = []
  return {
    services,
    app,
    async start() {
      const settled = await executions.settlePending()
      if (settled > 0) app.log.warn({ settled }, 'settled executions left pending by an earlier run')
      risk.start()
      stops.push(() => risk.stop())
      if (options.oracleMode === 'sim') {
        const sim = createSimFeed({ oracle, clocks, seed: options.oracleSeed ?? 1 })
        sim.start()
        sandboxClock.onAdvance(() => sim.tick())
        stops.push(() => sim.stop())
      }
      if (options.oracleFeeds !== undefined && options.oracleFeeds.length > 0) {
        const feed = createHttpFeed({ oracle, clocks, logger: app.log }, options.oracleFeeds)
        feed.start()
        stops.push(() => feed.stop())
      }
      // The LP queues (SPEC §7.1, §7.5): pending deposits enter pools with room, due withdrawal tranches are paid.
      let queuesBusy = false
      const queues = setInterval(() => {
        if (queuesBusy) return
        queuesBusy = true
        void (async () => {
          for (const environment of ENVIRONMENTS) {
            await fillPendingDeposits(store, environment, usdRates(environment), () =>
              clocks[environment].now(),
            )
            await processWithdrawals(liquidityDeps, chain, environment)
          }
        })()
          .catch((error) => app.log.warn({ err: error }, 'LP queue processing failed'))
          .finally(() => {
            queuesBusy = false
          })
      }, QUEUE_INTERVAL_MS)
      queues.unref()
      stops.push(() => clearInterval(queues))
      const maintenance = setInterval(() => {
        void sandboxClock
          .refresh()
          .catch((error) => app.log.warn({ err: error }, 'sandbox clock refresh failed'))
        for (const environment of ENVIRONMENTS) {
          void purgeExpiredKeys(store, environment, clocks[environment].now()).catch((error) =>
            app.log.warn({ err: error }, 'idempotency purge failed'),
          )
        }
      }, MAINTENANCE_INTERVAL_MS)
      maintenance.unref()
      stops.push(() => clearInterval(maintenance))
    },
    async close() {
      for (const stop of stops.splice(0)) stop()
      await app.close()
    },
  }
}
