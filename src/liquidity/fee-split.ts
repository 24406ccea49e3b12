import { ASSET_CODES, ASSETS, type AssetCode } from '../config/assets.ts'
import { ok } from '../errors.ts'
import {
  add,
  cmp,
  div,
  isNegative,
  isZero,
  mul,
  ONE,
  type Ratio,
  ratio,
  scale,
  ZERO,
} from '../money/ratio.ts'
import { mulDiv, pow10 } from '../money/rounding.ts'
import type { UsdRates } from '../pools/usd-rates.ts'
import { type LiquidityResult, liquidityFailure } from './errors.ts'
import { applyIndexDelta, newVariant, type VariantState } from './ktoken.ts'
import { multiplierOfVault, type VaultId } from './model.ts'

/**
 * Fee distribution (SPEC §7.3), as pure arithmetic on one swap's fee.
 *
 * 1. The fee (minor units of the asset it was collected in) is cut into the
 *    treasury share (`KF_SHARE_PCT`), the corridor LP share
 *    (`TXN_LP_SHARE_PCT`) and the global LP share (`GLOBAL_LP_SHARE_PCT`).
 *    Both LP shares are rounded down; the treasury takes the rest.
 * 2. Corridor LPs are the LPs of the pools of the swap's two assets (source
 *    and destination); global LPs are the LPs of every other asset's pools.
 *    So for a synthetic MYR→IDR swap the USDT pools are global, as SPEC §7.3
 *    says, even though the price went through USD: routing does not make
 *    USDT LPs bear the swap's inventory.
 * 3. Within a scope every vault weighs its USD TVL × its multiplier (a
 *    class A vault's own, class B 1), divided by the scope's raw TVL
 *    (multipliers not applied to the denominator), which also counts the
 *    protocol's own capital (SPEC §15: protocol capital counts in fee
 *    weights, its share going to the treasury). What the class A multipliers
 *    withhold and the protocol's part therefore stay undistributed and go to
 *    the treasury. A scope with no TVL at all sends its whole share to the
 *    treasury (it is not handed to the other scope: the percentages are
 *    policy, not a pot to be emptied).
 * 4. An LP part is computed in the fee asset, rounded down, then credited to
 *    the index of the pool's own asset through `convert` (rounded down). A
 *    part that converts to nothing is not credited and stays with the treasury.
 *
 * By construction treasury + Σ(feeAssetMinor of the credits) = fee exactly.
 */
export type FeeSplitConfig = {
  readonly kfSharePct: bigint
  readonly txnLpSharePct: bigint
  readonly globalLpSharePct: bigint
}

/** SPEC §7.3 percentages. */
export const KF_SHARE_PCT = 50n
export const TXN_LP_SHARE_PCT = 30n
export const GLOBAL_LP_SHARE_PCT = 20n

export const DEFAULT_FEE_SPLIT: FeeSplitConfig = {
  kfSharePct: KF_SHARE_PCT,
  txnLpSharePct: TXN_LP_SHARE_PCT,
  globalLpSharePct: GLOBAL_LP_SHARE_PCT,
}

/** SPEC §7.3: "the three sum to 100%". Admin configuration goes through this before it is stored. */
export function validateFeeSplit(config: FeeSplitConfig): LiquidityResult<FeeSplitConfig> {
  const { kfSharePct, txnLpSharePct, globalLpSharePct } = config
  if (kfSharePct < 0n || txnLpSharePct < 0n || globalLpSharePct < 0n)
    return liquidityFailure('FEE_SPLIT_INVALID', 'fee split percentages must not be negative')
  const totalPct = kfSharePct + txnLpSharePct + globalLpSharePct
  if (totalPct !== 100n)
    return liquidityFailure('FEE_SPLIT_INVALID', `fee split percentages sum to ${totalPct}, not 100`)
  return ok(config)
}

/**
 * A class A multiplier (seed 004: "0.3× for strategic issuers, 0.8× for
 * institutional, 1.0× standard") is between 0 and 1 inclusive: above 1 the LP
 * parts could exceed the LP share and the treasury would go negative.
 */
export function validateClassAMultiplier(multiplier: Ratio): LiquidityResult<Ratio> {
  if (isNegative(multiplier) || cmp(multiplier, ONE) > 0)
    return liquidityFailure('CLASS_A_MULTIPLIER_INVALID', 'a class A multiplier must be between 0 and 1')
  return ok(multiplier)
}

/** One vault's TVL in one asset's pools, USD at oracle mid; its multiplier is the vault's (model.ts). */
export type VaultTvl = { readonly vault: VaultId; readonly tvlUsd: Ratio }

/** What the LPs' vaults and the protocol have in one asset's Reserve and Yield, in USD at oracle mid. */
export type AssetTvl = { readonly vaults: readonly VaultTvl[]; readonly protocolTvlUsd: Ratio }

/** TVL per asset; an asset that is absent has no LPs. */
export type PoolTvls = Readonly<Partial<Record<AssetCode, AssetTvl>>>

/** Converts minor units of one asset to another, rounded down (the pool keeps the remainder). */
export type ConvertMinor = (amountMinor: bigint, fromAsset: AssetCode, toAsset: AssetCode) => bigint

export type FeeScope = 'CORRIDOR' | 'GLOBAL'

export type FeeCredit = {
  readonly asset: AssetCode
  readonly vault: VaultId
  readonly scope: FeeScope
  /** What this credit takes out of the fee, in the fee asset. */
  readonly feeAssetMinor: bigint
  /** What it adds to the variant's index, in `asset` (converted, rounded down). */
  readonly amountMinor: bigint
}

export type FeeSplit = {
  readonly credits: readonly FeeCredit[]
  /** In the fee asset: the KF share, the multipliers' withholding, every rounding remainder. */
  readonly treasuryMinor: bigint
}

export type FeeSplitInput = {
  readonly feeMinor: bigint
  readonly feeAsset: AssetCode
  /** The swap's source and destination assets; their pools are the corridor's. */
  readonly swapAssets: readonly [AssetCode, AssetCode]
  readonly tvl: PoolTvls
  readonly config: FeeSplitConfig
  readonly convert: ConvertMinor
}

export function splitFee(input: FeeSplitInput): FeeSplit {
  const { feeMinor, swapAssets, config } = input
  if (feeMinor < 0n) throw new RangeError(`fee must not be negative, got ${feeMinor}`)
  if (swapAssets[0] === swapAssets[1])
    throw new RangeError(`a swap needs two assets, got ${swapAssets[0]} twice`)
  const valid = validateFeeSplit(config)
  if (!valid.ok) throw new RangeError(valid.message)
  const corridorShareMinor = mulDiv(feeMinor, config.txnLpSharePct, 100n, 'floor')
  const globalShareMinor = mulDiv(feeMinor, config.globalLpSharePct, 100n, 'floor')
  const globalAssets = ASSET_CODES.filter((asset) => !swapAssets.includes(asset))
  const credits = [
    ...scopeCredits(input, corridorShareMinor, swapAssets, 'CORRIDOR'),
    ...scopeCredits(input, globalShareMinor, globalAssets, 'GLOBAL'),
  ]
  const creditedMinor = credits.reduce((sum, credit) => sum + credit.feeAssetMinor, 0n)
  return { credits, treasuryMinor: feeMinor - creditedMinor }
}

type ScopeRow = { asset: AssetCode; vaults: readonly { vault: VaultId; weightUsd: Ratio }[] }

/** The credits of one scope (corridor or global); whatever they do not take is the treasury's. */
function scopeCredits(
  input: FeeSplitInput,
  shareMinor: bigint,
  assets: readonly AssetCode[],
  scope: FeeScope,
): FeeCredit[] {
  let totalTvlUsd = ZERO
  const rows: ScopeRow[] = []
  for (const asset of assets) {
    const tvl = input.tvl[asset]
    if (tvl === undefined) continue
    if (isNegative(tvl.protocolTvlUsd)) throw new RangeError('a TVL must not be negative')
    totalTvlUsd = add(totalTvlUsd, tvl.protocolTvlUsd)
    const vaults = []
    for (const { vault, tvlUsd } of tvl.vaults) {
      if (isNegative(tvlUsd)) throw new RangeError('a TVL must not be negative')
      const multiplier = validateClassAMultiplier(multiplierOfVault(vault))
      if (!multiplier.ok) throw new RangeError(multiplier.message)
      totalTvlUsd = add(totalTvlUsd, tvlUsd)
      vaults.push({ vault, weightUsd: mul(tvlUsd, multiplier.value) })
    }
    rows.push({ asset, vaults })
  }
  // SPEC §7.3 [ours]: no capital in the scope, nobody to pay; the treasury keeps it.
  if (isZero(totalTvlUsd) || shareMinor === 0n) return []
  const credits: FeeCredit[] = []
  for (const row of rows) {
    for (const { vault, weightUsd } of row.vaults) {
      const feeAssetMinor = scale(shareMinor, div(weightUsd, totalTvlUsd), 'floor')
      const credit = toCredit(input, row.asset, vault, scope, feeAssetMinor)
      if (credit !== undefined) credits.push(credit)
    }
  }
  return credits
}

function toCredit(
  input: FeeSplitInput,
  asset: AssetCode,
  vault: VaultId,
  scope: FeeScope,
  feeAssetMinor: bigint,
): FeeCredit | undefined {
  if (feeAssetMinor === 0n) return undefined
  const amountMinor =
    asset === input.feeAsset ? feeAssetMinor : input.convert(feeAssetMinor, input.feeAsset, asset)
  if (amountMinor < 0n) throw new RangeError(`convert returned a negative amount ${amountMinor}`)
  // Converted to nothing: crediting zero would take fee for nobody, so the part stays with the treasury.
  if (amountMinor === 0n) return undefined
  return { asset, vault, scope, feeAssetMinor, amountMinor }
}

/**
 * A converter at USD mid rates: amount_Y = amount_X × (Y per USD) / (X per
 * USD), with each asset's decimals, rounded down once at the end.
 */
export function converterFromUsdRates(rates: UsdRates): ConvertMinor {
  return (amountMinor, fromAsset, toAsset) => {
    const from = ASSETS[fromAsset]
    const to = ASSETS[toAsset]
    const factor = div(
      mul(rates.fiatPerUsd(to.fiat), ratio(pow10(to.decimals))),
      mul(rates.fiatPerUsd(from.fiat), ratio(pow10(from.decimals))),
    )
    return scale(amountMinor, factor, 'floor')
  }
}

/** Every vault of one asset, by id. */
export type AssetVaults = Readonly<Partial<Record<VaultId, VariantState>>>

export type AppliedCredit = {
  readonly asset: AssetCode
  readonly vault: VaultId
  /** What the vault's backing grows by (minor units of `asset`). */
  readonly backingDeltaMinor: bigint
  /** What goes to the treasury of `asset`: index dust, or the whole credit if the vault has no shares. */
  readonly dustMinor: bigint
}

export type AppliedCredits = {
  readonly vaults: Readonly<Partial<Record<AssetCode, AssetVaults>>>
  readonly applied: readonly AppliedCredit[]
}

/**
 * Raises the indexes for a fee split's credits (SPEC §7.2: "fees raise the
 * index of both variants"). A credit to a vault with no shares is refused
 * by the index maths; its amount then goes to the treasury as dust instead
 * of being lost, so backing + dust always equals the credit.
 */
export function applyFeeCredits(
  vaults: Readonly<Partial<Record<AssetCode, AssetVaults>>>,
  credits: readonly FeeCredit[],
): AppliedCredits {
  const next: Partial<Record<AssetCode, AssetVaults>> = { ...vaults }
  const applied: AppliedCredit[] = []
  for (const { asset, vault, amountMinor } of credits) {
    if (amountMinor < 0n) throw new RangeError('a fee credit is never negative')
    const current = next[asset] ?? {}
    const updated = applyIndexDelta(current[vault] ?? newVariant(), amountMinor)
    if (!updated.ok) {
      applied.push({ asset, vault, backingDeltaMinor: 0n, dustMinor: amountMinor })
      continue
    }
    next[asset] = { ...current, [vault]: updated.value.variant }
    const { backingDeltaMinor, dustMinor } = updated.value
    applied.push({ asset, vault, backingDeltaMinor, dustMinor })
  }
  return { vaults: next, applied }
}
