/**
 * Issue 15, SDK: the client's idempotency keys and retries, against a small
 * local HTTP server that answers from a script (503 then 200, 429 with
 * Retry-After, …). Waits go through an injected sleep that records them, so
 * nothing here depends on timing.
 */
import assert from 'node:assert/strict'
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, beforeEach, describe, test } from 'node:test'
import fc from 'fast-check'
import { backoffMs, createStablefxClient, ok, retryAfterMs, StablefxApiError } from '../../sdk/src/index.ts'

type Seen = { method: string; url: string; headers: IncomingHttpHeaders; body: string }
type Answer = { status: number; headers?: Record<string, string>; body?: unknown } | 'hang-up'

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/
const QUOTE = { pair: 'USD-IDR', side: 'SELL', amount: '100' } as const
const QUOTED = { quote_id: 'q-1', rate: '16246.748375' }
const REFUSED = { error: { code: 'INVALID_REQUEST', message: 'body/amount must be a decimal string' } }

describe('SDK client retries and idempotency keys', () => {
  let server: Server
  let baseUrl: string
  let script: Answer[] = []
  let seen: Seen[] = []
  let slept: number[] = []

  before(async () => {
    server = createServer((request, response) => {
      const chunks: Buffer[] = []
      request.on('data', (chunk: Buffer) => chunks.push(chunk))
      request.on('end', () => {
        seen.push({
          method: request.method ?? '',
          url: request.url ?? '',
          headers: request.headers,
          body: Buffer.concat(chunks).toString('utf8'),
        })
        const answer = script.shift() ?? {
          status: 500,
          body: { error: { code: 'INTERNAL', message: 'no script' } },
        }
        if (answer === 'hang-up') {
          request.socket.destroy()
          return
        }
        response.writeHead(answer.status, { 'content-type': 'application/json', ...answer.headers })
        response.end(answer.body === undefined ? '' : JSON.stringify(answer.body))
      })
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })
  after(() => new Promise<void>((resolve) => server.close(() => resolve())))
  beforeEach(() => {
    script = []
    seen = []
    slept = []
  })

  const client = (retry: { maxAttempts?: number; maxRetryAfterMs?: number } = {}) =>
    createStablefxClient({
      baseUrl: `${baseUrl}/`,
      partnerId: 'partner-1',
      apiKey: 'sk_test_abc',
      retry: {
        baseDelayMs: 250,
        maxDelayMs: 1_000,
        jitter: false,
        sleep: async (ms) => {
          slept.push(ms)
        },
        ...retry,
      },
    })

  test('503 then 200: the POST is sent again with the same Idempotency-Key, body and credentials', async () => {
    script = [
      { status: 503, body: { error: { code: 'NOT_READY', message: 'x' } } },
      { status: 200, body: QUOTED },
    ]
    const quote = ok(await client().POST('/v1/quote', { body: QUOTE }))
    assert.deepEqual(quote, QUOTED)
    assert.equal(seen.length, 2)
    const [first, second] = seen as [Seen, Seen]
    assert.match(String(first.headers['idempotency-key']), UUID)
    assert.equal(second.headers['idempotency-key'], first.headers['idempotency-key'])
    for (const request of seen) {
      assert.equal(request.method, 'POST')
      assert.equal(request.url, '/v1/quote')
      assert.equal(request.body, '{"pair":"USD-IDR","side":"SELL","amount":"100"}')
      assert.equal(request.headers.authorization, 'Bearer sk_test_abc')
      assert.equal(request.headers['x-partner-id'], 'partner-1')
    }
    assert.deepEqual(slept, [250])
  })

  test('429 with Retry-After: 3 waits 3 s (not the backoff) and retries with the same key', async () => {
    script = [
      {
        status: 429,
        headers: { 'retry-after': '3' },
        body: { error: { code: 'RATE_LIMITED', message: 'x' } },
      },
      { status: 200, body: QUOTED },
    ]
    const { data } = await client().POST('/v1/quote', { body: QUOTE })
    assert.deepEqual(data, QUOTED)
    assert.equal(seen.length, 2)
    assert.equal(seen[1]?.headers['idempotency-key'], seen[0]?.headers['idempotency-key'])
    assert.deepEqual(slept, [3_000])
  })

  test('attempts are bounded: a server that keeps failing gets maxAttempts requests, backing off 250, 500, 1000 (capped)', async () => {
    script = Array.from({ length: 10 }, () => ({
      status: 502,
      body: { error: { code: 'BAD_GATEWAY', message: 'x' } },
    }))
    const result = await client({ maxAttempts: 5 }).POST('/v1/quote', { body: QUOTE })
    assert.equal(result.response.status, 502)
    assert.deepEqual(result.error, { error: { code: 'BAD_GATEWAY', message: 'x' } })
    assert.equal(seen.length, 5)
    assert.equal(new Set(seen.map((s) => s.headers['idempotency-key'])).size, 1)
    assert.deepEqual(slept, [250, 500, 1_000, 1_000])
    assert.throws(
      () => ok(result),
      (error: unknown) => {
        assert.ok(error instanceof StablefxApiError)
        assert.equal(error.status, 502)
        assert.equal(error.code, 'BAD_GATEWAY')
        assert.equal(error.message, 'HTTP 502 BAD_GATEWAY: x')
        return true
      },
    )
  })

  test('with jitter (the default) each backoff falls within [delay/2, delay]', async () => {
    script = [...Array.from({ length: 3 }, () => ({ status: 503, body: {} })), { status: 200, body: QUOTED }]
    const sdk = createStablefxClient({
      baseUrl,
      partnerId: 'partner-1',
      apiKey: 'sk_test_abc',
      retry: { baseDelayMs: 200, sleep: async (ms) => void slept.push(ms) },
    })
    assert.deepEqual(ok(await sdk.POST('/v1/quote', { body: QUOTE })), QUOTED)
    assert.equal(slept.length, 3)
    slept.forEach((ms, i) => {
      assert.ok(ms >= 100 * 2 ** i && ms <= 200 * 2 ** i, `retry ${i + 1} waited ${ms} ms`)
    })
  })

  test('a Retry-After beyond maxRetryAfterMs is returned at once, not waited for', async () => {
    script = [
      {
        status: 429,
        headers: { 'retry-after': '120' },
        body: { error: { code: 'RATE_LIMITED', message: 'x' } },
      },
    ]
    const result = await client({ maxRetryAfterMs: 60_000 }).POST('/v1/quote', { body: QUOTE })
    assert.equal(result.response.status, 429)
    assert.equal(result.response.headers.get('retry-after'), '120')
    assert.equal(seen.length, 1)
    assert.deepEqual(slept, [])
  })

  test('a 4xx refusal is not retried', async () => {
    script = [{ status: 400, body: REFUSED }]
    const result = await client().POST('/v1/quote', { body: QUOTE })
    assert.equal(result.response.status, 400)
    assert.deepEqual(result.error, REFUSED)
    assert.equal(seen.length, 1)
    assert.deepEqual(slept, [])
  })

  test('a connection cut before the answer is retried with the same key', async () => {
    script = ['hang-up', { status: 200, body: QUOTED }]
    const { data } = await client().POST('/v1/quote', { body: QUOTE })
    assert.deepEqual(data, QUOTED)
    assert.equal(seen.length, 2)
    assert.equal(seen[1]?.headers['idempotency-key'], seen[0]?.headers['idempotency-key'])
    assert.deepEqual(slept, [250])
  })

  test('each POST gets its own key; a key given by the caller is sent as given; a GET carries none', async () => {
    script = [
      { status: 200, body: QUOTED },
      { status: 200, body: QUOTED },
      { status: 503, body: {} },
      { status: 200, body: QUOTED },
      { status: 500, body: {} },
      { status: 200, body: { executions: [] } },
    ]
    const sdk = client()
    await sdk.POST('/v1/quote', { body: QUOTE })
    await sdk.POST('/v1/quote', { body: QUOTE })
    await sdk.POST('/v1/quote', {
      body: QUOTE,
      params: { header: { 'idempotency-key': 'order-42-quote-attempt' } },
    })
    const { data } = await sdk.GET('/v1/executions', { params: { query: { status: 'SETTLED' } } })
    assert.deepEqual(data, { executions: [] })
    const keys = seen.map((s) => s.headers['idempotency-key'])
    assert.equal(keys.length, 6)
    assert.notEqual(keys[0], keys[1])
    assert.equal(keys[2], 'order-42-quote-attempt')
    assert.equal(keys[3], 'order-42-quote-attempt')
    assert.equal(keys[4], undefined)
    assert.equal(keys[5], undefined)
    assert.equal(seen[5]?.url, '/v1/executions?status=SETTLED')
  })
})

describe('SDK retry arithmetic', () => {
  test('Retry-After in seconds or as an HTTP date', () => {
    assert.equal(retryAfterMs('7'), 7_000)
    assert.equal(retryAfterMs(' 0 '), 0)
    assert.equal(retryAfterMs(null), undefined)
    assert.equal(retryAfterMs('soon'), undefined)
    const now = Date.UTC(2026, 11, 3, 9, 0, 0)
    assert.equal(retryAfterMs('Thu, 03 Dec 2026 09:00:05 GMT', now), 5_000)
    assert.equal(retryAfterMs('Thu, 03 Dec 2026 08:59:00 GMT', now), 0)
  })

  test('backoff doubles from the base and never exceeds the cap', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 60 }),
        fc.integer({ min: 1, max: 10_000 }),
        fc.integer({ min: 1, max: 100_000 }),
        (retry, base, cap) => {
          const ms = backoffMs(retry, base, cap)
          assert.ok(ms <= cap)
          assert.ok(ms >= Math.min(base, cap))
          assert.ok(backoffMs(retry + 1, base, cap) >= ms)
          if (base * 2 ** retry <= cap) assert.equal(backoffMs(retry + 1, base, cap), 2 * ms)
        },
      ),
    )
  })

  test('for any sequence of answers, attempts stop at the first final answer or at maxAttempts, all with one key', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.constantFrom(200, 201, 400, 404, 409, 422, 429, 500, 502, 503), {
          minLength: 1,
          maxLength: 8,
        }),
        fc.integer({ min: 1, max: 6 }),
        async (statuses, maxAttempts) => {
          const keys: (string | null)[] = []
          const sleeps: number[] = []
          const sdk = createStablefxClient({
            baseUrl: 'http://stablefx.invalid',
            partnerId: 'p',
            apiKey: 'sk_test_x',
            retry: {
              maxAttempts,
              jitter: false,
              baseDelayMs: 10,
              maxDelayMs: 40,
              sleep: async (ms) => void sleeps.push(ms),
            },
            fetch: async (request) => {
              keys.push(request.headers.get('idempotency-key'))
              const status = statuses[Math.min(keys.length - 1, statuses.length - 1)] ?? 200
              return new Response('{}', { status, headers: { 'content-type': 'application/json' } })
            },
          })
          const result = await sdk.POST('/v1/sandbox/faucet', { body: { asset: 'USDT', amount: '1' } })
          const answers = Array.from(
            { length: maxAttempts },
            (_, i) => statuses[Math.min(i, statuses.length - 1)] ?? 200,
          )
          const final = answers.findIndex((s) => s !== 429 && s < 500)
          const expected = final === -1 ? maxAttempts : final + 1
          assert.equal(keys.length, expected)
          assert.equal(result.response.status, answers[expected - 1])
          assert.equal(new Set(keys).size, 1)
          assert.ok(keys[0] !== null)
          assert.deepEqual(sleeps, [10, 20, 40, 40, 40].slice(0, expected - 1))
        },
      ),
    )
  })
})
