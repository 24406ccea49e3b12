import { pow10 } from './rounding.ts'

/** SPEC §2.1 and the foundation issue: amounts must stay below 2^128 smallest units. */
export const AMOUNT_LIMIT = 2n ** 128n

const DECIMAL_PATTERN = /^(0|[1-9][0-9]*)(?:\.([0-9]+))?$/
/** Longest text worth looking at: 2^128 has 39 digits, plus a point and 18 decimals, with room to spare. */
const MAX_TEXT_LENGTH = 80

export type DecimalParse = { ok: true; minor: bigint } | { ok: false; reason: string }

/**
 * Parses a non-negative decimal string into smallest units. Strict on purpose:
 * no sign, no exponent, no hex, no white space, no leading zeros, no more
 * fraction digits than the asset has, nothing at or beyond 2^128.
 */
export function parseDecimal(text: string, decimals: number): DecimalParse {
  if (text.length === 0) return { ok: false, reason: 'is empty' }
  if (text.length > MAX_TEXT_LENGTH) return { ok: false, reason: 'is too long' }
  const match = DECIMAL_PATTERN.exec(text)
  if (match === null) return { ok: false, reason: 'is not a plain decimal number' }
  const whole = match[1] as string
  const fraction = match[2] ?? ''
  if (fraction.length > decimals) {
    return { ok: false, reason: `has more than ${decimals} fraction digits` }
  }
  const minor = BigInt(whole) * pow10(decimals) + BigInt(fraction.padEnd(decimals, '0') || '0')
  if (minor >= AMOUNT_LIMIT) return { ok: false, reason: 'is too large' }
  return { ok: true, minor }
}

/** Formats smallest units as a decimal string without trailing zeros ("50000.25", "10", "-0.5"). */
export function formatDecimal(minor: bigint, decimals: number): string {
  const negative = minor < 0n
  const digits = (negative ? -minor : minor).toString().padStart(decimals + 1, '0')
  const whole = digits.slice(0, digits.length - decimals)
  const fraction = digits.slice(digits.length - decimals).replace(/0+$/, '')
  const body = fraction.length > 0 ? `${whole}.${fraction}` : whole
  return negative ? `-${body}` : body
}
