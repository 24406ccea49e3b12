import type { Fiat } from '../../config/assets.ts'
import { cmp, mul, ONE, percent, type Ratio, ratio, sub } from '../../money/ratio.ts'
import { type RatesDeps, REFERENCE_SIZE_USD, rateBetween } from './rates.ts'

/**
 * Issue 15 "Rafiki guidance": a Rafiki node quotes a payment on the rate
 * /rates publishes (priced for the reference size) and refuses it when what
 * it then gets is worse by more than its slippage (1% by default). Smaller
 * payments pay relatively more (the MICRO fee tier and the fixed fee), so
 * below some size the published rate promises more than a payment gets. This
 * finds that size: the smallest whole-dollar payment whose executable rate is
 * within `slippage` of the published one.
 */
export async function slippageFloorUsd(
  deps: RatesDeps,
  from: Fiat,
  to: Fiat,
  slippage: Ratio = percent(1n),
): Promise<number | undefined> {
  const reference = await rateBetween(deps, from, to)
  if (reference === undefined) return undefined
  const least = mul(reference, sub(ONE, slippage))
  const fits = async (usd: number) => {
    const rate = await rateBetween(deps, from, to, ratio(BigInt(usd)))
    return rate !== undefined && cmp(rate, least) >= 0
  }
  // Rates grow with size up to the reference (fees fall as a share of it): bisect on whole dollars.
  let low = 1
  let high = Number(REFERENCE_SIZE_USD)
  if (deps.referenceUsd !== undefined) high = Math.max(1, Math.ceil(Number(deps.referenceUsd)))
  if (await fits(low)) return low
  if (!(await fits(high))) return undefined
  while (high - low > 1) {
    const mid = Math.floor((low + high) / 2)
    if (await fits(mid)) high = mid
    else low = mid
  }
  return high
}
