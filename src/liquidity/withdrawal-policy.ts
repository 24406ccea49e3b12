import { ASSETS, type AssetCode } from '../config/assets.ts'
import { cmp, max, mul, type Ratio, ratio, scale, sub, ZERO } from '../money/ratio.ts'
import { minBig, pow10 } from '../money/rounding.ts'
import type { RiskState } from '../risk/states.ts'
import type { LpClass } from './model.ts'

/**
 * Withdrawal policy (SPEC §7.5): size tiers, tranche schedules, the FIFO
 * queue's state, and which pool pays. Pure functions of values; the worker
 * that processes the queue supplies balances, states and `now`.
 */

/** SPEC §6.1 corridor states, re-exported so callers of this policy need one import. */
export type { RiskState }

export const WITHDRAWAL_TIERS = ['STANDARD', 'LARGE', 'WHALE'] as const
export type WithdrawalTier = (typeof WITHDRAWAL_TIERS)[number]

/** SPEC §7.5: standard < $50K; large $50K–$200K; whale > $200K. */
export const LARGE_FROM_USD = 50_000n
export const LARGE_UP_TO_USD = 200_000n

/**
 * Boundaries: $50,000 exactly is LARGE (standard is strictly below $50K) and
 * $200,000 exactly is still LARGE (whale is strictly above $200K), which is
 * how SPEC §7.5 reads literally.
 */
export function withdrawalTier(amountUsd: Ratio): WithdrawalTier {
  if (cmp(amountUsd, ZERO) < 0) throw new RangeError('a withdrawal amount is never negative')
  if (cmp(amountUsd, ratio(LARGE_FROM_USD)) < 0) return 'STANDARD'
  if (cmp(amountUsd, ratio(LARGE_UP_TO_USD)) <= 0) return 'LARGE'
  return 'WHALE'
}

const MS_PER_HOUR = 3_600_000

export type TierPolicy = {
  readonly noticeMs: number
  /** The largest tranche, in USD; undefined means the withdrawal is paid at once. */
  readonly trancheMaxUsd: bigint | undefined
  readonly trancheIntervalMs: number
  readonly otcOffered: boolean
}

/** SPEC §7.5: large = 24 h notice, ≤ $50K every 12 h; whale = 72 h notice, ≤ $100K per day, OTC offered. */
export const TIER_POLICY: Readonly<Record<WithdrawalTier, TierPolicy>> = {
  STANDARD: { noticeMs: 0, trancheMaxUsd: undefined, trancheIntervalMs: 0, otcOffered: false },
  LARGE: {
    noticeMs: 24 * MS_PER_HOUR,
    trancheMaxUsd: 50_000n,
    trancheIntervalMs: 12 * MS_PER_HOUR,
    otcOffered: false,
  },
  WHALE: {
    noticeMs: 72 * MS_PER_HOUR,
    trancheMaxUsd: 100_000n,
    trancheIntervalMs: 24 * MS_PER_HOUR,
    otcOffered: true,
  },
}

export type Tranche = { readonly atMs: number; readonly amountMinor: bigint }

export type TranchePlan = {
  readonly tier: WithdrawalTier
  readonly otcOffered: boolean
  readonly tranches: readonly Tranche[]
}

export type TranchePlanInput = {
  readonly asset: AssetCode
  readonly amountMinor: bigint
  readonly tier: WithdrawalTier
  readonly requestedAtMs: number
  /** Units of the asset's fiat per USD (oracle mid), to turn the USD tranche cap into minor units. */
  readonly fiatPerUsd: Ratio
}

/**
 * The payout schedule of one withdrawal. The first tranche is due when the
 * notice period ends; each later one a tranche interval after the previous.
 * Tranches are full-size (the USD cap in minor units, rounded down so a
 * tranche never exceeds the cap) and the last one takes the remainder, so
 * the amounts sum exactly to the withdrawal.
 */
export function tranchePlan(input: TranchePlanInput): TranchePlan {
  const { amountMinor, tier, requestedAtMs } = input
  if (amountMinor <= 0n) throw new RangeError(`a withdrawal must be positive, got ${amountMinor}`)
  if (!Number.isSafeInteger(requestedAtMs)) throw new RangeError(`not a time in ms: ${requestedAtMs}`)
  if (input.fiatPerUsd.num <= 0n) throw new RangeError('a rate must be positive')
  const policy = TIER_POLICY[tier]
  const firstAtMs = requestedAtMs + policy.noticeMs
  if (policy.trancheMaxUsd === undefined)
    return { tier, otcOffered: policy.otcOffered, tranches: [{ atMs: firstAtMs, amountMinor }] }
  const minorPerUsd = mul(input.fiatPerUsd, ratio(pow10(ASSETS[input.asset].decimals)))
  const trancheMaxMinor = scale(policy.trancheMaxUsd, minorPerUsd, 'floor')
  if (trancheMaxMinor <= 0n) throw new RangeError('the tranche cap is worth less than one minor unit')
  const tranches: Tranche[] = []
  let remainingMinor = amountMinor
  while (remainingMinor > 0n) {
    const trancheMinor = minBig(remainingMinor, trancheMaxMinor)
    tranches.push({ atMs: firstAtMs + tranches.length * policy.trancheIntervalMs, amountMinor: trancheMinor })
    remainingMinor -= trancheMinor
  }
  return { tier, otcOffered: policy.otcOffered, tranches }
}

export const QUEUE_STATES = ['NORMAL', 'SLOW', 'PAUSED'] as const
export type QueueState = (typeof QUEUE_STATES)[number]

export type QueueReason =
  | 'RESERVE_MILD'
  | 'RESERVE_SIGNIFICANT'
  | 'RESERVE_CRITICAL'
  | 'CORRIDOR_RESTRICT'
  | 'CORRIDOR_HALT'
  | 'VAR_ABOVE_80_PCT_OF_LIMIT'

export type QueueDecision = {
  readonly state: QueueState
  /** Reserve health in the mild band (above 60%, at most 80%): NORMAL, but operators should look. */
  readonly flagged: boolean
  /** PAUSED because Reserve is critical, and only that: class B withdrawals are redirected to Yield. */
  readonly redirectToYield: boolean
  /** Every condition that is not NORMAL, in the order checked. */
  readonly reasons: readonly QueueReason[]
}

export type QueueInput = {
  /** Reserve balance / Reserve target, in percent (SPEC §2.2 health gates). */
  readonly reserveHealthPct: Ratio
  readonly corridorStates: readonly RiskState[]
  /** Current VaR as a percentage of its limit. */
  readonly varPctOfLimit: Ratio
}

const RANK: Readonly<Record<QueueState, number>> = { NORMAL: 0, SLOW: 1, PAUSED: 2 }

export function queueStateRank(state: QueueState): number {
  return RANK[state]
}

/**
 * SPEC §7.5: Reserve > 60% of target NORMAL (60–80% flagged); 30–60% SLOW;
 * < 30% PAUSED and redirected to Yield; any corridor RESTRICT → SLOW; HALT or
 * VaR > 80% of limit → PAUSED; the most restrictive condition wins.
 * Boundaries [ours]: exactly 60% is SLOW (NORMAL needs "> 60%"), exactly 30%
 * is SLOW (PAUSED is "< 30%"), exactly 80% is flagged (SPEC §2.2 Healthy is
 * "> 80%"), VaR exactly 80% of limit is not PAUSED ("> 80%").
 */
export function queueState(input: QueueInput): QueueDecision {
  const reasons: QueueReason[] = []
  const health = input.reserveHealthPct
  const flagged = cmp(health, ratio(60n)) > 0 && cmp(health, ratio(80n)) <= 0
  if (flagged) reasons.push('RESERVE_MILD')
  else if (cmp(health, ratio(30n)) >= 0 && cmp(health, ratio(60n)) <= 0) reasons.push('RESERVE_SIGNIFICANT')
  else if (cmp(health, ratio(30n)) < 0) reasons.push('RESERVE_CRITICAL')
  if (input.corridorStates.includes('RESTRICT')) reasons.push('CORRIDOR_RESTRICT')
  if (input.corridorStates.includes('HALT')) reasons.push('CORRIDOR_HALT')
  if (cmp(input.varPctOfLimit, ratio(80n)) > 0) reasons.push('VAR_ABOVE_80_PCT_OF_LIMIT')
  const systemPause = reasons.includes('CORRIDOR_HALT') || reasons.includes('VAR_ABOVE_80_PCT_OF_LIMIT')
  const reservePause = reasons.includes('RESERVE_CRITICAL')
  const slow = reasons.includes('RESERVE_SIGNIFICANT') || reasons.includes('CORRIDOR_RESTRICT')
  const state: QueueState = systemPause || reservePause ? 'PAUSED' : slow ? 'SLOW' : 'NORMAL'
  // A pause for system risk (HALT, VaR) is more restrictive than a Reserve pause, so it wins over the redirect.
  return { state, flagged, redirectToYield: reservePause && !systemPause, reasons }
}

export type PayoutPool = 'RESERVE' | 'YIELD'

export type PayoutSource = {
  /** Pools to pay from, in order; empty means the withdrawal waits in the queue. */
  readonly pools: readonly PayoutPool[]
  readonly inTranches: boolean
}

export type PayoutInput = {
  readonly tier: WithdrawalTier
  readonly lpClass: LpClass
  readonly queue: Pick<QueueDecision, 'state' | 'redirectToYield'>
}

/**
 * SPEC §7.5 and §2.2: standard withdrawals from Reserve (class B then from
 * its Yield capital, a recall, when its Reserve share is short: SPEC §15);
 * large and whale ones of class B from Yield first, then Reserve; of class A
 * from Reserve only, in tranches (class A capital never sits in Yield, so
 * Yield never pays it). PAUSED: nothing is paid, except that a Reserve-only
 * pause redirects class B to Yield; class A waits [ours], for the same reason.
 */
export function payoutSource(input: PayoutInput): PayoutSource {
  const inTranches = input.tier !== 'STANDARD'
  if (input.queue.state === 'PAUSED') {
    const pools: PayoutPool[] = input.queue.redirectToYield && input.lpClass === 'B' ? ['YIELD'] : []
    return { pools, inTranches }
  }
  if (input.tier === 'STANDARD')
    return { pools: input.lpClass === 'B' ? ['RESERVE', 'YIELD'] : ['RESERVE'], inTranches }
  return { pools: input.lpClass === 'B' ? ['YIELD', 'RESERVE'] : ['RESERVE'], inTranches }
}

/** SPEC §7.5: in SLOW mode at most $10K per hour per pool. */
export const SLOW_MODE_USD_PER_HOUR = 10_000n

export type Allowance =
  | { readonly kind: 'UNLIMITED' }
  | { readonly kind: 'LIMITED'; readonly remainingUsd: Ratio }

/**
 * How much more one pool may pay out in the current hour. The caller sums
 * what the pool paid in the trailing hour (a sliding window [ours], so the
 * cap cannot be doubled across a clock-hour boundary). PAUSED pays nothing
 * from the paused pool; the class B redirect to Yield is bounded by the
 * Yield balance, not by this allowance.
 */
export function slowModeAllowance(state: QueueState, paidInLastHourUsd: Ratio): Allowance {
  if (cmp(paidInLastHourUsd, ZERO) < 0) throw new RangeError('paid amounts are never negative')
  if (state === 'NORMAL') return { kind: 'UNLIMITED' }
  if (state === 'PAUSED') return { kind: 'LIMITED', remainingUsd: ZERO }
  return { kind: 'LIMITED', remainingUsd: max(ZERO, sub(ratio(SLOW_MODE_USD_PER_HOUR), paidInLastHourUsd)) }
}

/** What one pool offers a tranche now: its balance, and what it paid withdrawals in the trailing hour. */
export type PoolFacts = { readonly balanceMinor: bigint; readonly paidLastHourUsd: Ratio }

export type TranchePaymentInput = {
  readonly tier: WithdrawalTier
  readonly lpClass: LpClass
  readonly queue: QueueDecision
  readonly trancheMinor: bigint
  readonly pools: Readonly<Record<PayoutPool, PoolFacts>>
  /** USD to the asset's minor units at the oracle mid, rounded down (a SLOW allowance is never exceeded). */
  readonly usdToMinor: (usd: Ratio) => bigint
  /** The least worth paying in part (what one share is worth, so a part burns at least one); default 1. */
  readonly smallestPartMinor?: bigint
}

/**
 * Which pool pays the head tranche now, and how much (SPEC §7.5): the first
 * pool `payoutSource` allows whose SLOW allowance has room and whose balance
 * covers the payment; failing that, the first that holds at least
 * `smallestPartMinor`, in part: the rest is paid by the next pool on the next
 * step (class B's Reserve share, then its Yield capital). A tranche the
 * allowance cannot cover whole is paid in part too (the rest waits an hour).
 * Undefined: the tranche waits.
 */
export function planTranchePayment(
  input: TranchePaymentInput,
): { readonly pool: PayoutPool; readonly amountMinor: bigint } | undefined {
  const source = payoutSource({ tier: input.tier, lpClass: input.lpClass, queue: input.queue })
  const smallest = input.smallestPartMinor ?? 1n
  const offers = source.pools.flatMap((pool) => {
    const facts = input.pools[pool]
    const allowance = slowModeAllowance(
      input.queue.state === 'SLOW' ? 'SLOW' : 'NORMAL',
      facts.paidLastHourUsd,
    )
    const room = allowance.kind === 'LIMITED' ? input.usdToMinor(allowance.remainingUsd) : input.trancheMinor
    const amountMinor = room < input.trancheMinor ? room : input.trancheMinor
    // A part (what an allowance leaves) smaller than one share's worth would pay nothing: it waits.
    const payable = amountMinor === input.trancheMinor ? amountMinor > 0n : amountMinor >= smallest
    return payable ? [{ pool, amountMinor, balanceMinor: facts.balanceMinor }] : []
  })
  const whole = offers.find((offer) => offer.balanceMinor >= offer.amountMinor)
  if (whole !== undefined) return { pool: whole.pool, amountMinor: whole.amountMinor }
  const part = offers.find((offer) => offer.balanceMinor >= smallest)
  return part === undefined ? undefined : { pool: part.pool, amountMinor: part.balanceMinor }
}
