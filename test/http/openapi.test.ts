/**
 * Issue 15 "OpenAPI 3.1 complete": every operation has an operationId, a
 * summary, a 2xx and the SPEC §3 error body, and the credential of the guard
 * that protects it; `redocly lint` (its recommended rules) passes.
 */
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { it } from 'node:test'
import { openStore } from '../../src/store/store.ts'
import { createTestApp } from '../support/app.ts'
import { createTestDatabase } from '../support/databases.ts'

type Operation = {
  operationId?: string
  summary?: string
  responses?: Record<string, unknown>
  security?: Record<string, string[]>[]
  parameters?: { name: string; in: string }[]
}

async function openapi(): Promise<
  { paths: Record<string, Record<string, Operation>> } & Record<string, unknown>
> {
  const database = await createTestDatabase('sqlite')
  const store = await openStore(database.url)
  const app = await createTestApp(store)
  try {
    return (await app.inject({ method: 'GET', url: '/openapi.json' })).json()
  } finally {
    await app.close()
    await store.close()
    await database.drop()
  }
}

it('every operation: operationId (unique), summary, 2xx, 4xx and 5xx, and its guard’s credential', async () => {
  const spec = await openapi()
  const ids = new Set<string>()
  const security = new Map<string, string>()
  for (const [path, item] of Object.entries(spec.paths)) {
    for (const [method, op] of Object.entries(item)) {
      const where = `${method} ${path}`
      assert.ok(op.operationId, `${where}: operationId`)
      assert.ok(!ids.has(op.operationId), `${where}: operationId ${op.operationId} repeats`)
      ids.add(op.operationId)
      assert.ok(op.summary, `${where}: summary`)
      const codes = Object.keys(op.responses ?? {})
      for (const family of ['2', '4', '5'])
        assert.ok(
          codes.some((c) => c.startsWith(family)),
          `${where}: ${family}xx`,
        )
      security.set(where, JSON.stringify(op.security ?? []))
    }
  }
  assert.equal(security.get('post /v1/quote'), '[{"partnerKey":[],"partnerId":[]}]')
  assert.equal(security.get('get /admin/v1/partners'), '[{"adminToken":[]}]')
  assert.equal(security.get('post /v1/reserve/emergency-rfq'), '[{"opsToken":[]}]')
  assert.equal(security.get('get /health'), '[]')
  const execute = spec.paths['/v1/execute']?.post
  assert.deepEqual(
    execute?.parameters?.map((p) => [p.in, p.name]),
    [['header', 'idempotency-key']],
  )
})

it('redocly lint with the recommended rules passes', async (t) => {
  const dir = mkdtempSync(join(tmpdir(), 'stablefx-openapi-'))
  t.after(() => rmSync(dir, { recursive: true, force: true }))
  const file = join(dir, 'openapi.json')
  writeFileSync(file, JSON.stringify(await openapi()))
  const lint = spawnSync(
    process.execPath,
    [
      join(import.meta.dirname, '../../node_modules/@redocly/cli/bin/cli.js'),
      'lint',
      file,
      '--format=summary',
    ],
    {
      encoding: 'utf8',
      env: { ...process.env, REDOCLY_TELEMETRY: 'off', REDOCLY_SUPPRESS_UPDATE_NOTICE: 'true' },
    },
  )
  assert.equal(lint.status, 0, `${lint.stdout}\n${lint.stderr}`)
})
