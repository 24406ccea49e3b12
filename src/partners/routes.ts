import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { FEE_TIERS } from '../config/fees.ts'
import { actorOf } from '../http/auth.ts'
import { ERROR_RESPONSES, sendFailure } from '../http/errors.ts'
import { AmountInput, CorridorSchema, decimalText, OneOf, Strict, UuidText } from '../http/schemas.ts'
import { LP_CLASSES } from '../liquidity/model.ts'
import { PARTNER_STATUSES, PARTNER_TYPES, RATE_LIMIT_TIERS, toView } from './model.ts'
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
          status: Type.Optional(OneOf(PARTNER_STATUSES)),
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
}
