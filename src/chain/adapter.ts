import { createHash } from 'node:crypto'
import type { AssetCode } from '../config/assets.ts'
import type { Environment } from '../config/environment.ts'

export type ChainTransfer = {
  readonly environment: Environment
  readonly asset: AssetCode
  readonly to: string
  readonly amountMinor: bigint
  /** Our id for the transfer; a real adapter uses it to make a resend idempotent. */
  readonly reference: string
}

export type ChainResult = { ok: true; txHash: string } | { ok: false; reason: string }

/**
 * What settles money on chain. The simulated chain below answers at once; an
 * EVM adapter for Kaia implements the same interface (send a token transfer,
 * wait for the receipt, report the hash or the revert).
 */
export type ChainAdapter = { send(transfer: ChainTransfer): Promise<ChainResult> }

/** Sending to this address makes the simulated chain revert, so partners can exercise FAILED executions. */
export const SIMULATED_REVERT_ADDRESS = '0x000000000000000000000000000000000000fa11'

/**
 * The sandbox chain: deterministic transaction hashes (the same transfer always
 * gets the same hash, as a resend of a real transaction would find the first).
 */
export function createSimulatedChain(): ChainAdapter {
  return {
    async send(transfer) {
      if (transfer.to.toLowerCase() === SIMULATED_REVERT_ADDRESS)
        return { ok: false, reason: 'ON_CHAIN_REVERT' }
      const digest = createHash('sha256')
        .update(
          `${transfer.environment}|${transfer.reference}|${transfer.asset}|${transfer.to.toLowerCase()}|${transfer.amountMinor}`,
        )
        .digest('hex')
      return { ok: true, txHash: `0x${digest}` }
    },
  }
}
