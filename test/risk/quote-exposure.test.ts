/**
 * SPEC §6.2 and §15 "Firm quotes": open firm quotes count toward exposure
 * only up to what their partner could execute (prefunded balance of the
 * asset it would pay, remaining daily and monthly limits).
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import type { AssetCode } from '../../src/config/assets.ts'
import type { CorridorId } from '../../src/config/corridors.ts'
import { add, cmp, min, type Ratio, r, ratio, ZERO } from '../../src/money/ratio.ts'
import { legsOf } from '../../src/pricing/model.ts'
import {
  executableOpenQuotesUsd,
  type OpenQuoteGroup,
  type PartnerCapacity,
} from '../../src/risk/signals/quote-exposure.ts'
import type { Side } from '../../src/risk/states.ts'

function capacity(
  balances: Partial<Record<AssetCode, string>>,
  dailyLeft = '500000',
  monthlyLeft = '10000000',
): PartnerCapacity {
  return {
    balanceUsd: (asset) => r(balances[asset] ?? '0'),
    dailyLeftUsd: () => r(dailyLeft),
    monthlyLeftUsd: r(monthlyLeft),
  }
}

const group = (partnerId: string, corridor: CorridorId, side: Side, usd: string): OpenQuoteGroup => ({
  partnerId,
  corridor,
  side,
  openUsd: r(usd),
})

function counted(groups: OpenQuoteGroup[], capacities: Record<string, PartnerCapacity>) {
  const got = executableOpenQuotesUsd(groups, (id) => capacities[id] as PartnerCapacity)
  return Object.fromEntries([...got].map(([corridor, usd]) => [corridor, usd]))
}

describe('open firm quotes count up to what the partner could execute (literal values)', () => {
  it('20 unfunded partners with $49,000 quotes each count nothing', () => {
    const groups = Array.from({ length: 20 }, (_, i) => group(`p${i}`, 'USD-IDR', 'SELL', '49000'))
    const capacities = Object.fromEntries(groups.map((g) => [g.partnerId, capacity({})]))
    assert.deepEqual(counted(groups, capacities), { 'USD-IDR': ZERO })
  })

  it('a funded partner counts in full; a partly funded one up to its balance', () => {
    const groups = [group('a', 'USD-IDR', 'SELL', '49000'), group('b', 'USD-IDR', 'SELL', '49000')]
    assert.deepEqual(counted(groups, { a: capacity({ USDT: '49000' }), b: capacity({ USDT: '1234.5' }) }), {
      'USD-IDR': r('50234.5'),
    })
  })

  it('one balance backs many quotes once: 20 × $49,000 on $49,000 of USDT count $49,000', () => {
    assert.deepEqual(counted([group('a', 'USD-IDR', 'SELL', '980000')], { a: capacity({ USDT: '49000' }) }), {
      'USD-IDR': r('49000'),
    })
  })

  it('each side counts against the asset it pays: SELL the BASE asset, BUY the QUOTE asset', () => {
    // USD-IDR SELL pays USDT, BUY pays IDRX; MYR-IDR SELL pays MYRC.
    const groups = [
      group('a', 'USD-IDR', 'SELL', '30000'),
      group('a', 'USD-IDR', 'BUY', '30000'),
      group('a', 'MYR-IDR', 'SELL', '30000'),
    ]
    assert.deepEqual(counted(groups, { a: capacity({ USDT: '10000', IDRX: '25000' }) }), {
      'USD-IDR': r('35000'),
      'MYR-IDR': ZERO,
    })
  })

  it('limits bound it: the daily limit left in the corridor and the monthly limit left', () => {
    const funded = { USDT: '1000000' }
    assert.deepEqual(counted([group('a', 'USD-IDR', 'SELL', '49000')], { a: capacity(funded, '20000') }), {
      'USD-IDR': r('20000'),
    })
    assert.deepEqual(
      counted([group('a', 'USD-IDR', 'SELL', '49000')], { a: capacity(funded, '500000', '7000') }),
      {
        'USD-IDR': r('7000'),
      },
    )
    // Over a limit (a day's executions past it): nothing more could execute, nothing counts.
    assert.deepEqual(counted([group('a', 'USD-IDR', 'SELL', '49000')], { a: capacity(funded, '-5') }), {
      'USD-IDR': ZERO,
    })
  })

  it('each corridor is bounded on its own: one balance quoted in two corridors counts in both', () => {
    const groups = [group('a', 'USD-IDR', 'SELL', '40000'), group('a', 'USD-SGD', 'SELL', '40000')]
    assert.deepEqual(counted(groups, { a: capacity({ USDT: '40000' }) }), {
      'USD-IDR': r('40000'),
      'USD-SGD': r('40000'),
    })
  })
})

describe('open firm quotes: properties', () => {
  const usd = fc.bigInt({ min: -1_000n, max: 200_000n }).map((n) => ratio(n))
  const positive = fc.bigInt({ min: 0n, max: 200_000n }).map((n) => ratio(n))
  const arbGroup = fc.record({
    partnerId: fc.constantFrom('a', 'b', 'c'),
    corridor: fc.constantFrom<CorridorId>('USD-IDR', 'USD-SGD', 'MYR-IDR'),
    side: fc.constantFrom<Side>('BUY', 'SELL'),
    openUsd: positive,
  })
  const arbCapacity = fc.record({
    balances: fc.dictionary(fc.constantFrom('USDT', 'IDRX', 'tnSGD', 'MYRC'), usd),
    daily: usd,
    monthly: usd,
  })

  it('property: never more than the quotes, the funding sides, or the limits left; all of it when nothing binds', () => {
    fc.assert(
      fc.property(
        fc.array(arbGroup, { maxLength: 12 }),
        fc.record({ a: arbCapacity, b: arbCapacity, c: arbCapacity }),
        (groups, raw) => {
          const capacityOf = (id: string): PartnerCapacity => {
            const c = raw[id as 'a' | 'b' | 'c']
            return {
              balanceUsd: (asset) => c.balances[asset] ?? ZERO,
              dailyLeftUsd: () => c.daily,
              monthlyLeftUsd: c.monthly,
            }
          }
          const got = executableOpenQuotesUsd(groups, capacityOf)
          for (const [corridor, counted] of got) {
            const mine = groups.filter((g) => g.corridor === corridor)
            const open = mine.reduce<Ratio>((sum, g) => add(sum, g.openUsd), ZERO)
            assert.ok(cmp(counted, ZERO) >= 0)
            assert.ok(cmp(counted, open) <= 0)
            // Per partner: at most its limits left, and at most what its balances fund side by side.
            let bound = ZERO
            for (const id of new Set(mine.map((g) => g.partnerId))) {
              const c = capacityOf(id)
              let funded = ZERO
              for (const side of ['BUY', 'SELL'] as const) {
                const quoted = mine
                  .filter((g) => g.partnerId === id && g.side === side)
                  .reduce<Ratio>((sum, g) => add(sum, g.openUsd), ZERO)
                const balance = c.balanceUsd(legsOf(corridor, side).source.code)
                funded = add(funded, min(quoted, cmp(balance, ZERO) < 0 ? ZERO : balance))
              }
              const left = min(c.dailyLeftUsd(corridor), c.monthlyLeftUsd)
              bound = add(bound, cmp(left, ZERO) < 0 ? ZERO : min(funded, left))
            }
            assert.ok(cmp(counted, bound) <= 0)
          }
          // Unbounded capacity: every open quote counts.
          const rich = executableOpenQuotesUsd(groups, () => ({
            balanceUsd: () => r('1000000000'),
            dailyLeftUsd: () => r('1000000000'),
            monthlyLeftUsd: r('1000000000'),
          }))
          for (const [corridor, counted] of rich) {
            const open = groups
              .filter((g) => g.corridor === corridor)
              .reduce<Ratio>((sum, g) => add(sum, g.openUsd), ZERO)
            assert.deepEqual(counted, open)
          }
        },
      ),
      { numRuns: 1_000 },
    )
  })
})
