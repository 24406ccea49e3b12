import type { ChainAdapter } from '../chain/adapter.ts'
import { ASSET_CODES, type AssetCode } from '../config/assets.ts'
import type { Environment } from '../config/environment.ts'
import type { PoolTier } from '../config/pools.ts'
import { recordEvent } from '../events/events.ts'
import { poolAccount, protocolAccount } from '../ledger/accounts.ts'
import { balancesOf, postEntry, reverseEntry } from '../ledger/journal.ts'
import { minorToUsd, usdToMinor } from '../pools/model.ts'
import type { Tx } from '../store/store.ts'
import { mint } from './ktoken.ts'
import type { LpClass } from './model.ts'
import { withdrawalQueueState } from './queue-state.ts'
import { loadHolding, loadVariant, saveHolding, saveVariant, type VariantKey } from './vaults.ts'
import {
  type PayoutPool,
  planTranchePayment,
  type QueueDecision,
  type WithdrawalTier,
} from './withdrawal-policy.ts'
import { type TrancheRow, type WithdrawalRow, withdrawalView } from './withdrawal-view.ts'
import type { WithdrawalDeps } from './withdrawals.ts'

const HOUR_MS = 3_600_000
const PAYOUT_POOLS: readonly PayoutPool[] = ['RESERVE', 'YIELD']

/** A tranche booked in the ledger and due to leave on chain (or already sent, if a crash cut the send short). */
type Payment = { withdrawal: WithdrawalRow; tranche: TrancheRow; amountMinor: bigint; entryId: bigint }

const chainReference = (withdrawalId: string, n: bigint) => `${withdrawalId}:${n}`

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
 * tranche, its row locked until commit (PostgreSQL) so two payers never book
 * it twice. A withdrawal still in its notice period does not hold up later
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
    .$if(tx.dialect === 'postgres', (q) => q.forUpdate())
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
 * One step of an asset's queue, in one transaction: gather the head and the
 * facts the policy needs, decide in the pure core (`planTranchePayment`),
 * persist the decision. Returns the payment booked, `rejected` when the head
 * was rejected (the next step looks again), or undefined when the head waits.
 */
async function step(
  tx: Tx,
  deps: WithdrawalDeps,
  environment: Environment,
  asset: AssetCode,
  queue: QueueDecision,
  nowMs: number,
): Promise<Payment | 'rejected' | undefined> {
  const head = await dueHead(tx, environment, asset, nowMs)
  if (head === undefined) return undefined
  const { withdrawal, tranche } = head
  const wallet = await deps.wallets.usable(tx, withdrawal.partner_id, withdrawal.to_address, environment)
  if (!wallet.ok && wallet.code === 'WALLET_NOT_WHITELISTED') {
    await reject(tx, withdrawal, 'the destination wallet was removed from the whitelist', nowMs)
    return 'rejected'
  }
  const rates = deps.usdRates(environment)
  const balance = await balancesOf(
    tx,
    PAYOUT_POOLS.map((pool) => poolAccount(environment, asset, pool)),
  )
  const pools = {} as Record<
    PayoutPool,
    { balanceMinor: bigint; paidLastHourUsd: ReturnType<typeof minorToUsd> }
  >
  for (const pool of PAYOUT_POOLS) {
    pools[pool] = {
      balanceMinor: balance(poolAccount(environment, asset, pool)),
      paidLastHourUsd: minorToUsd(await paidLastHour(tx, environment, asset, pool, nowMs), asset, rates),
    }
  }
  const plan = planTranchePayment({
    tier: withdrawal.tier as WithdrawalTier,
    lpClass: (withdrawal.variant === 'fx' ? 'A' : 'B') satisfies LpClass,
    queue,
    trancheMinor: BigInt(tranche.amount),
    pools,
    usdToMinor: (usd) => usdToMinor(usd, asset, rates),
  })
  if (plan === undefined) return undefined
  return bookPayment(tx, withdrawal, tranche, plan.pool, plan.amountMinor, nowMs)
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
    reference: chainReference(withdrawal.withdrawal_id, tranche.n),
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

/** The tranche row, locked until commit: a payment is settled or undone once, whoever sent it. */
async function lockTranche(tx: Tx, payment: Payment): Promise<TrancheRow | undefined> {
  return tx.kysely
    .selectFrom('lp_withdrawal_tranches')
    .selectAll()
    .where('withdrawal_id', '=', payment.withdrawal.withdrawal_id)
    .where('n', '=', payment.tranche.n)
    .$if(tx.dialect === 'postgres', (q) => q.forUpdate())
    .executeTakeFirst()
}

async function settlePayment(tx: Tx, payment: Payment, txHash: string, nowMs: number): Promise<void> {
  const tranche = await lockTranche(tx, payment)
  if (tranche === undefined || tranche.paid_at === null || tranche.tx_hash !== null) return
  await tx.kysely
    .updateTable('lp_withdrawal_tranches')
    .set({ tx_hash: txHash })
    .where('withdrawal_id', '=', payment.withdrawal.withdrawal_id)
    .where('n', '=', payment.tranche.n)
    .execute()
  const withdrawal = await tx.kysely
    .selectFrom('lp_withdrawals')
    .selectAll()
    .where('withdrawal_id', '=', payment.withdrawal.withdrawal_id)
    .executeTakeFirstOrThrow()
  if (withdrawal.status !== 'COMPLETED') return
  const tranches = await tx.kysely
    .selectFrom('lp_withdrawal_tranches')
    .selectAll()
    .where('withdrawal_id', '=', payment.withdrawal.withdrawal_id)
    .orderBy('n')
    .execute()
  // The event goes out when the last tranche is on chain; a tranche sent without a hash is not done.
  if (tranches.some((t) => t.paid_at !== null && t.tx_hash === null)) return
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
  const tranche = await lockTranche(tx, payment)
  if (tranche === undefined || tranche.paid_at === null || tranche.tx_hash !== null) return
  const reversed = await reverseEntry(tx, payment.entryId, reason, nowMs)
  if (!reversed.ok) throw new Error(`could not reverse withdrawal payment: ${reversed.reason}`)
  await tx.kysely
    .updateTable('lp_withdrawal_tranches')
    .set({ pool: null, paid_at: null })
    .where('withdrawal_id', '=', payment.withdrawal.withdrawal_id)
    .where('n', '=', payment.tranche.n)
    .execute()
  const withdrawal = await tx.kysely
    .selectFrom('lp_withdrawals')
    .select('paid')
    .where('withdrawal_id', '=', payment.withdrawal.withdrawal_id)
    .executeTakeFirstOrThrow()
  const paid = BigInt(withdrawal.paid) - payment.amountMinor
  await tx.kysely
    .updateTable('lp_withdrawals')
    .set({ paid: paid.toString(), status: paid === 0n ? 'QUEUED' : 'PROCESSING', completed_at: null })
    .where('withdrawal_id', '=', payment.withdrawal.withdrawal_id)
    .execute()
}

/** Sends a booked tranche (idempotent on its reference), then settles or undoes it. Returns whether it left. */
async function send(deps: WithdrawalDeps, chain: ChainAdapter, payment: Payment): Promise<boolean> {
  const environment = payment.withdrawal.environment as Environment
  const sent = await chain.send({
    environment,
    asset: payment.withdrawal.asset as AssetCode,
    to: payment.withdrawal.to_address,
    amountMinor: payment.amountMinor,
    reference: chainReference(payment.withdrawal.withdrawal_id, payment.tranche.n),
  })
  const nowMs = deps.clocks[environment].now()
  await deps.store.transaction((tx) =>
    sent.ok ? settlePayment(tx, payment, sent.txHash, nowMs) : undoPayment(tx, payment, sent.reason, nowMs),
  )
  return sent.ok
}

/**
 * Tranches booked but never confirmed sent (a crash between booking and the
 * chain's answer). They are sent again: the chain adapter is idempotent on
 * the reference, so a transfer that did leave is not paid twice.
 */
async function unsentPayments(deps: WithdrawalDeps, environment: Environment): Promise<Payment[]> {
  const tranches = await deps.store.kysely
    .selectFrom('lp_withdrawal_tranches')
    .innerJoin('lp_withdrawals', 'lp_withdrawals.withdrawal_id', 'lp_withdrawal_tranches.withdrawal_id')
    .selectAll('lp_withdrawal_tranches')
    .where('lp_withdrawals.environment', '=', environment)
    .where('lp_withdrawal_tranches.paid_at', 'is not', null)
    .where('lp_withdrawal_tranches.tx_hash', 'is', null)
    .execute()
  if (tranches.length === 0) return []
  const ids = [...new Set(tranches.map((t) => t.withdrawal_id))]
  const withdrawals = await deps.store.kysely
    .selectFrom('lp_withdrawals')
    .selectAll()
    .where('withdrawal_id', 'in', ids)
    .execute()
  const entries = await deps.store.kysely
    .selectFrom('journal_entries')
    .select(['id', 'reference'])
    .where('environment', '=', environment)
    .where('kind', '=', 'lp_withdrawal')
    .where(
      'reference',
      'in',
      tranches.map((t) => chainReference(t.withdrawal_id, t.n)),
    )
    .execute()
  return tranches.map((tranche) => ({
    withdrawal: withdrawals.find((w) => w.withdrawal_id === tranche.withdrawal_id) as WithdrawalRow,
    tranche,
    amountMinor: BigInt(tranche.amount),
    entryId: (
      entries.find((e) => e.reference === chainReference(tranche.withdrawal_id, tranche.n)) as {
        id: bigint
      }
    ).id,
  }))
}

/**
 * The withdrawal worker (SPEC §7.5), run once per environment across nodes:
 * first sends what a crash left booked but unsent, then, for each asset, pays
 * what the FIFO queue allows now, one tranche per transaction, sending each
 * on chain before the next. Stops when its lease may have moved. Returns how
 * many tranches it sent.
 */
export async function processWithdrawals(
  deps: WithdrawalDeps,
  chain: ChainAdapter,
  environment: Environment,
  stillHeld: () => boolean = () => true,
): Promise<number> {
  let sent = 0
  const varPct = await deps.engine.varPctOfLimit(environment)
  for (const payment of await unsentPayments(deps, environment)) {
    if (!stillHeld()) return sent
    if (await send(deps, chain, payment)) sent++
  }
  for (const asset of ASSET_CODES) {
    while (stillHeld()) {
      const queue = await withdrawalQueueState(
        deps.store,
        deps.engine,
        environment,
        asset,
        deps.usdRates(environment),
        varPct,
      )
      const payment = await deps.store.transaction((tx) =>
        step(tx, deps, environment, asset, queue, deps.clocks[environment].now()),
      )
      if (payment === 'rejected') continue
      if (payment === undefined) break
      if (!(await send(deps, chain, payment))) break
      sent++
    }
  }
  return sent
}
