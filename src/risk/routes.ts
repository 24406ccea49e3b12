import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import type { Clocks } from '../clock/clock.ts'
import type { RiskConfig } from '../config/risk.ts'
import { partnerOf } from '../http/auth.ts'
import { ERROR_RESPONSES } from '../http/errors.ts'
import type { OracleService } from '../oracle/service.ts'
import type { ActivePools } from '../trading/market.ts'
import type { CorridorStates } from './oracle-states.ts'
import { systemState } from './system-state.ts'

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
  states: CorridorStates
  oracle: OracleService
  pools: ActivePools
  riskConfig: RiskConfig
  clocks: Clocks
}> = async (app, deps) => {
  app.get(
    '/v1/system/state',
    {
      schema: {
        tags: ['partner'],
        summary: 'System and corridor states (SPEC §3, §6)',
        response: { 200: SystemStateSchema, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const { environment } = partnerOf(request)
      return systemState(deps, environment, deps.clocks[environment].now())
    },
  )
}
