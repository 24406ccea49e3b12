/**
 * During a drain (SPEC §14.6) a request that still arrives, on a connection
 * busy with an in-flight one, gets 503 NOT_READY with the SPEC §3 envelope
 * (Fastify's own answer there is a body of its own), and the in-flight
 * request completes.
 */
import assert from 'node:assert/strict'
import { connect } from 'node:net'
import { it } from 'node:test'
import { buildHttpShell } from '../../src/http/app.ts'
import { createMetrics } from '../../src/http/metrics.ts'

it('a request arriving while the server drains gets 503 NOT_READY with the envelope', async () => {
  const shell = await buildHttpShell({
    logLevel: 'silent',
    metrics: createMetrics({ processMetrics: false }),
  })
  let release: () => void = () => {}
  const gate = new Promise<void>((resolve) => {
    release = resolve
  })
  let started: () => void = () => {}
  const inFlight = new Promise<void>((resolve) => {
    started = resolve
  })
  shell.get('/slow', async () => {
    started()
    await gate
    return { done: true }
  })
  shell.get('/fast', async () => ({ fast: true }))
  await shell.listen({ port: 0, host: '127.0.0.1' })
  const { port } = shell.server.address() as { port: number }

  const socket = connect(port, '127.0.0.1')
  let received = ''
  const ended = new Promise<void>((resolve) => socket.on('close', () => resolve()))
  socket.setEncoding('utf8').on('data', (chunk) => {
    received += chunk
  })
  socket.write('GET /slow HTTP/1.1\r\nHost: a\r\n\r\n')
  await inFlight
  const closing = shell.close()
  // The second request on the same connection arrives after the drain began.
  await new Promise((resolve) => setImmediate(resolve))
  socket.write('GET /fast HTTP/1.1\r\nHost: a\r\nX-Request-ID: late-one\r\n\r\n')
  await new Promise((resolve) => setTimeout(resolve, 50))
  release()
  await ended
  await closing

  const responses = received.split(/(?=HTTP\/1\.1 )/)
  assert.equal(responses.length, 2, received)
  assert.match(responses[0] as string, /^HTTP\/1\.1 200 OK\r\n/)
  assert.match(responses[0] as string, /\{"done":true\}$/)
  const late = responses[1] as string
  assert.match(late, /^HTTP\/1\.1 503 Service Unavailable\r\n/)
  assert.match(late, /\r\nx-request-id: late-one\r\n/i)
  const body = JSON.parse(late.slice(late.indexOf('\r\n\r\n') + 4))
  assert.deepEqual(
    { ...body.error, timestamp: typeof body.error.timestamp },
    {
      code: 'NOT_READY',
      message: 'the server is shutting down; retry on another node',
      timestamp: 'string',
      request_id: 'late-one',
    },
  )
})
