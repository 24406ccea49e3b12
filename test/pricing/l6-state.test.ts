import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { checkState } from '../../src/pricing/l6-state.ts'
import type { RiskState } from '../../src/risk/states.ts'
import { failureCode } from './fixtures.ts'

describe('L6 state engine (SPEC §4, §6.1: HALT → QUOTE_HALTED; other states quote)', () => {
  const rows: [RiskState, string | undefined][] = [
    ['NORMAL', undefined],
    ['PROTECT', undefined],
    ['RESTRICT', undefined],
    ['HALT', 'QUOTE_HALTED'],
  ]
  for (const [state, code] of rows) {
    it(`${state} → ${code ?? 'quotes'}`, () => {
      const got = checkState('USD-SGD', { state, allowedDirections: [], reasons: [] })
      assert.equal(failureCode(got), code)
      if (got !== undefined) assert.equal(got.corridor, 'USD-SGD')
    })
  }

  it('the refusal carries the reasons', () => {
    const got = checkState('USD-IDR', {
      state: 'HALT',
      allowedDirections: [],
      reasons: ['oracle: USD-IDR stale', 'volatility: 0.31%'],
    })
    assert.equal(got?.message, 'trading on USD-IDR is halted: oracle: USD-IDR stale; volatility: 0.31%')
  })
})
