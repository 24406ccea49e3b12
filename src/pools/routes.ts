import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { ERROR_RESPONSES } from '../http/errors.ts'
import { EnvironmentSchema, Strict } from '../http/schemas.ts'
import type { OracleService } from '../oracle/service.ts'
import type { Store } from '../store/store.ts'
import { listPools } from './service.ts'

const PoolSchema = Type.Object({
  asset: Type.String(),
  tier: Type.String(),
  balance: Type.String(),
  target: Type.String(),
  min: Type.String(),
  health_pct: Type.String(),
  status: Type.String(),
})

export const poolAdminRoutes: FastifyPluginAsyncTypebox<{ store: Store; oracle: OracleService }> = async (
  app,
  deps,
) => {
  app.get(
    '/admin/v1/pools',
    {
      schema: {
        tags: ['admin'],
        summary: 'The twelve pools of one environment: balance, target, min and health (SPEC §2.2)',
        querystring: Strict({ environment: Type.Optional(EnvironmentSchema) }),
        response: {
          200: Type.Object({ environment: Type.String(), pools: Type.Array(PoolSchema) }),
          ...ERROR_RESPONSES,
        },
      },
    },
    async (request) => {
      const environment = request.query.environment ?? 'sandbox'
      return {
        environment,
        pools: await listPools(deps.store, environment, deps.oracle.usdRates(environment)),
      }
    },
  )
}
