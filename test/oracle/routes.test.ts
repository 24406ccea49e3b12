import assert from 'node:assert/strict'
import { after, describe, it } from 'node:test'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import Fastify from 'fastify'
import { createManualClock } from '../../src/clock/clock.ts'
import { handleError } from '../../src/http/errors.ts'
import { registerJsonParser } from '../../src/http/json.ts'
import { r } from '../../src/money/ratio.ts'
import { oracleAdminRoutes, parseTimestamp } from '../../src/oracle/routes.ts'
import { createOracleService } from '../../src/oracle/service.ts'
import { openStore, type Store } from '../../src/store/store.ts'
import { createTestDatabase, type TestDatabase } from '../support/databases.ts'

const T0 = Date.UTC(2026, 10, 23)
const HOUR = 3_600_000

const opened: { store: Store; database: TestDatabase }[] = []
after(async () => {
  for (const { store, database } of opened) {
    await store.close()
    await database.drop()
  }
})

/** A bare app with the real app's JSON parser, error handler and validator options, and an admin caller. */
async function setup() {
  const clocks = { live: createManualClock(T0), sandbox: createManualClock(T0 + HOUR) }
  const oracle = createOracleService({ clocks })
  const database = await createTestDatabase('sqlite')
  const store = await openStore(database.url)
  opened.push({ store, database })
  const app = Fastify({
    ajv: {
      customOptions: { coerceTypes: false, removeAdditional: false, useDefaults: false, allErrors: false },
    },
  }).withTypeProvider<TypeBoxTypeProvider>()
  app.decorateRequest('actor', null)
  app.addHook('onRequest', async (request) => {
    request.actor = 'admin'
  })
  registerJsonParser(app)
  app.setErrorHandler(handleError)
  await app.register(oracleAdminRoutes, { oracle, clocks, store })
  await app.ready()
  const post = (payload: unknown) =>
    app.inject({
      method: 'POST',
      url: '/admin/v1/oracle/prices',
      headers: { 'content-type': 'application/json' },
      payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
    })
  return { app, clocks, oracle, post, store }
}

function errorCode(response: { json(): unknown }) {
  return (response.json() as { error: { code: string; message: string } }).error
}

describe('POST /admin/v1/oracle/prices', () => {
  it('records a price in both environments and answers with the readings', async () => {
    const { post } = await setup()
    const first = await post({ source: 'primary_a', pair: 'USD-IDR', price: '16250' })
    assert.equal(first.statusCode, 200)
    assert.equal(first.json().readings.live.status, 'STALE')
    const second = await post({ source: 'primary_b', pair: 'USD-IDR', price: '16251' })
    assert.equal(second.statusCode, 200)
    const reading = {
      status: 'OK',
      mid: '16250.5',
      age_ms: 0,
      deviation_bps: '0.6154',
      near_stale: false,
      near_deviation: false,
      tie_break: false,
      sources: ['primary_a', 'primary_b'],
    }
    assert.deepEqual(second.json(), { pair: 'USD-IDR', readings: { sandbox: reading, live: reading } })
  })

  it('records in one environment when asked', async () => {
    const { post, oracle } = await setup()
    const response = await post({
      source: 'reference',
      pair: 'USD-SGD',
      price: '1.3',
      environment: 'sandbox',
    })
    assert.equal(response.statusCode, 200)
    assert.deepEqual(Object.keys(response.json().readings), ['sandbox'])
    assert.equal(oracle.reading('live', 'USD-SGD').status, 'STALE')
  })

  it('accepts an exact JSON number', async () => {
    const { post, oracle } = await setup()
    const response = await post(
      '{"source":"primary_a","pair":"MYR-IDR","price":3869.05,"environment":"live"}',
    )
    assert.equal(response.statusCode, 200)
    await post('{"source":"primary_b","pair":"MYR-IDR","price":3869.05,"environment":"live"}')
    assert.deepEqual(oracle.reading('live', 'MYR-IDR').mid, r('3869.05'))
  })

  it('refuses 1e3 as a JSON number: the strict parser cannot read it exactly', async () => {
    const { post, oracle } = await setup()
    const response = await post('{"source":"primary_a","pair":"USD-IDR","price":1e3}')
    assert.equal(response.statusCode, 400)
    assert.equal(errorCode(response).code, 'VALIDATION_ERROR')
    assert.equal(oracle.reading('live', 'USD-IDR').ageMs, null)
  })

  it('refuses an unknown field', async () => {
    const { post } = await setup()
    const response = await post({ source: 'primary_a', pair: 'USD-IDR', price: '16250', weight: '0.5' })
    assert.equal(response.statusCode, 400)
    assert.equal(errorCode(response).code, 'VALIDATION_ERROR')
  })

  it('refuses a timestamp in the future', async () => {
    const { post } = await setup()
    const response = await post({
      source: 'primary_a',
      pair: 'USD-IDR',
      price: '16250',
      timestamp: new Date(T0 + HOUR + 1_000).toISOString(),
    })
    assert.equal(response.statusCode, 400)
    assert.deepEqual(
      { code: errorCode(response).code, message: errorCode(response).message },
      { code: 'VALIDATION_ERROR', message: 'timestamp is in the future (sandbox clock)' },
    )
  })

  it('all or nothing: a timestamp past for the sandbox but future for live changes neither', async () => {
    const { post, oracle } = await setup()
    const response = await post({
      source: 'primary_a',
      pair: 'USD-IDR',
      price: '16250',
      timestamp: new Date(T0 + 1_000).toISOString(),
    })
    assert.equal(response.statusCode, 400)
    assert.equal(errorCode(response).message, 'timestamp is in the future (live clock)')
    assert.equal(oracle.reading('sandbox', 'USD-IDR').ageMs, null)
  })

  it('a past timestamp ages the price: 25 s ago is stale for USD-IDR', async () => {
    const { post } = await setup()
    const timestamp = new Date(T0 - 25_000).toISOString()
    await post({ source: 'primary_a', pair: 'USD-IDR', price: '16250', timestamp, environment: 'live' })
    const response = await post({ source: 'primary_b', pair: 'USD-IDR', price: '16250', environment: 'live' })
    assert.deepEqual(
      { status: response.json().readings.live.status, age_ms: response.json().readings.live.age_ms },
      { status: 'STALE', age_ms: 25_000 },
    )
  })

  it('refuses bad values', async () => {
    const { post } = await setup()
    const bodies = [
      { source: 'primary_a', pair: 'USD-IDR', price: '0' },
      { source: 'primary_a', pair: 'USD-IDR', price: -1 },
      { source: 'primary_a', pair: 'USD-IDR', price: '16,250' },
      { source: 'primary_c', pair: 'USD-IDR', price: '16250' },
      { source: 'primary_a', pair: 'USD-EUR', price: '16250' },
      { source: 'primary_a', pair: 'USD-IDR', price: '16250', environment: 'prod' },
      { source: 'primary_a', pair: 'USD-IDR', price: '16250', timestamp: '2026-02-30T00:00:00Z' },
      { source: 'primary_a', pair: 'USD-IDR', price: '16250', timestamp: '1764000000000' },
      { source: 'primary_a', pair: 'USD-IDR' },
    ]
    for (const body of bodies) {
      const response = await post(body)
      assert.equal(response.statusCode, 400, JSON.stringify(body))
      assert.equal(errorCode(response).code, 'VALIDATION_ERROR')
    }
  })
})

describe('GET /admin/v1/oracle', () => {
  it('shows every pair per environment', async () => {
    const { app, post } = await setup()
    await post({ source: 'primary_a', pair: 'USD-SGD', price: '1.3', environment: 'live' })
    await post({ source: 'primary_b', pair: 'USD-SGD', price: '1.3013', environment: 'live' })
    const response = await app.inject({ method: 'GET', url: '/admin/v1/oracle' })
    assert.equal(response.statusCode, 200)
    const body = response.json()
    assert.equal(body.live.now, '2026-11-23T00:00:00.000Z')
    assert.equal(body.sandbox.now, '2026-11-23T01:00:00.000Z')
    assert.deepEqual(Object.keys(body.live.pairs), ['USD-IDR', 'USD-SGD', 'USD-MYR', 'MYR-IDR'])
    assert.deepEqual(body.live.pairs['USD-SGD'], {
      status: 'OK',
      mid: '1.30065',
      age_ms: 0,
      deviation_bps: '10',
      near_stale: false,
      near_deviation: true,
      tie_break: false,
      sources: ['primary_a', 'primary_b'],
    })
    assert.equal(body.live.mid_move_5m_bps['USD-SGD'], '0')
    // primary_a joins primary_b at 1.3013: the mid moves 1.30065 → 1.3013, 4.99750… bps, shown rounded up.
    await post({ source: 'primary_a', pair: 'USD-SGD', price: '1.3013', environment: 'live' })
    const moved = (await app.inject({ method: 'GET', url: '/admin/v1/oracle' })).json()
    assert.equal(moved.live.mid_move_5m_bps['USD-SGD'], '4.9976')
    assert.equal(body.sandbox.pairs['USD-SGD'].status, 'STALE')
    assert.equal(body.sandbox.pairs['USD-SGD'].mid, null)
    assert.equal(body.sandbox.pairs['USD-SGD'].age_ms, null)
  })
})

describe('parseTimestamp', () => {
  it('reads ISO-8601 with a zone, exactly to the millisecond', () => {
    assert.equal(parseTimestamp('2026-11-23T00:00:00Z'), T0)
    assert.equal(parseTimestamp('2026-11-23T00:00:00.250Z'), T0 + 250)
    assert.equal(parseTimestamp('2026-11-23T00:00:00.2509Z'), T0 + 250)
    assert.equal(parseTimestamp('2026-11-23T07:00:00+07:00'), T0)
    assert.equal(parseTimestamp('2026-11-22T19:30:00-04:30'), T0)
  })

  it('refuses what is not a real instant', () => {
    for (const text of [
      '2026-02-30T00:00:00Z',
      '2026-11-23T24:00:00Z',
      '2026-11-23T00:00:00',
      '2026-11-23',
    ]) {
      assert.equal(parseTimestamp(text), undefined, text)
    }
  })
})
