import { ASSET_CODES, type AssetCode } from '../config/assets.ts'
import type { Environment } from '../config/environment.ts'
import type { PoolTier } from '../config/pools.ts'
import { enqueueYieldBooking } from '../integrations/earn/bookings.ts'
import { ownedPoolAccount, protocolAccount } from '../ledger/accounts.ts'
import { type Posting, postEntry } from '../ledger/journal.ts'
import { poolTotal } from '../pools/holdings.ts'
import { poolTargetMinor } from '../pools/model.ts'
import type { UsdRates } from '../pools/usd-rates.ts'
import type { Store, Tx } from '../store/store.ts'
import { type DepositSource, sourceAccount } from './deposits.ts'
import { mint } from './ktoken.ts'
import { classOfVariant, isVaultId, variantOfVault } from './model.ts'
import { loadHolding, loadVariant, saveHolding, saveVariant } from './vaults.ts'

/** The queues of SPEC §7.1: class A waits for Reserve room, class B for Yield room, per asset. */
const QUEUES: readonly { asset: AssetCode; pool: PoolTier }[] = ASSET_CODES.flatMap((asset) => [
  { asset, pool: 'RESERVE' as const },
  { asset, pool: 'YIELD' as const },
])

/**
 * Moves the head of one FIFO pending queue (an asset's pool) into its pool
 * when the pool has room for all of it (strict FIFO: a later, smaller
 * deposit never passes an earlier one), minting the depositor's kTokens at
 * today's index into its class's account (SPEC §15). Returns whether it
 * moved one.
 */
async function fillHead(
  tx: Tx,
  environment: Environment,
  queue: { asset: AssetCode; pool: PoolTier },
  rates: UsdRates,
  nowMs: number,
): Promise<boolean> {
  const head = await tx.kysely
    .selectFrom('lp_pending')
    .innerJoin('lp_deposits', 'lp_deposits.deposit_id', 'lp_pending.deposit_id')
    .select([
      'lp_pending.id',
      'lp_pending.amount',
      'lp_deposits.partner_id',
      'lp_deposits.variant',
      'lp_deposits.source',
      'lp_deposits.deposit_id',
      'lp_deposits.shares',
    ])
    .where('lp_pending.environment', '=', environment)
    .where('lp_pending.asset', '=', queue.asset)
    .where('lp_pending.pool', '=', queue.pool)
    .where('lp_pending.filled_at', 'is', null)
    .orderBy('lp_pending.id')
    .limit(1)
    .$if(tx.dialect === 'postgres', (q) => q.forUpdate())
    .executeTakeFirst()
  if (head === undefined) return false
  const { asset, pool } = queue
  const amount = BigInt(head.amount)
  const room = poolTargetMinor(asset, pool, rates) - (await poolTotal(tx, environment, asset, pool))
  if (room < amount) return false
  if (!isVaultId(head.variant))
    throw new Error(`pending deposit ${head.deposit_id} names vault ${head.variant}`)
  const key = { environment, asset, variant: head.variant }
  const minted = mint(await loadVariant(tx, key, true), amount)
  if (!minted.ok) throw new Error(`pending deposit ${head.deposit_id} cannot mint: ${minted.message}`)
  const { sharesMinted, amountUsedMinor, changeMinor } = minted.value
  const owner = classOfVariant(variantOfVault(head.variant)) === 'A' ? 'class_a' : 'class_b'
  const legs: Posting[] = [
    { account: protocolAccount(environment, asset, 'pending_deposit'), amount: -amount },
    { account: ownedPoolAccount(environment, asset, pool, owner), amount: amountUsedMinor },
    {
      account: sourceAccount(environment, asset, head.partner_id, head.source as DepositSource),
      amount: changeMinor,
    },
  ].filter((leg) => leg.amount !== 0n)
  const posted = await postEntry(tx, {
    environment,
    kind: 'lp_pending_fill',
    reference: String(head.id),
    postings: legs,
    atMs: nowMs,
  })
  if (!posted.ok) throw new Error(`pending fill refused: ${posted.reason}`)
  if (pool === 'YIELD')
    await enqueueYieldBooking(tx, {
      environment,
      asset,
      owner: head.partner_id,
      kind: 'DEPOSIT',
      amountMinor: amountUsedMinor,
      reference: `pending:${head.deposit_id}:${head.id}`,
      cause: 'pending_fill',
      atMs: nowMs,
    })
  await saveVariant(tx, key, minted.value.variant, nowMs)
  const holding = await loadHolding(tx, key, head.partner_id, true)
  await saveHolding(
    tx,
    key,
    head.partner_id,
    { ...holding, shares: holding.shares + sharesMinted, deposited: holding.deposited + amountUsedMinor },
    nowMs,
  )
  await tx.kysely
    .updateTable('lp_pending')
    .set({ filled_at: BigInt(nowMs) })
    .where('id', '=', head.id)
    .execute()
  await tx.kysely
    .updateTable('lp_deposits')
    .set({ shares: (BigInt(head.shares) + sharesMinted).toString(), pending: '0' })
    .where('deposit_id', '=', head.deposit_id)
    .execute()
  return true
}

/**
 * Fills pending deposits while pools have room, one transaction each, each
 * asset's and pool's queue on its own (an IDRX deposit never waits behind a
 * USDT one); returns how many were filled.
 */
export async function fillPendingDeposits(
  store: Store,
  environment: Environment,
  rates: UsdRates,
  nowMs: () => number,
): Promise<number> {
  let filled = 0
  for (const queue of QUEUES) {
    while (await store.transaction((tx) => fillHead(tx, environment, queue, rates, nowMs()))) filled++
  }
  return filled
}
