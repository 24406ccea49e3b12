import { IVMS101_2020Schema } from 'ivms101/legacy'
import type { FieldError } from './beneficiary.ts'

/**
 * Issue 13 Travel Rule data (SPEC §11): originator and beneficiary in the
 * IVMS101 data model, `{originator: {originatorPersons, accountNumber},
 * beneficiary: {beneficiaryPersons, accountNumber}}` (the field names of
 * IVMS101 as first published, which the issue names), validated by the
 * `ivms101` package's schema with its IVMS101 constraints (C1–C12).
 *
 * One correction to the package (ivms101 2.0.0): it applies constraint C1
 * ("OriginatorInformationNaturalPerson": an address, customer number,
 * national id or date and place of birth) to beneficiary persons as well,
 * and C4 (the same for a legal person) to beneficiary persons as well,
 * while IVMS101 requires of a beneficiary only its name. Here a beneficiary
 * person is checked without C1 and C4; every other finding stands.
 *
 * The payload is stored (sealed) and relayed as the partner sent it, once
 * valid: the package's parsed copy drops fields it does not know, among them
 * IVMS101's `postCode` (it knows the field as `postcode`), so it is used to
 * validate only.
 */
export type TravelRule = { readonly originator: unknown; readonly beneficiary: unknown }

export type TravelRuleCheck =
  | { readonly ok: true; readonly value: TravelRule }
  | { readonly ok: false; readonly errors: readonly FieldError[] }

function pathText(path: readonly PropertyKey[]): string {
  return path.reduce<string>(
    (text, part) => (typeof part === 'number' ? `${text}[${part}]` : `${text}.${String(part)}`),
    'travel_rule',
  )
}

/** Marks a beneficiary person as C1/C4-satisfied for the package's schema; removed from what it returns. */
const MARK = '\u0000stablefx-beneficiary'

function person(value: unknown, f: (p: Record<string, unknown>) => void): void {
  if (typeof value !== 'object' || value === null) return
  for (const kind of ['naturalPerson', 'legalPerson']) {
    const inner = (value as Record<string, unknown>)[kind]
    if (typeof inner === 'object' && inner !== null && !Array.isArray(inner))
      f(inner as Record<string, unknown>)
  }
}

function beneficiaryPersons(payload: unknown): unknown[] {
  const beneficiary = (payload as { beneficiary?: { beneficiaryPersons?: unknown } } | null)?.beneficiary
  const persons =
    typeof beneficiary === 'object' && beneficiary !== null ? beneficiary.beneficiaryPersons : undefined
  return Array.isArray(persons) ? persons : []
}

export function validateTravelRule(input: unknown): TravelRuleCheck {
  // IVMS101 C1 and C4 concern the originator only: a beneficiary person without a customer number gets a mark.
  const marked = structuredClone(input)
  for (const p of beneficiaryPersons(marked)) {
    person(p, (inner) => {
      if (inner.customerNumber === undefined) inner.customerNumber = MARK
    })
  }
  const parsed = IVMS101_2020Schema.safeParse(marked)
  if (!parsed.success) {
    return {
      ok: false,
      errors: parsed.error.issues.map((issue: { path: readonly PropertyKey[]; message: string }) => ({
        field: pathText(issue.path),
        code: 'IVMS101',
        message: issue.message,
      })),
    }
  }
  // The payload as the partner sent it, not the schema's copy: the package drops fields it does not know,
  // and it spells IVMS101's `postCode` as `postcode`, so its copy would lose the post code.
  const given = input as { originator: unknown; beneficiary: unknown }
  return { ok: true, value: { originator: given.originator, beneficiary: given.beneficiary } }
}
