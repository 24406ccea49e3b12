/** Issue 11 "Contracts": what counterparties and issuers implement is in /openapi.json as OpenAPI 3.1 `webhooks`. */
import assert from 'node:assert/strict'
import { it } from 'node:test'
import { openStore } from '../../src/store/store.ts'
import { createTestApp } from '../support/app.ts'
import { createTestDatabase } from '../support/databases.ts'

it('partner webhooks and the RFQ and issuer contracts are OpenAPI webhooks, with their bodies and answers', async (t) => {
  const database = await createTestDatabase('sqlite')
  const store = await openStore(database.url)
  const app = await createTestApp(store)
  t.after(async () => {
    await app.close()
    await store.close()
    await database.drop()
  })
  const spec = (await app.inject({ method: 'GET', url: '/openapi.json' })).json()
  assert.equal(spec.openapi, '3.1.0')
  assert.deepEqual(Object.keys(spec.webhooks), [
    'partnerEvent',
    'rfqRequest',
    'issuerMint',
    'issuerRedeem',
    'issuerProofOfReserve',
  ])
  const rfq = spec.webhooks.rfqRequest.post
  assert.deepEqual(
    rfq.parameters.map((p: { name: string }) => p.name),
    ['webhook-id', 'webhook-timestamp', 'webhook-signature'],
  )
  const body = rfq.requestBody.content['application/json'].schema
  assert.deepEqual(body.required, [
    'rfq_id',
    'environment',
    'pair',
    'side',
    'amount',
    'amount_currency',
    'purpose',
    'respond_by',
  ])
  assert.deepEqual(
    body.properties.purpose.anyOf.map((p: { const: string }) => p.const),
    ['CLIENT_ORDER', 'REBALANCE', 'EMERGENCY'],
  )
  assert.deepEqual(Object.keys(rfq.responses), ['200', '204'])
  assert.deepEqual(rfq.responses['200'].content['application/json'].schema.required, [
    'rfq_id',
    'quote_id',
    'rate',
    'expires_at',
  ])
  const envelope = spec.webhooks.partnerEvent.post.requestBody.content['application/json'].schema
  assert.ok(envelope.anyOf.some((alt: { title?: string }) => alt.title === 'payment.status'))
  assert.deepEqual(
    Object.keys(spec.webhooks.issuerMint.post.responses['202'].content['application/json'].schema.properties),
    ['mint_id'],
  )
})
