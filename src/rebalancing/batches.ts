import { randomUUID } from 'node:crypto'
import { ASSET_BY_FIAT } from '../config/assets.ts'
import { CORRIDORS, type CorridorId } from '../config/corridors.ts'
import type { Environment } from '../config/environment.ts'
import { add, mul, type Ratio, ratio, ZERO } from '../money/ratio.ts'
import { countOf, msOf } from '../store/columns.ts'
import type { RebalanceBatchesTable } from '../store/schema.ts'
import type { Reader, Tx } from '../store/store.ts'
import {
  allocateFifo,
  type BatchStatus,
  type Fill,
  parseRatioText,
  pnlUsd,
  ratioText,
  waop,
} from './batch-model.ts'
import type { Direction } from './planner.ts'

/** A batch as stored, in exact figures. */
export type BatchRecord = {
  readonly id: bigint
  readonly batchId: string
  readonly environment: Environment
  readonly corridor: CorridorId
  readonly direction: Direction
  readonly status: BatchStatus
  readonly volumeMinor: bigint
  /** Σ volume × rate: WAOP = cost / volume. */
  readonly cost: Ratio
  readonly closedMinor: bigint
  readonly realisedPnlUsd: Ratio
  readonly openedAtMs: number
  readonly settledAtMs: number | null
  readonly closedAtMs: number | null
  /** The Phase 2 buy-back holding it, if any. */
  readonly closingId: string | null
  /** When Phase 2 buys it back, when set earlier than the default (SPEC §6.2 VaR warn). */
  readonly closeDueAtMs: number | null
}

type BatchRow = Omit<RebalanceBatchesTable, 'id'> & { id: bigint }

export function recordOf(row: BatchRow): BatchRecord {
  return {
    id: row.id,
    batchId: row.batch_id,
    environment: row.environment as Environment,
    corridor: row.corridor as CorridorId,
    direction: row.direction as Direction,
    status: row.status as BatchStatus,
    volumeMinor: BigInt(row.volume),
    cost: parseRatioText(row.cost),
    closedMinor: BigInt(row.closed_volume),
    realisedPnlUsd: parseRatioText(row.realised_pnl_usd),
    openedAtMs: msOf(row.opened_at),
    settledAtMs: row.settled_at === null ? null : msOf(row.settled_at),
    closedAtMs: row.closed_at === null ? null : msOf(row.closed_at),
    closingId: row.closing_id ?? null,
    closeDueAtMs: row.close_due_at === null || row.close_due_at === undefined ? null : msOf(row.close_due_at),
  }
}

export const openMinorOf = (batch: BatchRecord) => batch.volumeMinor - batch.closedMinor
export const waopOfBatch = (batch: BatchRecord) => waop(batch.cost, batch.volumeMinor)

/** OPEN batches whose window has passed take no more fills: SETTLED_INTERNALLY (SPEC §8). */
export async function settleExpiredBatches(
  tx: Tx,
  environment: Environment,
  nowMs: number,
  openMs: number,
): Promise<number> {
  const result = await tx.kysely
    .updateTable('rebalance_batches')
    .set({ status: 'SETTLED_INTERNALLY', settled_at: BigInt(nowMs), updated_at: BigInt(nowMs) })
    .where('environment', '=', environment)
    .where('status', '=', 'OPEN')
    .where('opened_at', '<=', BigInt(nowMs - openMs))
    .executeTakeFirst()
  return countOf(result.numUpdatedRows)
}

export type NettedPart = {
  readonly batchId: string
  readonly volumeMinor: bigint
  readonly realisedPnlUsd: Ratio
  readonly closed: boolean
}

export type BookedMovement = {
  readonly netted: readonly NettedPart[]
  readonly filled:
    | { readonly batchId: string; readonly volumeMinor: bigint; readonly opened: boolean }
    | undefined
}

export type Movement = {
  readonly environment: Environment
  readonly corridor: CorridorId
  readonly direction: Direction
  readonly volumeMinor: bigint
  /** The oracle mid it moved at, QUOTE per BASE. */
  readonly rate: Ratio
  /** The QUOTE fiat per USD at the same time, to state realised PnL in USD. */
  readonly quotePerUsd: Ratio
  readonly rebalanceId: string
  readonly atMs: number
  readonly batchOpenMs: number
}

/**
 * Books one movement into the batches, in the rebalance's transaction:
 * opposite open batches are netted first in, first out, each netted part
 * realising volume × (R − WAOP); what is left fills the corridor's OPEN batch
 * in this direction, or opens one.
 */
export async function bookMovement(tx: Tx, movement: Movement): Promise<BookedMovement> {
  await settleExpiredBatches(tx, movement.environment, movement.atMs, movement.batchOpenMs)
  const opposite = await tx.kysely
    .selectFrom('rebalance_batches')
    .selectAll()
    .where('environment', '=', movement.environment)
    .where('corridor', '=', movement.corridor)
    .where('direction', '!=', movement.direction)
    .where('status', 'in', ['OPEN', 'SETTLED_INTERNALLY'])
    // A batch a Phase 2 buy-back holds is being closed outside: opposite flow nets the others.
    .where('closing_id', 'is', null)
    .orderBy('id')
    .$if(tx.dialect === 'postgres', (q) => q.forUpdate())
    .execute()
  const batches = opposite.map(recordOf)
  const { allocations, remainderMinor } = allocateFifo(
    batches.map((b) => ({ batchId: b.batchId, openMinor: openMinorOf(b) })),
    movement.volumeMinor,
  )
  const netted: NettedPart[] = []
  for (const allocation of allocations) {
    const batch = batches.find((b) => b.batchId === allocation.batchId) as BatchRecord
    netted.push(
      await closeAtRate(
        tx,
        batch,
        allocation.volumeMinor,
        movement.rate,
        movement.quotePerUsd,
        movement.atMs,
      ),
    )
  }
  const filled = remainderMinor > 0n ? await fill(tx, movement, remainderMinor) : undefined
  return { netted, filled }
}

/** Closes `volumeMinor` of a batch at the movement's rate; a batch netted in part takes no more fills. */
/**
 * Closes `volumeMinor` of a batch at `rate` (QUOTE per BASE), realising
 * volume × (R − WAOP) in USD at `quotePerUsd` (SPEC §8): opposite flow netting
 * it (Phase 1) or a buy-back filling it (Phase 2, which releases its claim).
 * A batch closed in part takes no more fills.
 */
export async function closeAtRate(
  tx: Tx,
  batch: BatchRecord,
  volumeMinor: bigint,
  rate: Ratio,
  quotePerUsd: Ratio,
  atMs: number,
): Promise<NettedPart> {
  const baseDecimals = ASSET_BY_FIAT[CORRIDORS[batch.corridor].base].decimals
  const realised = pnlUsd(batch.direction, volumeMinor, baseDecimals, waopOfBatch(batch), rate, quotePerUsd)
  const closedMinor = batch.closedMinor + volumeMinor
  const closed = closedMinor === batch.volumeMinor
  const at = BigInt(atMs)
  await tx.kysely
    .updateTable('rebalance_batches')
    .set({
      closed_volume: closedMinor.toString(),
      realised_pnl_usd: ratioText(add(batch.realisedPnlUsd, realised)),
      status: closed ? 'CLOSED' : 'SETTLED_INTERNALLY',
      settled_at: batch.settledAtMs === null ? at : BigInt(batch.settledAtMs),
      closed_at: closed ? at : null,
      closing_id: null,
      updated_at: at,
    })
    .where('batch_id', '=', batch.batchId)
    .execute()
  return { batchId: batch.batchId, volumeMinor, realisedPnlUsd: realised, closed }
}

/** Adds a fill to the corridor's OPEN batch in the movement's direction, opening one when there is none. */
async function fill(tx: Tx, movement: Movement, volumeMinor: bigint) {
  const at = BigInt(movement.atMs)
  const row = await tx.kysely
    .selectFrom('rebalance_batches')
    .selectAll()
    .where('environment', '=', movement.environment)
    .where('corridor', '=', movement.corridor)
    .where('direction', '=', movement.direction)
    .where('status', '=', 'OPEN')
    .orderBy('id', 'desc')
    .limit(1)
    .$if(tx.dialect === 'postgres', (q) => q.forUpdate())
    .executeTakeFirst()
  const addedCost = mul(ratio(volumeMinor), movement.rate)
  let batchId: string
  if (row === undefined) {
    batchId = randomUUID()
    await tx.kysely
      .insertInto('rebalance_batches')
      .values({
        batch_id: batchId,
        environment: movement.environment,
        corridor: movement.corridor,
        direction: movement.direction,
        status: 'OPEN',
        volume: volumeMinor.toString(),
        cost: ratioText(addedCost),
        closed_volume: '0',
        realised_pnl_usd: ratioText(ZERO),
        opened_at: at,
        settled_at: null,
        closed_at: null,
        updated_at: at,
      })
      .execute()
  } else {
    batchId = row.batch_id
    await tx.kysely
      .updateTable('rebalance_batches')
      .set({
        volume: (BigInt(row.volume) + volumeMinor).toString(),
        cost: ratioText(add(parseRatioText(row.cost), addedCost)),
        updated_at: at,
      })
      .where('batch_id', '=', batchId)
      .execute()
  }
  await tx.kysely
    .insertInto('rebalance_fills')
    .values({
      batch_id: batchId,
      rebalance_id: movement.rebalanceId,
      volume: volumeMinor.toString(),
      rate: ratioText(movement.rate),
      created_at: at,
    })
    .execute()
  return { batchId, volumeMinor, opened: row === undefined }
}

/** The batches still holding something (OPEN and SETTLED_INTERNALLY), oldest first. */
export async function readOpenBatches(db: Reader, environment: Environment): Promise<BatchRecord[]> {
  const rows = await db.kysely
    .selectFrom('rebalance_batches')
    .selectAll()
    .where('environment', '=', environment)
    .where('status', 'in', ['OPEN', 'SETTLED_INTERNALLY'])
    .orderBy('id')
    .execute()
  return rows.map(recordOf)
}

export type BatchPage = {
  readonly batches: readonly BatchRecord[]
  readonly fills: ReadonlyMap<string, readonly Fill[]>
  readonly nextCursor: string | null
}

/** Batches newest first, a page at a time (cursor: the last id seen), each with its fills in order. */
export async function listBatches(
  db: Reader,
  query: {
    readonly environment: Environment
    readonly corridor?: CorridorId
    readonly status?: BatchStatus
    readonly cursor?: bigint
    readonly limit: number
  },
): Promise<BatchPage> {
  const rows = await db.kysely
    .selectFrom('rebalance_batches')
    .selectAll()
    .where('environment', '=', query.environment)
    .$if(query.corridor !== undefined, (q) => q.where('corridor', '=', query.corridor as CorridorId))
    .$if(query.status !== undefined, (q) => q.where('status', '=', query.status as BatchStatus))
    .$if(query.cursor !== undefined, (q) => q.where('id', '<', query.cursor as bigint))
    .orderBy('id', 'desc')
    .limit(query.limit + 1)
    .execute()
  const batches = rows.slice(0, query.limit).map(recordOf)
  const last = batches[batches.length - 1]
  return {
    batches,
    fills: await fillsOf(
      db,
      batches.map((b) => b.batchId),
    ),
    nextCursor: rows.length > query.limit && last !== undefined ? last.id.toString() : null,
  }
}

export async function fillsOf(db: Reader, batchIds: readonly string[]): Promise<Map<string, Fill[]>> {
  const fills = new Map<string, Fill[]>(batchIds.map((id) => [id, []]))
  if (batchIds.length === 0) return fills
  const rows = await db.kysely
    .selectFrom('rebalance_fills')
    .selectAll()
    .where('batch_id', 'in', batchIds)
    .orderBy('id')
    .execute()
  for (const row of rows) {
    fills.get(row.batch_id)?.push({
      volumeMinor: BigInt(row.volume),
      rate: parseRatioText(row.rate),
      atMs: msOf(row.created_at),
    })
  }
  return fills
}
