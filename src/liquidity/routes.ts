import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import type { Clocks } from '../clock/clock.ts'
import { ASSETS } from '../config/assets.ts'
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
  UuidText,
} from '../http/schemas.ts'
import { withVenueYield } from '../integrations/earn/bookings.ts'
import { parseDecimal } from '../money/decimal.ts'
import type { WalletService } from '../partners/wallets.ts'
import type { Recorder } from '../store/outcome.ts'
import type { Store } from '../store/store.ts'
import type { DepositService } from './deposits.ts'
import { KTOKEN_VARIANTS } from './model.ts'
import { poolsReport, positionsOf } from './reporting.ts'
import { listWithdrawals, requestWithdrawal, type WithdrawalDeps, withdrawalOf } from './withdrawals.ts'
import { applyYield } from './yield.ts'

const Address = Type.String({ maxLength: 64 })
const SharesText = Type.String({ pattern: '^[1-9][0-9]{0,60}$' })

type LiquidityDeps = WithdrawalDeps & {
  deposits: DepositService
  recorder: Recorder
  /** Asks the withdrawal worker to look at the environment's queue now (wherever it runs). */
  wakeWithdrawals: (environment: Environment) => void
}

/** SPEC §7 for LP partners: deposits, withdrawals, positions, pool figures, and their wallets (SPEC §9). */
export const liquidityRoutes: FastifyPluginAsyncTypebox<LiquidityDeps> = async (app, deps) => {
  app.post(
    '/v1/lp/deposits',
    {
      schema: {
        tags: ['lp'],
        summary:
          'Deposit from a whitelisted, cooled wallet (sandbox: the simulated chain takes it from the faucet balance)',
        body: Strict({ asset: AssetCodeSchema, amount: AmountInput, from_address: Address }),
        response: {
          200: Type.Unknown({ description: 'the deposit: booked now, or pending for Pool room (SPEC §7.1)' }),
          ...ERROR_RESPONSES,
        },
      },
    },
    async (request, reply) => {
      const { partner, environment } = partnerOf(request)
      const { asset, amount, from_address } = request.body
      const parsed = parseDecimal(decimalText(amount), ASSETS[asset].decimals)
      if (!parsed.ok)
        return sendFailure(reply, { code: 'VALIDATION_ERROR', message: `amount ${parsed.reason}` })
      const result = await deps.deposits.deposit(
        environment,
        partner,
        { asset, amountMinor: parsed.minor, fromAddress: from_address },
        deps.recorder(request),
      )
      return result.ok ? result.value : sendFailure(reply, result)
    },
  )

  app.post(
    '/v1/lp/withdrawals',
    {
      schema: {
        tags: ['lp'],
        summary:
          'Burn kTokens and queue a withdrawal to a whitelisted wallet (SPEC §7.5 tiers and queue); the worker pays it',
        body: Strict({
          asset: AssetCodeSchema,
          variant: OneOf(KTOKEN_VARIANTS),
          amount: Type.Optional(AmountInput),
          shares: Type.Optional(SharesText),
          to_address: Address,
        }),
        response: {
          201: Type.Unknown({ description: 'the queued withdrawal, as GET /v1/lp/withdrawals shows it' }),
          ...ERROR_RESPONSES,
        },
      },
    },
    async (request, reply) => {
      const { partner, environment } = partnerOf(request)
      const { asset, variant, amount, shares, to_address } = request.body
      if ((amount === undefined) === (shares === undefined)) {
        return sendFailure(reply, {
          code: 'VALIDATION_ERROR',
          message: 'give exactly one of amount and shares',
        })
      }
      let amountMinor: bigint | undefined
      if (amount !== undefined) {
        const parsed = parseDecimal(decimalText(amount), ASSETS[asset].decimals)
        if (!parsed.ok)
          return sendFailure(reply, { code: 'VALIDATION_ERROR', message: `amount ${parsed.reason}` })
        if (parsed.minor === 0n)
          return sendFailure(reply, { code: 'VALIDATION_ERROR', message: 'amount must be positive' })
        amountMinor = parsed.minor
      }
      const queued = await requestWithdrawal(
        deps,
        environment,
        partner,
        {
          asset,
          variant,
          toAddress: to_address,
          ...(amountMinor === undefined ? {} : { amountMinor }),
          ...(shares === undefined ? {} : { shares: BigInt(shares) }),
        },
        deps.recorder(request),
      )
      if (!queued.ok) return sendFailure(reply, queued)
      // The route queues and answers; the withdrawal worker (once across nodes) pays, woken now.
      deps.wakeWithdrawals(environment)
      return reply
        .code(201)
        .send(await withdrawalOf(deps.store, environment, partner.id, queued.value.withdrawal_id))
    },
  )

  app.get(
    '/v1/lp/withdrawals',
    { schema: { tags: ['lp'], summary: 'The partner’s withdrawals with status and queue position' } },
    async (request) => {
      const { partner, environment } = partnerOf(request)
      return { withdrawals: await listWithdrawals(deps.store, environment, partner.id) }
    },
  )

  app.get(
    '/v1/lp/positions',
    {
      schema: {
        tags: ['lp'],
        summary: 'Per kToken variant: shares, balance, deposited, earned, locks, queues',
      },
    },
    async (request) => {
      const { partner, environment } = partnerOf(request)
      return positionsOf(deps.store, environment, partner.id, deps.clocks[environment].now())
    },
  )

  app.get(
    '/v1/lp/pools',
    {
      schema: {
        tags: ['lp'],
        summary: 'Per asset: Reserve and Yield, TVL by class, index and annualised growth',
      },
    },
    async (request) => {
      const { environment } = partnerOf(request)
      return withVenueYield(
        deps.store,
        environment,
        await poolsReport(deps.store, environment, deps.clocks[environment].now()),
      )
    },
  )

  app.get(
    '/v1/wallets',
    { schema: { tags: ['lp'], summary: 'The partner’s whitelisted wallets and when each becomes usable' } },
    async (request) => {
      const { partner, environment } = partnerOf(request)
      return { wallets: await deps.wallets.list(partner.id, environment) }
    },
  )
}

/** The operator side: the wallet whitelist (SPEC §9) and yield events (SPEC §7.2, §12.2). */
export const liquidityAdminRoutes: FastifyPluginAsyncTypebox<{
  store: Store
  wallets: WalletService
  clocks: Clocks
}> = async (app, deps) => {
  app.post(
    '/admin/v1/partners/:id/wallets',
    {
      schema: {
        tags: ['admin'],
        summary: 'Whitelist a wallet (usable after 24 h of cooling; audited)',
        params: Strict({ id: UuidText }),
        body: Strict({ address: Address, label: Type.String({ minLength: 1, maxLength: 200 }) }),
        response: {
          201: Type.Object({
            address: Type.String(),
            label: Type.String(),
            added_at: Type.String(),
            usable_from: Type.String(),
            usable: Type.Boolean(),
          }),
          ...ERROR_RESPONSES,
        },
      },
    },
    async (request, reply) => {
      const result = await deps.wallets.add(
        request.params.id,
        request.body.address,
        request.body.label,
        actorOf(request),
      )
      return result.ok ? reply.code(201).send(result.value) : sendFailure(reply, result)
    },
  )

  app.delete(
    '/admin/v1/partners/:id/wallets/:address',
    {
      schema: {
        tags: ['admin'],
        summary: 'Remove a wallet from the whitelist (audited)',
        params: Strict({ id: UuidText, address: Address }),
      },
    },
    async (request, reply) => {
      const result = await deps.wallets.remove(request.params.id, request.params.address, actorOf(request))
      return result.ok ? result.value : sendFailure(reply, result)
    },
  )

  app.post(
    '/admin/v1/yield/events',
    {
      schema: {
        tags: ['admin'],
        summary:
          'Manual correction only (audited): a yield profit (positive) or loss (negative) on an asset’s -full kToken; venue interest arrives from the daily reports',
        body: Strict({
          asset: AssetCodeSchema,
          amount: Type.String({ pattern: '^-?(0|[1-9][0-9]*)(\\.[0-9]+)?$', maxLength: 80 }),
          reason: Type.String({ minLength: 1, maxLength: 500 }),
          environment: Type.Optional(EnvironmentSchema),
        }),
      },
    },
    async (request, reply) => {
      const { asset, amount, reason } = request.body
      const environment: Environment = request.body.environment ?? 'sandbox'
      const negative = amount.startsWith('-')
      const parsed = parseDecimal(negative ? amount.slice(1) : amount, ASSETS[asset].decimals)
      if (!parsed.ok)
        return sendFailure(reply, { code: 'VALIDATION_ERROR', message: `amount ${parsed.reason}` })
      const result = await applyYield(deps.store, {
        environment,
        asset,
        deltaMinor: negative ? -parsed.minor : parsed.minor,
        reason,
        actor: actorOf(request),
        atMs: deps.clocks[environment].now(),
      })
      return result.ok ? result.value : sendFailure(reply, result)
    },
  )
}
