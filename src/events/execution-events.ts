import { ASSETS, type AssetCode } from '../config/assets.ts'
import type { Environment } from '../config/environment.ts'
import { formatDecimal } from '../money/decimal.ts'
import type { Tx } from '../store/store.ts'
import type { ExecutionRow } from '../trading/execution-view.ts'
import { recordEvent } from './events.ts'

type Details = { source_asset: AssetCode; destination_asset: AssetCode }

const iso = (ms: number) => new Date(ms).toISOString()

/** What the chain was asked to move for an execution: the net destination amount to the partner's address. */
function transferOf(row: ExecutionRow) {
  const details = JSON.parse(row.details) as Details
  const destination = ASSETS[details.destination_asset]
  return {
    execution_id: row.execution_id,
    quote_id: row.quote_id,
    asset: destination.code,
    amount: formatDecimal(BigInt(row.destination_amount), destination.decimals),
    destination_address: row.destination_address,
  }
}

/**
 * `settlement.confirmed` (SPEC §10): the chain confirmed the transfer of an
 * execution's destination amount, with its hash. Written in the settling
 * transaction, just before `execution.settled`.
 */
export async function recordSettlementConfirmed(
  tx: Tx,
  row: ExecutionRow,
  txHash: string,
  atMs: number,
): Promise<void> {
  await recordEvent(tx, {
    environment: row.environment as Environment,
    partnerId: row.partner_id,
    type: 'settlement.confirmed',
    data: { ...transferOf(row), tx_hash: txHash, confirmed_at: iso(atMs) },
    atMs,
  })
}

/**
 * The chain refused an execution's transfer, in the transaction that undoes
 * its booking (before `execution.failed`): `settlement.failed` says the
 * transfer did not happen and why; `execution.rolled_back` says the swap's
 * journal entry was reversed, so the source amount is back in the partner's
 * prefunded balance, nothing was paid out and no fee was charged.
 */
export async function recordSettlementRefused(
  tx: Tx,
  row: ExecutionRow,
  outcome: { reason: string; reversalEntryId: bigint },
  atMs: number,
): Promise<void> {
  const environment = row.environment as Environment
  await recordEvent(tx, {
    environment,
    partnerId: row.partner_id,
    type: 'settlement.failed',
    data: { ...transferOf(row), reason: outcome.reason, failed_at: iso(atMs) },
    atMs,
  })
  await recordRolledBack(tx, row, outcome, atMs)
}

/** `execution.rolled_back`: the swap's journal entry was reversed (a refused transfer, a rejected payment). */
export async function recordRolledBack(
  tx: Tx,
  row: ExecutionRow,
  outcome: { reason: string; reversalEntryId: bigint },
  atMs: number,
): Promise<void> {
  const environment = row.environment as Environment
  const details = JSON.parse(row.details) as Details
  const source = ASSETS[details.source_asset]
  const destination = ASSETS[details.destination_asset]
  await recordEvent(tx, {
    environment,
    partnerId: row.partner_id,
    type: 'execution.rolled_back',
    data: {
      execution_id: row.execution_id,
      quote_id: row.quote_id,
      pair: row.corridor,
      side: row.side,
      reason: outcome.reason,
      returned_asset: source.code,
      returned_amount: formatDecimal(BigInt(row.source_amount), source.decimals),
      destination_asset: destination.code,
      unsent_amount: formatDecimal(BigInt(row.destination_amount), destination.decimals),
      reversal_entry_id: outcome.reversalEntryId.toString(),
      rolled_back_at: iso(atMs),
    },
    atMs,
  })
}
