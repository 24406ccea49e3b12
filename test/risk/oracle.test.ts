import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { add, mul, ONE, percent, r, ratio } from '../../src/money/ratio.ts'
import { aggregate, type Observations, type OracleReading } from '../../src/oracle/aggregate.ts'
import { ORACLE_PAIRS, type OraclePair } from '../../src/oracle/pairs.ts'
import { oracleSignal } from '../../src/risk/signals/oracle.ts'
import type { RiskState } from '../../src/risk/states.ts'

const NOW_MS = 1_700_000_000_000
const PRICE_A = r('100')

/**
 * The oracle's reading when both primaries were observed `ageMs` ago and
 * primary_b sits `deviationPct` percent away from primary_a (100 × (1 + d/100)).
 * With `tieBreaker`, a fresh reference agrees with primary_a.
 */
function readingOf(pair: OraclePair, ageMs: number, deviationPct: string, tieBreaker = false): OracleReading {
  const atMs = NOW_MS - ageMs
  const observations: Observations = {
    primary_a: { price: PRICE_A, atMs },
    primary_b: { price: mul(PRICE_A, add(ONE, percent(r(deviationPct)))), atMs },
    ...(tieBreaker ? { reference: { price: PRICE_A, atMs: NOW_MS } } : {}),
  }
  return aggregate(pair, observations, NOW_MS)
}

function stateOf(pair: OraclePair, ageMs: number, deviationPct: string, tieBreaker = false): RiskState {
  return oracleSignal(readingOf(pair, ageMs, deviationPct, tieBreaker)).state
}

// [pair, near threshold ms, max age ms]
const AGE_TABLE: [OraclePair, number, number][] = [
  ['USD-SGD', 24_000, 30_000],
  ['USD-IDR', 16_000, 20_000],
  ['USD-MYR', 16_000, 20_000],
  ['MYR-IDR', 12_000, 15_000],
]

// [pair, near threshold %, max deviation %, just below near, just above near, just above max]
const DEVIATION_TABLE: [OraclePair, string, string, string, string, string][] = [
  ['USD-SGD', '0.08', '0.10', '0.0799', '0.0801', '0.1001'],
  ['USD-IDR', '0.12', '0.15', '0.1199', '0.1201', '0.1501'],
  ['USD-MYR', '0.12', '0.15', '0.1199', '0.1201', '0.1501'],
  ['MYR-IDR', '0.16', '0.20', '0.1599', '0.1601', '0.2001'],
]

describe('oracle signal: age thresholds (SPEC §6.2; near = 80 % of max age)', () => {
  for (const [pair, nearMs, maxMs] of AGE_TABLE) {
    const cases: [number, RiskState][] = [
      [0, 'NORMAL'],
      [nearMs - 1, 'NORMAL'],
      [nearMs, 'PROTECT'],
      [nearMs + 1, 'PROTECT'],
      [maxMs - 1, 'PROTECT'],
      [maxMs, 'PROTECT'],
      [maxMs + 1, 'HALT'],
    ]
    for (const [ageMs, expected] of cases) {
      it(`${pair} age ${ageMs} ms → ${expected}`, () => {
        assert.equal(stateOf(pair, ageMs, '0'), expected)
      })
    }
  }
})

describe('oracle signal: deviation thresholds (SPEC §6.2; near = 80 % of max deviation)', () => {
  for (const [pair, near, max, belowNear, aboveNear, aboveMax] of DEVIATION_TABLE) {
    const cases: [string, boolean, RiskState][] = [
      [belowNear, false, 'NORMAL'],
      [near, false, 'PROTECT'],
      [aboveNear, false, 'PROTECT'],
      [max, false, 'PROTECT'],
      [aboveMax, false, 'HALT'],
      // SPEC §6.2: HALT only "with no usable tie-breaker"; a settled gap keeps the corridor in PROTECT.
      [aboveMax, true, 'PROTECT'],
    ]
    for (const [deviation, tieBreaker, expected] of cases) {
      it(`${pair} deviation ${deviation}%${tieBreaker ? ' settled by the tie-breaker' : ''} → ${expected}`, () => {
        assert.equal(stateOf(pair, 0, deviation, tieBreaker), expected)
      })
    }
  }

  it('a gap counts by its size whichever primary is higher', () => {
    assert.equal(stateOf('USD-IDR', 0, '-0.1501'), 'HALT')
    assert.equal(stateOf('USD-IDR', 0, '-0.12'), 'PROTECT')
  })

  it('covers every oracle pair', () => {
    const pairs = [...ORACLE_PAIRS].sort()
    assert.deepEqual(pairs, ['MYR-IDR', 'USD-IDR', 'USD-MYR', 'USD-SGD'])
    assert.deepEqual(AGE_TABLE.map(([pair]) => pair).sort(), pairs)
    assert.deepEqual(DEVIATION_TABLE.map(([pair]) => pair).sort(), pairs)
  })
})

describe('oracleSignal from an aggregated reading', () => {
  it('stale wins over deviation', () => {
    const reading = readingOf('USD-IDR', 20_001, '0.5')
    assert.equal(reading.status, 'STALE')
    assert.deepEqual(oracleSignal(reading), {
      signal: 'oracle',
      state: 'HALT',
      reason: 'oracle USD-IDR price stale: age 20001 ms (max 20000 ms)',
    })
  })

  it('writes the figures into the reason', () => {
    assert.deepEqual(oracleSignal(readingOf('USD-IDR', 17_000, '0.05')), {
      signal: 'oracle',
      state: 'PROTECT',
      reason: 'oracle USD-IDR age near the limit: age 17000 ms (max 20000 ms), deviation 0.05% (max 0.15%)',
    })
  })

  it('says when the tie-breaker settled a deviation', () => {
    const reading = readingOf('USD-SGD', 0, '0.3', true)
    assert.equal(reading.tieBreak, true)
    assert.deepEqual(oracleSignal(reading), {
      signal: 'oracle',
      state: 'PROTECT',
      reason:
        'oracle USD-SGD deviation near the limit: age 0 ms (max 30000 ms), deviation 0.3% (max 0.1%), settled by the tie-breaker',
    })
  })

  it('says when a primary has never reported', () => {
    const reading = aggregate('MYR-IDR', { primary_a: { price: PRICE_A, atMs: NOW_MS } }, NOW_MS)
    assert.equal(reading.ageMs, null)
    assert.deepEqual(oracleSignal(reading), {
      signal: 'oracle',
      state: 'HALT',
      reason: 'oracle MYR-IDR price stale: no price yet from a primary source (max age 15000 ms)',
    })
  })
})

describe('oracleSignal from a reading', () => {
  const figures = {
    pair: 'USD-IDR',
    ageMs: 1_000,
    deviation: ratio(5n, 10_000n),
    nearStale: false,
    nearDeviation: false,
    tieBreak: false,
  } as const
  // Without a mid: a stale or deviating reading rests on no source.
  const unusable = { ...figures, sources: [] }
  const ok: OracleReading = { ...figures, status: 'OK', mid: PRICE_A, sources: ['primary_a', 'primary_b'] }
  const nearAge = { ageMs: 16_000, nearStale: true }
  const nearGap = { deviation: ratio(12n, 10_000n), nearDeviation: true }
  const cases: [OracleReading, RiskState, string][] = [
    [ok, 'NORMAL', 'oracle USD-IDR healthy: age 1000 ms (max 20000 ms), deviation 0.05% (max 0.15%)'],
    [
      { ...ok, ...nearAge },
      'PROTECT',
      'oracle USD-IDR age near the limit: age 16000 ms (max 20000 ms), deviation 0.05% (max 0.15%)',
    ],
    [
      { ...ok, ...nearGap },
      'PROTECT',
      'oracle USD-IDR deviation near the limit: age 1000 ms (max 20000 ms), deviation 0.12% (max 0.15%)',
    ],
    [
      { ...ok, ...nearAge, ...nearGap },
      'PROTECT',
      'oracle USD-IDR age and deviation near the limit: age 16000 ms (max 20000 ms), deviation 0.12% (max 0.15%)',
    ],
    [
      { ...unusable, status: 'STALE', ageMs: 20_001, deviation: ratio(0n), nearStale: true },
      'HALT',
      'oracle USD-IDR price stale: age 20001 ms (max 20000 ms)',
    ],
    [
      {
        ...unusable,
        status: 'DEVIATION',
        ageMs: 0,
        deviation: ratio(2n, 1_000n),
        nearDeviation: true,
      },
      'HALT',
      'oracle USD-IDR sources deviate beyond the limit: age 0 ms (max 20000 ms), deviation 0.2% (max 0.15%)',
    ],
  ]
  for (const [reading, state, reason] of cases) {
    it(`${reading.status} near-stale=${reading.nearStale} near-deviation=${reading.nearDeviation} → ${state}`, () => {
      assert.deepEqual(oracleSignal(reading), { signal: 'oracle', state, reason })
    })
  }
})
