import assert from 'node:assert/strict'
import { type ChildProcess, execFile, spawn } from 'node:child_process'
import { mkdtempSync, rmSync, statSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { promisify } from 'node:util'
import Database from 'better-sqlite3'

const run = promisify(execFile)
const BIN = join(import.meta.dirname, '../../bin/stablefx.js')

/** Runs the real command, as an operator would, on a temporary data directory. */
describe('the stablefx command', () => {
  let dir: string
  let env: NodeJS.ProcessEnv
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'stablefx-cli-'))
    env = {
      ...process.env,
      DATABASE_URL: `file:${join(dir, 'cli.db')}`,
      STABLEFX_DATA_DIR: dir,
      LOG_LEVEL: 'warn',
    }
  })
  after(() => rmSync(dir, { recursive: true, force: true }))

  const stablefx = (args: string[], extra: NodeJS.ProcessEnv = {}) =>
    run(process.execPath, [BIN, ...args], { env: { ...env, ...extra } }).then(
      (out) => ({ code: 0, ...out }),
      (error: { code: number; stdout: string; stderr: string }) => error,
    )

  it('stops on a bad configuration value with one line naming the variable', async () => {
    const result = await stablefx(['migrate'], { PORT: 'eighty' })
    assert.equal(result.code, 1)
    assert.equal(
      result.stderr,
      'stablefx: invalid configuration: PORT must be an integer from 0 to 65535 (got "eighty")\n',
    )
  })

  it('migrates, provisions a partner and verifies the ledger', async () => {
    const migrated = await stablefx(['migrate'])
    assert.equal(migrated.code, 0)
    assert.equal(
      migrated.stdout,
      'migrations applied (0001_initial, 0002_trading, 0003_risk, 0004_liquidity, 0005_cluster, 0006_ownership, 0007_rebalancing, 0008_event_order, 0009_credentials, 0010_webhooks, 0011_events, 0012_ramp_up, 0013_issuers, 0014_phase2, 0015_earn, 0016_evm, 0017_payments, 0018_operator_events)\n',
    )
    const created = await stablefx([
      'partners',
      'create',
      '--name',
      'CLI Ramp',
      '--type',
      'ON_OFF_RAMP',
      '--corridors',
      'USD-IDR',
    ])
    assert.equal(created.code, 0)
    const partner = JSON.parse(created.stdout)
    assert.match(partner.api_key, /^sk_live_/)
    assert.deepEqual(partner.corridors, ['USD-IDR'])
    const verified = await stablefx(['ledger', 'verify'])
    assert.equal(verified.code, 0)
    assert.match(verified.stdout, /^ledger OK: \d+ accounts, \d+ entries, \d+ postings, 0 violation\(s\)\n$/)
  })

  it('refuses an unknown corridor when provisioning', async () => {
    const result = await stablefx([
      'partners',
      'create',
      '--name',
      'X',
      '--type',
      'LP',
      '--corridors',
      'USD-EUR',
    ])
    assert.equal(result.code, 1)
    assert.match(result.stderr, /VALIDATION_ERROR: unknown corridor USD-EUR/)
  })

  it('ledger verify exits 1 and names the violation when a balance was tampered with', async () => {
    // Serve once so the pools exist, then corrupt a balance behind the ledger's back.
    const server = await startServer(env)
    await stop(server)
    const db = new Database(join(dir, 'cli.db'))
    db.prepare(
      "update ledger_accounts set balance = '1' where id = 'sandbox:USDT:protocol:pool.ACTIVE'",
    ).run()
    db.close()
    const result = await stablefx(['ledger', 'verify'])
    assert.equal(result.code, 1)
    assert.match(result.stdout, /^ledger VIOLATED: /)
    assert.match(
      result.stdout,
      /balance_matches_postings: sandbox:USDT:protocol:pool.ACTIVE: stored 1, postings sum to 1000000000000/,
    )
  })

  it('serve prints where the admin token is, answers /health, and exits 0 on SIGTERM', async () => {
    const fresh = mkdtempSync(join(tmpdir(), 'stablefx-serve-'))
    try {
      const serveEnv = { ...env, DATABASE_URL: `file:${join(fresh, 'db.sqlite')}`, STABLEFX_DATA_DIR: fresh }
      const server = await startServer(serveEnv)
      assert.match(server.output, /admin token \(generated, shown once\): adm_[A-Za-z0-9_-]{43}/)
      assert.match(server.output, new RegExp(`admin token file: ${fresh}/admin-token`))
      assert.equal(statSync(join(fresh, 'admin-token')).mode & 0o777, 0o600)
      // Issue 15: what it runs with, and the sandbox genesis pools (Active 100%, Reserve 90% of target).
      assert.match(server.output, /oracle: manual \(POST \/admin\/v1\/oracle\/prices\); rebalancer: on/)
      assert.match(
        server.output,
        /sandbox \(simulated chain\) pools Active\/Reserve\/Yield: USDT 1000000\/4500000\/0, IDRX 8125000000\/29250000000\/0/,
      )
      const health = await fetch(`${server.url}/health`)
      assert.deepEqual(await health.json(), { status: 'ok' })
      assert.equal(await stop(server), 0)
      // A second start reuses the saved token and does not print it.
      const again = await startServer(serveEnv)
      assert.doesNotMatch(again.output, /shown once/)
      assert.equal(await stop(again), 0)
    } finally {
      rmSync(fresh, { recursive: true, force: true })
    }
  })
})

type Server = { child: ChildProcess; url: string; output: string }

function startServer(env: NodeJS.ProcessEnv): Promise<Server> {
  const child = spawn(process.execPath, [BIN, 'serve'], {
    env: { ...env, PORT: '0', STABLEFX_ORACLE: 'manual' },
  })
  let output = ''
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`server did not start: ${output}`)), 15_000)
    child.stdout?.on('data', (chunk) => {
      output += chunk
      const match = /stablefx listening on (http:\/\/[^ ]+)/.exec(output)
      if (match && output.includes('API docs')) {
        clearTimeout(timer)
        resolve({ child, url: match[1] as string, output })
      }
    })
    child.stderr?.on('data', (chunk) => {
      output += chunk
    })
    child.on('exit', (code) => reject(new Error(`server exited ${code}: ${output}`)))
  })
}

function stop(server: Server): Promise<number | null> {
  return new Promise((resolve) => {
    server.child.on('exit', (code) => resolve(code))
    server.child.kill('SIGTERM')
  })
}
