/**
 * Idempotency-Key on POSTs under /v1 (SPEC §3, §14.2–14.3): replays are byte
 * for byte, a key yields at most one effect, a different body is 422, keys are
 * per partner, expire after 24 h, and a request that failed validation does
 * not consume its key.
 */
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, beforeEach, it } from 'node:test'
import { verifyLedger } from '../../src/ledger/verify.ts'
import { createPartner, createTestApp, setMarket, type TestApp } from '../support/app.ts'
import { describeEachDialect } from '../support/databases.ts'
import {
  ADDRESS,
  ADDRESS_CHECKSUMMED,
  advanceSandbox,
  balanceOf,
  countQuotes,
  execute,
  expectError,
  firmQuote,
  fund,
  post,
  quoteOk,
  riskTick,
} from './support.ts'

const T = { timeout: 10_000 }
const SGD_100 = { pair: 'USD-SGD', side: 'SELL', amount: '100' }

/** A fresh key of 16–255 printable characters. */
const newKey = () => `idem-${randomUUID()}`

describeEachDialect('idempotency keys', ({ store }) => {
  let app: TestApp
  before(async () => {
    app = await createTestApp(store())
  })
  after(() => app.close())
  beforeEach(() => setMarket(app))

  let partnerNo = 0
  const freshPartner = () => createPartner(app, { name: `Idempotent ${++partnerNo}` })

  it(
    'a replayed firm quote returns the original status and body byte for byte, and no second quote',
    T,
    async () => {
      const partner = await freshPartner()
      const key = newKey()
      const first = await firmQuote(app, partner, SGD_100, { idempotencyKey: key })
      assert.equal(first.statusCode, 200, first.body)
      assert.equal(first.headers['idempotent-replayed'], undefined)
      const replay = await firmQuote(app, partner, SGD_100, { idempotencyKey: key })
      assert.equal(replay.statusCode, 200)
      assert.equal(replay.headers['idempotent-replayed'], 'true')
      assert.match(String(replay.headers['content-type']), /^application\/json/)
      assert.equal(replay.body, first.body)
      assert.equal(await countQuotes(app, partner.id), 1)
      // The same body with its fields in another order is the same request.
      const reordered = await firmQuote(app, partner, '{"amount":"100","side":"SELL","pair":"USD-SGD"}', {
        idempotencyKey: key,
      })
      assert.equal(reordered.headers['idempotent-replayed'], 'true')
      assert.equal(reordered.body, first.body)
    },
  )

  it('a replayed execution returns the original body and debits once', T, async () => {
    const partner = await freshPartner()
    await fund(app, partner, 'USDT', '300')
    const quote = await quoteOk(app, partner, SGD_100)
    const key = newKey()
    const body = { quote_id: quote.quote_id, destination_address: ADDRESS }
    const first = await execute(app, partner, body, { idempotencyKey: key })
    assert.equal(first.statusCode, 200, first.body)
    for (let i = 0; i < 3; i++) {
      const replay = await execute(app, partner, body, { idempotencyKey: key })
      assert.equal(replay.statusCode, 200)
      assert.equal(replay.headers['idempotent-replayed'], 'true')
      assert.equal(replay.body, first.body)
    }
    assert.equal(await balanceOf(app, partner, 'USDT'), '200')
    // Without the key, the second call is the business answer: the quote was executed.
    expectError(await execute(app, partner, body), 409, 'QUOTE_ALREADY_EXECUTED', 'USD-SGD')
    const report = await store().snapshot((db) => verifyLedger(db))
    assert.deepEqual(report.violations, [])
  })

  it('a replayed faucet call credits once', T, async () => {
    const partner = await freshPartner()
    const key = newKey()
    const body = { asset: 'IDRX', amount: '1000.5' }
    const first = await post(app, partner, '/v1/sandbox/faucet', body, { idempotencyKey: key })
    const replay = await post(app, partner, '/v1/sandbox/faucet', body, { idempotencyKey: key })
    assert.equal(first.statusCode, 200, first.body)
    assert.equal(replay.body, first.body)
    assert.equal(await balanceOf(app, partner, 'IDRX'), '1000.5')
  })

  it('a failing business outcome replays as the same 422, even once it would succeed', T, async () => {
    const partner = await freshPartner()
    const quote = await quoteOk(app, partner, SGD_100)
    const key = newKey()
    const body = { quote_id: quote.quote_id, destination_address: ADDRESS }
    const first = await execute(app, partner, body, { idempotencyKey: key })
    expectError(first, 422, 'INSUFFICIENT_FUNDS', 'USD-SGD')
    await fund(app, partner, 'USDT', '100')
    const replay = await execute(app, partner, body, { idempotencyKey: key })
    assert.equal(replay.statusCode, 422)
    assert.equal(replay.headers['idempotent-replayed'], 'true')
    assert.equal(replay.body, first.body)
    assert.equal(await balanceOf(app, partner, 'USDT'), '100')
    // A new key is a new request: it executes.
    const fresh = await execute(app, partner, body, { idempotencyKey: newKey() })
    assert.equal(fresh.statusCode, 200, fresh.body)
  })

  it('the same key with a different body is 422 IDEMPOTENCY_KEY_REUSED', T, async () => {
    const partner = await freshPartner()
    const key = newKey()
    assert.equal((await firmQuote(app, partner, SGD_100, { idempotencyKey: key })).statusCode, 200)
    const other = await firmQuote(
      app,
      partner,
      { ...SGD_100, side: 'BUY', amount: '130' },
      { idempotencyKey: key },
    )
    expectError(other, 422, 'IDEMPOTENCY_KEY_REUSED')
    const elsewhere = await post(
      app,
      partner,
      '/v1/sandbox/faucet',
      { asset: 'USDT', amount: '1' },
      {
        idempotencyKey: key,
      },
    )
    expectError(elsewhere, 422, 'IDEMPOTENCY_KEY_REUSED')
    assert.equal(await balanceOf(app, partner, 'USDT'), '0')
    assert.equal(await countQuotes(app, partner.id), 1)
  })

  it('a request refused by schema validation does not consume its key', T, async () => {
    const partner = await freshPartner()
    const key = newKey()
    const refused = await firmQuote(
      app,
      partner,
      { ...SGD_100, memo: 'unknown field' },
      { idempotencyKey: key },
    )
    expectError(refused, 400, 'VALIDATION_ERROR')
    const valid = await firmQuote(app, partner, SGD_100, { idempotencyKey: key })
    assert.equal(valid.statusCode, 200, valid.body)
    assert.equal(valid.headers['idempotent-replayed'], undefined)
  })

  // SPEC §14.3: "a request that failed validation does not consume its key", also when the handler, not
  // the schema, finds the problem (here: more decimals than the asset has).
  it('a request refused for too many fraction digits does not consume its key', T, async () => {
    const partner = await freshPartner()
    const key = newKey()
    const refused = await firmQuote(
      app,
      partner,
      { ...SGD_100, amount: '100.0000001' },
      { idempotencyKey: key },
    )
    expectError(refused, 400, 'VALIDATION_ERROR', 'USD-SGD')
    const valid = await firmQuote(app, partner, SGD_100, { idempotencyKey: key })
    assert.equal(valid.statusCode, 200, valid.body)
  })

  // The same when the destination address check (a VALIDATION_ERROR) refuses the execution.
  it('an execution refused for a bad address checksum does not consume its key', T, async () => {
    const partner = await freshPartner()
    await fund(app, partner, 'USDT', '100')
    const quote = await quoteOk(app, partner, SGD_100)
    const key = newKey()
    const broken = `${ADDRESS_CHECKSUMMED.slice(0, 3)}b${ADDRESS_CHECKSUMMED.slice(4)}`
    const refused = await execute(
      app,
      partner,
      { quote_id: quote.quote_id, destination_address: broken },
      { idempotencyKey: key },
    )
    expectError(refused, 400, 'VALIDATION_ERROR')
    const valid = await execute(
      app,
      partner,
      { quote_id: quote.quote_id, destination_address: ADDRESS_CHECKSUMMED },
      { idempotencyKey: key },
    )
    assert.equal(valid.statusCode, 200, valid.body)
  })

  it('keys are per partner: two partners may use the same key', T, async () => {
    const a = await freshPartner()
    const b = await freshPartner()
    const key = newKey()
    const fromA = await firmQuote(app, a, SGD_100, { idempotencyKey: key })
    const fromB = await firmQuote(app, b, SGD_100, { idempotencyKey: key })
    assert.equal(fromA.statusCode, 200, fromA.body)
    assert.equal(fromB.statusCode, 200, fromB.body)
    assert.equal(fromB.headers['idempotent-replayed'], undefined)
    assert.notEqual(fromA.json().quote_id, fromB.json().quote_id)
    assert.equal(await countQuotes(app, a.id), 1)
    assert.equal(await countQuotes(app, b.id), 1)
  })

  it('keys are kept 24 hours on the wall clock, whatever the sandbox clock does', T, async () => {
    const partner = await freshPartner()
    const key = newKey()
    assert.equal((await firmQuote(app, partner, SGD_100, { idempotencyKey: key })).statusCode, 200)
    const other = { ...SGD_100, amount: '200' }
    // Two sandbox days later the wall clock has not moved: the key is still taken.
    await advanceSandbox(app, 2 * 24 * 3600)
    await setMarket(app)
    expectError(await firmQuote(app, partner, other, { idempotencyKey: key }), 422, 'IDEMPOTENCY_KEY_REUSED')
    app.clock.advance(24 * 3600 * 1000 - 1000)
    await setMarket(app)
    expectError(await firmQuote(app, partner, other, { idempotencyKey: key }), 422, 'IDEMPOTENCY_KEY_REUSED')
    app.clock.advance(2000)
    await setMarket(app)
    const later = await firmQuote(app, partner, other, { idempotencyKey: key })
    assert.equal(later.statusCode, 200, later.body)
    assert.equal(later.headers['idempotent-replayed'], undefined)
    assert.equal(later.json().amount, '200')
  })

  it('a 5xx releases the key so the client may retry', T, async () => {
    const partner = await freshPartner()
    await fund(app, partner, 'USDT', '100')
    const quote = await quoteOk(app, partner, SGD_100)
    const key = newKey()
    const body = { quote_id: quote.quote_id, destination_address: ADDRESS }
    app.clock.advance(31_000) // USD-SGD stale → HALT (SPEC §6.2), within the quote's 45 s
    // Ageing alone degrades on the engine's 1-second tick, which test apps do not start: run it once.
    await riskTick(app)
    expectError(await execute(app, partner, body, { idempotencyKey: key }), 503, 'QUOTE_HALTED', 'USD-SGD')
    await setMarket(app)
    const retry = await execute(app, partner, body, { idempotencyKey: key })
    assert.equal(retry.statusCode, 200, retry.body)
    assert.equal(retry.headers['idempotent-replayed'], undefined)
    assert.equal(await balanceOf(app, partner, 'USDT'), '0')
  })

  it('a key must be 16 to 255 printable characters', T, async () => {
    const partner = await freshPartner()
    for (const key of ['k'.repeat(15), 'k'.repeat(256), 'has space in it 123', 'clé-clé-clé-clé-clé']) {
      const response = await firmQuote(app, partner, SGD_100, { idempotencyKey: key })
      const error = expectError(response, 400, 'VALIDATION_ERROR')
      assert.equal(error.message, 'Idempotency-Key must be 16 to 255 printable characters')
    }
    assert.equal(await countQuotes(app, partner.id), 0)
    for (const key of ['k'.repeat(16), 'k'.repeat(255)]) {
      const response = await firmQuote(app, partner, SGD_100, { idempotencyKey: key })
      assert.equal(response.statusCode, 200, response.body)
    }
  })
})
