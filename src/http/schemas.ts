import { type TLiteral, type TSchema, type TUnion, Type } from 'typebox'
import { ASSET_CODES } from '../config/assets.ts'
import { CORRIDOR_IDS } from '../config/corridors.ts'
import { ENVIRONMENTS } from '../config/environment.ts'
import { fail, ok, type Result } from '../errors.ts'

/** Objects reject unknown fields (the foundation issue: schemas never drop or coerce). */
export function Strict<T extends Record<string, TSchema>>(properties: T) {
  return Type.Object(properties, { additionalProperties: false })
}

type Literals<T extends readonly string[]> = { -readonly [K in keyof T]: TLiteral<T[K]> }

/** A closed set of strings, typed as their union. */
export function OneOf<const T extends readonly string[]>(values: T): TUnion<Literals<T>> {
  return Type.Union(values.map((value) => Type.Literal(value))) as unknown as TUnion<Literals<T>>
}

/** A plain non-negative decimal as text; per-asset digits and bounds are checked by the money code. */
export const DecimalText = Type.String({ pattern: '^(0|[1-9][0-9]*)(\\.[0-9]+)?$', maxLength: 80 })

/**
 * SPEC §2.1: amounts travel as decimal strings; a JSON number is accepted on
 * input when it is exact (the strict JSON parser has already refused the rest).
 */
export const AmountInput = Type.Union([DecimalText, Type.Number({ minimum: 0 })])

export function decimalText(value: string | number): string {
  return typeof value === 'number' ? String(value) : value
}

export const AssetCodeSchema = OneOf(ASSET_CODES)
export const CorridorSchema = OneOf(CORRIDOR_IDS)
export const EnvironmentSchema = OneOf(ENVIRONMENTS)
export const UuidText = Type.String({
  pattern: '^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$',
})
export const CursorText = Type.String({ pattern: '^[0-9]{1,19}$' })

/** Row ids, which cursors and event ids are, are signed 64-bit integers on both databases. */
export const MAX_ROW_ID = 2n ** 63n - 1n

/**
 * A cursor (or event id) as a row id, checked against its real range: the
 * CursorText pattern admits nineteen nines, which neither database can bind
 * (a 500 before this check). Undefined stays undefined: no cursor given.
 */
export function parseCursor(text: string | undefined, field: string): Result<bigint | undefined> {
  if (text === undefined) return ok(undefined)
  if (!/^[0-9]{1,19}$/.test(text)) return fail('VALIDATION_ERROR', `${field} must be a whole number`)
  const id = BigInt(text)
  return id <= MAX_ROW_ID ? ok(id) : fail('VALIDATION_ERROR', `${field} must be at most ${MAX_ROW_ID}`)
}
export const LimitText = Type.String({ pattern: '^([1-9][0-9]?|100)$' })
