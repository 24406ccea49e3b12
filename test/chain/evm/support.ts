import { createWalletClient, type Hex, http, parseAbi, type WalletClient } from 'viem'
import { generatePrivateKey, privateKeyToAccount } from 'viem/accounts'
import { createStablefx } from '../../../src/app.ts'
import { type EvmSettings, loadEvmSettings } from '../../../src/chain/evm/settings.ts'
import { createManualClock } from '../../../src/clock/clock.ts'
import type { AssetCode } from '../../../src/config/assets.ts'
import { type LocalChain, type LocalChainOptions, startLocalChain } from '../../../src/sim/chain.ts'
import type { Store } from '../../../src/store/store.ts'
import { ADMIN_TOKEN, OPS_TOKEN, T0, type TestApp, testAppOf } from '../../support/app.ts'

/**
 * The EVM suites run against a local node started by the same helper as
 * `stablefx sim chain` (src/sim/chain.ts). Mining is driven by the tests:
 * every transaction is mined at once into its own block, and no block comes
 * otherwise, so "one confirmation short" is a state a test can hold; `mining`
 * adds a block every 50 ms while a call that waits for confirmations runs.
 * When the node cannot start, the suites skip with one printed line.
 */
export async function startChain(options: LocalChainOptions = {}): Promise<LocalChain | string> {
  try {
    const chain = await startLocalChain({ confirmations: 2, ...options })
    await chain.rpc('evm_setIntervalMining', [0])
    await chain.rpc('evm_setAutomine', [true])
    return chain
  } catch (error) {
    return `local EVM node could not start (${(error as Error).message.split('\n')[0]}); EVM suites skipped`
  }
}

/** The printed settings, with quick polling for tests. */
export function settingsOf(chain: LocalChain, overrides: Record<string, string> = {}): EvmSettings {
  const settings = loadEvmSettings({
    ...chain.env,
    STABLEFX_EVM_POLL_MS: '25',
    STABLEFX_EVM_SEND_WAIT_MS: '20000',
    ...overrides,
  })
  if (settings === undefined) throw new Error('the local chain printed no EVM settings')
  return settings
}

/** Mines a block every 50 ms while `fn` runs. */
export async function mining<T>(chain: LocalChain, fn: () => Promise<T>): Promise<T> {
  let on = true
  const loop = (async () => {
    while (on) {
      await chain.rpc('anvil_mine', ['0x1'])
      await new Promise((resolve) => setTimeout(resolve, 50))
    }
  })()
  try {
    return await fn()
  } finally {
    on = false
    await loop
  }
}

export const mine = (chain: LocalChain, blocks: number) =>
  chain.rpc('anvil_mine', [`0x${blocks.toString(16)}`])

const TOKEN = parseAbi([
  'function transfer(address to, uint256 amount) returns (bool)',
  'function balanceOf(address account) view returns (uint256)',
  'function setRefusing(bool on)',
  'function mint(address to, uint256 amount)',
])

/** A fresh wallet with native gas and `amount` of one stablecoin, so suites sharing the node never share a holder. */
export async function newWallet(
  chain: LocalChain,
  asset: AssetCode,
  amount: bigint,
): Promise<WalletClient & { account: { address: Hex } }> {
  const account = privateKeyToAccount(generatePrivateKey())
  await chain.rpc('anvil_setBalance', [account.address, '0xde0b6b3a7640000'])
  const hot = chain.wallet(0)
  const hash = await hot.writeContract({
    address: chain.tokens[asset],
    abi: TOKEN,
    functionName: 'mint',
    args: [account.address, amount],
    account: hot.account ?? null,
    chain: hot.chain,
  })
  await chain.publicClient.waitForTransactionReceipt({ hash, pollingInterval: 10 })
  return createWalletClient({ account, chain: hot.chain, transport: http(chain.rpcUrl) }) as WalletClient & {
    account: { address: Hex }
  }
}

/** A test wallet (1–3) or the hot wallet (0) sends a stablecoin; resolves to the mined hash. */
export async function sendToken(
  chain: LocalChain,
  from: number | WalletClient,
  asset: AssetCode,
  to: Hex,
  amount: bigint,
): Promise<Hex> {
  const wallet = typeof from === 'number' ? chain.wallet(from) : from
  const hash = await wallet.writeContract({
    address: chain.tokens[asset],
    abi: TOKEN,
    functionName: 'transfer',
    args: [to, amount],
    account: wallet.account ?? null,
    chain: wallet.chain,
  })
  const receipt = await chain.publicClient.waitForTransactionReceipt({ hash, pollingInterval: 10 })
  if (receipt.status !== 'success') throw new Error(`transfer ${hash} reverted`)
  return hash
}

export function tokenBalance(chain: LocalChain, asset: AssetCode, holder: Hex): Promise<bigint> {
  return chain.publicClient.readContract({
    address: chain.tokens[asset],
    abi: TOKEN,
    functionName: 'balanceOf',
    args: [holder],
  })
}

/** Switches the refusing token's transfers off (true) or on again. */
export async function refuse(chain: LocalChain, asset: AssetCode, on: boolean): Promise<void> {
  const wallet = chain.wallet(0)
  const hash = await wallet.writeContract({
    address: chain.tokens[asset],
    abi: TOKEN,
    functionName: 'setRefusing',
    args: [on],
    account: wallet.account ?? null,
    chain: wallet.chain,
  })
  await chain.publicClient.waitForTransactionReceipt({ hash, pollingInterval: 10 })
}

/** A test app (as test/support/app.ts builds one) whose sandbox settles on the local chain. */
export async function createEvmTestApp(store: Store, settings: EvmSettings): Promise<TestApp> {
  const clock = createManualClock(T0)
  const stablefx = await createStablefx({
    store,
    adminToken: ADMIN_TOKEN,
    opsToken: OPS_TOKEN,
    liveClock: clock,
    logLevel: 'silent',
    rateLimit: false,
    processMetrics: false,
    oracleMode: 'manual',
    rebalancer: false,
    evm: settings,
  })
  return testAppOf(stablefx, clock, store)
}

export function evmOf(app: TestApp) {
  const evm = app.stablefx.services.evm
  if (evm === undefined) throw new Error('the test app has no EVM runtime')
  return evm
}

export const always = () => true
