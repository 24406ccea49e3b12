import { ASSET_CODES, ASSETS, type AssetCode } from '../../config/assets.ts'
import type { Environment } from '../../config/environment.ts'
import { formatDecimal } from '../../money/decimal.ts'
import { add, formatRatio, mul, type Ratio, ratio, ZERO } from '../../money/ratio.ts'
import type { Reader, Tx } from '../../store/store.ts'
import {
  dayOf,
  ENTITIES,
  type Entity,
  fromWadFloor,
  isEntity,
  parseApy,
  splitByPercent,
  splitWithdrawal,
  toWad,
} from './model.ts'

/**
 * Issue 12 item 3, "bookings follow the ledger": every move into or out of
 * the Yield pool calls `enqueueYieldBooking` in the transaction that posts
 * it, so the booking at the venue is as durable as the move itself. The
 * booking queue (`earn_outbox`) is sent by a leased worker; a venue outage
 * delays bookings and loses none, and a reference books once (here and at
 * the venue).
 */
export type SplitPart = { readonly entity: Entity; readonly product_id: string; readonly pct: number }

/** Sandbox and a fresh live install: each asset half at each entity, in products named like the simulator's. */
export function defaultSplit(asset: AssetCode): SplitPart[] {
  const code = asset.toLowerCase()
  return [
    { entity: 'lending', product_id: `lend-${code}`, pct: 50 },
    { entity: 'defi', product_id: `defi-${code}`, pct: 50 },
  ]
}

/** A split is one or two parts at distinct entities, whole percentages summing to 100. */
export function validSplit(split: unknown): split is SplitPart[] {
  if (!Array.isArray(split) || split.length === 0 || split.length > ENTITIES.length) return false
  const seen = new Set<string>()
  let total = 0
  for (const part of split as Record<string, unknown>[]) {
    if (typeof part !== 'object' || part === null) return false
    if (!isEntity(part.entity) || seen.has(part.entity)) return false
    if (typeof part.product_id !== 'string' || part.product_id.length === 0 || part.product_id.length > 100)
      return false
    if (typeof part.pct !== 'number' || !Number.isInteger(part.pct) || part.pct < 0 || part.pct > 100)
      return false
    seen.add(part.entity)
    total += part.pct
  }
  return total === 100
}

export async function splitOf(tx: Reader, environment: Environment, asset: AssetCode): Promise<SplitPart[]> {
  const row = await tx.kysely
    .selectFrom('earn_splits')
    .select('split')
    .where('environment', '=', environment)
    .where('asset', '=', asset)
    .executeTakeFirst()
  if (row === undefined) return defaultSplit(asset)
  const parsed = JSON.parse(row.split) as unknown
  return validSplit(parsed) ? parsed : defaultSplit(asset)
}

export type YieldBooking = {
  readonly environment: Environment
  readonly asset: AssetCode
  /** Whose venue user books it: the class B LP partner's id. */
  readonly owner: string
  readonly kind: 'DEPOSIT' | 'WITHDRAWAL'
  readonly amountMinor: bigint
  /** Unique per Yield move; the venue booking references derive from it. */
  readonly reference: string
  /** e.g. `class_b_deposit`, `pending_fill`, `yield_withdrawal`. */
  readonly cause: string
  readonly atMs: number
}

async function position(
  tx: Tx,
  key: { environment: Environment; entity: Entity; owner: string; asset: AssetCode },
) {
  return tx.kysely
    .selectFrom('earn_positions')
    .selectAll()
    .where('environment', '=', key.environment)
    .where('entity', '=', key.entity)
    .where('owner', '=', key.owner)
    .where('asset', '=', key.asset)
    .$if(tx.dialect === 'postgres', (q) => q.forUpdate())
    .executeTakeFirst()
}

/** Adds (or, negative, takes) wad to an owner's position at an entity, in the caller's transaction. */
export async function movePosition(
  tx: Tx,
  key: { environment: Environment; entity: Entity; owner: string; asset: AssetCode; productId: string },
  deltaWad: bigint,
): Promise<void> {
  await tx.kysely
    .insertInto('earn_positions')
    .values({
      environment: key.environment,
      entity: key.entity,
      owner: key.owner,
      asset: key.asset,
      product_id: key.productId,
      amount_wad: '0',
    })
    .onConflict((oc) => oc.columns(['environment', 'entity', 'owner', 'asset']).doNothing())
    .execute()
  const row = await position(tx, key)
  await tx.kysely
    .updateTable('earn_positions')
    .set({ amount_wad: (BigInt(row?.amount_wad ?? '0') + deltaWad).toString() })
    .where('environment', '=', key.environment)
    .where('entity', '=', key.entity)
    .where('owner', '=', key.owner)
    .where('asset', '=', key.asset)
    .execute()
}

/**
 * Starts the daily cycle of an entity on its first booking at the venue: the
 * first report to fetch is that of the day the venue booked it.
 */
export async function ensureCycle(
  tx: Reader,
  environment: Environment,
  entity: Entity,
  atMs: number,
): Promise<void> {
  await tx.kysely
    .insertInto('earn_cycles')
    .values({ environment, entity, next_date: dayOf(atMs), last_attempt_at: null, last_error: null })
    .onConflict((oc) => oc.columns(['environment', 'entity']).doNothing())
    .execute()
}

/**
 * Queues the venue bookings of one Yield move, in the transaction that posts
 * it. A deposit is spread over the entities by the asset's split; a
 * withdrawal over where the owner's money is booked. Idempotent by
 * reference: a second call with the same reference queues nothing.
 */
export async function enqueueYieldBooking(tx: Tx, booking: YieldBooking): Promise<void> {
  if (booking.amountMinor <= 0n) return
  const { environment, asset, owner } = booking
  const seen = await tx.kysely
    .selectFrom('earn_outbox')
    .select('reference')
    .where(
      'reference',
      'in',
      ENTITIES.map((entity) => `${booking.reference}:${entity}`),
    )
    .executeTakeFirst()
  if (seen !== undefined) return
  const decimals = ASSETS[asset].decimals
  const split = await splitOf(tx, environment, asset)
  let parts: { entity: Entity; amount: bigint }[]
  let unplaced = 0n
  if (booking.kind === 'DEPOSIT') {
    parts = splitByPercent(
      booking.amountMinor,
      split.map((s) => ({ entity: s.entity, pct: BigInt(s.pct) })),
    )
  } else {
    const booked: { entity: Entity; balance: bigint }[] = []
    for (const entity of ENTITIES) {
      const row = await position(tx, { environment, entity, owner, asset })
      booked.push({ entity, balance: fromWadFloor(BigInt(row?.amount_wad ?? '0'), decimals).minor })
    }
    const spread = splitWithdrawal(booking.amountMinor, booked)
    parts = spread.parts
    unplaced = spread.unplaced
  }
  const last = await tx.kysely
    .selectFrom('earn_outbox')
    .select((eb) => eb.fn.max('seq').as('seq'))
    .where('environment', '=', environment)
    .executeTakeFirst()
  let seq = BigInt(last?.seq ?? 0) + 1n
  const productOf = async (entity: Entity): Promise<string> => {
    const fromSplit = split.find((s) => s.entity === entity)?.product_id
    if (fromSplit !== undefined) return fromSplit
    const held = await position(tx, { environment, entity, owner, asset })
    return held?.product_id ?? defaultSplit(asset).find((s) => s.entity === entity)?.product_id ?? ''
  }
  const rows: { entity: Entity; amount: bigint; status: string }[] = parts
    .filter((p) => p.amount > 0n)
    .map((p) => ({ ...p, status: 'PENDING' }))
  // What the LP's claim exceeds its bookings by (the index spreads interest over every class B holder)
  // is kept visible, never booked: the reconciliation shows it.
  if (unplaced > 0n)
    rows.push({ entity: split[0]?.entity ?? 'lending', amount: unplaced, status: 'UNPLACED' })
  for (const row of rows) {
    const productId = await productOf(row.entity)
    await tx.kysely
      .insertInto('earn_outbox')
      .values({
        reference: `${booking.reference}:${row.entity}${row.status === 'UNPLACED' ? ':unplaced' : ''}`,
        seq,
        environment,
        entity: row.entity,
        owner,
        asset,
        product_id: productId,
        kind: booking.kind,
        amount: row.amount.toString(),
        cause: booking.cause,
        status: row.status,
        attempts: 0n,
        next_attempt_at: BigInt(booking.atMs),
        venue_booking_id: null,
        booked_at: null,
        last_error: null,
        created_at: BigInt(booking.atMs),
        updated_at: BigInt(booking.atMs),
      })
      .execute()
    seq += 1n
    if (row.status !== 'PENDING') continue
    const wad = toWad(row.amount, decimals)
    await movePosition(
      tx,
      { environment, entity: row.entity, owner, asset, productId },
      booking.kind === 'DEPOSIT' ? wad : -wad,
    )
  }
}

export function isAsset(code: string): code is AssetCode {
  return (ASSET_CODES as readonly string[]).includes(code)
}

/**
 * Issue 12, `GET /v1/lp/pools`: per asset, the venue's APY for class B
 * Yield capital (each entity's product APY, as last synced, weighted by the
 * asset's split; null until the products are synced) and the yield earned
 * there so far (interest less losses booked from the reports).
 */
export async function withVenueYield<T extends { pools: { asset: AssetCode }[] }>(
  db: Reader,
  environment: Environment,
  report: T,
): Promise<T> {
  const products = await db.kysely
    .selectFrom('earn_products')
    .select(['entity', 'product_id', 'apy'])
    .where('environment', '=', environment)
    .execute()
  const balances = await db.kysely
    .selectFrom('earn_balances')
    .select(['asset', 'credited'])
    .where('environment', '=', environment)
    .execute()
  for (const pool of report.pools) {
    const split = await splitOf(db, environment, pool.asset)
    let apy: Ratio | null = ZERO
    for (const part of split) {
      const product = products.find((p) => p.entity === part.entity && p.product_id === part.product_id)
      const rate = product === undefined ? undefined : parseApy(product.apy)
      if (rate === undefined) {
        apy = null
        break
      }
      apy = add(apy, mul(rate, ratio(BigInt(part.pct), 100n)))
    }
    const earned = balances
      .filter((b) => b.asset === pool.asset)
      .reduce((sum, b) => sum + BigInt(b.credited), 0n)
    Object.assign(pool, {
      venue: {
        apy: apy === null ? null : formatRatio(apy, 18, 'floor'),
        earned: formatDecimal(earned, ASSETS[pool.asset].decimals),
        split,
      },
    })
  }
  return report
}

/**
 * A recall (SPEC §8 Reserve deficit escalation, step 1): Yield back into the
 * Reserve. Class B's part is booked as venue withdrawals, spread over the
 * class B LPs in proportion to what each has booked at the venue (rounded
 * down, the rest on the largest); the protocol's Yield capital is index dust
 * never booked at the venue, so its part books nothing.
 */
export async function enqueueYieldRecall(
  tx: Tx,
  recall: {
    environment: Environment
    asset: AssetCode
    owner: 'class_b' | 'protocol'
    minor: bigint
    reference: string
    atMs: number
  },
): Promise<void> {
  if (recall.owner !== 'class_b' || recall.minor <= 0n) return
  const { environment, asset } = recall
  const decimals = ASSETS[asset].decimals
  const rows = await tx.kysely
    .selectFrom('earn_positions')
    .select(['owner', 'amount_wad'])
    .where('environment', '=', environment)
    .where('asset', '=', asset)
    .execute()
  const byOwner = new Map<string, bigint>()
  for (const row of rows) {
    const minor = fromWadFloor(BigInt(row.amount_wad), decimals).minor
    if (minor > 0n) byOwner.set(row.owner, (byOwner.get(row.owner) ?? 0n) + minor)
  }
  const total = [...byOwner.values()].reduce((sum, v) => sum + v, 0n)
  if (total === 0n) return
  const wanted = recall.minor < total ? recall.minor : total
  const owners = [...byOwner.entries()].sort(([a, x], [b, y]) => (x > y ? -1 : x < y ? 1 : a < b ? -1 : 1))
  const parts = owners.map(([owner, held]) => ({ owner, held, amount: (wanted * held) / total }))
  let rest = wanted - parts.reduce((sum, p) => sum + p.amount, 0n)
  for (const part of parts) {
    const add = rest < part.held - part.amount ? rest : part.held - part.amount
    part.amount += add
    rest -= add
  }
  for (const part of parts)
    await enqueueYieldBooking(tx, {
      environment,
      asset,
      owner: part.owner,
      kind: 'WITHDRAWAL',
      amountMinor: part.amount,
      reference: `${recall.reference}:${part.owner}`,
      cause: 'yield_recall',
      atMs: recall.atMs,
    })
}
