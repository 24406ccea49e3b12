import { type Ratio, scale } from './ratio.ts'
import type { Rounding } from './rounding.ts'
import { pow10 } from './rounding.ts'

/** What the money code needs to know of an asset: its code and how many decimals its smallest unit has. */
export type AssetUnit<Code extends string = string> = { readonly code: Code; readonly decimals: number }

/** An exact quantity of one asset in its smallest unit. Two assets never add. */
export type Amount<Code extends string = string> = { readonly asset: Code; readonly minor: bigint }

export function amount<Code extends string>(asset: Code, minor: bigint): Amount<Code> {
  return { asset, minor }
}

function sameAsset(a: Amount, b: Amount): void {
  if (a.asset !== b.asset) throw new TypeError(`cannot combine ${a.asset} with ${b.asset}`)
}

export function addAmounts<Code extends string>(a: Amount<Code>, b: Amount<Code>): Amount<Code> {
  sameAsset(a, b)
  return { asset: a.asset, minor: a.minor + b.minor }
}

export function subAmounts<Code extends string>(a: Amount<Code>, b: Amount<Code>): Amount<Code> {
  sameAsset(a, b)
  return { asset: a.asset, minor: a.minor - b.minor }
}

/**
 * A price: one whole unit of `base` is worth `value` whole units of `quote`
 * (Uniswap sdk-core's Price, with exact rationals). Converting between assets
 * with different decimals happens here and nowhere else.
 */
export type Price<Base extends string = string, Quote extends string = string> = {
  readonly base: AssetUnit<Base>
  readonly quote: AssetUnit<Quote>
  readonly value: Ratio
}

export function price<Base extends string, Quote extends string>(
  base: AssetUnit<Base>,
  quote: AssetUnit<Quote>,
  value: Ratio,
): Price<Base, Quote> {
  if (value.num <= 0n) throw new RangeError(`price ${base.code}/${quote.code} must be positive`)
  return { base, quote, value }
}

/** Converts an amount of the base asset into the quote asset, rounding as asked. */
export function convert<Base extends string, Quote extends string>(
  p: Price<Base, Quote>,
  input: Amount<Base>,
  rounding: Rounding,
): Amount<Quote> {
  if (input.asset !== p.base.code) throw new TypeError(`price is for ${p.base.code}, not ${input.asset}`)
  const factor: Ratio = {
    num: p.value.num * pow10(p.quote.decimals),
    den: p.value.den * pow10(p.base.decimals),
  }
  return { asset: p.quote.code, minor: scale(input.minor, factor, rounding) }
}

/** The same price seen from the other side. */
export function invertPrice<Base extends string, Quote extends string>(
  p: Price<Base, Quote>,
): Price<Quote, Base> {
  return { base: p.quote, quote: p.base, value: { num: p.value.den, den: p.value.num } }
}
