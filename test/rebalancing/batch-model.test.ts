/**
 * The batch arithmetic of SPEC §8, exact: WAOP = Σ(vol × rate) / Σ vol, PnL =
 * volume × (R − WAOP) for a batch sold at R (and WAOP − R for one bought
 * back), netting first in, first out. Volumes are USDT smallest units (6
 * decimals) unless said; rates IDR per USD.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { r, ratio } from '../../src/money/ratio.ts'
import {
  allocateFifo,
  costOf,
  parseRatioText,
  pnlQuote,
  pnlUsd,
  ratioText,
  waop,
  waopOf,
} from '../../src/rebalancing/batch-model.ts'

const usdt = (whole: bigint) => whole * 1_000_000n

describe('WAOP and PnL', () => {
  it('WAOP is the fill-weighted average: 10,000 at 16,250 and 20,000 at 16,280 → 16,270', () => {
    const fills = [
      { volumeMinor: usdt(10_000n), rate: r('16250') },
      { volumeMinor: usdt(20_000n), rate: r('16280') },
    ]
    assert.deepEqual(waopOf(fills), r('16270'))
    // 162,500,000 + 325,600,000 = 488,100,000 IDR, in USDT-minor × IDR per USD.
    assert.deepEqual(costOf(fills), ratio(488_100_000n * 1_000_000n))
    // Not always a whole number: 1 at 16,250 and 2 at 16,251 → 48,752 / 3.
    assert.deepEqual(
      waopOf([
        { volumeMinor: 1n, rate: r('16250') },
        { volumeMinor: 2n, rate: r('16251') },
      ]),
      ratio(48_752n, 3n),
    )
    assert.throws(() => waop(r('0'), 0n), RangeError)
  })

  it('PnL = volume × (R − WAOP) for a long batch, volume × (WAOP − R) for a short one', () => {
    // 15,000 USD sold at 16,300 out of a batch opened at 16,270: +450,000 IDR = $27.6073619… at 16,300.
    assert.deepEqual(pnlQuote('LONG_BASE', usdt(15_000n), 6, r('16270'), r('16300')), r('450000'))
    assert.deepEqual(
      pnlUsd('LONG_BASE', usdt(15_000n), 6, r('16270'), r('16300'), r('16300')),
      ratio(450_000n, 16_300n),
    )
    // The same volume bought back at 16,300 by a batch that sold at 16,270 loses it.
    assert.deepEqual(pnlQuote('SHORT_BASE', usdt(15_000n), 6, r('16270'), r('16300')), r('-450000'))
    assert.deepEqual(pnlQuote('LONG_BASE', 0n, 6, r('16270'), r('16300')), r('0'))
  })

  it('ratios round-trip through their stored text', () => {
    assert.equal(ratioText(ratio(48_752n, 3n)), '48752/3')
    assert.deepEqual(parseRatioText('-450000/16300'), ratio(-450_000n, 16_300n))
    assert.throws(() => parseRatioText('16250'))
  })
})

describe('allocateFifo', () => {
  const lots = [
    { batchId: 'a', openMinor: 30n },
    { batchId: 'b', openMinor: 5n },
    { batchId: 'c', openMinor: 10n },
  ]

  it('takes the oldest first, each up to what it still holds', () => {
    assert.deepEqual(allocateFifo(lots, 33n), {
      allocations: [
        { batchId: 'a', volumeMinor: 30n },
        { batchId: 'b', volumeMinor: 3n },
      ],
      remainderMinor: 0n,
    })
    assert.deepEqual(allocateFifo(lots, 50n), {
      allocations: [
        { batchId: 'a', volumeMinor: 30n },
        { batchId: 'b', volumeMinor: 5n },
        { batchId: 'c', volumeMinor: 10n },
      ],
      remainderMinor: 5n,
    })
    assert.deepEqual(allocateFifo([], 7n), { allocations: [], remainderMinor: 7n })
    assert.deepEqual(allocateFifo(lots, 0n), { allocations: [], remainderMinor: 0n })
  })

  it('allocations plus remainder are the volume, in order, none above its lot', () => {
    fc.assert(
      fc.property(
        fc.array(fc.bigInt({ min: 0n, max: 1_000n }), { maxLength: 8 }),
        fc.bigInt({ min: 0n, max: 5_000n }),
        (opens, volume) => {
          const input = opens.map((openMinor, i) => ({ batchId: String(i), openMinor }))
          const { allocations, remainderMinor } = allocateFifo(input, volume)
          const total = allocations.reduce((sum, a) => sum + a.volumeMinor, 0n)
          const indexes = allocations.map((a) => Number(a.batchId))
          const ordered = indexes.every((x, i) => i === 0 || x > (indexes[i - 1] as number))
          const within = allocations.every(
            (a) => a.volumeMinor > 0n && a.volumeMinor <= (opens[Number(a.batchId)] as bigint),
          )
          // FIFO: every lot before the last one used is used in full.
          const last = indexes.at(-1) ?? 0
          const earlierFull = input
            .slice(0, last)
            .every(
              (lot) =>
                lot.openMinor === (allocations.find((a) => a.batchId === lot.batchId)?.volumeMinor ?? 0n),
            )
          return total + remainderMinor === volume && ordered && within && earlierFull && remainderMinor >= 0n
        },
      ),
      { numRuns: 1_000 },
    )
  })
})
