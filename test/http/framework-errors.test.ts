/**
 * Every error the framework itself raises, over a real socket, carries the
 * SPEC §3 envelope with a request id (the X-Request-ID header and the
 * body's request_id agree): requests Node's parser refuses (a raw response
 * written by the client-error handler), URLs the router cannot decode,
 * unknown routes and methods, and bodies the JSON parser refuses. Then a
 * few hundred malformed requests, of which every answer must be such a 4xx.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import fc from 'fast-check'
import { openStore, type Store } from '../../src/store/store.ts'
import { ADMIN_TOKEN, createTestApp, type TestApp } from '../support/app.ts'
import { createTestDatabase, type TestDatabase } from '../support/databases.ts'
import { expectEnvelope, httpRequest, type RawResponse, rawRequest } from './raw-http.ts'

const ADMIN = { Authorization: `Bearer ${ADMIN_TOKEN}` }
const JSON_TYPE = { 'Content-Type': 'application/json' }

describe('framework errors over a socket', () => {
  let database: TestDatabase
  let store: Store
  let app: TestApp
  let port: number
  before(async () => {
    database = await createTestDatabase('sqlite')
    store = await openStore(database.url)
    app = await createTestApp(store)
    await app.stablefx.app.listen({ port: 0, host: '127.0.0.1' })
    port = (app.stablefx.app.server.address() as { port: number }).port
  })
  after(async () => {
    await app.close()
    await store.close()
    await database.drop()
  })

  async function answer(request: string | Uint8Array): Promise<RawResponse> {
    const outcome = await rawRequest(port, request)
    assert.equal(outcome.kind, 'response', JSON.stringify(outcome))
    return (outcome as { response: RawResponse }).response
  }

  const cases: { name: string; request: () => string; status: number; code: string; message: string }[] = [
    {
      name: 'a malformed escape in the path',
      request: () => httpRequest('GET', '/v1/executions/%E0%A4%A'),
      status: 400,
      code: 'VALIDATION_ERROR',
      message: 'the URL has a malformed percent-encoding',
    },
    {
      name: 'a malformed escape in the query',
      request: () => httpRequest('GET', '/v1/executions?cursor=%E0%A4%A'),
      status: 400,
      code: 'VALIDATION_ERROR',
      message: 'the query string has a malformed percent-encoding',
    },
    {
      name: 'an unknown route',
      request: () => httpRequest('GET', '/v1/nothing-here'),
      status: 404,
      code: 'NOT_FOUND',
      message: 'no such route',
    },
    {
      name: 'a wrong method on a known route',
      request: () => httpRequest('DELETE', '/v1/quote'),
      status: 405,
      code: 'METHOD_NOT_ALLOWED',
      message: 'DELETE is not served here; allowed: GET, HEAD, POST',
    },
    {
      name: 'a body over 64 KiB',
      request: () =>
        httpRequest('POST', '/admin/v1/partners', { ...ADMIN, ...JSON_TYPE, 'Content-Length': '70000' }, ''),
      status: 413,
      code: 'PAYLOAD_TOO_LARGE',
      message: 'request body is too large',
    },
    {
      name: 'a path parameter over 100 characters',
      request: () => httpRequest('GET', `/v1/executions/${'a'.repeat(101)}`),
      status: 414,
      code: 'URI_TOO_LONG',
      message: 'a path segment is longer than 100 characters',
    },
    {
      name: 'a URL over 4096 characters',
      request: () => httpRequest('GET', `/health?pad=${'a'.repeat(4096)}`),
      status: 414,
      code: 'URI_TOO_LONG',
      message: 'the URL is longer than 4096 characters',
    },
    {
      name: 'a body that is not JSON',
      request: () =>
        httpRequest(
          'POST',
          '/admin/v1/partners',
          { ...ADMIN, 'Content-Type': 'text/plain', 'Content-Length': '4' },
          'name',
        ),
      status: 415,
      code: 'UNSUPPORTED_MEDIA_TYPE',
      message: 'send application/json',
    },
    {
      name: 'malformed JSON',
      request: () =>
        httpRequest(
          'POST',
          '/admin/v1/partners',
          { ...ADMIN, ...JSON_TYPE, 'Content-Length': '8' },
          '{"name":',
        ),
      status: 400,
      code: 'VALIDATION_ERROR',
      message: 'body is not valid JSON: it ends too early',
    },
    {
      name: 'an empty JSON body',
      request: () =>
        httpRequest('POST', '/admin/v1/partners', { ...ADMIN, ...JSON_TYPE, 'Content-Length': '0' }),
      status: 400,
      code: 'VALIDATION_ERROR',
      message: 'body is empty',
    },
    {
      name: 'a body that is not UTF-8',
      request: () =>
        `${httpRequest('POST', '/admin/v1/partners', { ...ADMIN, ...JSON_TYPE, 'Content-Length': '12' })}{"name":"\xff"}`,
      status: 400,
      code: 'VALIDATION_ERROR',
      message: 'body is not valid UTF-8',
    },
    {
      name: 'a malformed request line',
      request: () => 'GARBAGE\r\n\r\n',
      status: 400,
      code: 'VALIDATION_ERROR',
      message: 'malformed HTTP request',
    },
    {
      name: 'a header over 16 KiB',
      request: () => httpRequest('GET', '/health', { 'X-Pad': 'a'.repeat(20_000) }),
      status: 431,
      code: 'HEADERS_TOO_LARGE',
      message: 'the request line and headers exceed 16 KiB',
    },
    {
      // Node counts the request line against its 16 KiB header limit, before any route is found.
      name: 'a URL over 16 KiB',
      request: () => httpRequest('GET', `/health?pad=${'a'.repeat(20_000)}`),
      status: 431,
      code: 'HEADERS_TOO_LARGE',
      message: 'the request line and headers exceed 16 KiB',
    },
  ]
  for (const row of cases) {
    it(`answers ${row.name} with ${row.status} ${row.code}`, async () => {
      // The request line is latin1 on the wire, so a test can put any byte in it.
      const response = await answer(Buffer.from(row.request(), 'latin1'))
      assert.equal(expectEnvelope(response, row.status, row.code).message, row.message)
    })
  }

  it('closes the connection after a parser error and names the allowed methods on 405', async () => {
    const garbage = await answer('GARBAGE\r\n\r\n')
    assert.equal(garbage.headers.connection, 'close')
    assert.match(garbage.headers['x-request-id'] ?? '', /^[0-9a-f-]{36}$/)
    const wrong = await answer(httpRequest('PUT', '/health'))
    assert.equal(wrong.headers.allow, 'GET, HEAD')
  })

  it('a few hundred malformed requests: every answer is a 4xx with the envelope', async () => {
    const bytes = (max: number) => fc.uint8Array({ minLength: 1, maxLength: max })
    const escapes = fc
      .array(
        fc.constantFrom(
          '%',
          '%E0',
          '%A4',
          '%ZZ',
          '%0',
          '%00',
          '%C2%85',
          '%ED%A0%80',
          '%FF',
          'a',
          '/',
          '=',
          '&',
          '%2F',
        ),
        {
          minLength: 1,
          maxLength: 8,
        },
      )
      .map((parts) => parts.join(''))
    const prefixes = fc.constantFrom(
      '/v1/executions/',
      '/v1/quote?pair=',
      '/admin/v1/audit?target_id=',
      '/nope/',
    )
    const kinds = fc.oneof(
      bytes(60).map((line) => ({
        kind: 'request line bytes',
        wire: Buffer.concat([line, Buffer.from('\r\n\r\n')]),
      })),
      bytes(40).map((path) => ({
        kind: 'path bytes',
        wire: Buffer.concat([
          Buffer.from('GET /x'),
          path,
          Buffer.from(' HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n'),
        ]),
      })),
      fc.tuple(prefixes, escapes).map(([prefix, tail]) => ({
        kind: 'bad escapes',
        wire: Buffer.from(httpRequest('GET', `${prefix}${tail}`), 'latin1'),
      })),
      fc.integer({ min: 17_000, max: 40_000 }).map((size) => ({
        kind: 'oversized headers',
        wire: Buffer.from(httpRequest('GET', '/health', { 'X-Pad': 'p'.repeat(size) })),
      })),
      fc.integer({ min: 180, max: 400 }).map((count) => ({
        kind: 'oversized headers',
        wire: Buffer.from(
          httpRequest(
            'GET',
            '/health',
            Object.fromEntries(Array.from({ length: count }, (_, i) => [`x-h${i}`, 'v'.repeat(90)])),
          ),
        ),
      })),
    )
    const tally = { sent: 0, answered: 0, unanswered: 0, byStatus: new Map<number, number>() }
    const kindsSeen = new Set<string>()
    await fc.assert(
      fc.asyncProperty(kinds, async ({ kind, wire }) => {
        tally.sent++
        kindsSeen.add(kind)
        // Half-closing after the request makes an incomplete one end at once instead of at the request timeout.
        const outcome = await rawRequest(port, wire, { end: true, waitMs: 2_000 })
        if (outcome.kind === 'none') {
          tally.unanswered++
          return
        }
        const { response } = outcome
        tally.answered++
        tally.byStatus.set(response.status, (tally.byStatus.get(response.status) ?? 0) + 1)
        assert.ok(
          response.status >= 400 && response.status < 500,
          `${kind}: ${response.status} ${response.body}`,
        )
        const code = JSON.parse(response.body).error.code
        expectEnvelope(response, response.status, code)
      }),
      { numRuns: 400, seed: 20_261_123 },
    )
    assert.equal(tally.sent, 400)
    assert.deepEqual([...kindsSeen].sort(), [
      'bad escapes',
      'oversized headers',
      'path bytes',
      'request line bytes',
    ])
    // Every malformed request is answered: a request line Node refuses, too.
    assert.equal(tally.unanswered, 0, JSON.stringify(tally))
    assert.equal(tally.answered, 400)
    const statuses = [...tally.byStatus.keys()].sort()
    for (const status of statuses) assert.ok([400, 401, 404, 414, 431].includes(status), `status ${status}`)
    console.log(`# fuzz: ${JSON.stringify({ ...tally, byStatus: Object.fromEntries(tally.byStatus) })}`)
  })
})
