import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { DEFAULT_RISK_CONFIG, ORACLE_PAIRS, type OraclePair } from '../../src/config/risk.ts'
import { r } from '../../src/money/ratio.ts'
import { type OracleReading, oracleSignal, readOracle } from '../../src/risk/signals/oracle.ts'
import type { RiskState } from '../../src/risk/states.ts'

const config = DEFAULT_RISK_CONFIG

function stateOf(pair: OraclePair, ageMs: number, deviationPct: string, tieBreakerUsable = false): RiskState {
  const reading = readOracle(
    { ageMs, deviationPct: r(deviationPct), tieBreakerUsable },
    config.oracle.limits[pair],
    config,
  )
  return oracleSignal(reading).state
}

describe('oracle signal: age thresholds (SPEC §6.2; near = 80 % of max age)', () => {
  // [pair, near threshold ms, max age ms]
  const pairs: [OraclePair, number, number][] = [
    ['USD/SGD', 24_000, 30_000],
    ['USD/IDR', 16_000, 20_000],
    ['USD/MYR', 16_000, 20_000],
    ['MYR/IDR', 12_000, 15_000],
  ]
  for (const [pair, nearMs, maxMs] of pairs) {
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
  // [pair, near threshold %, max deviation %, just below near, just above near, just above max]
  const pairs: [OraclePair, string, string, string, string, string][] = [
    ['USD/SGD', '0.08', '0.10', '0.0799', '0.0801', '0.1001'],
    ['USD/IDR', '0.12', '0.15', '0.1199', '0.1201', '0.1501'],
    ['USD/MYR', '0.12', '0.15', '0.1199', '0.1201', '0.1501'],
    ['MYR/IDR', '0.16', '0.20', '0.1599', '0.1601', '0.2001'],
  ]
  for (const [pair, near, max, belowNear, aboveNear, aboveMax] of pairs) {
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
      it(`${pair} deviation ${deviation}%${tieBreaker ? ' with a usable tie-breaker' : ''} → ${expected}`, () => {
        assert.equal(stateOf(pair, 0, deviation, tieBreaker), expected)
      })
    }
  }

  it('a negative gap counts by its size', () => {
    assert.equal(stateOf('USD/IDR', 0, '-0.1501'), 'HALT')
    assert.equal(stateOf('USD/IDR', 0, '-0.12'), 'PROTECT')
  })

  it('covers every configured pair', () => {
    assert.deepEqual([...ORACLE_PAIRS], ['USD/SGD', 'USD/IDR', 'USD/MYR', 'MYR/IDR'])
  })
})

describe('readOracle', () => {
  const limit = config.oracle.limits['USD/IDR']

  it('reports stale over deviation when both are breached', () => {
    const reading = readOracle(
      { ageMs: 20_001, deviationPct: r('0.5'), tieBreakerUsable: false },
      limit,
      config,
    )
    assert.deepEqual(
      { status: reading.status, nearStale: reading.nearStale, nearDeviation: reading.nearDeviation },
      { status: 'STALE', nearStale: true, nearDeviation: true },
    )
  })

  it('writes the figures into the detail', () => {
    const reading = readOracle(
      { ageMs: 17_000, deviationPct: r('0.05'), tieBreakerUsable: false },
      limit,
      config,
    )
    assert.equal(reading.detail, 'age 17000 ms (max 20000 ms), deviation 0.05% (max 0.15%)')
    assert.deepEqual(oracleSignal(reading), {
      signal: 'oracle',
      state: 'PROTECT',
      reason: 'oracle age near the limit: age 17000 ms (max 20000 ms), deviation 0.05% (max 0.15%)',
    })
  })

  it('refuses a fractional age: a bug upstream', () => {
    assert.throws(
      () => readOracle({ ageMs: 1.5, deviationPct: r('0'), tieBreakerUsable: false }, limit, config),
      RangeError,
    )
  })
})

describe('oracleSignal from a reading', () => {
  const cases: [OracleReading, RiskState, string][] = [
    [{ status: 'OK', nearStale: false, nearDeviation: false }, 'NORMAL', 'oracle healthy'],
    [{ status: 'OK', nearStale: true, nearDeviation: false }, 'PROTECT', 'oracle age near the limit'],
    [{ status: 'OK', nearStale: false, nearDeviation: true }, 'PROTECT', 'oracle deviation near the limit'],
    [
      { status: 'OK', nearStale: true, nearDeviation: true },
      'PROTECT',
      'oracle age and deviation near the limit',
    ],
    [{ status: 'STALE', nearStale: true, nearDeviation: false }, 'HALT', 'oracle price stale'],
    [
      { status: 'DEVIATION', nearStale: false, nearDeviation: true },
      'HALT',
      'oracle sources deviate beyond the limit',
    ],
  ]
  for (const [reading, state, reason] of cases) {
    it(`${reading.status} near-stale=${reading.nearStale} near-deviation=${reading.nearDeviation} → ${state}`, () => {
      assert.deepEqual(oracleSignal(reading), { signal: 'oracle', state, reason })
    })
  }
})
