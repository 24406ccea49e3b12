import type { AssetConfig } from '../config/assets.ts'
import { abs, cmp, mul, type Ratio, ratio, sub, toInteger } from '../money/ratio.ts'
import type { Side } from '../risk/states.ts'

/**
 * The RFQ core (issue 11, SPEC §4 L3 EXTERNAL_RFQ): pure functions of the
 * answers the shell collected. Which answer is acceptable, which is best for
 * the taker, how an order is cut into tranches, and what a rate converts to.
 */

export type RfqPurpose = 'CLIENT_ORDER' | 'REBALANCE' | 'EMERGENCY'

/** What stablefx POSTs to a counterparty's `rfq_url` (issue 11 "Contracts"). */
export type RfqRequestBody = {
  readonly rfq_id: string
  readonly environment: string
  readonly pair: string
  /** SPEC §1, from the taker's view. */
  readonly side: Side
  readonly amount: string
  readonly amount_currency: string
  readonly purpose: RfqPurpose
  readonly parent_order_id?: string
  readonly tranche_id?: string
  readonly respond_by: string
}

/** SPEC §4 L3: an RFQ answer is taken only within 50 bps of the oracle mid. */
export const RFQ_BAND_BPS = 50n

/** One counterparty's reply as the transport saw it. */
export type RawAnswer = {
  readonly counterpartyId: string
  /** The HTTP status, or null when nothing came back (timeout, refused connection). */
  readonly statusCode: number | null
  readonly body: string
  /** When the answer arrived, on the environment's clock. */
  readonly arrivedAtMs: number
}

/** An answer that may be filled: a firm rate until `expiresAtMs`. */
export type Accepted = {
  readonly counterpartyId: string
  readonly quoteId: string
  /** QUOTE per BASE, exactly as the counterparty wrote it. */
  readonly rate: Ratio
  readonly rateText: string
  readonly expiresAtMs: number
  readonly arrivedAtMs: number
  /** What the taker pays and receives at this rate, in smallest units. */
  readonly sourceMinor: bigint
  readonly destinationMinor: bigint
}

export type Skipped = { readonly counterpartyId: string; readonly reason: string }

export type SelectionInput = {
  readonly rfqId: string
  readonly side: Side
  /** The oracle mid, QUOTE per BASE. */
  readonly mid: Ratio
  readonly nowMs: number
  readonly respondByMs: number
  readonly answers: readonly RawAnswer[]
  /** The taker's amounts at a rate (the request fixes one side, the rate gives the other). */
  readonly amountsAt: (rate: Ratio) => { sourceMinor: bigint; destinationMinor: bigint }
  /** What each counterparty holds of the destination asset, net of what it already won in this order. */
  readonly available: (counterpartyId: string) => bigint
  /** SPEC §9 RFQ access tier: at equal rates the higher wins (then the earliest answer); 0 for all by default. */
  readonly priority?: (counterpartyId: string) => number
}

const RATE_TEXT = /^(?:0|[1-9][0-9]{0,17})(?:\.[0-9]{1,18})?$/

/** Reads one answer: `200 {rfq_id, quote_id, rate, expires_at}`; a 204 or anything else is no quote. */
export function parseAnswer(
  raw: RawAnswer,
  rfqId: string,
  nowMs: number,
):
  | { ok: true; quoteId: string; rate: Ratio; rateText: string; expiresAtMs: number }
  | { ok: false; reason: string } {
  if (raw.statusCode === null) return { ok: false, reason: 'no answer in time' }
  if (raw.statusCode === 204) return { ok: false, reason: 'declined' }
  if (raw.statusCode !== 200) return { ok: false, reason: `HTTP ${raw.statusCode}` }
  let body: unknown
  try {
    body = JSON.parse(raw.body)
  } catch {
    return { ok: false, reason: 'malformed answer' }
  }
  if (typeof body !== 'object' || body === null) return { ok: false, reason: 'malformed answer' }
  const { rfq_id, quote_id, rate, expires_at } = body as Record<string, unknown>
  if (rfq_id !== rfqId) return { ok: false, reason: 'answer for another rfq_id' }
  if (typeof quote_id !== 'string' || quote_id.length === 0 || quote_id.length > 200)
    return { ok: false, reason: 'malformed quote_id' }
  if (typeof rate !== 'string' || !RATE_TEXT.test(rate)) return { ok: false, reason: 'malformed rate' }
  const [whole, fraction = ''] = rate.split('.')
  const parsed = ratio(BigInt(`${whole}${fraction}`), 10n ** BigInt(fraction.length))
  if (parsed.num === 0n) return { ok: false, reason: 'zero rate' }
  const expiresAtMs = typeof expires_at === 'string' ? Date.parse(expires_at) : Number.NaN
  if (!Number.isFinite(expiresAtMs)) return { ok: false, reason: 'malformed expires_at' }
  if (expiresAtMs <= nowMs) return { ok: false, reason: 'already expired' }
  return { ok: true, quoteId: quote_id, rate: parsed, rateText: rate, expiresAtMs }
}

/** SPEC §4 L3: |rate − mid| ≤ 50 bps of mid. */
export function withinBand(rate: Ratio, mid: Ratio): boolean {
  return cmp(mul(abs(sub(rate, mid)), ratio(10_000n)), mul(mid, ratio(RFQ_BAND_BPS))) <= 0
}

/** Better for the taker: a SELL taker receives QUOTE (higher is better), a BUY taker pays it (lower is better). */
function better(side: Side, a: Ratio, b: Ratio): boolean {
  return side === 'SELL' ? cmp(a, b) > 0 : cmp(a, b) < 0
}

/**
 * The best acceptable answer: in time, well formed, within the band, and
 * covered by the counterparty's prefunded destination balance; ties go to the
 * earliest answer. Every other answer is listed with why it was skipped.
 */
export function selectBest(input: SelectionInput): { chosen: Accepted | undefined; skipped: Skipped[] } {
  const skipped: Skipped[] = []
  let chosen: Accepted | undefined
  const byArrival = [...input.answers].sort((a, b) => a.arrivedAtMs - b.arrivedAtMs)
  for (const raw of byArrival) {
    const skip = (reason: string) => skipped.push({ counterpartyId: raw.counterpartyId, reason })
    if (raw.arrivedAtMs > input.respondByMs && raw.statusCode !== null) {
      skip('answered after respond_by')
      continue
    }
    const answer = parseAnswer(raw, input.rfqId, input.nowMs)
    if (!answer.ok) {
      skip(answer.reason)
      continue
    }
    if (!withinBand(answer.rate, input.mid)) {
      skip(`rate outside ${RFQ_BAND_BPS} bps of the oracle mid`)
      continue
    }
    const amounts = input.amountsAt(answer.rate)
    if (amounts.sourceMinor <= 0n || amounts.destinationMinor <= 0n) {
      skip('amount rounds to nothing at this rate')
      continue
    }
    if (input.available(raw.counterpartyId) < amounts.destinationMinor) {
      skip('prefunded balance cannot cover the quote')
      continue
    }
    const candidate: Accepted = {
      counterpartyId: raw.counterpartyId,
      quoteId: answer.quoteId,
      rate: answer.rate,
      rateText: answer.rateText,
      expiresAtMs: answer.expiresAtMs,
      arrivedAtMs: raw.arrivedAtMs,
      ...amounts,
    }
    const rank = input.priority ?? (() => 0)
    const tiedAbove =
      chosen !== undefined &&
      cmp(candidate.rate, chosen.rate) === 0 &&
      rank(candidate.counterpartyId) > rank(chosen.counterpartyId)
    if (chosen === undefined || better(input.side, candidate.rate, chosen.rate) || tiedAbove)
      chosen = candidate
  }
  return { chosen, skipped }
}

function pow10(n: number): bigint {
  return 10n ** BigInt(n)
}

/**
 * The taker's two amounts at a rate (QUOTE per BASE), one fixed by the
 * request. What the taker receives rounds down and what it pays rounds up:
 * the counterparty, not the taker, keeps the rounding.
 */
export function amountsAt(input: {
  readonly side: Side
  readonly source: AssetConfig
  readonly destination: AssetConfig
  readonly size: { readonly kind: 'source' | 'destination'; readonly minor: bigint }
  readonly rate: Ratio
}): { sourceMinor: bigint; destinationMinor: bigint } {
  const { side, source, destination, size, rate } = input
  // destination per source, in smallest units: SELL pays BASE and gets rate QUOTE per BASE; BUY the inverse.
  const perSource =
    side === 'SELL'
      ? ratio(rate.num * pow10(destination.decimals), rate.den * pow10(source.decimals))
      : ratio(rate.den * pow10(destination.decimals), rate.num * pow10(source.decimals))
  if (size.kind === 'source') {
    return {
      sourceMinor: size.minor,
      destinationMinor: toInteger(mul(ratio(size.minor), perSource), 'floor'),
    }
  }
  const sourceMinor = toInteger(ratio(size.minor * perSource.den, perSource.num), 'ceil')
  return { sourceMinor, destinationMinor: size.minor }
}

/**
 * Cuts an order into tranches no larger than the single-fill size: as few as
 * fit, equal in smallest units, the remainder on the first ones.
 */
export function splitTranches(totalMinor: bigint, sizeUsd: Ratio, singleFillUsd: Ratio): bigint[] {
  const count = toInteger(ratio(sizeUsd.num * singleFillUsd.den, sizeUsd.den * singleFillUsd.num), 'ceil')
  const n = count < 1n ? 1n : count
  const base = totalMinor / n
  const remainder = totalMinor % n
  return Array.from({ length: Number(n) }, (_, i) => base + (BigInt(i) < remainder ? 1n : 0n))
}
