import { ASSET_BY_FIAT } from '../config/assets.ts'
import { CORRIDORS } from '../config/corridors.ts'
import { formatDecimal } from '../money/decimal.ts'
import { formatRatio, type Ratio } from '../money/ratio.ts'
import type { UsdRates } from '../pools/usd-rates.ts'
import { type Fill, pnlUsd } from './batch-model.ts'
import { type BatchRecord, openMinorOf, waopOfBatch } from './batches.ts'
import { corridorRate } from './planner.ts'

const usd = (value: Ratio) => formatRatio(value, 2, 'floor')
const rate = (value: Ratio) => formatRatio(value, 8, 'floor')
const iso = (ms: number | null) => (ms === null ? null : new Date(ms).toISOString())

/** An open batch marked to the mid (SPEC §8): what its open volume would realise if netted now, USD. */
export function unrealisedPnlUsd(batch: BatchRecord, rates: UsdRates): Ratio {
  const { base, quote } = CORRIDORS[batch.corridor]
  return pnlUsd(
    batch.direction,
    openMinorOf(batch),
    ASSET_BY_FIAT[base].decimals,
    waopOfBatch(batch),
    corridorRate(batch.corridor, rates),
    rates.fiatPerUsd(quote),
  )
}

/**
 * A batch as GET /v1/reserve/batches shows it: volumes in BASE, rates QUOTE
 * per BASE (8 digits, rounded down), PnL in USD to the cent (rounded down,
 * so a loss never looks smaller than it is). `rates` undefined: the oracle is
 * stale and nothing is marked.
 */
export function batchView(batch: BatchRecord, fills: readonly Fill[], rates: UsdRates | undefined) {
  const baseAsset = ASSET_BY_FIAT[CORRIDORS[batch.corridor].base]
  const volume = (minor: bigint) => formatDecimal(minor, baseAsset.decimals)
  return {
    batch_id: batch.batchId,
    corridor: batch.corridor,
    direction: batch.direction,
    status: batch.status,
    volume_asset: baseAsset.code,
    volume: volume(batch.volumeMinor),
    open_volume: volume(openMinorOf(batch)),
    waop: rate(waopOfBatch(batch)),
    fills: fills.map((f) => ({
      volume: volume(f.volumeMinor),
      rate: rate(f.rate),
      at: iso(f.atMs) as string,
    })),
    realised_pnl_usd: usd(batch.realisedPnlUsd),
    unrealised_pnl_usd: rates === undefined ? null : usd(unrealisedPnlUsd(batch, rates)),
    opened_at: iso(batch.openedAtMs) as string,
    settled_at: iso(batch.settledAtMs),
    closed_at: iso(batch.closedAtMs),
    // SPEC §8 Phase 2: the buy-back holding it now, and when it is due early (SPEC §6.2 VaR warning).
    closing_id: batch.closingId,
    close_due_at: iso(batch.closeDueAtMs),
  }
}
