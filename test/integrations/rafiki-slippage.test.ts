/**
 * Issue 15 "Rafiki guidance": the smallest payment a Rafiki node can quote on
 * /rates (priced for the $1,000 reference size) without missing its default
 * 1% slippage, per route, at the sandbox market (setMarket mids, pools at
 * target, NORMAL). Measured with the real pricing pipeline, as /rates prices.
 */
import assert from 'node:assert/strict'
import { after, before, it } from 'node:test'
import type { Fiat } from '../../src/config/assets.ts'
import { type RatesDeps, rateBetween } from '../../src/integrations/rafiki/rates.ts'
import { slippageFloorUsd } from '../../src/integrations/rafiki/slippage.ts'
import { cmp, mul, ONE, percent, ratio, sub } from '../../src/money/ratio.ts'
import { openStore, type Store } from '../../src/store/store.ts'
import { createTestApp, setMarket, type TestApp } from '../support/app.ts'
import { createTestDatabase, type TestDatabase } from '../support/databases.ts'

let database: TestDatabase
let store: Store
let app: TestApp
let deps: RatesDeps

before(async () => {
  database = await createTestDatabase('sqlite')
  store = await openStore(database.url)
  app = await createTestApp(store)
  await setMarket(app)
  const { oracle, pools, risk, riskConfig } = app.stablefx.services
  deps = { oracle, pools, states: risk, riskConfig, environment: 'sandbox', mode: 'executable' }
})
after(async () => {
  await app.close()
  await store.close()
  await database.drop()
})

it('the floor below which a payment misses 1% slippage on the published rate, per route', async () => {
  const routes: [Fiat, Fiat][] = [
    ['USD', 'IDR'],
    ['IDR', 'USD'],
    ['USD', 'SGD'],
    ['SGD', 'USD'],
    ['USD', 'MYR'],
    ['MYR', 'USD'],
  ]
  const floors: Record<string, number | undefined> = {}
  for (const [from, to] of routes) floors[`${from}→${to}`] = await slippageFloorUsd(deps, from, to)
  // MICRO fees (8 bips and a fixed fee: 10,000 IDR on USD-IDR, $0.50 elsewhere) against the $1,000 SMALL
  // tier the rate is priced for; USD→MYR pays two corridors' fees (through IDR).
  assert.deepEqual(floors, {
    'USD→IDR': 60,
    'IDR→USD': 60,
    'USD→SGD': 47,
    'SGD→USD': 47,
    'USD→MYR': 102,
    'MYR→USD': 102,
  })
})

it('a larger slippage tolerance lowers the floor; a reference size of $100 lowers it too', async () => {
  const strict = await slippageFloorUsd(deps, 'USD', 'IDR')
  const loose = await slippageFloorUsd(deps, 'USD', 'IDR', percent(2n))
  const small = await slippageFloorUsd({ ...deps, referenceUsd: '100' }, 'USD', 'IDR')
  assert.deepEqual({ strict, loose, small }, { strict: 60, loose: 31, small: 39 })
  // The bisection's premise: above the floor every whole-dollar size fits (no dip back below 1%).
  const reference = await rateBetween(deps, 'USD', 'IDR')
  assert.ok(reference !== undefined)
  const least = mul(reference, sub(ONE, percent(1n)))
  const below = await rateBetween(deps, 'USD', 'IDR', ratio(59n))
  assert.equal(cmp(below ?? ONE, least) < 0, true)
  for (let usd = 60n; usd <= 1_000n; usd += 20n) {
    const rate = await rateBetween(deps, 'USD', 'IDR', ratio(usd))
    assert.ok(rate !== undefined && cmp(rate, least) >= 0, `$${usd}`)
  }
})
