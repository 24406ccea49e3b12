import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { openStore, type Store } from '../../src/store/store.ts'
import { createPartner, createTestApp, type TestApp, type TestPartner } from '../support/app.ts'
import { createTestDatabase, type TestDatabase } from '../support/databases.ts'

describe('HTTP shell', () => {
  let database: TestDatabase
  let store: Store
  let app: TestApp
  let partner: TestPartner
  before(async () => {
    database = await createTestDatabase('sqlite')
    store = await openStore(database.url)
    app = await createTestApp(store)
    partner = await createPartner(app)
  })
  after(async () => {
    await app.close()
    await store.close()
    await database.drop()
  })

  const faucet = (payload: string | object, headers: Record<string, string> = {}) =>
    app.inject({
      method: 'POST',
      url: '/v1/sandbox/faucet',
      headers: { ...partner.headers(), 'content-type': 'application/json', ...headers },
      payload: typeof payload === 'string' ? payload : JSON.stringify(payload),
    })

  const badAmounts: [string, string][] = [
    ['true', '{"asset":"USDT","amount":true}'],
    ['null', '{"asset":"USDT","amount":null}'],
    ['1e3 as a JSON number', '{"asset":"USDT","amount":1e3}'],
    ['"1e3" as a string', '{"asset":"USDT","amount":"1e3"}'],
    ['"0x10"', '{"asset":"USDT","amount":"0x10"}'],
    ['"-5"', '{"asset":"USDT","amount":"-5"}'],
    ['-5 as a JSON number', '{"asset":"USDT","amount":-5}'],
    ['""', '{"asset":"USDT","amount":""}'],
    ['an array', '{"asset":"USDT","amount":["1"]}'],
    ['a number that loses precision', '{"asset":"USDT","amount":9007199254740993}'],
    ['more decimals than the asset', '{"asset":"IDRX","amount":"1.001"}'],
    ['more decimals as a number', '{"asset":"IDRX","amount":1.001}'],
    ['zero', '{"asset":"USDT","amount":"0"}'],
  ]
  for (const [what, payload] of badAmounts) {
    it(`refuses ${what} as an amount with 400 VALIDATION_ERROR`, async () => {
      const response = await faucet(payload)
      assert.equal(response.statusCode, 400, response.body)
      assert.equal(response.json().error.code, 'VALIDATION_ERROR')
    })
  }

  it('accepts an exact JSON number as an amount', async () => {
    const response = await faucet('{"asset":"IDRX","amount":1000.5}')
    assert.equal(response.statusCode, 200)
    assert.equal(response.json().amount, '1000.5')
  })

  it('refuses unknown fields instead of dropping them', async () => {
    const response = await faucet({ asset: 'USDT', amount: '1', memo: 'hi' })
    assert.equal(response.statusCode, 400)
    assert.match(response.json().error.message, /additional properties/)
  })

  it('every error carries the SPEC §3 envelope with the request id', async () => {
    const response = await faucet({ asset: 'DOGE', amount: '1' }, { 'x-request-id': 'req-123' })
    assert.equal(response.statusCode, 400)
    assert.equal(response.headers['x-request-id'], 'req-123')
    const body = response.json()
    assert.deepEqual(Object.keys(body), ['error'])
    assert.deepEqual(Object.keys(body.error).sort(), ['code', 'message', 'request_id', 'timestamp'])
    assert.equal(body.error.request_id, 'req-123')
    assert.match(body.error.timestamp, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/)
  })

  it('invents a request id when none (or a strange one) is given', async () => {
    const response = await faucet({ asset: 'DOGE', amount: '1' }, { 'x-request-id': 'bad id with spaces' })
    assert.match(response.json().error.request_id, /^[0-9a-f-]{36}$/)
  })

  it('refuses malformed JSON, prototype keys, other media types and oversized bodies', async () => {
    const broken = await faucet('{"asset":')
    assert.equal(broken.statusCode, 400)
    assert.equal(broken.json().error.code, 'VALIDATION_ERROR')
    const proto = await faucet('{"asset":"USDT","amount":"1","__proto__":{"x":1}}')
    assert.equal(proto.statusCode, 400)
    const text = await faucet('asset=USDT', { 'content-type': 'text/plain' })
    assert.equal(text.statusCode, 415)
    assert.equal(text.json().error.code, 'UNSUPPORTED_MEDIA_TYPE')
    const huge = await faucet({ asset: 'USDT', amount: '1', pad: 'x'.repeat(70_000) })
    assert.equal(huge.statusCode, 413)
    assert.equal(huge.json().error.code, 'PAYLOAD_TOO_LARGE')
  })

  it('answers unknown routes with the NOT_FOUND envelope', async () => {
    const response = await app.inject({ method: 'GET', url: '/v1/nothing-here' })
    assert.equal(response.statusCode, 404)
    assert.equal(response.json().error.code, 'NOT_FOUND')
  })

  it('serves /health without I/O and /ready after asking the database', async () => {
    assert.deepEqual((await app.inject({ method: 'GET', url: '/health' })).json(), { status: 'ok' })
    assert.deepEqual((await app.inject({ method: 'GET', url: '/ready' })).json(), { status: 'ready' })
  })

  it('serves Prometheus metrics that count requests by route', async () => {
    const response = await app.inject({ method: 'GET', url: '/metrics' })
    assert.equal(response.statusCode, 200)
    assert.match(response.headers['content-type'] as string, /text\/plain/)
    assert.match(
      response.body,
      /stablefx_http_requests_total\{method="GET",route="\/health",status="200"\} \d+/,
    )
  })

  it('serves an OpenAPI 3.1 document and the docs page', async () => {
    const spec = (await app.inject({ method: 'GET', url: '/openapi.json' })).json()
    assert.equal(spec.openapi, '3.1.0')
    for (const path of [
      '/v1/balances',
      '/v1/sandbox/faucet',
      '/admin/v1/partners',
      '/admin/v1/pools',
      '/health',
    ]) {
      assert.ok(spec.paths[path], `${path} documented`)
    }
    const docs = await app.inject({ method: 'GET', url: '/docs/' })
    assert.equal(docs.statusCode, 200)
    assert.match(docs.body, /swagger/i)
  })
})
