import type { AssetConfig } from '../config/assets.ts'
import { bps, mul, ONE, type Ratio, scale, sub } from '../money/ratio.ts'
import { pow10 } from '../money/rounding.ts'
import type { Side } from '../risk/states.ts'

export type SwapAmounts = {
  readonly sourceMinor: bigint
  /** What the destination Active pool pays out before fees. */
  readonly grossMinor: bigint
  readonly variableFeeMinor: bigint
  readonly fixedFeeMinor: bigint
  /** What the partner receives: gross − fees. Zero or less means the amount does not cover the fees. */
  readonly netMinor: bigint
}

/** Destination units per source unit, in smallest units: the rate with the decimals folded in. */
function minorRate(side: Side, rate: Ratio, source: AssetConfig, destination: AssetConfig): Ratio {
  const decimals = { num: pow10(destination.decimals), den: pow10(source.decimals) }
  // SELL pays BASE and receives QUOTE at the bid (QUOTE per BASE); BUY pays QUOTE and receives BASE at 1/ask.
  const perSource = side === 'SELL' ? rate : { num: rate.den, den: rate.num }
  return mul(perSource, decimals)
}

/**
 * The one place where a source amount becomes a destination amount (SPEC §5):
 * convert at the executable rate (rounded down: the partner receives the
 * floor), charge the variable fee on the converted amount (rounded up: the
 * partner pays the ceiling), and deduct the fixed fee. Firm quotes and
 * executions (including partial ones) both call this.
 */
export function swapAmounts(input: {
  readonly side: Side
  readonly rate: Ratio
  readonly source: AssetConfig
  readonly destination: AssetConfig
  readonly sourceMinor: bigint
  readonly variableBips: Ratio
  readonly fixedFeeMinor: bigint
}): SwapAmounts {
  const grossMinor = scale(
    input.sourceMinor,
    minorRate(input.side, input.rate, input.source, input.destination),
    'floor',
  )
  const variableFeeMinor = scale(grossMinor, bps(input.variableBips), 'ceil')
  return {
    sourceMinor: input.sourceMinor,
    grossMinor,
    variableFeeMinor,
    fixedFeeMinor: input.fixedFeeMinor,
    netMinor: grossMinor - variableFeeMinor - input.fixedFeeMinor,
  }
}

/**
 * The smallest source amount whose net destination reaches `wantedMinor`
 * (fixed-receive quotes). Starts from the exact algebraic answer, rounded up,
 * and steps up while rounding leaves it short (at most a few steps).
 */
export function sourceForDestination(
  input: Omit<Parameters<typeof swapAmounts>[0], 'sourceMinor'>,
  wantedMinor: bigint,
): SwapAmounts {
  const keep = sub(ONE, bps(input.variableBips))
  const grossNeeded = scale(wantedMinor + input.fixedFeeMinor, { num: keep.den, den: keep.num }, 'ceil')
  const perSource = minorRate(input.side, input.rate, input.source, input.destination)
  let sourceMinor = scale(grossNeeded, { num: perSource.den, den: perSource.num }, 'ceil')
  for (let step = 0; step < 16; step++) {
    const amounts = swapAmounts({ ...input, sourceMinor })
    if (amounts.netMinor >= wantedMinor) return amounts
    sourceMinor += 1n
  }
  throw new Error('fixed-receive quote did not converge')
}
