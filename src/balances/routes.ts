import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { ASSETS } from '../config/assets.ts'
import { partnerOf } from '../http/auth.ts'
import { ERROR_RESPONSES, sendFailure } from '../http/errors.ts'
import { AmountInput, AssetCodeSchema, decimalText, Strict } from '../http/schemas.ts'
import { parseDecimal } from '../money/decimal.ts'
import type { Recorder } from '../store/outcome.ts'
import type { BalanceService } from './service.ts'

export const balanceRoutes: FastifyPluginAsyncTypebox<{
  balances: BalanceService
  recorder: Recorder
}> = async (app, { balances, recorder }) => {
  app.get(
    '/v1/balances',
    {
      schema: {
        tags: ['partner'],
        summary: 'The partner’s prefunded balances per asset',
        response: {
          200: Type.Object({
            balances: Type.Array(Type.Object({ asset: Type.String(), available: Type.String() })),
          }),
          ...ERROR_RESPONSES,
        },
      },
    },
    async (request) => {
      const { partner, environment } = partnerOf(request)
      return { balances: await balances.balances(environment, partner.id) }
    },
  )

  app.post(
    '/v1/sandbox/faucet',
    {
      schema: {
        tags: ['partner'],
        summary: 'Sandbox only: credit test funds to the partner’s prefunded balance',
        body: Strict({ asset: AssetCodeSchema, amount: AmountInput }),
        response: {
          200: Type.Object({
            asset: Type.String(),
            amount: Type.String(),
            available: Type.String(),
            entry_id: Type.String(),
          }),
          ...ERROR_RESPONSES,
        },
      },
    },
    async (request, reply) => {
      const { partner, environment } = partnerOf(request)
      if (environment !== 'sandbox') {
        return sendFailure(reply, { code: 'FORBIDDEN', message: 'the faucet takes sandbox keys only' })
      }
      const { asset } = request.body
      const parsed = parseDecimal(decimalText(request.body.amount), ASSETS[asset].decimals)
      if (!parsed.ok)
        return sendFailure(reply, { code: 'VALIDATION_ERROR', message: `amount ${parsed.reason}` })
      const result = await balances.faucet(partner.id, asset, parsed.minor, recorder(request))
      if (!result.ok) return sendFailure(reply, result)
      return result.value
    },
  )
}
