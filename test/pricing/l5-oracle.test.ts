import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { type Ratio, r, ratio } from '../../src/money/ratio.ts'
import { aggregate, type Observations, type OracleReading } from '../../src/oracle/aggregate.ts'
import type { OraclePair } from '../../src/oracle/pairs.ts'
import type { RateSelection } from '../../src/pricing/l4-cross-leg.ts'
import { oracleMid } from '../../src/pricing/l5-oracle.ts'
import { failureCode, okValue, reading } from './fixtures.ts'

const NOW = 1_800_000_000_000
const DIRECT = (pair: 'USD-IDR' | 'USD-SGD' | 'MYR-IDR'): RateSelection => ({
  rateSource: 'DIRECT',
  pairs: [pair],
})
const SYNTHETIC: RateSelection = { rateSource: 'SYNTHETIC', pairs: ['USD-IDR', 'USD-MYR'] }

function primaries(a: string, b: string, ageMs: number, reference?: string): Observations {
  return {
    primary_a: { price: r(a), atMs: NOW - ageMs },
    primary_b: { price: r(b), atMs: NOW - ageMs },
    ...(reference === undefined ? {} : { reference: { price: r(reference), atMs: NOW - ageMs } }),
  }
}

describe('L5 oracle mid from aggregated readings (SPEC §4, §6.2)', () => {
  // [name, pair, observations, expected mid or code]
  const rows: [string, OraclePair, Observations, Ratio | string][] = [
    ['USD-IDR both fresh, equal', 'USD-IDR', primaries('16250', '16250', 0), r('16250')],
    ['USD-IDR aged exactly 20 s: still fresh', 'USD-IDR', primaries('16250', '16250', 20_000), r('16250')],
    ['USD-IDR aged 20.001 s: stale', 'USD-IDR', primaries('16250', '16250', 20_001), 'ORACLE_STALE'],
    // 24.375 / 16,250 = 0.15% exactly: OK, mid (16,250 + 16,274.375) / 2.
    ['USD-IDR primaries exactly 0.15% apart', 'USD-IDR', primaries('16250', '16274.375', 0), r('16262.1875')],
    [
      'USD-IDR primaries just over 0.15% apart',
      'USD-IDR',
      primaries('16250', '16274.38', 0),
      'ORACLE_DEVIATION',
    ],
    // A reference siding with primary_a breaks the tie: the mid is primary_a's price.
    [
      'USD-IDR deviation broken by the reference',
      'USD-IDR',
      primaries('16250', '16300', 0, '16251'),
      r('16250'),
    ],
    ['MYR-IDR aged exactly 15 s', 'MYR-IDR', primaries('4000', '4000', 15_000), r('4000')],
    ['MYR-IDR aged 15.001 s', 'MYR-IDR', primaries('4000', '4000', 15_001), 'ORACLE_STALE'],
    ['USD-SGD aged 30 s', 'USD-SGD', primaries('1.3', '1.3', 30_000), r('1.3')],
    ['USD-SGD aged 30.001 s', 'USD-SGD', primaries('1.3', '1.3', 30_001), 'ORACLE_STALE'],
    ['USD-SGD 0.10% apart exactly', 'USD-SGD', primaries('1.3', '1.3013', 0), r('1.30065')],
    ['USD-SGD just over 0.10%', 'USD-SGD', primaries('1.3', '1.30130001', 0), 'ORACLE_DEVIATION'],
    ['USD-IDR never reported', 'USD-IDR', {}, 'ORACLE_STALE'],
  ]
  for (const [name, pair, observations, want] of rows) {
    it(name, () => {
      const got = oracleMid(pair as 'USD-IDR', DIRECT(pair as 'USD-IDR'), () =>
        aggregate(pair, observations, NOW),
      )
      if (typeof want === 'string') assert.equal(failureCode(got), want)
      else assert.deepEqual(okValue(got), want)
    })
  }
})

describe('L5 synthetic MYR-IDR mid = USD-IDR ÷ USD-MYR', () => {
  const byPair = (usdIdr: OracleReading, usdMyr: OracleReading) => (pair: OraclePair) =>
    pair === 'USD-IDR' ? usdIdr : pair === 'USD-MYR' ? usdMyr : reading(pair, 'STALE')
  const rows: [string, OracleReading, OracleReading, Ratio | string][] = [
    [
      '16,250 / 4.0625 = 4,000',
      reading('USD-IDR', 'OK', '16250'),
      reading('USD-MYR', 'OK', '4.0625'),
      r('4000'),
    ],
    // 16,250 / 4.2 = 162,500 / 42 = 81,250 / 21 = 3,869.047619…, kept exact.
    [
      '16,250 / 4.2 = 81,250 / 21',
      reading('USD-IDR', 'OK', '16250'),
      reading('USD-MYR', 'OK', '4.2'),
      ratio(81_250n, 21n),
    ],
    ['USD-MYR stale', reading('USD-IDR', 'OK', '16250'), reading('USD-MYR', 'STALE'), 'ORACLE_STALE'],
    [
      'USD-IDR deviation',
      reading('USD-IDR', 'DEVIATION'),
      reading('USD-MYR', 'OK', '4.0625'),
      'ORACLE_DEVIATION',
    ],
    // The legs are checked in order: USD-IDR first.
    [
      'USD-IDR deviation and USD-MYR stale',
      reading('USD-IDR', 'DEVIATION'),
      reading('USD-MYR', 'STALE'),
      'ORACLE_DEVIATION',
    ],
  ]
  for (const [name, usdIdr, usdMyr, want] of rows) {
    it(name, () => {
      const got = oracleMid('MYR-IDR', SYNTHETIC, byPair(usdIdr, usdMyr))
      if (typeof want === 'string') {
        assert.equal(failureCode(got), want)
        assert.equal(got.ok ? undefined : got.corridor, 'MYR-IDR')
      } else assert.deepEqual(okValue(got), want)
    })
  }

  it('a direct MYR-IDR quote reads only the MYR-IDR feed', () => {
    const got = oracleMid('MYR-IDR', DIRECT('MYR-IDR'), (pair) =>
      pair === 'MYR-IDR' ? reading(pair, 'OK', '3999.5') : reading(pair, 'STALE'),
    )
    assert.deepEqual(okValue(got), r('3999.5'))
  })
})
