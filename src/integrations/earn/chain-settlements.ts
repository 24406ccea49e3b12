import { recordAudit } from '../../audit/audit.ts'
import { ASSETS, type AssetCode } from '../../config/assets.ts'
import type { Environment } from '../../config/environment.ts'
import type { Store } from '../../store/store.ts'
import type { EarnChainOutcome, EarnChainPayer } from './chain-payer.ts'
import { type Entity, formatWad, fromWadFloor, toWad } from './model.ts'
import { recordVenueSettlement } from './settlement-events.ts'

/**
 * Issue 12, live settlement on chain: what we owe a venue entity is paid to
 * its settlement address through the environment's EVM sender, with the
 * reference `earn-settlement:<id>`, so a retry never pays twice.
 *
 * A settlement is SENDING from before anything is signed: the next report
 * then never supersedes it (its transfer may be on chain) and counts it as
 * in flight, like a CONFIRMED one. A transfer not confirmed in time stays
 * SENDING and the next run waits for the same transaction; it never becomes
 * FAILED by the clock. The mined outcome decides: CONFIRMED, or FAILED when
 * the chain reverted it (or its nonce went to another transaction), each with
 * its operator event in the transaction of the state change. The amount paid
 * is the settlement rounded down to the asset's unit; the dust stays owed and
 * nets into the next day.
 */
export async function payOwedOnChain(
  deps: {
    readonly store: Store
    readonly now: () => number
    readonly payer: EarnChainPayer
    readonly addresses: Readonly<Partial<Record<Entity, string>>>
    readonly log?: { error(obj: object, msg: string): void } | undefined
  },
  environment: Environment,
): Promise<number> {
  const { store } = deps
  const due = await store.kysely
    .selectFrom('earn_settlements')
    .selectAll()
    .where('environment', '=', environment)
    .where('direction', '=', 'TO_VENUE')
    .where('status', 'in', ['PENDING', 'SENDING'])
    .where('next_attempt_at', '<=', BigInt(deps.now()))
    .orderBy('id')
    .execute()
  let confirmed = 0
  for (const row of due) {
    // No address for the entity: the settlement waits for an operator.
    const to = deps.addresses[row.entity as Entity]
    if (to === undefined) continue
    const asset = row.asset as AssetCode
    const amountMinor = fromWadFloor(BigInt(row.amount_wad), ASSETS[asset].decimals).minor
    if (amountMinor <= 0n) continue
    const paying = { ...row, amount_wad: toWad(amountMinor, ASSETS[asset].decimals).toString() }
    if (row.status === 'PENDING') {
      const taken = await store.kysely
        .updateTable('earn_settlements')
        .set({ status: 'SENDING', amount_wad: paying.amount_wad, updated_at: BigInt(deps.now()) })
        .where('id', '=', row.id)
        .where('status', '=', 'PENDING')
        .executeTakeFirst()
      // Superseded by a report meanwhile: nothing was signed for it.
      if (BigInt(taken.numUpdatedRows) === 0n) continue
    }
    let outcome: EarnChainOutcome
    try {
      outcome = await deps.payer.pay({ reference: `earn-settlement:${row.id}`, asset, to, amountMinor })
    } catch (error) {
      const attempts = row.attempts + 1n
      await store.kysely
        .updateTable('earn_settlements')
        .set({
          attempts,
          next_attempt_at: BigInt(deps.now() + Math.min(300_000, 1_000 * 2 ** Number(attempts))),
          last_error: (error as Error).message.split('\n')[0] ?? 'not confirmed',
          updated_at: BigInt(deps.now()),
        })
        .where('id', '=', row.id)
        .where('status', '=', 'SENDING')
        .execute()
      continue
    }
    if (await settle(deps, environment, paying, outcome)) confirmed++
  }
  return confirmed
}

/** Records the mined outcome once, with its event and audit entry; true when it is a confirmed payment. */
async function settle(
  deps: Pick<Parameters<typeof payOwedOnChain>[0], 'store' | 'now' | 'log'>,
  environment: Environment,
  row: {
    id: string
    environment: string
    entity: string
    asset: string
    direction: string
    amount_wad: string
    attempts: bigint
  },
  outcome: EarnChainOutcome,
): Promise<boolean> {
  const nowMs = deps.now()
  const paid = outcome.status === 'CONFIRMED'
  const reason = outcome.status === 'REVERTED' ? 'ON_CHAIN_REVERT' : 'NOT_SENT'
  const recorded = await deps.store.transaction(async (tx) => {
    const updated = await tx.kysely
      .updateTable('earn_settlements')
      .set({
        status: paid ? 'CONFIRMED' : 'FAILED',
        tx_hash: outcome.txHash,
        attempts: row.attempts + 1n,
        last_error: paid ? null : reason,
        updated_at: BigInt(nowMs),
      })
      .where('id', '=', row.id)
      .where('status', '=', 'SENDING')
      .executeTakeFirst()
    // Another node recorded the outcome first.
    if (BigInt(updated.numUpdatedRows) === 0n) return false
    const settlement = { ...row, tx_hash: outcome.txHash }
    await recordVenueSettlement(
      tx,
      settlement,
      paid ? { status: 'confirmed' } : { status: 'failed', reason },
      nowMs,
    )
    await recordAudit(tx, {
      actor: 'earn-cycle',
      action: paid ? 'yield.venue.settlement.confirmed' : 'yield.venue.settlement.failed',
      targetType: 'yield_venue',
      targetId: `${environment}:${row.entity}`,
      before: null,
      after: {
        id: row.id,
        asset: row.asset,
        amount: formatWad(BigInt(row.amount_wad)),
        tx_hash: outcome.txHash,
        ...(paid ? {} : { reason }),
      },
      atMs: nowMs,
    })
    return true
  })
  if (recorded && !paid)
    deps.log?.error({ id: row.id, tx_hash: outcome.txHash }, 'yield venue settlement failed on chain')
  return recorded && paid
}
