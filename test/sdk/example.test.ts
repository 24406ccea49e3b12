/**
 * Issue 15, SDK: sdk/examples/quote-and-execute.ts runs as a child process
 * against a fresh server listening on 127.0.0.1 (port 0), with a partner made
 * through the admin API, and prints a settled execution of 100 USDT.
 */
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { after, before, test } from 'node:test'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { createPartner, createTestApp, setMarket, type TestApp, type TestPartner } from '../support/app.ts'
import { describeEachDialect } from '../support/databases.ts'

const EXAMPLE = fileURLToPath(new URL('../../sdk/examples/quote-and-execute.ts', import.meta.url))
const run = promisify(execFile)

describeEachDialect('SDK example quote-and-execute', ({ store }) => {
  let app: TestApp
  let partner: TestPartner
  let url: string

  before(async () => {
    app = await createTestApp(store())
    await setMarket(app)
    partner = await createPartner(app)
    await app.stablefx.app.listen({ port: 0, host: '127.0.0.1' })
    const address = app.stablefx.app.server.address()
    assert.ok(address !== null && typeof address === 'object')
    url = `http://127.0.0.1:${address.port}`
  })
  after(() => app.close())

  test('funds, quotes and executes a USD-IDR SELL of 100 USDT, printing the settled execution', async () => {
    const { stdout } = await run(process.execPath, [EXAMPLE], {
      env: {
        ...process.env,
        STABLEFX_URL: url,
        STABLEFX_PARTNER_ID: partner.id,
        STABLEFX_API_KEY: partner.sandboxKey,
      },
    })
    const execution = JSON.parse(stdout)
    assert.equal(execution.status, 'SETTLED')
    assert.equal(execution.pair, 'USD-IDR')
    assert.equal(execution.side, 'SELL')
    assert.equal(execution.source_asset, 'USDT')
    assert.equal(execution.source_amount, '100')
    assert.equal(execution.destination_asset, 'IDRX')
    // 100 × 16,246.748375 = 1,624,674.8375 IDRX, less the 11,299.74 IDRX fee, rounded down in the pools' favour.
    assert.equal(execution.filled_rate, '16246.748375')
    assert.equal(execution.platform_fee, '11299.74')
    assert.equal(execution.destination_amount, '1613375.09')
    assert.equal(execution.destination_address, '0x52908400098527886E0F7030069857D2E4169EE7')
    assert.match(execution.tx_hash, /^0x[0-9a-f]{64}$/)

    // The server holds what the example did: the faucet's 100 USDT went into the execution.
    const balances = await app.inject({ method: 'GET', url: '/v1/balances', headers: partner.headers() })
    const usdt = (balances.json().balances as { asset: string; available: string }[]).find(
      (b) => b.asset === 'USDT',
    )
    assert.equal(usdt?.available, '0')
  })

  test('says which variable is missing and exits 2', async () => {
    const failure = await run(process.execPath, [EXAMPLE], {
      env: { ...process.env, STABLEFX_URL: url, STABLEFX_PARTNER_ID: partner.id, STABLEFX_API_KEY: '' },
    }).catch((error: { code: number; stderr: string }) => error)
    assert.ok('code' in failure)
    assert.equal(failure.code, 2)
    assert.equal(failure.stderr, 'STABLEFX_API_KEY is not set\n')
  })
})
