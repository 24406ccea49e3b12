import type { Selectable } from 'kysely'
import { ASSETS, type AssetCode } from '../config/assets.ts'
import { formatDecimal } from '../money/decimal.ts'
import { countOf, msOf } from '../store/columns.ts'
import type { LpWithdrawalsTable, LpWithdrawalTranchesTable } from '../store/schema.ts'
import { kTokenSymbol, type VaultId, variantOfVault } from './model.ts'
import { TIER_POLICY, type WithdrawalTier } from './withdrawal-policy.ts'

export type WithdrawalRow = Selectable<LpWithdrawalsTable>
export type TrancheRow = Selectable<LpWithdrawalTranchesTable>

export type WithdrawalView = {
  withdrawal_id: string
  asset: AssetCode
  ktoken: string
  tier: WithdrawalTier
  /** The escrowed shares' value when requested; `paid` is what left, valued at each payment (SPEC §15). */
  amount: string
  /** Shares taken into escrow at request, and those burned so far. */
  shares: string
  shares_paid: string
  paid: string
  to_address: string
  status: string
  /** 1 for the head of the asset's queue; null once completed or rejected. */
  position: number | null
  otc_offered: boolean
  reason: string | null
  requested_at: string
  completed_at: string | null
  tranches: {
    n: number
    due_at: string
    /** Paid: what it paid. Not yet: its value at request, an estimate (it is paid at the index of its payment). */
    amount: string
    shares: string
    pool: string | null
    paid_at: string | null
    tx_hash: string | null
  }[]
}

const iso = (ms: bigint | null) => (ms === null ? null : new Date(msOf(ms)).toISOString())

export function withdrawalView(
  row: WithdrawalRow,
  tranches: readonly TrancheRow[],
  position: number | null,
): WithdrawalView {
  const asset = row.asset as AssetCode
  const decimals = ASSETS[asset].decimals
  const tier = row.tier as WithdrawalTier
  return {
    withdrawal_id: row.withdrawal_id,
    asset,
    ktoken: kTokenSymbol(asset, variantOfVault(row.variant as VaultId)),
    tier,
    amount: formatDecimal(BigInt(row.amount), decimals),
    shares: row.shares,
    shares_paid: row.shares_paid ?? '0',
    paid: formatDecimal(BigInt(row.paid), decimals),
    to_address: row.to_address,
    status: row.status,
    position,
    otc_offered: TIER_POLICY[tier].otcOffered,
    reason: row.reason,
    requested_at: iso(row.requested_at) as string,
    completed_at: iso(row.completed_at),
    tranches: tranches.map((t) => ({
      n: countOf(t.n),
      due_at: iso(t.due_at) as string,
      amount: formatDecimal(BigInt(t.amount), decimals),
      shares: t.shares ?? '0',
      pool: t.pool,
      paid_at: iso(t.paid_at),
      tx_hash: t.tx_hash,
    })),
  }
}
