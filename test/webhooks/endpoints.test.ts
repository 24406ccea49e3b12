/**
 * Webhook endpoints over HTTP (SPEC §10, §15): the URL policy at PUT and at
 * connect time (SSRF: private, loopback, link-local, DNS rebinding to
 * 127.0.0.1 in live), one endpoint per environment, the admin's routes
 * (audited), the delivery log's pages and manual redelivery.
 */
import assert from 'node:assert/strict'
import { after, before, it } from 'node:test'
import { recordEvent } from '../../src/events/events.ts'
import type { Resolve } from '../../src/webhooks/transport.ts'
import { createPartner, type TestApp, type TestPartner } from '../support/app.ts'
import { describeEachDialect } from '../support/databases.ts'
import {
  activeEndpoint,
  createWebhookApp,
  partnerCall,
  type Receiver,
  runWorker,
  startReceiver,
} from './support.ts'

const T = { timeout: 30_000 }

/** Test DNS: fixed answers, and a rebinding name that answers a public address once, then 127.0.0.1. */
function testDns(): Resolve {
  let rebindLookups = 0
  const table: Record<string, string[]> = {
    'hooks.example': ['93.184.216.34'],
    'private.example': ['93.184.216.34', '10.0.0.7'],
    'metadata.example': ['169.254.169.254'],
    'ula.example': ['fd00::7'],
  }
  return async (hostname) => {
    if (hostname === 'rebind.example') {
      rebindLookups++
      return [{ address: rebindLookups === 1 ? '93.184.216.34' : '127.0.0.1', family: 4 }]
    }
    const found = table[hostname]
    if (found === undefined) throw Object.assign(new Error('not found'), { code: 'ENOTFOUND' })
    return found.map((address) => ({ address, family: address.includes(':') ? 6 : 4 }) as const)
  }
}

describeEachDialect('webhook endpoints', ({ store }) => {
  let app: TestApp
  let strict: TestApp
  let partner: TestPartner
  const receivers: Receiver[] = []
  before(async () => {
    app = await createWebhookApp(store(), { resolve: testDns() })
    strict = await createWebhookApp(store(), { resolve: testDns(), allowPrivateSandbox: false })
    partner = await createPartner(app, { name: 'Endpoints' })
  })
  after(async () => {
    for (const receiver of receivers) await receiver.close().catch(() => {})
    await strict.close()
    await app.close()
  })

  async function refusal(target: TestApp, url: string, environment: 'sandbox' | 'live') {
    const response = await partnerCall(target, partner, 'PUT', '/v1/webhook', { url }, environment)
    assert.equal(response.statusCode, 400, response.body)
    assert.equal(response.json().error.code, 'VALIDATION_ERROR')
    return response.json().error.message as string
  }

  it('live refuses http and every non-public address at PUT, with a clear message', T, async () => {
    const cases: [string, string][] = [
      ['http://hooks.example/x', 'url must use https in live'],
      [
        'https://127.0.0.1/x',
        'url refused: 127.0.0.1 is a loopback address, which webhooks may not target in live',
      ],
      [
        'https://10.1.2.3/x',
        'url refused: 10.1.2.3 is a private address, which webhooks may not target in live',
      ],
      [
        'https://192.168.0.10/x',
        'url refused: 192.168.0.10 is a private address, which webhooks may not target in live',
      ],
      [
        'https://169.254.169.254/latest/meta-data',
        'url refused: 169.254.169.254 is a link-local address, which webhooks may not target in live',
      ],
      ['https://[::1]/x', 'url refused: ::1 is a loopback address, which webhooks may not target in live'],
      [
        'https://[fe80::1]/x',
        'url refused: fe80::1 is a link-local address, which webhooks may not target in live',
      ],
      [
        'https://[fd00::1]/x',
        'url refused: fd00::1 is a unique-local address, which webhooks may not target in live',
      ],
      [
        'https://0.0.0.0/x',
        'url refused: 0.0.0.0 is an unspecified address, which webhooks may not target in live',
      ],
      [
        'https://[::ffff:127.0.0.1]/x',
        'url refused: ::ffff:7f00:1 is an ipv4-mapped address, which webhooks may not target in live',
      ],
      [
        'https://private.example/x',
        'url refused: private.example resolves to 10.0.0.7, a private address, which webhooks may not target in live',
      ],
      [
        'https://metadata.example/x',
        'url refused: metadata.example resolves to 169.254.169.254, a link-local address, which webhooks may not target in live',
      ],
      ['https://nowhere.example/x', 'url refused: nowhere.example does not resolve'],
    ]
    for (const [url, message] of cases) assert.equal(await refusal(app, url, 'live'), message, url)
    const live = await partnerCall(app, partner, 'GET', '/v1/webhook', undefined, 'live')
    assert.equal(live.statusCode, 404)
    assert.equal(live.json().error.message, 'no webhook endpoint is set in live')
  })

  it(
    'DNS rebinding: a name that resolves to 127.0.0.1 at connect time is refused before connecting',
    T,
    async () => {
      const hook = await startReceiver(app.clock)
      receivers.push(hook)
      const url = `https://rebind.example:${hook.port}/hooks`
      const put = await partnerCall(app, partner, 'PUT', '/v1/webhook', { url }, 'live')
      assert.equal(put.statusCode, 200, put.body)
      assert.equal(put.json().status, 'PENDING_VERIFICATION')
      await runWorker(app, 'live')
      assert.equal(hook.connections, 0)
      const view = (await partnerCall(app, partner, 'GET', '/v1/webhook', undefined, 'live')).json()
      assert.equal(view.status, 'PENDING_VERIFICATION')
      assert.equal(
        view.status_reason,
        'verification failed: refused: rebind.example resolves to 127.0.0.1, a loopback address, which webhooks may not target in live',
      )
      // The live endpoint is its own: the sandbox key still has none.
      assert.equal((await partnerCall(app, partner, 'GET', '/v1/webhook')).statusCode, 404)
    },
  )

  it(
    'sandbox takes local receivers by default, never link-local; STABLEFX_WEBHOOK_ALLOW_PRIVATE=off refuses them',
    T,
    async () => {
      assert.equal(
        await refusal(app, 'http://169.254.169.254/x', 'sandbox'),
        'url refused: 169.254.169.254 is a link-local address, which webhooks may not target in sandbox',
      )
      assert.equal(
        await refusal(strict, 'http://127.0.0.1:9/x', 'sandbox'),
        'url must use https (http is refused: STABLEFX_WEBHOOK_ALLOW_PRIVATE is off)',
      )
      assert.equal(
        await refusal(strict, 'https://127.0.0.1:9/x', 'sandbox'),
        'url refused: 127.0.0.1 is a loopback address, which webhooks may not target in sandbox',
      )
      assert.equal(
        await refusal(strict, 'https://ula.example/x', 'sandbox'),
        'url refused: ula.example resolves to fd00::7, a unique-local address, which webhooks may not target in sandbox',
      )
      const ok = await partnerCall(app, partner, 'PUT', '/v1/webhook', { url: 'http://127.0.0.1:9/x' })
      assert.equal(ok.statusCode, 200, ok.body)
      for (const body of [
        { url: 'http://127.0.0.1:9/x', events: [] },
        { url: 'http://127.0.0.1:9/x', events: ['nope'] },
        { url: 'x', extra: 1 },
      ]) {
        const bad = await partnerCall(app, partner, 'PUT', '/v1/webhook', body)
        assert.equal(bad.statusCode, 400, bad.body)
        assert.equal(bad.json().error.code, 'VALIDATION_ERROR')
      }
    },
  )

  it('the admin sets and reads a partner’s endpoint (audited), its log and redeliveries', T, async () => {
    const other = await createPartner(app, { name: 'Admin managed' })
    const hook = await startReceiver(app.clock)
    receivers.push(hook)
    hook.secrets = [other.webhookSecret]
    const put = await app.admin('PUT', `/admin/v1/partners/${other.id}/webhook?environment=sandbox`, {
      url: hook.url,
      events: ['withdrawal.completed', 'deposit.confirmed', 'deposit.confirmed'],
    })
    assert.equal(put.statusCode, 200, put.body)
    assert.deepEqual(put.json().events, ['deposit.confirmed', 'withdrawal.completed'])
    assert.equal(put.json().all_events, false)
    const audit = await app.store.kysely
      .selectFrom('audit_log')
      .selectAll()
      .where('target_id', '=', other.id)
      .where('action', '=', 'webhook.set')
      .execute()
    assert.equal(audit.length, 1)
    assert.deepEqual(JSON.parse(audit[0]?.after as string), {
      environment: 'sandbox',
      url: hook.url,
      events: ['deposit.confirmed', 'withdrawal.completed'],
      status: 'PENDING_VERIFICATION',
    })
    assert.equal(audit[0]?.before, null)
    await runWorker(app)
    const read = await app.admin('GET', `/admin/v1/partners/${other.id}/webhook?environment=sandbox`)
    assert.equal(read.json().status, 'ACTIVE')
    assert.equal(
      (await app.admin('GET', `/admin/v1/partners/${crypto.randomUUID()}/webhook`)).statusCode,
      404,
    )

    const ids: string[] = []
    for (const type of ['deposit.confirmed', 'withdrawal.completed', 'withdrawal.queued'] as const) {
      ids.push(
        await app.store.transaction((tx) =>
          recordEvent(tx, {
            environment: 'sandbox',
            partnerId: other.id,
            type,
            data: {},
            atMs: app.clock.now(),
          }),
        ),
      )
    }
    await runWorker(app)
    // withdrawal.queued is outside the subscription.
    assert.deepEqual(
      hook.events().map((r) => JSON.parse(r.body).id),
      ids.slice(0, 2),
    )
    // Pages of the log, newest first.
    const first = await app.admin(
      'GET',
      `/admin/v1/partners/${other.id}/webhook/deliveries?environment=sandbox&limit=2`,
    )
    assert.equal(first.statusCode, 200, first.body)
    assert.deepEqual(
      first.json().items.map((a: { event_id: string }) => a.event_id),
      [ids[1], ids[0]],
    )
    const rest = await app.admin(
      'GET',
      `/admin/v1/partners/${other.id}/webhook/deliveries?environment=sandbox&limit=2&cursor=${first.json().next_cursor}`,
    )
    assert.deepEqual(
      rest.json().items.map((a: { event: string }) => a.event),
      ['webhook.verification'],
    )
    assert.equal(rest.json().next_cursor, null)

    // Redelivery: same id and body again; an event outside the subscription can be asked for too.
    const again = await partnerCall(app, other, 'POST', `/v1/webhook/deliveries/${ids[0]}/redeliver`)
    assert.equal(again.statusCode, 202, again.body)
    assert.deepEqual(again.json(), { event_id: ids[0], status: 'PENDING' })
    const admin = await app.admin(
      'POST',
      `/admin/v1/partners/${other.id}/webhook/deliveries/${ids[2]}/redeliver?environment=sandbox`,
    )
    assert.equal(admin.statusCode, 202, admin.body)
    await runWorker(app)
    const events = hook.events()
    assert.deepEqual(
      events.map((r) => JSON.parse(r.body).id),
      [ids[0], ids[1], ids[0], ids[2]],
    )
    assert.equal(events[2]?.body, events[0]?.body)
    assert.ok(events.every((r) => r.verified.ok))
    const redeliveries = await app.store.kysely
      .selectFrom('audit_log')
      .select('after')
      .where('target_id', '=', other.id)
      .where('action', '=', 'webhook.redeliver')
      .execute()
    assert.deepEqual(
      redeliveries.map((r) => JSON.parse(r.after as string)),
      [{ environment: 'sandbox', event_id: ids[2] }],
    )

    // Another partner's event, or no such event: 404.
    const foreign = await partnerCall(app, partner, 'POST', `/v1/webhook/deliveries/${ids[0]}/redeliver`)
    assert.equal(foreign.statusCode, 404, foreign.body)
    const unknown = await partnerCall(
      app,
      other,
      'POST',
      `/v1/webhook/deliveries/${crypto.randomUUID()}/redeliver`,
    )
    assert.equal(unknown.statusCode, 404)
    assert.deepEqual((await partnerCall(app, other, 'POST', '/v1/webhook/dead-letters/redeliver')).json(), {
      redelivered: 0,
    })
    const noEndpoint = await createPartner(app, { name: 'No endpoint' })
    assert.equal(
      (await partnerCall(app, noEndpoint, 'POST', '/v1/webhook/dead-letters/redeliver')).statusCode,
      404,
    )
  })
})

describeEachDialect('webhook endpoints, one receiver kept', ({ store }) => {
  let app: TestApp
  let hook: Receiver
  before(async () => {
    app = await createWebhookApp(store())
    hook = await startReceiver(app.clock)
  })
  after(async () => {
    await hook.close()
    await app.close()
  })

  it(
    'changing only the subscription of an ACTIVE endpoint keeps it ACTIVE without a new verification',
    T,
    async () => {
      const partner = await createPartner(app, { name: 'Resubscribe' })
      await activeEndpoint(app, partner, hook)
      const put = await partnerCall(app, partner, 'PUT', '/v1/webhook', {
        url: hook.url,
        events: ['quote.expired'],
      })
      assert.equal(put.json().status, 'ACTIVE')
      assert.deepEqual(put.json().events, ['quote.expired'])
      await runWorker(app)
      assert.equal(hook.received.length, 1)
    },
  )
})
