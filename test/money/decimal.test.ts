import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { AMOUNT_LIMIT, formatDecimal, parseDecimal } from '../../src/money/decimal.ts'

describe('parseDecimal', () => {
  const accepted: [string, number, bigint][] = [
    ['0', 6, 0n],
    ['1000', 6, 1_000_000_000n],
    ['50000.25', 6, 50_000_250_000n],
    ['0.000001', 6, 1n],
    ['16250.5', 2, 1_625_050n],
    ['1.5', 18, 1_500_000_000_000_000_000n],
    ['12', 0, 12n],
  ]
  for (const [text, decimals, minor] of accepted) {
    it(`reads ${text} with ${decimals} decimals as ${minor}`, () => {
      assert.deepEqual(parseDecimal(text, decimals), { ok: true, minor })
    })
  }

  const refused: [string, number, string][] = [
    ['', 6, 'is empty'],
    ['1e3', 6, 'is not a plain decimal number'],
    ['0x10', 6, 'is not a plain decimal number'],
    ['-5', 6, 'is not a plain decimal number'],
    ['+5', 6, 'is not a plain decimal number'],
    [' 5', 6, 'is not a plain decimal number'],
    ['5.', 6, 'is not a plain decimal number'],
    ['.5', 6, 'is not a plain decimal number'],
    ['007', 6, 'is not a plain decimal number'],
    ['1,000', 6, 'is not a plain decimal number'],
    ['Infinity', 6, 'is not a plain decimal number'],
    ['NaN', 6, 'is not a plain decimal number'],
    ['1.001', 2, 'has more than 2 fraction digits'],
    ['0.0000001', 6, 'has more than 6 fraction digits'],
    ['1.5', 0, 'has more than 0 fraction digits'],
    [(2n ** 128n).toString(), 0, 'is too large'],
    ['340282366920938463463.374607431768211456', 18, 'is too large'],
    ['1'.repeat(81), 0, 'is too long'],
  ]
  for (const [text, decimals, reason] of refused) {
    it(`refuses ${JSON.stringify(text).slice(0, 30)} with ${decimals} decimals: ${reason}`, () => {
      assert.deepEqual(parseDecimal(text, decimals), { ok: false, reason })
    })
  }

  it('accepts the largest amount below 2^128', () => {
    assert.deepEqual(parseDecimal((AMOUNT_LIMIT - 1n).toString(), 0), { ok: true, minor: AMOUNT_LIMIT - 1n })
  })
})

describe('formatDecimal', () => {
  const cases: [bigint, number, string][] = [
    [0n, 6, '0'],
    [1n, 6, '0.000001'],
    [50_000_250_000n, 6, '50000.25'],
    [1_000_000n, 6, '1'],
    [-500_000n, 6, '-0.5'],
    [1_625_050n, 2, '16250.5'],
    [7n, 0, '7'],
  ]
  for (const [minor, decimals, text] of cases) {
    it(`writes ${minor} with ${decimals} decimals as ${text}`, () => {
      assert.equal(formatDecimal(minor, decimals), text)
    })
  }
})

describe('decimal properties', () => {
  const decimals = fc.constantFrom(0, 2, 6, 18)
  const minor = fc.bigInt({ min: 0n, max: AMOUNT_LIMIT - 1n })

  it('parse ∘ format is the identity on every amount below 2^128', () => {
    fc.assert(
      fc.property(minor, decimals, (value, d) => {
        assert.deepEqual(parseDecimal(formatDecimal(value, d), d), { ok: true, minor: value })
      }),
      { numRuns: 2_000 },
    )
  })

  it('format ∘ parse gives back the text once trailing zeros are dropped', () => {
    const text = fc
      .tuple(
        fc.bigInt({ min: 0n, max: 10n ** 20n }),
        fc.string({ unit: fc.constantFrom(...'0123456789'), maxLength: 6 }),
      )
      .map(([whole, fraction]) => (fraction === '' ? whole.toString() : `${whole}.${fraction}`))
    fc.assert(
      fc.property(text, (t) => {
        const parsed = parseDecimal(t, 6)
        assert.equal(parsed.ok, true)
        const canonical = t.includes('.') ? t.replace(/\.?0+$/, '') : t
        assert.equal(formatDecimal((parsed as { minor: bigint }).minor, 6), canonical)
      }),
    )
  })

  it('never accepts text with a sign, an exponent or a letter', () => {
    const hostile = fc
      .tuple(
        fc.string({ maxLength: 10 }),
        fc.constantFrom('-', '+', 'e', 'E', 'x', ' ', '_'),
        fc.string({ maxLength: 10 }),
      )
      .map(([a, mark, b]) => `${a}${mark}${b}`)
    fc.assert(
      fc.property(hostile, (t) => {
        assert.equal(parseDecimal(t, 18).ok, false)
      }),
    )
  })
})
