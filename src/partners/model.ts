import { CORRIDOR_IDS, type CorridorId, isCorridorId } from '../config/corridors.ts'
import { FEE_TIERS, type FeeTier } from '../config/fees.ts'
import { type Failure, fail, ok, type Result } from '../errors.ts'
import {
  applyIssuerPatch,
  DEFAULT_ISSUER_FIELDS,
  type IssuerConfigFields,
  type IssuerPatch,
} from '../issuers/model.ts'
import type { LpClass } from '../liquidity/model.ts'
import { parseDecimal } from '../money/decimal.ts'
import { cmp, ONE, parseRatio, r } from '../money/ratio.ts'
import {
  applyOffRampPatch,
  DEFAULT_OFF_RAMP_FIELDS,
  type OffRampConfigFields,
  type OffRampPatch,
  type SettlementCurrency,
} from '../payments/off-ramp-config.ts'
import { checkWebhookUrl } from '../webhooks/address-policy.ts'

/** SPEC §1. */
export const PARTNER_TYPES = ['ON_OFF_RAMP', 'ISSUER', 'LP', 'RFQ_COUNTERPARTY', 'DISTRIBUTION'] as const
export type PartnerType = (typeof PARTNER_TYPES)[number]
/**
 * OFFBOARDED (SPEC §9) is final: every key revoked, webhook secrets retired,
 * the records kept; only `DELETE /admin/v1/partners/{id}` sets it, and an
 * offboarded partner can no longer be changed.
 */
export const PARTNER_STATUSES = ['ACTIVE', 'SUSPENDED', 'OFFBOARDED'] as const
export type PartnerStatus = (typeof PARTNER_STATUSES)[number]
/** The statuses an admin may set by PATCH. */
export const SETTABLE_STATUSES = ['ACTIVE', 'SUSPENDED'] as const
/** SPEC §3: Standard 10 req/s burst 20; Premium 50 req/s burst 100. */
export const RATE_LIMIT_TIERS = ['standard', 'premium'] as const
export type RateLimitTier = (typeof RATE_LIMIT_TIERS)[number]

/** The admin config store of SPEC §9, as stored and as shown (snake case, decimal strings). */
export type PartnerConfig = {
  readonly corridors: readonly CorridorId[]
  readonly limits: { readonly daily_per_corridor_usd: string; readonly monthly_usd: string }
  readonly fee_tier_multiplier: string
  readonly rate_limit_tier: RateLimitTier
  /** SPEC §5, §9: per corridor and size tier, custom variable bips and spread bps; null keeps the default. */
  readonly fee_overrides: readonly FeeOverrideConfig[]
  /** SPEC §7, §9: an LP's intent class (A: FX only, kXXX-fx; B: FX and yield, kXXX-full); null for non-LPs. */
  readonly liquidity_class: LpClass | null
  /** SPEC §9: whether the partner's LP deposits are accepted. */
  readonly deposit_acceptance: boolean
  /**
   * SPEC §7.3, §15: a class A LP's share of LP fees, a decimal from 0 to 1
   * (0.3 for a strategic issuer, 1 standard); what it withholds goes to the
   * treasury. Separate from `fee_tier_multiplier`, which scales swap fees.
   */
  readonly class_a_multiplier: string
  /** Issue 11: where an RFQ_COUNTERPARTY is asked for quotes (webhook URL policy); null: never asked. */
  readonly rfq_url: string | null
  /** Issue 11: the counterparty's response-time SLA; null takes the corridor's RFQ timeout (the lower wins). */
  readonly rfq_timeout_ms: number | null
  /**
   * SPEC §9 RFQ access tier [ours: NONE | STANDARD | PRIORITY]. A taker with
   * NONE never takes the EXTERNAL_RFQ path; a counterparty with NONE is not
   * asked; among equal rates a PRIORITY counterparty wins over a STANDARD one.
   */
  readonly rfq_access_tier: RfqAccessTier
} & IssuerConfigFields &
  OffRampConfigFields

export type FeeOverrideConfig = {
  readonly corridor: CorridorId
  readonly tier: FeeTier
  readonly variable_bips: string | null
  readonly spread_bps: string | null
}

export type Partner = {
  readonly id: string
  readonly name: string
  readonly type: PartnerType
  readonly status: PartnerStatus
  readonly config: PartnerConfig
  readonly createdAtMs: number
  readonly updatedAtMs: number
}

export type PartnerView = {
  partner_id: string
  name: string
  type: PartnerType
  status: PartnerStatus
  corridors: CorridorId[]
  limits: { daily_per_corridor_usd: string; monthly_usd: string }
  fee_tier_multiplier: string
  rate_limit_tier: RateLimitTier
  fee_overrides: FeeOverrideConfig[]
  liquidity_class: LpClass | null
  deposit_acceptance: boolean
  class_a_multiplier: string
  rfq_url: string | null
  rfq_timeout_ms: number | null
  rfq_access_tier: RfqAccessTier
  /** Issue 11: an ISSUER's endpoints and issued asset (null for other partners). */
  mint_url: string | null
  redeem_url: string | null
  issued_asset: string | null
  por_url: string | null
  por_interval_s: number
  /** Issue 13: an off-ramp's payout rails, beneficiary countries and settlement currency per corridor (empty: all). */
  payout_rails: string[]
  payout_countries: string[]
  settlement_currencies: SettlementCurrency[]
  created_at: string
  updated_at: string
}

/** SPEC §9 examples, used when the admin sets no limit: $500K per corridor per day, $10M a month. */
export const DEFAULT_CONFIG: PartnerConfig = {
  corridors: [],
  limits: { daily_per_corridor_usd: '500000', monthly_usd: '10000000' },
  fee_tier_multiplier: '1',
  rate_limit_tier: 'standard',
  fee_overrides: [],
  liquidity_class: null,
  deposit_acceptance: false,
  class_a_multiplier: '1',
  rfq_url: null,
  rfq_timeout_ms: null,
  rfq_access_tier: 'STANDARD',
  ...DEFAULT_ISSUER_FIELDS,
  ...DEFAULT_OFF_RAMP_FIELDS,
}

/** A fee multiplier above this is a typo, not a commercial term. */
const MAX_FEE_MULTIPLIER = r('5')

export type ConfigPatch = {
  corridors?: readonly string[]
  limits?: { daily_per_corridor_usd?: string; monthly_usd?: string }
  fee_tier_multiplier?: string
  rate_limit_tier?: RateLimitTier
  fee_overrides?: readonly {
    corridor: string
    tier: string
    variable_bips?: string | null
    spread_bps?: string | null
  }[]
  liquidity_class?: LpClass | null
  deposit_acceptance?: boolean
  class_a_multiplier?: string
  rfq_url?: string | null
  rfq_timeout_ms?: number | null
  rfq_access_tier?: RfqAccessTier
} & IssuerPatch &
  OffRampPatch

/** SPEC §9 RFQ access tier [ours]. */
export const RFQ_ACCESS_TIERS = ['NONE', 'STANDARD', 'PRIORITY'] as const
export type RfqAccessTier = (typeof RFQ_ACCESS_TIERS)[number]

/** Issue 11: an RFQ counterparty's SLA bounds (the corridor timeout caps it anyway). */
export const RFQ_TIMEOUT_MS_MIN = 50
export const RFQ_TIMEOUT_MS_MAX = 10_000

/**
 * An RFQ URL follows the webhook URL policy. A partner's config serves both
 * environments, so it is checked here as sandbox allows (http, loopback);
 * each call applies its own environment's policy again (https and public
 * addresses only in live), so a local URL is never called from live.
 */
function rfqUrl(text: string | null | undefined, fallback: string | null): Result<string | null> {
  if (text === undefined) return ok(fallback)
  if (text === null) return ok(null)
  const checked = checkWebhookUrl(text, { environment: 'sandbox', allowPrivate: true })
  return checked.ok ? ok(text) : invalid(`rfq_url: ${checked.message}`)
}

function invalid(message: string): Failure {
  return fail('VALIDATION_ERROR', message)
}

function usdLimit(field: string, text: string | undefined, fallback: string): Result<string> {
  if (text === undefined) return ok(fallback)
  const parsed = parseDecimal(text, 2)
  if (!parsed.ok) return invalid(`limits.${field} ${parsed.reason}`)
  if (parsed.minor === 0n) return invalid(`limits.${field} must be positive`)
  return ok(text)
}

/** Applies a patch to a config, checking what a schema cannot: known corridors, decimal ranges. */
export function applyConfigPatch(base: PartnerConfig, patch: ConfigPatch): Result<PartnerConfig> {
  let corridors = base.corridors
  if (patch.corridors !== undefined) {
    const unknown = patch.corridors.filter((c) => !isCorridorId(c))
    if (unknown.length > 0)
      return invalid(`unknown corridor ${unknown[0]}; known: ${CORRIDOR_IDS.join(', ')}`)
    if (new Set(patch.corridors).size !== patch.corridors.length) return invalid('corridors repeat')
    corridors = patch.corridors as CorridorId[]
  }
  const daily = usdLimit(
    'daily_per_corridor_usd',
    patch.limits?.daily_per_corridor_usd,
    base.limits.daily_per_corridor_usd,
  )
  if (!daily.ok) return daily
  const monthly = usdLimit('monthly_usd', patch.limits?.monthly_usd, base.limits.monthly_usd)
  if (!monthly.ok) return monthly
  let multiplier = base.fee_tier_multiplier
  if (patch.fee_tier_multiplier !== undefined) {
    const parsed = parseRatio(patch.fee_tier_multiplier)
    if (parsed === undefined || parsed.num < 0n || cmp(parsed, MAX_FEE_MULTIPLIER) > 0) {
      return invalid('fee_tier_multiplier must be a decimal from 0 to 5')
    }
    multiplier = patch.fee_tier_multiplier
  }
  const overrides =
    patch.fee_overrides === undefined ? ok(base.fee_overrides) : feeOverrides(patch.fee_overrides)
  if (!overrides.ok) return overrides
  const liquidityClass = patch.liquidity_class === undefined ? base.liquidity_class : patch.liquidity_class
  let classAMultiplier = base.class_a_multiplier
  if (patch.class_a_multiplier !== undefined) {
    // SPEC §7.3: the class A multiplier withholds part of the LP fee for the treasury; above 1 it would pay out more.
    const parsed = parseRatio(patch.class_a_multiplier)
    if (
      parsed === undefined ||
      parsed.num < 0n ||
      cmp(parsed, ONE) > 0 ||
      patch.class_a_multiplier.length > 20
    ) {
      return invalid('class_a_multiplier must be a decimal from 0 to 1')
    }
    classAMultiplier = patch.class_a_multiplier
  }
  const rfq = rfqUrl(patch.rfq_url, base.rfq_url)
  if (!rfq.ok) return rfq
  const rfqTimeoutMs = patch.rfq_timeout_ms === undefined ? base.rfq_timeout_ms : patch.rfq_timeout_ms
  if (
    rfqTimeoutMs !== null &&
    (!Number.isInteger(rfqTimeoutMs) ||
      rfqTimeoutMs < RFQ_TIMEOUT_MS_MIN ||
      rfqTimeoutMs > RFQ_TIMEOUT_MS_MAX)
  ) {
    return invalid(`rfq_timeout_ms must be an integer from ${RFQ_TIMEOUT_MS_MIN} to ${RFQ_TIMEOUT_MS_MAX}`)
  }
  const issuer = applyIssuerPatch(base, patch)
  if (!issuer.ok) return issuer
  const offRamp = applyOffRampPatch(base, patch)
  if (!offRamp.ok) return offRamp
  return ok({
    ...issuer.value,
    ...offRamp.value,
    corridors,
    limits: { daily_per_corridor_usd: daily.value, monthly_usd: monthly.value },
    fee_tier_multiplier: multiplier,
    rate_limit_tier: patch.rate_limit_tier ?? base.rate_limit_tier,
    fee_overrides: overrides.value,
    liquidity_class: liquidityClass,
    deposit_acceptance: patch.deposit_acceptance ?? base.deposit_acceptance,
    class_a_multiplier: classAMultiplier,
    rfq_url: rfq.value,
    rfq_timeout_ms: rfqTimeoutMs,
    rfq_access_tier: patch.rfq_access_tier ?? base.rfq_access_tier,
  })
}

/** Bips and bps overrides above this are typos (1% = 100 bps). */
const MAX_OVERRIDE_BPS = r('1000')

function feeOverrides(list: NonNullable<ConfigPatch['fee_overrides']>): Result<FeeOverrideConfig[]> {
  const seen = new Set<string>()
  const out: FeeOverrideConfig[] = []
  for (const item of list) {
    if (!isCorridorId(item.corridor)) return invalid(`fee_overrides: unknown corridor ${item.corridor}`)
    if (!(FEE_TIERS as readonly string[]).includes(item.tier))
      return invalid(`fee_overrides: unknown tier ${item.tier}`)
    const key = `${item.corridor}/${item.tier}`
    if (seen.has(key)) return invalid(`fee_overrides: ${key} repeats`)
    seen.add(key)
    for (const field of ['variable_bips', 'spread_bps'] as const) {
      const value = item[field]
      if (value === undefined || value === null) continue
      const parsed = parseRatio(value)
      if (parsed === undefined || parsed.num < 0n || cmp(parsed, MAX_OVERRIDE_BPS) > 0) {
        return invalid(`fee_overrides: ${key} ${field} must be a decimal from 0 to 1000`)
      }
    }
    out.push({
      corridor: item.corridor,
      tier: item.tier as FeeTier,
      variable_bips: item.variable_bips ?? null,
      spread_bps: item.spread_bps ?? null,
    })
  }
  return ok(out)
}

export function toView(partner: Partner): PartnerView {
  return {
    partner_id: partner.id,
    name: partner.name,
    type: partner.type,
    status: partner.status,
    corridors: [...partner.config.corridors],
    limits: { ...partner.config.limits },
    fee_tier_multiplier: partner.config.fee_tier_multiplier,
    rate_limit_tier: partner.config.rate_limit_tier,
    fee_overrides: partner.config.fee_overrides.map((o) => ({ ...o })),
    liquidity_class: partner.config.liquidity_class,
    deposit_acceptance: partner.config.deposit_acceptance,
    class_a_multiplier: partner.config.class_a_multiplier,
    rfq_url: partner.config.rfq_url,
    rfq_timeout_ms: partner.config.rfq_timeout_ms,
    rfq_access_tier: partner.config.rfq_access_tier,
    mint_url: partner.config.mint_url,
    redeem_url: partner.config.redeem_url,
    issued_asset: partner.config.issued_asset,
    por_url: partner.config.por_url,
    por_interval_s: partner.config.por_interval_s,
    payout_rails: [...partner.config.payout_rails],
    payout_countries: [...partner.config.payout_countries],
    settlement_currencies: partner.config.settlement_currencies.map((s) => ({ ...s })),
    created_at: new Date(partner.createdAtMs).toISOString(),
    updated_at: new Date(partner.updatedAtMs).toISOString(),
  }
}

export type PartnerRow = {
  id: string
  name: string
  type: string
  status: string
  config: string
  created_at: bigint
  updated_at: bigint
}

export function fromRow(row: PartnerRow): Partner {
  return {
    id: row.id,
    name: row.name,
    type: row.type as PartnerType,
    status: row.status as PartnerStatus,
    config: { ...DEFAULT_CONFIG, ...(JSON.parse(row.config) as PartnerConfig) },
    createdAtMs: Number(row.created_at),
    updatedAtMs: Number(row.updated_at),
  }
}
