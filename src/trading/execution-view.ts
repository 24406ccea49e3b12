import type { Selectable } from 'kysely'
import { ASSETS, type AssetCode } from '../config/assets.ts'
import { formatDecimal } from '../money/decimal.ts'
import type { ExecutionsTable } from '../store/schema.ts'

/** SPEC §3: an execution's status. ROLLED_BACK: reversed after it settled (issue 13, a payment rejected). */
export const EXECUTION_STATUSES = ['PENDING', 'SETTLED', 'FAILED', 'ROLLED_BACK'] as const

export type ExecutionRow = Omit<Selectable<ExecutionsTable>, 'id'>

type Details = {
  source_asset: AssetCode
  destination_asset: AssetCode
  filled_rate: string
  execution_path: 'DIRECT' | 'EXTERNAL_RFQ'
  state_flag: string
}

/** SPEC §3 execution response, plus the assets, address and references a partner reconciles with. */
export type ExecutionView = {
  execution_id: string
  quote_id: string
  status: string
  pair: string
  side: string
  source_asset: string
  destination_asset: string
  filled_rate: string
  source_amount: string
  destination_amount: string
  platform_fee: string
  platform_fee_currency: string
  destination_address: string
  tx_hash: string | null
  settled_at: string | null
  execution_path: string
  state_flag: string
  failure_reason: string | null
  client_ref: string | null
  created_at: string
}

export function executionView(row: ExecutionRow): ExecutionView {
  const details = JSON.parse(row.details) as Details
  const source = ASSETS[details.source_asset]
  const destination = ASSETS[details.destination_asset]
  return {
    execution_id: row.execution_id,
    quote_id: row.quote_id,
    status: row.status,
    pair: row.corridor,
    side: row.side,
    source_asset: source.code,
    destination_asset: destination.code,
    filled_rate: details.filled_rate,
    source_amount: formatDecimal(BigInt(row.source_amount), source.decimals),
    destination_amount: formatDecimal(BigInt(row.destination_amount), destination.decimals),
    platform_fee: formatDecimal(BigInt(row.platform_fee), destination.decimals),
    platform_fee_currency: destination.code,
    destination_address: row.destination_address,
    tx_hash: row.tx_hash,
    settled_at: row.settled_at === null ? null : new Date(Number(row.settled_at)).toISOString(),
    execution_path: details.execution_path,
    state_flag: details.state_flag,
    failure_reason: row.failure_reason,
    client_ref: row.client_ref,
    created_at: new Date(Number(row.created_at)).toISOString(),
  }
}
