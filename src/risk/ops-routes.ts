import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import type { Clocks } from '../clock/clock.ts'
import { CORRIDOR_IDS } from '../config/corridors.ts'
import type { Environment } from '../config/environment.ts'
import type { RiskConfig } from '../config/risk.ts'
import { actorOf } from '../http/auth.ts'
import { ERROR_RESPONSES, sendFailure } from '../http/errors.ts'
import { EnvironmentSchema, OneOf, Strict } from '../http/schemas.ts'
import { parseTimestamp } from '../oracle/routes.ts'
import type { OracleService } from '../oracle/service.ts'
import type { Phase2Service } from '../rebalancing/phase2-service.ts'
import type { Store } from '../store/store.ts'
import { changeView, type RiskEngine } from './engine.ts'
import { gatherInputs } from './inputs.ts'
import { riskStatus } from './risk-status.ts'
import { RISK_STATES } from './states.ts'

/** The longest an operator override may run [ours]: it must be renewed to last longer. */
export const MAX_OVERRIDE_MS = 7 * 24 * 3600 * 1000

const ChangeSchema = Type.Object({
  id: Type.String(),
  corridor: Type.String(),
  previous_state: Type.String(),
  state: Type.String(),
  reasons: Type.Array(Type.String()),
  trigger: Type.String(),
  timestamp: Type.String(),
})

/**
 * SPEC §13 operations API, behind the ops token. Environment defaults to live:
 * these are the production controls; sandbox is named explicitly.
 */
export const riskOpsRoutes: FastifyPluginAsyncTypebox<{
  store: Store
  engine: RiskEngine
  oracle: OracleService
  clocks: Clocks
  riskConfig: RiskConfig
  /** `last_emergency_rfq` (SPEC §13): the latest buy-back with purpose EMERGENCY. */
  phase2: Pick<Phase2Service, 'lastEmergencyRfq'>
}> = async (app, deps) => {
  const { engine, clocks } = deps

  app.get(
    '/v1/reserve/risk-status',
    {
      schema: {
        tags: ['ops'],
        summary: 'Reserve risk status per corridor: the bag, its value, VaR, concentration (SPEC §13)',
        querystring: Strict({ environment: Type.Optional(EnvironmentSchema) }),
      },
    },
    async (request) => {
      const environment: Environment = request.query.environment ?? 'live'
      const inputs = await gatherInputs(
        deps.store,
        deps.oracle,
        environment,
        clocks[environment].now(),
        deps.riskConfig.volatility.windowMs,
      )
      return {
        ...riskStatus(engine, inputs, environment, deps.riskConfig),
        last_emergency_rfq: await deps.phase2.lastEmergencyRfq(environment),
      }
    },
  )

  app.post(
    '/v1/reserve/state-override',
    {
      schema: {
        tags: ['ops'],
        summary:
          'Set a corridor’s state until expires_at (audited). Tightens at any time; a looser state lasts only until it expires',
        body: Strict({
          corridor: OneOf(CORRIDOR_IDS),
          state: OneOf(RISK_STATES),
          reason: Type.String({ minLength: 1, maxLength: 500 }),
          expires_at: Type.String({ maxLength: 40 }),
          environment: Type.Optional(EnvironmentSchema),
        }),
        response: {
          200: Type.Object({
            corridor: Type.String(),
            state: Type.String(),
            expires_at: Type.String(),
            changes: Type.Array(ChangeSchema),
          }),
          ...ERROR_RESPONSES,
        },
      },
    },
    async (request, reply) => {
      const { corridor, state, reason, expires_at } = request.body
      const environment: Environment = request.body.environment ?? 'live'
      const nowMs = clocks[environment].now()
      const expiresAtMs = parseTimestamp(expires_at)
      if (expiresAtMs === undefined)
        return sendFailure(reply, {
          code: 'VALIDATION_ERROR',
          message: 'expires_at must be an ISO 8601 date and time',
        })
      if (expiresAtMs <= nowMs)
        return sendFailure(reply, { code: 'VALIDATION_ERROR', message: 'expires_at must be in the future' })
      if (expiresAtMs - nowMs > MAX_OVERRIDE_MS) {
        return sendFailure(reply, {
          code: 'VALIDATION_ERROR',
          message: 'an override may last at most 7 days',
        })
      }
      const changes = await engine.setOverride(
        environment,
        corridor,
        { state, reason, expiresAtMs },
        actorOf(request),
      )
      return {
        corridor,
        state,
        expires_at: new Date(expiresAtMs).toISOString(),
        changes: changes.map(changeView),
      }
    },
  )

  app.post(
    '/v1/risk/evaluate',
    {
      schema: {
        tags: ['ops'],
        summary: 'Run the SPEC §6.3 recovery evaluation now',
        body: Type.Optional(Strict({ environment: Type.Optional(EnvironmentSchema) })),
        response: {
          200: Type.Object({ environment: Type.String(), changes: Type.Array(ChangeSchema) }),
          ...ERROR_RESPONSES,
        },
      },
    },
    async (request) => {
      const environment: Environment = request.body?.environment ?? 'live'
      const changes = await engine.evaluateNow(environment, 'recover', 'operator')
      return { environment, changes: changes.map(changeView) }
    },
  )
}
