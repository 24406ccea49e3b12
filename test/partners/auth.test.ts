import assert from 'node:assert/strict'
import { after, before, it } from 'node:test'
import { hashSecret } from '../../src/partners/keys.ts'
import { ADMIN_TOKEN, createPartner, createTestApp, type TestApp, type TestPartner } from '../support/app.ts'
import { describeEachDialect } from '../support/databases.ts'

function expectUnauthorized(response: { statusCode: number; json(): unknown }) {
  assert.equal(response.statusCode, 401)
  const body = response.json() as { error: Record<string, string> }
  assert.equal(body.error.code, 'UNAUTHORIZED')
  assert.equal(body.error.message, 'invalid credentials')
  return body.error.message
}

describeEachDialect('partner authentication', ({ store }) => {
  let app: TestApp
  let partner: TestPartner
  before(async () => {
    app = await createTestApp(store())
    partner = await createPartner(app)
  })
  after(() => app.close())

  it('a sandbox key with its partner id reads balances', async () => {
    const response = await app.inject({ method: 'GET', url: '/v1/balances', headers: partner.headers() })
    assert.equal(response.statusCode, 200)
    assert.deepEqual(response.json(), {
      balances: [
        { asset: 'USDT', available: '0' },
        { asset: 'IDRX', available: '0' },
        { asset: 'tnSGD', available: '0' },
        { asset: 'MYRC', available: '0' },
      ],
    })
  })

  it('keys are 256-bit random with the SPEC prefixes', () => {
    assert.match(partner.apiKey, /^sk_live_[A-Za-z0-9_-]{43}$/)
    assert.match(partner.sandboxKey, /^sk_test_[A-Za-z0-9_-]{43}$/)
    assert.notEqual(partner.apiKey.slice(8), partner.sandboxKey.slice(8))
  })

  it('every authentication failure gets the same 401 body', async () => {
    const other = await createPartner(app, { name: 'Other' })
    const attempts: Record<string, string>[] = [
      {},
      { 'x-partner-id': partner.id },
      { authorization: `Bearer ${partner.sandboxKey}` },
      { authorization: `Basic ${partner.sandboxKey}`, 'x-partner-id': partner.id },
      { authorization: `Bearer ${partner.sandboxKey}x`, 'x-partner-id': partner.id },
      {
        authorization: 'Bearer sk_test_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
        'x-partner-id': partner.id,
      },
      { authorization: `Bearer ${partner.sandboxKey}`, 'x-partner-id': other.id },
      { authorization: `Bearer ${ADMIN_TOKEN}`, 'x-partner-id': partner.id },
      { authorization: `Bearer ${partner.webhookSecret}`, 'x-partner-id': partner.id },
    ]
    const messages = new Set<string>()
    for (const headers of attempts) {
      messages.add(expectUnauthorized(await app.inject({ method: 'GET', url: '/v1/balances', headers })))
    }
    assert.equal(messages.size, 1)
  })

  it('stores keys only as SHA-256 hashes', async () => {
    const rows = await store()
      .kysely.selectFrom('api_keys')
      .selectAll()
      .where('partner_id', '=', partner.id)
      .execute()
    assert.equal(rows.length, 2)
    const hashes = rows.map((row) => row.key_hash).sort()
    assert.deepEqual(hashes, [hashSecret(partner.apiKey), hashSecret(partner.sandboxKey)].sort())
    const everything = JSON.stringify(
      await store().kysely.selectFrom('api_keys').selectAll().execute(),
      (_k, v) => (typeof v === 'bigint' ? v.toString() : v),
    )
    assert.ok(!everything.includes(partner.apiKey.slice(8)))
    assert.ok(!everything.includes(partner.sandboxKey.slice(8)))
  })

  it('a partner key on an admin route gets 403; garbage gets 401', async () => {
    const forbidden = await app.inject({
      method: 'GET',
      url: '/admin/v1/partners',
      headers: partner.headers('live'),
    })
    assert.equal(forbidden.statusCode, 403)
    assert.equal(forbidden.json().error.code, 'FORBIDDEN')
    const wrong = await app.inject({
      method: 'GET',
      url: '/admin/v1/partners',
      headers: { authorization: 'Bearer nope' },
    })
    expectUnauthorized(wrong)
    const none = await app.inject({ method: 'GET', url: '/admin/v1/partners' })
    expectUnauthorized(none)
  })

  it('a suspended partner gets 403, and is back once reactivated', async () => {
    const suspended = await app.admin('PATCH', `/admin/v1/partners/${partner.id}`, { status: 'SUSPENDED' })
    assert.equal(suspended.statusCode, 200)
    const refused = await app.inject({ method: 'GET', url: '/v1/balances', headers: partner.headers() })
    assert.equal(refused.statusCode, 403)
    assert.equal(refused.json().error.message, 'partner is suspended')
    await app.admin('PATCH', `/admin/v1/partners/${partner.id}`, { status: 'ACTIVE' })
    const back = await app.inject({ method: 'GET', url: '/v1/balances', headers: partner.headers() })
    assert.equal(back.statusCode, 200)
  })

  it('rate limits a partner at its tier with Retry-After', async () => {
    const limited = await createTestApp(store(), { rateLimit: true })
    try {
      const p = await createPartner(limited, { name: 'Busy' })
      const statuses: number[] = []
      let retryAfter: string | undefined
      for (let i = 0; i < 25; i++) {
        const response = await limited.inject({ method: 'GET', url: '/v1/balances', headers: p.headers() })
        statuses.push(response.statusCode)
        if (response.statusCode === 429) retryAfter = response.headers['retry-after'] as string
      }
      // Standard tier: burst 20, then 10 per second; 25 calls in well under a second leave some refused.
      assert.equal(
        statuses.slice(0, 20).every((s) => s === 200),
        true,
      )
      assert.ok(statuses.includes(429))
      assert.equal(retryAfter, '1')
    } finally {
      await limited.close()
    }
  })
})
