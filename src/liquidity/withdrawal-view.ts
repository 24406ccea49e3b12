import type { Selectable } from 'kysely'
import { ASSETS, type AssetCode } from '../config/assets.ts'
import { formatDecimal } from '../money/decimal.ts'
import { countOf, msOf } from '../store/columns.ts'
import type { LpWithdrawalsTable, LpWithdrawalTranchesTable } from '../store/schema.ts'
import { type KTokenVariant, kTokenSymbol } from './model.ts'
import { TIER_POLICY, type WithdrawalTier } from './withdrawal-policy.ts'

export type WithdrawalRow = Selectable<LpWithdrawalsTable>
export type TrancheRow = Selectable<LpWithdrawalTranchesTable>

export type WithdrawalView = {
  withdrawal_id: string
  asset: AssetCode
  ktoken: string
  tier: WithdrawalTier
  amount: string
  shares: string
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
    amount: string
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
    ktoken: kTokenSymbol(asset, row.variant as KTokenVariant),
    tier,
    amount: formatDecimal(BigInt(row.amount), decimals),
    shares: row.shares,
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
      pool: t.pool,
      paid_at: iso(t.paid_at),
      tx_hash: t.tx_hash,
    })),
  }
}
