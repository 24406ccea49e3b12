import type { ChainAdapter } from '../chain/adapter.ts'
import { ASSET_CODES, type AssetCode } from '../config/assets.ts'
import type { Environment } from '../config/environment.ts'
import type { PoolTier } from '../config/pools.ts'
import { recordEvent } from '../events/events.ts'
import { poolAccount, protocolAccount } from '../ledger/accounts.ts'
import { balanceOf, postEntry, reverseEntry } from '../ledger/journal.ts'
import { minorToUsd, usdToMinor } from '../pools/model.ts'
import type { Tx } from '../store/store.ts'
import { mint } from './ktoken.ts'
import type { LpClass } from './model.ts'
import { withdrawalQueueState } from './queue-state.ts'
import { loadHolding, loadVariant, saveHolding, saveVariant, type VariantKey } from './vaults.ts'
import {
  payoutSource,
  type QueueDecision,
  slowModeAllowance,
  type WithdrawalTier,
} from './withdrawal-policy.ts'
import { type TrancheRow, type WithdrawalRow, withdrawalView } from './withdrawal-view.ts'
import type { WithdrawalDeps } from './withdrawals.ts'

const HOUR_MS = 3_600_000

type Payment = {
  withdrawal: WithdrawalRow
  tranche: TrancheRow
  pool: PoolTier
  amountMinor: bigint
  entryId: bigint
}

/** What a pool paid to withdrawals in the trailing hour, for the SLOW-mode allowance. */
async function paidLastHour(
  tx: Tx,
  environment: Environment,
  asset: AssetCode,
  pool: PoolTier,
  nowMs: number,
): Promise<bigint> {
  const rows = await tx.kysely
    .selectFrom('lp_withdrawal_tranches')
    .innerJoin('lp_withdrawals', 'lp_withdrawals.withdrawal_id', 'lp_withdrawal_tranches.withdrawal_id')
    .select('lp_withdrawal_tranches.amount')
    .where('lp_withdrawals.environment', '=', environment)
    .where('lp_withdrawals.asset', '=', asset)
    .where('lp_withdrawal_tranches.pool', '=', pool)
    .where('lp_withdrawal_tranches.paid_at', '>', BigInt(nowMs - HOUR_MS))
    .execute()
  return rows.reduce((sum, row) => sum + BigInt(row.amount), 0n)
}

/**
 * The first withdrawal in FIFO order whose next tranche is due, with that
 * tranche. A withdrawal still in its notice period does not hold up later
 * ones that are due; a due one that cannot be paid does (the queue is FIFO).
 */
async function dueHead(tx: Tx, environment: Environment, asset: AssetCode, nowMs: number) {
  const open = await tx.kysely
    .selectFrom('lp_withdrawals')
    .selectAll()
    .where('environment', '=', environment)
    .where('asset', '=', asset)
    .where('status', 'in', ['QUEUED', 'PROCESSING'])
    .orderBy('id')
    .execute()
  for (const withdrawal of open) {
    const tranche = await tx.kysely
      .selectFrom('lp_withdrawal_tranches')
      .selectAll()
      .where('withdrawal_id', '=', withdrawal.withdrawal_id)
      .where('paid_at', 'is', null)
      .orderBy('n')
      .limit(1)
      .executeTakeFirst()
    if (tranche !== undefined && tranche.due_at <= BigInt(nowMs)) return { withdrawal, tranche }
  }
  return undefined
}

/**
 * Books the next payable tranche of the first due withdrawal (FIFO per asset): takes it
 * from the first pool the policy allows that can pay it, splitting a tranche
 * the SLOW allowance cannot cover whole. Returns undefined when the head has
 * to wait.
 */
async function bookNext(
  tx: Tx,
  deps: WithdrawalDeps,
  environment: Environment,
  asset: AssetCode,
  queue: QueueDecision,
  nowMs: number,
): Promise<Payment | undefined> {
  const head = await dueHead(tx, environment, asset, nowMs)
  if (head === undefined) return undefined
  const { withdrawal, tranche } = head
  const wallet = await deps.wallets.usable(tx, withdrawal.partner_id, withdrawal.to_address, environment)
  if (!wallet.ok && wallet.code === 'WALLET_NOT_WHITELISTED') {
    await reject(tx, withdrawal, 'the destination wallet was removed from the whitelist', nowMs)
    return bookNext(tx, deps, environment, asset, queue, nowMs)
  }
  const lpClass: LpClass = withdrawal.variant === 'fx' ? 'A' : 'B'
  const source = payoutSource({ tier: withdrawal.tier as WithdrawalTier, lpClass, queue })
  const rates = deps.usdRates(environment)
  for (const pool of source.pools) {
    const tier: PoolTier = pool
    let amount = BigInt(tranche.amount)
    const allowance = slowModeAllowance(
      queue.state === 'SLOW' ? 'SLOW' : 'NORMAL',
      minorToUsd(await paidLastHour(tx, environment, asset, tier, nowMs), asset, rates),
    )
    if (allowance.kind === 'LIMITED') {
      const room = usdToMinor(allowance.remainingUsd, asset, rates)
      if (room <= 0n) continue
      if (room < amount) amount = room
    }
    if ((await balanceOf(tx, poolAccount(environment, asset, tier))) < amount) continue
    return bookPayment(tx, withdrawal, tranche, tier, amount, nowMs)
  }
  return undefined
}

async function bookPayment(
  tx: Tx,
  withdrawal: WithdrawalRow,
  tranche: TrancheRow,
  pool: PoolTier,
  amountMinor: bigint,
  nowMs: number,
): Promise<Payment> {
  const environment = withdrawal.environment as Environment
  const asset = withdrawal.asset as AssetCode
  const posted = await postEntry(tx, {
    environment,
    kind: 'lp_withdrawal',
    reference: `${withdrawal.withdrawal_id}:${tranche.n}`,
    postings: [
      { account: poolAccount(environment, asset, pool), amount: -amountMinor },
      { account: protocolAccount(environment, asset, 'chain'), amount: amountMinor },
    ],
    memo: { to_address: withdrawal.to_address },
    atMs: nowMs,
  })
  if (!posted.ok) throw new Error(`withdrawal payment refused: ${posted.reason}`)
  const rest = BigInt(tranche.amount) - amountMinor
  if (rest > 0n) {
    // A SLOW allowance paid part of the tranche: the rest becomes a new tranche, due in an hour.
    const last = await tx.kysely
      .selectFrom('lp_withdrawal_tranches')
      .select('n')
      .where('withdrawal_id', '=', withdrawal.withdrawal_id)
      .orderBy('n', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow()
    await tx.kysely
      .insertInto('lp_withdrawal_tranches')
      .values({ ...tranche, n: last.n + 1n, due_at: BigInt(nowMs + HOUR_MS), amount: rest.toString() })
      .execute()
  }
  await tx.kysely
    .updateTable('lp_withdrawal_tranches')
    .set({ amount: amountMinor.toString(), pool, paid_at: BigInt(nowMs) })
    .where('withdrawal_id', '=', withdrawal.withdrawal_id)
    .where('n', '=', tranche.n)
    .execute()
  const paid = BigInt(withdrawal.paid) + amountMinor
  const complete = paid === BigInt(withdrawal.amount)
  await tx.kysely
    .updateTable('lp_withdrawals')
    .set({
      paid: paid.toString(),
      status: complete ? 'COMPLETED' : 'PROCESSING',
      completed_at: complete ? BigInt(nowMs) : null,
    })
    .where('withdrawal_id', '=', withdrawal.withdrawal_id)
    .execute()
  return {
    withdrawal: { ...withdrawal, paid: paid.toString(), status: complete ? 'COMPLETED' : 'PROCESSING' },
    tranche,
    pool,
    amountMinor,
    entryId: posted.value.entryId,
  }
}

/**
 * A queued withdrawal whose wallet left the whitelist is REJECTED: what was
 * not paid is minted back to the LP as shares at today's index (rounded down).
 */
async function reject(tx: Tx, withdrawal: WithdrawalRow, reason: string, nowMs: number): Promise<void> {
  const environment = withdrawal.environment as Environment
  const key: VariantKey = {
    environment,
    asset: withdrawal.asset as AssetCode,
    variant: withdrawal.variant as VariantKey['variant'],
  }
  const unpaid = BigInt(withdrawal.amount) - BigInt(withdrawal.paid)
  const minted = mint(await loadVariant(tx, key, true), unpaid)
  if (minted.ok) {
    await saveVariant(tx, key, minted.value.variant, nowMs)
    const holding = await loadHolding(tx, key, withdrawal.partner_id, true)
    await saveHolding(
      tx,
      key,
      withdrawal.partner_id,
      {
        ...holding,
        shares: holding.shares + minted.value.sharesMinted,
        withdrawn: holding.withdrawn - unpaid,
      },
      nowMs,
    )
  }
  await tx.kysely
    .updateTable('lp_withdrawals')
    .set({ status: 'REJECTED', reason, completed_at: BigInt(nowMs) })
    .where('withdrawal_id', '=', withdrawal.withdrawal_id)
    .execute()
}

async function settlePayment(tx: Tx, payment: Payment, txHash: string, nowMs: number): Promise<void> {
  await tx.kysely
    .updateTable('lp_withdrawal_tranches')
    .set({ tx_hash: txHash })
    .where('withdrawal_id', '=', payment.withdrawal.withdrawal_id)
    .where('n', '=', payment.tranche.n)
    .execute()
  if (payment.withdrawal.status !== 'COMPLETED') return
  const tranches = await tx.kysely
    .selectFrom('lp_withdrawal_tranches')
    .selectAll()
    .where('withdrawal_id', '=', payment.withdrawal.withdrawal_id)
    .orderBy('n')
    .execute()
  const withdrawal = await tx.kysely
    .selectFrom('lp_withdrawals')
    .selectAll()
    .where('withdrawal_id', '=', payment.withdrawal.withdrawal_id)
    .executeTakeFirstOrThrow()
  await recordEvent(tx, {
    environment: withdrawal.environment as Environment,
    partnerId: withdrawal.partner_id,
    type: 'withdrawal.completed',
    data: withdrawalView(withdrawal, tranches, null),
    atMs: nowMs,
  })
}

/** A transfer the chain refused: the payment entry is reversed and the tranche is due again. */
async function undoPayment(tx: Tx, payment: Payment, reason: string, nowMs: number): Promise<void> {
  const reversed = await reverseEntry(tx, payment.entryId, reason, nowMs)
  if (!reversed.ok) throw new Error(`could not reverse withdrawal payment: ${reversed.reason}`)
  await tx.kysely
    .updateTable('lp_withdrawal_tranches')
    .set({ pool: null, paid_at: null })
    .where('withdrawal_id', '=', payment.withdrawal.withdrawal_id)
    .where('n', '=', payment.tranche.n)
    .execute()
  const paid = BigInt(payment.withdrawal.paid) - payment.amountMinor
  await tx.kysely
    .updateTable('lp_withdrawals')
    .set({ paid: paid.toString(), status: paid === 0n ? 'QUEUED' : 'PROCESSING', completed_at: null })
    .where('withdrawal_id', '=', payment.withdrawal.withdrawal_id)
    .execute()
}

/**
 * The withdrawal worker (SPEC §7.5): for each asset, pays what the FIFO queue
 * allows now, one tranche per transaction, sending each on chain before the
 * next. Returns how many tranches it paid.
 */
export async function processWithdrawals(
  deps: WithdrawalDeps,
  chain: ChainAdapter,
  environment: Environment,
): Promise<number> {
  let paid = 0
  for (const asset of ASSET_CODES) {
    for (;;) {
      const queue = await withdrawalQueueState(
        deps.store,
        deps.engine,
        deps.riskConfig,
        environment,
        asset,
        deps.usdRates(environment),
      )
      const payment = await deps.store.transaction((tx) =>
        bookNext(tx, deps, environment, asset, queue, deps.clocks[environment].now()),
      )
      if (payment === undefined) break
      const sent = await chain.send({
        environment,
        asset,
        to: payment.withdrawal.to_address,
        amountMinor: payment.amountMinor,
        reference: `${payment.withdrawal.withdrawal_id}:${payment.tranche.n}`,
      })
      const nowMs = deps.clocks[environment].now()
      await deps.store.transaction((tx) =>
        sent.ok
          ? settlePayment(tx, payment, sent.txHash, nowMs)
          : undoPayment(tx, payment, sent.reason, nowMs),
      )
      if (!sent.ok) break
      paid++
    }
  }
  return paid
}
