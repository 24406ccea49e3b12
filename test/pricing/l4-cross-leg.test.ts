import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { CorridorId } from '../../src/config/corridors.ts'
import type { OracleReading } from '../../src/oracle/aggregate.ts'
import type { OraclePair } from '../../src/oracle/pairs.ts'
import { selectRateSource } from '../../src/pricing/l4-cross-leg.ts'
import { failureCode, reading } from './fixtures.ts'

const clean = (pair: OraclePair, mid: string) => reading(pair, 'OK', mid)
const nearStale = (pair: OraclePair, mid: string) => reading(pair, 'OK', mid, { nearStale: true })
const nearDeviation = (pair: OraclePair, mid: string) => reading(pair, 'OK', mid, { nearDeviation: true })

function market(direct: OracleReading, usdIdr: OracleReading, usdMyr: OracleReading) {
  const byPair: Record<OraclePair, OracleReading> = {
    'MYR-IDR': direct,
    'USD-IDR': usdIdr,
    'USD-MYR': usdMyr,
    'USD-SGD': clean('USD-SGD', '1.3'),
  }
  return (pair: OraclePair) => byPair[pair]
}

/** IDRX Active on target, in cents. */
const IDRX = 812_500_000_000n

describe('L4 MYR-IDR: direct vs synthetic through USD (SPEC §2.3, §4)', () => {
  const D = 'MYR-IDR'
  const U = 'USD-IDR'
  const M = 'USD-MYR'
  // [name, direct, USD-IDR, USD-MYR, destination Active minor, rate source, failure]
  const rows: [
    string,
    OracleReading,
    OracleReading,
    OracleReading,
    bigint,
    'DIRECT' | 'SYNTHETIC',
    string | undefined,
  ][] = [
    [
      'direct clean → DIRECT',
      clean(D, '4000'),
      clean(U, '16250'),
      clean(M, '4.0625'),
      IDRX,
      'DIRECT',
      undefined,
    ],
    [
      'direct clean, legs stale → still DIRECT',
      clean(D, '4000'),
      reading(U, 'STALE'),
      reading(M, 'STALE'),
      IDRX,
      'DIRECT',
      undefined,
    ],
    [
      'direct near stale, legs clean → SYNTHETIC',
      nearStale(D, '4000'),
      clean(U, '16250'),
      clean(M, '4.0625'),
      IDRX,
      'SYNTHETIC',
      undefined,
    ],
    [
      'direct near deviation, legs clean → SYNTHETIC',
      nearDeviation(D, '4000'),
      clean(U, '16250'),
      clean(M, '4.0625'),
      IDRX,
      'SYNTHETIC',
      undefined,
    ],
    [
      'direct near stale, a leg near stale too → DIRECT (no better)',
      nearStale(D, '4000'),
      nearStale(U, '16250'),
      clean(M, '4.0625'),
      IDRX,
      'DIRECT',
      undefined,
    ],
    [
      'direct near stale, a leg stale → DIRECT',
      nearStale(D, '4000'),
      clean(U, '16250'),
      reading(M, 'STALE'),
      IDRX,
      'DIRECT',
      undefined,
    ],
    [
      'direct STALE, legs clean → SYNTHETIC',
      reading(D, 'STALE'),
      clean(U, '16250'),
      clean(M, '4.0625'),
      IDRX,
      'SYNTHETIC',
      undefined,
    ],
    [
      'direct DEVIATION, legs clean → SYNTHETIC',
      reading(D, 'DEVIATION'),
      clean(U, '16250'),
      clean(M, '4.0625'),
      IDRX,
      'SYNTHETIC',
      undefined,
    ],
    [
      'direct STALE, legs OK but near thresholds → SYNTHETIC',
      reading(D, 'STALE'),
      nearStale(U, '16250'),
      nearDeviation(M, '4.0625'),
      IDRX,
      'SYNTHETIC',
      undefined,
    ],
    [
      'direct STALE, USD-MYR STALE → CROSS_LEG_INSUFFICIENT',
      reading(D, 'STALE'),
      clean(U, '16250'),
      reading(M, 'STALE'),
      IDRX,
      'SYNTHETIC',
      'CROSS_LEG_INSUFFICIENT',
    ],
    [
      'direct STALE, USD-IDR DEVIATION → CROSS_LEG_INSUFFICIENT',
      reading(D, 'STALE'),
      reading(U, 'DEVIATION'),
      clean(M, '4.0625'),
      IDRX,
      'SYNTHETIC',
      'CROSS_LEG_INSUFFICIENT',
    ],
    [
      'direct DEVIATION, both legs STALE → CROSS_LEG_INSUFFICIENT',
      reading(D, 'DEVIATION'),
      reading(U, 'STALE'),
      reading(M, 'STALE'),
      IDRX,
      'SYNTHETIC',
      'CROSS_LEG_INSUFFICIENT',
    ],
    [
      'synthetic with an empty destination pool → CROSS_LEG_INSUFFICIENT',
      reading(D, 'STALE'),
      clean(U, '16250'),
      clean(M, '4.0625'),
      0n,
      'SYNTHETIC',
      'CROSS_LEG_INSUFFICIENT',
    ],
    [
      'synthetic with an overdrawn destination pool → CROSS_LEG_INSUFFICIENT',
      reading(D, 'STALE'),
      clean(U, '16250'),
      clean(M, '4.0625'),
      -1n,
      'SYNTHETIC',
      'CROSS_LEG_INSUFFICIENT',
    ],
    [
      'synthetic with one cent of inventory → SYNTHETIC',
      reading(D, 'STALE'),
      clean(U, '16250'),
      clean(M, '4.0625'),
      1n,
      'SYNTHETIC',
      undefined,
    ],
    // The empty pool only matters on the synthetic path; a direct quote is sized by L3.
    [
      'direct clean with an empty destination pool → DIRECT',
      clean(D, '4000'),
      clean(U, '16250'),
      clean(M, '4.0625'),
      0n,
      'DIRECT',
      undefined,
    ],
  ]
  for (const [name, direct, usdIdr, usdMyr, destination, source, code] of rows) {
    it(name, () => {
      const got = selectRateSource('MYR-IDR', market(direct, usdIdr, usdMyr), destination)
      assert.equal(got.selection.rateSource, source)
      assert.deepEqual(got.selection.pairs, source === 'DIRECT' ? ['MYR-IDR'] : ['USD-IDR', 'USD-MYR'])
      assert.equal(failureCode(got.failure), code)
      if (got.failure !== undefined) assert.equal(got.failure.corridor, 'MYR-IDR')
    })
  }
})

describe('L4 USD corridors always price directly (L5 judges their feed)', () => {
  const rows: [CorridorId, OracleReading][] = [
    ['USD-IDR', clean('USD-IDR', '16250')],
    ['USD-IDR', reading('USD-IDR', 'STALE')],
    ['USD-SGD', reading('USD-SGD', 'DEVIATION')],
  ]
  for (const [corridor, r] of rows) {
    it(`${corridor} with a ${r.status} feed → DIRECT, no failure`, () => {
      const got = selectRateSource(corridor, () => r, 0n)
      assert.deepEqual(got, { selection: { rateSource: 'DIRECT', pairs: [corridor] } })
    })
  }
})
