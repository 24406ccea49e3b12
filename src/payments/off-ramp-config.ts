import { ASSETS, type AssetCode, isAssetCode } from '../config/assets.ts'
import { CORRIDORS, type CorridorId, isCorridorId } from '../config/corridors.ts'
import { fail, ok, type Result } from '../errors.ts'
import { type Beneficiary, RAILS, type Rail } from './beneficiary.ts'

/**
 * Issue 13, SPEC §9: an off-ramp partner's payout configuration in the
 * Admin Config Store — the fiat rails it pays out on, the beneficiary
 * countries it serves, and its settlement currency per corridor (the
 * stablecoin it takes, e.g. IDRX for USD-IDR). Checked when an instruction
 * is routed to it; a list left empty accepts everything, so an off-ramp
 * with none configured accepts every rail and country.
 */
export type OffRampConfigFields = {
  readonly payout_rails: readonly Rail[]
  readonly payout_countries: readonly string[]
  readonly settlement_currencies: readonly SettlementCurrency[]
}

export type SettlementCurrency = { readonly corridor: CorridorId; readonly asset: AssetCode }

export const DEFAULT_OFF_RAMP_FIELDS: OffRampConfigFields = {
  payout_rails: [],
  payout_countries: [],
  settlement_currencies: [],
}

export type OffRampPatch = {
  payout_rails?: readonly string[]
  payout_countries?: readonly string[]
  settlement_currencies?: readonly { corridor: string; asset: string }[]
}

function distinct(field: string, values: readonly string[]): Result<readonly string[]> {
  return new Set(values).size === values.length ? ok(values) : fail('VALIDATION_ERROR', `${field} repeat`)
}

/** Applies the off-ramp part of a config patch; the rest of the config is checked in partners/model.ts. */
export function applyOffRampPatch(
  base: OffRampConfigFields,
  patch: OffRampPatch,
): Result<OffRampConfigFields> {
  let rails = base.payout_rails
  if (patch.payout_rails !== undefined) {
    const unknown = patch.payout_rails.find((rail) => !(RAILS as readonly string[]).includes(rail))
    if (unknown !== undefined)
      return fail('VALIDATION_ERROR', `payout_rails: ${unknown} is not one of ${RAILS.join(', ')}`)
    const checked = distinct('payout_rails', patch.payout_rails)
    if (!checked.ok) return checked
    rails = patch.payout_rails as Rail[]
  }
  let countries = base.payout_countries
  if (patch.payout_countries !== undefined) {
    const bad = patch.payout_countries.find((country) => !/^[A-Z]{2}$/.test(country))
    if (bad !== undefined)
      return fail('VALIDATION_ERROR', `payout_countries: ${bad} is not an ISO 3166-1 alpha-2 code`)
    const checked = distinct('payout_countries', patch.payout_countries)
    if (!checked.ok) return checked
    countries = patch.payout_countries
  }
  let currencies = base.settlement_currencies
  if (patch.settlement_currencies !== undefined) {
    const out: SettlementCurrency[] = []
    for (const item of patch.settlement_currencies) {
      if (!isCorridorId(item.corridor))
        return fail('VALIDATION_ERROR', `settlement_currencies: unknown corridor ${item.corridor}`)
      if (!isAssetCode(item.asset))
        return fail('VALIDATION_ERROR', `settlement_currencies: unknown asset ${item.asset}`)
      const corridor = CORRIDORS[item.corridor]
      const fiat = ASSETS[item.asset].fiat
      if (fiat !== corridor.base && fiat !== corridor.quote) {
        return fail(
          'VALIDATION_ERROR',
          `settlement_currencies: ${item.asset} is not an asset of ${item.corridor}`,
        )
      }
      if (out.some((o) => o.corridor === item.corridor))
        return fail('VALIDATION_ERROR', `settlement_currencies: ${item.corridor} repeats`)
      out.push({ corridor: item.corridor, asset: item.asset })
    }
    currencies = out
  }
  return ok({ payout_rails: rails, payout_countries: countries, settlement_currencies: currencies })
}

export function offRampFieldsOf(config: Partial<OffRampConfigFields>): OffRampConfigFields {
  return { ...DEFAULT_OFF_RAMP_FIELDS, ...config }
}

/**
 * Whether an off-ramp takes an instruction: its rail, the beneficiary's
 * country, and the stablecoin the execution delivered (its settlement
 * currency for the corridor). A list left empty accepts all.
 */
export function checkRouting(
  config: OffRampConfigFields,
  instruction: { rail: Rail; beneficiary: Beneficiary; corridor: string; asset: string },
): Result<true> {
  if (config.payout_rails.length > 0 && !config.payout_rails.includes(instruction.rail)) {
    return fail(
      'VALIDATION_ERROR',
      `the off-ramp partner does not pay out by ${instruction.rail} (it does: ${config.payout_rails.join(', ')})`,
    )
  }
  const country = instruction.beneficiary.country
  if (config.payout_countries.length > 0 && !config.payout_countries.includes(country)) {
    return fail(
      'VALIDATION_ERROR',
      `the off-ramp partner does not pay out in ${country} (it does: ${config.payout_countries.join(', ')})`,
    )
  }
  const settlement = config.settlement_currencies.find((s) => s.corridor === instruction.corridor)
  if (settlement !== undefined && settlement.asset !== instruction.asset) {
    return fail(
      'VALIDATION_ERROR',
      `the off-ramp partner settles ${instruction.corridor} in ${settlement.asset}; the execution delivered ${instruction.asset}`,
    )
  }
  return ok(true)
}
