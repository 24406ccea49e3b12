/**
 * Webhook secrets at rest (SPEC §9): AES-256-GCM sealing, the secrets key
 * setting and file, and rows written in plaintext before 0009_credentials.
 */
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import fc from 'fast-check'
import { createStablefx } from '../../src/app.ts'
import { resolveSecretsKey } from '../../src/cli/tokens.ts'
import { createManualClock } from '../../src/clock/clock.ts'
import { ConfigError, loadSettings } from '../../src/config/settings.ts'
import { warningDue } from '../../src/partners/credential-policy.ts'
import { createSecretBox, parseSecretsKey, registerSecretBox } from '../../src/partners/secret-box.ts'
import { sealPlaintextWebhookSecrets, signingSecrets } from '../../src/partners/webhook-secrets.ts'
import { ADMIN_TOKEN, createPartner, createTestApp, OPS_TOKEN, T0, type TestApp } from '../support/app.ts'
import { describeEachDialect } from '../support/databases.ts'

const KEY_HEX = '00112233445566778899aabbccddeeff00112233445566778899aabbccddeeff'
const KEY = Buffer.from(KEY_HEX, 'hex')
const DAY_MS = 86_400_000

describe('the secret box', () => {
  it('opens what it sealed, only with the same context', () => {
    const box = createSecretBox(KEY)
    fc.assert(
      fc.property(fc.string({ maxLength: 200 }), fc.uuid(), (secret, context) => {
        const sealed = box.seal(secret, context)
        assert.equal(box.open(sealed, context), secret)
        assert.throws(() => box.open(sealed, `${context}x`))
      }),
    )
  })

  it('seals the same secret differently each time and never contains it', () => {
    const box = createSecretBox(KEY)
    const secret = 'whsec_c2VjcmV0LXNlY3JldC1zZWNyZXQtc2VjcmV0LXNlY3I='
    const [a, b] = [box.seal(secret, 'p'), box.seal(secret, 'p')]
    assert.notEqual(a, b)
    assert.ok(!a.includes(secret.slice(6)))
    assert.equal(a.split('.')[1], box.keyId)
  })

  it('a tampered value does not open; another key names itself', () => {
    const box = createSecretBox(KEY)
    const sealed = box.seal('whsec_x', 'p')
    const parts = sealed.split('.')
    // The first character of the ciphertext carries six whole bits (the last may be padding bits).
    const ciphertext = parts[4] as string
    parts[4] = `${ciphertext.startsWith('A') ? 'B' : 'A'}${ciphertext.slice(1)}`
    assert.throws(() => box.open(parts.join('.'), 'p'))
    const other = createSecretBox(Buffer.alloc(32, 7))
    assert.throws(() => other.open(sealed, 'p'), /set the same STABLEFX_SECRETS_KEY on every node/)
  })

  it('reads a key as 64 hex digits or base64, nothing else', () => {
    assert.deepEqual(parseSecretsKey(KEY_HEX), KEY)
    assert.deepEqual(parseSecretsKey(KEY.toString('base64')), KEY)
    assert.deepEqual(parseSecretsKey(KEY.toString('base64url')), KEY)
    for (const bad of ['', 'short', KEY_HEX.slice(2), Buffer.alloc(16).toString('base64'), `${KEY_HEX}00`]) {
      assert.equal(parseSecretsKey(bad), undefined, bad)
    }
  })

  it('STABLEFX_SECRETS_KEY: a bad value stops the start without repeating it', () => {
    assert.deepEqual(loadSettings({ STABLEFX_SECRETS_KEY: KEY_HEX }).secretsKey, KEY)
    assert.equal(loadSettings({}).secretsKey, undefined)
    assert.throws(
      () => loadSettings({ STABLEFX_SECRETS_KEY: 'not-a-key-value' }),
      (error: Error) =>
        error instanceof ConfigError &&
        error.message === 'STABLEFX_SECRETS_KEY must be 32 bytes as 64 hex digits or base64',
    )
  })

  it('warns at the nearest threshold not yet warned', () => {
    const key = (warnedDays: number | null) => ({
      status: 'ACTIVE',
      expiresAtMs: T0 + 90 * DAY_MS,
      replacedAtMs: null,
      warnedDays,
    })
    const at = (days: number) => T0 + 90 * DAY_MS - days * DAY_MS
    assert.equal(warningDue(key(null), at(14) - 1), undefined)
    assert.equal(warningDue(key(null), at(14)), 14)
    assert.equal(warningDue(key(14), at(14)), undefined)
    assert.equal(warningDue(key(14), at(3)), 3)
    assert.equal(warningDue(key(null), at(3)), 3)
    assert.equal(warningDue(key(3), at(1)), undefined)
    assert.equal(warningDue(key(null), at(0)), undefined)
    assert.equal(warningDue({ ...key(null), replacedAtMs: T0 }, at(3)), undefined)
    assert.equal(warningDue({ ...key(null), status: 'REVOKED' }, at(3)), undefined)
  })
})

describe('the secrets key file', () => {
  let dir: string
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'stablefx-key-'))
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  it('is generated once, owner-only, and reused; the environment wins', () => {
    const first = resolveSecretsKey(undefined, dir)
    assert.equal(first.source, 'generated')
    assert.equal(first.path, join(dir, 'secrets-key'))
    assert.equal(statSync(join(dir, 'secrets-key')).mode & 0o777, 0o600)
    const second = resolveSecretsKey(undefined, dir)
    assert.equal(second.source, 'file')
    assert.deepEqual(second.key, first.key)
    assert.deepEqual(resolveSecretsKey(KEY, dir), { key: KEY, source: 'environment' })
    assert.equal(readFileSync(join(dir, 'secrets-key'), 'utf8'), `${first.key.toString('base64')}\n`)
  })

  it('a damaged file stops the start instead of being replaced', () => {
    const other = mkdtempSync(join(tmpdir(), 'stablefx-key-'))
    try {
      writeFileSync(join(other, 'secrets-key'), 'garbage\n')
      assert.throws(() => resolveSecretsKey(undefined, other), /does not hold a 32-byte key/)
      assert.equal(readFileSync(join(other, 'secrets-key'), 'utf8'), 'garbage\n')
    } finally {
      rmSync(other, { recursive: true, force: true })
    }
  })
})

describeEachDialect('webhook secrets from before 0009_credentials', ({ store }) => {
  let app: TestApp
  before(async () => {
    app = await createTestApp(store())
  })
  after(() => app.close())

  it('a plaintext row signs as it is, and is sealed at the next start', async () => {
    const partner = await createPartner(app)
    const legacy = 'whsec_bGVnYWN5LWxlZ2FjeS1sZWdhY3ktbGVnYWN5LWxlZ2E='
    // As 0001_initial wrote it: the secret in clear, nothing sealed (the migration has no key).
    await store()
      .kysely.updateTable('webhook_secrets')
      .set({ secret: legacy, secret_sealed: null })
      .where('partner_id', '=', partner.id)
      .execute()
    assert.deepEqual(await signingSecrets(store(), partner.id, T0), [legacy])
    // Every node seals such rows when it starts (createStablefx); here with an explicit key.
    const box = registerSecretBox(createSecretBox(KEY))
    assert.equal(await sealPlaintextWebhookSecrets(store(), box), 1)
    assert.equal(await sealPlaintextWebhookSecrets(store(), box), 0)
    const row = await store()
      .kysely.selectFrom('webhook_secrets')
      .selectAll()
      .where('partner_id', '=', partner.id)
      .executeTakeFirstOrThrow()
    assert.equal(row.secret, '')
    assert.ok(!(row.secret_sealed ?? '').includes(legacy.slice(6)))
    assert.equal(row.secret_sealed?.split('.')[1], box.keyId)
    assert.deepEqual(await signingSecrets(store(), partner.id, T0), [legacy])
  })

  it('a node started with an explicit secrets key seals with it', async () => {
    const explicit = Buffer.alloc(32, 9)
    const stablefx = await createStablefx({
      store: store(),
      adminToken: ADMIN_TOKEN,
      opsToken: OPS_TOKEN,
      liveClock: createManualClock(T0),
      logLevel: 'silent',
      rateLimit: false,
      processMetrics: false,
      oracleMode: 'manual',
      secretsKey: explicit,
    })
    try {
      const created = await stablefx.app.inject({
        method: 'POST',
        url: '/admin/v1/partners',
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
        payload: { name: 'Keyed', type: 'LP' },
      })
      assert.equal(created.statusCode, 201)
      const { partner_id, webhook_secret } = created.json() as { partner_id: string; webhook_secret: string }
      const row = await store()
        .kysely.selectFrom('webhook_secrets')
        .select('secret_sealed')
        .where('partner_id', '=', partner_id)
        .executeTakeFirstOrThrow()
      assert.equal(row.secret_sealed?.split('.')[1], createSecretBox(explicit).keyId)
      assert.equal(createSecretBox(explicit).open(row.secret_sealed ?? '', partner_id), webhook_secret)
      assert.deepEqual(await signingSecrets(store(), partner_id, T0), [webhook_secret])
    } finally {
      await stablefx.close()
    }
  })
})
