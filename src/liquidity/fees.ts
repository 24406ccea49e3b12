import type { AssetCode } from '../config/assets.ts'
import type { Environment } from '../config/environment.ts'
import { type AccountKey, accountId, poolAccount, protocolAccount } from '../ledger/accounts.ts'
import { balanceOf, type Posting, postEntry } from '../ledger/journal.ts'
import type { UsdRates } from '../pools/usd-rates.ts'
import type { Tx } from '../store/store.ts'
import type { ExecutionRow } from '../trading/execution-view.ts'
import { converterFromUsdRates, DEFAULT_FEE_SPLIT, type FeeCredit, splitFee } from './fee-split.ts'
import { poolTvls, readHoldings } from './holdings.ts'
import { applyIndexDelta } from './ktoken.ts'
import { loadVariant, saveVariant } from './vaults.ts'

export type SettledFee = {
  readonly environment: Environment
  readonly executionId: string
  readonly feeAsset: AssetCode
  readonly feeMinor: bigint
  readonly swapAssets: readonly [AssetCode, AssetCode]
}

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
 * SPEC §7.3 and §7.2, in the settling execution's transaction: the fee held
 * in escrow is split (treasury, corridor LPs, global LPs, class weights), and
 * each LP credit raises its variant's index and moves that much of the
 * credited asset into its Reserve pool, where LP capital lives. A credit in
 * another asset than the fee is paid from that asset's Active pool while the
 * fee's own value stays in the fee asset's Active pool (a conversion at mid,
 * inventory-neutral). A credit that cannot be backed (no shares, or the
 * Active pool cannot pay it) goes to the treasury instead: an index never
 * promises what the pools do not hold.
 */
export async function distributeFee(tx: Tx, fee: SettledFee, rates: UsdRates, atMs: number): Promise<void> {
  if (fee.feeMinor <= 0n) return
  const { environment, feeAsset } = fee
  const split = splitFee({
    feeMinor: fee.feeMinor,
    feeAsset,
    swapAssets: fee.swapAssets,
    tvl: poolTvls(await readHoldings(tx, environment), rates),
    config: DEFAULT_FEE_SPLIT,
    convert: converterFromUsdRates(rates),
  })
  let treasuryMinor = split.treasuryMinor
  const legs: Posting[] = [
    { account: protocolAccount(environment, feeAsset, 'fee_escrow'), amount: -fee.feeMinor },
  ]
  for (const credit of split.credits) {
    const credited = await creditIndex(tx, environment, credit, feeAsset, atMs)
    if (credited === undefined) {
      treasuryMinor += credit.feeAssetMinor
      continue
    }
    legs.push(...credited)
  }
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

/** Raises one variant's index for a credit and returns the postings that back it, or undefined to send it to treasury. */
async function creditIndex(
  tx: Tx,
  environment: Environment,
  credit: FeeCredit,
  feeAsset: AssetCode,
  atMs: number,
): Promise<Posting[] | undefined> {
  if (credit.amountMinor <= 0n) return undefined
  const sameAsset = credit.asset === feeAsset
  if (
    !sameAsset &&
    (await balanceOf(tx, poolAccount(environment, credit.asset, 'ACTIVE'))) < credit.amountMinor
  )
    return undefined
  const key = { environment, asset: credit.asset, variant: credit.variant }
  const updated = applyIndexDelta(await loadVariant(tx, key, true), credit.amountMinor)
  if (!updated.ok) return undefined
  await saveVariant(tx, key, updated.value.variant, atMs)
  const reserve = { account: poolAccount(environment, credit.asset, 'RESERVE'), amount: credit.amountMinor }
  if (sameAsset) return [reserve]
  return [
    reserve,
    { account: poolAccount(environment, credit.asset, 'ACTIVE'), amount: -credit.amountMinor },
    { account: poolAccount(environment, feeAsset, 'ACTIVE'), amount: credit.feeAssetMinor },
  ]
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
