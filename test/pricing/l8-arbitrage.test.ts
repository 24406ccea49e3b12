import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { r } from '../../src/money/ratio.ts'
import { priceQuote } from '../../src/pricing/l7-pricing.ts'
import { type ArbitrageInput, checkArbitrage } from '../../src/pricing/l8-arbitrage.ts'
import type { PricedQuote } from '../../src/pricing/model.ts'
import type { RiskState } from '../../src/risk/states.ts'
import { failureCode, okValue, pricingInput } from './fixtures.ts'

/** A real priced quote for each corridor, whose rates the rows below replace. */
const usdIdr = okValue(
  priceQuote(pricingInput('USD-IDR', { size: { kind: 'source', minor: 5_000_000_000n } })),
)
const myrIdr = okValue(
  priceQuote(pricingInput('MYR-IDR', { size: { kind: 'source', minor: 4_062_500_000_000_000_000_000n } })),
)

function withRates(quote: PricedQuote, bid: string, adjustedMid: string, ask: string): PricedQuote {
  return { ...quote, bid: r(bid), adjustedMid: r(adjustedMid), ask: r(ask) }
}

function check(fields: Partial<ArbitrageInput> & { quote: PricedQuote }) {
  return failureCode(checkArbitrage({ state: 'NORMAL', rateSource: 'DIRECT', ...fields }))
}

describe('L8 BID < adjusted mid < ASK (SPEC §4)', () => {
  const rows: [string, string, string, string, string | undefined][] = [
    ['the worked example', '16246.66875', '16250', '16253.33125', undefined],
    ['one unit of the 8th decimal either side', '16249.99999999', '16250', '16250.00000001', undefined],
    ['bid equal to the adjusted mid', '16250', '16250', '16253', 'ARB_CHECK_FAILED'],
    ['ask equal to the adjusted mid', '16246', '16250', '16250', 'ARB_CHECK_FAILED'],
    ['bid above the adjusted mid', '16250.00000001', '16250', '16253', 'ARB_CHECK_FAILED'],
    ['ask below the adjusted mid', '16246', '16250', '16249.99999999', 'ARB_CHECK_FAILED'],
    ['crossed bid and ask', '16253', '16250', '16246', 'ARB_CHECK_FAILED'],
  ]
  for (const [name, bid, mid, ask, code] of rows) {
    it(`${name}: ${bid} / ${mid} / ${ask} → ${code ?? 'passes'}`, () => {
      assert.equal(check({ quote: withRates(usdIdr, bid, mid, ask) }), code)
    })
  }

  it('the priced quotes themselves straddle', () => {
    assert.equal(check({ quote: usdIdr }), undefined)
    assert.equal(check({ quote: myrIdr }), undefined)
  })

  it('USD corridors are not compared with the MYR-IDR cross', () => {
    assert.equal(check({ quote: usdIdr, directMid: r('1'), syntheticMid: r('2') }), undefined)
  })

  it('the failure names the corridor', () => {
    const got = checkArbitrage({
      quote: withRates(usdIdr, '16250', '16250', '16253'),
      state: 'NORMAL',
      rateSource: 'DIRECT',
    })
    assert.equal(got?.corridor, 'USD-IDR')
  })
})

describe('L8 MYR-IDR direct vs synthetic gap: ≤ 0.30% NORMAL, ≤ 0.50% PROTECT (SPEC §4)', () => {
  // Synthetic 16,250 / 4.0625 = 4,000: 0.30% is 12 IDR, 0.50% is 20 IDR. Gap = |direct − synthetic| / synthetic.
  const rows: [RiskState, string, string | undefined][] = [
    ['NORMAL', '4000', undefined],
    ['NORMAL', '4012', undefined], // exactly 0.30%
    ['NORMAL', '4012.01', 'ARB_CHECK_FAILED'],
    ['NORMAL', '3988', undefined],
    ['NORMAL', '3987.99', 'ARB_CHECK_FAILED'],
    ['PROTECT', '4012.01', undefined],
    ['PROTECT', '4020', undefined], // exactly 0.50%
    ['PROTECT', '4020.01', 'ARB_CHECK_FAILED'],
    ['PROTECT', '3980', undefined],
    ['PROTECT', '3979.99', 'ARB_CHECK_FAILED'],
    // [ours] RESTRICT uses the wider PROTECT band.
    ['RESTRICT', '4020', undefined],
    ['RESTRICT', '4020.01', 'ARB_CHECK_FAILED'],
  ]
  for (const [state, direct, code] of rows) {
    it(`${state}: direct ${direct} vs synthetic 4,000 → ${code ?? 'passes'}`, () => {
      assert.equal(check({ quote: myrIdr, state, directMid: r(direct), syntheticMid: r('4000') }), code)
    })
  }

  it('only one of the two mids known: no gap to check', () => {
    assert.equal(check({ quote: myrIdr, directMid: r('5000') }), undefined)
    assert.equal(check({ quote: myrIdr, syntheticMid: r('5000') }), undefined)
  })
})

describe('L8 MYR-IDR round-trip triangle (SPEC §4: no USD → IDR → MYR → USD loop returns more than 1)', () => {
  // USD-IDR mid 16,250 with its 4 bps base spread: bid 16,246.75, ask 16,253.25. USD-MYR mid 4.0625 with the
  // assumed 10 bps external spread: bid 4.06046875, ask 4.06453125.
  //   out:  USD → IDR at 16,246.75 → MYR at our MYR-IDR ask → USD at 4.06453125:
  //         ≤ 1 ⟺ ask ≥ 16,246.75 / 4.06453125 = 7,998,400 / 2,001 = 3,997.2013993003…
  //   back: USD → MYR at 4.06046875 → IDR at our MYR-IDR bid → USD at 16,253.25:
  //         ≤ 1 ⟺ bid ≤ 16,253.25 / 4.06046875 = 8,001,600 / 1,999 = 4,002.8014007003…
  const legs = { usdIdrMid: r('16250'), usdIdrBaseSpreadBps: r('4'), usdMyrMid: r('4.0625') }
  const rows: [string, string, string, string, string | undefined][] = [
    ['a normal quote around 4,000', '3998.8', '4000', '4001.2', undefined],
    [
      'ask 3,997.20139931 just above the bound: the loop returns less than 1',
      '3997.1',
      '3997.15',
      '3997.20139931',
      undefined,
    ],
    [
      'ask 3,997.2013993 just below the bound: the loop returns more than 1',
      '3997.1',
      '3997.15',
      '3997.2013993',
      'ARB_CHECK_FAILED',
    ],
    [
      'bid 4,002.8014007 just below the bound: the way back returns less than 1',
      '4002.8014007',
      '4002.9',
      '4003',
      undefined,
    ],
    [
      'bid 4,002.80140071 just above the bound: the way back returns more than 1',
      '4002.80140071',
      '4002.9',
      '4003',
      'ARB_CHECK_FAILED',
    ],
  ]
  for (const [name, bid, mid, ask, code] of rows) {
    it(`${name} → ${code ?? 'passes'}`, () => {
      assert.equal(check({ quote: withRates(myrIdr, bid, mid, ask), ...legs }), code)
    })
  }

  it('a direct mid 0.25% under the cross passes the gap but fails the triangle', () => {
    // Direct 3,990 vs synthetic 4,000: gap 0.25% ≤ 0.30%. Our ask 3,991.2 < 3,997.2014: buy MYR cheap with IDR.
    const quote = withRates(myrIdr, '3988.8', '3990', '3991.2')
    assert.equal(check({ quote, directMid: r('3990'), syntheticMid: r('4000') }), undefined)
    assert.equal(check({ quote, directMid: r('3990'), syntheticMid: r('4000'), ...legs }), 'ARB_CHECK_FAILED')
  })

  it('without the USD legs there is no triangle to check', () => {
    assert.equal(check({ quote: withRates(myrIdr, '3988.8', '3990', '3991.2') }), undefined)
  })
})
