import type { FastifyInstance } from 'fastify'
import { createBalanceService } from './balances/service.ts'
import type { Clock } from './clock/clock.ts'
import { createSandboxClock, type SandboxClock } from './clock/sandbox-clock.ts'
import type { LogLevel } from './config/settings.ts'
import { type AppServices, buildHttpApp } from './http/app.ts'
import { createMetrics } from './http/metrics.ts'
import { createRateLimiter } from './http/rate-limit.ts'
import { createPartnerService } from './partners/service.ts'
import { seedPools } from './pools/service.ts'
import { referenceUsdRates } from './pools/usd-rates.ts'
import type { Store } from './store/store.ts'

export type StablefxOptions = {
  readonly store: Store
  readonly adminToken: string
  readonly liveClock: Clock
  readonly logLevel: LogLevel
  readonly rateLimit: boolean
  /** Process-level metrics (event loop, memory) belong to a real server, not to every test app. */
  readonly processMetrics: boolean
  /** Wraps the sandbox clock's base; tests pass a manual clock here. */
  readonly sandboxBaseClock?: Clock
}

export type Stablefx = {
  readonly services: AppServices
  readonly app: FastifyInstance
  /** Stops background work and the HTTP server; the store is the caller's to close. */
  close(): Promise<void>
}

/**
 * The composition root: every service is built here, by hand, from explicit
 * dependencies (CONVENTIONS.md: no container). The CLI and the tests both
 * start stablefx through this function.
 */
export async function createStablefx(options: StablefxOptions): Promise<Stablefx> {
  const { store, liveClock } = options
  const sandboxClock: SandboxClock = await createSandboxClock(store, options.sandboxBaseClock ?? liveClock)
  const clocks = { live: liveClock, sandbox: sandboxClock }
  const referenceRates = referenceUsdRates()
  await seedPools(store, referenceRates, liveClock.now())
  const services: AppServices = {
    store,
    clocks,
    partners: createPartnerService({ store, clock: liveClock }),
    balances: createBalanceService({ store, clocks, referenceRates }),
    usdRates: referenceRates,
    adminToken: options.adminToken,
    metrics: createMetrics({ processMetrics: options.processMetrics }),
    rateLimiter: options.rateLimit ? createRateLimiter() : undefined,
  }
  const app = await buildHttpApp(services, { logLevel: options.logLevel })
  return {
    services,
    app,
    async close() {
      await app.close()
    },
  }
}
