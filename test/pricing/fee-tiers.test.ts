import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { CorridorId } from '../../src/config/corridors.ts'
import type { FeeTier } from '../../src/config/fees.ts'
import { r } from '../../src/money/ratio.ts'
import { type FeeOverride, feeTierFor, resolveFees } from '../../src/pricing/fee-tiers.ts'

describe('feeTierFor (SPEC §5: by USD size, min inclusive, max exclusive)', () => {
  const rows: [string, FeeTier][] = [
    ['0', 'MICRO'],
    ['10', 'MICRO'],
    ['999.99', 'MICRO'],
    ['999.999999', 'MICRO'],
    ['1000', 'SMALL'],
    ['1000.01', 'SMALL'],
    ['9999.99', 'SMALL'],
    ['10000', 'MEDIUM'],
    ['10000.01', 'MEDIUM'],
    ['49999.99', 'MEDIUM'],
    ['50000', 'LARGE'],
    ['50000.01', 'LARGE'],
    ['199999.99', 'LARGE'],
    ['200000', 'INSTITUTIONAL'],
    ['200000.01', 'INSTITUTIONAL'],
    ['5000000', 'INSTITUTIONAL'],
  ]
  for (const [usd, tier] of rows) {
    it(`$${usd} → ${tier}`, () => {
      assert.equal(feeTierFor(r(usd)), tier)
    })
  }
})

describe('resolveFees: the corridor tier tables (SPEC §5)', () => {
  // [corridor, tier, fixed fee amount, fixed fee fiat, variable bips]
  // USD-IDR MICRO and SMALL: 10,000 IDR (SPEC); elsewhere MICRO $0.50, SMALL/MEDIUM/LARGE $1, INSTITUTIONAL 0 ([ours]).
  const rows: [CorridorId, FeeTier, string, string, string][] = [
    ['USD-IDR', 'MICRO', '10000', 'IDR', '8'],
    ['USD-IDR', 'SMALL', '10000', 'IDR', '5'],
    ['USD-IDR', 'MEDIUM', '1', 'USD', '3'],
    ['USD-IDR', 'LARGE', '1', 'USD', '2'],
    ['USD-IDR', 'INSTITUTIONAL', '0', 'USD', '1'],
    ['USD-SGD', 'MICRO', '0.5', 'USD', '8'],
    ['USD-SGD', 'SMALL', '1', 'USD', '5'],
    ['USD-SGD', 'MEDIUM', '1', 'USD', '3'],
    ['USD-SGD', 'LARGE', '1', 'USD', '2'],
    ['USD-SGD', 'INSTITUTIONAL', '0', 'USD', '1'],
    ['MYR-IDR', 'MICRO', '0.5', 'USD', '8'],
    ['MYR-IDR', 'SMALL', '1', 'USD', '5'],
    ['MYR-IDR', 'MEDIUM', '1', 'USD', '3'],
    ['MYR-IDR', 'LARGE', '1', 'USD', '2'],
    ['MYR-IDR', 'INSTITUTIONAL', '0', 'USD', '1'],
  ]
  for (const [corridor, tier, amount, fiat, bips] of rows) {
    it(`${corridor} ${tier}: fixed ${amount} ${fiat}, ${bips} bips, base spread not overridden`, () => {
      assert.deepEqual(resolveFees(corridor, tier, [], r('1')), {
        tier,
        fixedFee: { amount, fiat },
        variableBips: r(bips),
        baseSpreadOverrideBps: undefined,
      })
    })
  }
})

describe('resolveFees: partner overrides and the fee tier multiplier (SPEC §5, §9)', () => {
  const override = (fields: Partial<FeeOverride>): FeeOverride => ({
    corridor: 'USD-IDR',
    tier: 'SMALL',
    variableBips: null,
    spreadBps: null,
    ...fields,
  })
  // [name, tier asked, overrides, multiplier, want variable bips, want base spread override]
  const rows: [string, FeeTier, FeeOverride[], string, string, string | undefined][] = [
    ['no override: 5 bips, corridor base', 'SMALL', [], '1', '5', undefined],
    [
      'variable override 2 bips replaces 5',
      'SMALL',
      [override({ variableBips: r('2') })],
      '1',
      '2',
      undefined,
    ],
    [
      'variable override of 0 bips is a real 0 (only NULL is "default")',
      'SMALL',
      [override({ variableBips: r('0') })],
      '1',
      '0',
      undefined,
    ],
    ['spread override 20 bps (USD-IDR SMALL)', 'SMALL', [override({ spreadBps: r('20') })], '1', '5', '20'],
    [
      'spread override 0 means the corridor default',
      'SMALL',
      [override({ spreadBps: r('0') })],
      '1',
      '5',
      undefined,
    ],
    [
      'spread override NULL means the corridor default',
      'SMALL',
      [override({ spreadBps: null })],
      '1',
      '5',
      undefined,
    ],
    [
      'both fields overridden',
      'SMALL',
      [override({ variableBips: r('4'), spreadBps: r('20') })],
      '1',
      '4',
      '20',
    ],
    [
      'an override for another tier does not apply',
      'MEDIUM',
      [override({ spreadBps: r('20'), variableBips: r('9') })],
      '1',
      '3',
      undefined,
    ],
    [
      'an override for another corridor does not apply',
      'SMALL',
      [override({ corridor: 'USD-SGD', variableBips: r('9') })],
      '1',
      '5',
      undefined,
    ],
    ['multiplier 0.3 scales 5 bips to 1.5', 'SMALL', [], '0.3', '1.5', undefined],
    ['multiplier 0.3 scales MICRO 8 bips to 2.4', 'MICRO', [], '0.3', '2.4', undefined],
    [
      'multiplier 0.3 scales an override of 2 bips to 0.6',
      'SMALL',
      [override({ variableBips: r('2') })],
      '0.3',
      '0.6',
      undefined,
    ],
    [
      'multiplier 0.3 leaves the spread override alone',
      'SMALL',
      [override({ spreadBps: r('20') })],
      '0.3',
      '1.5',
      '20',
    ],
    ['multiplier 1.0 (retail) leaves 5 bips', 'SMALL', [], '1.0', '5', undefined],
  ]
  for (const [name, tier, overrides, multiplier, bips, spread] of rows) {
    it(name, () => {
      const fees = resolveFees('USD-IDR', tier, overrides, r(multiplier))
      assert.deepEqual(fees.variableBips, r(bips))
      assert.deepEqual(fees.baseSpreadOverrideBps, spread === undefined ? undefined : r(spread))
      assert.equal(fees.tier, tier)
    })
  }

  it('an override never changes the fixed fee (10,000 IDR for USD-IDR SMALL)', () => {
    const fees = resolveFees(
      'USD-IDR',
      'SMALL',
      [override({ variableBips: r('1'), spreadBps: r('20') })],
      r('0.3'),
    )
    assert.deepEqual(fees.fixedFee, { amount: '10000', fiat: 'IDR' })
  })
})
