import type { ChainAdapter } from '../chain/adapter.ts'
import { ASSET_CODES, type AssetCode } from '../config/assets.ts'
import type { Environment } from '../config/environment.ts'
import type { PoolTier } from '../config/pools.ts'
import { recordEvent } from '../events/events.ts'
import { enqueueYieldBooking } from '../integrations/earn/bookings.ts'
import { ownedPoolAccount, type PoolOwner, protocolAccount } from '../ledger/accounts.ts'
import { balancesOf, postEntry, reverseEntry } from '../ledger/journal.ts'
import { mulDiv } from '../money/rounding.ts'
import { minorToUsd, usdToMinor } from '../pools/model.ts'
import type { UsdRates } from '../pools/usd-rates.ts'
import type { Tx } from '../store/store.ts'
import { amountForShares, burnShares, type VariantState } from './ktoken.ts'
import { classOfVariant, isVaultId, type LpClass, type VaultId, variantOfVault } from './model.ts'
import { withdrawalQueueState } from './queue-state.ts'
import { loadHolding, loadVariant, saveHolding, saveVariant, type VariantKey } from './vaults.ts'
import {
  type PayoutPool,
  type PoolFacts,
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

/** The class account a withdrawal of this vault is paid from, per payout pool (SPEC §15 ownership). */
function ownerOf(withdrawal: WithdrawalRow): PoolOwner {
  return classOfVariant(variantOfVault(vaultOf(withdrawal))) === 'A' ? 'class_a' : 'class_b'
}

function vaultOf(withdrawal: WithdrawalRow): VaultId {
  if (!isVaultId(withdrawal.variant))
    throw new Error(`withdrawal ${withdrawal.withdrawal_id} names vault ${withdrawal.variant}`)
  return withdrawal.variant
}

/** A payout pool's account for a withdrawal: its class's Reserve, class B's Yield. */
function payoutAccount(withdrawal: WithdrawalRow, pool: PayoutPool) {
  const owner = ownerOf(withdrawal)
  return ownedPoolAccount(
    withdrawal.environment as Environment,
    withdrawal.asset as AssetCode,
    pool,
    pool === 'YIELD' ? 'class_b' : owner,
  )
}

/**
 * One step of an asset's queue, in one transaction: gather the head, its
 * vault and the facts the policy needs, decide in the pure core
 * (`planTranchePayment`, then how many escrowed shares that pays), persist
 * the decision. The tranche's shares are valued at the index of this payment
 * (SPEC §15), and paid from the withdrawing class's own capital. Returns the
 * payment booked, `rejected` when the head was rejected (the next step looks
 * again), or undefined when the head waits.
 */
async function step(
  tx: Tx,
  deps: WithdrawalDeps,
  environment: Environment,
  asset: AssetCode,
  context: { queue: QueueDecision; rates: UsdRates },
  nowMs: number,
): Promise<Payment | 'rejected' | 'closed' | undefined> {
  const head = await dueHead(tx, environment, asset, nowMs)
  if (head === undefined) return undefined
  const { withdrawal, tranche } = head
  const wallet = await deps.wallets.usable(tx, withdrawal.partner_id, withdrawal.to_address, environment)
  if (!wallet.ok && wallet.code === 'WALLET_NOT_WHITELISTED') {
    await reject(tx, withdrawal, 'the destination wallet was removed from the whitelist', nowMs)
    return 'rejected'
  }
  const { rates, queue } = context
  const key: VariantKey = { environment, asset, variant: vaultOf(withdrawal) }
  const vault = await loadVariant(tx, key, true)
  const trancheShares = BigInt(tranche.shares ?? '0')
  const trancheValue = amountForShares(trancheShares, vault.indexRay)
  if (trancheValue === 0n) {
    await closeWorthless(tx, withdrawal, tranche, { key, vault, shares: trancheShares, nowMs })
    return 'closed'
  }
  const lpClass: LpClass = ownerOf(withdrawal) === 'class_a' ? 'A' : 'B'
  const accounts = PAYOUT_POOLS.map((pool) => payoutAccount(withdrawal, pool))
  const balance = await balancesOf(tx, accounts)
  const pools = {} as Record<PayoutPool, PoolFacts>
  for (const [i, pool] of PAYOUT_POOLS.entries()) {
    pools[pool] = {
      balanceMinor: balance(accounts[i] as (typeof accounts)[number]),
      paidLastHourUsd: minorToUsd(await paidLastHour(tx, environment, asset, pool, nowMs), asset, rates),
    }
  }
  const plan = planTranchePayment({
    tier: withdrawal.tier as WithdrawalTier,
    lpClass,
    queue,
    trancheMinor: trancheValue,
    pools,
    usdToMinor: (usd) => usdToMinor(usd, asset, rates),
    smallestPartMinor: amountForShares(1n, vault.indexRay) + 1n,
  })
  if (plan === undefined) return undefined
  // A SLOW allowance may pay part of the tranche: as many shares as the allowance covers, valued now.
  const shares =
    plan.amountMinor >= trancheValue
      ? trancheShares
      : mulDiv(trancheShares, plan.amountMinor, trancheValue, 'floor')
  if (shares === 0n) return undefined
  const burned = burnShares(vault, shares, shares)
  if (!burned.ok) throw new Error(`tranche of ${withdrawal.withdrawal_id} cannot burn: ${burned.message}`)
  // A part whose shares round to nothing pays nothing: the tranche waits for a larger allowance.
  if (burned.value.amountMinor === 0n) return undefined
  await saveVariant(tx, key, burned.value.variant, nowMs)
  const holding = await loadHolding(tx, key, withdrawal.partner_id, true)
  await saveHolding(
    tx,
    key,
    withdrawal.partner_id,
    { ...holding, withdrawn: holding.withdrawn + burned.value.amountMinor },
    nowMs,
  )
  return bookPayment(tx, withdrawal, tranche, {
    pool: plan.pool,
    shares,
    amountMinor: burned.value.amountMinor,
    restValueMinor: amountForShares(trancheShares - shares, vault.indexRay),
    nowMs,
  })
}

async function bookPayment(
  tx: Tx,
  withdrawal: WithdrawalRow,
  tranche: TrancheRow,
  paying: { pool: PayoutPool; shares: bigint; amountMinor: bigint; restValueMinor: bigint; nowMs: number },
): Promise<Payment> {
  const { pool, shares, amountMinor, nowMs } = paying
  const environment = withdrawal.environment as Environment
  const asset = withdrawal.asset as AssetCode
  const posted = await postEntry(tx, {
    environment,
    kind: 'lp_withdrawal',
    reference: chainReference(withdrawal.withdrawal_id, tranche.n),
    postings: [
      { account: payoutAccount(withdrawal, pool), amount: -amountMinor },
      { account: protocolAccount(environment, asset, 'chain'), amount: amountMinor },
    ],
    memo: { to_address: withdrawal.to_address, shares: shares.toString() },
    atMs: nowMs,
  })
  if (!posted.ok) throw new Error(`withdrawal payment refused: ${posted.reason}`)
  if (pool === 'YIELD')
    await enqueueYieldBooking(tx, {
      environment,
      asset,
      owner: withdrawal.partner_id,
      kind: 'WITHDRAWAL',
      amountMinor,
      reference: `withdrawal:${environment}:${posted.value.entryId}`,
      cause: 'yield_withdrawal',
      atMs: nowMs,
    })
  const restShares = BigInt(tranche.shares ?? '0') - shares
  if (restShares > 0n) {
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
      .values({
        ...tranche,
        n: last.n + 1n,
        due_at: BigInt(nowMs + HOUR_MS),
        amount: paying.restValueMinor.toString(),
        shares: restShares.toString(),
      })
      .execute()
  }
  await tx.kysely
    .updateTable('lp_withdrawal_tranches')
    .set({ amount: amountMinor.toString(), shares: shares.toString(), pool, paid_at: BigInt(nowMs) })
    .where('withdrawal_id', '=', withdrawal.withdrawal_id)
    .where('n', '=', tranche.n)
    .execute()
  const paid = BigInt(withdrawal.paid) + amountMinor
  const sharesPaid = BigInt(withdrawal.shares_paid ?? '0') + shares
  const complete = sharesPaid === BigInt(withdrawal.shares)
  const status = complete ? 'COMPLETED' : 'PROCESSING'
  await tx.kysely
    .updateTable('lp_withdrawals')
    .set({
      paid: paid.toString(),
      shares_paid: sharesPaid.toString(),
      status,
      completed_at: complete ? BigInt(nowMs) : null,
    })
    .where('withdrawal_id', '=', withdrawal.withdrawal_id)
    .execute()
  return {
    withdrawal: { ...withdrawal, paid: paid.toString(), shares_paid: sharesPaid.toString(), status },
    tranche: { ...tranche, shares: shares.toString() },
    amountMinor,
    entryId: posted.value.entryId,
  }
}

/**
 * A queued withdrawal whose wallet left the whitelist is REJECTED: the shares
 * still in escrow go back to the LP's holding (they never left the vault).
 */
async function reject(tx: Tx, withdrawal: WithdrawalRow, reason: string, nowMs: number): Promise<void> {
  const environment = withdrawal.environment as Environment
  const key: VariantKey = { environment, asset: withdrawal.asset as AssetCode, variant: vaultOf(withdrawal) }
  const escrowed = BigInt(withdrawal.shares) - BigInt(withdrawal.shares_paid ?? '0')
  const holding = await loadHolding(tx, key, withdrawal.partner_id, true)
  await saveHolding(tx, key, withdrawal.partner_id, { ...holding, shares: holding.shares + escrowed }, nowMs)
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
  await announceIfDone(tx, payment.withdrawal.withdrawal_id, nowMs)
}

/** `withdrawal.completed` once every share is paid and every tranche that carried money is on chain. */
async function announceIfDone(tx: Tx, withdrawalId: string, nowMs: number): Promise<void> {
  const withdrawal = await tx.kysely
    .selectFrom('lp_withdrawals')
    .selectAll()
    .where('withdrawal_id', '=', withdrawalId)
    .executeTakeFirstOrThrow()
  if (withdrawal.status !== 'COMPLETED') return
  const tranches = await tx.kysely
    .selectFrom('lp_withdrawal_tranches')
    .selectAll()
    .where('withdrawal_id', '=', withdrawalId)
    .orderBy('n')
    .execute()
  // A tranche sent without a hash is not done; a worthless one (amount 0) was never sent.
  if (tranches.some((t) => t.paid_at !== null && t.tx_hash === null && BigInt(t.amount) !== 0n)) return
  await recordEvent(tx, {
    environment: withdrawal.environment as Environment,
    partnerId: withdrawal.partner_id,
    type: 'withdrawal.completed',
    data: withdrawalView(withdrawal, tranches, null),
    atMs: nowMs,
  })
}

/**
 * Escrowed shares a loss left worth nothing (SPEC §15: escrow loses with the
 * vault): burned, the tranche closed with nothing paid and nothing sent.
 */
async function closeWorthless(
  tx: Tx,
  withdrawal: WithdrawalRow,
  tranche: TrancheRow,
  input: { key: VariantKey; vault: VariantState; shares: bigint; nowMs: number },
): Promise<void> {
  const { key, vault, shares, nowMs } = input
  await saveVariant(tx, key, { ...vault, totalShares: vault.totalShares - shares }, nowMs)
  await tx.kysely
    .updateTable('lp_withdrawal_tranches')
    .set({ amount: '0', paid_at: BigInt(nowMs) })
    .where('withdrawal_id', '=', withdrawal.withdrawal_id)
    .where('n', '=', tranche.n)
    .execute()
  const sharesPaid = BigInt(withdrawal.shares_paid ?? '0') + shares
  const complete = sharesPaid === BigInt(withdrawal.shares)
  await tx.kysely
    .updateTable('lp_withdrawals')
    .set({
      shares_paid: sharesPaid.toString(),
      status: complete ? 'COMPLETED' : 'PROCESSING',
      completed_at: complete ? BigInt(nowMs) : null,
    })
    .where('withdrawal_id', '=', withdrawal.withdrawal_id)
    .execute()
  await announceIfDone(tx, withdrawal.withdrawal_id, nowMs)
}

/**
 * A transfer the chain refused: the payment entry is reversed, the shares it
 * burned go back into escrow (the vault and the LP's withdrawn total as
 * before), and the tranche is due again.
 */
async function undoPayment(tx: Tx, payment: Payment, reason: string, nowMs: number): Promise<void> {
  const tranche = await lockTranche(tx, payment)
  if (tranche === undefined || tranche.paid_at === null || tranche.tx_hash !== null) return
  const reversed = await reverseEntry(tx, payment.entryId, reason, nowMs)
  if (!reversed.ok) throw new Error(`could not reverse withdrawal payment: ${reversed.reason}`)
  if (tranche.pool === 'YIELD')
    await enqueueYieldBooking(tx, {
      environment: payment.withdrawal.environment as Environment,
      asset: payment.withdrawal.asset as AssetCode,
      owner: payment.withdrawal.partner_id,
      kind: 'DEPOSIT',
      amountMinor: payment.amountMinor,
      reference: `withdrawal-undo:${payment.withdrawal.environment}:${payment.entryId}`,
      cause: 'yield_withdrawal_reversed',
      atMs: nowMs,
    })
  const shares = BigInt(tranche.shares ?? '0')
  const environment = payment.withdrawal.environment as Environment
  const key: VariantKey = {
    environment,
    asset: payment.withdrawal.asset as AssetCode,
    variant: vaultOf(payment.withdrawal),
  }
  const vault = await loadVariant(tx, key, true)
  await saveVariant(tx, key, { ...vault, totalShares: vault.totalShares + shares }, nowMs)
  const holding = await loadHolding(tx, key, payment.withdrawal.partner_id, true)
  await saveHolding(
    tx,
    key,
    payment.withdrawal.partner_id,
    { ...holding, withdrawn: holding.withdrawn - payment.amountMinor },
    nowMs,
  )
  await tx.kysely
    .updateTable('lp_withdrawal_tranches')
    .set({ pool: null, paid_at: null })
    .where('withdrawal_id', '=', payment.withdrawal.withdrawal_id)
    .where('n', '=', payment.tranche.n)
    .execute()
  const withdrawal = await tx.kysely
    .selectFrom('lp_withdrawals')
    .select(['paid', 'shares_paid'])
    .where('withdrawal_id', '=', payment.withdrawal.withdrawal_id)
    .executeTakeFirstOrThrow()
  const paid = BigInt(withdrawal.paid) - payment.amountMinor
  const sharesPaid = BigInt(withdrawal.shares_paid ?? '0') - shares
  await tx.kysely
    .updateTable('lp_withdrawals')
    .set({
      paid: paid.toString(),
      shares_paid: sharesPaid.toString(),
      status: sharesPaid === 0n ? 'QUEUED' : 'PROCESSING',
      completed_at: null,
    })
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
  const unsent = tranches.filter((t) => BigInt(t.amount) !== 0n)
  if (unsent.length === 0) return []
  const ids = [...new Set(unsent.map((t) => t.withdrawal_id))]
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
      unsent.map((t) => chainReference(t.withdrawal_id, t.n)),
    )
    .execute()
  return unsent.map((tranche) => ({
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
  const usable = deps.moneyRates(environment)
  // Without a usable oracle mid no tier, cap or allowance can be valued: the queue waits (SPEC §15).
  if (!usable.ok) return 0
  const rates = usable.value
  const varPct = await deps.engine.varPctOfLimit(environment)
  for (const payment of await unsentPayments(deps, environment)) {
    if (!stillHeld()) return sent
    if (await send(deps, chain, payment)) sent++
  }
  for (const asset of ASSET_CODES) {
    while (stillHeld()) {
      const queue = await withdrawalQueueState(deps.store, deps.engine, environment, asset, rates, varPct)
      const payment = await deps.store.transaction((tx) =>
        step(tx, deps, environment, asset, { queue, rates }, deps.clocks[environment].now()),
      )
      if (payment === 'rejected' || payment === 'closed') continue
      if (payment === undefined) break
      if (!(await send(deps, chain, payment))) break
      sent++
    }
  }
  return sent
}
