import { type ChildProcess, spawn } from 'node:child_process'
import { existsSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { parseArgs } from 'node:util'
import {
  type Abi,
  createPublicClient,
  createWalletClient,
  defineChain,
  getAddress,
  type Hex,
  http,
  type PublicClient,
  type WalletClient,
} from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import { kTokenVariable, tokenVariable } from '../chain/evm/settings.ts'
import { ASSET_CODES, ASSETS, type AssetCode } from '../config/assets.ts'
import { KTOKEN_VARIANTS, type KTokenVariant, kTokenSymbol } from '../liquidity/model.ts'
import { loadContracts } from './contracts.ts'

/**
 * Issue 14, `npx stablefx sim chain`: a local EVM node for development and
 * tests. It runs Anvil (Foundry's node, shipped as a binary inside the npm
 * package @foundry-rs/anvil; it starts in well under a second), deploys
 * contracts/build/contracts.json (compiled from contracts/ by solc): the four stablecoins and the eight kTokens
 * from the hot wallet, funds three test wallets with every stablecoin and
 * native gas, and mines a block every second (and each transaction at once),
 * so confirmations arrive without traffic.
 *
 * The accounts are Anvil's well-known development accounts (mnemonic "test
 * test … junk"): account 0 is the hot wallet, 1–3 the test wallets. Their
 * keys are public knowledge: never use them on a real chain.
 */
export const LOCAL_CHAIN_ID = 31337
const DEV_KEYS: readonly Hex[] = [
  '0xac0974bec39a17e36ba4a6b4d238ff944bacb478cbed5efcae784d7bf4f2ff80',
  '0x59c6995e998f97a5a0044966f0945389dc9e86dae88c7a8412f4603b6b78690d',
  '0x5de4111afa1a4b94908f83103eb1f1706367c2e68ca870fc3fb9a804cdab365a',
  '0x7c852118294e51e653712a81e05800f419141751be58f605c371e15141b007a6',
]
/** Each test wallet gets this many whole units of every stablecoin; the hot wallet ten times as many. */
const TEST_WALLET_UNITS = 1_000_000n

export type LocalWallet = { readonly address: Hex; readonly key: Hex }

export type LocalChain = {
  readonly rpcUrl: string
  readonly chainId: number
  readonly tokens: Readonly<Record<AssetCode, Hex>>
  readonly kTokens: Readonly<Record<`${AssetCode}:${KTokenVariant}`, Hex>>
  readonly hotWallet: LocalWallet
  readonly testWallets: readonly LocalWallet[]
  readonly confirmations: number
  /** The settings that point stablefx at this chain, as environment variables. */
  readonly env: Readonly<Record<string, string>>
  readonly publicClient: PublicClient
  /** A wallet client for one of the node's accounts (0 = hot wallet). */
  wallet(index: number): WalletClient
  /** A raw JSON-RPC call (anvil_mine, anvil_reorg, evm_snapshot …). */
  rpc(method: string, params?: unknown[]): Promise<unknown>
  stop(): Promise<void>
}

export type LocalChainOptions = {
  /** Seconds between interval blocks (fractions allowed); 1 by default. */
  readonly blockTime?: number
  readonly port?: number
  readonly confirmations?: number
  /** Deploys this stablecoin as contracts/StablefxToken.sol's RefusingToken (tests of on-chain reverts). */
  readonly refusing?: AssetCode
  /** Which environment the printed settings run on chain; sandbox by default. */
  readonly environment?: 'sandbox' | 'live'
}

/** Where the Anvil binary is: STABLEFX_ANVIL_BIN, the platform package of @foundry-rs/anvil, or `anvil` on PATH. */
export function anvilBinary(): string {
  const override = process.env.STABLEFX_ANVIL_BIN
  if (override !== undefined && override !== '') return override
  const arch = process.arch === 'x64' ? 'amd64' : process.arch
  const pkg = `@foundry-rs/anvil-${process.platform}-${arch}`
  try {
    const bin = join(dirname(createRequire(import.meta.url).resolve(`${pkg}/package.json`)), 'bin', 'anvil')
    if (existsSync(bin)) return bin
  } catch {
    // not installed for this platform: fall through to PATH
  }
  return 'anvil'
}

async function startAnvil(options: {
  blockTime: number
  port: number
}): Promise<{ child: ChildProcess; rpcUrl: string }> {
  const child = spawn(
    anvilBinary(),
    [
      '--host',
      '127.0.0.1',
      '--port',
      String(options.port),
      '--chain-id',
      String(LOCAL_CHAIN_ID),
      '--block-time',
      String(options.blockTime),
      // Transactions are mined at once as well as every blockTime seconds.
      '--mixed-mining',
      '--accounts',
      String(DEV_KEYS.length),
    ],
    { stdio: ['ignore', 'pipe', 'pipe'] },
  )
  const rpcUrl = await new Promise<string>((resolve, reject) => {
    let out = ''
    const timer = setTimeout(
      () => reject(new Error(`anvil did not start within 10 s: ${out.slice(-500)}`)),
      10_000,
    )
    const onData = (chunk: Buffer) => {
      out += chunk.toString()
      const found = /Listening on (127\.0\.0\.1:\d+)/.exec(out)
      if (found !== null) {
        clearTimeout(timer)
        child.stdout?.off('data', onData)
        resolve(`http://${found[1]}`)
      }
    }
    child.stdout?.on('data', onData)
    child.stderr?.on('data', (chunk: Buffer) => {
      out += chunk.toString()
    })
    child.once('error', (error) => {
      clearTimeout(timer)
      reject(error)
    })
    child.once('exit', (code) => {
      clearTimeout(timer)
      reject(new Error(`anvil exited with ${code}: ${out.slice(-500)}`))
    })
  })
  // Drain its output so a full pipe never blocks it.
  child.stdout?.resume()
  child.stderr?.resume()
  return { child, rpcUrl }
}

/** Starts the node, deploys, funds; `stop()` ends the node. */
export async function startLocalChain(options: LocalChainOptions = {}): Promise<LocalChain> {
  const contracts = loadContracts()
  const { child, rpcUrl } = await startAnvil({ blockTime: options.blockTime ?? 1, port: options.port ?? 0 })
  const killChild = () => child.kill('SIGKILL')
  process.once('exit', killChild)
  const chain = defineChain({
    id: LOCAL_CHAIN_ID,
    name: 'stablefx local',
    nativeCurrency: { name: 'Ether', symbol: 'ETH', decimals: 18 },
    rpcUrls: { default: { http: [rpcUrl] } },
  })
  const transport = http(rpcUrl)
  const publicClient = createPublicClient({ chain, transport, pollingInterval: 100 }) as PublicClient
  const wallets = DEV_KEYS.map((key) =>
    createWalletClient({ account: privateKeyToAccount(key), chain, transport }),
  )
  const hot = wallets[0] as WalletClient & { account: { address: Hex } }
  const stop = async () => {
    process.off('exit', killChild)
    if (child.exitCode !== null) return
    const exited = new Promise((resolve) => child.once('exit', resolve))
    child.kill('SIGTERM')
    await exited
  }
  try {
    let nonce = await publicClient.getTransactionCount({ address: hot.account.address })
    const pending: Hex[] = []
    const deploy = async (name: string, args: readonly unknown[]) => {
      const contract = contracts[name]
      if (contract === undefined) throw new Error(`no contract ${name}`)
      const hash = await hot.deployContract({
        abi: contract.abi as Abi,
        bytecode: contract.bytecode,
        args,
        account: hot.account,
        chain,
        nonce: nonce++,
      })
      const receipt = await publicClient.waitForTransactionReceipt({ hash })
      if (receipt.contractAddress === null || receipt.contractAddress === undefined)
        throw new Error(`${name} was not deployed`)
      return getAddress(receipt.contractAddress)
    }
    const tokens = {} as Record<AssetCode, Hex>
    for (const asset of ASSET_CODES) {
      const name = asset === options.refusing ? 'RefusingToken' : 'StablefxToken'
      tokens[asset] = await deploy(name, [`${asset} (stablefx local)`, asset, ASSETS[asset].decimals])
    }
    const kTokens = {} as Record<`${AssetCode}:${KTokenVariant}`, Hex>
    for (const asset of ASSET_CODES) {
      for (const variant of KTOKEN_VARIANTS) {
        const symbol = kTokenSymbol(asset, variant)
        kTokens[`${asset}:${variant}`] = await deploy('KToken', [symbol, symbol, ASSETS[asset].decimals])
      }
    }
    const mintAbi = contracts.StablefxToken?.abi as Abi
    for (const asset of ASSET_CODES) {
      const unit = 10n ** BigInt(ASSETS[asset].decimals)
      for (const [index, wallet] of wallets.entries()) {
        const amount = TEST_WALLET_UNITS * unit * (index === 0 ? 10n : 1n)
        pending.push(
          await hot.writeContract({
            address: tokens[asset],
            abi: mintAbi,
            functionName: 'mint',
            args: [wallet.account?.address, amount],
            account: hot.account,
            chain,
            nonce: nonce++,
          }),
        )
      }
    }
    for (const hash of pending) await publicClient.waitForTransactionReceipt({ hash })
    const confirmations = options.confirmations ?? 2
    const accounts = DEV_KEYS.map((key) => ({ address: privateKeyToAccount(key).address, key }))
    const env: Record<string, string> = {
      STABLEFX_CHAIN: 'evm',
      STABLEFX_EVM_ENVIRONMENT: options.environment ?? 'sandbox',
      STABLEFX_EVM_RPC_URL: rpcUrl,
      STABLEFX_EVM_CHAIN_ID: String(LOCAL_CHAIN_ID),
    }
    for (const asset of ASSET_CODES) env[tokenVariable(asset)] = tokens[asset]
    for (const asset of ASSET_CODES)
      for (const variant of KTOKEN_VARIANTS)
        env[kTokenVariable(asset, variant)] = kTokens[`${asset}:${variant}`]
    env.STABLEFX_EVM_HOT_WALLET_KEY = accounts[0]?.key as string
    env.STABLEFX_EVM_CONFIRMATIONS = String(confirmations)
    for (const [index, wallet] of accounts.slice(1).entries()) {
      env[`TEST_WALLET_${index + 1}_ADDRESS`] = wallet.address
      env[`TEST_WALLET_${index + 1}_KEY`] = wallet.key
    }
    return {
      rpcUrl,
      chainId: LOCAL_CHAIN_ID,
      tokens,
      kTokens,
      hotWallet: accounts[0] as LocalWallet,
      testWallets: accounts.slice(1),
      confirmations,
      env,
      publicClient,
      wallet: (index) => wallets[index] as WalletClient,
      rpc: (method, params = []) => publicClient.request({ method, params } as never),
      stop,
    }
  } catch (error) {
    await stop()
    throw error
  }
}

export const CHAIN_SIM_USAGE = `  sim chain [--port 8545] [--block-time 1] [--confirmations 2] [--environment sandbox|live]
                             run a local EVM node with the stablecoins and kTokens deployed; prints NAME=value settings`

/** `stablefx sim chain`: starts the chain, prints NAME=value lines, runs until killed. */
export async function chainSimCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      port: { type: 'string', default: '8545' },
      'block-time': { type: 'string', default: '1' },
      confirmations: { type: 'string', default: '2' },
      environment: { type: 'string', default: 'sandbox' },
    },
  })
  const port = Number(values.port)
  const blockTime = Number(values['block-time'])
  const confirmations = Number(values.confirmations)
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error('--port must be a port number')
  if (!(blockTime > 0 && blockTime <= 1))
    throw new Error('--block-time must be more than 0 and at most 1 second')
  if (!Number.isInteger(confirmations) || confirmations < 1)
    throw new Error('--confirmations must be a whole number from 1')
  if (values.environment !== 'sandbox' && values.environment !== 'live')
    throw new Error('--environment must be sandbox or live')
  const chain = await startLocalChain({ port, blockTime, confirmations, environment: values.environment })
  for (const [name, value] of Object.entries(chain.env)) process.stdout.write(`${name}=${value}\n`)
  process.stderr.write(`# local chain ${chain.chainId} at ${chain.rpcUrl}; Ctrl-C stops it\n`)
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve)
    process.once('SIGTERM', resolve)
  })
  await chain.stop()
  return 0
}
