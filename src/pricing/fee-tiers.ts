import type { CorridorId } from '../config/corridors.ts'
import { FEE_TABLE, FEE_TIER_MIN_USD, FEE_TIERS, type FeeTier, type FixedFee } from '../config/fees.ts'
import { cmp, mul, type Ratio, r, ratio } from '../money/ratio.ts'

/** A partner's override for one (corridor, tier); null fields keep the default (SPEC §5, §9). */
export type FeeOverride = {
  readonly corridor: CorridorId
  readonly tier: FeeTier
  readonly variableBips: Ratio | null
  readonly spreadBps: Ratio | null
}

/** SPEC §5: the tier whose USD range holds the size (min inclusive, max exclusive). */
export function feeTierFor(sizeUsd: Ratio): FeeTier {
  let tier: FeeTier = 'MICRO'
  for (const candidate of FEE_TIERS) {
    if (cmp(sizeUsd, ratio(FEE_TIER_MIN_USD[candidate])) >= 0) tier = candidate
  }
  return tier
}

export type ResolvedFees = {
  readonly tier: FeeTier
  readonly fixedFee: FixedFee
  /** Variable fee after the partner's fee tier multiplier. */
  readonly variableBips: Ratio
  /** The base spread for this tier: a partner override, else the table's, else undefined (corridor default). */
  readonly baseSpreadOverrideBps: Ratio | undefined
}

/**
 * SPEC §5 resolution order: partner override for (corridor, tier) → corridor
 * tier table. The table covers every corridor and tier, so the SPEC's last
 * step, the $1 fallback fixed fee, is never reached; the table uses it where
 * it has no figure of its own. A zero spread override means "corridor default".
 * The partner's fee tier multiplier scales the variable fee (SPEC §5 [ours]).
 */
export function resolveFees(
  corridor: CorridorId,
  tier: FeeTier,
  overrides: readonly FeeOverride[],
  feeTierMultiplier: Ratio,
): ResolvedFees {
  const table = FEE_TABLE[corridor][tier]
  const override = overrides.find((o) => o.corridor === corridor && o.tier === tier)
  const variable = override?.variableBips ?? r(table.variableBips)
  const spread =
    override?.spreadBps ?? (table.spreadOverrideBps === undefined ? undefined : r(table.spreadOverrideBps))
  return {
    tier,
    fixedFee: table.fixedFee,
    variableBips: mul(variable, feeTierMultiplier),
    baseSpreadOverrideBps: spread === undefined || spread.num === 0n ? undefined : spread,
  }
}
