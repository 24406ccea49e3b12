import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import type { Environment } from '../config/environment.ts'
import { ERROR_RESPONSES, sendFailure } from '../http/errors.ts'
import {
  CorridorSchema,
  CursorText,
  EnvironmentSchema,
  LimitText,
  OneOf,
  parseCursor,
  Strict,
} from '../http/schemas.ts'
import type { OracleService } from '../oracle/service.ts'
import type { Store } from '../store/store.ts'
import { BATCH_STATUSES } from './batch-model.ts'
import { listBatches } from './batches.ts'
import { batchView } from './views.ts'

const Nullable = (schema: ReturnType<typeof Type.String>) => Type.Union([schema, Type.Null()])

export const BatchSchema = Type.Object({
  batch_id: Type.String(),
  corridor: Type.String(),
  direction: Type.String(),
  status: Type.String(),
  volume_asset: Type.String(),
  volume: Type.String(),
  open_volume: Type.String(),
  waop: Type.String(),
  fills: Type.Array(Type.Object({ volume: Type.String(), rate: Type.String(), at: Type.String() })),
  realised_pnl_usd: Type.String(),
  unrealised_pnl_usd: Nullable(Type.String()),
  opened_at: Type.String(),
  settled_at: Nullable(Type.String()),
  closed_at: Nullable(Type.String()),
})

/**
 * SPEC §13 GET /v1/reserve/batches, behind the ops token: the bag the
 * Reserve holds after Phase 1 rebalancing (SPEC §8), newest batch first, in
 * the cursor list shape of GET /v1/executions. Environment defaults to live,
 * like the other operations routes.
 */
export const rebalancingOpsRoutes: FastifyPluginAsyncTypebox<{
  store: Store
  oracle: Pick<OracleService, 'moneyRates'>
}> = async (app, deps) => {
  app.get(
    '/v1/reserve/batches',
    {
      schema: {
        tags: ['ops'],
        summary: 'Rebalancing batches with their fills, WAOP and PnL (SPEC §8, §13)',
        querystring: Strict({
          corridor: Type.Optional(CorridorSchema),
          status: Type.Optional(OneOf(BATCH_STATUSES)),
          environment: Type.Optional(EnvironmentSchema),
          cursor: Type.Optional(CursorText),
          limit: Type.Optional(LimitText),
        }),
        response: {
          200: Type.Object({ items: Type.Array(BatchSchema), next_cursor: Nullable(Type.String()) }),
          ...ERROR_RESPONSES,
        },
      },
    },
    async (request, reply) => {
      const { corridor, status, limit } = request.query
      const environment: Environment = request.query.environment ?? 'live'
      const cursor = parseCursor(request.query.cursor, 'querystring/cursor')
      if (!cursor.ok) return sendFailure(reply, cursor)
      const page = await listBatches(deps.store, {
        environment,
        ...(corridor === undefined ? {} : { corridor }),
        ...(status === undefined ? {} : { status }),
        ...(cursor.value === undefined ? {} : { cursor: cursor.value }),
        limit: limit === undefined ? 50 : Number(limit),
      })
      // Marked to the current mid; at a stale oracle nothing is marked (null), never at a guessed rate.
      const rates = deps.oracle.moneyRates(environment)
      return {
        items: page.batches.map((b) =>
          batchView(b, page.fills.get(b.batchId) ?? [], rates.ok ? rates.value : undefined),
        ),
        next_cursor: page.nextCursor,
      }
    },
  )
}
