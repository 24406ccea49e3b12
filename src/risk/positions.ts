import { sql } from 'kysely'
import { ASSET_BY_FIAT } from '../config/assets.ts'
import { CORRIDOR_IDS, CORRIDORS, type CorridorId } from '../config/corridors.ts'
import type { Environment } from '../config/environment.ts'
import { type Ratio, ratio, scale } from '../money/ratio.ts'
import { pow10 } from '../money/rounding.ts'
import { openMinorOf, readOpenBatches, waopOfBatch } from '../rebalancing/batches.ts'
import type { Direction } from '../rebalancing/planner.ts'
import { msOf } from '../store/columns.ts'
import type { Reader, Tx } from '../store/store.ts'

/** What the Active pools hold of a corridor's position until a rebalance moves it to the Reserve (SPEC §8). */
export type ActivePosition = {
  readonly corridor: CorridorId
  /** Smallest units of the corridor's BASE asset the pools took in (+) or paid out (−). */
  readonly baseUnits: bigint
  readonly quoteUnits: bigint
  readonly openedAtMs: number | null
}

/** One open batch of the Reserve's bag (SPEC §8), as the risk figures read it. */
export type BagLot = {
  readonly batchId: string
  readonly direction: Direction
  /** BASE smallest units still held (LONG_BASE) or owed (SHORT_BASE). */
  readonly openUnits: bigint
  /** Weighted average open price, QUOTE per BASE, exact. */
  readonly waop: Ratio
  readonly openedAtMs: number
}

/**
 * A corridor's whole open position: what the Active pools hold of it plus
 * the batches the Reserve holds (a rebalance moves units from the first to
 * the second, so the sum is what exposure and VaR measure, SPEC §6.2).
 */
export type CorridorPosition = {
  readonly corridor: CorridorId
  /** BASE smallest units, signed: Active's plus the bag's (+ for LONG_BASE batches). */
  readonly baseUnits: bigint
  /** QUOTE smallest units, signed: Active's cash leg plus the bag's (open volume × WAOP, rounded away from zero). */
  readonly quoteUnits: bigint
  /** When its oldest part opened (the Active position or the oldest open batch). */
  readonly openedAtMs: number | null
  readonly active: ActivePosition
  /** The Reserve's open batches, oldest first. */
  readonly bag: readonly BagLot[]
}

/**
 * Moves a corridor's Active position by one execution (or its reversal), in
 * that execution's transaction, or by a rebalance that settles part of it
 * into the Reserve (SPEC §8): the exposure signal, the reserve risk status
 * and the rebalancer read these rows instead of the journal.
 */
export async function movePosition(
  tx: Tx,
  environment: Environment,
  corridor: CorridorId,
  delta: { baseUnits: bigint; quoteUnits: bigint },
  atMs: number,
  /** A rebalance moved the older part to the Reserve: what is left counts its age from now. */
  restartAge = false,
): Promise<void> {
  // SQLite has one writer at a time: the read and the write cannot interleave with another.
  if (tx.dialect === 'postgres')
    return movePositionInOneStatement(tx, environment, corridor, delta, atMs, restartAge)
  const row = await tx.kysely
    .selectFrom('corridor_positions')
    .selectAll()
    .where('environment', '=', environment)
    .where('corridor', '=', corridor)
    .executeTakeFirst()
  const base = (row === undefined ? 0n : BigInt(row.base_units)) + delta.baseUnits
  const quote = (row === undefined ? 0n : BigInt(row.quote_units)) + delta.quoteUnits
  const wasFlat = row === undefined || (BigInt(row.base_units) === 0n && BigInt(row.quote_units) === 0n)
  const flat = base === 0n && quote === 0n
  const openedAt = flat ? null : wasFlat || restartAge ? BigInt(atMs) : (row?.opened_at ?? BigInt(atMs))
  if (row === undefined) {
    await tx.kysely
      .insertInto('corridor_positions')
      .values({
        environment,
        corridor,
        base_units: base.toString(),
        quote_units: quote.toString(),
        opened_at: openedAt,
        updated_at: BigInt(atMs),
      })
      .execute()
    return
  }
  await tx.kysely
    .updateTable('corridor_positions')
    .set({
      base_units: base.toString(),
      quote_units: quote.toString(),
      opened_at: openedAt,
      updated_at: BigInt(atMs),
    })
    .where('environment', '=', environment)
    .where('corridor', '=', corridor)
    .execute()
}

/**
 * PostgreSQL: the same rule as `movePosition` in one upsert, so the
 * corridor's row (every swap of the corridor writes it) is locked by one
 * statement until the commit, not across a read and a write.
 */
async function movePositionInOneStatement(
  tx: Tx,
  environment: Environment,
  corridor: CorridorId,
  delta: { baseUnits: bigint; quoteUnits: bigint },
  atMs: number,
  restartAge: boolean,
): Promise<void> {
  const base = sql`${delta.baseUnits.toString()}::numeric`
  const quote = sql`${delta.quoteUnits.toString()}::numeric`
  const at = sql`${atMs}::bigint`
  await sql`
    insert into corridor_positions as p (environment, corridor, base_units, quote_units, opened_at, updated_at)
    values (${environment}, ${corridor}, ${base}, ${quote},
      case when ${base} = 0 and ${quote} = 0 then null else ${at} end, ${at})
    on conflict (environment, corridor) do update set
      base_units = p.base_units + excluded.base_units,
      quote_units = p.quote_units + excluded.quote_units,
      opened_at = case
        when p.base_units + excluded.base_units = 0 and p.quote_units + excluded.quote_units = 0 then null
        when (p.base_units = 0 and p.quote_units = 0) or ${restartAge}::boolean then ${at}
        else coalesce(p.opened_at, ${at})
      end,
      updated_at = excluded.updated_at`.execute(tx.kysely)
}

function activeOf(row: {
  corridor: string
  base_units: string
  quote_units: string
  opened_at: bigint | null
}): ActivePosition {
  return {
    corridor: row.corridor as CorridorId,
    baseUnits: BigInt(row.base_units),
    quoteUnits: BigInt(row.quote_units),
    openedAtMs: row.opened_at === null ? null : msOf(row.opened_at),
  }
}

/** The positions the Active pools hold, per corridor (what the rebalancer settles). */
export async function readActivePositions(
  db: Reader,
  environment: Environment,
): Promise<Map<CorridorId, ActivePosition>> {
  const rows = await db.kysely
    .selectFrom('corridor_positions')
    .selectAll()
    .where('environment', '=', environment)
    .execute()
  return new Map(rows.map((row) => [row.corridor as CorridorId, activeOf(row)]))
}

/** One corridor's Active position, its row locked until commit on PostgreSQL (the rebalancer's read). */
export async function lockActivePosition(
  tx: Tx,
  environment: Environment,
  corridor: CorridorId,
): Promise<ActivePosition> {
  const row = await tx.kysely
    .selectFrom('corridor_positions')
    .selectAll()
    .where('environment', '=', environment)
    .where('corridor', '=', corridor)
    .$if(tx.dialect === 'postgres', (q) => q.forUpdate())
    .executeTakeFirst()
  return row === undefined ? { corridor, baseUnits: 0n, quoteUnits: 0n, openedAtMs: null } : activeOf(row)
}

/** A bag lot's QUOTE leg in smallest units: its open volume at WAOP, paid (LONG_BASE) or received, away from zero. */
function bagQuoteUnits(corridor: CorridorId, lot: BagLot): bigint {
  const { base, quote } = CORRIDORS[corridor]
  const factor = ratio(
    lot.waop.num * pow10(ASSET_BY_FIAT[quote].decimals),
    lot.waop.den * pow10(ASSET_BY_FIAT[base].decimals),
  )
  const magnitude = scale(lot.openUnits, factor, 'ceil')
  return lot.direction === 'LONG_BASE' ? -magnitude : magnitude
}

/**
 * Every corridor's whole open position (SPEC §6.2 exposure, SPEC §13 risk
 * status): the Active pools' part plus the Reserve's open batches.
 */
export async function readPositions(
  db: Reader,
  environment: Environment,
): Promise<Map<CorridorId, CorridorPosition>> {
  const active = await readActivePositions(db, environment)
  const batches = await readOpenBatches(db, environment)
  const positions = new Map<CorridorId, CorridorPosition>()
  for (const corridor of CORRIDOR_IDS) {
    const own = active.get(corridor)
    const bag: BagLot[] = batches
      .filter((b) => b.corridor === corridor)
      .map((b) => ({
        batchId: b.batchId,
        direction: b.direction,
        openUnits: openMinorOf(b),
        waop: waopOfBatch(b),
        openedAtMs: b.openedAtMs,
      }))
    if (own === undefined && bag.length === 0) continue
    const activePart = own ?? { corridor, baseUnits: 0n, quoteUnits: 0n, openedAtMs: null }
    let baseUnits = activePart.baseUnits
    let quoteUnits = activePart.quoteUnits
    let openedAtMs = activePart.openedAtMs
    for (const lot of bag) {
      baseUnits += lot.direction === 'LONG_BASE' ? lot.openUnits : -lot.openUnits
      quoteUnits += bagQuoteUnits(corridor, lot)
      if (openedAtMs === null || lot.openedAtMs < openedAtMs) openedAtMs = lot.openedAtMs
    }
    positions.set(corridor, { corridor, baseUnits, quoteUnits, openedAtMs, active: activePart, bag })
  }
  return positions
}
