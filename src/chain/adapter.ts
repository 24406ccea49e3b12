import { createHash } from 'node:crypto'
import { sql } from 'kysely'
import type { Clock } from '../clock/clock.ts'
import type { AssetCode } from '../config/assets.ts'
import type { Environment } from '../config/environment.ts'
import type { Store } from '../store/store.ts'

export type ChainTransfer = {
  readonly environment: Environment
  readonly asset: AssetCode
  readonly to: string
  readonly amountMinor: bigint
  /**
   * Our id for the transfer (an execution id, a withdrawal tranche). The
   * adapter must be idempotent on it: a second send of the same reference,
   * from any node, returns the first result and moves nothing (SPEC §15).
   */
  readonly reference: string
}

export type ChainResult = { ok: true; txHash: string } | { ok: false; reason: string }

/**
 * What settles money on chain. The simulated chain below answers at once; an
 * EVM adapter for Kaia implements the same interface (send a token transfer,
 * wait for the receipt, report the hash or the revert), idempotent on the
 * reference. Recovery after a crash sends again whatever it cannot prove was
 * sent, so an adapter that paid twice for one reference would pay twice.
 */
export type ChainAdapter = { send(transfer: ChainTransfer): Promise<ChainResult> }

/** Sending to this address makes the simulated chain revert, so partners can exercise FAILED executions. */
export const SIMULATED_REVERT_ADDRESS = '0x000000000000000000000000000000000000fa11'

/** What the simulated chain would do with a transfer: revert at the fail address, else a deterministic hash. */
function simulate(transfer: ChainTransfer): ChainResult {
  if (transfer.to.toLowerCase() === SIMULATED_REVERT_ADDRESS) return { ok: false, reason: 'ON_CHAIN_REVERT' }
  const digest = createHash('sha256')
    .update(
      `${transfer.environment}|${transfer.reference}|${transfer.asset}|${transfer.to.toLowerCase()}|${transfer.amountMinor}`,
    )
    .digest('hex')
  return { ok: true, txHash: `0x${digest}` }
}

/**
 * The sandbox chain. With a store it keeps one transfer per (environment,
 * reference) in `chain_transfers`, shared by every node: a resend returns
 * the first result and only counts the send, so tests can see that nothing
 * was paid twice. A reference reused for a different transfer is a bug and
 * throws. Without a store (unit tests) it keeps the same record in memory.
 */
export function createSimulatedChain(options: { store?: Store; clock?: Clock } = {}): ChainAdapter {
  const memory = new Map<string, { transfer: ChainTransfer; result: ChainResult }>()
  const check = (transfer: ChainTransfer, first: { asset: string; to: string; amount: bigint }) => {
    if (
      first.asset !== transfer.asset ||
      first.to.toLowerCase() !== transfer.to.toLowerCase() ||
      first.amount !== transfer.amountMinor
    ) {
      throw new Error(`chain reference ${transfer.reference} was sent before with a different transfer`)
    }
  }
  return {
    async send(transfer) {
      const result = simulate(transfer)
      const { store } = options
      if (store === undefined) {
        const key = `${transfer.environment}|${transfer.reference}`
        const first = memory.get(key)
        if (first === undefined) memory.set(key, { transfer, result })
        else check(transfer, { ...first.transfer, amount: first.transfer.amountMinor })
        return first?.result ?? result
      }
      const row = await store.single((db) =>
        db.kysely
          .insertInto('chain_transfers')
          .values({
            environment: transfer.environment,
            reference: transfer.reference,
            asset: transfer.asset,
            to_address: transfer.to,
            amount: transfer.amountMinor.toString(),
            outcome: JSON.stringify(result),
            sends: 1n,
            created_at: BigInt(options.clock?.now() ?? Date.now()),
          })
          .onConflict((oc) =>
            oc
              .columns(['environment', 'reference'])
              .doUpdateSet({ sends: sql<bigint>`chain_transfers.sends + 1` }),
          )
          .returning(['asset', 'to_address', 'amount', 'outcome'])
          .executeTakeFirstOrThrow(),
      )
      check(transfer, { asset: row.asset, to: row.to_address, amount: BigInt(row.amount) })
      return JSON.parse(row.outcome) as ChainResult
    },
  }
}
