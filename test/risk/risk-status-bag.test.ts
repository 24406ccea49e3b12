/**
 * GET /v1/reserve/risk-status once Phase 1 rebalancing has moved part of a
 * position into the Reserve's batches (SPEC §8, §13): `waop`,
 * `unrealised_pnl_usd` and `oldest_batch_age_hours` come from the open
 * batches together with what the Active pools still hold, and gross
 * exposure and VaR count both (a rebalance moves the position, it does not
 * close it). Worked by hand at the setMarket mid, 16,250 IDR per USD.
 */
import assert from 'node:assert/strict'
import { it } from 'node:test'
import { r } from '../../src/money/ratio.ts'
import type { UsdRates } from '../../src/pools/usd-rates.ts'
import { settleRebalance } from '../../src/rebalancing/settle.ts'
import { movePosition } from '../../src/risk/positions.ts'
import { setMarket, T0, type TestApp } from '../support/app.ts'
import { describeEachDialect } from '../support/databases.ts'
import { advanceWithFreshPrices, openApp, ops, T } from './engine-support.ts'

const USDT = 1_000_000n
const IDRX = 100n
const HOUR = 3_600_000

function at(idr: string): UsdRates {
  const table = { USD: r('1'), IDR: r(idr), SGD: r('1.3'), MYR: r('4.2') }
  return { fiatPerUsd: (fiat) => table[fiat] }
}

async function usdIdrStatus(app: TestApp) {
  const response = await ops(app, 'GET', '/v1/reserve/risk-status?environment=sandbox')
  assert.equal(response.statusCode, 200, response.body)
  const c = response.json().corridors['USD-IDR']
  return {
    units: c.inventory_units,
    waop: c.waop,
    gross: c.gross_exposure_usd,
    unrealised: c.unrealised_pnl_usd,
    var: c.var_1d_usd,
    age: c.oldest_batch_age_hours,
  }
}

function rebalance(
  app: TestApp,
  direction: 'LONG_BASE' | 'SHORT_BASE',
  usd: string,
  idr: string,
  atMs: number,
) {
  return app.store.transaction(async (tx) => {
    const settled = await settleRebalance(tx, {
      environment: 'sandbox',
      corridor: 'USD-IDR',
      direction,
      amountUsd: r(usd),
      rates: at(idr),
      atMs,
      trigger: 'hard',
      emergency: false,
    })
    assert.equal(settled.ok, true)
  })
}

describeEachDialect('risk status with the bag in batches', ({ dialect }) => {
  it('waop, unrealised PnL, age and exposure over the batches and the Active part', T, async (t) => {
    const app = await openApp(t, dialect)
    await setMarket(app)
    // Swaps left 100,000 USDT in the Active pools, paid for with 1,624,000,000 IDRX (16,240 on average).
    await app.store.transaction((tx) =>
      movePosition(
        tx,
        'sandbox',
        'USD-IDR',
        { baseUnits: 100_000n * USDT, quoteUnits: -1_624_000_000n * IDRX },
        T0,
      ),
    )
    // 100,000 × (16,250 − 16,240) / 16,250 = $61.538…; VaR 100,000 × 1.645 × 0.5 % = $822.50.
    const before = {
      units: '100000',
      waop: '16240',
      gross: '100000',
      unrealised: '61.53',
      var: '822.5',
      age: '0',
    }
    assert.deepEqual(await usdIdrStatus(app), before)

    // The Reserve takes 85,000 of it at 16,250 (a batch at WAOP 16,250); Active keeps 15,000 USDT against
    // 1,624,000,000 − 1,381,250,000 = 242,750,000 IDRX. The position, its cost and its exposure are the same:
    // WAOP (85,000 × 16,250 + 242,750,000) / 100,000 = 16,240, unrealised $0 on the batch + $61.538… on Active.
    await rebalance(app, 'LONG_BASE', '85000', '16250', T0)
    await advanceWithFreshPrices(app, HOUR + HOUR / 2, HOUR + HOUR / 2)
    // Both parts are an hour and a half old: the batch opened at the rebalance, and Active's rest restarted then.
    assert.deepEqual(await usdIdrStatus(app), { ...before, age: '1.5' })

    // Opposite flow settles 40,000 back at 16,250 and nets the batch first: 45,000 left at 16,250.
    await rebalance(app, 'SHORT_BASE', '40000', '16250', T0 + HOUR + HOUR / 2)
    // The Active part (15,000 + 40,000 USDT against 242,750,000 + 650,000,000 IDRX, 16,231.81… each) and
    // the batch: (45,000 × 16,250 + 892,750,000) / 100,000 = 16,240 again, and still $61.53 unrealised.
    // The oldest part is the batch, opened an hour and a half ago.
    assert.deepEqual(await usdIdrStatus(app), { ...before, age: '1.5' })
    const batch = await app.store.kysely.selectFrom('rebalance_batches').selectAll().executeTakeFirstOrThrow()
    assert.deepEqual(
      {
        status: batch.status,
        volume: batch.volume,
        closed: batch.closed_volume,
        pnl: batch.realised_pnl_usd,
      },
      { status: 'SETTLED_INTERNALLY', volume: '85000000000', closed: '40000000000', pnl: '0/1' },
    )
  })
})
