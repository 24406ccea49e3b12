import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import type { ChainAdapter } from '../chain/adapter.ts'
import { checkAddress } from '../chain/address.ts'
import type { Clocks } from '../clock/clock.ts'
import { utcDay } from '../clock/clock.ts'
import { dbNowMs } from '../cluster/db-time.ts'
import { holderAlive, NODE_TTL_MS } from '../cluster/nodes.ts'
import type { AssetCode } from '../config/assets.ts'
import type { CorridorId } from '../config/corridors.ts'
import type { Environment } from '../config/environment.ts'
import { PRICING } from '../config/pricing.ts'
import type { RiskConfig } from '../config/risk.ts'
import { fail, ok, type Result } from '../errors.ts'
import { recordEvent } from '../events/events.ts'
import { recordSettlementConfirmed, recordSettlementRefused } from '../events/execution-events.ts'
import { warnOnLimits } from '../events/limit-warnings.ts'
import { poolAccount, prefundedAccount, protocolAccount } from '../ledger/accounts.ts'
import {
  balanceOf,
  completeEntry,
  type EntryInput,
  openEntry,
  type Posting,
  postEntry,
  reverseEntry,
} from '../ledger/journal.ts'
import { parseDecimal } from '../money/decimal.ts'
import { type Ratio, r, ratio } from '../money/ratio.ts'
import { USD_MICROS } from '../money/usd-micros.ts'
import { effectiveLimits, pausedFailure } from '../partners/ramp-up.ts'
import { liveRampUp } from '../partners/ramp-up-store.ts'
import type { Authenticated } from '../partners/service.ts'
import { minorToUsd } from '../pools/model.ts'
import type { UsdRates } from '../pools/usd-rates.ts'
import { type Fill, fillAmounts } from '../pricing/fill.ts'
import { checkFill, checkQuote } from '../pricing/l9-execution.ts'
import type { RateSource } from '../pricing/model.ts'
import { recordRfqFilled, rfqPostings } from '../rfq/fill.ts'
import { rfqOf, type StoredRfq } from '../rfq/stored.ts'
import type { CorridorStates } from '../risk/engine.ts'
import { maxInternalSizeUsd } from '../risk/limits.ts'
import { movePosition } from '../risk/positions.ts'
import type { RiskState, Side } from '../risk/states.ts'
import { msOf } from '../store/columns.ts'
import { lockPartner } from '../store/locks.ts'
import type { RecordOutcome } from '../store/outcome.ts'
import type { Store, Tx } from '../store/store.ts'
import { type ExecutionRow, type ExecutionView, executionView } from './execution-view.ts'
import type { ActivePools } from './market.ts'
import { feeOverridesOf } from './partner-terms.ts'
import { assetsOf, decodeTerms, type QuoteTerms } from './terms.ts'
import { rateText } from './views.ts'
import { addExecutedVolume } from './volume.ts'

export type ExecuteInput = {
  readonly quoteId: string
  /** In the quote's source asset; absent means the whole quoted amount. */
  readonly amount: string | undefined
  readonly destinationAddress: string
  readonly clientRef: string | null
}

/** Issue 15: what GET /v1/executions filters by; `from` inclusive, `to` exclusive, on the execution's creation time. */
export type ExecutionFilter = {
  readonly status?: string
  readonly clientRef?: string
  readonly fromMs?: number
  readonly toMs?: number
}

export type ExecutionService = {
  /**
   * Books the swap, then settles it on chain. A settlement that cannot
   * finish now (the chain adapter fails) leaves the execution PENDING, which
   * is what the partner is told: the recovery worker settles it later.
   */
  execute(auth: Authenticated, input: ExecuteInput, record?: RecordOutcome): Promise<Result<ExecutionView>>
  get(auth: Authenticated, executionId: string): Promise<Result<ExecutionView>>
  list(
    auth: Authenticated,
    page: { cursor?: bigint; limit: number } & ExecutionFilter,
  ): Promise<{ items: ExecutionView[]; nextCursor: string | null }>
  /**
   * The recovery worker: claims executions left PENDING whose settling node
   * died or whose claim ran out, and drives them to SETTLED or FAILED.
   * Returns how many it settled.
   */
  recoverPending(environment: Environment, stillHeld: () => boolean): Promise<number>
}

/** How long the node that booked an execution has to settle it before recovery may [ours]. */
export const SETTLE_CLAIM_MS = 30_000
const RECOVERY_BATCH = 20

type Booked = { row: ExecutionRow; terms: QuoteTerms; destinationMinor: bigint; destination: AssetCode }

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

export function createExecutionService(deps: {
  store: Store
  chain: ChainAdapter
  clocks: Clocks
  states: CorridorStates
  pools: ActivePools
  /** Told after money moved in an environment (the risk engine re-evaluates, SPEC §6.2). */
  afterChange?: (environment: Environment) => void
  /**
   * Fiat per USD for a corridor's money paths (L9 max size, a part's fixed
   * fee): the oracle's current or last good mid, else ORACLE_STALE. By
   * default the Active pools' (`pools.moneyRates`, on the same oracle).
   */
  moneyRates?: (environment: Environment, corridor: CorridorId) => Result<UsdRates>
  riskConfig: RiskConfig
  /** Runs in the settling transaction: the fee held in escrow is distributed (SPEC §7.3). */
  onSettled?: (tx: Tx, execution: ExecutionRow, atMs: number) => Promise<void>
  /** This process's node id: it claims the executions it books (SPEC §15). */
  nodeId: string
  /** How long a node has to settle before recovery takes over; SETTLE_CLAIM_MS by default. */
  claimMs?: number
  /** Liveness window of a node (NODE_TTL_MS by default). */
  nodeTtlMs?: number
  log?: { warn(obj: object, msg: string): void }
}): ExecutionService {
  const { store, chain, clocks, states, pools } = deps
  const claimMs = deps.claimMs ?? SETTLE_CLAIM_MS
  const nodeTtlMs = deps.nodeTtlMs ?? NODE_TTL_MS
  const moneyRates = deps.moneyRates ?? pools.moneyRates
  const maxSizeNow = (
    tx: Tx,
    environment: Environment,
    terms: QuoteTerms,
    state: RiskState,
    rates: UsdRates,
  ) => maxSizeNowFor(tx, rates, deps.riskConfig, environment, terms, state)

  /**
   * L9 on the oracle's figures now (SPEC §4, §15), then the fill's amounts
   * (SPEC §5): money rates for the max size and a part's fixed fee (never a
   * hard-coded rate: ORACLE_STALE instead), and the mid now on the pairs the
   * quote was priced on, against the mid it was quoted at.
   */
  async function priceFill(
    tx: Tx,
    auth: Authenticated,
    terms: QuoteTerms,
    state: RiskState,
    fill: { amountMinor: bigint; sizeUsd: Ratio },
  ): Promise<Result<Fill>> {
    const { environment } = auth
    const rates = moneyRates(environment, terms.corridor)
    if (!rates.ok) return rates
    let mid: { quoted: Ratio; now: Ratio } | undefined
    if (terms.mid !== undefined) {
      const now = pools.midNow(environment, terms.corridor, terms.rateSource as RateSource)
      if (!now.ok) return now
      mid = { quoted: terms.mid, now: now.value }
    }
    const { source, destination } = assetsOf(terms)
    const refused = checkFill({
      corridor: terms.corridor,
      side: terms.side,
      amountMinor: fill.amountMinor,
      quotedMinor: terms.sourceMinor,
      sizeUsd: fill.sizeUsd,
      maxSizeUsd: await maxSizeNow(tx, environment, terms, state, rates.value),
      fiatPerUsd: rates.value.fiatPerUsd,
      mid,
      midToleranceBps: r(PRICING.executionMidToleranceBps),
    })
    if (refused !== undefined) return refused
    const amounts = fillAmounts({
      quote: { ...terms, source, destination },
      amountMinor: fill.amountMinor,
      sizeUsd: fill.sizeUsd,
      feeOverrides: feeOverridesOf(auth.partner),
      feeTierMultiplier: r(auth.partner.config.fee_tier_multiplier),
      fiatPerUsd: rates.value.fiatPerUsd,
    })
    if (amounts.netMinor <= 0n)
      return fail('BELOW_MIN_TRANSACTION_SIZE', 'the amount does not cover the fees', terms.corridor)
    return ok(amounts)
  }

  /** Step one, one transaction (SPEC §4 L9, §7.4): check the quote, book the swap, mark the quote executed. */
  function book(
    auth: Authenticated,
    input: ExecuteInput,
    address: string,
    record: RecordOutcome | undefined,
  ): Promise<Result<Booked>> {
    const { partner, environment } = auth
    return store.transaction(async (tx): Promise<Result<Booked>> => {
      await lockPartner(tx, partner.id)
      // SPEC §9: a live partner paused during its production ramp-up executes nothing until resumed.
      const paused = pausedFailure(await liveRampUp(tx, partner, environment))
      if (paused !== undefined) return paused
      const quote = await tx.kysely
        .selectFrom('quotes')
        .selectAll()
        .where('id', '=', input.quoteId)
        .where('partner_id', '=', partner.id)
        .where('environment', '=', environment)
        .$if(tx.dialect === 'postgres', (q) => q.forUpdate())
        .executeTakeFirst()
      if (quote === undefined) return fail('NOT_FOUND', 'no such quote')
      const terms = decodeTerms(quote.terms)
      // Issue 15: the quote's client_ref carries to its execution unless the execute call names its own.
      const clientRef = input.clientRef ?? quote.client_ref
      // Announced as quote.expired (src/events/quote-expiry.ts): never executed after, whatever this node's clock says.
      if (quote.status === 'EXPIRED') return fail('QUOTE_EXPIRED', 'this quote has expired', terms.corridor)
      const amountMinor = executedMinor(input, terms)
      if (!amountMinor.ok) return amountMinor
      const nowMs = clocks[environment].now()
      const view = states.view(environment, terms.corridor)
      const refused = checkQuote({
        quote: {
          corridor: terms.corridor,
          status: quote.status as 'OPEN' | 'EXECUTED',
          expiresAtMs: msOf(quote.expires_at),
          sourceMinor: terms.sourceMinor,
        },
        nowMs,
        view,
        side: terms.side,
        amountMinor: amountMinor.value,
      })
      if (refused !== undefined) return refused
      // Issue 11: an EXTERNAL_RFQ quote fills from its counterparties' prefunded balances, whole.
      const rfq = rfqOf(quote.terms)
      if (rfq !== undefined) {
        if (amountMinor.value !== terms.sourceMinor) {
          return fail('VALIDATION_ERROR', 'an EXTERNAL_RFQ quote executes whole', terms.corridor)
        }
        const row = await bookRfq(tx, auth, {
          quote,
          terms,
          rfq,
          address,
          input: { ...input, clientRef },
          nowMs,
        })
        if (!row.ok) return row
        await record?.(tx, { resource: `execution:${row.value.execution_id}` })
        return ok({
          row: row.value,
          terms,
          destinationMinor: BigInt(row.value.destination_amount),
          destination: terms.destinationAsset,
        })
      }
      // The volume limits counted the quote's USD size; a part counts its share of it (SPEC §9).
      const usdMicros = (quote.usd_micros * amountMinor.value) / terms.sourceMinor
      const priced = await priceFill(tx, auth, terms, view.state, {
        amountMinor: amountMinor.value,
        sizeUsd: ratio(quote.usd_micros * amountMinor.value, USD_MICROS * terms.sourceMinor),
      })
      if (!priced.ok) return priced
      const amounts = priced.value
      const executionId = randomUUID()
      const feeMinor = amounts.variableFeeMinor + amounts.fixedFeeMinor
      const entry: EntryInput = {
        environment,
        kind: 'swap',
        reference: executionId,
        postings: swapPostings(
          environment,
          partner.id,
          terms,
          amounts.sourceMinor,
          amounts.netMinor,
          feeMinor,
        ),
        memo: { quote_id: quote.id, destination_address: address },
        atMs: nowMs,
      }
      // The entry is opened now and its balances written last, with the corridor position: the rows
      // every swap of the corridor shares stay locked for the last few round trips only. A refusal
      // there rolls the whole booking back.
      const opened = await openEntry(tx, entry)
      if (!opened.ok) throw new Error(`swap entry refused: ${opened.reason}`)
      const row: ExecutionRow = {
        execution_id: executionId,
        environment,
        partner_id: partner.id,
        quote_id: quote.id,
        corridor: terms.corridor,
        side: terms.side,
        status: 'PENDING',
        source_amount: amounts.sourceMinor.toString(),
        destination_amount: amounts.netMinor.toString(),
        platform_fee: feeMinor.toString(),
        usd_micros: usdMicros,
        destination_address: address,
        tx_hash: null,
        entry_id: opened.entryId,
        claim_node: deps.nodeId,
        claim_until: null,
        failure_reason: null,
        details: JSON.stringify({
          source_asset: terms.sourceAsset,
          destination_asset: terms.destinationAsset,
          filled_rate: rateText(terms.rate),
          execution_path: 'DIRECT',
          state_flag: terms.stateFlag,
        }),
        client_ref: clientRef,
        created_at: BigInt(nowMs),
        settled_at: null,
      }
      await tx.kysely
        .insertInto('executions')
        .values({
          ...row,
          claim_node: deps.nodeId,
          claim_until: sql<bigint>`${dbNowMs(tx.dialect)} + ${claimMs}`,
        })
        .execute()
      await record?.(tx, { resource: `execution:${executionId}` })
      await addExecutedVolume(tx, volumeKey(row), row.usd_micros)
      // SPEC §10 partner.limit_warning at 80% and 100% of a limit, in the booking transaction.
      await warnOnLimits(tx, {
        ...volumeKey(row),
        // The limits in force: a live partner in its production ramp-up is warned at its ramped limits.
        limits: effectiveLimits(partner.config.limits, await liveRampUp(tx, partner, environment), nowMs),
        atMs: nowMs,
      })
      await tx.kysely.updateTable('quotes').set({ status: 'EXECUTED' }).where('id', '=', quote.id).execute()
      const posted = await completeEntry(tx, opened.entryId, entry)
      if (!posted.ok) {
        if (posted.reason !== 'insufficient_balance') throw new Error(`swap entry refused: ${posted.reason}`)
        return posted.accountId.includes(':partner:')
          ? fail('INSUFFICIENT_FUNDS', `the prefunded ${posted.asset} balance is too low`, terms.corridor)
          : fail(
              'INSUFFICIENT_LIQUIDITY',
              `the ${posted.asset} Active pool cannot pay this out now`,
              terms.corridor,
            )
      }
      await movePosition(
        tx,
        environment,
        terms.corridor,
        positionDelta(terms.side, amounts.sourceMinor, amounts.netMinor + feeMinor),
        nowMs,
      )
      return ok({ row, terms, destinationMinor: amounts.netMinor, destination: terms.destinationAsset })
    })
  }

  /**
   * Issue 11: one balanced entry moves every tranche between the taker's and
   * the counterparties' prefunded balances and sends the destination to the
   * chain; each counterparty is told by `rfq.filled`. The pools and the
   * corridor position are untouched: the counterparties carry the trade.
   */
  async function bookRfq(
    tx: Tx,
    auth: Authenticated,
    fill: {
      quote: { id: string; usd_micros: bigint }
      terms: QuoteTerms
      rfq: StoredRfq
      address: string
      input: ExecuteInput
      nowMs: number
    },
  ): Promise<Result<ExecutionRow>> {
    const { partner, environment } = auth
    const { terms, rfq, nowMs } = fill
    const executionId = randomUUID()
    const posted = await postEntry(tx, {
      environment,
      kind: 'swap',
      reference: executionId,
      postings: rfqPostings(environment, partner.id, terms.sourceAsset, terms.destinationAsset, rfq),
      memo: {
        quote_id: fill.quote.id,
        destination_address: fill.address,
        parent_order_id: rfq.parent_order_id,
      },
      atMs: nowMs,
    })
    if (!posted.ok) {
      if (posted.reason !== 'insufficient_balance')
        throw new Error(`RFQ fill entry refused: ${posted.reason}`)
      return posted.accountId.includes(`:partner:${partner.id}`)
        ? fail('INSUFFICIENT_FUNDS', `the prefunded ${posted.asset} balance is too low`, terms.corridor)
        : fail('NO_VIABLE_RFQ_QUOTE', 'a counterparty can no longer cover its quote', terms.corridor)
    }
    const row: ExecutionRow = {
      execution_id: executionId,
      environment,
      partner_id: partner.id,
      quote_id: fill.quote.id,
      corridor: terms.corridor,
      side: terms.side,
      status: 'PENDING',
      source_amount: terms.sourceMinor.toString(),
      destination_amount: terms.destinationMinor.toString(),
      platform_fee: '0',
      usd_micros: fill.quote.usd_micros,
      destination_address: fill.address,
      tx_hash: null,
      entry_id: posted.value.entryId,
      claim_node: deps.nodeId,
      claim_until: null,
      failure_reason: null,
      details: JSON.stringify({
        source_asset: terms.sourceAsset,
        destination_asset: terms.destinationAsset,
        filled_rate: rateText(terms.rate),
        execution_path: 'EXTERNAL_RFQ',
        state_flag: terms.stateFlag,
        parent_order_id: rfq.parent_order_id,
      }),
      client_ref: fill.input.clientRef,
      created_at: BigInt(nowMs),
      settled_at: null,
    }
    await tx.kysely
      .insertInto('executions')
      .values({ ...row, claim_until: sql<bigint>`${dbNowMs(tx.dialect)} + ${claimMs}` })
      .execute()
    await recordRfqFilled(tx, {
      environment,
      executionId,
      pair: terms.corridor,
      side: terms.side,
      source: terms.sourceAsset,
      destination: terms.destinationAsset,
      rfq,
      atMs: nowMs,
    })
    await addExecutedVolume(tx, volumeKey(row), row.usd_micros)
    await warnOnLimits(tx, {
      ...volumeKey(row),
      // The limits in force: a live partner in its production ramp-up is warned at its ramped limits.
      limits: effectiveLimits(partner.config.limits, await liveRampUp(tx, partner, environment), nowMs),
      atMs: nowMs,
    })
    await tx.kysely
      .updateTable('quotes')
      .set({ status: 'EXECUTED' })
      .where('id', '=', fill.quote.id)
      .execute()
    return ok(row)
  }

  /** Step two: the chain transfer, then SETTLED, or FAILED with the swap entry reversed. */
  async function settle(
    row: ExecutionRow,
    destination: AssetCode,
    destinationMinor: bigint,
  ): Promise<ExecutionRow> {
    const environment = row.environment as Environment
    const sent = await chain.send({
      environment,
      asset: destination,
      to: row.destination_address,
      amountMinor: destinationMinor,
      reference: row.execution_id,
    })
    const nowMs = clocks[environment].now()
    const settled = await store.transaction(async (tx) => {
      // Another node may have settled it meanwhile (recovery after a claim ran out): settle once.
      const current = await tx.kysely
        .selectFrom('executions')
        .selectAll()
        .where('execution_id', '=', row.execution_id)
        .$if(tx.dialect === 'postgres', (q) => q.forUpdate())
        .executeTakeFirstOrThrow()
      if (current.status !== 'PENDING') return current
      if (sent.ok) {
        await recordSettlementConfirmed(tx, row, sent.txHash, nowMs)
        const settledRow = await finish(tx, row, sent, nowMs)
        await deps.onSettled?.(tx, settledRow, nowMs)
        return settledRow
      }
      const reversed = await reverseEntry(tx, row.entry_id as bigint, sent.reason, nowMs)
      if (!reversed.ok) throw new Error(`could not reverse execution ${row.execution_id}: ${reversed.reason}`)
      await recordSettlementRefused(
        tx,
        row,
        { reason: sent.reason, reversalEntryId: reversed.value.entryId },
        nowMs,
      )
      await takeBackBooking(tx, row, nowMs)
      return finish(tx, row, sent, nowMs)
    })
    pools.invalidate(environment)
    deps.afterChange?.(environment)
    return settled
  }

  /** Claims a batch of abandoned PENDING executions for this node, in one statement per batch. */
  async function claimAbandoned(environment: Environment): Promise<ExecutionRow[]> {
    return store.transaction(async (tx) => {
      const now = dbNowMs(tx.dialect)
      const rows = await tx.kysely
        .selectFrom('executions')
        .selectAll()
        .where('environment', '=', environment)
        .where('status', '=', 'PENDING')
        .where((eb) =>
          eb.or([
            eb('claim_until', 'is', null),
            eb('claim_until', '<', now),
            eb.not(holderAlive(tx.dialect, eb.ref('claim_node'), nodeTtlMs, deps.nodeId)),
          ]),
        )
        .orderBy('id')
        .limit(RECOVERY_BATCH)
        .$if(tx.dialect === 'postgres', (q) => q.forUpdate().skipLocked())
        .execute()
      if (rows.length === 0) return []
      await tx.kysely
        .updateTable('executions')
        .set({ claim_node: deps.nodeId, claim_until: sql<bigint>`${now} + ${claimMs}` })
        .where(
          'execution_id',
          'in',
          rows.map((row) => row.execution_id),
        )
        .execute()
      return rows
    })
  }

  return {
    async execute(auth, input, record) {
      const address = checkAddress(input.destinationAddress)
      if (!address.ok) return fail('VALIDATION_ERROR', `destination_address ${address.reason}`)
      if (!UUID.test(input.quoteId)) return fail('NOT_FOUND', 'no such quote')
      const booked = await book(auth, input, address.address, record)
      if (!booked.ok) return booked
      pools.invalidate(auth.environment)
      deps.afterChange?.(auth.environment)
      try {
        const row = await settle(booked.value.row, booked.value.destination, booked.value.destinationMinor)
        return ok(executionView(row))
      } catch (error) {
        // The swap is booked: the partner hears PENDING, never a 5xx for work that committed.
        deps.log?.warn(
          { err: error, execution_id: booked.value.row.execution_id },
          'settlement deferred to recovery',
        )
        return ok(executionView(booked.value.row))
      }
    },

    async get(auth, executionId) {
      if (!UUID.test(executionId)) return fail('NOT_FOUND', 'no such execution')
      const row = await store.kysely
        .selectFrom('executions')
        .selectAll()
        .where('execution_id', '=', executionId)
        .where('partner_id', '=', auth.partner.id)
        .where('environment', '=', auth.environment)
        .executeTakeFirst()
      return row === undefined ? fail('NOT_FOUND', 'no such execution') : ok(executionView(row))
    },

    async list(auth, page) {
      const rows = await store.kysely
        .selectFrom('executions')
        .selectAll()
        .where('partner_id', '=', auth.partner.id)
        .where('environment', '=', auth.environment)
        .$if(page.cursor !== undefined, (q) => q.where('id', '<', page.cursor as bigint))
        .$if(page.status !== undefined, (q) => q.where('status', '=', page.status as string))
        .$if(page.clientRef !== undefined, (q) => q.where('client_ref', '=', page.clientRef as string))
        .$if(page.fromMs !== undefined, (q) => q.where('created_at', '>=', BigInt(page.fromMs as number)))
        .$if(page.toMs !== undefined, (q) => q.where('created_at', '<', BigInt(page.toMs as number)))
        .orderBy('id', 'desc')
        .limit(page.limit + 1)
        .execute()
      const items = rows.slice(0, page.limit)
      const last = items[items.length - 1]
      return {
        items: items.map(executionView),
        nextCursor: rows.length > page.limit && last ? last.id.toString() : null,
      }
    },

    async recoverPending(environment, stillHeld) {
      let settled = 0
      while (stillHeld()) {
        const claimed = await claimAbandoned(environment)
        for (const row of claimed) {
          const details = JSON.parse(row.details) as { destination_asset: AssetCode }
          await settle(row, details.destination_asset, BigInt(row.destination_amount))
          settled++
        }
        if (claimed.length < RECOVERY_BATCH) break
      }
      return settled
    },
  }
}

/**
 * What a swap leaves in its corridor's position: the source comes into the
 * pools, the gross destination (net plus fees) goes out. SELL pays BASE, so
 * BASE comes in; BUY pays QUOTE.
 */
export function positionDelta(side: Side, sourceMinor: bigint, grossMinor: bigint) {
  return side === 'SELL'
    ? { baseUnits: sourceMinor, quoteUnits: -grossMinor }
    : { baseUnits: -grossMinor, quoteUnits: sourceMinor }
}

/** SPEC §5 max internal size in the corridor's state now, on the destination Active pool as the ledger holds it. */
async function maxSizeNowFor(
  tx: Tx,
  rates: UsdRates,
  riskConfig: RiskConfig,
  environment: Environment,
  terms: QuoteTerms,
  state: RiskState,
): Promise<Ratio> {
  const balance = await balanceOf(tx, poolAccount(environment, terms.destinationAsset, 'ACTIVE'))
  return maxInternalSizeUsd(state, minorToUsd(balance, terms.destinationAsset, rates), riskConfig)
}

/** The amount to execute, in the quote's source asset: the request's, or the whole quoted amount. */
function executedMinor(input: ExecuteInput, terms: QuoteTerms): Result<bigint> {
  if (input.amount === undefined) return ok(terms.sourceMinor)
  const parsed = parseDecimal(input.amount, assetsOf(terms).source.decimals)
  return parsed.ok ? ok(parsed.minor) : fail('VALIDATION_ERROR', `amount ${parsed.reason}`, terms.corridor)
}

/** The daily volume row an execution counts in: the day it was booked, on its environment's clock. */
function volumeKey(row: ExecutionRow) {
  return {
    partnerId: row.partner_id,
    environment: row.environment as Environment,
    corridor: row.corridor,
    day: utcDay(Number(row.created_at)),
  }
}

/**
 * SPEC §7.4: a swap is one entry. Partner prefunded source → Active(source);
 * Active(destination) → the chain (the partner's address) for the net amount
 * and → the fee escrow for the fees, which settlement distributes (SPEC §7.3)
 * and a failure returns with everything else.
 */
function swapPostings(
  environment: Environment,
  partnerId: string,
  terms: QuoteTerms,
  sourceMinor: bigint,
  netMinor: bigint,
  feeMinor: bigint,
): Posting[] {
  const legs: Posting[] = [
    { account: prefundedAccount(environment, terms.sourceAsset, partnerId), amount: -sourceMinor },
    { account: poolAccount(environment, terms.sourceAsset, 'ACTIVE'), amount: sourceMinor },
    { account: poolAccount(environment, terms.destinationAsset, 'ACTIVE'), amount: -(netMinor + feeMinor) },
    { account: protocolAccount(environment, terms.destinationAsset, 'chain'), amount: netMinor },
    { account: protocolAccount(environment, terms.destinationAsset, 'fee_escrow'), amount: feeMinor },
  ]
  return legs.filter((leg) => leg.amount !== 0n)
}

/**
 * Ends a PENDING execution in the settling transaction, with its event
 * (SPEC §10): SETTLED with the chain's transaction hash, or FAILED with the
 * reason (its entry was reversed just before).
 */
async function finish(
  tx: Tx,
  row: ExecutionRow,
  outcome: { ok: true; txHash: string } | { ok: false; reason: string },
  nowMs: number,
): Promise<ExecutionRow> {
  const change = outcome.ok
    ? { status: 'SETTLED', tx_hash: outcome.txHash, settled_at: BigInt(nowMs) }
    : { status: 'FAILED', failure_reason: outcome.reason }
  const ended = { ...row, ...change }
  await tx.kysely
    .updateTable('executions')
    .set(change)
    .where('execution_id', '=', row.execution_id)
    .where('status', '=', 'PENDING')
    .execute()
  await recordEvent(tx, {
    environment: row.environment as Environment,
    partnerId: row.partner_id,
    type: outcome.ok ? 'execution.settled' : 'execution.failed',
    data: outcome.ok ? executionView(ended) : { ...executionView(ended), reason: outcome.reason },
    atMs: nowMs,
  })
  return ended
}

/**
 * What a reversed execution takes back besides its journal entry, in the
 * reversing transaction: its share of the partner's volume limits, and what
 * it moved in the corridor position (an EXTERNAL_RFQ fill moved none).
 */
export async function takeBackBooking(tx: Tx, row: ExecutionRow, atMs: number): Promise<void> {
  await addExecutedVolume(tx, volumeKey(row), -row.usd_micros)
  if (isRfqFill(row)) return
  const booked = positionDelta(
    row.side as Side,
    BigInt(row.source_amount),
    BigInt(row.destination_amount) + BigInt(row.platform_fee),
  )
  await movePosition(
    tx,
    row.environment as Environment,
    row.corridor as CorridorId,
    { baseUnits: -booked.baseUnits, quoteUnits: -booked.quoteUnits },
    atMs,
  )
}

export function isRfqFill(row: ExecutionRow): boolean {
  return (JSON.parse(row.details) as { execution_path?: string }).execution_path === 'EXTERNAL_RFQ'
}
