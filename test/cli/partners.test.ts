/**
 * `stablefx partners list | show | suspend | rotate-key | revoke-key`, run as
 * an operator would on a temporary data directory (SQLite). The webhook
 * secret printed by `partners create` is sealed with the key the command
 * kept in the data directory.
 */
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { promisify } from 'node:util'
import Database from 'better-sqlite3'
import { createSecretBox, parseSecretsKey } from '../../src/partners/secret-box.ts'

const run = promisify(execFile)
const BIN = join(import.meta.dirname, '../../bin/stablefx.js')

describe('stablefx partners (credentials)', () => {
  let dir: string
  let env: NodeJS.ProcessEnv
  let partner: { partner_id: string; api_key: string; webhook_secret: string }
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'stablefx-cli-partners-'))
    env = {
      ...process.env,
      DATABASE_URL: `file:${join(dir, 'cli.db')}`,
      STABLEFX_DATA_DIR: dir,
      LOG_LEVEL: 'warn',
    }
    delete env.STABLEFX_SECRETS_KEY
    const created = await stablefx(['partners', 'create', '--name', 'CLI Ramp', '--type', 'ON_OFF_RAMP'])
    assert.equal(created.code, 0, created.stderr)
    partner = JSON.parse(created.stdout)
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  const stablefx = (args: string[]) =>
    run(process.execPath, [BIN, ...args], { env }).then(
      (out) => ({ code: 0, ...out }),
      (error: { code: number; stdout: string; stderr: string }) => error,
    )

  const db = () => new Database(join(dir, 'cli.db'), { readonly: true })

  it('keeps the secrets key in the data directory and seals the webhook secret with it', () => {
    const path = join(dir, 'secrets-key')
    assert.equal(statSync(path).mode & 0o777, 0o600)
    const key = parseSecretsKey(readFileSync(path, 'utf8'))
    assert.ok(key)
    const database = db()
    try {
      const row = database
        .prepare('select secret, secret_sealed from webhook_secrets where partner_id = ?')
        .get(partner.partner_id) as { secret: string; secret_sealed: string }
      assert.equal(row.secret, '')
      assert.equal(createSecretBox(key).open(row.secret_sealed, partner.partner_id), partner.webhook_secret)
    } finally {
      database.close()
    }
  })

  it('lists and shows partners, keys by prefix only', async () => {
    const listed = await stablefx(['partners', 'list'])
    assert.equal(listed.code, 0)
    assert.deepEqual(
      (JSON.parse(listed.stdout) as { partner_id: string; status: string }[]).map((p) => [
        p.partner_id,
        p.status,
      ]),
      [[partner.partner_id, 'ACTIVE']],
    )
    const shown = await stablefx(['partners', 'show', partner.partner_id])
    assert.equal(shown.code, 0)
    const body = JSON.parse(shown.stdout) as {
      name: string
      api_keys: { prefix: string; environment: string }[]
    }
    assert.equal(body.name, 'CLI Ramp')
    assert.deepEqual(
      body.api_keys.map((k) => [k.environment, k.prefix]),
      [
        ['live', partner.api_key.slice(0, 12)],
        ['sandbox', body.api_keys[1]?.prefix],
      ],
    )
    assert.ok(!shown.stdout.includes(partner.api_key.slice(12)))
  })

  it('rotates the live key with an overlap and revokes the old one; audited as cli', async () => {
    const rotated = await stablefx(['partners', 'rotate-key', partner.partner_id, '--overlap-hours', '2'])
    assert.equal(rotated.code, 0, rotated.stderr)
    const body = JSON.parse(rotated.stdout) as {
      key_id: string
      api_key: string
      previous_key_expires_at: string
    }
    assert.match(body.api_key, /^sk_live_[A-Za-z0-9_-]{43}$/)
    const shown = JSON.parse((await stablefx(['partners', 'show', partner.partner_id])).stdout) as {
      api_keys: { key_id: string; prefix: string; status: string; expires_at: string }[]
    }
    const old = shown.api_keys.find((k) => k.prefix === partner.api_key.slice(0, 12))
    assert.equal(old?.status, 'RETIRING')
    assert.equal(old?.expires_at, body.previous_key_expires_at)
    const revoked = await stablefx(['partners', 'revoke-key', partner.partner_id, old?.key_id as string])
    assert.equal(revoked.code, 0, revoked.stderr)
    assert.equal(JSON.parse(revoked.stdout).status, 'REVOKED')
    const database = db()
    try {
      const actions = database
        .prepare('select actor, action from audit_log where target_id = ? order by id')
        .all(partner.partner_id)
      assert.deepEqual(actions, [
        { actor: 'cli', action: 'partner.create' },
        { actor: 'cli', action: 'partner.api_key.rotate' },
        { actor: 'cli', action: 'partner.api_key.revoke' },
      ])
    } finally {
      database.close()
    }
  })

  it('suspends a partner', async () => {
    const suspended = await stablefx(['partners', 'suspend', partner.partner_id])
    assert.equal(suspended.code, 0, suspended.stderr)
    assert.equal(JSON.parse(suspended.stdout).status, 'SUSPENDED')
  })

  it('refuses a bad overlap, an unknown partner or key, and missing arguments with exit 1', async () => {
    const cases: [string[], string][] = [
      [
        ['partners', 'rotate-key', partner.partner_id, '--overlap-hours', '721'],
        'stablefx: --overlap-hours must be a whole number from 0 to 720\n',
      ],
      [
        ['partners', 'rotate-key', partner.partner_id, '--overlap-hours=-1'],
        'stablefx: --overlap-hours must be a whole number from 0 to 720\n',
      ],
      [
        ['partners', 'show', '00000000-0000-4000-8000-000000000000'],
        'stablefx: NOT_FOUND: no such partner\n',
      ],
      [
        ['partners', 'revoke-key', partner.partner_id, '00000000-0000-4000-8000-000000000000'],
        'stablefx: NOT_FOUND: no such key for this partner\n',
      ],
      [
        ['partners', 'revoke-key', partner.partner_id],
        'stablefx: usage: stablefx partners revoke-key <id> <key_id>\n',
      ],
    ]
    for (const [args, stderr] of cases) {
      const result = await stablefx(args)
      assert.deepEqual([result.code, result.stderr], [1, stderr], args.join(' '))
    }
  })
})
