import { fail, ok, type Result } from '../errors.ts'
import { isNegative, parseRatio, type Ratio, ratio } from '../money/ratio.ts'
import { pow10 } from '../money/rounding.ts'

// A real feed's price arrives as JSON. `JSON.parse` alone would turn 16250.123456789012345678 into the
// nearest float; SPEC §14.1 allows no float on a rate, so the number is rebuilt from its source text.

/** Stands in for a JSON number: its exact source text. A symbol key cannot come out of JSON itself. */
const NUMBER_TEXT = Symbol('json number text')
type NumberText = { readonly [NUMBER_TEXT]: string }

function keepNumberText(_key: string, value: unknown, context?: { source?: string }): unknown {
  if (typeof value !== 'number') return value
  if (context?.source === undefined) throw new Error('JSON.parse without source text access')
  return { [NUMBER_TEXT]: context.source } satisfies NumberText
}

const JSON_NUMBER = /^(-)?(0|[1-9][0-9]*)(?:\.([0-9]+))?(?:[eE]([+-]?[0-9]{1,3}))?$/
/** Exponents beyond this make no sense for an FX rate and would build huge integers. */
const MAX_EXPONENT = 40

/** The exact value of a JSON number's text, exponent included ("1.625e4" is 16250), never through a float. */
export function parseJsonNumberText(text: string): Ratio | undefined {
  if (text.length > 80) return undefined
  const match = JSON_NUMBER.exec(text)
  if (match === null) return undefined
  const written = Number.parseInt(match[4] ?? '0', 10)
  if (written > MAX_EXPONENT || written < -MAX_EXPONENT) return undefined
  const fraction = match[3] ?? ''
  const exponent = written - fraction.length
  const digits = BigInt(`${match[2]}${fraction}`) * (match[1] === '-' ? -1n : 1n)
  return exponent >= 0 ? ratio(digits * pow10(exponent)) : ratio(digits, pow10(-exponent))
}

/**
 * Reads the price at `path` in a JSON document, exactly: a JSON number is
 * rebuilt from its source text (`JSON.parse` reviver context), a string must
 * hold a plain decimal. The value is a float at no point.
 */
export function readPriceAt(text: string, path: string): Result<Ratio> {
  let document: unknown
  try {
    document = JSON.parse(text, keepNumberText as (key: string, value: unknown) => unknown)
  } catch (error) {
    return fail('VALIDATION_ERROR', `response is not JSON: ${(error as Error).message}`)
  }
  let node = document
  for (const segment of path.split('.')) {
    if (typeof node !== 'object' || node === null || !Object.hasOwn(node, segment)) {
      return fail('VALIDATION_ERROR', `response has no ${path}`)
    }
    node = (node as Record<string, unknown>)[segment]
  }
  const price = priceOf(node)
  if (price === undefined) return fail('VALIDATION_ERROR', `${path} is not a decimal number`)
  if (isNegative(price) || price.num === 0n) return fail('VALIDATION_ERROR', `${path} is not positive`)
  return ok(price)
}

function priceOf(node: unknown): Ratio | undefined {
  if (typeof node === 'string') return parseRatio(node)
  if (typeof node === 'object' && node !== null && NUMBER_TEXT in node) {
    return parseJsonNumberText((node as NumberText)[NUMBER_TEXT])
  }
  return undefined
}
