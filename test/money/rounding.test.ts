import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { convert, price } from '../../src/money/amount.ts'
import { r } from '../../src/money/ratio.ts'
import { divide, mulDiv } from '../../src/money/rounding.ts'

describe('divide and mulDiv', () => {
  const cases: [bigint, bigint, 'floor' | 'ceil', bigint][] = [
    [7n, 2n, 'floor', 3n],
    [7n, 2n, 'ceil', 4n],
    [-7n, 2n, 'floor', -4n],
    [-7n, 2n, 'ceil', -3n],
    [7n, -2n, 'floor', -4n],
    [-7n, -2n, 'ceil', 4n],
    [6n, 3n, 'floor', 2n],
    [6n, 3n, 'ceil', 2n],
    [0n, 5n, 'ceil', 0n],
  ]
  for (const [n, d, rounding, expected] of cases) {
    it(`${n} / ${d} rounded ${rounding} is ${expected}`, () => {
      assert.equal(divide(n, d, rounding), expected)
    })
  }

  it('mulDiv keeps the full product before dividing', () => {
    assert.equal(mulDiv(2n ** 127n, 3n, 2n ** 64n, 'floor'), 3n * 2n ** 63n)
    assert.equal(mulDiv(10n, 1n, 3n, 'floor'), 3n)
    assert.equal(mulDiv(10n, 1n, 3n, 'ceil'), 4n)
  })

  it('refuses to divide by zero', () => {
    assert.throws(() => divide(1n, 0n, 'floor'), RangeError)
  })
})

describe('rounding never favours the counterparty', () => {
  const big = fc.bigInt({ min: -(2n ** 130n), max: 2n ** 130n })
  const positive = fc.bigInt({ min: 1n, max: 2n ** 130n })

  it('floor is at most the exact quotient and less than one unit below it', () => {
    fc.assert(
      fc.property(big, big, positive, (a, b, c) => {
        const q = mulDiv(a, b, c, 'floor')
        // q ≤ ab/c < q + 1, in integers: qc ≤ ab < (q + 1)c
        assert.ok(q * c <= a * b && a * b < (q + 1n) * c)
      }),
      { numRuns: 2_000 },
    )
  })

  it('ceil is at least the exact quotient and less than one unit above it', () => {
    fc.assert(
      fc.property(big, big, positive, (a, b, c) => {
        const q = mulDiv(a, b, c, 'ceil')
        assert.ok(q * c >= a * b && a * b > (q - 1n) * c)
      }),
      { numRuns: 2_000 },
    )
  })

  it('what a partner receives (floor) never exceeds the exact value, what it pays (ceil) never falls short', () => {
    const usdt = { code: 'USDT', decimals: 6 }
    const idrx = { code: 'IDRX', decimals: 2 }
    const rate = fc
      .tuple(fc.bigInt({ min: 1n, max: 10n ** 12n }), fc.integer({ min: 0, max: 8 }))
      .map(([digits, scale]) =>
        r(
          `${digits / 10n ** BigInt(scale)}.${(digits % 10n ** BigInt(scale)).toString().padStart(scale, '0')}`.replace(
            /\.$/,
            '',
          ),
        ),
      )
    fc.assert(
      fc.property(rate, fc.bigInt({ min: 1n, max: 10n ** 18n }), (value, minor) => {
        if (value.num === 0n) return
        const p = price(usdt, idrx, value)
        const received = convert(p, { asset: 'USDT', minor }, 'floor').minor
        const paid = convert(p, { asset: 'USDT', minor }, 'ceil').minor
        // exact = minor × value × 10^2 / 10^6
        const exactNum = minor * value.num * 100n
        const exactDen = value.den * 1_000_000n
        assert.ok(received * exactDen <= exactNum)
        assert.ok(paid * exactDen >= exactNum)
        assert.ok(paid - received <= 1n)
      }),
      { numRuns: 1_000 },
    )
  })
})
