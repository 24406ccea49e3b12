import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { CORRIDORS, type CorridorConfig, type CorridorId } from '../../src/config/corridors.ts'
import { PRICING } from '../../src/config/pricing.ts'
import { abs, cmp, neg, type Ratio, r, ratio, ZERO } from '../../src/money/ratio.ts'
import { drivingInventoryRatio, inventoryRatio, restrictSkewBps, skewBps } from '../../src/pricing/skew.ts'

describe('inventoryRatio (SPEC §5: IR = (current − target) / target, a fraction)', () => {
  const rows: [string, bigint, bigint, string][] = [
    ['on target', 500n, 500n, '0'],
    ['5% above', 525n, 500n, '0.05'],
    ['5% below', 475n, 500n, '-0.05'],
    ['25% above', 625n, 500n, '0.25'],
    ['empty pool', 0n, 500n, '-1'],
    ['twice the target', 1000n, 500n, '1'],
    ['no target counts as on target', 123n, 0n, '0'],
    // IDRX Active: 8,125,000,000 IDR (in cents) target, 10% long.
    ['IDRX 10% long, in smallest units', 893_750_000_000n, 812_500_000_000n, '0.1'],
  ]
  for (const [name, balance, target, want] of rows) {
    it(`${name}: (${balance} − ${target}) / ${target} = ${want}`, () => {
      assert.deepEqual(inventoryRatio({ balance, target }), r(want))
    })
  }
})

describe('drivingInventoryRatio: the larger |IR| drives, signed "+ = mid up" (SPEC §5 sign rule)', () => {
  // base = USDT (the corridor's BASE pool), quote = IDRX (its QUOTE pool), each as balance/target of 100.
  // IDRX long → more IDR per USD → +; USDT long → USD cheaper → −.
  const rows: [string, bigint, bigint, string][] = [
    ['both on target', 100n, 100n, '0'],
    ['IDRX 10% above target → mid up (+)', 100n, 110n, '0.1'],
    ['IDRX 10% below target → mid down (−)', 100n, 90n, '-0.1'],
    ['USDT 10% above target → mid down (−)', 110n, 100n, '-0.1'],
    ['USDT 10% below target → mid up (+)', 90n, 100n, '0.1'],
    ['USDT +10%, IDRX +20%: IDRX is larger and drives (+0.2)', 110n, 120n, '0.2'],
    ['USDT +30%, IDRX −10%: USDT is larger and drives (−0.3)', 130n, 90n, '-0.3'],
    ['USDT −12%, IDRX +3%: USDT drives (+0.12)', 88n, 103n, '0.12'],
    ['tie |+10%| and |+10%|: the QUOTE pool drives (+0.1)', 110n, 110n, '0.1'],
    ['tie USDT +10%, IDRX −10%: both say down (−0.1)', 110n, 90n, '-0.1'],
  ]
  for (const [name, base, quote, want] of rows) {
    it(name, () => {
      assert.deepEqual(
        drivingInventoryRatio({ balance: base, target: 100n }, { balance: quote, target: 100n }),
        r(want),
      )
    })
  }
})

describe('skewBps (SPEC §5: clamp(k × IR, ±MaxSkew), 0 in the dead zone, MaxSkew beyond 25%)', () => {
  // USD-IDR: dead zone 5%, k = 15, MaxSkew 8 bps. k × IR with IR a fraction: 15 × 0.0501 = 0.7515 bps.
  // USD-SGD: dead zone 3%, k = 12, MaxSkew 5. MYR-IDR: dead zone 7%, k = 20, MaxSkew 12.
  const rows: [CorridorId, string, string][] = [
    ['USD-IDR', '0', '0'],
    ['USD-IDR', '0.0499', '0'],
    ['USD-IDR', '0.05', '0'], // exactly at the dead zone: no skew
    ['USD-IDR', '-0.05', '0'],
    ['USD-IDR', '0.0501', '0.7515'], // just beyond: 15 × 0.0501
    ['USD-IDR', '-0.0501', '-0.7515'],
    ['USD-IDR', '0.1', '1.5'],
    ['USD-IDR', '-0.1', '-1.5'],
    ['USD-IDR', '0.2499', '3.7485'],
    ['USD-IDR', '0.25', '3.75'], // exactly 25% is still "within": 15 × 0.25
    ['USD-IDR', '0.2501', '8'], // beyond 25%: MaxSkew with its sign
    ['USD-IDR', '-0.25', '-3.75'],
    ['USD-IDR', '-0.2501', '-8'],
    ['USD-IDR', '1', '8'],
    ['USD-IDR', '-1', '-8'],
    ['USD-SGD', '0.03', '0'],
    ['USD-SGD', '0.0301', '0.3612'], // 12 × 0.0301
    ['USD-SGD', '-0.0301', '-0.3612'],
    ['USD-SGD', '0.25', '3'],
    ['USD-SGD', '0.2501', '5'],
    ['USD-SGD', '-0.2501', '-5'],
    ['MYR-IDR', '0.07', '0'],
    ['MYR-IDR', '0.0701', '1.402'], // 20 × 0.0701
    ['MYR-IDR', '0.25', '5'],
    ['MYR-IDR', '0.2501', '12'],
    ['MYR-IDR', '-0.2501', '-12'],
  ]
  for (const [corridor, ir, want] of rows) {
    it(`${corridor} IR ${ir} → ${want} bps`, () => {
      assert.deepEqual(skewBps(r(ir), CORRIDORS[corridor], PRICING.skewFullPct), r(want))
    })
  }

  // With the SPEC's k and MaxSkew, k × 25% stays below MaxSkew in every corridor, so the clamp
  // only shows with a steeper k. A k of 100 on the USD-IDR table: 100 × 0.07 = 7, 100 × 0.08 = 8, 100 × 0.09 → 8.
  const steep: CorridorConfig = { ...CORRIDORS['USD-IDR'], skewK: '100' }
  const clampRows: [string, string][] = [
    ['0.07', '7'],
    ['0.08', '8'], // exactly MaxSkew
    ['0.0801', '8'], // 8.01 clamped
    ['0.2', '8'],
    ['-0.0801', '-8'],
    ['-0.2', '-8'],
  ]
  for (const [ir, want] of clampRows) {
    it(`MaxSkew clamp: k = 100, IR ${ir} → ${want} bps`, () => {
      assert.deepEqual(skewBps(r(ir), steep, PRICING.skewFullPct), r(want))
    })
  }

  it('reads the 25% rule from its argument', () => {
    assert.deepEqual(skewBps(r('0.2'), CORRIDORS['USD-IDR'], '25'), r('3'))
    assert.deepEqual(skewBps(r('0.2'), CORRIDORS['USD-IDR'], '15'), r('8'))
  })
})

describe('restrictSkewBps (RESTRICT: MaxSkew in the driving direction)', () => {
  const rows: [CorridorId, string, string][] = [
    ['USD-IDR', '0', '0'],
    ['USD-IDR', '0.01', '8'],
    ['USD-IDR', '-0.01', '-8'],
    ['USD-IDR', '0.5', '8'],
    ['USD-SGD', '-0.3', '-5'],
    ['MYR-IDR', '0.001', '12'],
  ]
  for (const [corridor, ir, want] of rows) {
    it(`${corridor} IR ${ir} → ${want}`, () => {
      assert.deepEqual(restrictSkewBps(r(ir), CORRIDORS[corridor]), r(want))
    })
  }
})

describe('skew properties', () => {
  const corridor = fc.constantFrom<CorridorId>('USD-IDR', 'USD-SGD', 'MYR-IDR')
  // IR in [−2, 2] with 6 decimals.
  const ir = fc.integer({ min: -2_000_000, max: 2_000_000 }).map((n) => ratio(BigInt(n), 1_000_000n))

  it('|skew| ≤ MaxSkew, the sign follows IR, and it is zero exactly inside the dead zone', () => {
    fc.assert(
      fc.property(corridor, ir, (id, x) => {
        const config = CORRIDORS[id]
        const skew = skewBps(x, config, PRICING.skewFullPct)
        assert.ok(cmp(abs(skew), r(config.maxSkewBps)) <= 0)
        assert.ok(skew.num === 0n || skew.num < 0n === x.num < 0n)
        const inDeadZone =
          cmp(abs(x), ratio(r(config.skewDeadZonePct).num, r(config.skewDeadZonePct).den * 100n)) <= 0
        assert.equal(skew.num === 0n, inDeadZone)
      }),
      { numRuns: 300 },
    )
  })

  it('is monotone in IR and odd (skew(−IR) = −skew(IR))', () => {
    fc.assert(
      fc.property(corridor, ir, ir, (id, a, b) => {
        const config = CORRIDORS[id]
        const [lo, hi] = cmp(a, b) <= 0 ? [a, b] : [b, a]
        assert.ok(cmp(skewBps(lo, config, '25'), skewBps(hi, config, '25')) <= 0)
        assert.deepEqual(skewBps(neg(a), config, '25'), neg(skewBps(a, config, '25')))
      }),
      { numRuns: 300 },
    )
  })

  it('the driving IR is the one with the larger magnitude, signed by the SPEC §5 rule', () => {
    const level = fc.bigInt({ min: 0n, max: 3_000n })
    fc.assert(
      fc.property(level, level, (base, quote) => {
        const target = 1_000n
        const baseIr = ratio(base - target, target)
        const quoteIr = ratio(quote - target, target)
        const driving: Ratio = drivingInventoryRatio({ balance: base, target }, { balance: quote, target })
        // The magnitude is the larger of the two.
        const larger = cmp(abs(quoteIr), abs(baseIr)) >= 0 ? abs(quoteIr) : abs(baseIr)
        assert.deepEqual(abs(driving), larger)
        // IDRX (QUOTE) long or USDT (BASE) short → mid up; the opposite → mid down.
        if (cmp(abs(quoteIr), abs(baseIr)) > 0) assert.equal(driving.num > 0n, quote > target)
        if (cmp(abs(baseIr), abs(quoteIr)) > 0) assert.equal(driving.num > 0n, base < target)
        if (base === target && quote === target) assert.deepEqual(driving, ZERO)
      }),
      { numRuns: 300 },
    )
  })
})
