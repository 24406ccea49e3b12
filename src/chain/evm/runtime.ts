import type { Hex } from 'viem'
import type { Clocks } from '../../clock/clock.ts'
import type { AssetCode } from '../../config/assets.ts'
import type { Environment } from '../../config/environment.ts'
import type { Result } from '../../errors.ts'
import type { WalletService } from '../../partners/wallets.ts'
import type { UsdRates } from '../../pools/usd-rates.ts'
import type { Store } from '../../store/store.ts'
import type { Worker } from '../../workers/runner.ts'
import type { ChainAdapter } from '../adapter.ts'
import { createEvmChainAdapter } from './adapter.ts'
import { createKTokenMirror, type KTokenMirror } from './ktokens.ts'
import { createEvmSender, type EvmSender } from './sender.ts'
import type { EvmSettings } from './settings.ts'
import { createDepositWatcher, type DepositWatcher } from './watcher.ts'

/** GET /v1/deposit-address: where a partner sends a deposit, and when it counts. */
export type DepositAddressView = {
  asset: AssetCode
  address: string
  network: string
  chain_id: number
  confirmations: number
}

/**
 * The simulated chain's answer (sandbox without STABLEFX_CHAIN=evm): no chain
 * watches this address; sandbox money arrives through the faucet
 * (POST /v1/sandbox/faucet) and LP deposits through POST /v1/lp/deposits.
 */
export const SIMULATED_DEPOSIT_ADDRESS = '0x000000000000000000000000000000000000d3e9'
export const SIMULATED_NETWORK = 'stablefx-simulated'

export function simulatedDepositAddress(asset: AssetCode): DepositAddressView {
  return {
    asset,
    address: SIMULATED_DEPOSIT_ADDRESS,
    network: SIMULATED_NETWORK,
    chain_id: 0,
    confirmations: 0,
  }
}

export type EvmRuntime = {
  readonly settings: EvmSettings
  readonly sender: EvmSender
  readonly chain: ChainAdapter
  readonly watcher: DepositWatcher
  readonly kTokens: KTokenMirror
  readonly workers: readonly Worker[]
  depositAddress(environment: Environment, asset: AssetCode): DepositAddressView
}

type Log = { warn(obj: object, msg: string): void; error(obj: object, msg: string): void }

/** Issue 14: the EVM side of one environment, wired by the composition root when STABLEFX_CHAIN=evm. */
export function createEvmRuntime(deps: {
  settings: EvmSettings
  store: Store
  clocks: Clocks
  wallets: WalletService
  moneyRates: (environment: Environment) => Result<UsdRates>
  /** The chain of the other environment (the simulated one). */
  fallback: ChainAdapter
  log: Log
}): EvmRuntime {
  const { settings, store } = deps
  const sender = createEvmSender({ settings, store, log: deps.log })
  const depositAddress = (settings.depositAddress ?? sender.address) as Hex
  const watcher = createDepositWatcher({
    settings,
    store,
    client: sender.client,
    depositAddress,
    wallets: deps.wallets,
    clocks: deps.clocks,
    moneyRates: deps.moneyRates,
    log: deps.log,
  })
  const kTokens = createKTokenMirror({ settings, store, client: sender.client, sender, log: deps.log })
  const environment = settings.environment
  const workers: Worker[] = [
    // Deposits: confirmed Transfer logs to the deposit address, credited once (SPEC §3, §7.1).
    { name: `evm.deposits.${environment}`, everyMs: 1_000, run: ({ stillHeld }) => watcher.run(stillHeld) },
    // Open transactions: rebroadcast, replaced when stuck, settled when confirmed.
    {
      name: `evm.transactions.${environment}`,
      everyMs: 1_000,
      run: ({ stillHeld }) => sender.pump(stillHeld),
    },
    // kTokens: the contracts brought to the ledger's shares and indexes.
    { name: `evm.ktokens.${environment}`, everyMs: 5_000, run: ({ stillHeld }) => kTokens.sync(stillHeld) },
  ]
  return {
    settings,
    sender,
    chain: createEvmChainAdapter({ settings, sender, fallback: deps.fallback }),
    watcher,
    kTokens,
    workers,
    depositAddress(env, asset) {
      if (env !== environment) return simulatedDepositAddress(asset)
      return {
        asset,
        address: depositAddress,
        network: settings.network,
        chain_id: settings.chainId,
        confirmations: settings.confirmations,
      }
    },
  }
}
