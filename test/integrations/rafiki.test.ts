/**
 * GET /rates for Interledger (Rafiki) nodes (SPEC §12.1): the contract the
 * Rafiki backend consumes, executable rates for a $1,000 reference size worked
 * by hand, halted corridors left out, and the one-second cache.
 *
 * Nothing here executes, so the Active pools stay at their first-start levels.
 */
import assert from 'node:assert/strict'
import { after, afterEach, before, beforeEach, describe, it } from 'node:test'
import { setTimeout as sleep } from 'node:timers/promises'
import { openStore, type Store } from '../../src/store/store.ts'
import { createTestApp, recover, setMarket, setPrice, type TestApp } from '../support/app.ts'
import { createTestDatabase, type TestDatabase } from '../support/databases.ts'
import { afterVolatilityWindow } from '../trading/support.ts'

const T = { timeout: 10_000 }
const CODES = ['USD', 'USDT', 'IDR', 'IDRX', 'SGD', 'tnSGD', 'MYR', 'MYRC']

describe('GET /rates (SPEC §12.1)', () => {
  let database: TestDatabase
  let store: Store
  before(async () => {
    database = await createTestDatabase('sqlite')
    store = await openStore(database.url)
  })
  after(async () => {
    await store.close()
    await database.drop()
  })

  // Each test gets its own app: the rates cache lives in the app, so one test's answers never leak into another's.
  let app: TestApp
  beforeEach(async () => {
    app = await createTestApp(store)
    await setMarket(app)
  })
  afterEach(() => app.close())

  const rates = (base: string, headers: Record<string, string> = {}) =>
    app.inject({ method: 'GET', url: `/rates?base=${encodeURIComponent(base)}`, headers })

  it(
    'base=USD: 200, base echoed, every fiat and stablecoin code as a positive finite JSON number',
    T,
    async () => {
      const response = await rates('USD')
      assert.equal(response.statusCode, 200, response.body)
      assert.match(String(response.headers['content-type']), /^application\/json/)
      const body = JSON.parse(response.body)
      assert.deepEqual(Object.keys(body).sort(), ['base', 'rates'])
      assert.equal(body.base, 'USD')
      assert.deepEqual(Object.keys(body.rates).sort(), [...CODES].sort())
      for (const code of CODES) {
        const value = body.rates[code]
        assert.equal(typeof value, 'number', `${code} is ${JSON.stringify(value)}`)
        assert.ok(Number.isFinite(value) && value > 0, `${code}: ${value}`)
      }
      assert.equal(body.rates.USD, 1)
      assert.equal(body.rates.USDT, 1)
      // A stablecoin trades 1:1 with its fiat.
      assert.equal(body.rates.IDRX, body.rates.IDR)
      assert.equal(body.rates.tnSGD, body.rates.SGD)
      assert.equal(body.rates.MYRC, body.rates.MYR)
    },
  )

  it('publishes the executable rate for $1,000, below mid, worked by hand', T, async () => {
    const body = (await rates('USD')).json()
    // USD→IDR: SELL 1,000 USDT. SMALL tier (10,000 IDR fixed, 5 bips), spread 4 + 10 × 1,000 / 500,000
    // = 4.02 bps: bid 16246.73375, gross 16,246,733.75, variable 8,123.37 (up), net 16,228,610.38.
    assert.equal(body.rates.IDR, 16228.61038)
    assert.ok(body.rates.IDR < 16250)
    // USD→SGD: SELL 1,000 USDT. $1 = 1.3 SGD fixed, 5 bips, spread 2.02 bps: bid 1.2998687,
    // gross 1,299.8687, variable 0.649935 (up), net 1,297.918765.
    assert.equal(body.rates.SGD, 1.297918765)
    assert.ok(body.rates.SGD < 1.3)
    // USD→MYR goes USD→IDR→MYR: the IDR leg above times MYR-IDR BUY for 16,250,000 IDRX
    // (ask 3870.21478175 at 6.0333 bps, 4.2 MYRC fixed, 5 bips), rounded down to 12 digits.
    assert.equal(body.rates.MYR, 4.186915580295)
    assert.ok(body.rates.MYR < 4.2)
  })

  it('accepts a stablecoin as the base', T, async () => {
    const response = await rates('IDRX')
    assert.equal(response.statusCode, 200, response.body)
    const body = response.json()
    assert.equal(body.base, 'IDRX')
    assert.deepEqual(Object.keys(body.rates).sort(), [...CODES].sort())
    assert.equal(body.rates.IDR, 1)
    assert.equal(body.rates.IDRX, 1)
    // IDR→USD: USD-IDR BUY 16,250,000 IDRX at the ask 16253.258125 (4.01 bps): 999.79954 USDT
    // − 0.4999 (5 bips) − 0.615385 (10,000 IDR) = 998.684255 USDT, per IDR.
    assert.equal(body.rates.USD, 0.000061457492)
    assert.ok(body.rates.USD < 1 / 16250)
    const usdt = await rates('USDT')
    assert.equal(usdt.json().base, 'USDT')
    assert.equal(usdt.json().rates.USDT, 1)
  })

  it('an unknown base is 404 with the error envelope', T, async () => {
    for (const base of ['DOGE', 'EUR', 'usd', 'kUSD-fx', '']) {
      const response = await rates(base)
      assert.equal(response.statusCode, 404, `${base}: ${response.body}`)
      const error = response.json().error
      assert.equal(error.code, 'NOT_FOUND')
      assert.equal(error.message, `unknown base ${base}`)
      assert.equal(error.request_id, response.headers['x-request-id'])
    }
  })

  it('needs no credentials, and ignores any sent', T, async () => {
    const anonymous = await rates('SGD')
    assert.equal(anonymous.statusCode, 200)
    const withBearer = await rates('SGD', { authorization: 'Bearer not-a-key' })
    assert.equal(withBearer.statusCode, 200)
    assert.equal(withBearer.body, anonymous.body)
  })

  it('leaves out the codes of a halted corridor', T, async () => {
    // USD-SGD goes stale after 30 s (SPEC §6.2) → HALT; the other pairs are refreshed.
    app.clock.advance(31_000)
    await setPrice(app, 'USD-IDR', '16250')
    await setPrice(app, 'USD-MYR', '4.2')
    await setPrice(app, 'MYR-IDR', '3869.04761905')
    // The refreshed pairs were stale too (31 s) until their sources arrived one by one, and their corridors
    // went HALT at once (SPEC §6.1). A recovery evaluation (SPEC §6.3) brings them back; USD-SGD, still
    // stale, stays HALT.
    await recover(app)
    const usd = await rates('USD')
    assert.equal(usd.statusCode, 200)
    assert.deepEqual(Object.keys(usd.json().rates).sort(), ['IDR', 'IDRX', 'MYR', 'MYRC', 'USD', 'USDT'])
    assert.equal(usd.json().rates.IDR, 16228.61038)
    // From SGD every route crosses the halted corridor: only SGD itself remains.
    const sgd = await rates('tnSGD')
    assert.equal(sgd.statusCode, 200)
    assert.deepEqual(sgd.json(), { base: 'tnSGD', rates: { SGD: 1, tnSGD: 1 } })
  })

  it('caches each answer for one second', T, async () => {
    const first = await rates('USD')
    await setPrice(app, 'USD-IDR', '16300')
    // A 0.31% move within 5 minutes is a volatility HALT (SPEC §6.2) that would leave IDR out: let the
    // window pass (test clock) and recover (SPEC §6.3) so the new price is quoted in NORMAL.
    await afterVolatilityWindow(app, { 'USD-IDR': '16300' })
    const cached = await rates('USD')
    assert.equal(cached.body, first.body)
    // The cache runs on real time (performance.now), not the test clocks.
    await sleep(1_100)
    const fresh = await rates('USD')
    assert.notEqual(fresh.body, first.body)
    assert.ok(fresh.json().rates.IDR > first.json().rates.IDR)
    assert.ok(fresh.json().rates.IDR < 16300)
  })
})
