import type { CorridorId } from '../config/corridors.ts'
import type { Environment } from '../config/environment.ts'
import { msOf } from '../store/columns.ts'
import type { Reader, Tx } from '../store/store.ts'

export type CorridorPosition = {
  readonly corridor: CorridorId
  /** Smallest units of the corridor's BASE asset the pools took in (+) or paid out (−). */
  readonly baseUnits: bigint
  readonly quoteUnits: bigint
  readonly openedAtMs: number | null
}

/**
 * Moves a corridor's position by one execution (or its reversal), in that
 * execution's transaction: the exposure signal and the reserve risk status
 * read these rows instead of the journal.
 */
export async function movePosition(
  tx: Tx,
  environment: Environment,
  corridor: CorridorId,
  delta: { baseUnits: bigint; quoteUnits: bigint },
  atMs: number,
): Promise<void> {
  const row = await tx.kysely
    .selectFrom('corridor_positions')
    .selectAll()
    .where('environment', '=', environment)
    .where('corridor', '=', corridor)
    .$if(tx.dialect === 'postgres', (q) => q.forUpdate())
    .executeTakeFirst()
  const base = (row === undefined ? 0n : BigInt(row.base_units)) + delta.baseUnits
  const quote = (row === undefined ? 0n : BigInt(row.quote_units)) + delta.quoteUnits
  const wasFlat = row === undefined || (BigInt(row.base_units) === 0n && BigInt(row.quote_units) === 0n)
  const flat = base === 0n && quote === 0n
  const openedAt = flat ? null : wasFlat ? BigInt(atMs) : (row?.opened_at ?? BigInt(atMs))
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

export async function readPositions(
  db: Reader,
  environment: Environment,
): Promise<Map<CorridorId, CorridorPosition>> {
  const rows = await db.kysely
    .selectFrom('corridor_positions')
    .selectAll()
    .where('environment', '=', environment)
    .execute()
  return new Map(
    rows.map((row) => [
      row.corridor as CorridorId,
      {
        corridor: row.corridor as CorridorId,
        baseUnits: BigInt(row.base_units),
        quoteUnits: BigInt(row.quote_units),
        openedAtMs: row.opened_at === null ? null : msOf(row.opened_at),
      },
    ]),
  )
}
