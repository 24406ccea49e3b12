import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import type { Environment } from '../config/environment.ts'
import { actorOf } from '../http/auth.ts'
import { ERROR_RESPONSES, sendFailure } from '../http/errors.ts'
import {
  AssetCodeSchema,
  CorridorSchema,
  CursorText,
  DecimalText,
  EnvironmentSchema,
  LimitText,
  OneOf,
  parseCursor,
  Strict,
} from '../http/schemas.ts'
import { r } from '../money/ratio.ts'
import type { OracleService } from '../oracle/service.ts'
import type { Store } from '../store/store.ts'
import { BATCH_STATUSES } from './batch-model.ts'
import { listBatches } from './batches.ts'
import type { Phase2Service } from './phase2-service.ts'
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
  closing_id: Nullable(Type.String()),
  close_due_at: Nullable(Type.String()),
})

/** A Phase 2 buy-back (SPEC §8): RFQ or issuer redemption of batches, with R_executed and realised PnL. */
export const CloseSchema = Type.Object({
  close_id: Type.String(),
  environment: Type.String(),
  corridor: Type.String(),
  direction: Type.String(),
  method: Type.String({ description: 'RFQ | ISSUER_REDEEM' }),
  purpose: Type.String({ description: 'REBALANCE | EMERGENCY' }),
  trigger: Type.String({ description: 'AGE | VAR_WARNING | VAR_BREACH | EMERGENCY_THRESHOLD | OPERATOR' }),
  status: Type.String({ description: 'PENDING | FILLED | FAILED' }),
  volume_asset: Type.String(),
  volume: Type.String(),
  batches: Type.Array(Type.Object({ batch_id: Type.String(), volume: Type.String() })),
  rate: Nullable(Type.String()),
  realised_pnl_usd: Nullable(Type.String()),
  reference: Nullable(Type.String()),
  error: Nullable(Type.String()),
  tranches: Type.Array(
    Type.Object({ counterparty: Type.String(), rate: Type.String(), volume: Type.String() }),
  ),
  created_at: Type.String(),
  updated_at: Type.String(),
})

const EscalationSchema = Type.Object({
  escalation_id: Type.String(),
  environment: Type.String(),
  asset: Type.String(),
  deficit: Type.String(),
  status: Type.String({ description: 'IN_PROGRESS | COVERED | WAITING_FOR_MINT | EXHAUSTED' }),
  started_at: Type.String(),
  updated_at: Type.String(),
  steps: Type.Array(
    Type.Object({
      step: Type.Integer(),
      kind: Type.String({ description: 'YIELD_RECALL | ISSUER_MINT | RFQ' }),
      outcome: Type.String({ description: 'DONE | PARTIAL | REQUESTED | FAILED | SKIPPED' }),
      amount: Type.String(),
      reference: Nullable(Type.String()),
      detail: Nullable(Type.String()),
      started_at: Type.String(),
      duration_ms: Type.Integer(),
    }),
  ),
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
  phase2: Phase2Service
}> = async (app, deps) => {
  app.post(
    '/v1/reserve/emergency-rfq',
    {
      schema: {
        tags: ['ops'],
        operationId: 'emergencyRfq',
        summary: 'Buy back a corridor’s bag through the RFQ counterparties now (SPEC §6.2, §13; audited)',
        description:
          '`amount` is the USD worth of the bag to buy back at the oracle mid (oldest batches first); the whole bag when absent. 200 with the filled buy-back; 409 CONFLICT when the corridor has no open batch; 422 NO_VIABLE_RFQ_QUOTE when no counterparty filled it (the attempt is recorded and shows in `risk-status.last_emergency_rfq`).',
        body: Strict({
          corridor: CorridorSchema,
          amount: Type.Optional(DecimalText),
          environment: Type.Optional(EnvironmentSchema),
        }),
        response: { 200: CloseSchema, ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const environment: Environment = request.body.environment ?? 'live'
      const done = await deps.phase2.emergencyRfq(
        {
          environment,
          corridor: request.body.corridor,
          ...(request.body.amount === undefined ? {} : { amountUsd: r(request.body.amount) }),
        },
        actorOf(request),
      )
      if (!done.ok) return sendFailure(reply, done)
      if (done.value.status !== 'FILLED')
        return sendFailure(reply, {
          code: 'NO_VIABLE_RFQ_QUOTE',
          message: `emergency RFQ ${done.value.close_id} was not filled: ${done.value.error ?? 'no answer'}`,
          corridor: request.body.corridor,
        })
      return done.value
    },
  )

  app.get(
    '/v1/reserve/closes',
    {
      schema: {
        tags: ['ops'],
        operationId: 'listBuybacks',
        summary: 'Phase 2 buy-backs of batches, newest first, with R_executed and realised PnL (SPEC §8)',
        querystring: Strict({
          corridor: Type.Optional(CorridorSchema),
          environment: Type.Optional(EnvironmentSchema),
          limit: Type.Optional(LimitText),
        }),
        response: { 200: Type.Object({ items: Type.Array(CloseSchema) }), ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const environment: Environment = request.query.environment ?? 'live'
      const limit = request.query.limit === undefined ? 50 : Number(request.query.limit)
      return { items: await deps.phase2.closes(environment, request.query.corridor, limit) }
    },
  )

  app.get(
    '/v1/reserve/escalations',
    {
      schema: {
        tags: ['ops'],
        operationId: 'listEscalations',
        summary: 'Reserve deficit escalations with each step’s outcome and timing (SPEC §8)',
        querystring: Strict({
          asset: Type.Optional(AssetCodeSchema),
          environment: Type.Optional(EnvironmentSchema),
          limit: Type.Optional(LimitText),
        }),
        response: { 200: Type.Object({ items: Type.Array(EscalationSchema) }), ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const environment: Environment = request.query.environment ?? 'live'
      const limit = request.query.limit === undefined ? 50 : Number(request.query.limit)
      return { items: await deps.phase2.escalations(environment, request.query.asset, limit) }
    },
  )

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
