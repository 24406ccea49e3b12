import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import type { Environment } from '../config/environment.ts'
import { actorOf, partnerOf } from '../http/auth.ts'
import { ERROR_RESPONSES, sendFailure } from '../http/errors.ts'
import {
  AmountInput,
  AssetCodeSchema,
  decimalText,
  EnvironmentSchema,
  OneOf,
  Strict,
} from '../http/schemas.ts'
import { ISSUER_PURPOSES, type IssuerKind } from './requests.ts'
import type { IssuerService } from './service.ts'

const RequestSchema = Type.Object({
  request_id: Type.String(),
  kind: Type.String(),
  environment: Type.String(),
  issuer_id: Type.String(),
  asset: Type.String(),
  amount: Type.String(),
  pay_with: Type.Object({ asset: Type.String(), amount: Type.String() }),
  destination: Type.String(),
  purpose: Type.String(),
  status: Type.String(),
  mint_id: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  redeem_id: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  tx_hash: Type.Union([Type.String(), Type.Null()]),
  error: Type.Union([Type.String(), Type.Null()]),
  created_at: Type.String(),
  updated_at: Type.String(),
})

const RefText = Type.String({ minLength: 1, maxLength: 200 })

/** Issue 11: the issuer reports a mint or redeem done, with its API key (environment from the key). */
export const issuerRoutes: FastifyPluginAsyncTypebox<{ issuers: IssuerService }> = async (
  app,
  { issuers },
) => {
  const route = (path: string, kind: IssuerKind, summary: string) =>
    app.post(
      path,
      {
        schema: {
          tags: ['issuers'],
          summary,
          params: Strict({ id: RefText }),
          body: Strict({ tx_hash: Type.String({ maxLength: 100 }) }),
          response: { 200: RequestSchema, ...ERROR_RESPONSES },
        },
      },
      async (request, reply) => {
        const auth = partnerOf(request)
        if (auth.partner.type !== 'ISSUER')
          return sendFailure(reply, {
            code: 'FORBIDDEN',
            message: 'only an ISSUER partner completes mints and redeems',
          })
        const result = await issuers.complete(
          { environment: auth.environment, partnerId: auth.partner.id },
          kind,
          request.params.id,
          request.body.tx_hash,
        )
        if (!result.ok) return sendFailure(reply, result)
        return result.value
      },
    )
  route('/v1/issuer/mints/:id/complete', 'MINT', 'An issuer reports a mint done: the Reserve books it')
  route('/v1/issuer/redeems/:id/complete', 'REDEEM', 'An issuer reports a redeem done: the Reserve books it')
}

const OpsBody = Strict({
  asset: AssetCodeSchema,
  amount: AmountInput,
  pay_with: Type.Optional(Strict({ asset: AssetCodeSchema, amount: AmountInput })),
  purpose: Type.Optional(OneOf(ISSUER_PURPOSES)),
  environment: Type.Optional(EnvironmentSchema),
})

/** Issue 11: the operator asks the asset's issuer to mint into (or redeem from) the Reserve (ops token, audited). */
export const issuerOpsRoutes: FastifyPluginAsyncTypebox<{ issuers: IssuerService }> = async (
  app,
  { issuers },
) => {
  const route = (path: string, kind: IssuerKind, summary: string) =>
    app.post(
      path,
      {
        schema: {
          tags: ['ops'],
          summary,
          body: OpsBody,
          response: { 202: RequestSchema, ...ERROR_RESPONSES },
        },
      },
      async (request, reply) => {
        const body = request.body
        const environment: Environment = body.environment ?? 'live'
        const result = await issuers.requestByOperator(
          kind,
          {
            environment,
            asset: body.asset,
            amount: decimalText(body.amount),
            ...(body.pay_with === undefined
              ? {}
              : { payWith: { asset: body.pay_with.asset, amount: decimalText(body.pay_with.amount) } }),
            purpose: body.purpose ?? 'EMERGENCY',
          },
          actorOf(request),
        )
        if (!result.ok) return sendFailure(reply, result)
        return reply.code(202).send(result.value)
      },
    )
  app.get(
    '/v1/reserve/issuer-requests',
    {
      schema: {
        tags: ['ops'],
        summary: 'The latest mint and redeem requests sent to issuers, newest first (at most 50)',
        querystring: Strict({ environment: Type.Optional(EnvironmentSchema) }),
        response: { 200: Type.Object({ requests: Type.Array(RequestSchema) }), ...ERROR_RESPONSES },
      },
    },
    async (request) => ({ requests: await issuers.list(request.query.environment ?? 'live', 50) }),
  )
  route('/v1/reserve/issuer-mint', 'MINT', 'Ask the asset’s issuer to mint into the protocol Reserve')
  route('/v1/reserve/issuer-redeem', 'REDEEM', 'Ask the asset’s issuer to redeem from the protocol Reserve')
}
