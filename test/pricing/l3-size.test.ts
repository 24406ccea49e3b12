import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { DEFAULT_RISK_CONFIG } from '../../src/config/risk.ts'
import { r } from '../../src/money/ratio.ts'
import { checkSize } from '../../src/pricing/l3-size.ts'
import type { RiskState } from '../../src/risk/states.ts'
import { failureCode } from './fixtures.ts'

describe('L3 size check (SPEC §5: min($200,000, 10% of destination Active) × 1 / 0.5 / 0.25)', () => {
  // [state, destination Active $, size $, max $, expected code]
  const rows: [RiskState, string, string, string, string | undefined][] = [
    // IDRX Active on target: $500,000 → 10% = $50,000.
    ['NORMAL', '500000', '50000', '50000', undefined],
    ['NORMAL', '500000', '49999.99', '50000', undefined],
    ['NORMAL', '500000', '50000.01', '50000', 'ABOVE_MAX_TRANSACTION_SIZE'],
    ['PROTECT', '500000', '25000', '25000', undefined],
    ['PROTECT', '500000', '25000.01', '25000', 'ABOVE_MAX_TRANSACTION_SIZE'],
    ['RESTRICT', '500000', '12500', '12500', undefined],
    ['RESTRICT', '500000', '12500.01', '12500', 'ABOVE_MAX_TRANSACTION_SIZE'],
    // A large pool hits the $200,000 cap (top of LARGE) first.
    ['NORMAL', '5000000', '200000', '200000', undefined],
    ['NORMAL', '5000000', '200000.01', '200000', 'ABOVE_MAX_TRANSACTION_SIZE'],
    ['PROTECT', '5000000', '100000.01', '100000', 'ABOVE_MAX_TRANSACTION_SIZE'],
    ['RESTRICT', '5000000', '50000', '50000', undefined],
    // The 10% and the cap meet at $2,000,000.
    ['NORMAL', '1999999', '199999.9', '199999.9', undefined],
    ['NORMAL', '1999999', '200000', '199999.9', 'ABOVE_MAX_TRANSACTION_SIZE'],
    // An empty destination pool allows nothing.
    ['NORMAL', '0', '10', '0', 'ABOVE_MAX_TRANSACTION_SIZE'],
    // HALT is refused by L6 (QUOTE_HALTED), not here; its max is 0.
    ['HALT', '500000', '10', '0', undefined],
  ]
  for (const [state, balance, size, max, code] of rows) {
    it(`${state}, pool $${balance}, size $${size} → max $${max}, ${code ?? 'passes'}`, () => {
      const got = checkSize({
        corridor: 'USD-IDR',
        state,
        sizeUsd: r(size),
        destinationActiveUsd: r(balance),
        riskConfig: DEFAULT_RISK_CONFIG,
      })
      assert.deepEqual(got.maxSizeUsd, r(max))
      assert.equal(failureCode(got.failure), code)
      if (got.failure !== undefined) assert.equal(got.failure.corridor, 'USD-IDR')
    })
  }

  it('the refusal names the largest trade, rounded down to the cent', () => {
    const got = checkSize({
      corridor: 'USD-IDR',
      state: 'NORMAL',
      sizeUsd: r('300000'),
      destinationActiveUsd: r('1234567.899'), // 10% = 123,456.7899 → "123456.78"
      riskConfig: DEFAULT_RISK_CONFIG,
    })
    assert.match(got.failure?.message ?? '', /123456\.78 USD/)
  })
})
