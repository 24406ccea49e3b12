import { parseRatio, type Ratio } from '../../money/ratio.ts'
import { mulDiv } from '../../money/rounding.ts'

/**
 * The Earn API contract's arithmetic (SPEC §12.2), pure: 18-decimal amounts
 * ("wad"), the daily interest rate, rounding venue amounts into an asset's
 * smallest unit with the dust carried, netting and reconciliation. Both the
 * simulator (src/sim/earn-venue.ts) and the client side use it, so they agree
 * to the last unit by construction; the tests check it against literals.
 */

export const ENTITIES = ['lending', 'defi'] as const
export type Entity = (typeof ENTITIES)[number]

export function isEntity(value: unknown): value is Entity {
  return value === 'lending' || value === 'defi'
}

export const WAD_DECIMALS = 18
export const WAD = 10n ** 18n
const DAYS_PER_YEAR = 365n

/** An asset amount in its smallest unit, as an 18-decimal amount (exact). */
export function toWad(minor: bigint, decimals: number): bigint {
  if (decimals > WAD_DECIMALS) throw new RangeError(`an asset of ${decimals} decimals is finer than 18`)
  return minor * 10n ** BigInt(WAD_DECIMALS - decimals)
}

/**
 * An 18-decimal amount in an asset's smallest unit, rounded down (towards
 * minus infinity), and what the rounding left behind (the dust, always
 * 0 ≤ dust < one unit, in wad).
 */
export function fromWadFloor(wad: bigint, decimals: number): { minor: bigint; dustWad: bigint } {
  const unit = 10n ** BigInt(WAD_DECIMALS - decimals)
  let minor = wad / unit
  if (wad < 0n && minor * unit !== wad) minor -= 1n
  return { minor, dustWad: wad - minor * unit }
}

const WAD_TEXT = /^-?(0|[1-9][0-9]*)\.[0-9]{18}$/

/** Parses the contract's 18-decimal strings ("12.500000000000000000"); anything else is refused. */
export function parseWad(text: unknown): bigint | undefined {
  if (typeof text !== 'string' || !WAD_TEXT.test(text)) return undefined
  const negative = text.startsWith('-')
  const [whole, fraction] = (negative ? text.slice(1) : text).split('.') as [string, string]
  const value = BigInt(whole) * WAD + BigInt(fraction)
  return negative ? -value : value
}

/** Always 18 fraction digits, as the contract writes amounts. */
export function formatWad(wad: bigint): string {
  const negative = wad < 0n
  const abs = negative ? -wad : wad
  const whole = abs / WAD
  const fraction = (abs % WAD).toString().padStart(WAD_DECIMALS, '0')
  return `${negative ? '-' : ''}${whole}.${fraction}`
}

/** floor(x^(1/n)) for x ≥ 0 by bisection on bigints (no float anywhere). */
function integerRoot(x: bigint, n: bigint, low: bigint, high: bigint): bigint {
  let lo = low
  let hi = high
  while (hi - lo > 1n) {
    const mid = (lo + hi) / 2n
    if (mid ** n <= x) lo = mid
    else hi = mid
  }
  return lo
}

const rateCache = new Map<string, bigint>()

/**
 * SPEC §12.2: the daily rate (1 + APY)^(1/365) − 1, in wad, rounded down:
 * floor(10^18 × (1 + APY)^(1/365)) − 10^18, exactly. The venue's definition
 * of the day's interest is then floor(previous closing balance × rate / 10^18).
 */
export function dailyRateWad(apy: Ratio): bigint {
  if (apy.num < 0n) throw new RangeError('an APY is never negative')
  const key = `${apy.num}/${apy.den}`
  const cached = rateCache.get(key)
  if (cached !== undefined) return cached
  // x^365 × den ≤ (den + num) × 10^(18·365)  ⇔  x ≤ 10^18 × (1 + APY)^(1/365)
  const target = ((apy.den + apy.num) * WAD ** DAYS_PER_YEAR) / apy.den
  // (1 + APY)^(1/365) < 1 + APY/365 + 1: the root is below 2·10^18 for any APY under 365.
  const upper = WAD + mulDiv(WAD, apy.num, apy.den * DAYS_PER_YEAR, 'ceil') + 1n
  const root = integerRoot(target, DAYS_PER_YEAR, WAD, upper + 1n)
  const rate = root - WAD
  rateCache.set(key, rate)
  return rate
}

/** One day of interest on a closing balance, rounded down, in wad. */
export function dailyInterestWad(closingWad: bigint, apy: Ratio): bigint {
  if (closingWad <= 0n) return 0n
  return (closingWad * dailyRateWad(apy)) / WAD
}

/** A decimal APY as configured ("0.05" = 5%), refused when negative or above 10 (1000%). */
export function parseApy(text: unknown): Ratio | undefined {
  if (typeof text !== 'string' || !/^(0|[1-9][0-9]*)(\.[0-9]{1,18})?$/.test(text)) return undefined
  const value = parseRatio(text)
  if (value === undefined || value.num < 0n || value.num > 10n * value.den) return undefined
  return value
}

/**
 * Interest synced from a report into our books: the day's 18-decimal
 * interest plus what earlier days left as dust, rounded down to the asset's
 * unit; the rest is carried (SPEC §12.2, rounded down, the dust recorded).
 * Carrying the dust keeps our booked balance equal to the venue's rounded
 * down, which is what reconciliation compares.
 */
export function creditInterest(
  interestWad: bigint,
  carriedDustWad: bigint,
  decimals: number,
): { creditMinor: bigint; dustWad: bigint } {
  const { minor, dustWad } = fromWadFloor(interestWad + carriedDustWad, decimals)
  return { creditMinor: minor, dustWad }
}

/**
 * A class B amount spread over the entities by the asset's split (percent
 * per entity, summing to 100): each share rounded down, the remainder to the
 * last entity with a share, so the parts sum to the amount.
 */
export function splitByPercent(
  amount: bigint,
  split: readonly { entity: Entity; pct: bigint }[],
): { entity: Entity; amount: bigint }[] {
  const parts = split.filter((s) => s.pct > 0n)
  let rest = amount
  return parts.map((s, i) => {
    const share = i === parts.length - 1 ? rest : (amount * s.pct) / 100n
    rest -= share
    return { entity: s.entity, amount: share }
  })
}

/**
 * A withdrawal spread over where the LP's money is booked: in proportion to
 * its booked balance at each entity (rounded down, the remainder to the
 * largest), never more than an entity holds. Whatever cannot be placed is
 * returned as `unplaced` (the LP's claim exceeds its bookings: protocol dust).
 */
export function splitWithdrawal(
  amount: bigint,
  booked: readonly { entity: Entity; balance: bigint }[],
): { parts: { entity: Entity; amount: bigint }[]; unplaced: bigint } {
  const held = booked.filter((b) => b.balance > 0n)
  const total = held.reduce((sum, b) => sum + b.balance, 0n)
  if (total === 0n) return { parts: [], unplaced: amount }
  const wanted = amount > total ? total : amount
  const parts = held.map((b) => ({ entity: b.entity, amount: (wanted * b.balance) / total }))
  let rest = wanted - parts.reduce((sum, p) => sum + p.amount, 0n)
  for (const part of [...parts].sort((a, b) => {
    const ba = held.find((h) => h.entity === a.entity)?.balance ?? 0n
    const bb = held.find((h) => h.entity === b.entity)?.balance ?? 0n
    return ba > bb ? -1 : ba < bb ? 1 : 0
  })) {
    const room = (held.find((h) => h.entity === part.entity)?.balance ?? 0n) - part.amount
    const add = rest < room ? rest : room
    part.amount += add
    rest -= add
  }
  return { parts: parts.filter((p) => p.amount > 0n), unplaced: amount - wanted }
}

/** A report's figure for one currency and what we expected of it; OK when equal to the unit. */
export type Reconciliation = {
  readonly currency: string
  readonly bookedMinor: bigint
  readonly reportedMinor: bigint
  readonly differenceMinor: bigint
}

export function reconcile(bookedMinor: bigint, reportedWad: bigint, decimals: number, currency: string) {
  const reportedMinor = fromWadFloor(reportedWad, decimals).minor
  return { currency, bookedMinor, reportedMinor, differenceMinor: reportedMinor - bookedMinor }
}

/**
 * Daily settlement (SPEC §12.2): the report's outstanding balance per
 * currency (negative: we owe the venue). We pay when we owe at least the
 * threshold; the venue pays us when it owes at least the threshold; below,
 * the balance is carried to the next day.
 */
export function settlementDecision(
  outstandingWad: bigint,
  thresholdWad: bigint,
): { direction: 'TO_VENUE' | 'FROM_VENUE'; amountWad: bigint } | undefined {
  if (outstandingWad <= -thresholdWad && outstandingWad < 0n)
    return { direction: 'TO_VENUE', amountWad: -outstandingWad }
  if (outstandingWad >= thresholdWad && outstandingWad > 0n)
    return { direction: 'FROM_VENUE', amountWad: outstandingWad }
  return undefined
}

const DAY_MS = 86_400_000

/** The accounting day (UTC, YYYY-MM-DD) a time falls in. */
export function dayOf(atMs: number): string {
  return new Date(Math.floor(atMs / DAY_MS) * DAY_MS).toISOString().slice(0, 10)
}

export function dayStartMs(day: string): number {
  const ms = Date.parse(`${day}T00:00:00.000Z`)
  if (!Number.isFinite(ms)) throw new RangeError(`not a day: ${day}`)
  return ms
}

export function nextDay(day: string): string {
  return dayOf(dayStartMs(day) + DAY_MS)
}
