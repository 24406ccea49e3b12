import type { AssetCode } from '../config/assets.ts'
import type { Environment } from '../config/environment.ts'
import type { Result } from '../errors.ts'
import {
  type AccountKey,
  accountId,
  ownedPoolAccount,
  poolAccount,
  protocolAccount,
} from '../ledger/accounts.ts'
import { balancesOf, type Posting, postEntry } from '../ledger/journal.ts'
import { readPoolHoldings } from '../pools/holdings.ts'
import type { UsdRates } from '../pools/usd-rates.ts'
import { countOf } from '../store/columns.ts'
import { type Store, type Tx, withSavepoint } from '../store/store.ts'
import type { ExecutionRow } from '../trading/execution-view.ts'
import { converterFromUsdRates, DEFAULT_FEE_SPLIT, type FeeCredit, splitFee } from './fee-split.ts'
import { poolTvls, readVaults } from './holdings.ts'
import { applyIndexDelta, type VariantState } from './ktoken.ts'
import { classOfVariant, type VaultId, variantOfVault } from './model.ts'
import { loadVariants, saveVariants, variantKeyOf } from './vaults.ts'

export type SettledFee = {
  readonly environment: Environment
  readonly executionId: string
  readonly feeAsset: AssetCode
  readonly feeMinor: bigint
  readonly swapAssets: readonly [AssetCode, AssetCode]
}

/** Fiat per USD for money paths, or why there is none (the oracle's `moneyRates`). */
export type MoneyRates = (environment: Environment) => Result<UsdRates>

/** Postings folded per account, zero sums dropped: one entry may move the same account twice. */
function fold(legs: readonly Posting[]): Posting[] {
  const byId = new Map<string, { account: AccountKey; amount: bigint }>()
  for (const leg of legs) {
    const id = accountId(leg.account)
    const current = byId.get(id)
    byId.set(id, { account: leg.account, amount: (current?.amount ?? 0n) + leg.amount })
  }
  return [...byId.values()].filter((leg) => leg.amount !== 0n)
}

/**
 * SPEC §7.3 and §7.2: the fee held in escrow is split (treasury, corridor
 * LPs, global LPs; each vault weighted by its TVL × multiplier, the
 * protocol's own capital counted and its part kept by the treasury), and
 * each LP credit raises its vault's index and moves that much of the
 * credited asset into its class's Reserve account, where that class's
 * capital lives (SPEC §15). A credit in another asset than the fee is paid
 * from that asset's Active pool while the fee's own value stays in the fee
 * asset's Active pool (a conversion at mid, inventory-neutral). A credit that
 * cannot be backed (no shares, or the Active pool cannot pay it) goes to the
 * treasury instead: an index never promises what the pools do not hold.
 */
export async function distributeFee(tx: Tx, fee: SettledFee, rates: UsdRates, atMs: number): Promise<void> {
  if (fee.feeMinor <= 0n) return
  const { environment, feeAsset } = fee
  const split = splitFee({
    feeMinor: fee.feeMinor,
    feeAsset,
    swapAssets: fee.swapAssets,
    tvl: poolTvls(await readVaults(tx, environment), await readPoolHoldings(tx, environment), rates),
    config: DEFAULT_FEE_SPLIT,
    convert: converterFromUsdRates(rates),
  })
  // Every swap of the corridor distributes into the same vaults and accounts: they are locked by one
  // read, written by two statements and the entry, and held from there to the commit only.
  const credits = split.credits
    .filter((credit) => credit.amountMinor > 0n)
    .map((credit) => ({ credit, variant: credit.vault as VaultId }))
  const states = await loadVariants(
    tx,
    environment,
    credits.map(({ credit, variant }) => ({ asset: credit.asset, variant })),
  )
  const otherAssets = credits.filter(({ credit }) => credit.asset !== feeAsset)
  const active = await balancesOf(
    tx,
    otherAssets.map(({ credit }) => poolAccount(environment, credit.asset, 'ACTIVE')),
  )
  // A credit too small to move anything stays with the treasury, as any credit the vault cannot take.
  let treasuryMinor = split.credits
    .filter((credit) => credit.amountMinor <= 0n)
    .reduce((sum, credit) => sum + credit.feeAssetMinor, split.treasuryMinor)
  const legs: Posting[] = [
    { account: protocolAccount(environment, feeAsset, 'fee_escrow'), amount: -fee.feeMinor },
  ]
  const changed = new Map<string, { asset: AssetCode; variant: VaultId; state: VariantState }>()
  for (const { credit, variant } of credits) {
    const credited = creditIndex(environment, credit, feeAsset, {
      state: states.get(variantKeyOf(credit.asset, variant)) as VariantState,
      activeLeft:
        credit.asset === feeAsset ? undefined : active(poolAccount(environment, credit.asset, 'ACTIVE')),
    })
    if (credited === undefined) {
      treasuryMinor += credit.feeAssetMinor
      continue
    }
    states.set(variantKeyOf(credit.asset, variant), credited.state)
    changed.set(variantKeyOf(credit.asset, variant), { asset: credit.asset, variant, state: credited.state })
    legs.push(...credited.postings)
  }
  await saveVariants(tx, environment, [...changed.values()], atMs)
  legs.push({ account: protocolAccount(environment, feeAsset, 'treasury'), amount: treasuryMinor })
  const posted = await postEntry(tx, {
    environment,
    kind: 'fee_distribution',
    reference: fee.executionId,
    postings: fold(legs),
    memo: { execution_id: fee.executionId, fee_asset: feeAsset },
    atMs,
  })
  if (!posted.ok) throw new Error(`fee distribution refused: ${posted.reason}`)
}

/**
 * Raises one vault's index for a credit and returns its new state and the
 * postings that back it, or undefined to send it to treasury (a credit in
 * another asset needs that much left in the asset's Active pool).
 */
function creditIndex(
  environment: Environment,
  credit: FeeCredit,
  feeAsset: AssetCode,
  vault: { state: VariantState; activeLeft: bigint | undefined },
): { state: VariantState; postings: Posting[] } | undefined {
  if (vault.activeLeft !== undefined && vault.activeLeft < credit.amountMinor) return undefined
  const updated = applyIndexDelta(vault.state, credit.amountMinor)
  if (!updated.ok) return undefined
  const lpClass = classOfVariant(variantOfVault(credit.vault))
  const reserve = {
    account: ownedPoolAccount(environment, credit.asset, 'RESERVE', lpClass === 'A' ? 'class_a' : 'class_b'),
    amount: credit.amountMinor,
  }
  if (vault.activeLeft === undefined) return { state: updated.value.variant, postings: [reserve] }
  return {
    state: updated.value.variant,
    postings: [
      reserve,
      { account: poolAccount(environment, credit.asset, 'ACTIVE'), amount: -credit.amountMinor },
      { account: poolAccount(environment, feeAsset, 'ACTIVE'), amount: credit.feeAssetMinor },
    ],
  }
}

/** The fee of a settled execution, as the execution row records it (fees are in the destination asset). */
export function feeOfExecution(execution: ExecutionRow): SettledFee {
  const details = JSON.parse(execution.details) as { source_asset: AssetCode; destination_asset: AssetCode }
  return {
    environment: execution.environment as Environment,
    executionId: execution.execution_id,
    feeAsset: details.destination_asset,
    feeMinor: BigInt(execution.platform_fee),
    swapAssets: [details.source_asset, details.destination_asset],
  }
}

type Log = { warn(obj: object, msg: string): void; error(obj: object, msg: string): void }

/** How long a deferred distribution waits before its next try: doubling from 1 s, at most 5 minutes. */
function retryDelayMs(attempts: number): number {
  const delayMs = 1_000 * 2 ** (attempts < 20 ? attempts : 20)
  return delayMs < 300_000 ? delayMs : 300_000
}
/** From this many failed tries a deferred distribution is logged as an error, for an operator's alert. */
const ALERT_AFTER_ATTEMPTS = 5

/**
 * In the settling transaction (SPEC §15: "LP accounting can never make a
 * swap's settlement fail"): distributes the fee inside a savepoint; if that
 * cannot run now (no usable oracle mid, or any failure), what it wrote is
 * undone, the fee stays in escrow, and the distribution is queued for the
 * retry worker. The settlement commits either way.
 */
export async function settleFee(
  tx: Tx,
  fee: SettledFee,
  deps: { moneyRates: MoneyRates; wallClockMs: () => number; log: Log },
  atMs: number,
): Promise<void> {
  if (fee.feeMinor <= 0n) return
  const rates = deps.moneyRates(fee.environment)
  const done = rates.ok
    ? await withSavepoint(tx, 'fee_distribution', () => distributeFee(tx, fee, rates.value, atMs))
    : { ok: false as const, error: new Error(rates.message) }
  if (done.ok) return
  const reason = done.error instanceof Error ? done.error.message : String(done.error)
  deps.log.warn({ execution_id: fee.executionId, reason }, 'fee distribution deferred')
  await tx.kysely
    .insertInto('fee_distributions')
    .values({
      execution_id: fee.executionId,
      environment: fee.environment,
      fee_asset: fee.feeAsset,
      fee: fee.feeMinor.toString(),
      swap_assets: fee.swapAssets.join(','),
      attempts: 1n,
      last_error: reason.slice(0, 500),
      next_at: BigInt(deps.wallClockMs() + retryDelayMs(1)),
      created_at: BigInt(deps.wallClockMs()),
    })
    .onConflict((oc) => oc.column('execution_id').doNothing())
    .execute()
}

/**
 * The retry worker: distributes deferred fees that are due, oldest first,
 * each in its own transaction; a failure counts an attempt and waits longer,
 * and from ALERT_AFTER_ATTEMPTS on it is logged as an error. Returns how
 * many it distributed.
 */
export async function retryDeferredFees(
  store: Store,
  environment: Environment,
  deps: { moneyRates: MoneyRates; wallClockMs: () => number; log: Log; clockMs: () => number },
  stillHeld: () => boolean,
): Promise<number> {
  const due = await store.kysely
    .selectFrom('fee_distributions')
    .selectAll()
    .where('environment', '=', environment)
    .where('next_at', '<=', BigInt(deps.wallClockMs()))
    .orderBy('created_at')
    .limit(100)
    .execute()
  let distributed = 0
  for (const row of due) {
    if (!stillHeld()) break
    const fee: SettledFee = {
      environment,
      executionId: row.execution_id,
      feeAsset: row.fee_asset as AssetCode,
      feeMinor: BigInt(row.fee),
      swapAssets: row.swap_assets.split(',') as [AssetCode, AssetCode],
    }
    const rates = deps.moneyRates(environment)
    try {
      if (!rates.ok) throw new Error(rates.message)
      await store.transaction(async (tx) => {
        await distributeFee(tx, fee, rates.value, deps.clockMs())
        await tx.kysely.deleteFrom('fee_distributions').where('execution_id', '=', row.execution_id).execute()
      })
      distributed++
    } catch (error) {
      const attempts = countOf(row.attempts) + 1
      const reason = error instanceof Error ? error.message : String(error)
      const context = { execution_id: row.execution_id, attempts, reason }
      if (attempts >= ALERT_AFTER_ATTEMPTS) deps.log.error(context, 'fee distribution keeps failing')
      else deps.log.warn(context, 'fee distribution deferred again')
      await store.transaction((tx) =>
        tx.kysely
          .updateTable('fee_distributions')
          .set({
            attempts: BigInt(attempts),
            last_error: reason.slice(0, 500),
            next_at: BigInt(deps.wallClockMs() + retryDelayMs(attempts)),
          })
          .where('execution_id', '=', row.execution_id)
          .execute(),
      )
    }
  }
  return distributed
}
