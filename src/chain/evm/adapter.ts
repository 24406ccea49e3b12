import { encodeFunctionData, getAddress, type Hex } from 'viem'
import type { ChainAdapter, ChainTransfer } from '../adapter.ts'
import { ERC20_ABI } from './abi.ts'
import type { EvmSender } from './sender.ts'
import type { EvmSettings } from './settings.ts'

/**
 * Issue 14: the ChainAdapter of the environment that runs on an EVM chain.
 * A transfer is an ERC-20 `transfer` from the hot wallet, idempotent on its
 * reference (see sender.ts): confirmed → `{ok, txHash}`, reverted →
 * `ON_CHAIN_REVERT` (the execution ends FAILED and its entry is reversed),
 * not confirmed in time → throws, so the caller leaves it PENDING and its
 * recovery sends again (which only waits for the same transaction). The
 * other environment goes to `fallback` (the simulated chain).
 */
export function createEvmChainAdapter(deps: {
  settings: EvmSettings
  sender: EvmSender
  fallback: ChainAdapter
}): ChainAdapter {
  const { settings, sender } = deps
  return {
    async send(transfer: ChainTransfer) {
      if (transfer.environment !== settings.environment) return deps.fallback.send(transfer)
      const token = settings.tokens[transfer.asset]
      const to = getAddress(transfer.to) as Hex
      const outcome = await sender.submit({
        reference: `transfer:${transfer.reference}`,
        kind: 'transfer',
        contract: token,
        data: encodeFunctionData({
          abi: ERC20_ABI,
          functionName: 'transfer',
          args: [to, transfer.amountMinor],
        }),
        fingerprint: `transfer|${transfer.asset}|${to}|${transfer.amountMinor}`,
      })
      if (outcome.status === 'CONFIRMED') return { ok: true, txHash: outcome.txHash }
      return { ok: false, reason: outcome.status === 'REVERTED' ? 'ON_CHAIN_REVERT' : 'NOT_SENT' }
    },
  }
}
