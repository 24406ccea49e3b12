import type { Selectable } from 'kysely'
import { ASSETS } from '../config/assets.ts'
import type { Environment } from '../config/environment.ts'
import { formatDecimal } from '../money/decimal.ts'
import type { QuotesTable } from '../store/schema.ts'
import type { Store, Tx } from '../store/store.ts'
import { decodeTerms } from '../trading/terms.ts'
import { recordEvent } from './events.ts'

/** Quotes marked per transaction: a sweep after downtime proceeds in short transactions. */
const EXPIRY_BATCH = 100

/** The lease name of an environment's quote-expiry sweeper (src/workers/catalog.ts). */
export const quoteExpiryWorkerName = (environment: Environment) => `quotes.expiry.${environment}`

/** `quote.expired` data: the quote as the partner was shown it, and when it expired. */
function expiredData(quote: Selectable<QuotesTable>): Record<string, unknown> {
  const terms = decodeTerms(quote.terms)
  const source = ASSETS[terms.sourceAsset]
  const destination = ASSETS[terms.destinationAsset]
  return {
    quote_id: quote.id,
    pair: terms.corridor,
    side: terms.side,
    source_asset: source.code,
    destination_asset: destination.code,
    amount: formatDecimal(terms.sourceMinor, source.decimals),
    destination_amount: formatDecimal(terms.destinationMinor, destination.decimals),
    client_ref: quote.client_ref,
    expiry_timestamp: new Date(Number(quote.expires_at)).toISOString(),
  }
}

/** One batch: the oldest expired OPEN quotes become EXPIRED, each with its event, in one transaction. */
async function expireBatch(tx: Tx, environment: Environment, nowMs: number): Promise<number> {
  // Quotes an execution holds are skipped: it executes them or refuses, and a later sweep sees which.
  const due = await tx.kysely
    .selectFrom('quotes')
    .selectAll()
    .where('environment', '=', environment)
    .where('status', '=', 'OPEN')
    .where('expires_at', '<=', BigInt(nowMs))
    .orderBy('expires_at')
    .orderBy('id')
    .limit(EXPIRY_BATCH)
    .$if(tx.dialect === 'postgres', (q) => q.forUpdate().skipLocked())
    .execute()
  for (const quote of due) {
    const marked = await tx.kysely
      .updateTable('quotes')
      .set({ status: 'EXPIRED' })
      .where('id', '=', quote.id)
      .where('status', '=', 'OPEN')
      .executeTakeFirst()
    if (marked.numUpdatedRows !== 1n) continue
    await recordEvent(tx, {
      environment,
      partnerId: quote.partner_id,
      type: 'quote.expired',
      data: expiredData(quote),
      atMs: Number(quote.expires_at),
    })
  }
  return due.length
}

/**
 * SPEC §10 `quote.expired`: firm quotes whose expiry has passed on the
 * environment's clock (the expiry instant included, as L9 refuses it) and
 * that were never executed are marked EXPIRED, each in the transaction that
 * writes its event, so each is announced exactly once: a marked quote is
 * never selected again, and execution refuses it even on a node whose clock
 * lags. The event's timestamp is the quote's expiry. Returns how many were
 * marked.
 */
export async function expireQuotes(
  store: Store,
  environment: Environment,
  nowMs: number,
  stillHeld: () => boolean = () => true,
): Promise<number> {
  let marked = 0
  while (stillHeld()) {
    const batch = await store.transaction((tx) => expireBatch(tx, environment, nowMs))
    marked += batch
    if (batch < EXPIRY_BATCH) break
  }
  return marked
}
