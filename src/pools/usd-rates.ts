import { FIATS, type Fiat, REFERENCE_FIAT_PER_USD } from '../config/assets.ts'
import { type Ratio, r } from '../money/ratio.ts'

/**
 * How many units of a fiat one US dollar buys. Pool targets and USD limits
 * are written in USD (SPEC §2.2: "USD equivalent at oracle mid"); the oracle
 * provides this once it runs, the reference mids before.
 */
export type UsdRates = { fiatPerUsd(fiat: Fiat): Ratio }

export function referenceUsdRates(): UsdRates {
  const table = new Map(FIATS.map((fiat) => [fiat, r(REFERENCE_FIAT_PER_USD[fiat])]))
  return { fiatPerUsd: (fiat) => table.get(fiat) as Ratio }
}
