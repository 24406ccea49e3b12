import type { CorridorConfig } from '../config/corridors.ts'
import { abs, clamp, cmp, div, isNegative, mul, neg, percent, type Ratio, r, ZERO } from '../money/ratio.ts'

/** An Active pool's balance and target, in the same unit. */
export type PoolLevel = { readonly balance: bigint; readonly target: bigint }

/** SPEC §5: IR = (current − target) / target, a fraction. An empty target counts as on target. */
export function inventoryRatio(pool: PoolLevel): Ratio {
  if (pool.target === 0n) return ZERO
  return div({ num: pool.balance - pool.target, den: 1n }, { num: pool.target, den: 1n })
}

/**
 * The IR that drives the skew, signed so that positive means "move the mid
 * up". Both sides of the corridor are computed and the larger |IR| drives
 * (SPEC §5). The QUOTE pool long (IDRX above target) moves the mid up: more
 * IDR per USD, so partners are paid more IDR to take it out. The BASE pool
 * long (USDT above target) moves it down: USD gets cheaper to buy. (The
 * published text states the sign the other way round; SPEC §5 asks for this
 * economic rule, and a test pins it.)
 */
export function drivingInventoryRatio(base: PoolLevel, quote: PoolLevel): Ratio {
  const baseIr = inventoryRatio(base)
  const quoteIr = inventoryRatio(quote)
  return cmp(abs(quoteIr), abs(baseIr)) >= 0 ? quoteIr : neg(baseIr)
}

/**
 * Skew in bps (SPEC §5): 0 inside the dead zone (inclusive); clamp(k × IR,
 * ±MaxSkew) beyond it up to 25% off target; MaxSkew with its sign beyond 25%.
 */
export function skewBps(drivingIr: Ratio, corridor: CorridorConfig, fullSkewPct: string): Ratio {
  const magnitude = abs(drivingIr)
  const maxSkew = r(corridor.maxSkewBps)
  if (cmp(magnitude, percent(r(corridor.skewDeadZonePct))) <= 0) return ZERO
  if (cmp(magnitude, percent(r(fullSkewPct))) > 0) return isNegative(drivingIr) ? neg(maxSkew) : maxSkew
  return clamp(mul(r(corridor.skewK), drivingIr), neg(maxSkew), maxSkew)
}

/** The MaxSkew a RESTRICT corridor carries (SPEC §5 "all add-ons at their caps"), in the driving IR's direction. */
export function restrictSkewBps(drivingIr: Ratio, corridor: CorridorConfig): Ratio {
  const maxSkew = r(corridor.maxSkewBps)
  if (drivingIr.num === 0n) return ZERO
  return isNegative(drivingIr) ? neg(maxSkew) : maxSkew
}
