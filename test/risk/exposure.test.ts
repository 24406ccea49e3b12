import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { CorridorId } from '../../src/config/corridors.ts'
import { DEFAULT_RISK_CONFIG, type RiskConfig } from '../../src/config/risk.ts'
import { div, mul, type Ratio, r } from '../../src/money/ratio.ts'
import { assessExposure, type CorridorExposureInput } from '../../src/risk/signals/exposure.ts'
import type { RiskState } from '../../src/risk/states.ts'

const config = DEFAULT_RISK_CONFIG

function corridor(
  id: CorridorId,
  grossUsd: string,
  capacityUsd: string,
  sigma: string,
): CorridorExposureInput {
  return {
    corridor: id,
    grossExposureUsd: r(grossUsd),
    reserveCapacityUsd: r(capacityUsd),
    volatility1d: r(sigma),
  }
}

function states(
  corridors: CorridorExposureInput[],
  capitalUsd: string,
  cfg: RiskConfig = config,
): RiskState[] {
  return assessExposure({ corridors, reserveCapitalUsd: r(capitalUsd) }, cfg).corridors.map(
    (c) => c.result.state,
  )
}

describe('exposure: gross exposure against reserve capacity (SPEC §6.2: warn 70 %, breach 90 %)', () => {
  // σ = 0 keeps VaR at zero; the other two corridors hold most of the book, so concentration stays below 50 %.
  const cases: [string, RiskState][] = [
    ['0', 'NORMAL'],
    ['699999', 'NORMAL'],
    ['700000', 'PROTECT'],
    ['700001', 'PROTECT'],
    ['899999', 'PROTECT'],
    ['900000', 'RESTRICT'],
    ['900001', 'RESTRICT'],
    ['1500000', 'RESTRICT'],
  ]
  for (const [grossUsd, expected] of cases) {
    it(`USD-IDR gross $${grossUsd} of $1,000,000 capacity → ${expected}`, () => {
      const book = [
        corridor('USD-IDR', grossUsd, '1000000', '0'),
        corridor('USD-SGD', '1000000', '10000000', '0'),
        corridor('MYR-IDR', '1000000', '10000000', '0'),
      ]
      assert.deepEqual(states(book, '100000000'), [expected, 'NORMAL', 'NORMAL'])
    })
  }

  it('no capacity: an empty corridor is fine, any exposure is a breach', () => {
    assert.deepEqual(states([corridor('USD-IDR', '0', '0', '0')], '100000000'), ['NORMAL'])
    assert.deepEqual(states([corridor('USD-IDR', '1', '0', '0')], '100000000'), ['RESTRICT'])
  })
})

describe('exposure: portfolio VaR against reserve capital (SPEC §6.2: ×1.645, 15 % discount, warn 5 %, breach 10 %)', () => {
  // σ = 1 % everywhere: portfolio VaR = Σ exposure × 1.645 × 0.01 × 0.85 = Σ exposure × 0.0139825.
  // Reserve capital $2,796,500: 5 % = $139,825 (Σ exposure $10,000,000), 10 % = $279,650 (Σ $20,000,000).
  // Exposure 4 : 3 : 3 keeps concentration at 40 %; capacity $100,000,000 keeps the capacity rule quiet.
  const capital = '2796500'
  function book(usdIdr: string, other: string): CorridorExposureInput[] {
    return [
      corridor('USD-IDR', usdIdr, '100000000', '0.01'),
      corridor('USD-SGD', other, '100000000', '0.01'),
      corridor('MYR-IDR', other, '100000000', '0.01'),
    ]
  }
  const cases: [string, string, string, RiskState][] = [
    ['just below warn', '3999999', '3000000', 'NORMAL'],
    ['at warn (5 %)', '4000000', '3000000', 'PROTECT'],
    ['just above warn', '4000001', '3000000', 'PROTECT'],
    ['just below breach', '7999999', '6000000', 'PROTECT'],
    ['at breach (10 %)', '8000000', '6000000', 'RESTRICT'],
    ['just above breach', '8000001', '6000000', 'RESTRICT'],
  ]
  for (const [name, usdIdr, other, expected] of cases) {
    it(`${name} → every corridor ${expected}`, () => {
      assert.deepEqual(states(book(usdIdr, other), capital), [expected, expected, expected])
    })
  }

  it('reports the SPEC §13 figures exactly', () => {
    const assessment = assessExposure(
      { corridors: book('4000000', '3000000'), reserveCapitalUsd: r(capital) },
      config,
    )
    assert.deepEqual(assessment.totalGrossExposureUsd, r('10000000'))
    assert.deepEqual(assessment.portfolioVarUsd, r('139825'))
    assert.deepEqual(assessment.portfolioStressVarUsd, r('197710'))
    assert.deepEqual(assessment.portfolioVarPct, r('5'))
    assert.equal(assessment.portfolioState, 'PROTECT')
    const usdIdr = assessment.corridors[0]!
    assert.deepEqual(usdIdr.var1dUsd, r('65800'))
    assert.deepEqual(usdIdr.stressVar1dUsd, r('93040'))
    assert.deepEqual(usdIdr.varPctOfCapital, mul(div(r('65800'), r(capital)), r('100')))
    assert.deepEqual(usdIdr.concentrationPct, r('40'))
    assert.deepEqual(usdIdr.exposurePctOfCapacity, r('4'))
    assert.equal(
      usdIdr.result.reason,
      'portfolio VaR $139825 of reserve capital $2796500 at or above the 5% warning level',
    )
  })

  it('the diversification discount is configurable', () => {
    const noDiscount = { ...config, exposure: { ...config.exposure, diversificationDiscountPct: r('0') } }
    const assessment = assessExposure(
      { corridors: book('4000000', '3000000'), reserveCapitalUsd: r(capital) },
      noDiscount,
    )
    assert.deepEqual(assessment.portfolioVarUsd, r('164500'))
  })

  it('no reserve capital: no percentage, and any VaR is a breach', () => {
    const assessment = assessExposure({ corridors: book('1', '1'), reserveCapitalUsd: r('0') }, config)
    assert.equal(assessment.portfolioVarPct, undefined)
    assert.equal(assessment.corridors[0]!.varPctOfCapital, undefined)
    assert.equal(assessment.portfolioState, 'RESTRICT')
  })
})

describe('exposure: concentration (SPEC §6.2: warning at 50 % in one corridor → PROTECT)', () => {
  // σ = 0 and ample capacity isolate concentration. Capital $10,000,000: the book is material from $1,000,000 (10 %).
  function book(a: string, b: string, c: string): CorridorExposureInput[] {
    return [
      corridor('USD-IDR', a, '100000000', '0'),
      corridor('USD-SGD', b, '100000000', '0'),
      corridor('MYR-IDR', c, '100000000', '0'),
    ]
  }
  const cases: [string, CorridorExposureInput[], RiskState[]][] = [
    ['just below 50 %', book('499999', '250000', '250001'), ['NORMAL', 'NORMAL', 'NORMAL']],
    ['at 50 %', book('500000', '250000', '250000'), ['PROTECT', 'NORMAL', 'NORMAL']],
    ['just above 50 %', book('500001', '249999', '250000'), ['PROTECT', 'NORMAL', 'NORMAL']],
    [
      '60 % of a book just below the materiality floor',
      book('599999', '200000', '200000'),
      ['NORMAL', 'NORMAL', 'NORMAL'],
    ],
    [
      '60 % of a book at the materiality floor',
      book('600000', '200000', '200000'),
      ['PROTECT', 'NORMAL', 'NORMAL'],
    ],
    ['an empty book', book('0', '0', '0'), ['NORMAL', 'NORMAL', 'NORMAL']],
  ]
  for (const [name, value, expected] of cases) {
    it(`${name} → ${expected.join(', ')}`, () => {
      assert.deepEqual(states(value, '10000000'), expected)
    })
  }

  it('a zero floor gives the unconditional reading: one small trade is 100 % concentrated', () => {
    const literal = { ...config, exposure: { ...config.exposure, concentrationFloorPctOfCapital: r('0') } }
    assert.deepEqual(states(book('10', '0', '0'), '10000000', literal), ['PROTECT', 'NORMAL', 'NORMAL'])
    assert.deepEqual(states(book('10', '0', '0'), '10000000'), ['NORMAL', 'NORMAL', 'NORMAL'])
  })
})

describe('exposure: combining conditions', () => {
  it('keeps every reason at the final state', () => {
    const assessment = assessExposure(
      {
        corridors: [
          corridor('USD-IDR', '800000', '1000000', '0'),
          corridor('USD-SGD', '200000', '1000000', '0'),
        ],
        reserveCapitalUsd: r('5000000'),
      },
      config,
    )
    const usdIdr = assessment.corridors[0]!.result
    assert.equal(usdIdr.state, 'PROTECT')
    assert.equal(
      usdIdr.reason,
      'gross exposure $800000 of reserve capacity $1000000 at or above the 70% warning level; ' +
        '80% of gross exposure in this corridor, at or above the 50% warning level',
    )
    assert.equal(usdIdr.allowedDirections, undefined)
  })

  it('the most severe condition wins', () => {
    const high: Ratio = r('0.05')
    const assessment = assessExposure(
      {
        corridors: [
          {
            corridor: 'USD-IDR',
            grossExposureUsd: r('950000'),
            reserveCapacityUsd: r('1000000'),
            volatility1d: high,
          },
        ],
        reserveCapitalUsd: r('100000000'),
      },
      config,
    )
    assert.equal(assessment.corridors[0]!.result.state, 'RESTRICT')
  })

  it('throws on a negative exposure or volatility: a bug in the caller', () => {
    assert.throws(
      () =>
        assessExposure(
          { corridors: [corridor('USD-IDR', '-1', '1', '0')], reserveCapitalUsd: r('1') },
          config,
        ),
      RangeError,
    )
    assert.throws(
      () =>
        assessExposure(
          { corridors: [corridor('USD-IDR', '1', '1', '-0.1')], reserveCapitalUsd: r('1') },
          config,
        ),
      RangeError,
    )
  })
})
