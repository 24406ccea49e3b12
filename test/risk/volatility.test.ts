import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { DEFAULT_RISK_CONFIG } from '../../src/config/risk.ts'
import { r } from '../../src/money/ratio.ts'
import { volatilitySignal } from '../../src/risk/signals/volatility.ts'
import type { RiskState } from '../../src/risk/states.ts'

describe('volatility signal (SPEC §6.2: 0.05 / 0.15 / 0.30 % = 5 / 15 / 30 bps)', () => {
  const cases: [string, RiskState][] = [
    ['0', 'NORMAL'],
    ['4.9999', 'NORMAL'],
    ['5', 'PROTECT'],
    ['5.0001', 'PROTECT'],
    ['14.9999', 'PROTECT'],
    ['15', 'RESTRICT'],
    ['15.0001', 'RESTRICT'],
    ['29.9999', 'RESTRICT'],
    // SPEC: "> 0.30% HALT", so exactly 0.30 % is still RESTRICT.
    ['30', 'RESTRICT'],
    ['30.0001', 'HALT'],
    ['250', 'HALT'],
    // A fall counts like a rise.
    ['-5', 'PROTECT'],
    ['-4.9999', 'NORMAL'],
    ['-30.0001', 'HALT'],
  ]
  for (const [moveBps, expected] of cases) {
    it(`a ${moveBps} bps move → ${expected}`, () => {
      assert.equal(volatilitySignal(r(moveBps), DEFAULT_RISK_CONFIG).state, expected)
    })
  }

  it('says what it saw', () => {
    assert.deepEqual(volatilitySignal(r('16'), DEFAULT_RISK_CONFIG), {
      signal: 'volatility',
      state: 'RESTRICT',
      reason: 'mid moved 0.16% over 5 min, at or above 0.15%',
    })
    assert.deepEqual(volatilitySignal(r('31'), DEFAULT_RISK_CONFIG), {
      signal: 'volatility',
      state: 'HALT',
      reason: 'mid moved 0.31% over 5 min, above 0.3%',
    })
  })

  it('follows the configuration', () => {
    const config = {
      ...DEFAULT_RISK_CONFIG,
      volatility: { ...DEFAULT_RISK_CONFIG.volatility, protectAtPct: r('0.02') },
    }
    assert.equal(volatilitySignal(r('2'), config).state, 'PROTECT')
    assert.equal(volatilitySignal(r('1.9999'), config).state, 'NORMAL')
  })
})
