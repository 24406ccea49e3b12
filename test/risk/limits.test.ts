import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { DEFAULT_RISK_CONFIG } from '../../src/config/risk.ts'
import { r } from '../../src/money/ratio.ts'
import {
  addOnMultiplier,
  allowedDirections,
  maxInternalSizeUsd,
  stateAddOnBps,
  withinMaxInternalSize,
} from '../../src/risk/limits.ts'
import type { RiskState, Side } from '../../src/risk/states.ts'

const config = DEFAULT_RISK_CONFIG

describe('maxInternalSizeUsd (SPEC §5: min($200,000, 10 % of destination Active) × 1 / 0.5 / 0.25, HALT 0)', () => {
  const cases: [RiskState, string, string][] = [
    ['NORMAL', '5000000', '200000'],
    ['PROTECT', '5000000', '100000'],
    ['RESTRICT', '5000000', '50000'],
    ['HALT', '5000000', '0'],
    // The cap and the 10 % meet at a $2,000,000 balance.
    ['NORMAL', '2000000', '200000'],
    ['NORMAL', '2000001', '200000'],
    ['NORMAL', '1999999', '199999.9'],
    ['NORMAL', '1000000', '100000'],
    ['PROTECT', '1000000', '50000'],
    ['RESTRICT', '1000000', '25000'],
    ['HALT', '1000000', '0'],
    ['NORMAL', '0', '0'],
    // An overdrawn pool counts as empty.
    ['NORMAL', '-5', '0'],
  ]
  for (const [state, balanceUsd, expected] of cases) {
    it(`${state} with $${balanceUsd} in the destination Active pool → $${expected}`, () => {
      assert.deepEqual(maxInternalSizeUsd(state, r(balanceUsd), config), r(expected))
    })
  }

  it('withinMaxInternalSize includes the limit itself', () => {
    assert.equal(withinMaxInternalSize('PROTECT', r('100000'), r('5000000'), config), true)
    assert.equal(withinMaxInternalSize('PROTECT', r('100000.01'), r('5000000'), config), false)
    assert.equal(withinMaxInternalSize('HALT', r('0.01'), r('5000000'), config), false)
  })
})

describe('add-ons by state (SPEC §5: PROTECT ×1.5, RESTRICT at caps)', () => {
  it('addOnMultiplier', () => {
    assert.deepEqual(addOnMultiplier('NORMAL', config), { mode: 'scaled', factor: r('1') })
    assert.deepEqual(addOnMultiplier('PROTECT', config), { mode: 'scaled', factor: r('1.5') })
    assert.deepEqual(addOnMultiplier('RESTRICT', config), { mode: 'atCap' })
    assert.deepEqual(addOnMultiplier('HALT', config), { mode: 'atCap' })
  })

  // A volatility add-on of 10 bps, cap 20 bps; a liquidity add-on of 12 bps, cap 15 bps.
  const cases: [RiskState, string, string, string][] = [
    ['NORMAL', '10', '20', '10'],
    ['PROTECT', '10', '20', '15'],
    ['RESTRICT', '10', '20', '20'],
    ['HALT', '10', '20', '20'],
    ['RESTRICT', '0', '20', '20'],
    ['NORMAL', '12', '15', '12'],
    // 12 × 1.5 = 18 would price PROTECT wider than RESTRICT; it stops at the cap.
    ['PROTECT', '12', '15', '15'],
    ['PROTECT', '0', '15', '0'],
  ]
  for (const [state, addOnBps, capBps, expected] of cases) {
    it(`${state}: ${addOnBps} bps (cap ${capBps}) → ${expected} bps`, () => {
      assert.deepEqual(stateAddOnBps(state, r(addOnBps), r(capBps), config), r(expected))
    })
  }
})

describe('allowedDirections (SPEC §6.1)', () => {
  const cases: [RiskState, Side[][], Side[]][] = [
    ['NORMAL', [], ['BUY', 'SELL']],
    ['NORMAL', [['BUY']], ['BUY', 'SELL']],
    ['PROTECT', [['SELL']], ['BUY', 'SELL']],
    ['RESTRICT', [['BUY']], ['BUY']],
    ['RESTRICT', [['SELL']], ['SELL']],
    ['RESTRICT', [['SELL'], ['BUY', 'SELL']], ['SELL']],
    ['RESTRICT', [], ['BUY', 'SELL']],
    ['RESTRICT', [['BUY'], ['SELL']], []],
    ['HALT', [], []],
    ['HALT', [['BUY']], []],
  ]
  for (const [state, lists, expected] of cases) {
    it(`${state} with ${JSON.stringify(lists)} → ${JSON.stringify(expected)}`, () => {
      assert.deepEqual(allowedDirections(state, lists), expected)
    })
  }
})
