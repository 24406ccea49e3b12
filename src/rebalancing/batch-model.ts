import { add, div, mul, neg, type Ratio, ratio, sub, ZERO } from '../money/ratio.ts'
import { pow10 } from '../money/rounding.ts'
import type { Direction } from './planner.ts'

/**
 * The bag as batches (SPEC §8), in exact arithmetic. A batch is what the
 * Reserve took over from the Active pools in one direction: LONG_BASE
 * batches hold BASE the Reserve bought with QUOTE, SHORT_BASE batches owe
 * BASE it sold. Volumes are BASE smallest units; rates are QUOTE per BASE in
 * whole units (the oracle mid of each fill).
 *
 * OPEN → SETTLED_INTERNALLY → CLOSED: a batch takes fills while OPEN (for a
 * configured window after its first fill, and never after opposite flow
 * netted part of it, so its WAOP stays the cost of every unit it holds);
 * SETTLED_INTERNALLY it is a finished bag waiting for opposite flow (or,
 * later, Phase 2); CLOSED when all of it has been netted.
 */
export const BATCH_STATUSES = ['OPEN', 'SETTLED_INTERNALLY', 'CLOSED'] as const
export type BatchStatus = (typeof BATCH_STATUSES)[number]

export type Fill = { readonly volumeMinor: bigint; readonly rate: Ratio; readonly atMs: number }

/** Σ volume × rate, the numerator of WAOP; a batch keeps it as it takes fills. */
export function costOf(fills: readonly Pick<Fill, 'volumeMinor' | 'rate'>[]): Ratio {
  return fills.reduce((sum, fill) => add(sum, mul(ratio(fill.volumeMinor), fill.rate)), ZERO)
}

/** SPEC §8: WAOP = Σ(vol × rate) / Σ vol, exact. */
export function waop(costTimesVolume: Ratio, volumeMinor: bigint): Ratio {
  if (volumeMinor <= 0n) throw new RangeError('WAOP of an empty batch')
  return div(costTimesVolume, ratio(volumeMinor))
}

export function waopOf(fills: readonly Pick<Fill, 'volumeMinor' | 'rate'>[]): Ratio {
  return waop(
    costOf(fills),
    fills.reduce((sum, fill) => sum + fill.volumeMinor, 0n),
  )
}

/**
 * SPEC §8: PnL = volume × (R − WAOP) for a batch sold at R (LONG_BASE), and
 * volume × (WAOP − R) for one bought back at R (SHORT_BASE); in whole QUOTE
 * units, exact. The same formula marks an open batch at the mid.
 */
export function pnlQuote(
  direction: Direction,
  volumeMinor: bigint,
  baseDecimals: number,
  openRate: Ratio,
  closeRate: Ratio,
): Ratio {
  const diff = mul(ratio(volumeMinor, pow10(baseDecimals)), sub(closeRate, openRate))
  return direction === 'LONG_BASE' ? diff : neg(diff)
}

/** The same in US dollars, at `quotePerUsd` (the QUOTE fiat's USD mid when the PnL is realised or marked). */
export function pnlUsd(
  direction: Direction,
  volumeMinor: bigint,
  baseDecimals: number,
  openRate: Ratio,
  closeRate: Ratio,
  quotePerUsd: Ratio,
): Ratio {
  return div(pnlQuote(direction, volumeMinor, baseDecimals, openRate, closeRate), quotePerUsd)
}

export type OpenLot = { readonly batchId: string; readonly openMinor: bigint }
export type Allocation = { readonly batchId: string; readonly volumeMinor: bigint }

/**
 * Opposite flow nets open batches first in, first out: the oldest takes as
 * much as it still holds, then the next. What is left opens (or fills) a
 * batch in the new direction.
 */
export function allocateFifo(
  lots: readonly OpenLot[],
  volumeMinor: bigint,
): { allocations: Allocation[]; remainderMinor: bigint } {
  if (volumeMinor < 0n) throw new RangeError('a negative volume cannot be netted')
  const allocations: Allocation[] = []
  let left = volumeMinor
  for (const lot of lots) {
    if (left === 0n) break
    if (lot.openMinor <= 0n) continue
    const take = lot.openMinor < left ? lot.openMinor : left
    allocations.push({ batchId: lot.batchId, volumeMinor: take })
    left -= take
  }
  return { allocations, remainderMinor: left }
}

/** A ratio as stored: `num/den`. */
export function ratioText(value: Ratio): string {
  return `${value.num}/${value.den}`
}

export function parseRatioText(text: string): Ratio {
  const [num, den] = text.split('/') as [string, string | undefined]
  if (den === undefined) throw new Error(`not a stored ratio: ${text}`)
  return ratio(BigInt(num), BigInt(den))
}
