import { r } from '../money/ratio.ts'
import type { Partner } from '../partners/model.ts'
import type { FeeOverride } from '../pricing/fee-tiers.ts'
import type { PartnerTerms } from '../pricing/pipeline.ts'

/** A partner's per (corridor, tier) fee overrides as pricing reads them (SPEC §5, §9). */
export function feeOverridesOf(partner: Partner): FeeOverride[] {
  return partner.config.fee_overrides.map((o) => ({
    corridor: o.corridor,
    tier: o.tier,
    variableBips: o.variable_bips === null ? null : r(o.variable_bips),
    spreadBps: o.spread_bps === null ? null : r(o.spread_bps),
  }))
}

/** What the pipeline needs of a partner for any quote; firm quotes add its limits. */
export function partnerTerms(partner: Partner): PartnerTerms {
  return {
    enabledCorridors: partner.config.corridors,
    feeOverrides: feeOverridesOf(partner),
    feeTierMultiplier: r(partner.config.fee_tier_multiplier),
  }
}
