import { PRICING } from '../config/pricing.ts'
import { type Ratio, ratio } from '../money/ratio.ts'
import { divide, pow10, type Rounding } from '../money/rounding.ts'

/**
 * Executable rates carry a fixed number of fraction digits, rounded in the
 * pools' favour (bid down, ask up), so the rate a partner reads is exactly the
 * rate that settles.
 */
export function roundRate(rate: Ratio, rounding: Rounding): Ratio {
  const scale = pow10(PRICING.rateDigits)
  return ratio(divide(rate.num * scale, rate.den, rounding), scale)
}
