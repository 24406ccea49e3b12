import { randomUUID } from 'node:crypto'
import { ASSET_BY_FIAT, type AssetConfig } from '../config/assets.ts'
import { CORRIDORS, type CorridorId } from '../config/corridors.ts'
import type { Environment } from '../config/environment.ts'
import { DEFAULT_REBALANCING_CONFIG } from '../config/rebalancing.ts'
import { recordEvent } from '../events/events.ts'
import { type AccountKey, accountId, poolAccount } from '../ledger/accounts.ts'
import { type Posting, postEntry } from '../ledger/journal.ts'
import { formatDecimal } from '../money/decimal.ts'
import { formatRatio, type Ratio } from '../money/ratio.ts'
import type { UsdRates } from '../pools/usd-rates.ts'
import { movePosition } from '../risk/positions.ts'
import type { Tx } from '../store/store.ts'
import { ratioText } from './batch-model.ts'
import { type BookedMovement, bookMovement } from './batches.ts'
import { type Direction, type Legs, rebalanceLegs, type Trigger } from './planner.ts'

/** The four pool accounts a corridor's rebalance moves between: the protocol's Reserve and the Active pools. */
export function rebalanceAccounts(environment: Environment, corridor: CorridorId) {
  const { base, quote } = CORRIDORS[corridor]
  const baseCode = ASSET_BY_FIAT[base].code
  const quoteCode = ASSET_BY_FIAT[quote].code
  return {
    activeBase: poolAccount(environment, baseCode, 'ACTIVE'),
    activeQuote: poolAccount(environment, quoteCode, 'ACTIVE'),
    // The protocol's own Reserve capital (SPEC §15): LP capital lives in accounts of its own and never moves here.
    reserveBase: poolAccount(environment, baseCode, 'RESERVE'),
    reserveQuote: poolAccount(environment, quoteCode, 'RESERVE'),
  }
}

export type RebalanceBalances = {
  readonly activeBase: bigint
  readonly activeQuote: bigint
  readonly reserveBase: bigint
  readonly reserveQuote: bigint
}

/**
 * Reads the four balances, their rows locked until commit on PostgreSQL, in
 * account id order as `postEntry` locks them: the same order as every other
 * writer, and before the corridor's position row, as an execution does.
 */
export async function lockRebalanceBalances(
  tx: Tx,
  environment: Environment,
  corridor: CorridorId,
): Promise<RebalanceBalances> {
  const accounts = rebalanceAccounts(environment, corridor)
  const rows = await tx.kysely
    .selectFrom('ledger_accounts')
    .select(['id', 'balance'])
    .where(
      'id',
      'in',
      Object.values(accounts).map((key) => accountId(key)),
    )
    .orderBy('id')
    .$if(tx.dialect === 'postgres', (q) => q.forUpdate())
    .execute()
  const balances = new Map(rows.map((row) => [row.id, BigInt(row.balance)]))
  const of = (key: AccountKey) => balances.get(accountId(key)) ?? 0n
  return {
    activeBase: of(accounts.activeBase),
    activeQuote: of(accounts.activeQuote),
    reserveBase: of(accounts.reserveBase),
    reserveQuote: of(accounts.reserveQuote),
  }
}

export type RebalanceRequest = {
  readonly environment: Environment
  readonly corridor: CorridorId
  readonly direction: Direction
  readonly amountUsd: Ratio
  /** Fiat per USD at the oracle mids (`oracle.moneyRates`): the rebalance moves at these. */
  readonly rates: UsdRates
  readonly atMs: number
  readonly trigger: Trigger
  readonly emergency: boolean
  /** The planner already asked for less than the deviation wanted. */
  readonly partial?: boolean
  readonly deviationUsd?: Ratio
  /** How long a batch takes fills (SPEC §8 "hourly" by default). */
  readonly batchOpenMs?: number
  /** Unique per movement; a random one by default. */
  readonly rebalanceId?: string
}

export type SettledRebalance = {
  readonly rebalanceId: string
  readonly entryId: bigint
  readonly corridor: CorridorId
  readonly direction: Direction
  readonly legs: Legs
  readonly partial: boolean
  readonly batches: BookedMovement
  readonly eventId: string
}

export type RebalanceRefusal =
  | { readonly ok: false; readonly reason: 'NOTHING_TO_MOVE'; readonly message: string }
  | { readonly ok: false; readonly reason: 'DUPLICATE_REBALANCE'; readonly message: string }

/** Legs of one movement: Active gives the position up to the Reserve, the Reserve refills Active. */
function postingsOf(
  environment: Environment,
  corridor: CorridorId,
  direction: Direction,
  legs: Legs,
): Posting[] {
  const a = rebalanceAccounts(environment, corridor)
  const sign = direction === 'LONG_BASE' ? 1n : -1n
  return [
    { account: a.activeBase, amount: -sign * legs.baseMinor },
    { account: a.reserveBase, amount: sign * legs.baseMinor },
    { account: a.reserveQuote, amount: -sign * legs.quoteMinor },
    { account: a.activeQuote, amount: sign * legs.quoteMinor },
  ]
}

/**
 * SPEC §8 Phase 1 `settleRebalance`, in the caller's transaction: one
 * journal entry swapping BASE and QUOTE between the protocol Reserve and the
 * Active pools at the oracle mid (QUOTE rounded in the Active pools' favour),
 * the corridor's position moved out of Active into the Reserve's batches
 * (netting opposite batches first in, first out), the movement recorded, and
 * a `rebalance.executed` event (SPEC §10). Never moves more than the
 * protocol Reserve (or the Active pool giving the position up) holds: a
 * smaller movement is `partial`; nothing at all is NOTHING_TO_MOVE.
 */
export async function settleRebalance(
  tx: Tx,
  request: RebalanceRequest,
): Promise<{ readonly ok: true; readonly value: SettledRebalance } | RebalanceRefusal> {
  const { environment, corridor, direction, atMs } = request
  const balances = await lockRebalanceBalances(tx, environment, corridor)
  const long = direction === 'LONG_BASE'
  const legs = rebalanceLegs({
    corridor,
    direction,
    amountUsd: request.amountUsd,
    rates: request.rates,
    available: long
      ? { baseMinor: balances.activeBase, quoteMinor: balances.reserveQuote }
      : { baseMinor: balances.reserveBase, quoteMinor: balances.activeQuote },
  })
  if (legs === undefined) {
    return {
      ok: false,
      reason: 'NOTHING_TO_MOVE',
      message: `${corridor}: nothing can move at these balances`,
    }
  }
  const rebalanceId = request.rebalanceId ?? randomUUID()
  const partial = (request.partial ?? false) || legs.capped
  const posted = await postEntry(tx, {
    environment,
    kind: 'rebalance',
    reference: rebalanceId,
    postings: postingsOf(environment, corridor, direction, legs),
    memo: { corridor, direction, trigger: request.trigger, rate: ratioText(legs.rate) },
    atMs,
  })
  if (!posted.ok) {
    if (posted.reason === 'duplicate_reference')
      return {
        ok: false,
        reason: 'DUPLICATE_REBALANCE',
        message: `rebalance ${rebalanceId} was booked before`,
      }
    // The balances were read under lock and the legs fit them: a refusal here is a bug.
    throw new Error(`rebalance entry refused: ${posted.reason}`)
  }
  await movePosition(
    tx,
    environment,
    corridor,
    long
      ? { baseUnits: -legs.baseMinor, quoteUnits: legs.quoteMinor }
      : { baseUnits: legs.baseMinor, quoteUnits: -legs.quoteMinor },
    atMs,
    true,
  )
  const quotePerUsd = request.rates.fiatPerUsd(CORRIDORS[corridor].quote)
  const batches = await bookMovement(tx, {
    environment,
    corridor,
    direction,
    volumeMinor: legs.baseMinor,
    rate: legs.rate,
    quotePerUsd,
    rebalanceId,
    atMs,
    batchOpenMs: request.batchOpenMs ?? DEFAULT_REBALANCING_CONFIG.batchOpenMs,
  })
  await tx.kysely
    .insertInto('rebalances')
    .values({
      rebalance_id: rebalanceId,
      environment,
      corridor,
      direction,
      trigger: request.trigger,
      emergency: request.emergency ? 1n : 0n,
      partial: partial ? 1n : 0n,
      base_amount: legs.baseMinor.toString(),
      quote_amount: legs.quoteMinor.toString(),
      rate: ratioText(legs.rate),
      deviation_usd: request.deviationUsd === undefined ? null : ratioText(request.deviationUsd),
      entry_id: posted.value.entryId,
      created_at: BigInt(atMs),
    })
    .execute()
  const settled = { rebalanceId, corridor, direction, legs, partial, batches }
  const eventId = await recordEvent(tx, {
    environment,
    partnerId: null,
    type: 'rebalance.executed',
    data: eventData(settled, request),
    atMs,
  })
  return { ok: true, value: { ...settled, entryId: posted.value.entryId, eventId } }
}

const usd = (value: Ratio) => formatRatio(value, 2, 'floor')

/** The `rebalance.executed` event's data (SPEC §10): what moved where, at what rate, and what it did to the batches. */
function eventData(
  settled: Omit<SettledRebalance, 'entryId' | 'eventId'>,
  request: RebalanceRequest,
): Record<string, unknown> {
  const { base, quote } = CORRIDORS[settled.corridor]
  const baseAsset: AssetConfig = ASSET_BY_FIAT[base]
  const quoteAsset: AssetConfig = ASSET_BY_FIAT[quote]
  const long = settled.direction === 'LONG_BASE'
  return {
    rebalance_id: settled.rebalanceId,
    corridor: settled.corridor,
    direction: settled.direction,
    trigger: request.trigger,
    emergency: request.emergency,
    partial: settled.partial,
    rate: formatRatio(settled.legs.rate, 8, 'floor'),
    deviation_usd: request.deviationUsd === undefined ? null : usd(request.deviationUsd),
    amount_usd: usd(request.amountUsd),
    moved: [
      {
        asset: baseAsset.code,
        amount: formatDecimal(settled.legs.baseMinor, baseAsset.decimals),
        from: long ? 'ACTIVE' : 'RESERVE',
        to: long ? 'RESERVE' : 'ACTIVE',
      },
      {
        asset: quoteAsset.code,
        amount: formatDecimal(settled.legs.quoteMinor, quoteAsset.decimals),
        from: long ? 'RESERVE' : 'ACTIVE',
        to: long ? 'ACTIVE' : 'RESERVE',
      },
    ],
    netted: settled.batches.netted.map((part) => ({
      batch_id: part.batchId,
      volume: formatDecimal(part.volumeMinor, baseAsset.decimals),
      realised_pnl_usd: usd(part.realisedPnlUsd),
      closed: part.closed,
    })),
    filled:
      settled.batches.filled === undefined
        ? null
        : {
            batch_id: settled.batches.filled.batchId,
            volume: formatDecimal(settled.batches.filled.volumeMinor, baseAsset.decimals),
            opened: settled.batches.filled.opened,
          },
  }
}
