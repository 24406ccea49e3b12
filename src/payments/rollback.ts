import { sql } from 'kysely'
import { dbNowMs } from '../cluster/db-time.ts'
import { holderAlive, NODE_TTL_MS } from '../cluster/nodes.ts'
import { ASSETS, type AssetCode } from '../config/assets.ts'
import { recordRolledBack } from '../events/execution-events.ts'
import { reverseEntry } from '../ledger/journal.ts'
import { formatDecimal } from '../money/decimal.ts'
import type { Tx } from '../store/store.ts'
import { takeBackBooking } from '../trading/executions.ts'
import type { RollbackOutcome } from './messages.ts'

/**
 * Issue 13: a payment rejected after its execution takes the execution back
 * where the funds are still on the platform, in the rejecting transaction.
 *
 * - SETTLED: the destination amount was sent on chain to the execution's
 *   address; it left the platform, so nothing is booked (NOT_REVERSIBLE) and
 *   the rollback signal tells both partners, who return it between them.
 * - FAILED or ROLLED_BACK: its booking was already reversed (ALREADY_REVERSED).
 * - PENDING with no settlement under way (the settling node's claim ran out
 *   or the node is gone, the condition under which recovery would take it):
 *   nothing was sent, so the swap's journal entry is reversed
 *   (src/ledger/journal.ts reverseEntry), the volume and the corridor
 *   position taken back, the execution set ROLLED_BACK and
 *   `execution.rolled_back` written (REVERSED). Taking the row lock with
 *   status PENDING keeps recovery off it: recovery claims PENDING rows only.
 * - PENDING while a node holds its settlement claim, or with a transfer
 *   already recorded for its reference (chain_transfers, evm_transactions):
 *   a transfer may be in flight or paid, so nothing is booked
 *   (NOT_REVERSIBLE); the rollback signal says so. What remains: a node
 *   whose claim ran out, still alive and about to record its first send,
 *   between this check and its insert (the claim timeout makes it rare).
 */
export async function rollBackExecution(
  tx: Tx,
  input: { executionId: string; reason: string; nodeTtlMs?: number; atMs: number },
): Promise<RollbackOutcome> {
  const row = await tx.kysely
    .selectFrom('executions')
    .selectAll()
    .select(
      sql<number>`case when claim_until is not null and claim_until >= ${dbNowMs(tx.dialect)} and ${holderAlive(
        tx.dialect,
        sql.ref('claim_node'),
        input.nodeTtlMs ?? NODE_TTL_MS,
        // Not this node's own id: a claim this node holds is a settlement this node may be running.
        '',
      )} then 1 else 0 end`.as('claimed'),
    )
    .where('execution_id', '=', input.executionId)
    .$if(tx.dialect === 'postgres', (q) => q.forUpdate())
    .executeTakeFirstOrThrow()
  if (row.status === 'SETTLED') {
    return {
      status: 'NOT_REVERSIBLE',
      detail: `the execution settled on chain to ${row.destination_address} (${row.tx_hash}): the funds left the platform`,
    }
  }
  if (row.status !== 'PENDING') {
    return {
      status: 'ALREADY_REVERSED',
      detail: `the execution is ${row.status}: its booking was reversed before`,
    }
  }
  if (Number(row.claimed) === 1 || row.entry_id === null) {
    return {
      status: 'NOT_REVERSIBLE',
      detail: 'the execution is settling now: its transfer may be in flight',
    }
  }
  // A transfer recorded for it (the simulated chain records each send, the EVM sender records before
  // broadcast) may have paid: recovery finishes that one, never a reversal on top of it.
  const sent =
    (await tx.kysely
      .selectFrom('chain_transfers')
      .select('reference')
      .where('reference', '=', row.execution_id)
      .executeTakeFirst()) ??
    (await tx.kysely
      .selectFrom('evm_transactions')
      .select('reference')
      .where('reference', '=', row.execution_id)
      .executeTakeFirst())
  if (sent !== undefined) {
    return {
      status: 'NOT_REVERSIBLE',
      detail: 'a transfer was already sent for this execution: it settles or fails on its own',
    }
  }
  const reversed = await reverseEntry(tx, row.entry_id, `payment rejected: ${input.reason}`, input.atMs)
  if (!reversed.ok) {
    return { status: 'NOT_REVERSIBLE', detail: `the swap entry cannot be reversed (${reversed.reason})` }
  }
  await takeBackBooking(tx, row, input.atMs)
  const reason = `PAYMENT_REJECTED_${input.reason}`
  await tx.kysely
    .updateTable('executions')
    .set({ status: 'ROLLED_BACK', failure_reason: reason })
    .where('execution_id', '=', row.execution_id)
    .where('status', '=', 'PENDING')
    .execute()
  const details = JSON.parse(row.details) as { source_asset: AssetCode }
  const source = ASSETS[details.source_asset]
  const returnedAmount = formatDecimal(BigInt(row.source_amount), source.decimals)
  await recordRolledBack(tx, row, { reason, reversalEntryId: reversed.value.entryId }, input.atMs)
  return {
    status: 'REVERSED',
    reversalEntryId: reversed.value.entryId.toString(),
    returnedAsset: source.code,
    returnedAmount,
  }
}
