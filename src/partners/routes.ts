import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { FEE_TIERS } from '../config/fees.ts'
import { actorOf } from '../http/auth.ts'
import { ERROR_RESPONSES, sendFailure } from '../http/errors.ts'
import {
  AmountInput,
  AssetCodeSchema,
  CorridorSchema,
  decimalText,
  EnvironmentSchema,
  OneOf,
  Strict,
  UuidText,
} from '../http/schemas.ts'
import { LP_CLASSES } from '../liquidity/model.ts'
import { RAILS } from '../payments/beneficiary.ts'
import { OVERLAP_HOURS } from './credential-policy.ts'
import { PARTNER_TYPES, RATE_LIMIT_TIERS, RFQ_ACCESS_TIERS, SETTABLE_STATUSES, toView } from './model.ts'
import type { PartnerService } from './service.ts'

const Limits = Type.Object({ daily_per_corridor_usd: Type.String(), monthly_usd: Type.String() })

const NullableDecimal = Type.Union([AmountInput, Type.Null()])

const FeeOverrideSchema = Type.Object({
  corridor: Type.String(),
  tier: Type.String(),
  variable_bips: Type.Union([Type.String(), Type.Null()]),
  spread_bps: Type.Union([Type.String(), Type.Null()]),
})

const FeeOverrideInput = Strict({
  corridor: CorridorSchema,
  tier: OneOf(FEE_TIERS),
  variable_bips: Type.Optional(NullableDecimal),
  spread_bps: Type.Optional(NullableDecimal),
})

const PartnerSchema = Type.Object({
  partner_id: Type.String(),
  name: Type.String(),
  type: Type.String(),
  status: Type.String(),
  corridors: Type.Array(Type.String()),
  limits: Limits,
  fee_tier_multiplier: Type.String(),
  rate_limit_tier: Type.String(),
  fee_overrides: Type.Array(FeeOverrideSchema),
  liquidity_class: Type.Union([Type.String(), Type.Null()]),
  deposit_acceptance: Type.Boolean(),
  class_a_multiplier: Type.String(),
  rfq_url: Type.Union([Type.String(), Type.Null()]),
  rfq_timeout_ms: Type.Union([Type.Integer(), Type.Null()]),
  rfq_access_tier: Type.String({ description: 'NONE | STANDARD | PRIORITY' }),
  mint_url: Type.Union([Type.String(), Type.Null()]),
  redeem_url: Type.Union([Type.String(), Type.Null()]),
  issued_asset: Type.Union([Type.String(), Type.Null()]),
  por_url: Type.Union([Type.String(), Type.Null()]),
  por_interval_s: Type.Integer(),
  payout_rails: Type.Array(Type.String()),
  payout_countries: Type.Array(Type.String()),
  settlement_currencies: Type.Array(Type.Object({ corridor: Type.String(), asset: Type.String() })),
  created_at: Type.String(),
  updated_at: Type.String(),
})

const CreatedSchema = Type.Intersect([
  PartnerSchema,
  Type.Object({ api_key: Type.String(), sandbox_api_key: Type.String(), webhook_secret: Type.String() }),
])

const LimitsInput = Type.Partial(Strict({ daily_per_corridor_usd: AmountInput, monthly_usd: AmountInput }))

const ConfigFields = {
  corridors: Type.Optional(Type.Array(CorridorSchema, { maxItems: 16 })),
  limits: Type.Optional(LimitsInput),
  fee_tier_multiplier: Type.Optional(AmountInput),
  rate_limit_tier: Type.Optional(OneOf(RATE_LIMIT_TIERS)),
  fee_overrides: Type.Optional(Type.Array(FeeOverrideInput, { maxItems: 64 })),
  liquidity_class: Type.Optional(Type.Union([OneOf(LP_CLASSES), Type.Null()])),
  deposit_acceptance: Type.Optional(Type.Boolean()),
  class_a_multiplier: Type.Optional(AmountInput),
  // Issue 11: an RFQ_COUNTERPARTY's quote endpoint and response-time SLA.
  rfq_url: Type.Optional(Type.Union([Type.String({ maxLength: 2_048 }), Type.Null()])),
  rfq_timeout_ms: Type.Optional(Type.Union([Type.Integer(), Type.Null()])),
  // SPEC §9 RFQ access tier: NONE (no RFQ path; a counterparty is not asked), STANDARD, PRIORITY (wins equal rates).
  rfq_access_tier: Type.Optional(OneOf(RFQ_ACCESS_TIERS)),
  // Issue 11: an ISSUER's mint, redeem and Proof of Reserve endpoints (webhook URL policy).
  mint_url: Type.Optional(Type.Union([Type.String({ maxLength: 2_048 }), Type.Null()])),
  redeem_url: Type.Optional(Type.Union([Type.String({ maxLength: 2_048 }), Type.Null()])),
  issued_asset: Type.Optional(Type.Union([AssetCodeSchema, Type.Null()])),
  por_url: Type.Optional(Type.Union([Type.String({ maxLength: 2_048 }), Type.Null()])),
  por_interval_s: Type.Optional(Type.Integer()),
  // Issue 13: an off-ramp's payout rails, beneficiary countries (ISO 3166-1 alpha-2) and settlement currencies.
  payout_rails: Type.Optional(Type.Array(OneOf(RAILS), { maxItems: 3 })),
  payout_countries: Type.Optional(Type.Array(Type.String({ pattern: '^[A-Z]{2}$' }), { maxItems: 250 })),
  settlement_currencies: Type.Optional(
    Type.Array(Strict({ corridor: CorridorSchema, asset: AssetCodeSchema }), { maxItems: 16 }),
  ),
}

const Name = Type.String({ minLength: 1, maxLength: 200 })

/** An override field left out or null keeps the default: both store as null. */
function nullableDecimalText(value: string | number | null | undefined): string | null {
  return value === undefined || value === null ? null : decimalText(value)
}

function configPatch(body: {
  corridors?: string[]
  limits?: { daily_per_corridor_usd?: string | number; monthly_usd?: string | number }
  fee_tier_multiplier?: string | number
  class_a_multiplier?: string | number
  rate_limit_tier?: (typeof RATE_LIMIT_TIERS)[number]
  rfq_url?: string | null
  rfq_timeout_ms?: number | null
  rfq_access_tier?: (typeof RFQ_ACCESS_TIERS)[number]
  mint_url?: string | null
  redeem_url?: string | null
  issued_asset?: string | null
  por_url?: string | null
  por_interval_s?: number
  payout_rails?: string[]
  payout_countries?: string[]
  settlement_currencies?: { corridor: string; asset: string }[]
  fee_overrides?: {
    corridor: string
    tier: string
    variable_bips?: string | number | null
    spread_bps?: string | number | null
  }[]
}) {
  const { limits, fee_tier_multiplier, class_a_multiplier, fee_overrides, ...rest } = body
  return {
    ...rest,
    ...(limits === undefined
      ? {}
      : {
          limits: {
            ...(limits.daily_per_corridor_usd === undefined
              ? {}
              : { daily_per_corridor_usd: decimalText(limits.daily_per_corridor_usd) }),
            ...(limits.monthly_usd === undefined ? {} : { monthly_usd: decimalText(limits.monthly_usd) }),
          },
        }),
    ...(fee_tier_multiplier === undefined ? {} : { fee_tier_multiplier: decimalText(fee_tier_multiplier) }),
    ...(class_a_multiplier === undefined ? {} : { class_a_multiplier: decimalText(class_a_multiplier) }),
    ...(fee_overrides === undefined
      ? {}
      : {
          fee_overrides: fee_overrides.map((o) => ({
            corridor: o.corridor,
            tier: o.tier,
            variable_bips: nullableDecimalText(o.variable_bips),
            spread_bps: nullableDecimalText(o.spread_bps),
          })),
        }),
  }
}

/** SPEC §9: the operator provisions partners; every change lands in the audit log. */
export const partnerAdminRoutes: FastifyPluginAsyncTypebox<{ partners: PartnerService }> = async (
  app,
  { partners },
) => {
  app.post(
    '/admin/v1/partners',
    {
      schema: {
        tags: ['admin'],
        summary: 'Provision a partner; the response is the only time its secrets are shown',
        body: Strict({ name: Name, type: OneOf(PARTNER_TYPES), ...ConfigFields }),
        response: { 201: CreatedSchema, ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const { name, type, ...config } = request.body
      const result = await partners.create({ name, type, ...configPatch(config) }, actorOf(request))
      if (!result.ok) return sendFailure(reply, result)
      return reply.code(201).send(result.value)
    },
  )

  app.get(
    '/admin/v1/partners',
    {
      schema: {
        tags: ['admin'],
        summary: 'Every partner with its configuration',
        response: { 200: Type.Object({ partners: Type.Array(PartnerSchema) }), ...ERROR_RESPONSES },
      },
    },
    async () => ({ partners: await partners.list() }),
  )

  app.get(
    '/admin/v1/partners/:id',
    {
      schema: {
        tags: ['admin'],
        summary: 'One partner with its configuration',
        params: Strict({ id: Type.String({ maxLength: 64 }) }),
        response: { 200: PartnerSchema, ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const partner = await partners.get(request.params.id)
      if (partner === undefined) return sendFailure(reply, { code: 'NOT_FOUND', message: 'no such partner' })
      return toView(partner)
    },
  )

  app.patch(
    '/admin/v1/partners/:id',
    {
      schema: {
        tags: ['admin'],
        summary: 'Change a partner’s configuration (audited)',
        params: Strict({ id: UuidText }),
        body: Strict({
          name: Type.Optional(Name),
          status: Type.Optional(OneOf(SETTABLE_STATUSES)),
          ...ConfigFields,
        }),
        response: { 200: PartnerSchema, ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const { name, status, ...config } = request.body
      const patch = {
        ...configPatch(config),
        ...(name === undefined ? {} : { name }),
        ...(status === undefined ? {} : { status }),
      }
      const result = await partners.update(request.params.id, patch, actorOf(request))
      if (!result.ok) return sendFailure(reply, result)
      return result.value
    },
  )

  await app.register(credentialRoutes, { partners })
}

const KeySchema = Type.Object({
  key_id: Type.String(),
  prefix: Type.String(),
  environment: Type.String(),
  status: Type.String({
    description: 'ACTIVE | RETIRING (replaced, working until expires_at) | EXPIRED | REVOKED',
  }),
  created_at: Type.String(),
  expires_at: Type.Union([Type.String(), Type.Null()], {
    description: 'null for sandbox keys, which never expire',
  }),
})

const OverlapHours = Type.Integer({
  minimum: OVERLAP_HOURS.min,
  maximum: OVERLAP_HOURS.max,
  description: `hours the previous credential keeps working (${OVERLAP_HOURS.min}–${OVERLAP_HOURS.max}, default ${OVERLAP_HOURS.fallback}; 0 stops it at once)`,
})

const PartnerParams = Strict({ id: Type.String({ maxLength: 64 }) })

/**
 * SPEC §9 credentials lifecycle. Rotation and revocation take effect on this
 * node at once and on every other node within 2 s (the key cache).
 */
const credentialRoutes: FastifyPluginAsyncTypebox<{ partners: PartnerService }> = async (
  app,
  { partners },
) => {
  // A rotation without a body takes the defaults, as `{}` would (curl -X POST with no data).
  app.addHook('preValidation', async (request) => {
    if (request.method === 'POST' && request.body === undefined) request.body = {}
  })
  app.get(
    '/admin/v1/partners/:id/api-keys',
    {
      schema: {
        tags: ['admin'],
        summary: 'A partner’s API keys: prefix and status, never the key',
        params: PartnerParams,
        response: { 200: Type.Object({ api_keys: Type.Array(KeySchema) }), ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const result = await partners.listKeys(request.params.id)
      if (!result.ok) return sendFailure(reply, result)
      return { api_keys: result.value }
    },
  )

  app.post(
    '/admin/v1/partners/:id/api-keys/rotate',
    {
      schema: {
        tags: ['admin'],
        summary: 'Issue a new API key (shown once); the current one works until the overlap ends (audited)',
        params: PartnerParams,
        body: Strict({
          overlap_hours: Type.Optional(OverlapHours),
          environment: Type.Optional(EnvironmentSchema),
        }),
        response: {
          200: Type.Object({
            key_id: Type.String(),
            api_key: Type.String(),
            expires_at: Type.Union([Type.String(), Type.Null()]),
            previous_key_expires_at: Type.Union([Type.String(), Type.Null()]),
          }),
          ...ERROR_RESPONSES,
        },
      },
    },
    async (request, reply) => {
      const result = await partners.rotateKey(
        request.params.id,
        {
          overlapHours: request.body.overlap_hours ?? OVERLAP_HOURS.fallback,
          environment: request.body.environment ?? 'live',
        },
        actorOf(request),
      )
      if (!result.ok) return sendFailure(reply, result)
      return result.value
    },
  )

  app.post(
    '/admin/v1/partners/:id/api-keys/:key_id/revoke',
    {
      schema: {
        tags: ['admin'],
        summary:
          'Revoke a key at once (every node within 2 s); revoking a revoked key changes nothing (audited)',
        params: Strict({ id: Type.String({ maxLength: 64 }), key_id: Type.String({ maxLength: 64 }) }),
        response: { 200: KeySchema, ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const result = await partners.revokeKey(request.params.id, request.params.key_id, actorOf(request))
      if (!result.ok) return sendFailure(reply, result)
      return result.value
    },
  )

  app.post(
    '/admin/v1/partners/:id/webhook-secret/rotate',
    {
      schema: {
        tags: ['admin'],
        summary: 'Issue a new webhook secret (shown once); both sign until the overlap ends (audited)',
        params: PartnerParams,
        body: Strict({ overlap_hours: Type.Optional(OverlapHours) }),
        response: {
          200: Type.Object({
            webhook_secret: Type.String(),
            previous_secret_expires_at: Type.Union([Type.String(), Type.Null()]),
          }),
          ...ERROR_RESPONSES,
        },
      },
    },
    async (request, reply) => {
      const result = await partners.rotateWebhookSecret(
        request.params.id,
        request.body.overlap_hours ?? OVERLAP_HOURS.fallback,
        actorOf(request),
      )
      if (!result.ok) return sendFailure(reply, result)
      return result.value
    },
  )

  app.delete(
    '/admin/v1/partners/:id',
    {
      schema: {
        tags: ['admin'],
        summary:
          'Offboard: revoke every key, retire the webhook secrets, status OFFBOARDED; records kept (audited, idempotent)',
        params: PartnerParams,
        response: { 200: PartnerSchema, ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const result = await partners.offboard(request.params.id, actorOf(request))
      if (!result.ok) return sendFailure(reply, result)
      return result.value
    },
  )
}
