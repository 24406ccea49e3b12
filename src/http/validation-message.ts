import { ASSETS } from '../config/assets.ts'

/**
 * Issue 15 "Errors": what a schema refusal says. The validator reports one
 * line per branch it tried ("must be equal to constant" three times, then
 * "must match a schema in anyOf"); a partner needs what was wrong and what is
 * allowed: the allowed values of an enum, the form of an amount, the name of
 * an unknown field. One sentence per field, in the order the validator saw
 * them, each starting with where (`body/pair`).
 */
export type SchemaError = {
  readonly instancePath: string
  readonly keyword: string
  readonly params: Record<string, unknown>
  readonly message?: string
}

const DECIMALS = Object.values(ASSETS)
  .map((a) => `${a.code} ${a.decimals}`)
  .join(', ')

const AMOUNT_FORM = `must be a decimal string such as "1000.50" with no more fraction digits than the asset has (${DECIMALS})`

export function validationMessage(context: string, errors: readonly SchemaError[]): string {
  const byPath = new Map<string, SchemaError[]>()
  for (const error of errors)
    byPath.set(error.instancePath, [...(byPath.get(error.instancePath) ?? []), error])
  const sentences: string[] = []
  for (const [path, list] of byPath) {
    const where = `${context}${path}`
    const allowed = list.flatMap((e) =>
      e.keyword === 'const'
        ? [String(e.params.allowedValue)]
        : e.keyword === 'enum'
          ? (e.params.allowedValues as unknown[]).map(String)
          : [],
    )
    if (allowed.length > 0) {
      sentences.push(`${where} must be one of: ${[...new Set(allowed)].join(', ')}`)
      continue
    }
    const field = path.split('/').pop() ?? ''
    if (/amount$/.test(field) && list.some((e) => ['type', 'anyOf', 'pattern'].includes(e.keyword))) {
      sentences.push(`${where} ${AMOUNT_FORM}`)
      continue
    }
    const own = list.filter((e) => e.keyword !== 'anyOf' || list.length === 1)
    for (const e of own) {
      const text =
        e.keyword === 'additionalProperties'
          ? `has an unknown field '${String(e.params.additionalProperty)}' (must NOT have additional properties)`
          : (e.message ?? 'is invalid')
      const sentence = `${where} ${text}`.replace(/^(\S+) {2}/, '$1 ')
      if (!sentences.includes(sentence)) sentences.push(sentence)
    }
  }
  return sentences.join('; ')
}
