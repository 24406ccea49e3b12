import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import type { Environment } from '../config/environment.ts'
import { guarded } from '../http/app.ts'
import { type AuthThrottle, bearerToken, requireToken } from '../http/auth.ts'
import type { RouteDoc } from '../http/openapi.ts'
import { EnvironmentSchema, OneOf, Strict } from '../http/schemas.ts'
import { secretsEqual } from '../partners/keys.ts'
import type { PartnerService } from '../partners/service.ts'
import { FLOW_WINDOW_NAMES, type FlowWindow } from './model.ts'
import { dashboardPage } from './page.ts'
import { createDashboardService, type DashboardDeps, type DashboardService } from './service.ts'

export type DashboardRouteDeps = DashboardDeps & {
  readonly adminToken: string
  readonly opsToken: string
  readonly partners: PartnerService
  readonly authThrottle: AuthThrottle | undefined
}

/** The dashboard's data routes are read by either operator token; each is documented with both. */
const DASHBOARD_DOC: RouteDoc = { security: [{ adminToken: [] }, { opsToken: [] }] }

/**
 * Either operator token: the admin token passes as `admin`, anything else is
 * checked as the ops token (partner keys 403, the rest 401, failures
 * throttled per address), by the same hooks the admin and ops routes use.
 */
function requireOperator(deps: DashboardRouteDeps) {
  const admin = requireToken('admin', deps.adminToken, deps.partners, deps.authThrottle)
  const ops = requireToken('ops', deps.opsToken, deps.partners, deps.authThrottle)
  return (request: FastifyRequest, reply: FastifyReply) => {
    const presented = bearerToken(request.headers.authorization)
    return presented !== undefined && secretsEqual(presented, deps.adminToken)
      ? admin(request, reply)
      : ops(request, reply)
  }
}

const EnvironmentQuery = Strict({ environment: Type.Optional(EnvironmentSchema) })

const environmentOf = (query: { environment?: Environment }): Environment => query.environment ?? 'sandbox'
const tags = ['dashboard']

/** The read-only JSON behind the panels, one route per panel (mounted behind `requireOperator`). */
const dashboardDataRoutes: FastifyPluginAsyncTypebox<{ service: DashboardService }> = async (
  app,
  { service },
) => {
  app.get(
    '/admin/v1/dashboard/pools',
    {
      schema: {
        tags,
        operationId: 'dashboardPools',
        summary: 'Dashboard: the twelve pools with balance, target, min and health (as GET /admin/v1/pools)',
        querystring: EnvironmentQuery,
      },
    },
    async (request) => service.pools(environmentOf(request.query)),
  )
  app.get(
    '/admin/v1/dashboard/corridors',
    {
      schema: {
        tags,
        operationId: 'dashboardCorridors',
        summary:
          'Dashboard: each corridor’s state with its reasons, the risk status, the last 24 h as a timeline, and the latest state changes',
        querystring: EnvironmentQuery,
      },
    },
    async (request) => service.corridors(environmentOf(request.query)),
  )
  app.get(
    '/admin/v1/dashboard/flows',
    {
      schema: {
        tags,
        operationId: 'dashboardFlows',
        summary:
          'Dashboard: executions and settled volume (USD) per time bucket and corridor over a window of the environment’s clock',
        querystring: Strict({
          environment: Type.Optional(EnvironmentSchema),
          window: Type.Optional(OneOf(FLOW_WINDOW_NAMES)),
        }),
      },
    },
    async (request) =>
      service.flows(environmentOf(request.query), (request.query.window ?? '24h') as FlowWindow),
  )
  app.get(
    '/admin/v1/dashboard/batches',
    {
      schema: {
        tags,
        operationId: 'dashboardBatches',
        summary: 'Dashboard: the latest rebalancing batches, realised PnL, and the latest buy-backs',
        querystring: EnvironmentQuery,
      },
    },
    async (request) => service.batches(environmentOf(request.query)),
  )
  app.get(
    '/admin/v1/dashboard/liquidity',
    {
      schema: {
        tags,
        operationId: 'dashboardLiquidity',
        summary:
          'Dashboard: per asset Reserve and Yield, LP TVL by class, kToken indexes (as GET /v1/lp/pools)',
        querystring: EnvironmentQuery,
      },
    },
    async (request) => service.liquidity(environmentOf(request.query)),
  )
  app.get(
    '/admin/v1/dashboard/webhooks',
    {
      schema: {
        tags,
        operationId: 'dashboardWebhooks',
        summary:
          'Dashboard: webhook endpoints, delivery queue, attempts by outcome over 24 h, and the latest attempts',
        querystring: EnvironmentQuery,
      },
    },
    async (request) => service.webhooks(environmentOf(request.query)),
  )
  app.get(
    '/admin/v1/dashboard/clock',
    {
      schema: {
        tags,
        operationId: 'dashboardClock',
        summary: 'Dashboard: the sandbox test clock and the live clock',
      },
    },
    async () => service.clock(),
  )
}

/**
 * Issue 15 scope 6: the operations dashboard. `GET /dashboard` is one
 * self-contained page (no token needed to load it; it asks for one), and the
 * read-only JSON it draws from sits under /admin/v1/dashboard/, open to the
 * admin or the ops token: the admin and ops routes each refuse the other's
 * token, and one token entered once must fill every panel.
 */
export const dashboardRoutes: FastifyPluginAsyncTypebox<DashboardRouteDeps> = async (app, deps) => {
  const page = dashboardPage()

  app.get('/dashboard', { schema: { hide: true } }, async (_request, reply) =>
    reply
      .header('content-type', 'text/html; charset=utf-8')
      .header('content-security-policy', page.contentSecurityPolicy)
      .header('cache-control', 'no-store')
      .header('referrer-policy', 'no-referrer')
      .header('x-content-type-options', 'nosniff')
      .header('x-frame-options', 'DENY')
      .send(page.html),
  )

  await app.register(
    guarded(
      requireOperator(deps),
      async (scope) => {
        await scope.register(dashboardDataRoutes, { service: createDashboardService(deps) })
      },
      DASHBOARD_DOC,
    ),
  )
}
