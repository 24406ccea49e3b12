/**
 * HTTP over a bare TCP socket, for the requests fetch and inject cannot
 * send (garbage request lines, bad escapes, oversized headers, a body that
 * never finishes) and for reading what the server writes back byte for byte.
 */
import assert from 'node:assert/strict'
import { connect } from 'node:net'

export type RawResponse = {
  readonly status: number
  /** Header names in lower case. */
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
  /** performance.now() when the whole response had arrived. */
  readonly at: number
}

/** What came back: a response, or the connection closed (or the wait ended) without one. */
export type RawOutcome = { kind: 'response'; response: RawResponse } | { kind: 'none'; reason: string }

function parse(buffer: Buffer): RawResponse | undefined {
  const end = buffer.indexOf('\r\n\r\n')
  if (end < 0) return undefined
  const [statusLine = '', ...lines] = buffer.subarray(0, end).toString('latin1').split('\r\n')
  const match = /^HTTP\/1\.[01] (\d{3}) /.exec(statusLine)
  if (match === null) throw new Error(`not an HTTP response: ${JSON.stringify(statusLine)}`)
  const headers: Record<string, string> = {}
  for (const line of lines) {
    const colon = line.indexOf(':')
    headers[line.slice(0, colon).trim().toLowerCase()] = line.slice(colon + 1).trim()
  }
  const length = Number(headers['content-length'] ?? Number.NaN)
  const body = buffer.subarray(end + 4)
  if (!Number.isNaN(length) && body.length < length) return undefined
  return { status: Number(match[1]), headers, body: body.toString('utf8'), at: performance.now() }
}

/**
 * Sends `request` on a new connection to 127.0.0.1:`port` and resolves with
 * the first whole response, or with `none` when the connection closes (or
 * `waitMs` passes) before one arrives. `end` half-closes after sending.
 */
export function rawRequest(
  port: number,
  request: string | Uint8Array,
  options: { waitMs?: number; end?: boolean } = {},
): Promise<RawOutcome> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    let received = Buffer.alloc(0)
    let settled = false
    const finish = (outcome: RawOutcome) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      socket.destroy()
      resolve(outcome)
    }
    const timer = setTimeout(() => finish({ kind: 'none', reason: 'timeout' }), options.waitMs ?? 3_000)
    socket.on('data', (chunk) => {
      received = Buffer.concat([received, chunk])
      const response = parse(received)
      if (response !== undefined) finish({ kind: 'response', response })
    })
    socket.on('error', (error: NodeJS.ErrnoException) =>
      finish({ kind: 'none', reason: error.code ?? 'error' }),
    )
    socket.on('close', () => finish({ kind: 'none', reason: 'closed' }))
    socket.write(request)
    if (options.end === true) socket.end()
  })
}

/**
 * The SPEC §3 envelope on a raw response: JSON content type, exactly the
 * error object, and a request id equal to the X-Request-ID header.
 */
export function expectEnvelope(response: RawResponse, status: number, code: string): { message: string } {
  assert.equal(response.status, status, response.body)
  assert.match(response.headers['content-type'] ?? '', /^application\/json; charset=utf-8$/)
  const body = JSON.parse(response.body)
  assert.deepEqual(Object.keys(body), ['error'])
  assert.deepEqual(Object.keys(body.error).sort(), ['code', 'message', 'request_id', 'timestamp'])
  assert.equal(body.error.code, code)
  assert.match(body.error.timestamp, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/)
  assert.equal(body.error.request_id, response.headers['x-request-id'])
  assert.ok(body.error.request_id.length > 0)
  return body.error
}

/** A request line and headers, CRLF-terminated, with `Connection: close` so the server ends it. */
export function httpRequest(
  method: string,
  path: string,
  headers: Record<string, string> = {},
  body = '',
): string {
  const lines = [`${method} ${path} HTTP/1.1`, 'Host: 127.0.0.1', 'Connection: close']
  for (const [name, value] of Object.entries(headers)) lines.push(`${name}: ${value}`)
  return `${lines.join('\r\n')}\r\n\r\n${body}`
}
