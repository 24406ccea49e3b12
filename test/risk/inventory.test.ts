import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import type { CorridorId } from '../../src/config/corridors.ts'
import { DEFAULT_RISK_CONFIG } from '../../src/config/risk.ts'
import { abs, add, cmp, r, ratio, sub } from '../../src/money/ratio.ts'
import {
  type InventoryInput,
  inventoryRatio,
  inventorySignal,
  rebalancingSide,
} from '../../src/risk/signals/inventory.ts'
import type { RiskState, Side } from '../../src/risk/states.ts'

const config = DEFAULT_RISK_CONFIG

function input(
  corridor: CorridorId,
  baseUsd: string,
  baseTargetUsd: string,
  quoteUsd: string,
  quoteTargetUsd: string,
): InventoryInput {
  return {
    corridor,
    base: { balanceUsd: r(baseUsd), targetUsd: r(baseTargetUsd) },
    quote: { balanceUsd: r(quoteUsd), targetUsd: r(quoteTargetUsd) },
  }
}

type Expected = [RiskState, Side[] | undefined]

function check(value: InventoryInput, [state, directions]: Expected) {
  const result = inventorySignal(value, config)
  assert.equal(result.state, state)
  assert.deepEqual(result.allowedDirections, directions)
}

describe('inventory signal, USD-IDR (USDT target $1,000,000, IDRX target $500,000, dead zone 5 %)', () => {
  // The QUOTE pool (IDRX) moves, the BASE pool (USDT) sits at target.
  const quoteCases: [string, string, Expected][] = [
    ['at target', '500000', ['NORMAL', undefined]],
    ['+5 %, the dead zone edge', '525000', ['NORMAL', undefined]],
    ['just beyond +5 %', '525001', ['PROTECT', undefined]],
    ['-5 %, the dead zone edge', '475000', ['NORMAL', undefined]],
    ['just beyond -5 %', '474999', ['PROTECT', undefined]],
    ['+25 %, still within the 25 % rule', '625000', ['PROTECT', undefined]],
    // A long IDRX pool wants IDRX taken out: SELL (partner pays USD, receives IDR).
    ['just beyond +25 %', '625001', ['RESTRICT', ['SELL']]],
    ['-25 %', '375000', ['PROTECT', undefined]],
    // A short IDRX pool wants IDRX brought in: BUY (partner pays IDR, receives USD).
    ['just beyond -25 %', '374999', ['RESTRICT', ['BUY']]],
    ['at the 40 % minimum', '200000', ['RESTRICT', ['BUY']]],
    ['just below the 40 % minimum', '199999', ['RESTRICT', ['BUY']]],
    ['at 20 % of target', '100000', ['RESTRICT', ['BUY']]],
    // SPEC §15: below 20 % only the depleting side (SELL) halts; the refilling side stays open.
    ['just below 20 % of target', '99999', ['RESTRICT', ['BUY']]],
    ['empty', '0', ['RESTRICT', ['BUY']]],
  ]
  for (const [name, quoteUsd, expected] of quoteCases) {
    it(`IDRX ${name} ($${quoteUsd}) → ${expected[0]} ${expected[1] ?? ''}`, () => {
      check(input('USD-IDR', '1000000', '1000000', quoteUsd, '500000'), expected)
    })
  }

  const baseCases: [string, string, Expected][] = [
    ['+5 %', '1050000', ['NORMAL', undefined]],
    ['just beyond +5 %', '1050001', ['PROTECT', undefined]],
    ['+25 %', '1250000', ['PROTECT', undefined]],
    // A long USDT pool wants USDT taken out: BUY (partner receives BASE).
    ['just beyond +25 %', '1250001', ['RESTRICT', ['BUY']]],
    // A short USDT pool wants USDT brought in: SELL (partner pays BASE).
    ['just beyond -25 %', '749999', ['RESTRICT', ['SELL']]],
    ['just below the 40 % minimum', '399999', ['RESTRICT', ['SELL']]],
    ['at 20 % of target', '200000', ['RESTRICT', ['SELL']]],
    ['just below 20 % of target', '199999', ['RESTRICT', ['SELL']]],
  ]
  for (const [name, baseUsd, expected] of baseCases) {
    it(`USDT ${name} ($${baseUsd}) → ${expected[0]} ${expected[1] ?? ''}`, () => {
      check(input('USD-IDR', baseUsd, '1000000', '500000', '500000'), expected)
    })
  }

  it('names the pool, the figures and the rule in the reason', () => {
    assert.deepEqual(inventorySignal(input('USD-IDR', '1000000', '1000000', '199999', '500000'), config), {
      signal: 'inventory',
      state: 'RESTRICT',
      reason:
        'USD-IDR IDRX Active pool at 39.99% of target (IR -60.01%), below its 40% minimum: only BUY allowed',
      allowedDirections: ['BUY'],
    })
    assert.equal(
      inventorySignal(input('USD-IDR', '1000000', '1000000', '374999', '500000'), config).reason,
      'USD-IDR IDRX Active pool at 74.99% of target (IR -25.01%), more than 25% off target: only BUY allowed',
    )
  })
})

describe('inventory signal: each corridor has its own dead zone (SPEC §5)', () => {
  const cases: [string, InventoryInput, RiskState][] = [
    ['USD-SGD tnSGD +3 %', input('USD-SGD', '1000000', '1000000', '515000', '500000'), 'NORMAL'],
    ['USD-SGD tnSGD just beyond +3 %', input('USD-SGD', '1000000', '1000000', '515001', '500000'), 'PROTECT'],
    ['USD-SGD USDT -3 %', input('USD-SGD', '970000', '1000000', '500000', '500000'), 'NORMAL'],
    ['USD-SGD USDT just beyond -3 %', input('USD-SGD', '969999', '1000000', '500000', '500000'), 'PROTECT'],
    ['MYR-IDR MYRC +7 %', input('MYR-IDR', '321000', '300000', '500000', '500000'), 'NORMAL'],
    ['MYR-IDR MYRC just beyond +7 %', input('MYR-IDR', '321001', '300000', '500000', '500000'), 'PROTECT'],
    ['MYR-IDR IDRX -7 %', input('MYR-IDR', '300000', '300000', '465000', '500000'), 'NORMAL'],
    ['MYR-IDR IDRX just beyond -7 %', input('MYR-IDR', '300000', '300000', '464999', '500000'), 'PROTECT'],
    ['MYR-IDR MYRC just beyond -25 %', input('MYR-IDR', '224999', '300000', '500000', '500000'), 'RESTRICT'],
  ]
  for (const [name, value, expected] of cases) {
    it(`${name} → ${expected}`, () => {
      assert.equal(inventorySignal(value, config).state, expected)
    })
  }
})

describe('inventory signal: which pool drives', () => {
  const cases: [string, InventoryInput, Expected][] = [
    // SPEC §5: the larger |IR| drives.
    [
      'USDT -30 % vs IDRX +40 %: IDRX drives',
      input('USD-IDR', '700000', '1000000', '700000', '500000'),
      ['RESTRICT', ['SELL']],
    ],
    [
      'USDT -40 % vs IDRX -30 %: USDT drives',
      input('USD-IDR', '600000', '1000000', '350000', '500000'),
      ['RESTRICT', ['SELL']],
    ],
    [
      'USDT -30 % vs IDRX -35 %: IDRX drives',
      input('USD-IDR', '700000', '1000000', '325000', '500000'),
      ['RESTRICT', ['BUY']],
    ],
    [
      'USDT +10 % vs IDRX -3 %: USDT drives',
      input('USD-IDR', '1100000', '1000000', '485000', '500000'),
      ['PROTECT', undefined],
    ],
    // The per-pool 20 % rule holds even when the other pool is further off target.
    [
      'USDT +90 % vs IDRX 15 % of target: only the refilling BUY',
      input('USD-IDR', '1900000', '1000000', '75000', '500000'),
      ['RESTRICT', ['BUY']],
    ],
    // Equal IR, both short: the BASE pool breaks the tie.
    [
      'both -30 %: USDT drives',
      input('USD-IDR', '700000', '1000000', '350000', '500000'),
      ['RESTRICT', ['SELL']],
    ],
    [
      'both +30 %: USDT drives',
      input('USD-IDR', '1300000', '1000000', '650000', '500000'),
      ['RESTRICT', ['BUY']],
    ],
    // Equal |IR| with opposite signs: the short pool drives (both name the same side anyway).
    [
      'USDT +30 % vs IDRX -30 %',
      input('USD-IDR', '1300000', '1000000', '350000', '500000'),
      ['RESTRICT', ['BUY']],
    ],
  ]
  for (const [name, value, expected] of cases) {
    it(`${name} → ${expected[0]} ${expected[1] ?? ''}`, () => {
      check(value, expected)
    })
  }

  it('tells which pool drove it', () => {
    const result = inventorySignal(input('USD-IDR', '700000', '1000000', '325000', '500000'), config)
    assert.match(result.reason, /^USD-IDR IDRX Active pool at 65% of target/)
  })
})

describe('inventory helpers', () => {
  it('IR = (current − target) / target', () => {
    assert.deepEqual(inventoryRatio({ balanceUsd: r('400000'), targetUsd: r('500000') }), r('-0.2'))
    assert.deepEqual(inventoryRatio({ balanceUsd: r('1250000'), targetUsd: r('1000000') }), r('0.25'))
    assert.throws(() => inventoryRatio({ balanceUsd: r('1'), targetUsd: r('0') }), RangeError)
  })

  it('rebalancingSide: SELL credits BASE and debits QUOTE, BUY the reverse', () => {
    assert.equal(rebalancingSide('base', r('-0.3')), 'SELL')
    assert.equal(rebalancingSide('base', r('0.3')), 'BUY')
    assert.equal(rebalancingSide('quote', r('-0.3')), 'BUY')
    assert.equal(rebalancingSide('quote', r('0.3')), 'SELL')
  })

  it('property: in RESTRICT, a small trade on the allowed side moves the pool furthest off target back towards it', () => {
    const usd = fc.bigInt({ min: 0n, max: 3_000_000n })
    fc.assert(
      fc.property(usd, usd, (baseUsd, quoteUsd) => {
        const base = { balanceUsd: ratio(baseUsd), targetUsd: r('1000000') }
        const quote = { balanceUsd: ratio(quoteUsd), targetUsd: r('500000') }
        const result = inventorySignal({ corridor: 'USD-IDR', base, quote }, config)
        const irBase = abs(inventoryRatio(base))
        const irQuote = abs(inventoryRatio(quote))
        if (result.state !== 'RESTRICT' || cmp(irBase, irQuote) === 0) return
        assert.equal(result.allowedDirections?.length, 1)
        // SELL: the partner pays BASE (credits the BASE pool) and receives QUOTE (debits the QUOTE pool).
        const one = r('1')
        const sell = result.allowedDirections?.[0] === 'SELL'
        const after = {
          base: { ...base, balanceUsd: sell ? add(base.balanceUsd, one) : sub(base.balanceUsd, one) },
          quote: { ...quote, balanceUsd: sell ? sub(quote.balanceUsd, one) : add(quote.balanceUsd, one) },
        }
        const [pool, before] =
          cmp(irBase, irQuote) > 0 ? (['base', irBase] as const) : (['quote', irQuote] as const)
        assert.equal(cmp(abs(inventoryRatio(after[pool])), before), -1)
      }),
      { numRuns: 2_000 },
    )
  })
})
