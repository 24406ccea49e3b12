/**
 * SPEC §9 credentials lifecycle over HTTP: list, rotate with an overlap,
 * revoke, expiry, the partner.credential_expiring warnings, webhook secret
 * rotation, offboarding. Credentials age on the live clock (the manual
 * clock from T0 here); every test that moves it has an app and clock of its own.
 */
import assert from 'node:assert/strict'
import { after, before, it } from 'node:test'
import { createManualClock } from '../../src/clock/clock.ts'
import { isOffboarded } from '../../src/partners/credentials.ts'
import { warnExpiringKeys } from '../../src/partners/expiry-warnings.ts'
import { hashSecret } from '../../src/partners/keys.ts'
import { signingSecrets } from '../../src/partners/webhook-secrets.ts'
import { backgroundWorkers } from '../../src/workers/catalog.ts'
import {
  ADMIN_TOKEN,
  createPartner,
  createTestApp,
  T0,
  type TestApp,
  type TestPartner,
} from '../support/app.ts'
import { describeEachDialect } from '../support/databases.ts'

const HOUR_MS = 3_600_000
const DAY_MS = 24 * HOUR_MS
const iso = (ms: number) => new Date(ms).toISOString()

type KeyView = {
  key_id: string
  prefix: string
  environment: string
  status: string
  created_at: string
  expires_at: string | null
}

describeEachDialect('credentials lifecycle', ({ store }) => {
  let app: TestApp
  before(async () => {
    app = await createTestApp(store())
  })
  after(() => app.close())

  /** A test that moves the live clock gets its own app (and clock) on the suite's database. */
  async function withOwnClock(fn: (own: TestApp) => Promise<void>) {
    const own = await createTestApp(store())
    try {
      await fn(own)
    } finally {
      await own.close()
    }
  }

  const balances = (on: TestApp, partner: TestPartner, key: string) =>
    on.inject({
      method: 'GET',
      url: '/v1/balances',
      headers: { authorization: `Bearer ${key}`, 'x-partner-id': partner.id },
    })

  async function keys(on: TestApp, partner: TestPartner): Promise<KeyView[]> {
    const response = await on.admin('GET', `/admin/v1/partners/${partner.id}/api-keys`)
    assert.equal(response.statusCode, 200)
    return (response.json() as { api_keys: KeyView[] }).api_keys
  }

  async function keyIdOf(on: TestApp, partner: TestPartner, key: string): Promise<string> {
    const found = (await keys(on, partner)).find((k) => k.prefix === key.slice(0, 12))
    assert.ok(found)
    return found.key_id
  }

  async function auditActions(partnerId: string): Promise<string[]> {
    const rows = await store()
      .kysely.selectFrom('audit_log')
      .select('action')
      .where('target_id', '=', partnerId)
      .orderBy('id')
      .execute()
    return rows.map((row) => row.action)
  }

  const errorOf = (response: { statusCode: number; json(): unknown }) => [
    response.statusCode,
    (response.json() as { error: { code: string } }).error.code,
  ]

  it('lists a new partner’s keys: the live key expires in 90 days, the sandbox key never', async () => {
    const partner = await createPartner(app)
    const listed = await keys(app, partner)
    assert.deepEqual(
      listed.map(({ key_id, ...rest }) => rest),
      [
        {
          prefix: partner.apiKey.slice(0, 12),
          environment: 'live',
          status: 'ACTIVE',
          created_at: '2026-11-23T00:00:00.000Z',
          expires_at: '2027-02-21T00:00:00.000Z',
        },
        {
          prefix: partner.sandboxKey.slice(0, 12),
          environment: 'sandbox',
          status: 'ACTIVE',
          created_at: '2026-11-23T00:00:00.000Z',
          expires_at: null,
        },
      ],
    )
    for (const key of listed) assert.match(key.key_id, /^[0-9a-f-]{36}$/)
    assert.ok(!JSON.stringify(listed).includes(partner.apiKey.slice(12)))
  })

  it('rotation: both keys work inside the overlap, the old one is 401 from its end', async () => {
    await withOwnClock(async (own) => {
      const partner = await createPartner(own)
      const oldKeyId = await keyIdOf(own, partner, partner.apiKey)
      const rotated = await own.admin('POST', `/admin/v1/partners/${partner.id}/api-keys/rotate`, {
        overlap_hours: 24,
      })
      assert.equal(rotated.statusCode, 200)
      const body = rotated.json() as { key_id: string; api_key: string }
      assert.match(body.api_key, /^sk_live_[A-Za-z0-9_-]{43}$/)
      assert.deepEqual(rotated.json(), {
        key_id: body.key_id,
        api_key: body.api_key,
        expires_at: iso(T0 + 90 * DAY_MS),
        previous_key_expires_at: iso(T0 + 24 * HOUR_MS),
      })
      assert.deepEqual(
        (await keys(own, partner))
          .filter((k) => k.environment === 'live')
          .map((k) => [k.key_id, k.status, k.expires_at]),
        [
          [body.key_id, 'ACTIVE', iso(T0 + 90 * DAY_MS)],
          [oldKeyId, 'RETIRING', iso(T0 + 24 * HOUR_MS)],
        ],
      )
      for (const key of [partner.apiKey, body.api_key])
        assert.equal((await balances(own, partner, key)).statusCode, 200)
      own.clock.advance(24 * HOUR_MS - 1)
      for (const key of [partner.apiKey, body.api_key])
        assert.equal((await balances(own, partner, key)).statusCode, 200)
      own.clock.advance(1)
      assert.deepEqual(errorOf(await balances(own, partner, partner.apiKey)), [401, 'UNAUTHORIZED'])
      assert.equal((await balances(own, partner, body.api_key)).statusCode, 200)
      const after = (await keys(own, partner)).find((k) => k.key_id === oldKeyId)
      assert.equal(after?.status, 'EXPIRED')
      // The sandbox key is not touched by a live rotation.
      assert.equal((await balances(own, partner, partner.sandboxKey)).statusCode, 200)
      assert.deepEqual(await auditActions(partner.id), ['partner.create', 'partner.api_key.rotate'])
      const audit = await store()
        .kysely.selectFrom('audit_log')
        .select(['actor', 'after'])
        .where('target_id', '=', partner.id)
        .where('action', '=', 'partner.api_key.rotate')
        .executeTakeFirstOrThrow()
      assert.equal(audit.actor, 'admin')
      assert.ok(!(audit.after ?? '').includes(body.api_key.slice(12)))
    })
  })

  it('rotation with overlap 0 stops the old key at once; without a body the overlap is 24 h', async () => {
    const partner = await createPartner(app)
    const now = await app.admin('POST', `/admin/v1/partners/${partner.id}/api-keys/rotate`, {
      overlap_hours: 0,
    })
    assert.equal(now.statusCode, 200)
    assert.equal(now.json().previous_key_expires_at, iso(T0))
    assert.deepEqual(errorOf(await balances(app, partner, partner.apiKey)), [401, 'UNAUTHORIZED'])
    const next = now.json().api_key as string
    assert.equal((await balances(app, partner, next)).statusCode, 200)
    const byDefault = await app.inject({
      method: 'POST',
      url: `/admin/v1/partners/${partner.id}/api-keys/rotate`,
      headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
    })
    assert.equal(byDefault.statusCode, 200)
    assert.equal(byDefault.json().previous_key_expires_at, iso(T0 + 24 * HOUR_MS))
    // A rotation during an overlap ends the retiring key no later than before: never extends it.
    const working = (await keys(app, partner)).filter(
      (k) => k.environment === 'live' && k.status !== 'EXPIRED',
    )
    assert.deepEqual(
      working.map((k) => [k.status, k.expires_at]),
      [
        ['ACTIVE', iso(T0 + 90 * DAY_MS)],
        ['RETIRING', iso(T0 + 24 * HOUR_MS)],
      ],
    )
  })

  it('a sandbox key rotates on request and keeps no expiry', async () => {
    const partner = await createPartner(app)
    const rotated = await app.admin('POST', `/admin/v1/partners/${partner.id}/api-keys/rotate`, {
      overlap_hours: 1,
      environment: 'sandbox',
    })
    assert.equal(rotated.statusCode, 200)
    assert.match(rotated.json().api_key, /^sk_test_/)
    assert.equal(rotated.json().expires_at, null)
    assert.equal(rotated.json().previous_key_expires_at, iso(T0 + HOUR_MS))
  })

  it('refuses a bad overlap (400), an unknown partner or key (404), and unknown fields (400)', async () => {
    const partner = await createPartner(app)
    const other = await createPartner(app, { name: 'Other' })
    for (const overlap of [-1, 721, 1.5, '24', null]) {
      const response = await app.admin('POST', `/admin/v1/partners/${partner.id}/api-keys/rotate`, {
        overlap_hours: overlap,
      })
      assert.deepEqual(errorOf(response), [400, 'VALIDATION_ERROR'], `overlap ${overlap}`)
      const secret = await app.admin('POST', `/admin/v1/partners/${partner.id}/webhook-secret/rotate`, {
        overlap_hours: overlap,
      })
      assert.deepEqual(errorOf(secret), [400, 'VALIDATION_ERROR'], `overlap ${overlap}`)
    }
    assert.deepEqual(
      errorOf(
        await app.admin('POST', `/admin/v1/partners/${partner.id}/api-keys/rotate`, {
          overlap_hours: 1,
          extra: true,
        }),
      ),
      [400, 'VALIDATION_ERROR'],
    )
    const unknown = '00000000-0000-4000-8000-000000000000'
    for (const [method, url] of [
      ['GET', `/admin/v1/partners/${unknown}/api-keys`],
      ['GET', '/admin/v1/partners/not-a-uuid/api-keys'],
      ['POST', `/admin/v1/partners/${unknown}/api-keys/rotate`],
      ['POST', `/admin/v1/partners/${unknown}/webhook-secret/rotate`],
      ['DELETE', `/admin/v1/partners/${unknown}`],
      ['POST', `/admin/v1/partners/${partner.id}/api-keys/${unknown}/revoke`],
      ['POST', `/admin/v1/partners/${partner.id}/api-keys/nope/revoke`],
      // Another partner's key is not this partner's: 404, and the key stays.
      ['POST', `/admin/v1/partners/${partner.id}/api-keys/${await keyIdOf(app, other, other.apiKey)}/revoke`],
    ] as const) {
      assert.deepEqual(
        errorOf(await app.admin(method, url, method === 'POST' ? {} : undefined)),
        [404, 'NOT_FOUND'],
        url,
      )
    }
    assert.equal((await balances(app, other, other.apiKey)).statusCode, 200)
    // A partner key on these admin routes: 403.
    const forbidden = await app.inject({
      method: 'GET',
      url: `/admin/v1/partners/${partner.id}/api-keys`,
      headers: partner.headers('live'),
    })
    assert.deepEqual(errorOf(forbidden), [403, 'FORBIDDEN'])
  })

  it('revocation is at once; revoking again answers the key unchanged, audited once', async () => {
    const partner = await createPartner(app)
    assert.equal((await balances(app, partner, partner.apiKey)).statusCode, 200)
    const keyId = await keyIdOf(app, partner, partner.apiKey)
    const revoked = await app.admin('POST', `/admin/v1/partners/${partner.id}/api-keys/${keyId}/revoke`)
    assert.equal(revoked.statusCode, 200)
    const expected = {
      key_id: keyId,
      prefix: partner.apiKey.slice(0, 12),
      environment: 'live',
      status: 'REVOKED',
      created_at: iso(T0),
      expires_at: iso(T0 + 90 * DAY_MS),
    }
    assert.deepEqual(revoked.json(), expected)
    // Cached a moment ago on this node, refused now: the revoking node forgets the key at once.
    assert.deepEqual(errorOf(await balances(app, partner, partner.apiKey)), [401, 'UNAUTHORIZED'])
    // A revoked key is no partner key any more: an admin route answers it 401, not 403.
    const admin = await app.inject({
      method: 'GET',
      url: '/admin/v1/partners',
      headers: { authorization: `Bearer ${partner.apiKey}` },
    })
    assert.deepEqual(errorOf(admin), [401, 'UNAUTHORIZED'])
    const again = await app.admin('POST', `/admin/v1/partners/${partner.id}/api-keys/${keyId}/revoke`)
    assert.equal(again.statusCode, 200)
    assert.deepEqual(again.json(), expected)
    assert.deepEqual(await auditActions(partner.id), ['partner.create', 'partner.api_key.revoke'])
    assert.equal((await balances(app, partner, partner.sandboxKey)).statusCode, 200)
  })

  it('a live key answers 401 from its expiry instant; the sandbox key never expires', async () => {
    await withOwnClock(async (own) => {
      const partner = await createPartner(own)
      own.clock.set(T0 + 90 * DAY_MS - 1)
      assert.equal((await balances(own, partner, partner.apiKey)).statusCode, 200)
      own.clock.set(T0 + 90 * DAY_MS)
      assert.deepEqual(errorOf(await balances(own, partner, partner.apiKey)), [401, 'UNAUTHORIZED'])
      assert.equal((await balances(own, partner, partner.sandboxKey)).statusCode, 200)
      assert.deepEqual(
        (await keys(own, partner)).map((k) => [k.environment, k.status]),
        [
          ['live', 'EXPIRED'],
          ['sandbox', 'ACTIVE'],
        ],
      )
      // The remedy: a rotation issues a working key (no previous key to overlap).
      const rotated = await own.admin('POST', `/admin/v1/partners/${partner.id}/api-keys/rotate`, {})
      assert.equal(rotated.json().previous_key_expires_at, null)
      assert.equal((await balances(own, partner, rotated.json().api_key)).statusCode, 200)
    })
  })

  it('partner.credential_expiring 14 and 3 days before expiry, each exactly once', async () => {
    const partner = await createPartner(app)
    const retiring = await createPartner(app, { name: 'Rotated' })
    await app.admin('POST', `/admin/v1/partners/${retiring.id}/api-keys/rotate`, { overlap_hours: 720 })
    const keyId = await keyIdOf(app, partner, partner.apiKey)
    const events = async (partnerId: string) =>
      (
        await store()
          .kysely.selectFrom('events')
          .select(['type', 'environment', 'data', 'created_at'])
          .where('partner_id', '=', partnerId)
          .where('type', '=', 'partner.credential_expiring')
          .orderBy('id')
          .execute()
      ).map((row) => ({ ...row, data: JSON.parse(row.data), created_at: Number(row.created_at) }))
    const expiresAt = T0 + 90 * DAY_MS
    await warnExpiringKeys(store(), expiresAt - 14 * DAY_MS - 1)
    assert.deepEqual(await events(partner.id), [])
    for (let run = 0; run < 3; run++) await warnExpiringKeys(store(), expiresAt - 14 * DAY_MS + run * HOUR_MS)
    const warning = (days: number, atMs: number) => ({
      type: 'partner.credential_expiring',
      environment: 'live',
      data: {
        partner_id: partner.id,
        key_id: keyId,
        prefix: partner.apiKey.slice(0, 12),
        environment: 'live',
        expires_at: iso(expiresAt),
        days_before: days,
      },
      created_at: atMs,
    })
    assert.deepEqual(await events(partner.id), [warning(14, expiresAt - 14 * DAY_MS)])
    await warnExpiringKeys(store(), expiresAt - 3 * DAY_MS - 1)
    for (let run = 0; run < 3; run++) await warnExpiringKeys(store(), expiresAt - 3 * DAY_MS + run * HOUR_MS)
    await warnExpiringKeys(store(), expiresAt)
    assert.deepEqual(await events(partner.id), [
      warning(14, expiresAt - 14 * DAY_MS),
      warning(3, expiresAt - 3 * DAY_MS),
    ])
    // The new key of the rotated partner was warned like any other; its replaced key never.
    const rotatedEvents = await events(retiring.id)
    assert.equal(rotatedEvents.length, 2)
    const newKeyId = (await keys(app, retiring)).find(
      (k) => k.status === 'ACTIVE' && k.environment === 'live',
    )
    for (const event of rotatedEvents) assert.equal(event.data.key_id, newKeyId?.key_id)
  })

  it('a worker that missed the 14-day warning sends only the 3-day one', async () => {
    const partner = await createPartner(app, { name: 'Late' })
    const expiresAt = T0 + 90 * DAY_MS
    // Other partners' keys share the window; the count is of this partner's events.
    await warnExpiringKeys(store(), expiresAt - 2 * DAY_MS)
    const rows = await store()
      .kysely.selectFrom('events')
      .select('data')
      .where('partner_id', '=', partner.id)
      .execute()
    assert.deepEqual(
      rows.map((row) => JSON.parse(row.data).days_before),
      [3],
    )
  })

  it('the credentials.expiry worker warns on the live clock', async () => {
    const partner = await createPartner(app, { name: 'Worked' })
    const clock = createManualClock(T0 + 76 * DAY_MS)
    // Only what this worker reads; the others are not run.
    const deps = { store: store(), liveClock: clock } as unknown as Parameters<typeof backgroundWorkers>[0]
    const workers = backgroundWorkers(deps)
    const worker = workers.find((w) => w.name === 'credentials.expiry')
    assert.equal(worker?.everyMs, 60_000)
    await worker?.run({ stillHeld: () => true })
    const rows = await store()
      .kysely.selectFrom('events')
      .select(['type', 'created_at'])
      .where('partner_id', '=', partner.id)
      .execute()
    assert.deepEqual(rows, [{ type: 'partner.credential_expiring', created_at: BigInt(T0 + 76 * DAY_MS) }])
  })

  it('webhook secret rotation: both secrets sign inside the overlap, one after', async () => {
    const partner = await createPartner(app)
    assert.deepEqual(await signingSecrets(store(), partner.id, T0), [partner.webhookSecret])
    const rotated = await app.admin('POST', `/admin/v1/partners/${partner.id}/webhook-secret/rotate`, {
      overlap_hours: 48,
    })
    assert.equal(rotated.statusCode, 200)
    const secret = rotated.json().webhook_secret as string
    assert.match(secret, /^whsec_[A-Za-z0-9+/]{43}=$/)
    assert.deepEqual(rotated.json(), {
      webhook_secret: secret,
      previous_secret_expires_at: iso(T0 + 48 * HOUR_MS),
    })
    assert.deepEqual(await signingSecrets(store(), partner.id, T0), [secret, partner.webhookSecret])
    assert.deepEqual(await signingSecrets(store(), partner.id, T0 + 48 * HOUR_MS - 1), [
      secret,
      partner.webhookSecret,
    ])
    assert.deepEqual(await signingSecrets(store(), partner.id, T0 + 48 * HOUR_MS), [secret])
    assert.deepEqual(await auditActions(partner.id), ['partner.create', 'partner.webhook_secret.rotate'])
    const audit = JSON.stringify(
      await store().kysely.selectFrom('audit_log').selectAll().execute(),
      (_k, v) => (typeof v === 'bigint' ? v.toString() : v),
    )
    for (const s of [secret, partner.webhookSecret]) assert.ok(!audit.includes(s.slice(6)))
    // Rotating twice inside an overlap: the first secret keeps its (earlier) end, the middle one ends with the new overlap.
    const third = await app.admin('POST', `/admin/v1/partners/${partner.id}/webhook-secret/rotate`, {
      overlap_hours: 72,
    })
    const newest = third.json().webhook_secret as string
    assert.deepEqual(await signingSecrets(store(), partner.id, T0), [newest, secret, partner.webhookSecret])
    assert.deepEqual(await signingSecrets(store(), partner.id, T0 + 48 * HOUR_MS), [newest, secret])
    assert.deepEqual(await signingSecrets(store(), partner.id, T0 + 72 * HOUR_MS), [newest])
  })

  it('webhook secrets are stored sealed: no column holds them', async () => {
    const partner = await createPartner(app)
    const rotated = await app.admin('POST', `/admin/v1/partners/${partner.id}/webhook-secret/rotate`, {})
    const rows = await store()
      .kysely.selectFrom('webhook_secrets')
      .selectAll()
      .where('partner_id', '=', partner.id)
      .execute()
    assert.equal(rows.length, 2)
    const stored = JSON.stringify(rows, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))
    for (const secret of [partner.webhookSecret, rotated.json().webhook_secret as string]) {
      assert.ok(!stored.includes(secret.slice(6)))
      assert.ok(!stored.includes(Buffer.from(secret.slice(6), 'base64').toString('hex')))
      assert.ok(!stored.includes(hashSecret(secret)))
    }
    for (const row of rows) {
      assert.equal(row.secret, '')
      assert.match(
        row.secret_sealed ?? '',
        /^v1\.[A-Za-z0-9_-]{11}\.[A-Za-z0-9_-]{16}\.[A-Za-z0-9_-]{22}\.[A-Za-z0-9_-]+$/,
      )
    }
  })

  it('offboarding revokes every key, retires the webhook secrets, keeps the records; idempotent', async () => {
    const partner = await createPartner(app)
    assert.equal(await isOffboarded(store(), partner.id), false)
    const endpoint = await app.inject({
      method: 'PUT',
      url: '/v1/webhook',
      headers: partner.headers(),
      payload: { url: 'http://127.0.0.1:9/hooks' },
    })
    assert.equal(endpoint.statusCode, 200, endpoint.body)
    const offboarded = await app.admin('DELETE', `/admin/v1/partners/${partner.id}`)
    assert.equal(offboarded.statusCode, 200)
    assert.equal(offboarded.json().status, 'OFFBOARDED')
    assert.equal(offboarded.json().partner_id, partner.id)
    assert.equal(await isOffboarded(store(), partner.id), true)
    for (const key of [partner.apiKey, partner.sandboxKey])
      assert.deepEqual(errorOf(await balances(app, partner, key)), [401, 'UNAUTHORIZED'])
    assert.deepEqual(await signingSecrets(store(), partner.id, T0), [])
    const endpoints = await store()
      .kysely.selectFrom('webhook_endpoints')
      .select(['environment', 'status', 'status_reason'])
      .where('partner_id', '=', partner.id)
      .execute()
    assert.deepEqual(endpoints, [
      { environment: 'sandbox', status: 'DISABLED', status_reason: 'partner offboarded' },
    ])
    assert.deepEqual(
      (await keys(app, partner)).map((k) => k.status),
      ['REVOKED', 'REVOKED'],
    )
    const shown = await app.admin('GET', `/admin/v1/partners/${partner.id}`)
    assert.equal(shown.json().status, 'OFFBOARDED')
    const again = await app.admin('DELETE', `/admin/v1/partners/${partner.id}`)
    assert.equal(again.statusCode, 200)
    assert.deepEqual(again.json(), offboarded.json())
    for (const [method, url, body] of [
      ['PATCH', `/admin/v1/partners/${partner.id}`, { status: 'ACTIVE' }],
      ['POST', `/admin/v1/partners/${partner.id}/api-keys/rotate`, {}],
      ['POST', `/admin/v1/partners/${partner.id}/webhook-secret/rotate`, {}],
    ] as const) {
      assert.deepEqual(errorOf(await app.admin(method, url, body)), [409, 'CONFLICT'], url)
    }
    // OFFBOARDED is set only by DELETE.
    const other = await createPartner(app, { name: 'Other' })
    assert.deepEqual(
      errorOf(await app.admin('PATCH', `/admin/v1/partners/${other.id}`, { status: 'OFFBOARDED' })),
      [400, 'VALIDATION_ERROR'],
    )
    assert.deepEqual(await auditActions(partner.id), ['partner.create', 'partner.offboard'])
    const audit = await store()
      .kysely.selectFrom('audit_log')
      .select('after')
      .where('target_id', '=', partner.id)
      .where('action', '=', 'partner.offboard')
      .executeTakeFirstOrThrow()
    const after = JSON.parse(audit.after ?? '{}')
    assert.deepEqual(
      [after.status, after.api_keys_revoked, after.webhook_secrets_retired],
      ['OFFBOARDED', 2, 1],
    )
  })
})
