/**
 * Issue 15, SDK: verifyWebhook accepts what the server signs (its own
 * src/webhooks/signing.ts over its own envelope bytes), with either secret of
 * a rotation, and refuses a tampered body, another secret and a stale
 * timestamp; and, end to end, the execution.settled delivery the server
 * POSTs after an execution made through the SDK client.
 */
import assert from 'node:assert/strict'
import type { AddressInfo } from 'node:net'
import { after, before, test } from 'node:test'
import fc from 'fast-check'
import { createStablefxClient, ok, verifyWebhook, WebhookVerificationError } from '../../sdk/src/index.ts'
import { generateWebhookSecret } from '../../src/partners/keys.ts'
import { envelopeBody } from '../../src/webhooks/deliveries.ts'
import { signedHeaders } from '../../src/webhooks/signing.ts'
import { createPartner, setMarket, type TestApp, type TestPartner } from '../support/app.ts'
import { describeEachDialect } from '../support/databases.ts'
import {
  activeEndpoint,
  createWebhookApp,
  type Receiver,
  runWorker,
  startReceiver,
} from '../webhooks/support.ts'

const ENVELOPE = {
  id: 'evt_0b3f6a52-3f1e-4bb2-9d8c-4a1f1b0e2c7d',
  event: 'execution.settled',
  timestamp: '2026-12-03T09:00:00.000Z',
  environment: 'sandbox',
  data: {
    execution_id: '6a9e9734-2ff8-4b9b-9b5a-1a12920fb518',
    status: 'SETTLED',
    destination_amount: '1613375.09',
  },
} as const

const refused = (error: unknown) => error instanceof WebhookVerificationError

test('a delivery signed by the server verifies and returns the event', () => {
  const secret = generateWebhookSecret()
  const body = envelopeBody(ENVELOPE)
  const headers = signedHeaders([secret], 'msg_1', Date.now(), body)
  assert.deepEqual(verifyWebhook(secret, body, headers), ENVELOPE)
  // The same from a fetch Headers object, from header names as a framework may case them, and from bytes.
  assert.deepEqual(verifyWebhook(secret, body, new Headers(headers)), ENVELOPE)
  const cased = Object.fromEntries(
    Object.entries(headers).map(([name, value]) => [name.toUpperCase(), value]),
  )
  assert.deepEqual(verifyWebhook(secret, new TextEncoder().encode(body), cased), ENVELOPE)
})

test('during a rotation either secret verifies the message signed with both', () => {
  const [old, fresh] = [generateWebhookSecret(), generateWebhookSecret()]
  const body = envelopeBody(ENVELOPE)
  const headers = signedHeaders([old, fresh], 'msg_2', Date.now(), body)
  assert.equal(headers['webhook-signature']?.split(' ').length, 2)
  assert.deepEqual(verifyWebhook(old, body, headers), ENVELOPE)
  assert.deepEqual(verifyWebhook(fresh, body, headers), ENVELOPE)
  assert.throws(() => verifyWebhook(generateWebhookSecret(), body, headers), refused)
})

test('a tampered body, a changed id or a stale timestamp is refused', () => {
  const secret = generateWebhookSecret()
  const body = envelopeBody(ENVELOPE)
  const headers = signedHeaders([secret], 'msg_3', Date.now(), body)
  const tampered = body.replace('1613375.09', '9613375.09')
  assert.notEqual(tampered, body)
  assert.throws(() => verifyWebhook(secret, tampered, headers), refused)
  assert.throws(() => verifyWebhook(secret, body, { ...headers, 'webhook-id': 'msg_4' }), refused)
  const stale = signedHeaders([secret], 'msg_5', Date.now() - 10 * 60_000, body)
  assert.throws(() => verifyWebhook(secret, body, stale), refused)
  const { 'webhook-signature': _, ...unsigned } = headers
  assert.throws(() => verifyWebhook(secret, body, unsigned), refused)
})

test('any change of one byte of the body is refused', () => {
  const secret = generateWebhookSecret()
  const body = envelopeBody(ENVELOPE)
  const headers = signedHeaders([secret], 'msg_6', Date.now(), body)
  fc.assert(
    fc.property(fc.nat({ max: body.length - 1 }), fc.integer({ min: 32, max: 126 }), (at, code) => {
      fc.pre(body.charCodeAt(at) !== code)
      const changed = body.slice(0, at) + String.fromCharCode(code) + body.slice(at + 1)
      assert.throws(() => verifyWebhook(secret, changed, headers), refused)
    }),
  )
})

describeEachDialect('SDK verifyWebhook on a real delivery', ({ store }) => {
  let app: TestApp
  let partner: TestPartner
  let hook: Receiver
  let baseUrl: string

  before(async () => {
    app = await createWebhookApp(store())
    await setMarket(app)
    partner = await createPartner(app, { name: 'SDK webhooks' })
    hook = await startReceiver(app.clock)
    await activeEndpoint(app, partner, hook)
    await app.stablefx.app.listen({ port: 0, host: '127.0.0.1' })
    baseUrl = `http://127.0.0.1:${(app.stablefx.app.server.address() as AddressInfo).port}`
  })
  after(async () => {
    await hook.close()
    await app.close()
  })

  /** verifyWebhook at the server's manual clock (synchronous: nothing else runs while Date.now is swapped). */
  function verifyNow(secret: string, body: string, headers: Record<string, string | string[] | undefined>) {
    const realNow = Date.now
    Date.now = () => app.clock.now()
    try {
      return verifyWebhook(secret, body, headers)
    } finally {
      Date.now = realNow
    }
  }

  test('the execution.settled POST for an SDK execution verifies with the partner’s webhook_secret', async () => {
    const client = createStablefxClient({ baseUrl, partnerId: partner.id, apiKey: partner.sandboxKey })
    ok(await client.POST('/v1/sandbox/faucet', { body: { asset: 'USDT', amount: '100' } }))
    const quote = ok(
      await client.POST('/v1/quote', { body: { pair: 'USD-IDR', side: 'SELL', amount: '100' } }),
    )
    const execution = ok(
      await client.POST('/v1/execute', {
        body: { quote_id: quote.quote_id, destination_address: '0x52908400098527886E0F7030069857D2E4169EE7' },
      }),
    )
    await runWorker(app)
    const settled = hook.events().filter((r) => JSON.parse(r.body).event === 'execution.settled')
    assert.equal(settled.length, 1)
    const [delivery] = settled as [(typeof settled)[number]]
    const event = verifyNow(partner.webhookSecret, delivery.body, delivery.headers)
    assert.equal(event.event, 'execution.settled')
    assert.equal(event.environment, 'sandbox')
    assert.equal(event.id, delivery.headers['webhook-id'])
    assert.equal(event.data.execution_id, execution.execution_id)
    assert.equal(event.data.destination_amount, '1613375.09')
    assert.throws(
      () =>
        verifyNow(partner.webhookSecret, delivery.body.replace('1613375.09', '1613375.10'), delivery.headers),
      refused,
    )
    assert.throws(() => verifyNow(generateWebhookSecret(), delivery.body, delivery.headers), refused)
  })
})
