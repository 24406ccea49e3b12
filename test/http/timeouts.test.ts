/**
 * A request that never finishes arriving (a body shorter than its
 * Content-Length, headers without their end) is answered 408 with the SPEC
 * §3 envelope and disconnected within the request timeout, instead of
 * holding its connection for minutes. A shell with a 400 ms timeout shows
 * the behaviour; the real app's configured values are checked as numbers.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { FastifyInstance } from 'fastify'
import {
  buildHttpShell,
  CONNECTION_TIMEOUT_MS,
  KEEP_ALIVE_TIMEOUT_MS,
  REQUEST_TIMEOUT_MS,
} from '../../src/http/app.ts'
import { createMetrics } from '../../src/http/metrics.ts'
import { openStore } from '../../src/store/store.ts'
import { createTestApp } from '../support/app.ts'
import { createTestDatabase } from '../support/databases.ts'
import { expectEnvelope, httpRequest, type RawResponse, rawRequest } from './raw-http.ts'

const TIMEOUT_MS = 400

describe('request timeouts', () => {
  let shell: FastifyInstance
  let port: number
  before(async () => {
    shell = await buildHttpShell({
      logLevel: 'silent',
      metrics: createMetrics({ processMetrics: false }),
      requestTimeoutMs: TIMEOUT_MS,
    })
    shell.post('/echo', async (request) => ({ got: request.body }))
    await shell.listen({ port: 0, host: '127.0.0.1' })
    port = (shell.server.address() as { port: number }).port
  })
  after(() => shell.close())

  async function timedOut(request: string): Promise<{ response: RawResponse; elapsedMs: number }> {
    const started = performance.now()
    const outcome = await rawRequest(port, request, { waitMs: 5_000 })
    assert.equal(outcome.kind, 'response', JSON.stringify(outcome))
    const { response } = outcome as { response: RawResponse }
    return { response, elapsedMs: response.at - started }
  }

  it('answers a body that stops short of its Content-Length with 408 within the timeout', async () => {
    const head = httpRequest('POST', '/echo', { 'Content-Type': 'application/json', 'Content-Length': '100' })
    const { response, elapsedMs } = await timedOut(`${head}{"a":"1234`)
    const error = expectEnvelope(response, 408, 'REQUEST_TIMEOUT')
    assert.equal(error.message, 'the request was not received within 400 ms')
    assert.equal(response.headers.connection, 'close')
    // Node checks every min(1 s, timeout / 2): the answer comes after the timeout, and before 2.5 times it.
    assert.ok(elapsedMs >= TIMEOUT_MS - 50, `answered after ${elapsedMs.toFixed(0)} ms`)
    assert.ok(elapsedMs < TIMEOUT_MS * 2.5, `answered after ${elapsedMs.toFixed(0)} ms`)
  })

  it('answers headers that never end with 408 within the timeout', async () => {
    const { response, elapsedMs } = await timedOut('GET /echo HTTP/1.1\r\nHost: a\r\nX-Slow: 1\r\n')
    expectEnvelope(response, 408, 'REQUEST_TIMEOUT')
    assert.ok(elapsedMs < TIMEOUT_MS * 2.5, `answered after ${elapsedMs.toFixed(0)} ms`)
  })

  it('a complete request on time is served', async () => {
    const body = '{"a":"1"}'
    const outcome = await rawRequest(
      port,
      httpRequest(
        'POST',
        '/echo',
        { 'Content-Type': 'application/json', 'Content-Length': String(body.length) },
        body,
      ),
    )
    assert.equal(outcome.kind, 'response')
    const { response } = outcome as { response: RawResponse }
    assert.equal(response.status, 200)
    assert.deepEqual(JSON.parse(response.body), { got: { a: '1' } })
  })
})

it('the app listens with a 10 s request and header timeout, 60 s idle sockets and 72 s keep-alive', async () => {
  const database = await createTestDatabase('sqlite')
  const store = await openStore(database.url)
  const app = await createTestApp(store)
  try {
    const server = app.stablefx.app.server
    assert.deepEqual(
      {
        requestTimeout: server.requestTimeout,
        headersTimeout: server.headersTimeout,
        timeout: server.timeout,
        keepAliveTimeout: server.keepAliveTimeout,
      },
      { requestTimeout: 10_000, headersTimeout: 10_000, timeout: 60_000, keepAliveTimeout: 72_000 },
    )
    assert.deepEqual(
      [REQUEST_TIMEOUT_MS, CONNECTION_TIMEOUT_MS, KEEP_ALIVE_TIMEOUT_MS],
      [10_000, 60_000, 72_000],
    )
  } finally {
    await app.close()
    await store.close()
    await database.drop()
  }
})
