import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { checkDirection } from '../../src/pricing/l2-direction.ts'
import type { RiskState, Side } from '../../src/risk/states.ts'
import { failureCode } from './fixtures.ts'

describe('L2 direction check (SPEC §4: in RESTRICT only the imbalance-reducing direction)', () => {
  // [state, allowed directions, side asked, expected code]
  const rows: [RiskState, Side[], Side, string | undefined][] = [
    ['NORMAL', ['BUY', 'SELL'], 'BUY', undefined],
    ['NORMAL', ['BUY', 'SELL'], 'SELL', undefined],
    ['PROTECT', ['BUY', 'SELL'], 'BUY', undefined],
    ['PROTECT', ['BUY', 'SELL'], 'SELL', undefined],
    // IDRX long in RESTRICT: partners should take IDR out, i.e. SELL USD for IDR.
    ['RESTRICT', ['SELL'], 'SELL', undefined],
    ['RESTRICT', ['SELL'], 'BUY', 'DIRECTION_BLOCKED'],
    ['RESTRICT', ['BUY'], 'BUY', undefined],
    ['RESTRICT', ['BUY'], 'SELL', 'DIRECTION_BLOCKED'],
    ['RESTRICT', ['BUY', 'SELL'], 'BUY', undefined],
    ['RESTRICT', [], 'BUY', 'DIRECTION_BLOCKED'],
    ['RESTRICT', [], 'SELL', 'DIRECTION_BLOCKED'],
    // HALT is L6's to refuse (QUOTE_HALTED), not a direction error.
    ['HALT', [], 'BUY', undefined],
    ['HALT', [], 'SELL', undefined],
    // Outside RESTRICT the allowed list is not consulted.
    ['NORMAL', ['SELL'], 'BUY', undefined],
    ['PROTECT', [], 'SELL', undefined],
  ]
  for (const [state, allowed, side, code] of rows) {
    it(`${state} allowing [${allowed.join(', ')}]: ${side} → ${code ?? 'passes'}`, () => {
      const got = checkDirection('USD-IDR', side, { state, allowedDirections: allowed, reasons: [] })
      assert.equal(failureCode(got), code)
      if (got !== undefined) assert.equal(got.corridor, 'USD-IDR')
    })
  }
})
