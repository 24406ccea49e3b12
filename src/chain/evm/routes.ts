import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { partnerOf } from '../../http/auth.ts'
import { ERROR_RESPONSES, sendFailure } from '../../http/errors.ts'
import { AssetCodeSchema, LimitText, OneOf, Strict } from '../../http/schemas.ts'
import type { Store } from '../../store/store.ts'
import { type EvmRuntime, simulatedDepositAddress } from './runtime.ts'

const DepositAddress = Type.Object({
  asset: Type.String(),
  address: Type.String(),
  network: Type.String({ description: 'e.g. kaia, kaia-kairos, local; stablefx-simulated without a chain' }),
  chain_id: Type.Integer({ description: '0 on the simulated chain' }),
  confirmations: Type.Integer({ description: 'blocks after which a deposit is credited' }),
})

/** Issue 14: GET /v1/deposit-address (partner key). */
export const depositAddressRoutes: FastifyPluginAsyncTypebox<{ evm: EvmRuntime | undefined }> = async (
  app,
  { evm },
) => {
  app.get(
    '/v1/deposit-address',
    {
      schema: {
        tags: ['partner'],
        summary:
          'Where to send on-chain deposits: prefunding, or (LP partners) liquidity, credited from a whitelisted wallet after the confirmations',
        querystring: Strict({ asset: AssetCodeSchema }),
        response: { 200: DepositAddress, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      const { environment } = partnerOf(request)
      const { asset } = request.query
      return evm === undefined ? simulatedDepositAddress(asset) : evm.depositAddress(environment, asset)
    },
  )
}

/** Issue 14: the kToken reconciliation check, ledger against chain (ops token). */
export const evmOpsRoutes: FastifyPluginAsyncTypebox<{ evm: EvmRuntime | undefined; store: Store }> = async (
  app,
  { evm, store },
) => {
  app.get(
    '/ops/v1/evm/reconciliation',
    {
      schema: {
        tags: ['ops'],
        summary: 'kToken balances and indexes on chain against the ledger, with every difference',
        response: {
          200: Type.Object({
            environment: Type.String(),
            ok: Type.Boolean(),
            checked: Type.Integer(),
            differences: Type.Array(Type.Object({}, { additionalProperties: true })),
          }),
          ...ERROR_RESPONSES,
        },
      },
    },
    async (_request, reply) => {
      if (evm === undefined)
        return sendFailure(reply, {
          code: 'NOT_FOUND',
          message: 'no EVM chain is configured (STABLEFX_CHAIN=sim)',
        })
      const report = await evm.kTokens.reconcile()
      return { environment: evm.settings.environment, ...report, differences: [...report.differences] }
    },
  )

  app.get(
    '/ops/v1/evm/deposits',
    {
      schema: {
        tags: ['ops'],
        summary:
          'On-chain deposits the watcher recorded, newest first: PREFUNDING, LP_DEPOSIT, or SUSPENSE with the reason',
        querystring: Strict({
          outcome: Type.Optional(OneOf(['PREFUNDING', 'LP_DEPOSIT', 'SUSPENSE'] as const)),
          limit: Type.Optional(LimitText),
        }),
        response: {
          200: Type.Object({
            environment: Type.String(),
            deposits: Type.Array(
              Type.Object({
                tx_hash: Type.String(),
                log_index: Type.String(),
                block_number: Type.String(),
                asset: Type.String(),
                from_address: Type.String(),
                amount: Type.String({ description: 'smallest units' }),
                outcome: Type.String(),
                reason: Type.Union([Type.String(), Type.Null()]),
                partner_id: Type.Union([Type.String(), Type.Null()]),
                deposit_id: Type.Union([Type.String(), Type.Null()]),
              }),
            ),
          }),
          ...ERROR_RESPONSES,
        },
      },
    },
    async (request, reply) => {
      if (evm === undefined)
        return sendFailure(reply, {
          code: 'NOT_FOUND',
          message: 'no EVM chain is configured (STABLEFX_CHAIN=sim)',
        })
      const { outcome, limit } = request.query
      const rows = await store.kysely
        .selectFrom('evm_deposits')
        .selectAll()
        .where('environment', '=', evm.settings.environment)
        .$if(outcome !== undefined, (q) => q.where('outcome', '=', outcome as string))
        .orderBy('block_number', 'desc')
        .orderBy('log_index', 'desc')
        .limit(Number(limit ?? '50'))
        .execute()
      return {
        environment: evm.settings.environment,
        deposits: rows.map((row) => ({
          tx_hash: row.tx_hash,
          log_index: row.log_index.toString(),
          block_number: row.block_number.toString(),
          asset: row.asset,
          from_address: row.from_address,
          amount: row.amount,
          outcome: row.outcome,
          reason: row.reason,
          partner_id: row.partner_id,
          deposit_id: row.deposit_id,
        })),
      }
    },
  )
}
