import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import type { Clock } from '../clock/clock.ts'
import { actorOf } from '../http/auth.ts'
import { ERROR_RESPONSES, sendFailure } from '../http/errors.ts'
import { AmountInput, decimalText, OneOf, Strict } from '../http/schemas.ts'
import type { Store } from '../store/store.ts'
import { createRampUpService, RAMP_UP_ACTIONS } from './ramp-up-service.ts'

const Nullable = (schema: ReturnType<typeof Type.String>) => Type.Union([schema, Type.Null()])

const RampUpSchema = Type.Object({
  partner_id: Type.String(),
  environment: Type.String(),
  go_live_at: Type.String(),
  step: Type.Integer(),
  step_pct: Type.String(),
  limit_pct: Type.String(),
  next_step_at: Nullable(Type.String()),
  override: Type.Union([Type.Object({ limit_pct: Type.String() }), Type.Null()]),
  paused: Type.Boolean(),
  paused_at: Nullable(Type.String()),
  paused_reason: Nullable(Type.String()),
  schedule: Type.Array(
    Type.Object({ step: Type.Integer(), starts_at: Type.String(), limit_pct: Type.String() }),
  ),
  error_rate: Type.Object({
    window_start: Type.String(),
    finished_executions: Type.Integer(),
    failed_executions: Type.Integer(),
    min_executions: Type.Integer(),
    max_error_pct: Type.String(),
    watching: Type.Boolean(),
  }),
})

const Params = Strict({ id: Type.String({ maxLength: 64 }) })

/**
 * SPEC §9 production ramp-up of a partner's live limits: the admin sees the
 * step, advances it, overrides the percentage, pauses, resumes, or sets the
 * go-live date; every change is audited (`partner.ramp_up.<action>`).
 */
export const rampUpAdminRoutes: FastifyPluginAsyncTypebox<{ store: Store; clock: Clock }> = async (
  app,
  { store, clock },
) => {
  const rampUp = createRampUpService({ store, clock })

  app.get(
    '/admin/v1/partners/:id/ramp-up',
    {
      schema: {
        tags: ['admin'],
        summary: 'A partner’s production ramp-up (live limits, SPEC §9) and its error rate',
        params: Params,
        response: { 200: RampUpSchema, ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const result = await rampUp.view(request.params.id)
      return result.ok ? result.value : sendFailure(reply, result)
    },
  )

  app.post(
    '/admin/v1/partners/:id/ramp-up',
    {
      schema: {
        tags: ['admin'],
        summary: 'Advance, override, pause, resume, or set the go-live of a partner’s ramp-up (audited)',
        params: Params,
        body: Strict({
          action: OneOf(RAMP_UP_ACTIONS),
          limit_pct: Type.Optional(Type.Union([AmountInput, Type.Null()])),
          go_live_at: Type.Optional(Type.String({ maxLength: 40 })),
          reason: Type.Optional(Type.String({ minLength: 1, maxLength: 200 })),
        }),
        response: { 200: RampUpSchema, ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const { action, limit_pct, go_live_at, reason } = request.body
      const command = {
        action,
        ...(limit_pct === undefined ? {} : { limit_pct: limit_pct === null ? null : decimalText(limit_pct) }),
        ...(go_live_at === undefined ? {} : { go_live_at }),
        ...(reason === undefined ? {} : { reason }),
      }
      const result = await rampUp.act(request.params.id, command, actorOf(request))
      return result.ok ? result.value : sendFailure(reply, result)
    },
  )
}
