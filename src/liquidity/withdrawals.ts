import { randomUUID } from 'node:crypto'
import type { Clocks } from '../clock/clock.ts'
import { ASSETS, type AssetCode } from '../config/assets.ts'
import type { Environment } from '../config/environment.ts'
import type { RiskConfig } from '../config/risk.ts'
import { fail, ok, type Result } from '../errors.ts'
import { recordEvent } from '../events/events.ts'
import { mulDiv } from '../money/rounding.ts'
import type { Partner } from '../partners/model.ts'
import type { WalletService } from '../partners/wallets.ts'
import { minorToUsd } from '../pools/model.ts'
import type { UsdRates } from '../pools/usd-rates.ts'
import type { RiskEngine } from '../risk/engine.ts'
import { msOf } from '../store/columns.ts'
import type { RecordOutcome } from '../store/outcome.ts'
import type { Reader, Store, Tx } from '../store/store.ts'
import { type Burned, burnForAmount, burnShares, type VariantState } from './ktoken.ts'
import { type KTokenVariant, kTokenSymbol, variantForClass, vaultFor } from './model.ts'
import { withdrawalQueueState } from './queue-state.ts'
import { loadHolding, loadVariant, saveHolding, type VariantKey } from './vaults.ts'
import { tranchePlan, withdrawalTier } from './withdrawal-policy.ts'
import { type WithdrawalRow, type WithdrawalView, withdrawalView } from './withdrawal-view.ts'

export type WithdrawalRequest = {
  readonly asset: AssetCode
  readonly variant: KTokenVariant
  readonly amountMinor?: bigint
  readonly shares?: bigint
  readonly toAddress: string
}

export type WithdrawalDeps = {
  store: Store
  wallets: WalletService
  engine: RiskEngine
  riskConfig: RiskConfig
  clocks: Clocks
  /** SPEC §15: tiers, caps and allowances at a usable oracle mid, never a hard-coded fallback. */
  moneyRates: (environment: Environment) => Result<UsdRates>
}

const DAY_MS = 24 * 3600 * 1000

/** Shares still inside their deposits' lock period (SPEC §7.1), which cannot be withdrawn yet. */
async function lockedShares(
  db: Reader,
  key: VariantKey,
  partnerId: string,
  nowMs: number,
): Promise<{ shares: bigint; until: number | null }> {
  const rows = await db.kysely
    .selectFrom('lp_deposits')
    .select(['shares', 'locked_until'])
    .where('environment', '=', key.environment)
    .where('partner_id', '=', partnerId)
    .where('asset', '=', key.asset)
    .where('variant', '=', key.variant)
    .where('locked_until', '>', BigInt(nowMs))
    .execute()
  const shares = rows.reduce((sum, row) => sum + BigInt(row.shares), 0n)
  const until = rows.reduce<bigint | null>(
    (latest, row) => (latest === null || row.locked_until > latest ? row.locked_until : latest),
    null,
  )
  return { shares, until: until === null ? null : msOf(until) }
}

/**
 * SPEC §7.5 tier of a request, counting what the partner asked for in the
 * same asset over the last 24 h [ours], so a large withdrawal cannot be
 * split into standard ones to skip the notice period.
 */
async function tierOf(
  db: Reader,
  environment: Environment,
  partnerId: string,
  asset: AssetCode,
  amountMinor: bigint,
  rates: UsdRates,
  nowMs: number,
) {
  const recent = await db.kysely
    .selectFrom('lp_withdrawals')
    .select('amount')
    .where('environment', '=', environment)
    .where('partner_id', '=', partnerId)
    .where('asset', '=', asset)
    .where('status', '!=', 'REJECTED')
    .where('requested_at', '>', BigInt(nowMs - DAY_MS))
    .execute()
  const total = recent.reduce((sum, row) => sum + BigInt(row.amount), amountMinor)
  return withdrawalTier(minorToUsd(total, asset, rates))
}

async function openLargeWithdrawal(
  db: Reader,
  environment: Environment,
  partnerId: string,
  asset: AssetCode,
): Promise<boolean> {
  const row = await db.kysely
    .selectFrom('lp_withdrawals')
    .select('withdrawal_id')
    .where('environment', '=', environment)
    .where('partner_id', '=', partnerId)
    .where('asset', '=', asset)
    .where('tier', '!=', 'STANDARD')
    .where('status', 'in', ['QUEUED', 'PROCESSING'])
    .executeTakeFirst()
  return row !== undefined
}

function burn(variant: VariantState, unlocked: bigint, request: WithdrawalRequest): Result<Burned> {
  const burned =
    request.shares !== undefined
      ? burnShares(variant, unlocked, request.shares)
      : burnForAmount(variant, unlocked, request.amountMinor as bigint)
  return burned.ok ? ok(burned.value) : fail('INSUFFICIENT_SHARES', burned.message)
}

/**
 * Queues an LP withdrawal (SPEC §7.5, §15): the shares it takes (rounded up
 * for an amount, so the pool never pays more than they are worth) leave the
 * LP's holding into escrow now, and are burned tranche by tranche at the
 * index of each payment, so a queued withdrawal shares every gain and loss
 * until it is paid. The queue pays as its state allows. Refused: a wallet not
 * whitelisted or still cooling, the other class's variant, locked shares,
 * more shares than held, a second large or whale withdrawal of the same asset
 * while one is open, a PAUSED queue, and a stale oracle (ORACLE_STALE).
 */
export async function requestWithdrawal(
  deps: WithdrawalDeps,
  environment: Environment,
  partner: Partner,
  request: WithdrawalRequest,
  record?: RecordOutcome,
): Promise<Result<WithdrawalRow>> {
  const lpClass = partner.config.liquidity_class
  if (lpClass === null) return fail('FORBIDDEN', 'this partner is not configured as a liquidity provider')
  if (request.variant !== variantForClass(lpClass)) {
    return fail(
      'WRONG_KTOKEN_VARIANT',
      `a class ${lpClass} LP holds ${kTokenSymbol(request.asset, variantForClass(lpClass))}`,
    )
  }
  const usable = deps.moneyRates(environment)
  if (!usable.ok) return usable
  const rates = usable.value
  const queue = await withdrawalQueueState(
    deps.store,
    deps.engine,
    environment,
    request.asset,
    rates,
    await deps.engine.varPctOfLimit(environment),
  )
  if (queue.state === 'PAUSED' && !(queue.redirectToYield && lpClass === 'B')) {
    return fail('WITHDRAWALS_PAUSED', `${request.asset} withdrawals are paused (${queue.reasons.join(', ')})`)
  }
  return deps.store.transaction(async (tx): Promise<Result<WithdrawalRow>> => {
    const address = await deps.wallets.usable(tx, partner.id, request.toAddress, environment)
    if (!address.ok) return address
    const nowMs = deps.clocks[environment].now()
    const key: VariantKey = {
      environment,
      asset: request.asset,
      variant: vaultFor(lpClass, partner.config.class_a_multiplier),
    }
    // Lock order, as every LP writer: the vault, then the holding (the withdrawal worker's order).
    const variant = await loadVariant(tx, key, true)
    const holding = await loadHolding(tx, key, partner.id, true)
    const locked = await lockedShares(tx, key, partner.id, nowMs)
    const unlocked = holding.shares > locked.shares ? holding.shares - locked.shares : 0n
    const burned = burn(variant, unlocked, request)
    if (!burned.ok) {
      const wouldFit = burn(variant, holding.shares, request).ok
      if (wouldFit && locked.until !== null) {
        return fail('LOCK_PERIOD_ACTIVE', `deposits are locked until ${new Date(locked.until).toISOString()}`)
      }
      return burned
    }
    if (burned.value.amountMinor <= 0n) return fail('VALIDATION_ERROR', 'the withdrawal is worth nothing')
    const queued = await queueWithdrawal(tx, {
      environment,
      partner,
      key,
      holding,
      burned: burned.value,
      address: address.value,
      rates,
      nowMs,
    })
    if (queued.ok) await record?.(tx, { resource: `withdrawal:${queued.value.withdrawal_id}` })
    return queued
  })
}

async function queueWithdrawal(
  tx: Tx,
  input: {
    environment: Environment
    partner: Partner
    key: VariantKey
    holding: Awaited<ReturnType<typeof loadHolding>>
    burned: Burned
    address: string
    rates: UsdRates
    nowMs: number
  },
): Promise<Result<WithdrawalRow>> {
  const { environment, partner, key, burned, nowMs } = input
  const asset = key.asset
  const tier = await tierOf(tx, environment, partner.id, asset, burned.amountMinor, input.rates, nowMs)
  if (tier !== 'STANDARD' && (await openLargeWithdrawal(tx, environment, partner.id, asset))) {
    return fail(
      'WITHDRAWAL_TIER_LIMIT',
      `a ${asset} large or whale withdrawal is still open; its tranches limit the pace`,
    )
  }
  const plan = tranchePlan({
    asset,
    amountMinor: burned.amountMinor,
    tier,
    requestedAtMs: nowMs,
    fiatPerUsd: input.rates.fiatPerUsd(ASSETS[asset].fiat),
  })
  // Escrow: the shares leave the holding but stay in the vault (and keep earning) until each tranche burns them.
  const holding = input.holding
  await saveHolding(tx, key, partner.id, { ...holding, shares: holding.shares - burned.sharesBurned }, nowMs)
  const trancheShares = splitShares(
    burned.sharesBurned,
    plan.tranches.map((t) => t.amountMinor),
  )
  const row = {
    withdrawal_id: randomUUID(),
    environment,
    partner_id: partner.id,
    asset,
    variant: key.variant,
    tier,
    amount: burned.amountMinor.toString(),
    shares: burned.sharesBurned.toString(),
    shares_paid: '0',
    paid: '0',
    to_address: input.address,
    status: 'QUEUED',
    reason: null,
    requested_at: BigInt(nowMs),
    completed_at: null,
  }
  const inserted = await tx.kysely
    .insertInto('lp_withdrawals')
    .values(row)
    .returning('id')
    .executeTakeFirstOrThrow()
  const tranches = plan.tranches.map((t, n) => ({
    withdrawal_id: row.withdrawal_id,
    n: BigInt(n + 1),
    due_at: BigInt(t.atMs),
    amount: t.amountMinor.toString(),
    shares: (trancheShares[n] as bigint).toString(),
    pool: null,
    tx_hash: null,
    paid_at: null,
  }))
  await tx.kysely.insertInto('lp_withdrawal_tranches').values(tranches).execute()
  const stored = { ...row, id: inserted.id }
  await recordEvent(tx, {
    environment,
    partnerId: partner.id,
    type: 'withdrawal.queued',
    data: withdrawalView(stored, tranches, null),
    atMs: nowMs,
  })
  return ok(stored)
}

/**
 * Splits escrowed shares over tranches in proportion to their amounts at
 * request, rounded down; the last tranche takes what rounding left, so the
 * parts sum to the whole.
 */
export function splitShares(shares: bigint, amounts: readonly bigint[]): bigint[] {
  const total = amounts.reduce((sum, amount) => sum + amount, 0n)
  if (total <= 0n || amounts.length === 0)
    throw new RangeError('a withdrawal has at least one positive tranche')
  const parts = amounts.map((amount) => mulDiv(shares, amount, total, 'floor'))
  const rest = shares - parts.reduce((sum, part) => sum + part, 0n)
  parts[parts.length - 1] = (parts.at(-1) as bigint) + rest
  return parts
}

/** The partner's withdrawals, newest first, each with its place in its asset's FIFO queue. */
export async function listWithdrawals(
  db: Reader,
  environment: Environment,
  partnerId: string,
): Promise<WithdrawalView[]> {
  const rows = await db.kysely
    .selectFrom('lp_withdrawals')
    .selectAll()
    .where('environment', '=', environment)
    .where('partner_id', '=', partnerId)
    .orderBy('id', 'desc')
    .limit(100)
    .execute()
  const open = await db.kysely
    .selectFrom('lp_withdrawals')
    .select(['withdrawal_id', 'asset'])
    .where('environment', '=', environment)
    .where('status', 'in', ['QUEUED', 'PROCESSING'])
    .orderBy('id')
    .execute()
  const positions = new Map<string, number>()
  const seen = new Map<string, number>()
  for (const row of open) {
    const n = (seen.get(row.asset) ?? 0) + 1
    seen.set(row.asset, n)
    positions.set(row.withdrawal_id, n)
  }
  const tranches =
    rows.length === 0
      ? []
      : await db.kysely
          .selectFrom('lp_withdrawal_tranches')
          .selectAll()
          .where(
            'withdrawal_id',
            'in',
            rows.map((r) => r.withdrawal_id),
          )
          .orderBy('n')
          .execute()
  return rows.map((row) =>
    withdrawalView(
      row,
      tranches.filter((t) => t.withdrawal_id === row.withdrawal_id),
      positions.get(row.withdrawal_id) ?? null,
    ),
  )
}

/** One of the partner's withdrawals as GET /v1/lp/withdrawals shows it, or undefined. */
export async function withdrawalOf(
  db: Reader,
  environment: Environment,
  partnerId: string,
  withdrawalId: string,
): Promise<WithdrawalView | undefined> {
  const listed = await listWithdrawals(db, environment, partnerId)
  return listed.find((w) => w.withdrawal_id === withdrawalId)
}
