/**
 * SPEC §15 "Inventory HALT (§6.2) below 20% of target closes only the
 * depleting direction": a pool that low keeps the side that refills it open
 * (the corridor shows RESTRICT with that one side), both pools that low
 * close both sides (HALT), and every other HALT (oracle, volatility, an
 * operator override) still closes both directions.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import type { CorridorId } from '../../src/config/corridors.ts'
import { DEFAULT_RISK_CONFIG } from '../../src/config/risk.ts'
import { poolAccount, protocolAccount } from '../../src/ledger/accounts.ts'
import { postEntry } from '../../src/ledger/journal.ts'
import { r, ratio } from '../../src/money/ratio.ts'
import { applyOverride, evaluate, initialRiskState } from '../../src/risk/machine.ts'
import { type InventoryInput, inventorySignal } from '../../src/risk/signals/inventory.ts'
import type { Side, SignalResult } from '../../src/risk/states.ts'
import { createPartner, setMarket, type TestApp } from '../support/app.ts'
import { describeEachDialect } from '../support/databases.ts'
import { ADDRESS, execute, expectError, firmQuote, fund, quoteOk } from '../trading/support.ts'
import { corridorState, iso, openApp, override, poolMinor, settleRisk, T } from './engine-support.ts'

const config = DEFAULT_RISK_CONFIG

function input(
  corridor: CorridorId,
  baseUsd: string,
  baseTarget: string,
  quoteUsd: string,
  quoteTarget: string,
) {
  return {
    corridor,
    base: { balanceUsd: r(baseUsd), targetUsd: r(baseTarget) },
    quote: { balanceUsd: r(quoteUsd), targetUsd: r(quoteTarget) },
  } satisfies InventoryInput
}

describe('inventory below 20 % of target: only the depleting direction closes', () => {
  const rows: [string, InventoryInput, SignalResult][] = [
    [
      'IDRX at 15 %: SELL (pays out IDRX) halted, BUY (brings IDRX in) open',
      input('USD-IDR', '1000000', '1000000', '75000', '500000'),
      {
        signal: 'inventory',
        state: 'RESTRICT',
        reason:
          'USD-IDR IDRX Active pool at 15% of target (IR -85%), below 20% of target: SELL halted, only BUY allowed',
        allowedDirections: ['BUY'],
      },
    ],
    [
      'USDT at 10 %: BUY (pays out USDT) halted, SELL open',
      input('USD-IDR', '100000', '1000000', '500000', '500000'),
      {
        signal: 'inventory',
        state: 'RESTRICT',
        reason:
          'USD-IDR USDT Active pool at 10% of target (IR -90%), below 20% of target: BUY halted, only SELL allowed',
        allowedDirections: ['SELL'],
      },
    ],
    [
      'MYRC (MYR-IDR BASE) at 19 %: SELL brings MYRC in',
      input('MYR-IDR', '57000', '300000', '500000', '500000'),
      {
        signal: 'inventory',
        state: 'RESTRICT',
        reason:
          'MYR-IDR MYRC Active pool at 19% of target (IR -81%), below 20% of target: BUY halted, only SELL allowed',
        allowedDirections: ['SELL'],
      },
    ],
    [
      'USDT at 10 % and IDRX at 30 % (below its min): the pool about to run dry is refilled first',
      input('USD-IDR', '100000', '1000000', '150000', '500000'),
      {
        signal: 'inventory',
        state: 'RESTRICT',
        reason:
          'USD-IDR USDT Active pool at 10% of target (IR -90%), below 20% of target: BUY halted, only SELL allowed',
        allowedDirections: ['SELL'],
      },
    ],
    [
      'both below 20 %: each halts the side the other needs, HALT',
      input('USD-IDR', '100000', '1000000', '75000', '500000'),
      {
        signal: 'inventory',
        state: 'HALT',
        reason:
          'USD-IDR USDT Active pool at 10% of target (IR -90%), below 20% of target, and IDRX Active pool at 15% of target (IR -85%), below 20% of target: both directions halted',
        allowedDirections: ['SELL'],
      },
    ],
  ]
  for (const [name, value, expected] of rows) {
    it(name, () => {
      assert.deepEqual(inventorySignal(value, config), expected)
    })
  }

  const refills = (pool: 'base' | 'quote'): Side => (pool === 'base' ? 'SELL' : 'BUY')

  it('property: a pool below 20 % never lets its depleting side trade; HALT only when both are that low', () => {
    const usd = fc.bigInt({ min: 0n, max: 2_000_000n })
    fc.assert(
      fc.property(usd, usd, (baseUsd, quoteUsd) => {
        const value = {
          corridor: 'USD-IDR' as const,
          base: { balanceUsd: ratio(baseUsd), targetUsd: r('1000000') },
          quote: { balanceUsd: ratio(quoteUsd), targetUsd: r('500000') },
        }
        // Strictly below 20 % of target, in integers: balance × 100 < target × 20.
        const levels = { base: [baseUsd, 1_000_000n], quote: [quoteUsd, 500_000n] } as const
        const critical = (['base', 'quote'] as const).filter(
          (pool) => levels[pool][0] * 100n < levels[pool][1] * 20n,
        )
        const result = inventorySignal(value, config)
        const state = evaluate(initialRiskState(0), [result], 'degrade', 0)
        if (critical.length === 2) {
          assert.equal(result.state, 'HALT')
          assert.deepEqual(state.allowedDirections, [])
        } else if (critical.length === 1) {
          const pool = critical[0] as 'base' | 'quote'
          assert.equal(result.state, 'RESTRICT')
          assert.deepEqual(state.allowedDirections, [refills(pool)])
        } else {
          assert.notEqual(result.state, 'HALT')
        }
      }),
      { numRuns: 3_000 },
    )
  })
})

describe('every other HALT still closes both directions', () => {
  const lowIdrx = inventorySignal(input('USD-IDR', '1000000', '1000000', '75000', '500000'), config)
  const halts: [string, SignalResult][] = [
    ['oracle', { signal: 'oracle', state: 'HALT', reason: 'oracle USD-IDR price stale' }],
    ['volatility', { signal: 'volatility', state: 'HALT', reason: 'mid moved 0.4%' }],
  ]
  for (const [name, halt] of halts) {
    it(`${name} HALT beside an IDRX pool at 15 %: nothing trades`, () => {
      const next = evaluate(initialRiskState(0), [halt, lowIdrx], 'degrade', 0)
      assert.equal(next.state, 'HALT')
      assert.deepEqual(next.allowedDirections, [])
    })
  }
  it('an operator HALT over an IDRX pool at 15 %: nothing trades', () => {
    const computed = evaluate(initialRiskState(0), [lowIdrx], 'degrade', 0)
    assert.deepEqual(computed.allowedDirections, ['BUY'])
    const effective = applyOverride(computed, { state: 'HALT', reason: 'ops', expiresAtMs: 1_000 }, 0)
    assert.equal(effective.state, 'HALT')
    assert.deepEqual(effective.allowedDirections, [])
  })
})

describeEachDialect('an IDRX Active pool at 15 % of target, over HTTP', ({ dialect }) => {
  /** Moves sandbox Active IDRX to 15 % of its 8,125,000,000 IDR target: 812,500,000,000 − 690,625,000,000 cents. */
  async function drainIdrxTo15Pct(app: TestApp) {
    const taken = 690_625_000_000n
    const posted = await app.store.transaction((tx) =>
      postEntry(tx, {
        environment: 'sandbox',
        kind: 'test_inventory',
        reference: 'idrx-15pct',
        postings: [
          { account: poolAccount('sandbox', 'IDRX', 'ACTIVE'), amount: -taken },
          { account: protocolAccount('sandbox', 'IDRX', 'protocol_liquidity'), amount: taken },
        ],
        atMs: app.clock.now(),
      }),
    )
    assert.equal(posted.ok, true)
    assert.equal(await poolMinor(app, 'IDRX'), 121_875_000_000n)
    await settleRisk(app)
  }

  it('refuses the depleting SELL, quotes and executes the refilling BUY', T, async (t) => {
    const app = await openApp(t, dialect)
    await setMarket(app)
    const partner = await createPartner(app)
    await drainIdrxTo15Pct(app)

    const state = await corridorState(app, partner, 'USD-IDR')
    assert.equal(state.state, 'RESTRICT')
    assert.deepEqual(state.allowed_directions, ['BUY'])
    assert.deepEqual(state.reasons, [
      'inventory: USD-IDR IDRX Active pool at 15% of target (IR -85%), below 20% of target: SELL halted, only BUY allowed',
    ])

    const sell = await firmQuote(app, partner, { pair: 'USD-IDR', side: 'SELL', amount: '1000' })
    const blocked = expectError(sell, 400, 'DIRECTION_BLOCKED', 'USD-IDR')
    assert.equal(blocked.message, 'SELL is blocked on USD-IDR in RESTRICT (allowed: BUY)')

    // BUY pays 16,250,000 IDRX ($1,000) and is paid USDT: IDRX comes into the pool.
    await fund(app, partner, 'IDRX', '16250000')
    const quote = await quoteOk(app, partner, { pair: 'USD-IDR', side: 'BUY', amount: '16250000' })
    assert.equal(quote.state_flag, 'RESTRICT')
    assert.equal(quote.allowed_direction, 'BUY')
    // RESTRICT: 25 % of 10 % of the USDT Active pool ($1,000,000) = $25,000.
    assert.equal(quote.max_size, '25000')
    const executed = await execute(app, partner, { quote_id: quote.quote_id, destination_address: ADDRESS })
    assert.equal(executed.statusCode, 200, executed.body)
    assert.equal(executed.json().status, 'SETTLED')
    assert.equal(await poolMinor(app, 'IDRX'), 121_875_000_000n + 1_625_000_000n)
  })

  it('an operator HALT on that corridor closes the refilling side too', T, async (t) => {
    const app = await openApp(t, dialect)
    await setMarket(app)
    const partner = await createPartner(app)
    await drainIdrxTo15Pct(app)
    await override(app, {
      corridor: 'USD-IDR',
      state: 'HALT',
      reason: 'custodian outage',
      expires_at: iso(app.clock.now() + 60 * 60_000),
      environment: 'sandbox',
    })
    const state = await corridorState(app, partner, 'USD-IDR')
    assert.equal(state.state, 'HALT')
    assert.deepEqual(state.allowed_directions, [])
    const buy = await firmQuote(app, partner, { pair: 'USD-IDR', side: 'BUY', amount: '16250000' })
    expectError(buy, 503, 'QUOTE_HALTED', 'USD-IDR')
  })
})
