import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { ASSETS, type AssetCode } from '../../src/config/assets.ts'
import { add, bps, cmp, mul, ONE, type Ratio, r, ratio, sub } from '../../src/money/ratio.ts'
import { pow10 } from '../../src/money/rounding.ts'
import { sourceForDestination, swapAmounts } from '../../src/pricing/amounts.ts'
import { roundRate } from '../../src/pricing/rates.ts'
import type { Side } from '../../src/risk/states.ts'

const { USDT, IDRX, tnSGD, MYRC } = ASSETS

describe('swapAmounts: convert at the rate (floor), variable fee (ceil), minus the fixed fee', () => {
  const rows: {
    name: string
    input: Parameters<typeof swapAmounts>[0]
    gross: bigint
    variable: bigint
    net: bigint
  }[] = [
    {
      // The SPEC §5 worked example: 5,000 USDT × 16,246.66875 = 81,233,343.75 IDR = 8,123,334,375 cents (exact).
      // 5 bips: 8,123,334,375 × 5 / 10,000 = 4,061,667.1875 → ceil 4,061,668. Fixed 10,000 IDR = 1,000,000 cents.
      // Net 8,123,334,375 − 4,061,668 − 1,000,000 = 8,118,272,707 cents = 81,182,727.07 IDR.
      name: 'SELL 5,000 USDT at bid 16,246.66875, 5 bips, 10,000 IDR',
      input: {
        side: 'SELL',
        rate: r('16246.66875'),
        source: USDT,
        destination: IDRX,
        sourceMinor: 5_000_000_000n,
        variableBips: r('5'),
        fixedFeeMinor: 1_000_000n,
      },
      gross: 8_123_334_375n,
      variable: 4_061_668n,
      net: 8_118_272_707n,
    },
    {
      // BUY pays IDR and receives USDT at 1/ask: 81,250,000 / 16,253.290625 = 4,998.9877040996… USDT
      // → floor 4,998,987,704 µUSDT. 5 bips: 2,499,493.852 → ceil 2,499,494.
      // Fixed 10,000 IDR at 16,250 IDR/USD = 0.615384615… USD → ceil 615,385 µUSDT.
      // Net 4,998,987,704 − 2,499,494 − 615,385 = 4,995,872,825.
      name: 'BUY with 81,250,000 IDR at ask 16,253.290625, 5 bips, 615,385 µUSDT fixed',
      input: {
        side: 'BUY',
        rate: r('16253.290625'),
        source: IDRX,
        destination: USDT,
        sourceMinor: 8_125_000_000n,
        variableBips: r('5'),
        fixedFeeMinor: 615_385n,
      },
      gross: 4_998_987_704n,
      variable: 2_499_494n,
      net: 4_995_872_825n,
    },
    {
      name: 'no fees: 1 USDT at 1.3 is exactly 1.3 SGD',
      input: {
        side: 'SELL',
        rate: r('1.3'),
        source: USDT,
        destination: tnSGD,
        sourceMinor: 1_000_000n,
        variableBips: r('0'),
        fixedFeeMinor: 0n,
      },
      gross: 1_300_000n,
      variable: 0n,
      net: 1_300_000n,
    },
    {
      // 1 µUSDT × 16,246.66875 = 1.624666875 cents → floor 1; 5 bips of 1 cent = 0.0005 → ceil 1; net 0.
      name: 'the smallest unit: both roundings bite (floor 1.62 → 1, fee ceil 0.0005 → 1)',
      input: {
        side: 'SELL',
        rate: r('16246.66875'),
        source: USDT,
        destination: IDRX,
        sourceMinor: 1n,
        variableBips: r('5'),
        fixedFeeMinor: 0n,
      },
      gross: 1n,
      variable: 1n,
      net: 0n,
    },
    {
      // 50 MYR × 3,998.8 = 199,940 IDR = 19,994,000 cents. 8 bips: 15,995.2 → 15,996.
      // Fixed $0.50 = 8,125 IDR = 812,500 cents. Net 19,994,000 − 15,996 − 812,500 = 19,165,504.
      name: 'SELL 50 MYRC (18 decimals) at bid 3,998.8, 8 bips, $0.50 fixed',
      input: {
        side: 'SELL',
        rate: r('3998.8'),
        source: MYRC,
        destination: IDRX,
        sourceMinor: 50_000_000_000_000_000_000n,
        variableBips: r('8'),
        fixedFeeMinor: 812_500n,
      },
      gross: 19_994_000n,
      variable: 15_996n,
      net: 19_165_504n,
    },
    {
      // 200,000 IDR / 4,001.2 = 500,000 / 10,003 = 49.985004498650404878536… MYR → floor 49,985,004,498,650,404,878 wei.
      // 8 bips: 39,988,003,598,920,323.9024 → ceil …324. Fixed $0.50 = 2.03125 MYR.
      // Net 49,985,004,498,650,404,878 − 39,988,003,598,920,324 − 2,031,250,000,000,000,000 = 47,913,766,495,051,484,554.
      name: 'BUY MYRC with 200,000 IDR at ask 4,001.2, 8 bips, 2.03125 MYR fixed',
      input: {
        side: 'BUY',
        rate: r('4001.2'),
        source: IDRX,
        destination: MYRC,
        sourceMinor: 20_000_000n,
        variableBips: r('8'),
        fixedFeeMinor: 2_031_250_000_000_000_000n,
      },
      gross: 49_985_004_498_650_404_878n,
      variable: 39_988_003_598_920_324n,
      net: 47_913_766_495_051_484_554n,
    },
    {
      // 0.5 USDT × 16,246.66875 = 8,123.334375 IDR → 812,333 cents; 5 bips → ceil 406.1665 = 407.
      // Net 812,333 − 407 − 1,000,000 = −188,074: the amount does not cover the fixed fee.
      name: 'a fixed fee above the gross leaves a negative net',
      input: {
        side: 'SELL',
        rate: r('16246.66875'),
        source: USDT,
        destination: IDRX,
        sourceMinor: 500_000n,
        variableBips: r('5'),
        fixedFeeMinor: 1_000_000n,
      },
      gross: 812_333n,
      variable: 407n,
      net: -188_074n,
    },
  ]
  for (const row of rows) {
    it(row.name, () => {
      assert.deepEqual(swapAmounts(row.input), {
        sourceMinor: row.input.sourceMinor,
        grossMinor: row.gross,
        variableFeeMinor: row.variable,
        fixedFeeMinor: row.input.fixedFeeMinor,
        netMinor: row.net,
      })
    })
  }
})

describe('sourceForDestination: the smallest source whose net reaches the amount asked', () => {
  const sellIdr = {
    side: 'SELL' as const,
    rate: r('16246.66875'),
    source: USDT,
    destination: IDRX,
    variableBips: r('5'),
    fixedFeeMinor: 1_000_000n,
  }
  const buyUsdt = {
    side: 'BUY' as const,
    rate: r('16253.290625'),
    source: IDRX,
    destination: USDT,
    variableBips: r('5'),
    fixedFeeMinor: 615_385n,
  }
  const rows: {
    name: string
    params: Omit<Parameters<typeof swapAmounts>[0], 'sourceMinor'>
    wanted: bigint
    source: bigint
    gross: bigint
    net: bigint
    oneLessNet: bigint
  }[] = [
    {
      // Gross needed = ceil((8,125,000,000 + 1,000,000) / 0.9995) = ceil(8,130,065,032.516…) = 8,130,065,033 cents.
      // Source = ceil(8,130,065,033 cents / 100 / 16,246.66875 × 10^6) = ceil(5,004,142,792.657…) = 5,004,142,793 µUSDT.
      // Its gross 8,130,065,033, fee ceil(4,065,032.5165) = 4,065,033, net exactly 8,125,000,000.
      // One µUSDT less converts to 8,130,065,031 cents, fee 4,065,033, net 8,124,999,998: short.
      name: 'receive exactly 81,250,000 IDR selling USDT',
      params: sellIdr,
      wanted: 8_125_000_000n,
      source: 5_004_142_793n,
      gross: 8_130_065_033n,
      net: 8_125_000_000n,
      oneLessNet: 8_124_999_998n,
    },
    {
      // The worked example read backwards: (8,118,272,707 + 1,000,000) / 0.9995 = 8,123,334,374.2… → 8,123,334,375,
      // which is exactly 5,000 USDT × 16,246.66875: the source is 5,000 USDT again.
      name: 'the worked example net 81,182,727.07 IDR needs exactly 5,000 USDT',
      params: sellIdr,
      wanted: 8_118_272_707n,
      source: 5_000_000_000n,
      gross: 8_123_334_375n,
      net: 8_118_272_707n,
      oneLessNet: 8_118_272_705n, // 4,999.999999 USDT → 8,123,334,373 cents, fee ceil(4,061,667.1865) = 4,061,668
    },
    {
      // Gross needed = ceil((4,995,872,825 + 615,385) / 0.9995) = ceil(4,998,987,703.85…) = 4,998,987,704 µUSDT.
      // Source = ceil(4,998.987704 × 16,253.290625 × 100) = ceil(8,124,999,998.39…) = 8,124,999,999 cents:
      // one cent less than the 81,250,000 IDR that a source quote converts to the same net.
      name: 'BUY: 4,995.872825 USDT net costs 81,249,999.99 IDR, not 81,250,000',
      params: buyUsdt,
      wanted: 4_995_872_825n,
      source: 8_124_999_999n,
      gross: 4_998_987_704n,
      net: 4_995_872_825n,
      oneLessNet: 4_995_872_824n,
    },
    {
      name: 'no fees, exact rate: 1.3 SGD costs exactly 1 USDT',
      params: {
        side: 'SELL',
        rate: r('1.3'),
        source: USDT,
        destination: tnSGD,
        variableBips: r('0'),
        fixedFeeMinor: 0n,
      },
      wanted: 1_300_000n,
      source: 1_000_000n,
      gross: 1_300_000n,
      net: 1_300_000n,
      oneLessNet: 1_299_998n, // 0.999999 × 1.3 = 1.2999987 SGD → floor 1,299,998 µSGD
    },
  ]
  for (const row of rows) {
    it(row.name, () => {
      const got = sourceForDestination(row.params, row.wanted)
      assert.equal(got.sourceMinor, row.source)
      assert.equal(got.grossMinor, row.gross)
      assert.equal(got.netMinor, row.net)
      assert.equal(swapAmounts({ ...row.params, sourceMinor: row.source - 1n }).netMinor, row.oneLessNet)
      assert.ok(row.oneLessNet < row.wanted)
    })
  }
})

// Properties over random sizes, rates and fees, for every ordered pair of assets.
const codes: AssetCode[] = ['USDT', 'IDRX', 'tnSGD', 'MYRC']
const assetPair = fc
  .tuple(fc.constantFrom(...codes), fc.constantFrom(...codes))
  .filter(([a, b]) => a !== b)
  .map(([a, b]) => ({ source: ASSETS[a], destination: ASSETS[b] }))
/** A mid between 0.00000001 and 100,000 with 8 decimals. */
const mid = fc.bigInt({ min: 1n, max: 10_000_000_000_000n }).map((n) => ratio(n, 100_000_000n))
/** A spread from 0 to 500 bps in hundredths of a bp. */
const spreadBps = fc.integer({ min: 0, max: 50_000 }).map((n) => ratio(BigInt(n), 100n))
const variableBips = fc.integer({ min: 0, max: 10_000 }).map((n) => ratio(BigInt(n), 100n))
const side = fc.constantFrom<Side>('SELL', 'BUY')

/** The executable rate: bid = mid × (1 − s/2) floored, ask = mid × (1 + s/2) ceiled, as L7 does. */
function executable(s: Side, m: Ratio, spread: Ratio): Ratio {
  const half = mul(bps(spread), ratio(1n, 2n))
  return s === 'SELL' ? roundRate(mul(m, sub(ONE, half)), 'floor') : roundRate(mul(m, add(ONE, half)), 'ceil')
}

/** Exact destination smallest units that `sourceMinor` is worth at the mid. */
function midValueMinor(
  s: Side,
  m: Ratio,
  sourceMinor: bigint,
  source: { decimals: number },
  destination: { decimals: number },
) {
  const perSource = s === 'SELL' ? m : ratio(m.den, m.num)
  return mul(mul(ratio(sourceMinor), perSource), ratio(pow10(destination.decimals), pow10(source.decimals)))
}

describe('swapAmounts properties', () => {
  it('never pays out more than the exact mid-rate value of the source (spread ≥ 0, fees ≥ 0)', () => {
    fc.assert(
      fc.property(
        side,
        assetPair,
        mid,
        spreadBps,
        variableBips,
        fc.bigInt({ min: 0n, max: 10n ** 24n }),
        fc.bigInt({ min: 0n, max: 10n ** 20n }),
        (s, assets, m, spread, bips, sourceMinor, fixedFeeMinor) => {
          const rate = executable(s, m, spread)
          if (rate.num <= 0n) return
          const got = swapAmounts({
            side: s,
            rate,
            ...assets,
            sourceMinor,
            variableBips: bips,
            fixedFeeMinor,
          })
          const fair = midValueMinor(s, m, sourceMinor, assets.source, assets.destination)
          assert.ok(cmp(ratio(got.grossMinor), fair) <= 0, 'gross above the mid value')
          assert.ok(got.netMinor <= got.grossMinor)
          // The variable fee is the exact fee rounded up, never more than one unit above it.
          const exactFee = mul(ratio(got.grossMinor), bps(bips))
          assert.ok(cmp(ratio(got.variableFeeMinor), exactFee) >= 0)
          assert.ok(cmp(ratio(got.variableFeeMinor), add(exactFee, ONE)) < 0)
          assert.equal(got.netMinor, got.grossMinor - got.variableFeeMinor - fixedFeeMinor)
        },
      ),
      { numRuns: 500 },
    )
  })

  it('is monotone: paying more never receives less', () => {
    fc.assert(
      fc.property(
        side,
        assetPair,
        mid,
        variableBips,
        fc.bigInt({ min: 0n, max: 10n ** 22n }),
        fc.bigInt({ min: 0n, max: 10n ** 6n }),
        (s, assets, m, bips, sourceMinor, extra) => {
          const params = { side: s, rate: m, ...assets, variableBips: bips, fixedFeeMinor: 0n }
          const a = swapAmounts({ ...params, sourceMinor })
          const b = swapAmounts({ ...params, sourceMinor: sourceMinor + extra })
          assert.ok(b.netMinor >= a.netMinor)
        },
      ),
      { numRuns: 300 },
    )
  })
})

describe('sourceForDestination properties', () => {
  it('reaches the wanted net, and one unit less of source would fall short', () => {
    fc.assert(
      fc.property(
        side,
        assetPair,
        mid,
        spreadBps,
        fc.integer({ min: 0, max: 9_000 }).map((n) => ratio(BigInt(n), 100n)),
        fc.bigInt({ min: 1n, max: 10n ** 22n }),
        fc.bigInt({ min: 0n, max: 10n ** 18n }),
        (s, assets, m, spread, bips, wanted, fixedFeeMinor) => {
          const rate = executable(s, m, spread)
          if (rate.num <= 0n) return
          const params = { side: s, rate, ...assets, variableBips: bips, fixedFeeMinor }
          const got = sourceForDestination(params, wanted)
          assert.ok(got.netMinor >= wanted, 'short of the wanted amount')
          assert.deepEqual(swapAmounts({ ...params, sourceMinor: got.sourceMinor }), got)
          assert.ok(got.sourceMinor > 0n)
          assert.ok(
            swapAmounts({ ...params, sourceMinor: got.sourceMinor - 1n }).netMinor < wanted,
            'not minimal',
          )
        },
      ),
      { numRuns: 500 },
    )
  })
})
