/**
 * A fill prices what it executes (SPEC §3, §5; issue 9 item 6): the whole
 * quoted amount pays exactly what the quote showed; a part pays the fee tier
 * of its own size, with the partner's override and multiplier, at the
 * quoted rate.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { ASSETS } from '../../src/config/assets.ts'
import type { FeeTier } from '../../src/config/fees.ts'
import { type Ratio, r, ratio } from '../../src/money/ratio.ts'
import { swapAmounts } from '../../src/pricing/amounts.ts'
import type { FeeOverride } from '../../src/pricing/fee-tiers.ts'
import { feeTierFor, resolveFees } from '../../src/pricing/fee-tiers.ts'
import { fillAmounts, type QuotedTerms } from '../../src/pricing/fill.ts'
import { fixedFeeMinor } from '../../src/pricing/l7-pricing.ts'
import { fiatPerUsd } from './fixtures.ts'

const { USDT, IDRX } = ASSETS

/**
 * A $50,000 USD-IDR SELL quoted at NORMAL with pools on target: spread 4 + 10 × 50,000 / 500,000 = 5 bps,
 * bid 16,250 × (1 − 0.00025) = 16,245.9375. LARGE tier: 2 bips, fixed $1 = 16,250 IDR = 1,625,000 cents.
 * Gross 50,000 × 16,245.9375 = 812,296,875 IDR = 81,229,687,500 cents; 2 bips = 16,245,937.5 → 16,245,938;
 * net 81,229,687,500 − 16,245,938 − 1,625,000 = 81,211,816,562.
 */
const SELL_50K: QuotedTerms = {
  corridor: 'USD-IDR',
  side: 'SELL',
  source: USDT,
  destination: IDRX,
  rate: r('16245.9375'),
  sourceMinor: 50_000_000_000n,
  destinationMinor: 81_211_816_562n,
  variableBips: r('2'),
  fixedFeeMinor: 1_625_000n,
  feeTier: 'LARGE',
}

function fill(
  quote: QuotedTerms,
  amountMinor: bigint,
  sizeUsd: Ratio,
  partner: { overrides?: FeeOverride[]; multiplier?: string } = {},
) {
  return fillAmounts({
    quote,
    amountMinor,
    sizeUsd,
    feeOverrides: partner.overrides ?? [],
    feeTierMultiplier: r(partner.multiplier ?? '1'),
    fiatPerUsd,
  })
}

describe('fillAmounts: a part pays its own tier (literal values)', () => {
  it('the whole quoted amount pays exactly what the quote showed', () => {
    const got = fill(SELL_50K, 50_000_000_000n, r('50000'))
    assert.equal(got.tier, 'LARGE')
    assert.equal(got.netMinor, 81_211_816_562n)
    assert.equal(got.variableFeeMinor, 16_245_938n)
    assert.equal(got.fixedFeeMinor, 1_625_000n)
  })

  const rows: [string, bigint, string, FeeTier, bigint, bigint, bigint][] = [
    // $9,000 is SMALL: 5 bips and USD-IDR's 10,000 IDR. Gross 9,000 × 16,245.9375 = 146,213,437.50 IDR;
    // 5 bips = 7,310,671.875 cents → 7,310,672; net 14,621,343,750 − 7,310,672 − 1,000,000.
    ['$9,000 of $50,000: SMALL', 9_000_000_000n, '9000', 'SMALL', 7_310_672n, 1_000_000n, 14_613_033_078n],
    // $10,000 is MEDIUM (min inclusive): 3 bips of 16,245,937,500 = 4,873,781.25 → 4,873,782; fixed $1.
    [
      '$10,000 of $50,000: MEDIUM',
      10_000_000_000n,
      '10000',
      'MEDIUM',
      4_873_782n,
      1_625_000n,
      16_239_438_718n,
    ],
    // $10 is MICRO: gross 162,459.375 IDR → 16,245,937 cents; 8 bips = 12,996.75 → 12,997; fixed 10,000 IDR.
    ['$10 of $50,000: MICRO', 10_000_000n, '10', 'MICRO', 12_997n, 1_000_000n, 15_232_940n],
    // One µUSDT under $10,000 stays SMALL: 9,999.999999 × 16,245.9375 = 162,459,374.98375… → floor to cents.
    [
      '$9,999.999999: still SMALL',
      9_999_999_999n,
      '9999.999999',
      'SMALL',
      8_122_969n,
      1_000_000n,
      16_236_814_529n,
    ],
  ]
  for (const [name, amount, usd, tier, variable, fixed, net] of rows) {
    it(name, () => {
      const got = fill(SELL_50K, amount, r(usd))
      assert.equal(got.tier, tier)
      assert.equal(got.sourceMinor, amount)
      assert.equal(got.variableFeeMinor, variable)
      assert.equal(got.fixedFeeMinor, fixed)
      assert.equal(got.netMinor, net)
      assert.equal(got.grossMinor - got.variableFeeMinor - got.fixedFeeMinor, got.netMinor)
    })
  }

  it("the partner's override and multiplier apply to the part's tier", () => {
    // SMALL overridden to 4 bips, × 0.3 = 1.2 bips: 14,621,343,750 × 1.2 / 10,000 = 1,754,561.25 → 1,754,562.
    const overrides: FeeOverride[] = [
      { corridor: 'USD-IDR', tier: 'SMALL', variableBips: r('4'), spreadBps: null },
    ]
    const got = fill(SELL_50K, 9_000_000_000n, r('9000'), { overrides, multiplier: '0.3' })
    assert.equal(got.variableFeeMinor, 1_754_562n)
    assert.equal(got.netMinor, 14_621_343_750n - 1_754_562n - 1_000_000n)
  })

  it('a part in the quoted tier keeps the quoted fees', () => {
    // A $60,000 quote (LARGE) with the partner's 0.3 multiplier: 0.6 bips. $50,000 of it is LARGE too:
    // 0.6 bips of 81,229,687,500 = 4,873,781.25 → 4,873,782.
    const quote = { ...SELL_50K, sourceMinor: 60_000_000_000n, variableBips: r('0.6') }
    const got = fill(quote, 50_000_000_000n, r('50000'), { multiplier: '0.3' })
    assert.equal(got.tier, 'LARGE')
    assert.equal(got.variableFeeMinor, 4_873_782n)
    assert.equal(got.netMinor, 81_229_687_500n - 4_873_782n - 1_625_000n)
  })

  it('BUY: a $9,000 part of a $50,000 quote pays SMALL, its fixed fee converted into USDT', () => {
    // Quoted at ask 16,250 × 1.00025 = 16,254.0625. 146,250,000 IDR / 16,254.0625 = 8,997.750562… USDT
    // → 8,997,750,562 µUSDT; 5 bips = 4,498,875.28… → 4,498,876; 10,000 IDR / 16,250 = 0.61538… → 615,385.
    const quote: QuotedTerms = {
      corridor: 'USD-IDR',
      side: 'BUY',
      source: IDRX,
      destination: USDT,
      rate: r('16254.0625'),
      sourceMinor: 81_250_000_000n,
      destinationMinor: 0n,
      variableBips: r('2'),
      fixedFeeMinor: 1_000_000n,
      feeTier: 'LARGE',
    }
    const got = fill(quote, 14_625_000_000n, r('9000'))
    assert.equal(got.tier, 'SMALL')
    assert.deepEqual(
      [got.grossMinor, got.variableFeeMinor, got.fixedFeeMinor, got.netMinor],
      [8_997_750_562n, 4_498_876n, 615_385n, 8_992_636_301n],
    )
  })

  it('a quote stored without its tier resolves a part afresh, and the whole still pays the quote', () => {
    const legacy = { ...SELL_50K, feeTier: undefined }
    assert.equal(fill(legacy, 9_000_000_000n, r('9000')).netMinor, 14_613_033_078n)
    assert.equal(fill(legacy, 50_000_000_000n, r('50000')).netMinor, 81_211_816_562n)
  })
})

describe('fillAmounts: properties', () => {
  const multipliers = fc.constantFrom('1', '0.3', '0.55', '2')

  it('property: a part pays exactly what a quote of its own size would charge at the same rate', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 50_000_000_000n }), multipliers, (amount, multiplier) => {
        const sizeUsd = ratio(amount, 1_000_000n)
        const got = fill(SELL_50K, amount, sizeUsd, { multiplier })
        if (amount === SELL_50K.sourceMinor) return
        const tier = feeTierFor(sizeUsd)
        const fees = resolveFees('USD-IDR', tier, [], r(multiplier))
        // The quote's own fees are those of the LARGE tier at multiplier 1.
        const quoted = tier === 'LARGE' && multiplier === '1'
        const expected = swapAmounts({
          side: 'SELL',
          rate: SELL_50K.rate,
          source: USDT,
          destination: IDRX,
          sourceMinor: amount,
          variableBips: quoted ? SELL_50K.variableBips : fees.variableBips,
          fixedFeeMinor: quoted
            ? SELL_50K.fixedFeeMinor
            : fixedFeeMinor(fees.fixedFee.amount, fees.fixedFee.fiat, 'IDR', fiatPerUsd),
        })
        assert.equal(got.tier, tier)
        assert.deepEqual({ ...got, tier: undefined }, { ...expected, tier: undefined })
      }),
      { numRuns: 500 },
    )
  })

  it('property: rounding never favours the partner (net ≤ amount × rate − the exact fees)', () => {
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 49_999_999_999n }), (amount) => {
        const got = fill(SELL_50K, amount, ratio(amount, 1_000_000n))
        // amount µUSDT × 16,245.9375 IDR/USD × 100 cents / 10^6 = amount × 16,245.9375 / 10^4 cents.
        const exactGrossNum = amount * 162_459_375n
        const exactGrossDen = 100_000_000n
        assert.ok(got.grossMinor * exactGrossDen <= exactGrossNum)
        assert.ok(got.netMinor <= got.grossMinor - got.fixedFeeMinor - (got.grossMinor * 1n) / 10_000n)
      }),
      { numRuns: 500 },
    )
  })
})
