import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import type { Environment } from '../../config/environment.ts'
import { actorOf } from '../../http/auth.ts'
import { sendFailure } from '../../http/errors.ts'
import { AssetCodeSchema, EnvironmentSchema, OneOf, Strict } from '../../http/schemas.ts'
import type { EarnService } from './service.ts'

/** Issue 12, admin: the yield venue per legal entity, and each asset's split between the entities (audited). */
export const earnAdminRoutes: FastifyPluginAsyncTypebox<{ earn: EarnService }> = async (app, deps) => {
  app.get(
    '/admin/v1/yield/venue',
    {
      schema: {
        tags: ['admin'],
        summary:
          'The yield venue per entity: token health, balances booked vs reported, last report, reconciliation, pending bookings, outstanding settlements',
        querystring: Strict({ environment: Type.Optional(EnvironmentSchema) }),
      },
    },
    async (request) => deps.earn.view((request.query.environment ?? 'sandbox') as Environment),
  )

  app.put(
    '/admin/v1/yield/venue/splits/:asset',
    {
      schema: {
        tags: ['admin'],
        summary:
          'Which venue product(s) an asset’s class B Yield capital is booked in, and the split between entities (audited)',
        params: Strict({ asset: AssetCodeSchema }),
        body: Strict({
          environment: Type.Optional(EnvironmentSchema),
          split: Type.Array(
            Strict({
              entity: OneOf(['lending', 'defi'] as const),
              product_id: Type.String({ minLength: 1, maxLength: 100 }),
              pct: Type.Integer({ minimum: 0, maximum: 100 }),
            }),
            { minItems: 1, maxItems: 2 },
          ),
        }),
      },
    },
    async (request, reply) => {
      const environment = (request.body.environment ?? 'sandbox') as Environment
      const result = await deps.earn.setSplit(
        environment,
        request.params.asset,
        request.body.split,
        actorOf(request),
      )
      return result.ok ? result.value : sendFailure(reply, result)
    },
  )

  app.post(
    '/admin/v1/yield/venue/run',
    {
      schema: {
        tags: ['admin'],
        summary:
          'Run the venue work now: send due bookings, ingest every closed day’s report, pay settlements due',
        body: Strict({ environment: Type.Optional(EnvironmentSchema) }),
      },
    },
    async (request) => {
      const environment = (request.body.environment ?? 'sandbox') as Environment
      const sent = await deps.earn.sendBookings(environment)
      const reports = await deps.earn.runCycle(environment)
      const settlements = await deps.earn.sendSettlements(environment)
      const products = await deps.earn.syncProducts(environment).catch(() => 0)
      return {
        environment,
        bookings_sent: sent,
        reports_ingested: reports,
        settlements_paid: settlements,
        products_synced: products,
      }
    },
  )
}
