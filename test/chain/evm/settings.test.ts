/** Issue 14: STABLEFX_CHAIN=evm settings, Kaia presets, and a hot wallet key that never prints. */
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { it } from 'node:test'
import { inspect } from 'node:util'
import { loadEvmSettings } from '../../../src/chain/evm/settings.ts'
import { ConfigError, loadSettings } from '../../../src/config/settings.ts'

const KEY = '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d'
const token = (n: number) => `0x${n.toString(16).padStart(40, '0')}`
const BASE = {
  STABLEFX_CHAIN: 'evm',
  STABLEFX_EVM_RPC_URL: 'https://public-en.node.kaia.io',
  STABLEFX_EVM_CHAIN_ID: '8217',
  STABLEFX_EVM_TOKEN_USDT: token(1),
  STABLEFX_EVM_TOKEN_IDRX: token(2),
  STABLEFX_EVM_TOKEN_TNSGD: token(3),
  STABLEFX_EVM_TOKEN_MYRC: token(4),
  STABLEFX_EVM_HOT_WALLET_KEY: KEY,
}

it('is off unless STABLEFX_CHAIN=evm', () => {
  assert.equal(loadEvmSettings({}), undefined)
  assert.equal(loadEvmSettings({ STABLEFX_CHAIN: 'sim' }), undefined)
  assert.equal(loadSettings({}).evm, undefined)
})

it('applies the Kaia presets: mainnet 8217 and Kairos 1001, one confirmation, live by default', () => {
  const mainnet = loadEvmSettings(BASE)
  assert.equal(mainnet?.network, 'kaia')
  assert.equal(mainnet?.confirmations, 1)
  assert.equal(mainnet?.environment, 'live')
  assert.equal(mainnet?.maxFeeWei, 750_000_000_000n)
  const kairos = loadEvmSettings({ ...BASE, STABLEFX_EVM_CHAIN_ID: '1001' })
  assert.equal(kairos?.network, 'kaia-kairos')
  const other = loadEvmSettings({ ...BASE, STABLEFX_EVM_CHAIN_ID: '137', STABLEFX_EVM_CONFIRMATIONS: '64' })
  assert.equal(other?.network, 'evm-137')
  assert.equal(other?.confirmations, 64)
  assert.equal(other?.kTokens['USDT:fx'], undefined)
})

it('never shows the hot wallet key: JSON, inspect and string forms are redacted', () => {
  const settings = loadEvmSettings(BASE)
  assert.ok(settings)
  assert.equal(settings.hotWalletKey.reveal(), KEY)
  const json = JSON.stringify(settings, (_k, v) => (typeof v === 'bigint' ? v.toString() : v))
  for (const shown of [json, inspect(settings, { depth: 5 }), `${settings.hotWalletKey}`]) {
    assert.ok(!shown.includes(KEY.slice(2, 20)), shown)
  }
})

it('reads the key from a file, and refuses a bad one without repeating it', () => {
  const dir = mkdtempSync(join(tmpdir(), 'stablefx-key-'))
  try {
    const file = join(dir, 'hot.key')
    writeFileSync(file, `${KEY.slice(2)}\n`)
    const { STABLEFX_EVM_HOT_WALLET_KEY: _, ...rest } = BASE
    assert.equal(
      loadEvmSettings({ ...rest, STABLEFX_EVM_HOT_WALLET_KEY_FILE: file })?.hotWalletKey.reveal(),
      KEY,
    )
    assert.throws(
      () => loadSettings({ ...BASE, STABLEFX_EVM_HOT_WALLET_KEY: 'not-a-key-secretvalue' }),
      (error: unknown) =>
        error instanceof ConfigError &&
        error.variable === 'STABLEFX_EVM_HOT_WALLET_KEY' &&
        !error.message.includes('secretvalue'),
    )
  } finally {
    rmSync(dir, { recursive: true, force: true })
  }
})

it('names the variable that is missing or wrong', () => {
  const { STABLEFX_EVM_TOKEN_MYRC: _, ...noMyrc } = BASE
  assert.throws(() => loadSettings(noMyrc), /STABLEFX_EVM_TOKEN_MYRC is required/)
  assert.throws(
    () => loadSettings({ ...BASE, STABLEFX_EVM_CHAIN_ID: 'kaia' }),
    /STABLEFX_EVM_CHAIN_ID must be a whole number/,
  )
  assert.throws(
    () => loadSettings({ ...BASE, STABLEFX_CHAIN: 'solana' }),
    /STABLEFX_CHAIN must be one of sim, evm/,
  )
  assert.throws(
    () => loadSettings({ ...BASE, STABLEFX_EVM_KTOKEN_KUSD_FX: '0xnothex' }),
    /STABLEFX_EVM_KTOKEN_KUSD_FX must be 0x followed by 40 hex digits/,
  )
  assert.throws(
    () => loadSettings({ ...BASE, STABLEFX_EVM_ENVIRONMENT: 'staging' }),
    /STABLEFX_EVM_ENVIRONMENT/,
  )
})
