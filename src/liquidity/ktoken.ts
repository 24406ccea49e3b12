import { ok } from '../errors.ts'
import { mulDiv } from '../money/rounding.ts'
import { type LiquidityResult, liquidityFailure } from './errors.ts'

/**
 * kToken index maths (SPEC §7.2), in the style of ERC-4626 and Aave's
 * liquidity index. An LP holds an integer number of shares of one variant;
 * its balance is shares × index. The index is a fixed-point number scaled by
 * RAY = 10^27 and starts at 1 (= RAY).
 *
 * Invariant the caller keeps (and the property tests check): the variant's
 * aggregate claim `floor(totalShares × indexRay / RAY)` never exceeds the
 * asset amount that backs it, and the sum of the holders' floored balances
 * never exceeds the aggregate claim. Every rounding below is chosen so that
 * an operation can only make the backing larger than the claims, never
 * smaller ("round in favour of the pools").
 */
export const RAY = 10n ** 27n

export type VariantState = {
  /** The liquidity index, RAY-scaled. Always positive. */
  readonly indexRay: bigint
  /** Shares outstanding across all holders of this variant. */
  readonly totalShares: bigint
}

/** A new variant: index 1, no shares. */
export function newVariant(): VariantState {
  return { indexRay: RAY, totalShares: 0n }
}

function checkIndex(indexRay: bigint): void {
  if (indexRay <= 0n) throw new RangeError(`kToken index must be positive, got ${indexRay}`)
}

function checkNonNegative(value: bigint, what: string): void {
  if (value < 0n) throw new RangeError(`${what} must not be negative, got ${value}`)
}

/** What `shares` are worth now, in asset minor units, rounded down. */
export function balanceOf(shares: bigint, indexRay: bigint): bigint {
  checkNonNegative(shares, 'shares')
  checkIndex(indexRay)
  return mulDiv(shares, indexRay, RAY, 'floor')
}

/** Shares minted for a deposit: rounded DOWN, so the depositor never receives more than it paid for. */
export function sharesForDeposit(amountMinor: bigint, indexRay: bigint): bigint {
  checkNonNegative(amountMinor, 'amount')
  checkIndex(indexRay)
  return mulDiv(amountMinor, RAY, indexRay, 'floor')
}

/** Shares burned to pay out an amount: rounded UP, so the withdrawer never takes more than its shares are worth. */
export function sharesForWithdrawal(amountMinor: bigint, indexRay: bigint): bigint {
  checkNonNegative(amountMinor, 'amount')
  checkIndex(indexRay)
  return mulDiv(amountMinor, RAY, indexRay, 'ceil')
}

/** Amount paid out for burning a number of shares: rounded DOWN (the same maths as the balance). */
export function amountForShares(shares: bigint, indexRay: bigint): bigint {
  return balanceOf(shares, indexRay)
}

export type Minted = {
  readonly variant: VariantState
  readonly sharesMinted: bigint
  /** What the minted shares cost: their value rounded UP. This, not the offered amount, enters the pools. */
  readonly amountUsedMinor: bigint
  /** The rest of the offered amount, which stays with the depositor. */
  readonly changeMinor: bigint
}

/**
 * Mints shares for a deposit (shares rounded down) and takes only what they
 * are worth, rounded up; the change stays with the depositor. Without the
 * change, a depositor at a high index would give the pool up to one share's
 * worth; with it, a depositor loses at most one minor unit to rounding
 * whatever the index (ERC-4626's `mint(shares)` rather than
 * `deposit(assets)`). A deposit worth less than one share is refused rather
 * than accepted for nothing, which is what the classic share-inflation
 * attack relies on.
 */
export function mint(variant: VariantState, amountMinor: bigint): LiquidityResult<Minted> {
  const sharesMinted = sharesForDeposit(amountMinor, variant.indexRay)
  if (sharesMinted === 0n)
    return liquidityFailure('KTOKEN_DEPOSIT_TOO_SMALL', `${amountMinor} is worth less than one share`)
  const amountUsedMinor = mulDiv(sharesMinted, variant.indexRay, RAY, 'ceil')
  return ok({
    variant: { ...variant, totalShares: variant.totalShares + sharesMinted },
    sharesMinted,
    amountUsedMinor,
    changeMinor: amountMinor - amountUsedMinor,
  })
}

export type Burned = {
  readonly variant: VariantState
  readonly sharesBurned: bigint
  readonly amountMinor: bigint
}

function checkHolder(variant: VariantState, holderShares: bigint): void {
  checkNonNegative(holderShares, 'holder shares')
  if (holderShares > variant.totalShares)
    throw new RangeError(`holder has ${holderShares} shares of ${variant.totalShares} outstanding`)
}

/** Burns the shares needed to pay exactly `amountMinor` (shares rounded up). */
export function burnForAmount(
  variant: VariantState,
  holderShares: bigint,
  amountMinor: bigint,
): LiquidityResult<Burned> {
  checkHolder(variant, holderShares)
  const sharesBurned = sharesForWithdrawal(amountMinor, variant.indexRay)
  if (sharesBurned > holderShares)
    return liquidityFailure(
      'KTOKEN_INSUFFICIENT_SHARES',
      `needs ${sharesBurned} shares, holder has ${holderShares}`,
    )
  return ok({
    variant: { ...variant, totalShares: variant.totalShares - sharesBurned },
    sharesBurned,
    amountMinor,
  })
}

/** Burns a number of shares and pays what they are worth (amount rounded down). */
export function burnShares(
  variant: VariantState,
  holderShares: bigint,
  shares: bigint,
): LiquidityResult<Burned> {
  checkHolder(variant, holderShares)
  checkNonNegative(shares, 'shares')
  if (shares > holderShares)
    return liquidityFailure(
      'KTOKEN_INSUFFICIENT_SHARES',
      `burning ${shares} shares, holder has ${holderShares}`,
    )
  const amountMinor = amountForShares(shares, variant.indexRay)
  return ok({
    variant: { ...variant, totalShares: variant.totalShares - shares },
    sharesBurned: shares,
    amountMinor,
  })
}

export type IndexUpdate = {
  readonly variant: VariantState
  /**
   * How much the variant's backing must change (signed, minor units). For a
   * gain it is the part of the delta the new index actually promises to the
   * holders (rounded up, so the backing always covers the aggregate claim);
   * for a loss it is the whole loss.
   */
  readonly backingDeltaMinor: bigint
  /** The part of a gain the index could not distribute; the caller sends it to the treasury. Zero for a loss. */
  readonly dustMinor: bigint
}

/**
 * Applies a fee or yield event to a variant's index (SPEC §7.2).
 *
 * Gain: index += floor(delta × RAY / totalShares). Rounding down means the
 * holders are promised at most the delta; the undistributed remainder is
 * returned as dust.
 * Loss: index -= ceil(loss × RAY / totalShares). Rounding up means the
 * holders' aggregate claim falls by at least the loss, so the claims stay
 * covered by what is left.
 *
 * Refused on a variant with no shares: with nobody to credit, an index update
 * is how a first depositor would inflate the share price (the classic
 * ERC-4626 donation attack). Refused also when a loss would take the index to
 * zero or below, which would wipe out (or invert) every holder's claim; that
 * is an incident for an operator, not arithmetic.
 */
export function applyIndexDelta(variant: VariantState, deltaMinor: bigint): LiquidityResult<IndexUpdate> {
  checkIndex(variant.indexRay)
  checkNonNegative(variant.totalShares, 'total shares')
  if (deltaMinor === 0n) return ok({ variant, backingDeltaMinor: 0n, dustMinor: 0n })
  if (variant.totalShares === 0n)
    return liquidityFailure('KTOKEN_EMPTY_VARIANT', 'a variant with no shares cannot receive index updates')
  if (deltaMinor > 0n) {
    const incrementRay = mulDiv(deltaMinor, RAY, variant.totalShares, 'floor')
    const promisedMinor = mulDiv(variant.totalShares, incrementRay, RAY, 'ceil')
    return ok({
      variant: { ...variant, indexRay: variant.indexRay + incrementRay },
      backingDeltaMinor: promisedMinor,
      dustMinor: deltaMinor - promisedMinor,
    })
  }
  const decrementRay = mulDiv(-deltaMinor, RAY, variant.totalShares, 'ceil')
  if (decrementRay >= variant.indexRay)
    return liquidityFailure('KTOKEN_INDEX_EXHAUSTED', `a loss of ${-deltaMinor} exceeds what the holders own`)
  return ok({
    variant: { ...variant, indexRay: variant.indexRay - decrementRay },
    backingDeltaMinor: deltaMinor,
    dustMinor: 0n,
  })
}

/** The aggregate claim of all holders, rounded down; the backing must never be smaller than this. */
export function totalClaimOf(variant: VariantState): bigint {
  return balanceOf(variant.totalShares, variant.indexRay)
}

/** The two variants of one stablecoin (SPEC §7.2: `kUSD-fx` and `kUSD-full`). */
export type AssetVault = { readonly fx: VariantState; readonly full: VariantState }

export function newAssetVault(): AssetVault {
  return { fx: newVariant(), full: newVariant() }
}

export type YieldUpdate = {
  readonly vault: AssetVault
  readonly backingDeltaMinor: bigint
  readonly dustMinor: bigint
}

/**
 * A yield profit or loss (signed) from the external venue. SPEC §7.2: "yield
 * profits only raise `-full`; yield losses lower only `-full` (class A never
 * sees a yield loss)" — so this function has no path that touches `fx`.
 */
export function applyYieldEvent(vault: AssetVault, deltaMinor: bigint): LiquidityResult<YieldUpdate> {
  const updated = applyIndexDelta(vault.full, deltaMinor)
  if (!updated.ok) return updated
  const { variant, backingDeltaMinor, dustMinor } = updated.value
  return ok({ vault: { fx: vault.fx, full: variant }, backingDeltaMinor, dustMinor })
}

export type AbsorbedLoss = {
  readonly variant: VariantState
  /** What the holders lose in all: the loss, or their whole claim if the loss is larger. */
  readonly absorbedMinor: bigint
}

/**
 * SPEC §15: a yield loss lowers the class B index down to zero, then the
 * treasury absorbs the rest. The holders absorb the loss up to their whole
 * claim; a loss at least that large leaves the index at its smallest
 * positive value (one RAY unit, so every balance is 0 and the vault still
 * has a valid index), and the caller books the rest elsewhere.
 */
export function absorbLoss(variant: VariantState, lossMinor: bigint): AbsorbedLoss {
  checkNonNegative(lossMinor, 'loss')
  const claim = totalClaimOf(variant)
  if (lossMinor === 0n || variant.totalShares === 0n) return { variant, absorbedMinor: 0n }
  if (lossMinor < claim) {
    const updated = applyIndexDelta(variant, -lossMinor)
    if (updated.ok) return { variant: updated.value.variant, absorbedMinor: lossMinor }
  }
  return { variant: { ...variant, indexRay: 1n }, absorbedMinor: claim }
}
