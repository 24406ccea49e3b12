import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { ISSUER_WEBHOOKS } from '../issuers/contract.ts'
import { RFQ_WEBHOOKS } from '../rfq/contract.ts'
import type { Store } from '../store/store.ts'
import { PARTNER_WEBHOOKS } from '../webhooks/contract.ts'
import { ERROR_RESPONSES, sendFailure } from './errors.ts'
import type { Metrics } from './metrics.ts'

/** Liveness, readiness, metrics and the OpenAPI document: no authentication, no secrets. */
export const systemRoutes: FastifyPluginAsyncTypebox<{ store: Store; metrics: Metrics }> = async (
  app,
  deps,
) => {
  app.get(
    '/health',
    {
      schema: {
        tags: ['system'],
        summary: 'Liveness: answers without I/O',
        response: { 200: Type.Object({ status: Type.String() }) },
      },
    },
    async () => ({ status: 'ok' }),
  )

  app.get(
    '/ready',
    {
      schema: {
        tags: ['system'],
        summary: 'Readiness: the database answers',
        response: { 200: Type.Object({ status: Type.String() }), ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      try {
        await deps.store.ping()
        return { status: 'ready' }
      } catch (error) {
        request.log.warn({ err: error }, 'database not reachable')
        return sendFailure(reply, { code: 'NOT_READY', message: 'database not reachable' })
      }
    },
  )

  app.get('/metrics', { schema: { hide: true } }, async (_request, reply) => {
    reply.header('content-type', deps.metrics.registry.contentType)
    return deps.metrics.registry.metrics()
  })

  // What partners' webhook endpoints, counterparties and issuers implement, as OpenAPI 3.1 `webhooks`.
  app.get('/openapi.json', { schema: { hide: true } }, async () => ({
    ...app.swagger(),
    webhooks: { ...PARTNER_WEBHOOKS, ...RFQ_WEBHOOKS, ...ISSUER_WEBHOOKS },
  }))
}
