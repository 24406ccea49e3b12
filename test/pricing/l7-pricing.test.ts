import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { ASSETS, type AssetCode } from '../../src/config/assets.ts'
import type { CorridorId } from '../../src/config/corridors.ts'
import type { FeeTier } from '../../src/config/fees.ts'
import { cmp, mul, type Ratio, r, ratio, scale } from '../../src/money/ratio.ts'
import { pow10 } from '../../src/money/rounding.ts'
import { feeTierFor } from '../../src/pricing/fee-tiers.ts'
import {
  liquidityAddOnBps,
  type PricingInput,
  priceQuote,
  spreadFor,
  volatilityAddOnBps,
} from '../../src/pricing/l7-pricing.ts'
import { roundRate } from '../../src/pricing/rates.ts'
import type { RiskState, Side } from '../../src/risk/states.ts'
import { failureCode, fiatPerUsd, okValue, pool, pricingInput } from './fixtures.ts'

/** 5,000 USDT in µUSDT; 81,250,000 IDR ($5,000 at 16,250) in cents. */
const USDT_5000 = 5_000_000_000n
const IDR_5000_USD = 8_125_000_000n

function quote(corridor: CorridorId, fields: Partial<PricingInput>) {
  return okValue(priceQuote(pricingInput(corridor, fields)))
}

describe('volatilityAddOnBps (SPEC §5 [ours]: clamp((m − 5) × 0.5, 0, 20))', () => {
  const rows: [string, string][] = [
    ['0', '0'],
    ['4', '0'],
    ['5', '0'], // the free 5 bps
    ['5.01', '0.005'],
    ['6', '0.5'],
    ['10', '2.5'],
    ['25', '10'],
    ['44.99', '19.995'],
    ['45', '20'], // the cap is reached at m = 45
    ['45.01', '20'],
    ['100', '20'],
  ]
  for (const [m, want] of rows) {
    it(`m = ${m} bps → ${want} bps`, () => {
      assert.deepEqual(volatilityAddOnBps(r(m)), r(want))
    })
  }
})

describe('liquidityAddOnBps (SPEC §5 [ours]: 10 bps × size / destination Active balance, cap 15)', () => {
  const rows: [string, string, Ratio][] = [
    ['5000', '500000', r('0.1')], // the worked example: 5,000 / 500,000 USD IDRX pool
    ['5000', '1000000', r('0.05')], // USDT pool
    ['0', '500000', r('0')],
    ['1', '3', ratio(10n, 3n)],
    ['749999.99', '500000', r('14.9999998')],
    ['750000', '500000', r('15')], // exactly at the cap (size = 1.5 × balance)
    ['750000.01', '500000', r('15')],
    ['1000000', '500000', r('15')],
    ['10', '0', r('15')], // an empty pool prices at the cap
    ['10', '-5', r('15')],
  ]
  for (const [size, balance, want] of rows) {
    it(`$${size} against $${balance} → ${want.num}/${want.den} bps`, () => {
      assert.deepEqual(liquidityAddOnBps(r(size), r(balance)), want)
    })
  }
})

describe('spreadFor: total = base + volatility + liquidity + |skew|, shaped by the state (SPEC §5)', () => {
  // USD-IDR: base 4, k 15, dead zone 5%, MaxSkew 8. Add-on caps: volatility 20, liquidity 15.
  type Row = {
    name: string
    state: RiskState
    m: string
    size: string
    balance: string
    usdt?: string
    idrx?: string
    override?: string
    want: [string, string, string, string, string] // base, volatility, liquidity, skew, total
  }
  const rows: Row[] = [
    {
      name: 'NORMAL m 10',
      state: 'NORMAL',
      m: '10',
      size: '5000',
      balance: '500000',
      want: ['4', '2.5', '0.1', '0', '6.6'],
    },
    // PROTECT ×1.5: 2.5 → 3.75, 0.1 → 0.15.
    {
      name: 'PROTECT ×1.5',
      state: 'PROTECT',
      m: '10',
      size: '5000',
      balance: '500000',
      want: ['4', '3.75', '0.15', '0', '7.9'],
    },
    // (30 − 5) × 0.5 = 12.5 × 1.5 = 18.75, under the cap.
    {
      name: 'PROTECT m 30',
      state: 'PROTECT',
      m: '30',
      size: '5000',
      balance: '500000',
      want: ['4', '18.75', '0.15', '0', '22.9'],
    },
    // 15 × 1.5 = 22.5 → capped 20; 12 × 1.5 = 18 → capped 15.
    {
      name: 'PROTECT capped at the caps',
      state: 'PROTECT',
      m: '35',
      size: '600000',
      balance: '500000',
      want: ['4', '20', '15', '0', '39'],
    },
    // 10 × 1.5 = 15: exactly the liquidity cap; 9.99 × 1.5 = 14.985 just under.
    {
      name: 'PROTECT liquidity 10 → exactly 15',
      state: 'PROTECT',
      m: '0',
      size: '500000',
      balance: '500000',
      want: ['4', '0', '15', '0', '19'],
    },
    {
      name: 'PROTECT liquidity 9.99 → 14.985',
      state: 'PROTECT',
      m: '0',
      size: '499500',
      balance: '500000',
      want: ['4', '0', '14.985', '0', '18.985'],
    },
    // RESTRICT: every add-on at its cap, MaxSkew counted in the total even with no imbalance: 4 + 20 + 15 + 8.
    {
      name: 'RESTRICT on target',
      state: 'RESTRICT',
      m: '0',
      size: '5000',
      balance: '500000',
      want: ['4', '20', '15', '0', '47'],
    },
    {
      name: 'RESTRICT IDRX +10%',
      state: 'RESTRICT',
      m: '0',
      size: '5000',
      balance: '500000',
      idrx: '10',
      want: ['4', '20', '15', '8', '47'],
    },
    {
      name: 'RESTRICT USDT +10%',
      state: 'RESTRICT',
      m: '0',
      size: '5000',
      balance: '500000',
      usdt: '10',
      want: ['4', '20', '15', '-8', '47'],
    },
    // Our reading of "all add-ons at their caps": the skew is MaxSkew in the driving direction even inside the dead zone.
    {
      name: 'RESTRICT IDRX +1% (inside the dead zone)',
      state: 'RESTRICT',
      m: '0',
      size: '5000',
      balance: '500000',
      idrx: '1',
      want: ['4', '20', '15', '8', '47'],
    },
    {
      name: 'RESTRICT with a 20 bps base override',
      state: 'RESTRICT',
      m: '0',
      size: '5000',
      balance: '500000',
      override: '20',
      want: ['20', '20', '15', '0', '63'],
    },
    // 15 × 0.1 = 1.5 bps.
    {
      name: 'NORMAL IDRX +10%',
      state: 'NORMAL',
      m: '0',
      size: '5000',
      balance: '500000',
      idrx: '10',
      want: ['4', '0', '0.1', '1.5', '5.6'],
    },
    {
      name: 'PROTECT IDRX +10%: the skew is not scaled',
      state: 'PROTECT',
      m: '0',
      size: '5000',
      balance: '500000',
      idrx: '10',
      want: ['4', '0', '0.15', '1.5', '5.65'],
    },
    {
      name: 'NORMAL IDRX exactly +5%: dead zone',
      state: 'NORMAL',
      m: '0',
      size: '5000',
      balance: '500000',
      idrx: '5',
      want: ['4', '0', '0.1', '0', '4.1'],
    },
    {
      name: 'NORMAL IDRX +5.01%',
      state: 'NORMAL',
      m: '0',
      size: '5000',
      balance: '500000',
      idrx: '5.01',
      want: ['4', '0', '0.1', '0.7515', '4.8515'],
    },
    {
      name: 'NORMAL IDRX +25%',
      state: 'NORMAL',
      m: '0',
      size: '5000',
      balance: '500000',
      idrx: '25',
      want: ['4', '0', '0.1', '3.75', '7.85'],
    },
    // Beyond 25% the formula gives MaxSkew 8, but the mid moves by at most the rest of the spread
    // (4 + 0 + 0.1 = 4.1), so the favoured side is never better than the oracle mid: skew 4.1, total 8.2.
    {
      name: 'NORMAL IDRX +25.01%: MaxSkew, held to the rest of the spread',
      state: 'NORMAL',
      m: '0',
      size: '5000',
      balance: '500000',
      idrx: '25.01',
      want: ['4', '0', '0.1', '4.1', '8.2'],
    },
    // IDRX −30% drives (|−0.30| > |0.26|): IDRX short → mid down, beyond 25% → −8, held to −4.1.
    {
      name: 'NORMAL USDT +26%, IDRX −30%',
      state: 'NORMAL',
      m: '0',
      size: '5000',
      balance: '500000',
      usdt: '26',
      idrx: '-30',
      want: ['4', '0', '0.1', '-4.1', '8.2'],
    },
    {
      name: 'NORMAL 20 bps override replaces only the base',
      state: 'NORMAL',
      m: '10',
      size: '5000',
      balance: '500000',
      override: '20',
      want: ['20', '2.5', '0.1', '0', '22.6'],
    },
  ]
  for (const row of rows) {
    it(row.name, () => {
      const input = pricingInput('USD-IDR', {
        state: row.state,
        midMoveBps: r(row.m),
        basePool: pool('USDT', row.usdt ?? '0'),
        quotePool: pool('IDRX', row.idrx ?? '0'),
      })
      const got = spreadFor(
        input,
        r(row.size),
        r(row.balance),
        row.override === undefined ? undefined : r(row.override),
      )
      const [base, volatility, liquidity, skew, total] = row.want
      assert.deepEqual(got, {
        baseBps: r(base),
        volatilityBps: r(volatility),
        liquidityBps: r(liquidity),
        skewBps: r(skew),
        totalBps: r(total),
      })
    })
  }
})

describe('priceQuote: the USD-IDR SMALL worked example (SPEC §5)', () => {
  // SELL 5,000 USDT at mid 16,250, pools on target, NORMAL, no volatility.
  //   size $5,000 → SMALL: 5 bips, fixed 10,000 IDR; base spread 4 bps (no override).
  //   liquidity = 10 × 5,000 / 500,000 (IDRX Active, $) = 0.1 bps; skew 0; total 4.1 bps.
  //   bid = 16,250 × (1 − 4.1 / 20,000) = 16,250 − 3.33125 = 16,246.66875 (exact at 8 decimals, floor changes nothing)
  //   ask = 16,250 + 3.33125 = 16,253.33125
  //   gross = 5,000 × 16,246.66875 = 81,233,343.75 IDR = 8,123,334,375 cents
  //   variable = ceil(8,123,334,375 × 5 / 10,000) = ceil(4,061,667.1875) = 4,061,668 cents
  //   fixed = 10,000 IDR = 1,000,000 cents
  //   net = 8,123,334,375 − 4,061,668 − 1,000,000 = 8,118,272,707 cents = 81,182,727.07 IDR
  it('SELL 5,000 USDT → 81,182,727.07 IDR', () => {
    const q = quote('USD-IDR', { side: 'SELL', size: { kind: 'source', minor: USDT_5000 } })
    assert.equal(q.source.code, 'USDT')
    assert.equal(q.destination.code, 'IDRX')
    assert.deepEqual(q.mid, r('16250'))
    assert.deepEqual(q.adjustedMid, r('16250'))
    assert.deepEqual(q.spread, {
      baseBps: r('4'),
      volatilityBps: r('0'),
      liquidityBps: r('0.1'),
      skewBps: r('0'),
      totalBps: r('4.1'),
    })
    assert.deepEqual(q.bid, r('16246.66875'))
    assert.deepEqual(q.ask, r('16253.33125'))
    assert.deepEqual(q.fees, {
      tier: 'SMALL',
      fixedFeeMinor: 1_000_000n,
      variableFeeMinor: 4_061_668n,
      variableBips: r('5'),
    })
    assert.equal(q.sourceMinor, USDT_5000)
    assert.equal(q.grossDestinationMinor, 8_123_334_375n)
    assert.equal(q.destinationMinor, 8_118_272_707n)
    assert.deepEqual(q.sizeUsd, r('5000'))
  })

  // BUY with 81,250,000 IDR ($5,000): destination USDT pool $1,000,000 → liquidity 0.05; total 4.05.
  //   ask = 16,250 × (1 + 4.05 / 20,000) = 16,250 + 3.290625 = 16,253.290625; bid = 16,246.709375
  //   gross = 81,250,000 / 16,253.290625 = 4,998.98770409… USDT → 4,998,987,704 µUSDT
  //   variable = ceil(2,499,493.852) = 2,499,494; fixed 10,000 IDR / 16,250 = 0.6153846… → 615,385 µUSDT (up)
  //   net = 4,998,987,704 − 2,499,494 − 615,385 = 4,995,872,825 µUSDT
  it('BUY with 81,250,000 IDR → 4,995.872825 USDT; the 10,000 IDR fixed fee is converted at the oracle rate, rounded up', () => {
    const q = quote('USD-IDR', { side: 'BUY', size: { kind: 'source', minor: IDR_5000_USD } })
    assert.equal(q.source.code, 'IDRX')
    assert.equal(q.destination.code, 'USDT')
    assert.deepEqual(q.spread.liquidityBps, r('0.05'))
    assert.deepEqual(q.spread.totalBps, r('4.05'))
    assert.deepEqual(q.ask, r('16253.290625'))
    assert.deepEqual(q.bid, r('16246.709375'))
    assert.deepEqual(q.fees, {
      tier: 'SMALL',
      fixedFeeMinor: 615_385n,
      variableFeeMinor: 2_499_494n,
      variableBips: r('5'),
    })
    assert.equal(q.grossDestinationMinor, 4_998_987_704n)
    assert.equal(q.destinationMinor, 4_995_872_825n)
  })
})

describe('priceQuote: partner overrides and the fee tier multiplier (SPEC §5)', () => {
  const small = { side: 'SELL' as const, size: { kind: 'source' as const, minor: USDT_5000 } }
  const override = (variableBips: string | null, spreadBps: string | null) => [
    {
      corridor: 'USD-IDR' as const,
      tier: 'SMALL' as const,
      variableBips: variableBips === null ? null : r(variableBips),
      spreadBps: spreadBps === null ? null : r(spreadBps),
    },
  ]
  it('a 20 bps spread override for USD-IDR SMALL replaces only the base: total 20.1', () => {
    // bid = 16,250 × (1 − 20.1 / 20,000) = 16,250 − 16.33125 = 16,233.66875; ask 16,266.33125.
    // gross 5,000 × 16,233.66875 = 81,168,343.75 IDR; fee ceil(4,058,417.1875) = 4,058,418;
    // net 8,116,834,375 − 4,058,418 − 1,000,000 = 8,111,775,957.
    const q = quote('USD-IDR', { ...small, feeOverrides: override(null, '20') })
    assert.deepEqual(q.spread, {
      baseBps: r('20'),
      volatilityBps: r('0'),
      liquidityBps: r('0.1'),
      skewBps: r('0'),
      totalBps: r('20.1'),
    })
    assert.deepEqual(q.bid, r('16233.66875'))
    assert.deepEqual(q.ask, r('16266.33125'))
    assert.equal(q.grossDestinationMinor, 8_116_834_375n)
    assert.equal(q.fees.variableFeeMinor, 4_058_418n)
    assert.equal(q.destinationMinor, 8_111_775_957n)
  })

  it('a zero spread override means the corridor default (4 bps): the worked example again', () => {
    const q = quote('USD-IDR', { ...small, feeOverrides: override(null, '0') })
    assert.deepEqual(q.spread.baseBps, r('4'))
    assert.deepEqual(q.bid, r('16246.66875'))
    assert.equal(q.destinationMinor, 8_118_272_707n)
  })

  it('fee tier multiplier 0.3 scales the 5 bips to 1.5 and nothing else', () => {
    // fee = ceil(8,123,334,375 × 1.5 / 10,000) = ceil(1,218,500.15625) = 1,218,501;
    // net = 8,123,334,375 − 1,218,501 − 1,000,000 = 8,121,115,874.
    const q = quote('USD-IDR', { ...small, feeTierMultiplier: r('0.3') })
    assert.deepEqual(q.bid, r('16246.66875'))
    assert.deepEqual(q.fees, {
      tier: 'SMALL',
      fixedFeeMinor: 1_000_000n,
      variableFeeMinor: 1_218_501n,
      variableBips: r('1.5'),
    })
    assert.equal(q.destinationMinor, 8_121_115_874n)
  })

  it('a 2 bips variable override, then × 0.3 = 0.6 bips', () => {
    // fee = ceil(8,123,334,375 × 0.6 / 10,000) = ceil(487,400.0625) = 487,401; net = 8,121,846,974.
    const q = quote('USD-IDR', { ...small, feeOverrides: override('2', null), feeTierMultiplier: r('0.3') })
    assert.deepEqual(q.fees.variableBips, r('0.6'))
    assert.equal(q.fees.variableFeeMinor, 487_401n)
    assert.equal(q.destinationMinor, 8_121_846_974n)
  })

  it('an override for another tier leaves SMALL alone', () => {
    const q = quote('USD-IDR', {
      ...small,
      feeOverrides: [{ corridor: 'USD-IDR', tier: 'MEDIUM', variableBips: r('1'), spreadBps: r('20') }],
    })
    assert.deepEqual(q.spread.baseBps, r('4'))
    assert.deepEqual(q.fees.variableBips, r('5'))
  })
})

describe('priceQuote: fee tier boundaries and fixed fees in the destination currency (SPEC §5)', () => {
  // [corridor, side, size minor (source), tier, variable bips, fixed fee minor (destination)]
  // USD-IDR SELL: 10,000 IDR = 1,000,000 cents; $1 = 16,250 IDR = 1,625,000 cents.
  // USD-IDR BUY: 10,000 IDR = 0.6153846… USDT → 615,385 µUSDT; $1 = 1,000,000 µUSDT.
  // USD-SGD SELL: $0.50 = 0.65 SGD = 650,000 µSGD; $1 = 1.3 SGD. USD-SGD BUY: $0.50 = 500,000 µUSDT.
  // MYR-IDR SELL: $1 = 16,250 IDR; MYR-IDR BUY: $1 = 4.0625 MYR = 4,062,500,000,000,000,000 wei.
  const rows: [CorridorId, Side, bigint, FeeTier, string, bigint][] = [
    ['USD-IDR', 'SELL', 999_990_000n, 'MICRO', '8', 1_000_000n], // $999.99
    ['USD-IDR', 'SELL', 1_000_000_000n, 'SMALL', '5', 1_000_000n], // $1,000
    ['USD-IDR', 'SELL', 9_999_990_000n, 'SMALL', '5', 1_000_000n], // $9,999.99
    ['USD-IDR', 'SELL', 10_000_000_000n, 'MEDIUM', '3', 1_625_000n], // $10,000
    ['USD-IDR', 'SELL', 49_999_990_000n, 'MEDIUM', '3', 1_625_000n], // $49,999.99
    ['USD-IDR', 'SELL', 50_000_000_000n, 'LARGE', '2', 1_625_000n], // $50,000
    ['USD-IDR', 'SELL', 199_999_990_000n, 'LARGE', '2', 1_625_000n], // $199,999.99
    ['USD-IDR', 'SELL', 200_000_000_000n, 'INSTITUTIONAL', '1', 0n], // $200,000
    ['USD-IDR', 'BUY', 1_624_983_750n, 'MICRO', '8', 615_385n], // 16,249,837.50 IDR = $999.99
    ['USD-IDR', 'BUY', 1_625_000_000n, 'SMALL', '5', 615_385n], // 16,250,000 IDR = $1,000
    ['USD-IDR', 'BUY', 16_250_000_000n, 'MEDIUM', '3', 1_000_000n], // $10,000
    ['USD-SGD', 'SELL', 999_990_000n, 'MICRO', '8', 650_000n],
    ['USD-SGD', 'SELL', 1_000_000_000n, 'SMALL', '5', 1_300_000n],
    ['USD-SGD', 'BUY', 1_299_987_000n, 'MICRO', '8', 500_000n], // 1,299.987 SGD = $999.99
    ['USD-SGD', 'BUY', 1_300_000_000n, 'SMALL', '5', 1_000_000n], // 1,300 SGD = $1,000
    ['MYR-IDR', 'SELL', 4_062_500_000_000_000_000_000n, 'SMALL', '5', 1_625_000n], // 4,062.5 MYR = $1,000
    ['MYR-IDR', 'BUY', 1_625_000_000n, 'SMALL', '5', 4_062_500_000_000_000_000n], // 16,250,000 IDR = $1,000
  ]
  for (const [corridor, side, minor, tier, bips, fixed] of rows) {
    it(`${corridor} ${side} ${minor} → ${tier}, ${bips} bips, fixed ${fixed}`, () => {
      const q = quote(corridor, { side, size: { kind: 'source', minor } })
      assert.equal(q.fees.tier, tier)
      assert.deepEqual(q.fees.variableBips, r(bips))
      assert.equal(q.fees.fixedFeeMinor, fixed)
      assert.equal(q.destinationMinor, q.grossDestinationMinor - q.fees.variableFeeMinor - fixed)
    })
  }
})

describe('priceQuote: executable rates rounded to 8 decimals in the pools’ favour (bid floor, ask ceil)', () => {
  it('USD-SGD SELL 333 USDT: bid 1.2998695671 → 1.29986956, ask 1.3001304329 → 1.30013044', () => {
    // liquidity = 10 × 333 / 500,000 = 0.00666 bps; total 2.00666; half = 0.000100333.
    // bid = 1.3 × (1 − 0.000100333) = 1.2998695671 → floor 1.29986956
    // ask = 1.3 × (1 + 0.000100333) = 1.3001304329 → ceil 1.30013044
    // MICRO: gross 333 × 1.29986956 = 432.85656348 SGD → 432,856,563 µSGD;
    // fee ceil(346,285.2504) = 346,286; fixed $0.50 = 650,000 µSGD; net 431,860,277.
    const q = quote('USD-SGD', { side: 'SELL', size: { kind: 'source', minor: 333_000_000n } })
    assert.deepEqual(q.spread.totalBps, r('2.00666'))
    assert.deepEqual(q.bid, r('1.29986956'))
    assert.deepEqual(q.ask, r('1.30013044'))
    assert.equal(q.grossDestinationMinor, 432_856_563n)
    assert.equal(q.fees.variableFeeMinor, 346_286n)
    assert.equal(q.destinationMinor, 431_860_277n)
  })

  it('USD-IDR BUY, IDRX +10%: ask 16,256.94755140625 → 16,256.94755141, bid …859375 → …859', () => {
    // skew +1.5 (15 × 0.1); adjusted mid = 16,250 × 1.00015 = 16,252.4375.
    // Destination USDT on target: liquidity 0.05. Total 4 + 0.05 + 1.5 = 5.55; half 0.0002775.
    // ask = 16,252.4375 + 4.51005140625 = 16,256.94755140625 → ceil 16,256.94755141
    // bid = 16,252.4375 − 4.51005140625 = 16,247.92744859375 → floor 16,247.92744859
    // gross = 81,250,000 / 16,256.94755141 → 4,997,863,205 µUSDT; fee ceil(2,498,931.6025) = 2,498,932;
    // net = 4,997,863,205 − 2,498,932 − 615,385 = 4,994,748,888.
    const q = quote('USD-IDR', {
      side: 'BUY',
      size: { kind: 'source', minor: IDR_5000_USD },
      quotePool: pool('IDRX', '10'),
    })
    assert.deepEqual(q.adjustedMid, r('16252.4375'))
    assert.deepEqual(q.ask, r('16256.94755141'))
    assert.deepEqual(q.bid, r('16247.92744859'))
    assert.equal(q.grossDestinationMinor, 4_997_863_205n)
    assert.equal(q.destinationMinor, 4_994_748_888n)
  })

  const roundRows: [Ratio, string, string][] = [
    [ratio(1n, 3n), '0.33333333', '0.33333334'],
    [ratio(2n, 3n), '0.66666666', '0.66666667'],
    [r('16246.66875'), '16246.66875', '16246.66875'],
    [r('1.123456789'), '1.12345678', '1.12345679'],
    [r('1.12345678'), '1.12345678', '1.12345678'],
    [r('1.123456780000000001'), '1.12345678', '1.12345679'],
  ]
  for (const [rate, floor, ceil] of roundRows) {
    it(`roundRate(${rate.num}/${rate.den}): floor ${floor}, ceil ${ceil}`, () => {
      assert.deepEqual(roundRate(rate, 'floor'), r(floor))
      assert.deepEqual(roundRate(rate, 'ceil'), r(ceil))
    })
  }
})

describe('priceQuote: the skew sign rule (SPEC §5), pinned', () => {
  it('Active IDRX above target → mid moves UP, and the partner selling USD is paid more IDR', () => {
    // SELL 5,500 USDT, IDRX +10%: skew +1.5; destination IDRX holds $550,000 → liquidity 10 × 5,500 / 550,000 = 0.1.
    // adjusted mid 16,252.4375; total 5.6; half 0.00028 → bid 16,252.4375 − 4.5506825 = 16,247.8868175 > 16,246.66875
    // (on target); ask 16,256.9881825. gross 5,500 × 16,247.8868175 = 89,363,377.49625 IDR → 8,936,337,749 cents;
    // fee ceil(4,468,168.8745) = 4,468,169; net 8,936,337,749 − 4,468,169 − 1,000,000 = 8,930,869,580.
    const q = quote('USD-IDR', {
      side: 'SELL',
      size: { kind: 'source', minor: 5_500_000_000n },
      quotePool: pool('IDRX', '10'),
    })
    assert.deepEqual(q.spread.skewBps, r('1.5'))
    assert.deepEqual(q.adjustedMid, r('16252.4375'))
    assert.ok(cmp(q.adjustedMid, q.mid) > 0)
    assert.deepEqual(q.bid, r('16247.8868175'))
    assert.deepEqual(q.ask, r('16256.9881825'))
    assert.equal(q.destinationMinor, 8_930_869_580n)
  })

  it('Active USDT above target → mid moves DOWN', () => {
    // SELL 5,000 USDT, USDT +10%: skew −1.5; adjusted mid 16,250 × 0.99985 = 16,247.5625.
    // Destination IDRX on target: liquidity 0.1; total 4 + 0.1 + 1.5 = 5.6; half 0.00028.
    // bid = 16,247.5625 − 4.5493175 = 16,243.0131825; ask = 16,252.1118175.
    const q = quote('USD-IDR', {
      side: 'SELL',
      size: { kind: 'source', minor: USDT_5000 },
      basePool: pool('USDT', '10'),
    })
    assert.deepEqual(q.spread.skewBps, r('-1.5'))
    assert.deepEqual(q.adjustedMid, r('16247.5625'))
    assert.ok(cmp(q.adjustedMid, q.mid) < 0)
    assert.deepEqual(q.bid, r('16243.0131825'))
    assert.deepEqual(q.ask, r('16252.1118175'))
  })

  it('the larger |IR| drives: USDT +20% (down) beats IDRX +10% (up)', () => {
    // skew −3 (15 × 0.2); adjusted mid 16,250 × 0.9997 = 16,245.125. SELL 5,500 USDT, IDRX holds $550,000:
    // liquidity 0.1; total 4 + 0.1 + 3 = 7.1; half 0.000355; 16,245.125 × 0.000355 = 5.767019375.
    // bid = 16,239.357980625 → floor 16,239.35798062; ask = 16,250.892019375 → ceil 16,250.89201938.
    const q = quote('USD-IDR', {
      side: 'SELL',
      size: { kind: 'source', minor: 5_500_000_000n },
      basePool: pool('USDT', '20'),
      quotePool: pool('IDRX', '10'),
    })
    assert.deepEqual(q.spread.skewBps, r('-3'))
    assert.deepEqual(q.adjustedMid, r('16245.125'))
    assert.deepEqual(q.bid, r('16239.35798062'))
    assert.deepEqual(q.ask, r('16250.89201938'))
  })

  it('exactly 5% off target is inside the dead zone: no skew', () => {
    const q = quote('USD-IDR', {
      side: 'BUY',
      size: { kind: 'source', minor: IDR_5000_USD },
      quotePool: pool('IDRX', '5'),
    })
    assert.deepEqual(q.spread.skewBps, r('0'))
    assert.deepEqual(q.adjustedMid, r('16250'))
  })

  it('the skew never lifts the bid above the oracle mid, however large it is (USD-SGD, tnSGD +25%)', () => {
    // USD-SGD PROTECT, tnSGD +25% (812,500 SGD = $625,000), SELL 1,000 USDT. The formula gives 12 × 0.25 = +3,
    // but the rest of the spread is 2 + 0.016 × 1.5 = 2.024, so the mid moves +2.024 and the total is 4.048.
    // adjusted mid 1.3 × 1.0002024 = 1.30026312; bid = 1.30026312 × (1 − 0.0002024) = 1.2999999467… → 1.29999994 < 1.3.
    const q = quote('USD-SGD', {
      side: 'SELL',
      state: 'PROTECT',
      size: { kind: 'source', minor: 1_000_000_000n },
      quotePool: pool('tnSGD', '25'),
    })
    assert.deepEqual(q.spread.skewBps, r('2.024'))
    assert.deepEqual(q.adjustedMid, r('1.30026312'))
    assert.deepEqual(q.bid, r('1.29999994'))
    assert.ok(cmp(q.bid, q.mid) < 0)
  })
})

describe('priceQuote: state multipliers reach the rates (SPEC §5)', () => {
  const rows: [RiskState, string, string, string, string][] = [
    // NORMAL m 10: 4 + 2.5 + 0.1 = 6.6 → ±16,250 × 0.00033 = ±5.3625.
    ['NORMAL', '10', '6.6', '16244.6375', '16255.3625'],
    // PROTECT m 10: 4 + 3.75 + 0.15 = 7.9 → ±6.41875.
    ['PROTECT', '10', '7.9', '16243.58125', '16256.41875'],
    // RESTRICT: 4 + 20 + 15 + 8 = 47 → ±38.1875, whatever the volatility.
    ['RESTRICT', '0', '47', '16211.8125', '16288.1875'],
  ]
  for (const [state, m, total, bid, ask] of rows) {
    it(`${state}: total ${total} bps, bid ${bid}, ask ${ask}`, () => {
      const q = quote('USD-IDR', {
        state,
        midMoveBps: r(m),
        side: 'SELL',
        size: { kind: 'source', minor: USDT_5000 },
      })
      assert.deepEqual(q.spread.totalBps, r(total))
      assert.deepEqual(q.bid, r(bid))
      assert.deepEqual(q.ask, r(ask))
    })
  }
})

describe('priceQuote: fixed-receive quotes (SPEC §1 [ours])', () => {
  it('receive exactly 81,250,000 IDR: the minimal USDT source', () => {
    // The liquidity add-on is sized on the requested $5,000 → 0.1 bps; bid 16,246.66875 as in the worked example.
    // Gross needed ceil((8,125,000,000 + 1,000,000) / 0.9995) = 8,130,065,033 cents;
    // source ceil(8,130,065,033 / 100 / 16,246.66875 × 10^6) = 5,004,142,793 µUSDT ($5,004.142793, SMALL).
    const q = quote('USD-IDR', { side: 'SELL', size: { kind: 'destination', minor: IDR_5000_USD } })
    assert.deepEqual(q.bid, r('16246.66875'))
    assert.equal(q.fees.tier, 'SMALL')
    assert.equal(q.sourceMinor, 5_004_142_793n)
    assert.equal(q.grossDestinationMinor, 8_130_065_033n)
    assert.equal(q.fees.variableFeeMinor, 4_065_033n)
    assert.equal(q.destinationMinor, 8_125_000_000n)
    assert.deepEqual(q.sizeUsd, r('5004.142793'))
  })

  it('a fixed-receive quote whose source lands at $10,000 or more is priced in MEDIUM, not SMALL', () => {
    // The tiers oscillate (SMALL fees need ≥ $10,000 of source, MEDIUM fees need less); SPEC §5 "by USD size,
    // min inclusive" makes the tier boundary itself the answer.
    // Asking for 162,375,000 IDR ($9,992.31): SMALL fees (5 bips + 10,000 IDR) need 10,000.022027 USDT, MEDIUM fees
    // (3 bips + $1) need less than $10,000, so the least source that reaches the amount is exactly $10,000 in MEDIUM:
    // bid 16,250 × (1 − 4.2 / 20,000) = 16,246.5875; gross 162,465,875 IDR; fee ceil(4,873,976.25) = 4,873,977 cents;
    // fixed 1,625,000 cents; net 16,240,088,523 cents ≥ 16,237,500,000 asked.
    const q = quote('USD-IDR', { side: 'SELL', size: { kind: 'destination', minor: 16_237_500_000n } })
    assert.equal(feeTierFor(q.sizeUsd), q.fees.tier, 'the tier must follow the source size')
    assert.equal(q.fees.tier, 'MEDIUM')
    assert.equal(q.sourceMinor, 10_000_000_000n)
    assert.ok(q.destinationMinor >= 16_237_500_000n)
  })
})

describe('priceQuote: an amount that does not cover the fees', () => {
  it('SELL 0.5 USDT: net 812,337 − 650 − 1,000,000 = −188,313 cents → BELOW_MIN_TRANSACTION_SIZE', () => {
    // liquidity 0.00001 bps; bid 16,250 × (1 − 4.00001 / 20,000) = 16,246.749991875 → 16,246.74999187;
    // gross 0.5 × 16,246.74999187 = 8,123.374995935 IDR → 812,337 cents; MICRO fee ceil(649.8696) = 650.
    assert.equal(
      failureCode(priceQuote(pricingInput('USD-IDR', { size: { kind: 'source', minor: 500_000n } }))),
      'BELOW_MIN_TRANSACTION_SIZE',
    )
  })

  it('SELL 1 USDT: net 1,624,674 − 1,300 − 1,000,000 = 623,374 cents', () => {
    // bid 16,250 × (1 − 4.00002 / 20,000) = 16,246.74998375; gross 1,624,674.998375 → floor 1,624,674 cents;
    // MICRO fee ceil(1,299.7392) = 1,300.
    const q = quote('USD-IDR', { size: { kind: 'source', minor: 1_000_000n } })
    assert.deepEqual(q.bid, r('16246.74998375'))
    assert.equal(q.grossDestinationMinor, 1_624_674n)
    assert.equal(q.destinationMinor, 623_374n)
  })
})

describe('priceQuote properties', () => {
  const corridor = fc.constantFrom<CorridorId>('USD-IDR', 'USD-SGD', 'MYR-IDR')
  const state = fc.constantFrom<RiskState>('NORMAL', 'PROTECT', 'RESTRICT')
  const side = fc.constantFrom<Side>('SELL', 'BUY')
  const offset = fc.integer({ min: -6_000, max: 6_000 }).map((n) => (n / 100).toFixed(2))
  const assetOf: Record<string, AssetCode> = { USD: 'USDT', IDR: 'IDRX', SGD: 'tnSGD', MYR: 'MYRC' }

  it('bid < adjusted mid < ask, and the partner never receives more than the adjusted-mid value of its source', () => {
    fc.assert(
      fc.property(
        corridor,
        state,
        side,
        offset,
        offset,
        fc.integer({ min: 0, max: 20_000 }).map((n) => ratio(BigInt(n), 100n)),
        fc.bigInt({ min: 10n, max: 200_000n }),
        fc.constantFrom('1', '0.3', '0.5'),
        (id, s, sd, baseOff, quoteOff, move, usd, multiplier) => {
          const [base, quoteFiat] = id.split('-') as [string, string]
          const input = pricingInput(id, {
            state: s,
            side: sd,
            midMoveBps: move,
            basePool: pool(assetOf[base]!, baseOff),
            quotePool: pool(assetOf[quoteFiat]!, quoteOff),
            feeTierMultiplier: r(multiplier),
          })
          const source = ASSETS[sd === 'SELL' ? assetOf[base]! : assetOf[quoteFiat]!]
          // `usd` dollars' worth of the source asset.
          const minor = scale(usd * pow10(source.decimals), fiatPerUsd(source.fiat), 'floor')
          const result = priceQuote({ ...input, size: { kind: 'source', minor } })
          if (!result.ok) return
          const q = result.value
          assert.ok(cmp(q.bid, q.adjustedMid) < 0, 'bid ≥ adjusted mid')
          assert.ok(cmp(q.adjustedMid, q.ask) < 0, 'adjusted mid ≥ ask')
          // Destination units per source unit at the adjusted mid.
          const perSource = sd === 'SELL' ? q.adjustedMid : ratio(q.adjustedMid.den, q.adjustedMid.num)
          const fair = mul(
            mul(ratio(minor), perSource),
            ratio(pow10(q.destination.decimals), pow10(q.source.decimals)),
          )
          assert.ok(cmp(ratio(q.grossDestinationMinor), fair) <= 0, 'gross above the adjusted-mid value')
          assert.ok(q.destinationMinor < q.grossDestinationMinor)
          assert.equal(q.fees.tier, feeTierFor(q.sizeUsd))
        },
      ),
      { numRuns: 300 },
    )
  })
})
