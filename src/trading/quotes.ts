import { randomUUID } from 'node:crypto'
import type { Clocks } from '../clock/clock.ts'
import type { AssetCode } from '../config/assets.ts'
import type { CorridorId } from '../config/corridors.ts'
import type { Environment } from '../config/environment.ts'
import { PRICING } from '../config/pricing.ts'
import type { RiskConfig } from '../config/risk.ts'
import { fail, ok, type Result } from '../errors.ts'
import type { Ratio } from '../money/ratio.ts'
import { usdMicros } from '../money/usd-micros.ts'
import type { OracleService } from '../oracle/service.ts'
import { effectiveLimits, pausedFailure } from '../partners/ramp-up.ts'
import { liveRampUp } from '../partners/ramp-up-store.ts'
import type { Authenticated } from '../partners/service.ts'
import { minorToUsd, poolTargetMinor } from '../pools/model.ts'
import { checkSize, takesExternalRfq } from '../pricing/l3-size.ts'
import { selectionOf } from '../pricing/l4-cross-leg.ts'
import { oracleMid } from '../pricing/l5-oracle.ts'
import { legsOf, type QuoteRequest } from '../pricing/model.ts'
import { type PartnerTerms, type QuoteOutcome, runQuotePipeline } from '../pricing/pipeline.ts'
import type { PoolLevel } from '../pricing/skew.ts'
import type { RfqService } from '../rfq/service.ts'
import { storedRfq, withRfq } from '../rfq/stored.ts'
import type { CorridorStates } from '../risk/engine.ts'
import { lockPartner } from '../store/locks.ts'
import type { RecordOutcome } from '../store/outcome.ts'
import type { Store, Tx } from '../store/store.ts'
import { type ActivePools, moneyMarketView } from './market.ts'
import { checkOpenQuoteCap } from './open-quotes.ts'
import { partnerTerms } from './partner-terms.ts'
import { encodeTerms, termsOf } from './terms.ts'
import {
  type FirmQuoteView,
  firmView,
  type IndicativeQuoteView,
  indicativeView,
  rfqFirmView,
  rfqQuoteOf,
} from './views.ts'
import { volumeUsage } from './volume.ts'

/** How long an indicative quote is reused when nothing else changed (SPEC §3: indicative, not executable). */
export const INDICATIVE_TTL_MS = 100
const INDICATIVE_MEMO_MAX = 10_000

export type QuoteService = {
  /** SPEC §3 GET /v1/quote: the short path, no reservation, nothing written. */
  indicative(auth: Authenticated, request: QuoteRequest): Promise<Result<IndicativeQuoteView>>
  /** SPEC §3 POST /v1/quote: a firm quote that reserves exposure and volume until it expires (45 s). */
  firm(
    auth: Authenticated,
    request: QuoteRequest,
    clientRef: string | null,
    record?: RecordOutcome,
  ): Promise<Result<FirmQuoteView>>
}

export function createQuoteService(deps: {
  store: Store
  oracle: OracleService
  pools: ActivePools
  states: CorridorStates
  clocks: Clocks
  riskConfig: RiskConfig
  /** SPEC §4 L8: a failed arbitrage check sends the corridor to RESTRICT. */
  onArbitrageFailure?: (environment: Environment, corridor: CorridorId, reason: string) => void
  /** Issue 11: the RFQ counterparties a firm quote above the max internal size goes to (L3 EXTERNAL_RFQ). */
  rfq?: RfqService
}): QuoteService {
  const { store, oracle, pools, states, clocks, riskConfig } = deps

  /**
   * Runs the pipeline on the corridor's money rates (SPEC §15: no hard-coded fallback on a money path):
   * sizes, tiers, minimums, fixed fees and the Active pool targets behind the skew are valued at the
   * oracle's current mids, or its last good ones at most 5 minutes old, else ORACLE_STALE.
   */
  function price(
    auth: Authenticated,
    request: QuoteRequest,
    terms: PartnerTerms,
    levels: ReadonlyMap<AssetCode, PoolLevel>,
  ): Result<QuoteOutcome> {
    const { environment } = auth
    const market = moneyMarketView(oracle, environment, request.corridor)
    if (!market.ok) return market
    const outcome = runQuotePipeline({
      request,
      partner: terms,
      market: market.value,
      activePool: (asset) => ({
        balance: levels.get(asset)?.balance ?? 0n,
        target: poolTargetMinor(asset, 'ACTIVE', market.value),
      }),
      stateView: states.view(environment, request.corridor),
      riskConfig,
    })
    if (!outcome.ok && outcome.code === 'ARB_CHECK_FAILED') {
      deps.onArbitrageFailure?.(environment, request.corridor, outcome.message)
    }
    return outcome
  }

  // Indicative quotes are recomputed only when an input moved: a new price, new pool balances, a changed
  // partner, or INDICATIVE_TTL_MS passing (prices age, and states follow the clock). Nothing is reserved.
  const memo = new Map<
    string,
    { atMs: number; version: number; levels: object; state: string; outcome: Result<QuoteOutcome> }
  >()

  const service: QuoteService = {
    async indicative(auth, request) {
      const { partner, environment } = auth
      const levels = await pools.levels(environment)
      const nowMs = clocks[environment].now()
      const version = oracle.version(environment)
      const key = `${environment}|${partner.id}|${partner.updatedAtMs}|${request.corridor}|${request.side}|${request.size.minor}`
      // The corridor's state (another node's override, say) invalidates as surely as a price does.
      const view = states.view(environment, request.corridor)
      const state = `${view.state}|${view.allowedDirections.join(',')}`
      let hit = memo.get(key)
      if (
        hit === undefined ||
        hit.version !== version ||
        hit.levels !== levels ||
        hit.state !== state ||
        nowMs - hit.atMs >= INDICATIVE_TTL_MS
      ) {
        if (memo.size >= INDICATIVE_MEMO_MAX) memo.clear()
        hit = {
          atMs: nowMs,
          version,
          levels,
          state,
          outcome: price(auth, request, partnerTerms(partner), levels),
        }
        memo.set(key, hit)
      }
      if (!hit.outcome.ok) return hit.outcome
      return ok(indicativeView(hit.outcome.value, nowMs))
    },

    async firm(auth, request, clientRef, record) {
      const { partner, environment } = auth
      // Read before the transaction: on SQLite the transaction holds the only connection.
      const levels = await pools.levels(environment)
      // One partner's firm quotes are serialised, so two at once cannot both fit under a limit meant for one.
      const direct = await store.transaction(async (tx): Promise<Result<FirmQuoteView>> => {
        await lockPartner(tx, partner.id)
        const nowMs = clocks[environment].now()
        const outcome = await gate(tx, auth, request, levels, nowMs)
        if (!outcome.ok) return outcome
        const quoteId = randomUUID()
        const expiresAtMs = nowMs + PRICING.firmQuoteTtlMs
        await insertQuote(tx, auth, request, {
          quoteId,
          sourceMinor: outcome.value.sourceMinor,
          sizeUsd: outcome.value.sizeUsd,
          terms: encodeTerms(termsOf(outcome.value)),
          clientRef,
          nowMs,
          expiresAtMs,
        })
        const view = firmView(quoteId, outcome.value, nowMs, expiresAtMs, clientRef)
        await record?.(tx, { status: 200, body: view })
        return ok(view)
      })
      if (direct.ok || deps.rfq === undefined) return direct
      // SPEC §9 RFQ access tier: a partner without RFQ access keeps the L3 refusal.
      if (auth.partner.config.rfq_access_tier === 'NONE') return direct
      // Issue 11, SPEC §4 L3: above the max internal size, the RFQ counterparties quote instead.
      const parties = await deps.rfq.counterparties(request.corridor)
      if (!takesExternalRfq(direct, parties.length)) return direct
      return externalRfq(deps.rfq, auth, request, levels, clientRef, record)
    },
  }

  /** SPEC §9 ramp-up, volume limits, the open-quote cap, then the pipeline: what a firm quote must pass. */
  async function gate(
    tx: Tx,
    auth: Authenticated,
    request: QuoteRequest,
    levels: ReadonlyMap<AssetCode, PoolLevel>,
    nowMs: number,
  ): Promise<Result<QuoteOutcome>> {
    const { partner, environment } = auth
    // SPEC §9 production ramp-up (live only): a paused partner gets no firm quote; the limits are ramped.
    const rampUp = await liveRampUp(tx, partner, environment)
    const paused = pausedFailure(rampUp)
    if (paused !== undefined) return paused
    const { usage, open } = await volumeUsage(tx, environment, partner.id, request.corridor, nowMs)
    const capped = checkOpenQuoteCap(open, PRICING.openFirmQuotesPerPartner, request.corridor)
    if (capped !== undefined) return capped
    return price(
      auth,
      request,
      {
        ...partnerTerms(partner),
        limits: { ...effectiveLimits(partner.config.limits, rampUp, nowMs), usage },
      },
      levels,
    )
  }

  async function insertQuote(
    tx: Tx,
    auth: Authenticated,
    request: QuoteRequest,
    quote: {
      quoteId: string
      sourceMinor: bigint
      sizeUsd: Ratio
      terms: string
      clientRef: string | null
      nowMs: number
      expiresAtMs: number
    },
  ): Promise<void> {
    await tx.kysely
      .insertInto('quotes')
      .values({
        id: quote.quoteId,
        environment: auth.environment,
        partner_id: auth.partner.id,
        corridor: request.corridor,
        side: request.side,
        status: 'OPEN',
        source_amount: quote.sourceMinor.toString(),
        usd_micros: usdMicros(quote.sizeUsd),
        terms: quote.terms,
        client_ref: quote.clientRef,
        created_at: BigInt(quote.nowMs),
        expires_at: BigInt(quote.expiresAtMs),
      })
      .execute()
  }

  /**
   * Issue 11 EXTERNAL_RFQ: the counterparties are asked outside any
   * transaction (a silent one holds no lock), then the gate runs again under
   * the partner's lock and the quote is stored with what its fill needs. It
   * expires no later than the earliest counterparty quote it rests on.
   */
  async function externalRfq(
    rfq: RfqService,
    auth: Authenticated,
    request: QuoteRequest,
    levels: ReadonlyMap<AssetCode, PoolLevel>,
    clientRef: string | null,
    record: RecordOutcome | undefined,
  ): Promise<Result<FirmQuoteView>> {
    const { partner, environment } = auth
    const market = moneyMarketView(oracle, environment, request.corridor)
    if (!market.ok) return market
    const mid = oracleMid(request.corridor, selectionOf(request.corridor, 'DIRECT'), market.value.reading)
    if (!mid.ok) return mid
    const { source, destination } = legsOf(request.corridor, request.side)
    const sizeUsd = minorToUsd(
      request.size.minor,
      (request.size.kind === 'source' ? source : destination).code,
      market.value,
    )
    const order = await rfq.request({
      environment,
      corridor: request.corridor,
      side: request.side,
      source,
      destination,
      size: request.size,
      sizeUsd,
      mid: mid.value,
      purpose: 'CLIENT_ORDER',
      nowMs: clocks[environment].now(),
    })
    if (!order.ok) return order
    return store.transaction(async (tx): Promise<Result<FirmQuoteView>> => {
      await lockPartner(tx, partner.id)
      const nowMs = clocks[environment].now()
      const again = await gate(tx, auth, request, levels, nowMs)
      if (!again.ok && again.code !== 'ABOVE_MAX_TRANSACTION_SIZE') return again
      const expiresAtMs = Math.min(nowMs + PRICING.firmQuoteTtlMs, order.value.expiresAtMs)
      if (expiresAtMs <= nowMs) {
        return fail(
          'NO_VIABLE_RFQ_QUOTE',
          'the counterparty quotes expired before they could be offered',
          request.corridor,
        )
      }
      const stateView = states.view(environment, request.corridor)
      const { maxSizeUsd } = checkSize({
        corridor: request.corridor,
        state: stateView.state,
        sizeUsd,
        destinationActiveUsd: minorToUsd(
          levels.get(destination.code)?.balance ?? 0n,
          destination.code,
          market.value,
        ),
        riskConfig,
      })
      const rfqView = rfqQuoteOf({
        corridor: request.corridor,
        side: request.side,
        source,
        destination,
        order: order.value,
        mid: mid.value,
        stateView,
        maxSizeUsd,
      })
      const quoteId = randomUUID()
      await insertQuote(tx, auth, request, {
        quoteId,
        sourceMinor: order.value.sourceMinor,
        sizeUsd,
        terms: withRfq(encodeTerms(rfqView.terms), storedRfq(order.value)),
        clientRef,
        nowMs,
        expiresAtMs,
      })
      const view = rfqFirmView(quoteId, rfqView, nowMs, expiresAtMs, clientRef)
      await record?.(tx, { status: 200, body: view })
      return ok(view)
    })
  }

  return service
}
