import type { FastifyInstance, FastifyRequest } from 'fastify'
import { auditAdminRoutes } from './audit/routes.ts'
import { balanceRoutes } from './balances/routes.ts'
import type { BalanceService } from './balances/service.ts'
import type { ChainAdapter } from './chain/adapter.ts'
import { depositAddressRoutes, evmOpsRoutes } from './chain/evm/routes.ts'
import type { EvmRuntime } from './chain/evm/runtime.ts'
import type { Clock } from './clock/clock.ts'
import { clockAdminRoutes } from './clock/routes.ts'
import type { SandboxClock } from './clock/sandbox-clock.ts'
import { clusterAdminRoutes } from './cluster/routes.ts'
import type { Environment } from './config/environment.ts'
import type { RiskConfig } from './config/risk.ts'
import { dashboardRoutes } from './dashboard/routes.ts'
import { eventAdminRoutes } from './events/admin-routes.ts'
import { eventRoutes } from './events/routes.ts'
import { guarded } from './http/app.ts'
import { type AuthThrottle, requireAdmin, requirePartner, requireToken } from './http/auth.ts'
import type { createIdempotency } from './http/idempotency.ts'
import type { Metrics } from './http/metrics.ts'
import { ADMIN_DOC, OPS_DOC, PARTNER_DOC } from './http/openapi.ts'
import type { RateLimiter } from './http/rate-limit.ts'
import { systemRoutes } from './http/system-routes.ts'
import { earnAdminRoutes } from './integrations/earn/routes.ts'
import type { EarnService } from './integrations/earn/service.ts'
import { rafikiRoutes } from './integrations/rafiki/routes.ts'
import { issuerOpsRoutes, issuerRoutes } from './issuers/routes.ts'
import type { IssuerService } from './issuers/service.ts'
import type { DepositService } from './liquidity/deposits.ts'
import { liquidityAdminRoutes, liquidityRoutes } from './liquidity/routes.ts'
import { oracleAdminRoutes } from './oracle/routes.ts'
import type { OracleService } from './oracle/service.ts'
import { rampUpAdminRoutes } from './partners/ramp-up-routes.ts'
import { partnerAdminRoutes } from './partners/routes.ts'
import type { PartnerService } from './partners/service.ts'
import type { WalletService } from './partners/wallets.ts'
import { paymentAdminRoutes, paymentRoutes } from './payments/routes.ts'
import type { PaymentService } from './payments/service.ts'
import { poolAdminRoutes } from './pools/routes.ts'
import type { Phase2Service } from './rebalancing/phase2-service.ts'
import { rebalancingOpsRoutes } from './rebalancing/routes.ts'
import type { CorridorStates, RiskEngine } from './risk/engine.ts'
import { riskOpsRoutes } from './risk/ops-routes.ts'
import { stateRoutes } from './risk/routes.ts'
import type { Store } from './store/store.ts'
import type { ExecutionService } from './trading/executions.ts'
import type { ActivePools } from './trading/market.ts'
import type { QuoteService } from './trading/quotes.ts'
import { tradingRoutes } from './trading/routes.ts'
import { webhookAdminRoutes, webhookRoutes } from './webhooks/routes.ts'
import type { WebhookService } from './webhooks/service.ts'

/** Every service the routes are mounted with, built by the composition root (src/app.ts). */
export type AppServices = {
  readonly store: Store
  readonly clocks: { readonly live: Clock; readonly sandbox: SandboxClock }
  /** This process in the cluster (SPEC §15 "Several nodes"). */
  readonly nodeId: string
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
  readonly rates: {
    environment: 'sandbox' | 'live'
    mode: 'executable' | 'mid'
    allow: readonly string[]
    /** USD, a decimal string; REFERENCE_SIZE_USD ($1,000) when absent. */
    referenceUsd?: string
  }
  readonly wallets: WalletService
  readonly deposits: DepositService
  readonly chain: ChainAdapter
  /** Issue 14: the EVM environment's chain (STABLEFX_CHAIN=evm); undefined on the simulated chain alone. */
  readonly evm?: EvmRuntime | undefined
  readonly adminToken: string
  readonly opsToken: string
  readonly metrics: Metrics
  readonly rateLimiter: RateLimiter | undefined
  readonly authThrottle: AuthThrottle | undefined
  /** Whether this node hears the others' notifications. */
  readonly listening: () => boolean
  readonly wakeWithdrawals: (environment: Environment) => void
  readonly sseMaxPerPartner: number | undefined
  /** SPEC §10 webhook endpoints, delivery log and redelivery. */
  readonly webhooks: WebhookService
  /** Issue 11: issuers' mint, redeem and Proof of Reserve. */
  readonly issuers: IssuerService
  /** Issue 13: payment instructions between partners, beneficiary validation, Travel Rule relay. */
  readonly payments: PaymentService
  /** Issue 12: the yield venue (Earn API) integration. */
  readonly earn: EarnService
  /** SPEC §8 Phase 2 buy-backs, emergency RFQ and Reserve deficit escalations. */
  readonly phase2: Phase2Service
}

/**
 * The route table: which domain's routes are served, behind which guard
 * (none, the admin token, the ops token, a partner key with idempotency).
 */
export async function mountRoutes(app: FastifyInstance, services: AppServices): Promise<void> {
  await app.register(systemRoutes, { store: services.store, metrics: services.metrics })
  // Issue 15: the operations dashboard; the page loads without a token, its data routes take the admin or ops token.
  await app.register(dashboardRoutes, services)
  await app.register(rafikiRoutes, {
    oracle: services.oracle,
    pools: services.pools,
    states: services.states,
    riskConfig: services.riskConfig,
    environment: services.rates.environment,
    mode: services.rates.mode,
    allow: services.rates.allow,
    ...(services.rates.referenceUsd === undefined ? {} : { referenceUsd: services.rates.referenceUsd }),
    nowMs: () => performance.now(),
  })
  await app.register(
    guarded(
      requireAdmin({ ...services, throttle: services.authThrottle }),
      async (scope) => {
        await scope.register(partnerAdminRoutes, { partners: services.partners })
        await scope.register(webhookAdminRoutes, { webhooks: services.webhooks })
        await scope.register(paymentAdminRoutes, { payments: services.payments })
        await scope.register(earnAdminRoutes, { earn: services.earn })
        await scope.register(rampUpAdminRoutes, { store: services.store, clock: services.clocks.live })
        await scope.register(auditAdminRoutes, { store: services.store })
        await scope.register(eventAdminRoutes, { store: services.store })
        await scope.register(poolAdminRoutes, { store: services.store, oracle: services.oracle })
        await scope.register(clusterAdminRoutes, {
          store: services.store,
          nodeId: services.nodeId,
          listening: services.listening,
        })
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
      },
      ADMIN_DOC,
    ),
  )
  await app.register(
    guarded(
      requireToken('ops', services.opsToken, services.partners, services.authThrottle),
      async (scope) => {
        await scope.register(riskOpsRoutes, {
          store: services.store,
          engine: services.risk,
          oracle: services.oracle,
          clocks: services.clocks,
          riskConfig: services.riskConfig,
          phase2: services.phase2,
        })
        await scope.register(rebalancingOpsRoutes, {
          store: services.store,
          oracle: services.oracle,
          phase2: services.phase2,
        })
        await scope.register(issuerOpsRoutes, { issuers: services.issuers })
        await scope.register(evmOpsRoutes, { evm: services.evm, store: services.store })
      },
      OPS_DOC,
    ),
  )
  await app.register(
    guarded(
      requirePartner({
        partners: services.partners,
        limiter: services.rateLimiter,
        throttle: services.authThrottle,
      }),
      async (scope) => {
        // SPEC §14.3: every POST under /v1 honours Idempotency-Key (after validation, before the handler).
        scope.decorateRequest('idempotencyKey', null)
        // Only POST routes carry the idempotency hooks; reads pay nothing for them.
        scope.addHook('onRoute', (route) => {
          if (route.method !== 'POST') return
          route.preHandler = [services.idempotency.claim]
          route.onSend = [(request, reply, payload) => services.idempotency.complete(request, reply, payload)]
        })
        const recorder = (request: FastifyRequest) => services.idempotency.recorder(request)
        await scope.register(balanceRoutes, { balances: services.balances, recorder })
        await scope.register(depositAddressRoutes, { evm: services.evm })
        await scope.register(webhookRoutes, { webhooks: services.webhooks })
        await scope.register(issuerRoutes, { issuers: services.issuers })
        await scope.register(paymentRoutes, { payments: services.payments, recorder })
        await scope.register(tradingRoutes, {
          quotes: services.quotes,
          executions: services.executions,
          recorder,
        })
        await scope.register(liquidityRoutes, {
          store: services.store,
          wallets: services.wallets,
          engine: services.risk,
          riskConfig: services.riskConfig,
          clocks: services.clocks,
          moneyRates: (environment) => services.oracle.moneyRates(environment),
          deposits: services.deposits,
          recorder,
          wakeWithdrawals: services.wakeWithdrawals,
        })
        await scope.register(eventRoutes, {
          store: services.store,
          ...(services.sseMaxPerPartner === undefined ? {} : { sseMaxPerPartner: services.sseMaxPerPartner }),
        })
        await scope.register(stateRoutes, {
          store: services.store,
          engine: services.risk,
          oracle: services.oracle,
          pools: services.pools,
          riskConfig: services.riskConfig,
          clocks: services.clocks,
          ...(services.sseMaxPerPartner === undefined ? {} : { sseMaxPerPartner: services.sseMaxPerPartner }),
        })
      },
      PARTNER_DOC,
    ),
  )
}
