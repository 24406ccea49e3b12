/**
 * A real webhook receiver for the tests: node:http on 127.0.0.1 (random
 * port) that verifies every request with the `standardwebhooks` package, the
 * way a partner would. The receiver lives on the test's manual clock: its
 * `Webhook.verify` runs with `Date.now` reading that clock, so timestamp
 * tolerance is checked against simulated time.
 */
import assert from 'node:assert/strict'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import type { InjectOptions, LightMyRequestResponse } from 'fastify'
import { sql } from 'kysely'
import { Webhook } from 'standardwebhooks'
import { createStablefx } from '../../src/app.ts'
import { createManualClock, type ManualClock } from '../../src/clock/clock.ts'
import type { Store } from '../../src/store/store.ts'
import type { WebhookOptions } from '../../src/webhooks/service.ts'
import { ADMIN_TOKEN, OPS_TOKEN, T0, type TestApp, type TestPartner, testAppOf } from '../support/app.ts'

export type Received = {
  readonly path: string
  readonly headers: http.IncomingHttpHeaders
  readonly body: string
  /** When it arrived, on the manual clock. */
  readonly atMs: number
  /** The parsed payload if `Webhook.verify` accepted it with the receiver's secrets, else the error. */
  readonly verified:
    | { ok: true; payload: { id: string; event: string; data: Record<string, unknown> } }
    | { ok: false; error: string }
}

export type Answer = { status: number; headers?: Record<string, string>; body?: string }
/** How the receiver answers one request; the default echoes a verification's challenge and answers 204 to events. */
export type Responder = (received: Received) => Answer

export type Receiver = {
  readonly url: string
  readonly port: number
  readonly received: Received[]
  /** TCP connections accepted (a refused SSRF target must see none). */
  connections: number
  /** The secrets the receiver verifies with (a partner's `webhook_secret`). */
  secrets: string[]
  respond: Responder
  /** Stops listening: connections are refused until `up()`. */
  down(): Promise<void>
  up(): Promise<void>
  close(): Promise<void>
  /** Events (not verifications) received, in arrival order. */
  events(): Received[]
}

export const echoChallenge: Responder = (received) => {
  if (received.verified.ok && received.verified.payload.event === 'webhook.verification') {
    return {
      status: 200,
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ challenge: received.verified.payload.data.challenge }),
    }
  }
  return { status: 204 }
}

/** `Webhook.verify` on the manual clock (synchronous: nothing else runs while Date.now is swapped). */
export function verifyAt(clock: ManualClock, secret: string, body: string, headers: Record<string, string>) {
  const realNow = Date.now
  Date.now = () => clock.now()
  try {
    return new Webhook(secret).verify(body, headers) as {
      id: string
      event: string
      data: Record<string, unknown>
    }
  } finally {
    Date.now = realNow
  }
}

function headerRecord(headers: http.IncomingHttpHeaders): Record<string, string> {
  const out: Record<string, string> = {}
  for (const [name, value] of Object.entries(headers)) if (typeof value === 'string') out[name] = value
  return out
}

export async function startReceiver(clock: ManualClock): Promise<Receiver> {
  let port = 0
  let server: http.Server
  const receiver: Receiver = {
    url: '',
    port: 0,
    received: [],
    connections: 0,
    secrets: [],
    respond: echoChallenge,
    async down() {
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
    async up() {
      server = createServer()
      await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
    },
    close: () => receiver.down(),
    events: () => receiver.received.filter((r) => JSON.parse(r.body).event !== 'webhook.verification'),
  }
  function verify(body: string, headers: http.IncomingHttpHeaders): Received['verified'] {
    const errors: string[] = []
    for (const secret of receiver.secrets) {
      try {
        return { ok: true, payload: verifyAt(clock, secret, body, headerRecord(headers)) }
      } catch (error) {
        errors.push((error as Error).message)
      }
    }
    return { ok: false, error: errors.join('; ') || 'no secret' }
  }
  function createServer(): http.Server {
    const created = http.createServer((req, res) => {
      const chunks: Buffer[] = []
      req.on('data', (chunk: Buffer) => chunks.push(chunk))
      req.on('end', () => {
        const body = Buffer.concat(chunks).toString('utf8')
        const received: Received = {
          path: req.url ?? '',
          headers: req.headers,
          body,
          atMs: clock.now(),
          verified: verify(body, req.headers),
        }
        receiver.received.push(received)
        const answer = receiver.respond(received)
        res.writeHead(answer.status, answer.headers ?? {})
        res.end(answer.body ?? '')
      })
    })
    created.on('connection', () => {
      receiver.connections++
    })
    return created
  }
  server = createServer()
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  port = (server.address() as AddressInfo).port
  Object.assign(receiver, { port, url: `http://127.0.0.1:${port}/hooks` })
  return receiver
}

/** createTestApp (test/support/app.ts) with webhook options: jitter 0 by default, DNS as the test says. */
export async function createWebhookApp(store: Store, webhooks: WebhookOptions = {}): Promise<TestApp> {
  const clock = createManualClock(T0)
  const stablefx = await createStablefx({
    store,
    adminToken: ADMIN_TOKEN,
    opsToken: OPS_TOKEN,
    liveClock: clock,
    logLevel: 'silent',
    rateLimit: false,
    processMetrics: false,
    oracleMode: 'manual',
    rebalancer: false,
    webhooks: { random: () => 0, timeoutMs: 2_000, ...webhooks },
  })
  return testAppOf(stablefx, clock, store)
}

export function partnerCall(
  app: TestApp,
  partner: TestPartner,
  method: InjectOptions['method'],
  url: string,
  payload?: unknown,
  environment: 'sandbox' | 'live' = 'sandbox',
): Promise<LightMyRequestResponse> {
  return app.inject({
    method,
    url,
    headers: partner.headers(environment),
    ...(payload === undefined ? {} : { payload: payload as InjectOptions['payload'] }),
  })
}

/**
 * On PostgreSQL the feed shows an event once every older transaction of the
 * server has ended (src/events/feed.ts), and other suites' `create database`
 * on the same server are such transactions. A run after this sees every
 * event committed before it, as it would a moment later in production.
 */
export async function feedSettled(store: Store): Promise<void> {
  if (store.dialect !== 'postgres') return
  for (let i = 0; i < 400; i++) {
    const row = await sql<{ n: string }>`select count(*) as n from events
      where commit_xid >= pg_snapshot_xmin(pg_current_snapshot())::text::bigint`.execute(store.kysely)
    if (Number(row.rows[0]?.n) === 0) return
    await new Promise((resolve) => setTimeout(resolve, 25))
  }
  throw new Error('events stayed invisible to the feed for 10 s')
}

/** One pass of the environment's delivery worker, as the runner would make it. */
export async function runWorker(app: TestApp, environment: 'sandbox' | 'live' = 'sandbox') {
  await feedSettled(app.store)
  return app.stablefx.services.webhooks.worker.run(environment)
}

/** Sets the partner's sandbox webhook to the receiver and verifies it; the endpoint is ACTIVE after. */
export async function activeEndpoint(
  app: TestApp,
  partner: TestPartner,
  receiver: Receiver,
  body: Record<string, unknown> = {},
) {
  receiver.secrets = [partner.webhookSecret]
  const put = await partnerCall(app, partner, 'PUT', '/v1/webhook', { url: receiver.url, ...body })
  assert.equal(put.statusCode, 200, put.body)
  await runWorker(app)
  const view = await partnerCall(app, partner, 'GET', '/v1/webhook')
  assert.equal(view.json().status, 'ACTIVE', view.body)
}
