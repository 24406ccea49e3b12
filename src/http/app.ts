import { randomUUID } from 'node:crypto'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import Fastify, {
  type FastifyInstance,
  type FastifyPluginAsync,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from 'fastify'
import { auditAdminRoutes } from '../audit/routes.ts'
import { balanceRoutes } from '../balances/routes.ts'
import type { BalanceService } from '../balances/service.ts'
import type { ChainAdapter } from '../chain/adapter.ts'
import type { Clock } from '../clock/clock.ts'
import { clockAdminRoutes } from '../clock/routes.ts'
import type { SandboxClock } from '../clock/sandbox-clock.ts'
import type { RiskConfig } from '../config/risk.ts'
import type { LogLevel } from '../config/settings.ts'
import { rafikiRoutes } from '../integrations/rafiki/routes.ts'
import type { DepositService } from '../liquidity/deposits.ts'
import { liquidityAdminRoutes, liquidityRoutes } from '../liquidity/routes.ts'
import { oracleAdminRoutes } from '../oracle/routes.ts'
import type { OracleService } from '../oracle/service.ts'
import { partnerAdminRoutes } from '../partners/routes.ts'
import type { PartnerService } from '../partners/service.ts'
import type { WalletService } from '../partners/wallets.ts'
import { poolAdminRoutes } from '../pools/routes.ts'
import type { CorridorStates, RiskEngine } from '../risk/engine.ts'
import { riskOpsRoutes } from '../risk/ops-routes.ts'
import { stateRoutes } from '../risk/routes.ts'
import type { Store } from '../store/store.ts'
import type { ExecutionService } from '../trading/executions.ts'
import type { ActivePools } from '../trading/market.ts'
import type { QuoteService } from '../trading/quotes.ts'
import { tradingRoutes } from '../trading/routes.ts'
import { requireAdmin, requirePartner, requireToken } from './auth.ts'
import { handleError, sendFailure } from './errors.ts'
import type { createIdempotency } from './idempotency.ts'
import { registerJsonParser } from './json.ts'
import type { Metrics } from './metrics.ts'
import type { RateLimiter } from './rate-limit.ts'
import { systemRoutes } from './system-routes.ts'

export type AppServices = {
  readonly store: Store
  readonly clocks: { readonly live: Clock; readonly sandbox: SandboxClock }
  readonly partners: PartnerService
  readonly balances: BalanceService
  readonly oracle: OracleService
  readonly pools: ActivePools
  readonly states: CorridorStates
  readonly risk: RiskEngine
  readonly riskConfig: RiskConfig
  readonly quotes: QuoteService
  readonly executions: ExecutionService
  readonly idempotency: ReturnType<typeof createIdempotency>
  readonly rates: { environment: 'sandbox' | 'live'; mode: 'executable' | 'mid'; allow: readonly string[] }
  readonly wallets: WalletService
  readonly deposits: DepositService
  readonly chain: ChainAdapter
  readonly adminToken: string
  readonly opsToken: string
  readonly metrics: Metrics
  readonly rateLimiter: RateLimiter | undefined
}

/** SPEC §14.4: bounded bodies. 64 KiB is far above any request of this API. */
export const BODY_LIMIT_BYTES = 64 * 1024
const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/

type Hook = (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>

/** Registers `plugins` in one encapsulated scope behind an `onRequest` hook. */
function guarded(hook: Hook, plugins: (scope: FastifyInstance) => Promise<void>): FastifyPluginAsync {
  return async (scope) => {
    scope.addHook('onRequest', hook)
    await plugins(scope)
  }
}

export async function buildHttpApp(
  services: AppServices,
  options: { logLevel: LogLevel },
): Promise<FastifyInstance> {
  const app = Fastify({
    logger: {
      level: options.logLevel,
      base: { service: 'stablefx' },
      // Secrets never reach a log line (SPEC §14.4): request headers are not logged, and these paths are redacted.
      redact: [
        'req.headers.authorization',
        'req.headers["x-partner-id"]',
        '*.api_key',
        '*.sandbox_api_key',
        '*.webhook_secret',
      ],
    },
    // Per-request lines are written by our own onResponse hook, at debug level (they cost throughput at info).
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'request_id' }),
    bodyLimit: BODY_LIMIT_BYTES,
    genReqId: (request) => {
      const given = request.headers['x-request-id']
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID()
    },
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    ajv: {
      customOptions: { coerceTypes: false, removeAdditional: false, useDefaults: false, allErrors: false },
    },
  }).withTypeProvider<TypeBoxTypeProvider>()

  app.decorateRequest('partnerAuth', null)
  app.decorateRequest('actor', null)
  app.decorateReply('failureCode', null)
  registerJsonParser(app)
  app.setErrorHandler(handleError)
  app.setNotFoundHandler((_request, reply) =>
    sendFailure(reply, { code: 'NOT_FOUND', message: 'no such route' }),
  )
  // Draining (SPEC §14.6): connections still open when their last response ends are closed (see
  // onResponse), so a keep-alive connection does not hold the server open for its idle timeout.
  let closing = false
  app.addHook('preClose', async () => {
    closing = true
  })
  // Hooks on every request are synchronous callbacks: an async hook costs a promise per request.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id)
    done()
  })
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched'
    services.metrics.httpRequests.inc({ method: request.method, route, status: String(reply.statusCode) })
    services.metrics.httpDuration.observe({ method: request.method, route }, reply.elapsedTime / 1000)
    if (reply.statusCode >= 500) request.log.error({ route, status: reply.statusCode }, 'request failed')
    else request.log.debug({ route, status: reply.statusCode, ms: reply.elapsedTime }, 'request')
    // Draining: a keep-alive connection whose last response finished after close began is ended now.
    if (closing) request.raw.socket?.end()
    done()
  })

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'stablefx',
        version: '0.1.0',
        description: 'Stablecoin FX liquidity and settlement layer. Amounts are decimal strings.',
      },
      components: {
        securitySchemes: {
          bearer: {
            type: 'http',
            scheme: 'bearer',
            description: 'Partner API key, or the admin token on /admin',
          },
        },
      },
      security: [{ bearer: [] }],
    },
  })
  await app.register(swaggerUi, { routePrefix: '/docs' })

  await app.register(systemRoutes, { store: services.store, metrics: services.metrics })
  await app.register(rafikiRoutes, {
    oracle: services.oracle,
    pools: services.pools,
    states: services.states,
    riskConfig: services.riskConfig,
    environment: services.rates.environment,
    mode: services.rates.mode,
    allow: services.rates.allow,
    nowMs: () => performance.now(),
  })
  await app.register(
    guarded(requireAdmin(services), async (scope) => {
      await scope.register(partnerAdminRoutes, { partners: services.partners })
      await scope.register(auditAdminRoutes, { store: services.store })
      await scope.register(poolAdminRoutes, { store: services.store, oracle: services.oracle })
      await scope.register(clockAdminRoutes, { sandboxClock: services.clocks.sandbox })
      await scope.register(oracleAdminRoutes, {
        oracle: services.oracle,
        clocks: services.clocks,
        store: services.store,
      })
      await scope.register(liquidityAdminRoutes, {
        store: services.store,
        wallets: services.wallets,
        clocks: services.clocks,
      })
    }),
  )
  await app.register(
    guarded(requireToken('ops', services.opsToken, services.partners), async (scope) => {
      await scope.register(riskOpsRoutes, {
        store: services.store,
        engine: services.risk,
        oracle: services.oracle,
        clocks: services.clocks,
        riskConfig: services.riskConfig,
      })
    }),
  )
  await app.register(
    guarded(requirePartner({ partners: services.partners, limiter: services.rateLimiter }), async (scope) => {
      // SPEC §14.3: every POST under /v1 honours Idempotency-Key (after validation, before the handler).
      scope.decorateRequest('idempotencyKey', null)
      // Only POST routes carry the idempotency hooks; reads pay nothing for them.
      scope.addHook('onRoute', (route) => {
        if (route.method !== 'POST') return
        route.preHandler = [services.idempotency.claim]
        route.onSend = [(request, reply, payload) => services.idempotency.complete(request, reply, payload)]
      })
      await scope.register(balanceRoutes, { balances: services.balances })
      await scope.register(tradingRoutes, { quotes: services.quotes, executions: services.executions })
      await scope.register(liquidityRoutes, {
        store: services.store,
        wallets: services.wallets,
        engine: services.risk,
        riskConfig: services.riskConfig,
        clocks: services.clocks,
        usdRates: (environment) => services.oracle.usdRates(environment),
        deposits: services.deposits,
        chain: services.chain,
      })
      await scope.register(stateRoutes, {
        store: services.store,
        engine: services.risk,
        oracle: services.oracle,
        pools: services.pools,
        riskConfig: services.riskConfig,
        clocks: services.clocks,
      })
    }),
  )
  return app
}
