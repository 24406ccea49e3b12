import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import type { Clocks } from '../clock/clock.ts'
import type { RiskConfig } from '../config/risk.ts'
import { partnerOf } from '../http/auth.ts'
import { ERROR_RESPONSES } from '../http/errors.ts'
import type { OracleService } from '../oracle/service.ts'
import type { Store } from '../store/store.ts'
import type { RiskEngine } from './engine.ts'
import { createStreamRegistry, streamStates } from './stream.ts'
import { type ActiveBalances, systemState } from './system-state.ts'

const CorridorState = Type.Object({
  state: Type.String(),
  allowed_directions: Type.Array(Type.String()),
  max_size: Type.String(),
  max_size_currency: Type.String(),
  oracle_age_ms: Type.Union([Type.Number(), Type.Null()]),
  reasons: Type.Array(Type.String()),
})

export const SystemStateSchema = Type.Object({
  system_state: Type.String(),
  corridors: Type.Record(Type.String(), CorridorState),
  timestamp: Type.String(),
})

export const stateRoutes: FastifyPluginAsyncTypebox<{
  store: Store
  engine: RiskEngine
  oracle: OracleService
  pools: ActiveBalances
  riskConfig: RiskConfig
  clocks: Clocks
  /** STABLEFX_SSE_MAX_PER_PARTNER; SSE_MAX_PER_PARTNER (5) when not given. */
  sseMaxPerPartner?: number
}> = async (app, deps) => {
  const snapshot = (environment: 'sandbox' | 'live') =>
    systemState({ ...deps, states: deps.engine }, environment, deps.clocks[environment].now())
  const registry = createStreamRegistry(deps.sseMaxPerPartner)
  const stream = streamStates({ store: deps.store, engine: deps.engine, registry, snapshot })
  // Streams never end on their own: a shutdown ends them so the server can drain.
  app.addHook('preClose', async () => {
    for (const reply of registry.open) reply.raw.end()
  })

  app.get(
    '/v1/system/state',
    {
      schema: {
        tags: ['partner'],
        summary: 'System and corridor states (SPEC §3, §6)',
        response: { 200: SystemStateSchema, ...ERROR_RESPONSES },
      },
    },
    async (request) => snapshot(partnerOf(request).environment),
  )

  app.get(
    '/v1/system/state/stream',
    {
      schema: {
        tags: ['partner'],
        summary:
          'State changes as Server-Sent Events; resumable with Last-Event-ID; heartbeat every 15 s; at most STABLEFX_SSE_MAX_PER_PARTNER (default 5) per partner per node',
      },
    },
    (request, reply) => {
      const caller = partnerOf(request)
      return stream(request, reply, { partnerId: caller.partner.id, environment: caller.environment })
    },
  )
}
