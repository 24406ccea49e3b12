import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { CORRIDOR_IDS, type CorridorId } from '../config/corridors.ts'
import { fail, ok, type Result } from '../errors.ts'
import { partnerOf } from '../http/auth.ts'
import { ERROR_RESPONSES, sendFailure } from '../http/errors.ts'
import {
  AmountInput,
  CursorText,
  decimalText,
  LimitText,
  OneOf,
  parseCursor,
  Strict,
} from '../http/schemas.ts'
import { parseDecimal } from '../money/decimal.ts'
import { parseTimestamp } from '../oracle/routes.ts'
import { legsOf, type QuoteRequest } from '../pricing/model.ts'
import { SIDES, type Side } from '../risk/states.ts'
import type { Recorder } from '../store/outcome.ts'
import { EXECUTION_STATUSES } from './execution-view.ts'
import type { ExecutionService } from './executions.ts'
import type { QuoteService } from './quotes.ts'

const ClientRef = Type.String({ minLength: 1, maxLength: 128 })

const IndicativeSchema = Type.Object({
  pair: Type.String(),
  side: Type.String(),
  amount: Type.String(),
  indicative_rate: Type.String(),
  mid: Type.String(),
  spread_bps: Type.String(),
  state_flag: Type.String(),
  timestamp: Type.String(),
  quote_type: Type.String(),
})

const FirmSchema = Type.Object({
  quote_id: Type.String(),
  pair: Type.String(),
  side: Type.String(),
  source_asset: Type.String(),
  destination_asset: Type.String(),
  amount: Type.String(),
  destination_amount: Type.String(),
  bid: Type.String(),
  ask: Type.String(),
  adjusted_mid: Type.String(),
  mid: Type.String(),
  rate: Type.String(),
  spread_bps: Type.String(),
  expiry_timestamp: Type.String(),
  max_size: Type.String(),
  max_size_currency: Type.String(),
  allowed_direction: Type.String(),
  state_flag: Type.String(),
  quote_type: Type.String(),
  execution_path: Type.String(),
  rate_source: Type.String(),
  fee_breakdown: Type.Object({
    tier: Type.String(),
    fixed_fee: Type.String(),
    fixed_fee_currency: Type.String(),
    variable_fee: Type.String(),
    variable_fee_bips: Type.String(),
    base_spread_bps: Type.String(),
    volatility_bps: Type.String(),
    liquidity_bps: Type.String(),
    inventory_skew_bps: Type.String(),
    total_fee: Type.String(),
  }),
  client_ref: Type.Union([Type.String(), Type.Null()]),
  timestamp: Type.String(),
  // Issue 11: EXTERNAL_RFQ quotes only.
  parent_order_id: Type.Optional(Type.Union([Type.String(), Type.Null()])),
  tranches: Type.Optional(
    Type.Array(
      Type.Object({
        tranche_id: Type.Union([Type.String(), Type.Null()]),
        amount: Type.String(),
        rate: Type.String(),
        counterparty: Type.String(),
      }),
    ),
  ),
})

const Nullable = (schema: ReturnType<typeof Type.String>) => Type.Union([schema, Type.Null()])

export const ExecutionSchema = Type.Object({
  execution_id: Type.String(),
  quote_id: Type.String(),
  status: Type.String(),
  pair: Type.String(),
  side: Type.String(),
  source_asset: Type.String(),
  destination_asset: Type.String(),
  filled_rate: Type.String(),
  source_amount: Type.String(),
  destination_amount: Type.String(),
  platform_fee: Type.String(),
  platform_fee_currency: Type.String(),
  destination_address: Type.String(),
  tx_hash: Nullable(Type.String()),
  settled_at: Nullable(Type.String()),
  execution_path: Type.String(),
  state_flag: Type.String(),
  failure_reason: Nullable(Type.String()),
  client_ref: Nullable(Type.String()),
  created_at: Type.String(),
})

/** Reads an amount for one side of a corridor, in that asset's decimals. */
export function quoteRequest(
  corridor: CorridorId,
  side: Side,
  amount: string | undefined,
  destinationAmount: string | undefined,
): Result<QuoteRequest> {
  if ((amount === undefined) === (destinationAmount === undefined)) {
    return fail('VALIDATION_ERROR', 'give exactly one of amount and destination_amount', corridor)
  }
  const legs = legsOf(corridor, side)
  const kind = amount === undefined ? 'destination' : 'source'
  const asset = kind === 'source' ? legs.source : legs.destination
  const field = kind === 'source' ? 'amount' : 'destination_amount'
  const parsed = parseDecimal((amount ?? destinationAmount) as string, asset.decimals)
  if (!parsed.ok) return fail('VALIDATION_ERROR', `${field} ${parsed.reason} (${asset.code})`, corridor)
  if (parsed.minor === 0n) return fail('VALIDATION_ERROR', `${field} must be positive`, corridor)
  return ok({ corridor, side, size: { kind, minor: parsed.minor } })
}

const Pair = OneOf(CORRIDOR_IDS)
const SideSchema = OneOf(SIDES)

export const tradingRoutes: FastifyPluginAsyncTypebox<{
  quotes: QuoteService
  executions: ExecutionService
  recorder: Recorder
}> = async (app, { quotes, executions, recorder }) => {
  app.get(
    '/v1/quote',
    {
      schema: {
        tags: ['partner'],
        summary: 'Indicative quote: no reservation, no expiry (SPEC §3)',
        querystring: Strict({ pair: Pair, side: SideSchema, amount: Type.String({ maxLength: 80 }) }),
        response: { 200: IndicativeSchema, ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const { pair, side, amount } = request.query
      const parsed = quoteRequest(pair, side, amount, undefined)
      if (!parsed.ok) return sendFailure(reply, parsed)
      const result = await quotes.indicative(partnerOf(request), parsed.value)
      return result.ok ? result.value : sendFailure(reply, result)
    },
  )

  const firmOptions = {
    schema: {
      tags: ['partner'],
      summary: 'Firm quote, executable until expiry_timestamp (45 s)',
      body: Strict({
        pair: Pair,
        side: SideSchema,
        amount: Type.Optional(AmountInput),
        destination_amount: Type.Optional(AmountInput),
        client_ref: Type.Optional(ClientRef),
      }),
      response: { 200: FirmSchema, ...ERROR_RESPONSES },
    },
  }
  for (const path of ['/v1/quote', '/v1/firm-quote']) {
    app.post(path, firmOptions, async (request, reply) => {
      const { pair, side, amount, destination_amount, client_ref } = request.body
      const parsed = quoteRequest(
        pair,
        side,
        amount === undefined ? undefined : decimalText(amount),
        destination_amount === undefined ? undefined : decimalText(destination_amount),
      )
      if (!parsed.ok) return sendFailure(reply, parsed)
      const result = await quotes.firm(
        partnerOf(request),
        parsed.value,
        client_ref ?? null,
        recorder(request),
      )
      return result.ok ? result.value : sendFailure(reply, result)
    })
  }

  app.post(
    '/v1/execute',
    {
      schema: {
        tags: ['partner'],
        summary: 'Execute a firm quote: debit the prefunded source, send the destination on chain',
        body: Strict({
          quote_id: Type.String({ maxLength: 64 }),
          amount: Type.Optional(AmountInput),
          destination_address: Type.String({ maxLength: 64 }),
          client_ref: Type.Optional(ClientRef),
        }),
        response: { 200: ExecutionSchema, ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const { quote_id, amount, destination_address, client_ref } = request.body
      const result = await executions.execute(
        partnerOf(request),
        {
          quoteId: quote_id,
          amount: amount === undefined ? undefined : decimalText(amount),
          destinationAddress: destination_address,
          clientRef: client_ref ?? null,
        },
        recorder(request),
      )
      return result.ok ? result.value : sendFailure(reply, result)
    },
  )

  app.get(
    '/v1/executions/:id',
    {
      schema: {
        tags: ['partner'],
        summary: 'One of the partner’s executions, with its current status',
        params: Strict({ id: Type.String({ maxLength: 64 }) }),
        response: { 200: ExecutionSchema, ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const result = await executions.get(partnerOf(request), request.params.id)
      return result.ok ? result.value : sendFailure(reply, result)
    },
  )

  app.get(
    '/v1/executions',
    {
      schema: {
        tags: ['partner'],
        summary: 'The partner’s own executions, newest first',
        description:
          'Filters (all optional, combined): `status`; `client_ref` (exact); `from` (inclusive) and `to` (exclusive), ISO 8601 times of the execution’s creation.',
        querystring: Strict({
          cursor: Type.Optional(CursorText),
          limit: Type.Optional(LimitText),
          status: Type.Optional(OneOf(EXECUTION_STATUSES)),
          client_ref: Type.Optional(ClientRef),
          from: Type.Optional(Type.String({ maxLength: 40 })),
          to: Type.Optional(Type.String({ maxLength: 40 })),
        }),
        response: {
          200: Type.Object({
            items: Type.Array(ExecutionSchema),
            next_cursor: Type.Union([Type.String(), Type.Null()]),
          }),
          ...ERROR_RESPONSES,
        },
      },
    },
    async (request, reply) => {
      const { limit } = request.query
      const cursor = parseCursor(request.query.cursor, 'querystring/cursor')
      if (!cursor.ok) return sendFailure(reply, cursor)
      const { status, client_ref, from, to } = request.query
      const fromMs = from === undefined ? undefined : parseTimestamp(from)
      const toMs = to === undefined ? undefined : parseTimestamp(to)
      for (const [field, text, ms] of [
        ['from', from, fromMs],
        ['to', to, toMs],
      ] as const) {
        if (text !== undefined && ms === undefined)
          return sendFailure(reply, {
            code: 'VALIDATION_ERROR',
            message: `querystring/${field} must be an ISO 8601 date and time, e.g. 2026-12-01T00:00:00Z`,
          })
      }
      const page = await executions.list(partnerOf(request), {
        ...(cursor.value === undefined ? {} : { cursor: cursor.value }),
        limit: limit === undefined ? 50 : Number(limit),
        ...(status === undefined ? {} : { status }),
        ...(client_ref === undefined ? {} : { clientRef: client_ref }),
        ...(fromMs === undefined ? {} : { fromMs }),
        ...(toMs === undefined ? {} : { toMs }),
      })
      return { items: page.items, next_cursor: page.nextCursor }
    },
  )
}
