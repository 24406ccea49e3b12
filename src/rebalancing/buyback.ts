import { randomUUID } from 'node:crypto'
import type { Clocks } from '../clock/clock.ts'
import { ASSET_BY_FIAT, type AssetCode } from '../config/assets.ts'
import { CORRIDORS, type CorridorId } from '../config/corridors.ts'
import type { Environment } from '../config/environment.ts'
import { fail, ok, type Result } from '../errors.ts'
import type { IssuerService } from '../issuers/service.ts'
import { poolAccount, prefundedAccount } from '../ledger/accounts.ts'
import { type Posting, postEntry } from '../ledger/journal.ts'
import { formatDecimal } from '../money/decimal.ts'
import { add, formatRatio, mul, type Ratio, ratio, scale, ZERO } from '../money/ratio.ts'
import { pow10 } from '../money/rounding.ts'
import { minorToUsd } from '../pools/model.ts'
import type { UsdRates } from '../pools/usd-rates.ts'
import { recordRfqFilled } from '../rfq/fill.ts'
import type { RfqOrder, RfqService } from '../rfq/service.ts'
import { storedRfq } from '../rfq/stored.ts'
import type { BatchClosesTable } from '../store/schema.ts'
import type { Store, Tx } from '../store/store.ts'
import { parseRatioText, ratioText } from './batch-model.ts'
import { closeAtRate, recordOf } from './batches.ts'
import {
  buybackOrder,
  type CloseMethod,
  type CloseTrigger,
  claimFifo,
  executedRate,
  type Phase2Config,
} from './phase2.ts'
import { corridorRate, type Direction } from './planner.ts'

/**
 * SPEC §8 Phase 2, the shell: a buy-back claims its batches in one
 * transaction, asks outside any transaction (the RFQ counterparties, or the
 * issuer), and books what came back in one more: the fill between the
 * Reserve and the counterparties' prefunded balances, each batch's closed
 * volume and realised PnL = volume × (R_executed − WAOP) (SPEC §8), the
 * claim released. A claim never outlives its buy-back: a node that died
 * mid-call leaves it to `releaseStaleCloses`.
 */

export type BuybackDeps = {
  readonly store: Store
  readonly clocks: Clocks
  readonly rfq: Pick<RfqService, 'request'>
  readonly issuers: Pick<IssuerService, 'requestRedeem'>
  /** The corridor's oracle mids (a stale one refuses to price a buy-back). */
  readonly corridorRates: (environment: Environment, corridor: CorridorId) => Result<UsdRates>
}

export type BuybackRequest = {
  readonly environment: Environment
  readonly corridor: CorridorId
  /** Only these batches (oldest first); all the corridor's open ones when absent. */
  readonly batchIds?: readonly string[]
  /** At most this much BASE; everything claimed when absent. */
  readonly volumeMinor?: bigint
  readonly method: CloseMethod
  readonly purpose: 'REBALANCE' | 'EMERGENCY'
  readonly trigger: CloseTrigger
  readonly actor?: string
}

export type CloseStatus = 'PENDING' | 'FILLED' | 'FAILED'

export type CloseView = {
  close_id: string
  environment: string
  corridor: string
  direction: string
  method: string
  purpose: string
  trigger: string
  status: CloseStatus
  volume_asset: string
  volume: string
  batches: { batch_id: string; volume: string }[]
  rate: string | null
  realised_pnl_usd: string | null
  reference: string | null
  error: string | null
  tranches: { counterparty: string; rate: string; volume: string }[]
  created_at: string
  updated_at: string
}

type CloseRow = BatchClosesTable

type Detail = {
  /** The oracle mid and the QUOTE fiat per USD the buy-back was priced at (an issuer completes later). */
  mid?: string
  quote_per_usd?: string
  error?: string
  tranches?: { counterparty: string; rate: string; volume: string }[]
}

type Claimed = { batch_id: string; volume: string }

const detailOf = (row: Pick<CloseRow, 'detail'>): Detail =>
  row.detail === null ? {} : (JSON.parse(row.detail) as Detail)

export function closeView(row: CloseRow): CloseView {
  const base = ASSET_BY_FIAT[CORRIDORS[row.corridor as CorridorId].base]
  const detail = detailOf(row)
  return {
    close_id: row.close_id,
    environment: row.environment,
    corridor: row.corridor,
    direction: row.direction,
    method: row.method,
    purpose: row.purpose,
    trigger: row.trigger,
    status: row.status as CloseStatus,
    volume_asset: base.code,
    volume: formatDecimal(BigInt(row.volume), base.decimals),
    batches: (JSON.parse(row.batches) as Claimed[]).map((b) => ({
      batch_id: b.batch_id,
      volume: formatDecimal(BigInt(b.volume), base.decimals),
    })),
    rate: row.rate === null ? null : formatRatio(parseRatioText(row.rate), 8, 'floor'),
    realised_pnl_usd:
      row.realised_pnl_usd === null ? null : formatRatio(parseRatioText(row.realised_pnl_usd), 2, 'floor'),
    reference: row.reference,
    error: detail.error ?? null,
    tranches: detail.tranches ?? [],
    created_at: new Date(Number(row.created_at)).toISOString(),
    updated_at: new Date(Number(row.updated_at)).toISOString(),
  }
}

/** Claims the batches of a buy-back, in one transaction; CONFLICT when the corridor has nothing free to buy back. */
async function claim(deps: BuybackDeps, request: BuybackRequest): Promise<Result<CloseRow>> {
  return deps.store.transaction(async (tx): Promise<Result<CloseRow>> => {
    const nowMs = deps.clocks[request.environment].now()
    const rows = await tx.kysely
      .selectFrom('rebalance_batches')
      .selectAll()
      .where('environment', '=', request.environment)
      .where('corridor', '=', request.corridor)
      .where('status', 'in', ['OPEN', 'SETTLED_INTERNALLY'])
      .where('closing_id', 'is', null)
      .$if(request.batchIds !== undefined, (q) => q.where('batch_id', 'in', request.batchIds as string[]))
      .orderBy('id')
      .$if(tx.dialect === 'postgres', (q) => q.forUpdate())
      .execute()
    const batches = rows.map(recordOf)
    const allocations = claimFifo(
      batches.map((b) => ({ batchId: b.batchId, openMinor: b.volumeMinor - b.closedMinor })),
      request.volumeMinor,
    )
    if (allocations.length === 0)
      return fail('CONFLICT', `${request.corridor} has no open batch to buy back`, request.corridor)
    const direction = (batches[0] as { direction: Direction }).direction
    const row: CloseRow = {
      close_id: randomUUID(),
      environment: request.environment,
      corridor: request.corridor,
      direction,
      method: request.method,
      purpose: request.purpose,
      trigger: request.trigger,
      status: 'PENDING',
      volume: allocations.reduce((sum, a) => sum + a.volumeMinor, 0n).toString(),
      batches: JSON.stringify(
        allocations.map((a) => ({ batch_id: a.batchId, volume: a.volumeMinor.toString() })),
      ),
      rate: null,
      realised_pnl_usd: null,
      reference: null,
      detail: null,
      entry_id: null,
      actor: request.actor ?? null,
      created_at: BigInt(nowMs),
      updated_at: BigInt(nowMs),
    }
    await tx.kysely.insertInto('batch_closes').values(row).execute()
    for (const a of allocations) {
      const batch = batches.find((b) => b.batchId === a.batchId)
      await tx.kysely
        .updateTable('rebalance_batches')
        // A batch being bought back takes no more fills: it is settled internally from now.
        .set({
          closing_id: row.close_id,
          status: 'SETTLED_INTERNALLY',
          settled_at: batch?.settledAtMs == null ? BigInt(nowMs) : BigInt(batch.settledAtMs),
          updated_at: BigInt(nowMs),
        })
        .where('batch_id', '=', a.batchId)
        .execute()
    }
    return ok(row)
  })
}

/** The close row under lock, only while it is still PENDING (a released claim is never booked). */
async function lockPending(tx: Tx, closeId: string): Promise<CloseRow | undefined> {
  const row = await tx.kysely
    .selectFrom('batch_closes')
    .selectAll()
    .where('close_id', '=', closeId)
    .$if(tx.dialect === 'postgres', (q) => q.forUpdate())
    .executeTakeFirst()
  return row?.status === 'PENDING' ? row : undefined
}

async function release(tx: Tx, closeId: string, atMs: number): Promise<void> {
  await tx.kysely
    .updateTable('rebalance_batches')
    .set({ closing_id: null, updated_at: BigInt(atMs) })
    .where('closing_id', '=', closeId)
    .execute()
}

async function failClose(tx: Tx, row: CloseRow, error: string, atMs: number): Promise<CloseRow> {
  const detail = JSON.stringify({ ...detailOf(row), error: error.slice(0, 300) })
  const updated = { status: 'FAILED', detail, updated_at: BigInt(atMs) }
  await tx.kysely.updateTable('batch_closes').set(updated).where('close_id', '=', row.close_id).execute()
  await release(tx, row.close_id, atMs)
  return { ...row, ...updated }
}

/** A buy-back that could not go on: FAILED with why, its batches free again. */
async function abandon(deps: BuybackDeps, row: CloseRow, error: string): Promise<CloseRow> {
  return deps.store.transaction(async (tx) => {
    const pending = await lockPending(tx, row.close_id)
    if (pending === undefined) return row
    return failClose(tx, pending, error, deps.clocks[row.environment as Environment].now())
  })
}

/**
 * Closes the claimed volume at R_executed, in the caller's transaction: each
 * batch's closed volume and realised PnL (SPEC §8, USD at `quotePerUsd`),
 * CLOSED when nothing is left, the claim released, the close FILLED.
 */
async function applyClose(
  tx: Tx,
  row: CloseRow,
  fill: {
    baseMinor: bigint
    quoteMinor: bigint
    quotePerUsd: Ratio
    entryId: bigint
    detail: Detail
    reference: string | null
    atMs: number
  },
): Promise<CloseRow> {
  const corridor = row.corridor as CorridorId
  const rate = executedRate(corridor, fill.baseMinor, fill.quoteMinor)
  const at = BigInt(fill.atMs)
  let total: Ratio = ZERO
  for (const claimed of JSON.parse(row.batches) as Claimed[]) {
    const batchRow = await tx.kysely
      .selectFrom('rebalance_batches')
      .selectAll()
      .where('batch_id', '=', claimed.batch_id)
      .$if(tx.dialect === 'postgres', (q) => q.forUpdate())
      .executeTakeFirstOrThrow()
    const part = await closeAtRate(
      tx,
      recordOf(batchRow),
      BigInt(claimed.volume),
      rate,
      fill.quotePerUsd,
      fill.atMs,
    )
    total = add(total, part.realisedPnlUsd)
  }
  const updated = {
    status: 'FILLED',
    rate: ratioText(rate),
    realised_pnl_usd: ratioText(total),
    entry_id: fill.entryId,
    reference: fill.reference ?? row.reference,
    detail: JSON.stringify({ ...detailOf(row), ...fill.detail }),
    updated_at: at,
  }
  await tx.kysely.updateTable('batch_closes').set(updated).where('close_id', '=', row.close_id).execute()
  return { ...row, ...updated }
}

/**
 * The RFQ fill, one journal entry per buy-back: for each tranche the Reserve
 * pays the source asset to the counterparty's prefunded balance and receives
 * the destination asset from it (issue 11: a fill is one entry between
 * prefunded balances; the Reserve is the taker, nothing goes on chain).
 */
export function buybackPostings(
  environment: Environment,
  source: AssetCode,
  destination: AssetCode,
  order: RfqOrder,
): Posting[] {
  return order.tranches.flatMap((t) => [
    { account: poolAccount(environment, source, 'RESERVE'), amount: -t.sourceMinor },
    { account: prefundedAccount(environment, source, t.counterpartyId), amount: t.sourceMinor },
    { account: prefundedAccount(environment, destination, t.counterpartyId), amount: -t.destinationMinor },
    { account: poolAccount(environment, destination, 'RESERVE'), amount: t.destinationMinor },
  ])
}

async function byRfq(deps: BuybackDeps, row: CloseRow, rates: UsdRates): Promise<CloseRow> {
  const environment = row.environment as Environment
  const corridor = row.corridor as CorridorId
  const direction = row.direction as Direction
  const volumeMinor = BigInt(row.volume)
  const order = buybackOrder(corridor, direction, volumeMinor)
  const baseCode = ASSET_BY_FIAT[CORRIDORS[corridor].base].code
  const answered = await deps.rfq.request({
    environment,
    corridor,
    ...order,
    sizeUsd: minorToUsd(volumeMinor, baseCode, rates),
    mid: corridorRate(corridor, rates),
    purpose: row.purpose as 'REBALANCE' | 'EMERGENCY',
    nowMs: deps.clocks[environment].now(),
  })
  if (!answered.ok) return abandon(deps, row, `${answered.code}: ${answered.message}`)
  const filled = answered.value
  return deps.store.transaction(async (tx) => {
    const nowMs = deps.clocks[environment].now()
    const pending = await lockPending(tx, row.close_id)
    if (pending === undefined) return row
    if (filled.expiresAtMs <= nowMs) return failClose(tx, pending, 'the counterparty quote expired', nowMs)
    const posted = await postEntry(tx, {
      environment,
      kind: 'rfq_buyback',
      reference: row.close_id,
      postings: buybackPostings(environment, order.source.code, order.destination.code, filled),
      memo: { corridor, direction, purpose: row.purpose, parent_order_id: filled.parentOrderId },
      atMs: nowMs,
    })
    if (!posted.ok) {
      const why =
        posted.reason === 'insufficient_balance'
          ? `${posted.asset} balance too low to settle the fill`
          : `fill refused: ${posted.reason}`
      return failClose(tx, pending, why, nowMs)
    }
    const long = direction === 'LONG_BASE'
    const rfq = storedRfq(filled)
    await recordRfqFilled(tx, {
      environment,
      executionId: row.close_id,
      pair: corridor,
      side: order.side,
      source: order.source.code,
      destination: order.destination.code,
      rfq,
      atMs: nowMs,
    })
    return applyClose(tx, pending, {
      baseMinor: long ? filled.sourceMinor : filled.destinationMinor,
      quoteMinor: long ? filled.destinationMinor : filled.sourceMinor,
      quotePerUsd: rates.fiatPerUsd(CORRIDORS[corridor].quote),
      entryId: posted.value.entryId,
      reference: filled.parentOrderId ?? filled.tranches[0]?.rfqId ?? null,
      detail: {
        mid: ratioText(corridorRate(corridor, rates)),
        tranches: filled.tranches.map((t) => ({
          counterparty: t.counterpartyId,
          rate: t.rateText,
          volume: formatDecimal(
            long ? t.sourceMinor : t.destinationMinor,
            order[long ? 'source' : 'destination'].decimals,
          ),
        })),
      },
      atMs: nowMs,
    })
  })
}

/**
 * A redemption at the oracle mid: the Reserve gives the issuer the asset the
 * batches left it holding too much of and is paid in the one it is short
 * of, rounded in the Reserve's favour. Completed by the issuer later
 * (`completeIssuerClose`).
 */
async function byIssuer(deps: BuybackDeps, row: CloseRow, rates: UsdRates): Promise<CloseRow> {
  const environment = row.environment as Environment
  const corridor = row.corridor as CorridorId
  const direction = row.direction as Direction
  const { base, quote } = CORRIDORS[corridor]
  const baseAsset = ASSET_BY_FIAT[base]
  const quoteAsset = ASSET_BY_FIAT[quote]
  const volumeMinor = BigInt(row.volume)
  const mid = corridorRate(corridor, rates)
  // V BASE at the mid, in QUOTE smallest units.
  const quoteAtMid = (roundUp: boolean) =>
    scale(
      volumeMinor,
      mul(mid, ratio(pow10(quoteAsset.decimals), pow10(baseAsset.decimals))),
      roundUp ? 'ceil' : 'floor',
    )
  const long = direction === 'LONG_BASE'
  const redeem = long
    ? {
        asset: baseAsset.code,
        amountMinor: volumeMinor,
        payWith: { asset: quoteAsset.code, amountMinor: quoteAtMid(true) },
      }
    : {
        asset: quoteAsset.code,
        amountMinor: quoteAtMid(false),
        payWith: { asset: baseAsset.code, amountMinor: volumeMinor },
      }
  const detail: Detail = { mid: ratioText(mid), quote_per_usd: ratioText(rates.fiatPerUsd(quote)) }
  // The request id is the close's reference before the issuer hears of it: a completion may come back at once.
  const reference = randomUUID()
  await deps.store.kysely
    .updateTable('batch_closes')
    .set({ detail: JSON.stringify(detail), reference })
    .where('close_id', '=', row.close_id)
    .execute()
  const withDetail = { ...row, detail: JSON.stringify(detail), reference }
  const requested = await deps.issuers.requestRedeem({
    environment,
    ...redeem,
    purpose: row.purpose === 'EMERGENCY' ? 'EMERGENCY' : 'DEFICIT_RECOVERY',
    requestId: reference,
  })
  if (!requested.ok) return abandon(deps, withDetail, `${requested.code}: ${requested.message}`)
  if (requested.value.status === 'FAILED')
    return abandon(deps, withDetail, `issuer redemption failed: ${requested.value.error ?? 'no reason'}`)
  // Completed already (a fast issuer): read back what the completion booked.
  const now = await deps.store.kysely
    .selectFrom('batch_closes')
    .selectAll()
    .where('close_id', '=', row.close_id)
    .executeTakeFirstOrThrow()
  return now
}

/** One buy-back: claim, ask, book. The result is the close as recorded (FILLED, PENDING at an issuer, or FAILED). */
export async function buyBack(deps: BuybackDeps, request: BuybackRequest): Promise<Result<CloseView>> {
  const claimed = await claim(deps, request)
  if (!claimed.ok) return claimed
  const row = claimed.value
  const rates = deps.corridorRates(request.environment, request.corridor)
  if (!rates.ok) return ok(closeView(await abandon(deps, row, `${rates.code}: ${rates.message}`)))
  const done =
    request.method === 'RFQ' ? await byRfq(deps, row, rates.value) : await byIssuer(deps, row, rates.value)
  return ok(closeView(done))
}

/**
 * The issuer completed a redemption (`POST /v1/issuer/redeems/{id}/complete`),
 * in its booking transaction: the buy-back it belongs to closes its batches
 * at the redemption's own rate. Nothing when the request was no buy-back, or
 * its claim was given up.
 */
export async function completeIssuerClose(
  tx: Tx,
  request: {
    readonly id: string
    readonly asset: string
    readonly amount: string
    readonly pay_asset: string
    readonly pay_amount: string
  },
  entryId: bigint,
  atMs: number,
): Promise<void> {
  const found = await tx.kysely
    .selectFrom('batch_closes')
    .select('close_id')
    .where('reference', '=', request.id)
    .where('method', '=', 'ISSUER_REDEEM')
    .executeTakeFirst()
  if (found === undefined) return
  const row = await lockPending(tx, found.close_id)
  if (row === undefined) return
  const corridor = row.corridor as CorridorId
  const baseCode = ASSET_BY_FIAT[CORRIDORS[corridor].base].code
  const redeemedBase = request.asset === baseCode
  const detail = detailOf(row)
  await applyClose(tx, row, {
    baseMinor: BigInt(redeemedBase ? request.amount : request.pay_amount),
    quoteMinor: BigInt(redeemedBase ? request.pay_amount : request.amount),
    quotePerUsd: parseRatioText(detail.quote_per_usd as string),
    entryId,
    reference: request.id,
    detail: {},
    atMs,
  })
}

/**
 * Claims that outlived their buy-back: an RFQ whose node died mid-call
 * (older than `rfqClaimMs`), an issuer redemption that failed or was never
 * completed in `issuerClaimMs`. Each is FAILED with why and its batches freed.
 */
export async function releaseStaleCloses(
  deps: Pick<BuybackDeps, 'store' | 'clocks'>,
  environment: Environment,
  config: Phase2Config,
): Promise<number> {
  const nowMs = deps.clocks[environment].now()
  const pending = await deps.store.kysely
    .selectFrom('batch_closes')
    .selectAll()
    .where('environment', '=', environment)
    .where('status', '=', 'PENDING')
    .execute()
  let released = 0
  for (const row of pending) {
    const age = nowMs - Number(row.created_at)
    let why: string | undefined
    if (row.method === 'RFQ' && age > config.rfqClaimMs) why = 'abandoned: the RFQ never came back'
    if (row.method === 'ISSUER_REDEEM') {
      const request =
        row.reference === null
          ? undefined
          : await deps.store.kysely
              .selectFrom('issuer_requests')
              .select(['status', 'error'])
              .where('id', '=', row.reference)
              .executeTakeFirst()
      if (request?.status === 'FAILED') why = `issuer redemption failed: ${request.error ?? 'no reason'}`
      else if (age > config.issuerClaimMs) why = 'the issuer did not complete the redemption in time'
      else if (request === undefined && age > config.rfqClaimMs) why = 'abandoned before the issuer was asked'
    }
    if (why === undefined) continue
    await deps.store.transaction(async (tx) => {
      const locked = await lockPending(tx, row.close_id)
      if (locked !== undefined) await failClose(tx, locked, why as string, nowMs)
    })
    released++
  }
  return released
}

/** Buy-backs newest first (the operator's view). */
export async function listCloses(
  store: Store,
  query: { environment: Environment; corridor?: CorridorId; limit: number },
): Promise<CloseView[]> {
  const rows = await store.kysely
    .selectFrom('batch_closes')
    .selectAll()
    .where('environment', '=', query.environment)
    .$if(query.corridor !== undefined, (q) => q.where('corridor', '=', query.corridor as CorridorId))
    .orderBy('created_at', 'desc')
    .orderBy('close_id')
    .limit(query.limit)
    .execute()
  return rows.map(closeView)
}

/** The last emergency RFQ of an environment, for `risk-status.last_emergency_rfq` (SPEC §13). */
export async function lastEmergencyRfq(store: Store, environment: Environment): Promise<CloseView | null> {
  const row = await store.kysely
    .selectFrom('batch_closes')
    .selectAll()
    .where('environment', '=', environment)
    .where('purpose', '=', 'EMERGENCY')
    .orderBy('created_at', 'desc')
    .limit(1)
    .executeTakeFirst()
  return row === undefined ? null : closeView(row)
}
