import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { CorridorId } from '../../src/config/corridors.ts'
import { div, type Ratio, r } from '../../src/money/ratio.ts'
import { checkEntry, type EntryInput } from '../../src/pricing/l1-entry.ts'
import { failureCode, fiatPerUsd } from './fixtures.ts'

const ALL: CorridorId[] = ['USD-IDR', 'USD-SGD', 'MYR-IDR']

function entry(corridor: CorridorId, sizeUsd: Ratio, fields: Partial<EntryInput> = {}) {
  return checkEntry({ corridor, enabledCorridors: ALL, sizeUsd, fiatPerUsd, ...fields })
}

/** MYR amounts in USD at 4.0625 MYR per USD (so 50 MYR = $12.307692…). */
const myr = (amount: string) => div(r(amount), r('4.0625'))

describe('L1 minimum transaction size (SPEC §2.1, §4: $10, $10, 50 MYR)', () => {
  const rows: [string, CorridorId, Ratio, string | undefined][] = [
    ['USD-IDR $10 exactly', 'USD-IDR', r('10'), undefined],
    ['USD-IDR $9.99', 'USD-IDR', r('9.99'), 'BELOW_MIN_TRANSACTION_SIZE'],
    ['USD-IDR $9.999999', 'USD-IDR', r('9.999999'), 'BELOW_MIN_TRANSACTION_SIZE'],
    ['USD-IDR $10.000001', 'USD-IDR', r('10.000001'), undefined],
    // A BUY pays IDR: 162,500 IDR is $10; 162,499.99 IDR is just below.
    ['USD-IDR 162,500 IDR', 'USD-IDR', div(r('162500'), r('16250')), undefined],
    ['USD-IDR 162,499.99 IDR', 'USD-IDR', div(r('162499.99'), r('16250')), 'BELOW_MIN_TRANSACTION_SIZE'],
    ['USD-SGD $10 exactly', 'USD-SGD', r('10'), undefined],
    ['USD-SGD $9.99', 'USD-SGD', r('9.99'), 'BELOW_MIN_TRANSACTION_SIZE'],
    ['USD-SGD 13 SGD = $10', 'USD-SGD', div(r('13'), r('1.3')), undefined],
    ['USD-SGD 12.999999 SGD', 'USD-SGD', div(r('12.999999'), r('1.3')), 'BELOW_MIN_TRANSACTION_SIZE'],
    ['MYR-IDR 50 MYR exactly', 'MYR-IDR', myr('50'), undefined],
    ['MYR-IDR 49.99 MYR', 'MYR-IDR', myr('49.99'), 'BELOW_MIN_TRANSACTION_SIZE'],
    ['MYR-IDR one wei below 50 MYR', 'MYR-IDR', myr('49.999999999999999999'), 'BELOW_MIN_TRANSACTION_SIZE'],
    ['MYR-IDR one wei above 50 MYR', 'MYR-IDR', myr('50.000000000000000001'), undefined],
    // The MYR-IDR minimum is 50 MYR, not $10: $10 is only 40.625 MYR.
    ['MYR-IDR $10 (40.625 MYR)', 'MYR-IDR', r('10'), 'BELOW_MIN_TRANSACTION_SIZE'],
    ['MYR-IDR $12.30 (49.96875 MYR)', 'MYR-IDR', r('12.30'), 'BELOW_MIN_TRANSACTION_SIZE'],
    ['MYR-IDR $12.31 (50.009375 MYR)', 'MYR-IDR', r('12.31'), undefined],
    // A MYR-IDR BUY pays IDR: 50 MYR × 4,000 = 200,000 IDR.
    ['MYR-IDR 200,000 IDR', 'MYR-IDR', div(r('200000'), r('16250')), undefined],
    ['MYR-IDR 199,999.99 IDR', 'MYR-IDR', div(r('199999.99'), r('16250')), 'BELOW_MIN_TRANSACTION_SIZE'],
  ]
  for (const [name, corridor, sizeUsd, code] of rows) {
    it(`${name} → ${code ?? 'passes'}`, () => {
      const got = entry(corridor, sizeUsd)
      assert.equal(failureCode(got), code)
      if (got !== undefined) assert.equal(got.corridor, corridor)
    })
  }
})

describe('L1 corridor enabled for the partner (SPEC §3: 403 FORBIDDEN)', () => {
  const rows: [string, CorridorId, CorridorId[], Ratio, string | undefined][] = [
    ['enabled', 'USD-IDR', ['USD-IDR'], r('100'), undefined],
    ['another corridor only', 'USD-IDR', ['USD-SGD'], r('100'), 'CORRIDOR_NOT_ENABLED'],
    ['none enabled', 'MYR-IDR', [], r('100'), 'CORRIDOR_NOT_ENABLED'],
    // The corridor check comes first: an unknown partner learns nothing about sizes.
    ['not enabled and below the minimum', 'USD-SGD', ['USD-IDR'], r('1'), 'CORRIDOR_NOT_ENABLED'],
  ]
  for (const [name, corridor, enabled, sizeUsd, code] of rows) {
    it(`${name} → ${code ?? 'passes'}`, () => {
      assert.equal(failureCode(entry(corridor, sizeUsd, { enabledCorridors: enabled })), code)
    })
  }
})

describe('L1 partner volume limits (SPEC §9, [ours] VOLUME_LIMIT_EXCEEDED)', () => {
  // Daily $500,000 per corridor, monthly $10,000,000 over all corridors (the SPEC §9 examples).
  const limits = (daily: string, monthly: string) => ({
    dailyPerCorridorUsd: r('500000'),
    monthlyUsd: r('10000000'),
    usage: { dailyCorridorUsd: r(daily), monthlyUsd: r(monthly) },
  })
  const rows: [string, string, string, string, string | undefined][] = [
    ['daily: 499,000 used + 1,000 = exactly the limit', '499000', '0', '1000', undefined],
    ['daily: 499,000 used + 1,000.01', '499000', '0', '1000.01', 'VOLUME_LIMIT_EXCEEDED'],
    ['daily: nothing used, one $500,000 trade', '0', '0', '500000', undefined],
    ['daily: nothing used, $500,000.01', '0', '0', '500000.01', 'VOLUME_LIMIT_EXCEEDED'],
    ['monthly: 9,999,000 used + 1,000 = exactly the limit', '0', '9999000', '1000', undefined],
    ['monthly: 9,999,000 used + 1,000.01', '0', '9999000', '1000.01', 'VOLUME_LIMIT_EXCEEDED'],
    ['both fine', '100', '100', '100', undefined],
  ]
  for (const [name, daily, monthly, size, code] of rows) {
    it(`${name} → ${code ?? 'passes'}`, () => {
      assert.equal(failureCode(entry('USD-IDR', r(size), { limits: limits(daily, monthly) })), code)
    })
  }

  it('indicative quotes (no limits given) skip the volume check', () => {
    assert.equal(entry('USD-IDR', r('600000')), undefined)
  })

  it('the minimum is checked before the limits', () => {
    assert.equal(
      failureCode(entry('USD-IDR', r('9.99'), { limits: limits('500000', '10000000') })),
      'BELOW_MIN_TRANSACTION_SIZE',
    )
  })
})
