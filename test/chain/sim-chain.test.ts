/**
 * Issue 14: `stablefx sim chain` as a developer runs it: a local node with the
 * contracts deployed, NAME=value settings on stdout, blocks without traffic,
 * and a `stablefx serve` started with those settings answering the chain's
 * deposit address for the sandbox. Skips with one line if the node cannot start.
 */
import assert from 'node:assert/strict'
import { type ChildProcess, spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, it } from 'node:test'
import { anvilBinary } from '../../src/sim/chain.ts'

const BIN = join(import.meta.dirname, '../../bin/stablefx.js')
const ADMIN = 'adm_simchain_token_0123456789abcdefghijklmnop'
const T = { timeout: 60_000 }

const NAMES = [
  'STABLEFX_CHAIN',
  'STABLEFX_EVM_ENVIRONMENT',
  'STABLEFX_EVM_RPC_URL',
  'STABLEFX_EVM_CHAIN_ID',
  'STABLEFX_EVM_TOKEN_USDT',
  'STABLEFX_EVM_TOKEN_IDRX',
  'STABLEFX_EVM_TOKEN_TNSGD',
  'STABLEFX_EVM_TOKEN_MYRC',
  'STABLEFX_EVM_KTOKEN_KUSD_FX',
  'STABLEFX_EVM_KTOKEN_KUSD_FULL',
  'STABLEFX_EVM_KTOKEN_KIDR_FX',
  'STABLEFX_EVM_KTOKEN_KIDR_FULL',
  'STABLEFX_EVM_KTOKEN_KSGD_FX',
  'STABLEFX_EVM_KTOKEN_KSGD_FULL',
  'STABLEFX_EVM_KTOKEN_KMYR_FX',
  'STABLEFX_EVM_KTOKEN_KMYR_FULL',
  'STABLEFX_EVM_HOT_WALLET_KEY',
  'STABLEFX_EVM_CONFIRMATIONS',
  'TEST_WALLET_1_ADDRESS',
  'TEST_WALLET_1_KEY',
  'TEST_WALLET_2_ADDRESS',
  'TEST_WALLET_2_KEY',
  'TEST_WALLET_3_ADDRESS',
  'TEST_WALLET_3_KEY',
]

const dir = mkdtempSync(join(tmpdir(), 'stablefx-simchain-'))
const children: ChildProcess[] = []
after(() => {
  for (const child of children) if (child.exitCode === null) child.kill('SIGKILL')
  rmSync(dir, { recursive: true, force: true })
})

/** Spawns the command and resolves once `ready` matches its stdout. */
function start(args: string[], env: NodeJS.ProcessEnv, ready: RegExp) {
  const child = spawn(process.execPath, [BIN, ...args], { env, stdio: ['ignore', 'pipe', 'pipe'] })
  children.push(child)
  let out = ''
  let err = ''
  const started = new Promise<string>((resolve, reject) => {
    child.stdout?.on('data', (chunk) => {
      out += chunk
      if (ready.test(out)) resolve(out)
    })
    child.stderr?.on('data', (chunk) => {
      err += chunk
    })
    child.once('exit', (code) => reject(new Error(`exited ${code}: ${out}${err}`)))
  })
  const exited = new Promise<number | null>((resolve) => child.once('exit', resolve))
  return { child, started, exited, output: () => out + err }
}

async function rpc(url: string, method: string, params: unknown[] = []): Promise<unknown> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify({ jsonrpc: '2.0', id: 1, method, params }),
  })
  return ((await response.json()) as { result: unknown }).result
}

it(
  'starts a chain, prints its settings, mines without traffic, and serves the sandbox against it',
  T,
  async (t) => {
    const chain = start(
      ['sim', 'chain', '--port', '0', '--block-time', '0.2', '--confirmations', '1'],
      { ...process.env, STABLEFX_CHAIN: '' },
      /TEST_WALLET_3_KEY=.*\n/,
    )
    let printed: string
    try {
      printed = await chain.started
    } catch (error) {
      console.log(
        `# local EVM node could not start (${anvilBinary()}: ${(error as Error).message.split('\n')[0]}); skipped`,
      )
      t.skip()
      return
    }
    const settings = Object.fromEntries(
      printed
        .trim()
        .split('\n')
        .map((line) => line.split('=', 2) as [string, string]),
    )
    assert.deepEqual(Object.keys(settings), NAMES)
    assert.equal(settings.STABLEFX_CHAIN, 'evm')
    assert.equal(settings.STABLEFX_EVM_ENVIRONMENT, 'sandbox')
    assert.equal(settings.STABLEFX_EVM_CHAIN_ID, '31337')
    assert.equal(settings.STABLEFX_EVM_CONFIRMATIONS, '1')
    assert.match(settings.STABLEFX_EVM_RPC_URL as string, /^http:\/\/127\.0\.0\.1:\d+$/)
    const url = settings.STABLEFX_EVM_RPC_URL as string
    assert.equal(await rpc(url, 'eth_chainId'), '0x7a69')
    // Every stablecoin and native gas in test wallet 1.
    const holder = (settings.TEST_WALLET_1_ADDRESS as string).slice(2).toLowerCase().padStart(64, '0')
    for (const name of ['USDT', 'IDRX', 'TNSGD', 'MYRC']) {
      const balance = await rpc(url, 'eth_call', [
        { to: settings[`STABLEFX_EVM_TOKEN_${name}`], data: `0x70a08231${holder}` },
        'latest',
      ])
      assert.ok(BigInt(balance as string) > 0n, `${name} balance`)
    }
    assert.ok(
      BigInt((await rpc(url, 'eth_getBalance', [settings.TEST_WALLET_1_ADDRESS, 'latest'])) as string) > 0n,
    )
    // Blocks come without traffic.
    const first = BigInt((await rpc(url, 'eth_blockNumber')) as string)
    while (BigInt((await rpc(url, 'eth_blockNumber')) as string) <= first)
      await new Promise((r) => setTimeout(r, 50))

    const serve = start(
      ['serve'],
      {
        ...process.env,
        ...settings,
        PORT: '0',
        DATABASE_URL: `file:${join(dir, 'serve.db')}`,
        STABLEFX_DATA_DIR: dir,
        STABLEFX_ADMIN_TOKEN: ADMIN,
        STABLEFX_ORACLE: 'manual',
        LOG_LEVEL: 'warn',
      },
      /API docs/,
    )
    const base = /stablefx listening on (http:\/\/[^ ]+)/.exec(await serve.started)?.[1] as string
    const created = await fetch(`${base}/admin/v1/partners`, {
      method: 'POST',
      headers: { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' },
      body: JSON.stringify({ name: 'Chain Ramp', type: 'ON_OFF_RAMP', corridors: ['USD-IDR'] }),
    })
    assert.equal(created.status, 201)
    const partner = (await created.json()) as { partner_id: string; sandbox_api_key: string }
    const address = await fetch(`${base}/v1/deposit-address?asset=USDT`, {
      headers: { authorization: `Bearer ${partner.sandbox_api_key}`, 'x-partner-id': partner.partner_id },
    })
    assert.equal(address.status, 200)
    assert.deepEqual(await address.json(), {
      asset: 'USDT',
      address: '0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266',
      network: 'local',
      chain_id: 31337,
      confirmations: 1,
    })
    // The running server's workers credit an on-chain deposit from a whitelisted, cooled wallet.
    const admin = { authorization: `Bearer ${ADMIN}`, 'content-type': 'application/json' }
    const whitelisted = await fetch(`${base}/admin/v1/partners/${partner.partner_id}/wallets`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({ address: settings.TEST_WALLET_1_ADDRESS, label: 'treasury' }),
    })
    assert.equal(whitelisted.status, 201)
    const advanced = await fetch(`${base}/admin/v1/sandbox/clock/advance`, {
      method: 'POST',
      headers: admin,
      body: JSON.stringify({ seconds: 86_400 }),
    })
    assert.equal(advanced.status, 200)
    const word = (hex: string) => hex.replace(/^0x/, '').toLowerCase().padStart(64, '0')
    await rpc(url, 'eth_sendTransaction', [
      {
        from: settings.TEST_WALLET_1_ADDRESS,
        to: settings.STABLEFX_EVM_TOKEN_USDT,
        data: `0xa9059cbb${word('0xf39Fd6e51aad88F6F4ce6aB8827279cffFb92266')}${word('0xee6b280')}`,
      },
    ])
    const usdt = async () => {
      const response = await fetch(`${base}/v1/balances`, {
        headers: { authorization: `Bearer ${partner.sandbox_api_key}`, 'x-partner-id': partner.partner_id },
      })
      const body = (await response.json()) as { balances: { asset: string; available: string }[] }
      return body.balances.find((b) => b.asset === 'USDT')?.available
    }
    while ((await usdt()) !== '250') await new Promise((r) => setTimeout(r, 100))
    // The hot wallet key is in no log line.
    assert.ok(!serve.output().includes((settings.STABLEFX_EVM_HOT_WALLET_KEY as string).slice(2)))
    serve.child.kill('SIGTERM')
    assert.equal(await serve.exited, 0)
    chain.child.kill('SIGTERM')
    assert.equal(await chain.exited, 0)
    await assert.rejects(rpc(url, 'eth_blockNumber'))
  },
)
