import { readFileSync } from 'node:fs'
import { inspect } from 'node:util'
import { ASSET_CODES, type AssetCode } from '../../config/assets.ts'
import type { Environment } from '../../config/environment.ts'
import { KTOKEN_VARIANTS, type KTokenVariant, kTokenSymbol } from '../../liquidity/model.ts'
import { checkAddress } from '../address.ts'

/**
 * Issue 14: the EVM chain stablefx settles on, from environment variables.
 * `STABLEFX_CHAIN=evm` turns it on for one environment (STABLEFX_EVM_ENVIRONMENT,
 * live by default); the other keeps the simulated chain. Kaia mainnet (8217)
 * and Kairos (1001) are presets; any EVM chain works by configuration.
 */
export type ChainPreset = {
  readonly network: string
  readonly confirmations: number
  readonly maxFeeGwei: number
}

/**
 * Kaia finalises a block as it is produced (PBFT), so one confirmation is
 * final; its base fee floats from 25 to 750 gkei. Other chains default to 12
 * confirmations, the local node to 2.
 */
export const CHAIN_PRESETS: Readonly<Record<number, ChainPreset>> = {
  8217: { network: 'kaia', confirmations: 1, maxFeeGwei: 750 },
  1001: { network: 'kaia-kairos', confirmations: 1, maxFeeGwei: 750 },
  31337: { network: 'local', confirmations: 2, maxFeeGwei: 100 },
}
const OTHER_CHAIN = { confirmations: 12, maxFeeGwei: 500 }

/** A private key that never prints: logs, JSON and util.inspect all see `[redacted]`. */
export type SecretKey = { reveal(): `0x${string}`; toJSON(): string; toString(): string }

export function secretKey(hex: `0x${string}`): SecretKey {
  const redacted = '[redacted]'
  const key = {
    reveal: () => hex,
    toJSON: () => redacted,
    toString: () => redacted,
    [inspect.custom]: () => redacted,
  }
  return key
}

/** The environment variable naming a kToken contract: kUSD-fx → STABLEFX_EVM_KTOKEN_KUSD_FX. */
export function kTokenVariable(asset: AssetCode, variant: KTokenVariant): string {
  return `STABLEFX_EVM_KTOKEN_${kTokenSymbol(asset, variant).toUpperCase().replace('-', '_')}`
}

export function tokenVariable(asset: AssetCode): string {
  return `STABLEFX_EVM_TOKEN_${asset.toUpperCase()}`
}

export type EvmSettings = {
  readonly environment: Environment
  readonly rpcUrl: string
  readonly chainId: number
  readonly network: string
  readonly tokens: Readonly<Record<AssetCode, `0x${string}`>>
  /** kToken contracts by `ASSET:variant`; a missing one is not mirrored on chain. */
  readonly kTokens: Readonly<Partial<Record<`${AssetCode}:${KTokenVariant}`, `0x${string}`>>>
  readonly hotWalletKey: SecretKey
  /** Where partners send deposits; the hot wallet's address when unset. */
  readonly depositAddress: `0x${string}` | undefined
  readonly confirmations: number
  readonly maxFeeWei: bigint
  readonly gasLimit: bigint
  /** A transaction without a receipt this long is replaced at a higher fee (same nonce). */
  readonly stuckMs: number
  /** How often receipts and logs are polled. */
  readonly pollMs: number
  /** How long one send waits for its confirmations before leaving the transfer to a retry. */
  readonly sendWaitMs: number
  /** The first block the deposit watcher reads when it has no cursor yet; the head when unset. */
  readonly startBlock: bigint | undefined
  /** The largest block range read in one eth_getLogs call. */
  readonly logRange: bigint
}

export class EvmConfigError extends Error {
  readonly variable: string
  constructor(variable: string, problem: string) {
    super(`${variable} ${problem}`)
    this.variable = variable
  }
}

const GWEI = 1_000_000_000n

function text(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const raw = env[name]
  return raw === undefined || raw.trim() === '' ? undefined : raw.trim()
}

function required(env: NodeJS.ProcessEnv, name: string): string {
  const raw = text(env, name)
  if (raw === undefined) throw new EvmConfigError(name, 'is required when STABLEFX_CHAIN=evm')
  return raw
}

function whole(env: NodeJS.ProcessEnv, name: string, fallback: number, min = 0): number {
  const raw = text(env, name)
  if (raw === undefined) return fallback
  if (!/^[0-9]{1,12}$/.test(raw) || Number(raw) < min)
    throw new EvmConfigError(name, `must be a whole number from ${min} (got "${raw}")`)
  return Number(raw)
}

function address(name: string, raw: string): `0x${string}` {
  const checked = checkAddress(raw)
  if (!checked.ok) throw new EvmConfigError(name, checked.reason)
  return checked.address as `0x${string}`
}

function hotWalletKey(env: NodeJS.ProcessEnv): SecretKey {
  const inline = text(env, 'STABLEFX_EVM_HOT_WALLET_KEY')
  const file = text(env, 'STABLEFX_EVM_HOT_WALLET_KEY_FILE')
  if (inline !== undefined && file !== undefined)
    throw new EvmConfigError(
      'STABLEFX_EVM_HOT_WALLET_KEY',
      'and STABLEFX_EVM_HOT_WALLET_KEY_FILE are exclusive',
    )
  let raw: string
  let name = 'STABLEFX_EVM_HOT_WALLET_KEY'
  if (file !== undefined) {
    name = 'STABLEFX_EVM_HOT_WALLET_KEY_FILE'
    try {
      raw = readFileSync(file, 'utf8').trim()
    } catch {
      throw new EvmConfigError(name, 'names a file that cannot be read')
    }
  } else if (inline !== undefined) {
    raw = inline
  } else {
    throw new EvmConfigError(
      'STABLEFX_EVM_HOT_WALLET_KEY',
      '(or STABLEFX_EVM_HOT_WALLET_KEY_FILE) is required when STABLEFX_CHAIN=evm',
    )
  }
  const hex = raw.startsWith('0x') ? raw : `0x${raw}`
  // The value is a secret: the message never repeats it.
  if (!/^0x[0-9a-fA-F]{64}$/.test(hex)) throw new EvmConfigError(name, 'must be a 32-byte private key in hex')
  return secretKey(hex as `0x${string}`)
}

/** Undefined unless STABLEFX_CHAIN=evm; a bad or missing value throws naming its variable. */
export function loadEvmSettings(env: NodeJS.ProcessEnv): EvmSettings | undefined {
  const chain = text(env, 'STABLEFX_CHAIN') ?? 'sim'
  if (chain === 'sim') return undefined
  if (chain !== 'evm') throw new EvmConfigError('STABLEFX_CHAIN', `must be one of sim, evm (got "${chain}")`)
  const environment = text(env, 'STABLEFX_EVM_ENVIRONMENT') ?? 'live'
  if (environment !== 'sandbox' && environment !== 'live')
    throw new EvmConfigError(
      'STABLEFX_EVM_ENVIRONMENT',
      `must be one of sandbox, live (got "${environment}")`,
    )
  const rpcUrl = required(env, 'STABLEFX_EVM_RPC_URL')
  if (!/^(https?|wss?):\/\/.+/.test(rpcUrl))
    throw new EvmConfigError('STABLEFX_EVM_RPC_URL', 'must be an http(s) or ws(s) URL')
  const chainId = whole(env, 'STABLEFX_EVM_CHAIN_ID', Number.NaN, 1)
  if (Number.isNaN(chainId))
    throw new EvmConfigError('STABLEFX_EVM_CHAIN_ID', 'is required when STABLEFX_CHAIN=evm')
  const preset = CHAIN_PRESETS[chainId]
  const tokens = Object.fromEntries(
    ASSET_CODES.map((asset) => [asset, address(tokenVariable(asset), required(env, tokenVariable(asset)))]),
  ) as Record<AssetCode, `0x${string}`>
  const kTokens: Partial<Record<`${AssetCode}:${KTokenVariant}`, `0x${string}`>> = {}
  for (const asset of ASSET_CODES) {
    for (const variant of KTOKEN_VARIANTS) {
      const name = kTokenVariable(asset, variant)
      const raw = text(env, name)
      if (raw !== undefined) kTokens[`${asset}:${variant}`] = address(name, raw)
    }
  }
  const deposit = text(env, 'STABLEFX_EVM_DEPOSIT_ADDRESS')
  const start = text(env, 'STABLEFX_EVM_START_BLOCK')
  if (start !== undefined && !/^[0-9]{1,15}$/.test(start))
    throw new EvmConfigError('STABLEFX_EVM_START_BLOCK', `must be a block number (got "${start}")`)
  return {
    environment,
    rpcUrl,
    chainId,
    network: text(env, 'STABLEFX_EVM_NETWORK') ?? preset?.network ?? `evm-${chainId}`,
    tokens,
    kTokens,
    hotWalletKey: hotWalletKey(env),
    depositAddress: deposit === undefined ? undefined : address('STABLEFX_EVM_DEPOSIT_ADDRESS', deposit),
    confirmations: whole(
      env,
      'STABLEFX_EVM_CONFIRMATIONS',
      preset?.confirmations ?? OTHER_CHAIN.confirmations,
      1,
    ),
    maxFeeWei:
      BigInt(whole(env, 'STABLEFX_EVM_MAX_FEE_GWEI', preset?.maxFeeGwei ?? OTHER_CHAIN.maxFeeGwei, 1)) * GWEI,
    gasLimit: BigInt(whole(env, 'STABLEFX_EVM_GAS_LIMIT', 200_000, 21_000)),
    stuckMs: whole(env, 'STABLEFX_EVM_STUCK_MS', 30_000, 1),
    pollMs: whole(env, 'STABLEFX_EVM_POLL_MS', 500, 10),
    sendWaitMs: whole(env, 'STABLEFX_EVM_SEND_WAIT_MS', 60_000, 1),
    startBlock: start === undefined ? undefined : BigInt(start),
    logRange: BigInt(whole(env, 'STABLEFX_EVM_LOG_RANGE', 2_000, 1)),
  }
}
