import { formatDecimal } from './decimal.ts'
import { divide, pow10, type Rounding } from './rounding.ts'

/**
 * An exact non-floating rational number. Rates, spreads in basis points,
 * percentages and multipliers are all ratios, so a price never passes through
 * a binary float. The denominator is always positive and the pair is reduced.
 */
export type Ratio = { readonly num: bigint; readonly den: bigint }

function gcd(a: bigint, b: bigint): bigint {
  let x = a < 0n ? -a : a
  let y = b < 0n ? -b : b
  while (y !== 0n) {
    const t = x % y
    x = y
    y = t
  }
  return x
}

export function ratio(num: bigint, den = 1n): Ratio {
  if (den === 0n) throw new RangeError('ratio with zero denominator')
  const sign = den < 0n ? -1n : 1n
  const g = gcd(num, den)
  if (g <= 1n) return { num: num * sign, den: den * sign }
  return { num: (num / g) * sign, den: (den / g) * sign }
}

export const ZERO: Ratio = ratio(0n)
export const ONE: Ratio = ratio(1n)

// The operations below keep results reduced by cancelling common factors of
// the (already reduced) operands first (Knuth, TAOCP 4.5.1): the gcds run on
// the operands rather than on their products, which is what most of a quote's
// arithmetic costs. The result is the same reduced ratio either way.

export function add(a: Ratio, b: Ratio): Ratio {
  if (a.den === b.den) return ratio(a.num + b.num, a.den)
  const d1 = gcd(a.den, b.den)
  if (d1 === 1n) return { num: a.num * b.den + b.num * a.den, den: a.den * b.den }
  const t = a.num * (b.den / d1) + b.num * (a.den / d1)
  if (t === 0n) return ZERO
  const d2 = gcd(t, d1)
  return { num: t / d2, den: (a.den / d1) * (b.den / d2) }
}

export function sub(a: Ratio, b: Ratio): Ratio {
  return add(a, neg(b))
}

export function neg(a: Ratio): Ratio {
  return { num: -a.num, den: a.den }
}

export function mul(a: Ratio, b: Ratio): Ratio {
  if (a.num === 0n || b.num === 0n) return ZERO
  const g1 = gcd(a.num, b.den)
  const g2 = gcd(b.num, a.den)
  return { num: (a.num / g1) * (b.num / g2), den: (a.den / g2) * (b.den / g1) }
}

export function div(a: Ratio, b: Ratio): Ratio {
  if (b.num === 0n) throw new RangeError('division of a ratio by zero')
  const sign = b.num < 0n ? -1n : 1n
  return mul(a, { num: b.den * sign, den: b.num * sign })
}

export function inverse(a: Ratio): Ratio {
  return div(ONE, a)
}

export function cmp(a: Ratio, b: Ratio): -1 | 0 | 1 {
  const left = a.num * b.den
  const right = b.num * a.den
  return left < right ? -1 : left > right ? 1 : 0
}

export function isZero(a: Ratio): boolean {
  return a.num === 0n
}

export function isNegative(a: Ratio): boolean {
  return a.num < 0n
}

export function abs(a: Ratio): Ratio {
  return a.num < 0n ? neg(a) : a
}

export function min(a: Ratio, b: Ratio): Ratio {
  return cmp(a, b) <= 0 ? a : b
}

export function max(a: Ratio, b: Ratio): Ratio {
  return cmp(a, b) >= 0 ? a : b
}

export function clamp(value: Ratio, low: Ratio, high: Ratio): Ratio {
  return min(max(value, low), high)
}

/** Multiplies an integer by a ratio and rounds to an integer in the named direction. */
export function scale(amount: bigint, factor: Ratio, rounding: Rounding): bigint {
  return divide(amount * factor.num, factor.den, rounding)
}

export function toInteger(a: Ratio, rounding: Rounding): bigint {
  return divide(a.num, a.den, rounding)
}

/** n basis points as a fraction (4 bps = 4/10000). */
export function bps(n: bigint | Ratio): Ratio {
  const value = typeof n === 'bigint' ? ratio(n) : n
  return div(value, ratio(10_000n))
}

/** n percent as a fraction. */
export function percent(n: bigint | Ratio): Ratio {
  const value = typeof n === 'bigint' ? ratio(n) : n
  return div(value, ratio(100n))
}

const RATIO_TEXT = /^(-)?(0|[1-9][0-9]*)(?:\.([0-9]{1,36}))?$/

/** Parses "16250.5" or "-0.25" exactly; returns undefined for anything else (exponents included). */
export function parseRatio(text: string): Ratio | undefined {
  if (text.length > 80) return undefined
  const match = RATIO_TEXT.exec(text)
  if (match === null) return undefined
  const fraction = match[3] ?? ''
  const magnitude = BigInt(`${match[2]}${fraction}`)
  return ratio(match[1] === '-' ? -magnitude : magnitude, pow10(fraction.length))
}

const constants = new Map<string, Ratio>()

/**
 * Like parseRatio, for values written in the source or in configuration: a
 * typo is a bug, so it throws. Such texts are few and repeat on every quote,
 * so their (immutable) ratios are kept.
 */
export function r(text: string): Ratio {
  const known = constants.get(text)
  if (known !== undefined) return known
  const parsed = parseRatio(text)
  if (parsed === undefined) throw new RangeError(`not a decimal: ${text}`)
  if (constants.size < 10_000) constants.set(text, parsed)
  return parsed
}

/**
 * Formats with at most `digits` fraction digits, rounded in the named
 * direction, trailing zeros dropped ("16250.5", "0.0000615").
 */
export function formatRatio(a: Ratio, digits: number, rounding: Rounding): string {
  return formatDecimal(divide(a.num * pow10(digits), a.den, rounding), digits)
}
