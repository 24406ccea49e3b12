import { randomUUID } from 'node:crypto'
import { sql } from 'kysely'
import type { Environment } from '../config/environment.ts'
import { jsonBigint } from '../ledger/journal.ts'
import type { Tx } from '../store/store.ts'

/** SPEC §10 event types; src/events/catalogue.ts says when each is written and what its data holds. */
export type EventType =
  | 'execution.settled'
  | 'execution.failed'
  | 'execution.rolled_back'
  | 'quote.expired'
  | 'system.state_change'
  | 'deposit.confirmed'
  | 'withdrawal.queued'
  | 'withdrawal.completed'
  | 'settlement.confirmed'
  | 'settlement.failed'
  | 'rebalance.executed'
  | 'partner.limit_warning'
  // [ours] SPEC §9: a live API key expires in 14, then 3 days (src/partners/expiry-warnings.ts)
  | 'partner.credential_expiring'
  // Issue 11: an RFQ counterparty's quote was filled (src/rfq/fill.ts)
  | 'rfq.filled'
  // Issue 13: a payment instruction relayed, its status, its rollback (src/payments/)
  | 'payment.instruction'
  | 'payment.status'
  | 'payment.rollback'

/**
 * Who reads an event (issue 12): `partner` events go to the feed, streams and
 * webhooks (to `partnerId`, or to every partner of the environment when it is
 * null); `operator` events (a yield venue settlement) only to
 * GET /admin/v1/events, never to a partner.
 */
export type EventAudience = 'partner' | 'operator'

/**
 * Writes an event in the transaction of the change that caused it (the
 * outbox of SPEC §10): the event exists exactly when the change committed.
 * Delivery to webhooks reads this table.
 */
export async function recordEvent(
  tx: Tx,
  event: {
    readonly environment: Environment
    readonly partnerId: string | null
    readonly type: EventType
    readonly data: Readonly<Record<string, unknown>>
    readonly atMs: number
    /** `partner` when absent; an `operator` event has no partner. */
    readonly audience?: EventAudience
  },
): Promise<string> {
  if (event.audience === 'operator' && event.partnerId !== null)
    throw new Error(`an operator event (${event.type}) has no partner`)
  const eventId = randomUUID()
  await tx.kysely
    .insertInto('events')
    .values({
      event_id: eventId,
      environment: event.environment,
      partner_id: event.partnerId,
      type: event.type,
      data: JSON.stringify(event.data, jsonBigint),
      created_at: BigInt(event.atMs),
      // The feed reads events in commit order by this (src/events/feed.ts); SQLite's row ids already are.
      commit_xid: tx.dialect === 'postgres' ? sql<bigint>`pg_current_xact_id()::text::bigint` : 0n,
      ...(event.audience === 'operator' ? { audience: 'operator' } : {}),
    })
    .execute()
  return eventId
}
