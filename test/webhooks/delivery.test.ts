/**
 * Webhook delivery end to end (SPEC §10, §15) against a real local receiver
 * that verifies every request with the `standardwebhooks` package: the
 * verification handshake, signatures for every event type, the retry
 * schedule on the manual clock, Retry-After, 410, redirects, a receiver down
 * for an hour, dual signatures during a secret rotation.
 */
import assert from 'node:assert/strict'
import { after, before, it } from 'node:test'
import { recordEvent } from '../../src/events/events.ts'
import { SUBSCRIBABLE_EVENTS } from '../../src/webhooks/model.ts'
import { createPartner, OPS_TOKEN, setMarket, type TestApp, type TestPartner } from '../support/app.ts'
import { describeEachDialect } from '../support/databases.ts'
import { ADDRESS, execute, fund, quoteOk } from '../trading/support.ts'
import {
  activeEndpoint,
  createWebhookApp,
  echoChallenge,
  partnerCall,
  type Received,
  type Receiver,
  runWorker,
  startReceiver,
  verifyAt,
} from './support.ts'

const T = { timeout: 30_000 }
const SECOND = 1_000
const MINUTE = 60_000
const HOUR = 3_600_000

describeEachDialect('webhook delivery', ({ store }) => {
  let app: TestApp
  const receivers: Receiver[] = []
  before(async () => {
    app = await createWebhookApp(store())
  })
  after(async () => {
    for (const receiver of receivers) await receiver.close().catch(() => {})
    await app.close()
  })

  async function receiver(): Promise<Receiver> {
    const started = await startReceiver(app.clock)
    receivers.push(started)
    return started
  }

  /** An event of the partner, written as its cause would write it (the outbox). */
  function emit(
    partner: TestPartner | null,
    type: string,
    data: Record<string, unknown> = {},
  ): Promise<string> {
    return app.store.transaction((tx) =>
      recordEvent(tx, {
        environment: 'sandbox',
        partnerId: partner === null ? null : partner.id,
        type: type as Parameters<typeof recordEvent>[1]['type'],
        data,
        atMs: app.clock.now(),
      }),
    )
  }

  async function log(partner: TestPartner, query = '') {
    const response = await partnerCall(app, partner, 'GET', `/v1/webhook/deliveries${query}`)
    assert.equal(response.statusCode, 200, response.body)
    return response.json() as { items: Record<string, unknown>[]; next_cursor: string | null }
  }

  const payloadOf = (received: Received) => {
    assert.ok(received.verified.ok, `not verified: ${JSON.stringify(received.verified)}`)
    return received.verified.payload
  }

  it(
    'verifies before use: a wrong challenge stays PENDING_VERIFICATION, retried; a PUT again re-triggers',
    T,
    async () => {
      const partner = await createPartner(app, { name: 'Verify' })
      const hook = await receiver()
      hook.secrets = [partner.webhookSecret]
      hook.respond = () => ({
        status: 200,
        headers: { 'content-type': 'application/json' },
        body: '{"challenge":"no"}',
      })
      const setAt = new Date(app.clock.now()).toISOString()
      const put = await partnerCall(app, partner, 'PUT', '/v1/webhook', { url: hook.url })
      assert.equal(put.statusCode, 200, put.body)
      assert.deepEqual(put.json(), {
        environment: 'sandbox',
        url: hook.url,
        events: [...SUBSCRIBABLE_EVENTS],
        all_events: true,
        status: 'PENDING_VERIFICATION',
        status_reason: 'awaiting verification',
        verified_at: null,
        created_at: setAt,
        updated_at: setAt,
      })
      const queued = await emit(partner, 'withdrawal.queued', { n: 1 })
      await runWorker(app)
      assert.equal(hook.received.length, 1)
      const first = hook.received[0] as Received
      const verification = payloadOf(first)
      assert.equal(verification.event, 'webhook.verification')
      assert.equal(first.headers['webhook-id'], verification.id)
      assert.match(String(verification.data.challenge), /^[A-Za-z0-9_-]{32}$/)
      const view = (await partnerCall(app, partner, 'GET', '/v1/webhook')).json()
      assert.equal(view.status, 'PENDING_VERIFICATION')
      assert.equal(view.status_reason, 'verification failed: the answer did not echo data.challenge')
      const [attempt] = (await log(partner)).items
      assert.deepEqual(
        { ...attempt, attempt_id: 'x', latency_ms: 0 },
        {
          attempt_id: 'x',
          event_id: verification.id,
          event: 'webhook.verification',
          attempt: 1,
          status: 'FAILED',
          status_code: 200,
          latency_ms: 0,
          error: 'the answer did not echo data.challenge',
          attempted_at: setAt,
        },
      )

      // Retried on the schedule: not before 5 s, then the same message again.
      app.clock.advance(5 * SECOND - 1)
      await runWorker(app)
      assert.equal(hook.received.length, 1)
      app.clock.advance(1)
      await runWorker(app)
      assert.equal(hook.received.length, 2)
      assert.equal(hook.received[1]?.body, first.body)

      // PUT again: a new challenge at once; echoed, the endpoint is ACTIVE and the event waiting since goes out.
      hook.respond = echoChallenge
      const again = await partnerCall(app, partner, 'PUT', '/v1/webhook', { url: hook.url })
      assert.equal(again.json().status, 'PENDING_VERIFICATION')
      await runWorker(app)
      assert.equal(hook.received.length, 4)
      assert.notEqual(payloadOf(hook.received[2] as Received).data.challenge, verification.data.challenge)
      assert.deepEqual(
        hook.events().map((r) => payloadOf(r).id),
        [queued],
      )
      const active = (await partnerCall(app, partner, 'GET', '/v1/webhook')).json()
      assert.equal(active.status, 'ACTIVE')
      assert.equal(active.status_reason, null)
      assert.equal(active.verified_at, new Date(app.clock.now()).toISOString())
    },
  )

  it(
    'signs every event type so that standardwebhooks verifies it; a tampered body or stale timestamp fails',
    T,
    async () => {
      await setMarket(app)
      const partner = await createPartner(app, { name: 'Every type' })
      const hook = await receiver()
      await activeEndpoint(app, partner, hook)
      // Real causes: a settled execution (the partner's own) and a corridor state change (a broadcast).
      await fund(app, partner, 'USDT', '1000')
      const quote = await quoteOk(app, partner, { pair: 'USD-IDR', side: 'SELL', amount: '100' })
      const executed = await execute(app, partner, { quote_id: quote.quote_id, destination_address: ADDRESS })
      assert.equal(executed.statusCode, 200, executed.body)
      const override = await app.inject({
        method: 'POST',
        url: '/v1/reserve/state-override',
        headers: { authorization: `Bearer ${OPS_TOKEN}` },
        payload: {
          corridor: 'USD-IDR',
          state: 'HALT',
          reason: 'webhook test',
          expires_at: new Date(app.clock.now() + HOUR).toISOString(),
          environment: 'sandbox',
        },
      })
      assert.equal(override.statusCode, 200, override.body)
      // And one of every catalogued type, as its cause would write it.
      for (const type of SUBSCRIBABLE_EVENTS) await emit(partner, type, { synthetic: type })
      await runWorker(app)

      const events = hook.events()
      const payloads = events.map(payloadOf)
      for (const received of events) {
        const payload = payloadOf(received)
        assert.equal(received.headers['webhook-id'], payload.id)
        assert.equal(received.headers['content-type'], 'application/json')
        assert.equal(received.headers['webhook-timestamp'], String(app.clock.now() / 1_000))
        assert.deepEqual(Object.keys(JSON.parse(received.body)), [
          'id',
          'event',
          'timestamp',
          'environment',
          'data',
        ])
      }
      assert.equal(new Set(payloads.map((p) => p.id)).size, payloads.length)
      const settled = payloads.find((p) => p.event === 'execution.settled' && p.data.synthetic === undefined)
      assert.equal(settled?.data.execution_id, executed.json().execution_id)
      // On a starved machine another corridor may change too (its prices age): the override's change is looked up.
      const change = payloads.find(
        (p) =>
          p.event === 'system.state_change' &&
          p.data.synthetic === undefined &&
          p.data.corridor === 'USD-IDR',
      )
      assert.equal(change?.data.state, 'HALT')
      assert.deepEqual(
        payloads.filter((p) => p.data.synthetic !== undefined).map((p) => p.event),
        [...SUBSCRIBABLE_EVENTS],
      )

      const sample = events[0] as Received
      const headers = Object.fromEntries(
        ['webhook-id', 'webhook-timestamp', 'webhook-signature'].map((h) => [h, String(sample.headers[h])]),
      )
      assert.throws(
        () => verifyAt(app.clock, partner.webhookSecret, sample.body.replace('"sandbox"', '"live"'), headers),
        /No matching signature found/,
      )
      app.clock.advance(5 * MINUTE + SECOND)
      assert.throws(
        () => verifyAt(app.clock, partner.webhookSecret, sample.body, headers),
        /Message timestamp too old/,
      )
    },
  )

  it(
    'retries on the SPEC §10 schedule with a byte-identical body, then dead-letters; the next event waited',
    T,
    async () => {
      const partner = await createPartner(app, { name: 'Retries' })
      const hook = await receiver()
      await activeEndpoint(app, partner, hook, { events: ['withdrawal.queued'] })
      const warnings: unknown[] = []
      const logger = app.stablefx.app.log as unknown as { warn: (obj: unknown, msg: string) => void }
      const realWarn = logger.warn
      logger.warn = (obj, msg) => warnings.push({ obj, msg })
      try {
        hook.respond = (r) => (JSON.parse(r.body).data.n === 1 ? { status: 500 } : { status: 204 })
        const start = app.clock.now()
        const doomed = await emit(partner, 'withdrawal.queued', { n: 1 })
        const waiting = await emit(partner, 'withdrawal.queued', { n: 2 })
        // Immediately, then 5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h after each failure (jitter 0 in tests).
        const offsets = [0, 5, 305, 2_105, 9_305, 27_305, 63_305, 99_305].map((s) => s * SECOND)
        for (const offset of offsets) {
          if (offset > 0) {
            app.clock.set(start + offset - 1)
            await runWorker(app)
          }
          app.clock.set(start + offset)
          await runWorker(app)
        }
        const sent = hook.events()
        assert.deepEqual(
          sent.map((r) => r.atMs - start),
          [...offsets, offsets[7]],
        )
        assert.deepEqual(
          sent.map((r) => payloadOf(r).id),
          [...Array(8).fill(doomed), waiting],
        )
        assert.equal(new Set(sent.slice(0, 8).map((r) => r.body)).size, 1)
        assert.equal(new Set(sent.slice(0, 8).map((r) => r.headers['webhook-id'])).size, 1)
        const attempts = (await log(partner, `?event_id=${doomed}`)).items
        assert.deepEqual(
          attempts.map((a) => [a.attempt, a.status, a.status_code, a.error]),
          [
            [8, 'DEAD_LETTERED', 500, 'HTTP 500'],
            ...[7, 6, 5, 4, 3, 2, 1].map((n) => [n, 'FAILED', 500, 'HTTP 500']),
          ],
        )
        assert.deepEqual(
          (await log(partner, '?status=DEAD_LETTERED')).items.map((a) => a.event_id),
          [doomed],
        )
        assert.deepEqual(warnings, [
          {
            obj: {
              partner_id: partner.id,
              environment: 'sandbox',
              event_id: doomed,
              event: 'withdrawal.queued',
              attempts: 8,
              status_code: 500,
              error: 'HTTP 500',
            },
            msg: 'webhook delivery dead-lettered',
          },
        ])
        // Every dead letter again, in order, same id and body; now the receiver takes it.
        hook.respond = () => ({ status: 200 })
        const redeliver = await partnerCall(app, partner, 'POST', '/v1/webhook/dead-letters/redeliver')
        assert.equal(redeliver.statusCode, 202, redeliver.body)
        assert.deepEqual(redeliver.json(), { redelivered: 1 })
        await runWorker(app)
        const last = hook.events()[9] as Received
        assert.equal(last.body, sent[0]?.body)
        assert.equal(last.headers['webhook-id'], doomed)
      } finally {
        logger.warn = realWarn
      }
    },
  )

  it('honours a longer Retry-After, in seconds or as an HTTP date', T, async () => {
    const partner = await createPartner(app, { name: 'Retry-After' })
    const hook = await receiver()
    await activeEndpoint(app, partner, hook)
    const start = app.clock.now()
    const answers = [
      { status: 503, headers: { 'retry-after': '120' } },
      { status: 429, headers: { 'retry-after': new Date(start + 120 * SECOND + 10 * MINUTE).toUTCString() } },
      { status: 204 },
    ]
    hook.respond = () => answers.shift() ?? { status: 204 }
    await emit(partner, 'deposit.confirmed')
    for (const atS of [0, 5, 119, 120, 420, 719, 720]) {
      app.clock.set(start + atS * SECOND)
      await runWorker(app)
    }
    assert.deepEqual(
      hook.events().map((r) => (r.atMs - start) / SECOND),
      [0, 120, 720],
    )
    assert.deepEqual(
      (await log(partner)).items.slice(0, 3).map((a) => [a.status, a.status_code]),
      [
        ['DELIVERED', 204],
        ['FAILED', 429],
        ['FAILED', 503],
      ],
    )
  })

  it(
    '410 disables the endpoint until it is set again; a 302 is a failed attempt, never followed',
    T,
    async () => {
      const partner = await createPartner(app, { name: 'Gone' })
      const hook = await receiver()
      await activeEndpoint(app, partner, hook)
      hook.respond = (r) =>
        r.path === '/hooks'
          ? { status: 302, headers: { location: `http://127.0.0.1:${hook.port}/target` } }
          : { status: 200 }
      const first = await emit(partner, 'withdrawal.queued')
      await runWorker(app)
      assert.deepEqual(
        hook.received.map((r) => r.path),
        ['/hooks', '/hooks'],
      )
      const [redirect] = (await log(partner)).items
      assert.deepEqual(
        [redirect?.status, redirect?.status_code, redirect?.error],
        ['FAILED', 302, 'redirect not followed'],
      )

      hook.respond = () => ({ status: 410 })
      app.clock.advance(5 * SECOND)
      await runWorker(app)
      const disabled = (await partnerCall(app, partner, 'GET', '/v1/webhook')).json()
      assert.equal(disabled.status, 'DISABLED')
      assert.equal(
        disabled.status_reason,
        `the receiver answered 410 Gone at ${new Date(app.clock.now()).toISOString()}; set the webhook again to resume`,
      )
      const second = await emit(partner, 'withdrawal.completed')
      app.clock.advance(HOUR)
      await runWorker(app)
      assert.equal(hook.received.length, 3)

      hook.respond = echoChallenge
      const put = await partnerCall(app, partner, 'PUT', '/v1/webhook', { url: hook.url })
      assert.equal(put.json().status, 'PENDING_VERIFICATION')
      await runWorker(app)
      assert.deepEqual(
        hook.events().map((r) => [r.path, payloadOf(r).id]),
        [
          ['/hooks', first],
          ['/hooks', first],
          ['/hooks', first],
          ['/hooks', second],
        ],
      )
    },
  )

  it(
    'a receiver down for an hour gets every event after it returns, in order, once per event id',
    T,
    async () => {
      const partner = await createPartner(app, { name: 'Down' })
      const hook = await receiver()
      await activeEndpoint(app, partner, hook, { events: ['withdrawal.queued', 'withdrawal.completed'] })
      await hook.down()
      const start = app.clock.now()
      const ids: string[] = []
      for (let minute = 0; minute <= 60; minute++) {
        app.clock.set(start + minute * MINUTE)
        if (minute % 12 === 0 && ids.length < 5) {
          ids.push(
            await emit(partner, minute % 24 === 0 ? 'withdrawal.queued' : 'withdrawal.completed', { minute }),
          )
          // Not subscribed: never delivered.
          await emit(null, 'system.state_change', { minute })
        }
        await runWorker(app)
      }
      assert.equal(hook.received.length, 1) // the verification, before it went down
      await hook.up()
      for (let minute = 61; hook.events().length < ids.length && minute < 240; minute++) {
        app.clock.set(start + minute * MINUTE)
        await runWorker(app)
      }
      const arrived = hook.events()
      assert.deepEqual(
        arrived.map((r) => payloadOf(r).id),
        ids,
      )
      // The head event's schedule ran on: 0, 5 s (the 1 min run), +5 min, +30 min, then +2 h.
      assert.equal((arrived[0] as Received).atMs - start, 156 * MINUTE)
      const head = (await log(partner, `?event_id=${ids[0]}`)).items
      assert.deepEqual(
        head.map((a) => a.status),
        ['DELIVERED', 'FAILED', 'FAILED', 'FAILED', 'FAILED'],
      )
      assert.match(String(head[1]?.error), /ECONNREFUSED/)
      for (const id of ids.slice(1)) {
        assert.deepEqual(
          (await log(partner, `?event_id=${id}`)).items.map((a) => a.status),
          ['DELIVERED'],
        )
      }
      await runWorker(app)
      assert.equal(hook.events().length, ids.length)
    },
  )

  it('during a secret rotation both secrets sign; after the overlap only the new one', T, async () => {
    const partner = await createPartner(app, { name: 'Rotation' })
    const hook = await receiver()
    await activeEndpoint(app, partner, hook)
    const rotated = await app.admin('POST', `/admin/v1/partners/${partner.id}/webhook-secret/rotate`, {
      overlap_hours: 24,
    })
    assert.equal(rotated.statusCode, 200, rotated.body)
    const fresh = rotated.json().webhook_secret as string
    await emit(partner, 'settlement.confirmed')
    await runWorker(app)
    const during = hook.events().at(-1) as Received
    const signatures = String(during.headers['webhook-signature']).split(' ')
    assert.equal(signatures.length, 2)
    const headers = Object.fromEntries(
      ['webhook-id', 'webhook-timestamp', 'webhook-signature'].map((h) => [h, String(during.headers[h])]),
    )
    assert.equal(
      verifyAt(app.clock, partner.webhookSecret, during.body, headers).event,
      'settlement.confirmed',
    )
    assert.equal(verifyAt(app.clock, fresh, during.body, headers).event, 'settlement.confirmed')

    app.clock.advance(25 * HOUR)
    hook.secrets = [fresh]
    await emit(partner, 'settlement.failed')
    await runWorker(app)
    const later = hook.events().at(-1) as Received
    assert.equal(String(later.headers['webhook-signature']).split(' ').length, 1)
    assert.equal(payloadOf(later).event, 'settlement.failed')
    const laterHeaders = Object.fromEntries(
      ['webhook-id', 'webhook-timestamp', 'webhook-signature'].map((h) => [h, String(later.headers[h])]),
    )
    assert.throws(
      () => verifyAt(app.clock, partner.webhookSecret, later.body, laterHeaders),
      /No matching signature/,
    )
  })
})
