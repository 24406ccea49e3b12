import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { convert, invertPrice, price } from '../../src/money/amount.ts'
import {
  add,
  bps,
  clamp,
  cmp,
  div,
  formatRatio,
  mul,
  parseRatio,
  percent,
  r,
  ratio,
  scale,
  sub,
} from '../../src/money/ratio.ts'

describe('ratio', () => {
  it('reduces and keeps the denominator positive', () => {
    assert.deepEqual(ratio(6n, -4n), { num: -3n, den: 2n })
    assert.deepEqual(ratio(0n, 7n), { num: 0n, den: 1n })
  })

  it('adds, subtracts, multiplies and divides exactly', () => {
    assert.deepEqual(add(r('0.1'), r('0.2')), r('0.3'))
    assert.deepEqual(sub(r('1'), r('0.0004')), r('0.9996'))
    assert.deepEqual(mul(r('16250'), bps(4n)), r('6.5'))
    assert.deepEqual(div(r('1'), r('3')), { num: 1n, den: 3n })
  })

  it('gives the same reduced ratio as the textbook formulas (operands cancelled first)', () => {
    const anyRatio = fc
      .tuple(fc.bigInt(-(10n ** 30n), 10n ** 30n), fc.bigInt(1n, 10n ** 24n), fc.bigInt(1n, 1000n))
      .map(([num, den, shared]) => ratio(num * shared, den * shared))
    fc.assert(
      fc.property(anyRatio, anyRatio, (a, b) => {
        assert.deepEqual(add(a, b), ratio(a.num * b.den + b.num * a.den, a.den * b.den))
        assert.deepEqual(sub(a, b), ratio(a.num * b.den - b.num * a.den, a.den * b.den))
        assert.deepEqual(mul(a, b), ratio(a.num * b.num, a.den * b.den))
        if (b.num !== 0n) assert.deepEqual(div(a, b), ratio(a.num * b.den, a.den * b.num))
      }),
      { numRuns: 2000 },
    )
    assert.deepEqual(add(r('0.25'), r('-0.25')), { num: 0n, den: 1n })
    assert.deepEqual(mul(r('0'), r('0.3')), { num: 0n, den: 1n })
    assert.deepEqual(div(r('1.5'), r('-0.75')), { num: -2n, den: 1n })
  })

  it('compares and clamps', () => {
    assert.equal(cmp(r('0.3'), r('0.30')), 0)
    assert.equal(cmp(r('-1'), r('0.5')), -1)
    assert.deepEqual(clamp(r('12'), r('-8'), r('8')), r('8'))
    assert.deepEqual(clamp(r('-12'), r('-8'), r('8')), r('-8'))
  })

  it('parses decimals strictly', () => {
    assert.deepEqual(parseRatio('16250.5'), { num: 32501n, den: 2n })
    assert.deepEqual(parseRatio('-0.25'), { num: -1n, den: 4n })
    assert.equal(parseRatio('1e3'), undefined)
    assert.equal(parseRatio('0x10'), undefined)
    assert.equal(parseRatio(''), undefined)
    assert.throws(() => r('1.2.3'), RangeError)
  })

  it('formats with a named rounding', () => {
    assert.equal(formatRatio(div(r('1'), r('3')), 6, 'floor'), '0.333333')
    assert.equal(formatRatio(div(r('1'), r('3')), 6, 'ceil'), '0.333334')
    assert.equal(formatRatio(div(r('-1'), r('3')), 2, 'floor'), '-0.34')
    assert.equal(formatRatio(r('16250'), 4, 'floor'), '16250')
  })

  it('scales integers by basis points and percentages', () => {
    assert.equal(scale(1_000_000n, bps(5n), 'floor'), 500n)
    assert.equal(scale(999n, percent(90n), 'floor'), 899n)
    assert.equal(scale(999n, percent(90n), 'ceil'), 900n)
  })
})

describe('price', () => {
  const usdt = { code: 'USDT', decimals: 6 } as const
  const idrx = { code: 'IDRX', decimals: 2 } as const
  const myrc = { code: 'MYRC', decimals: 18 } as const

  it('converts across decimals: 1000 USDT at 16250.5 is 16,250,500 IDRX', () => {
    const p = price(usdt, idrx, r('16250.5'))
    assert.deepEqual(convert(p, { asset: 'USDT', minor: 1_000_000_000n }, 'floor'), {
      asset: 'IDRX',
      minor: 1_625_050_000n,
    })
  })

  it('converts to an 18-decimal asset beyond 2^64 exactly', () => {
    const p = price(usdt, myrc, r('4.2'))
    assert.deepEqual(convert(p, { asset: 'USDT', minor: 5_000_000_000_000n }, 'floor'), {
      asset: 'MYRC',
      minor: 21_000_000n * 10n ** 18n,
    })
  })

  it('inverts: 16250 IDRX buys 1 USDT', () => {
    const p = invertPrice(price(usdt, idrx, r('16250')))
    assert.deepEqual(convert(p, { asset: 'IDRX', minor: 1_625_000n }, 'floor'), {
      asset: 'USDT',
      minor: 1_000_000n,
    })
  })

  it('refuses an amount of the wrong asset and a non-positive price', () => {
    assert.throws(() => convert(price(usdt, idrx, r('1')), { asset: 'IDRX', minor: 1n }, 'floor'), TypeError)
    assert.throws(() => price(usdt, idrx, r('0')), RangeError)
  })
})
