/**
 * Integer division with an explicit rounding direction. JavaScript's bigint `/`
 * truncates toward zero, which silently favours one side for negative values;
 * every division on a money path names its direction instead (TigerBeetle's
 * "show your intent with respect to division").
 */
export type Rounding = 'floor' | 'ceil'

export function divide(numerator: bigint, denominator: bigint, rounding: Rounding): bigint {
  if (denominator === 0n) throw new RangeError('division by zero')
  const quotient = numerator / denominator
  const remainder = numerator % denominator
  if (remainder === 0n) return quotient
  const negative = numerator < 0n !== denominator < 0n
  if (rounding === 'floor') return negative ? quotient - 1n : quotient
  return negative ? quotient : quotient + 1n
}

/** a × b / c, rounded as asked. The product is exact (bigint), so nothing is lost before the one division. */
export function mulDiv(a: bigint, b: bigint, c: bigint, rounding: Rounding): bigint {
  return divide(a * b, c, rounding)
}

export function pow10(exponent: number): bigint {
  if (!Number.isInteger(exponent) || exponent < 0) throw new RangeError(`bad exponent ${exponent}`)
  return 10n ** BigInt(exponent)
}

export function absBig(value: bigint): bigint {
  return value < 0n ? -value : value
}

export function minBig(a: bigint, b: bigint): bigint {
  return a < b ? a : b
}

export function maxBig(a: bigint, b: bigint): bigint {
  return a > b ? a : b
}
