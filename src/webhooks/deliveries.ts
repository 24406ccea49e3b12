import { recordAudit } from '../audit/audit.ts'
import type { Environment } from '../config/environment.ts'
import { fail, ok, type Result } from '../errors.ts'
import { type EventEnvelope, findEvent } from '../events/feed.ts'
import type { Reader, Store, Tx } from '../store/store.ts'
import { type AttemptOutcome, type AttemptView, attemptView } from './model.ts'

/**
 * The delivery queue and log of SPEC §10 as data: queuing an event (its body
 * fixed once, so every retry is byte-identical), the per-attempt log, and
 * manual redelivery.
 */

/** The exact bytes POSTed for an event: the SPEC §10 envelope as JSON. */
export function envelopeBody(envelope: EventEnvelope): string {
  return JSON.stringify({
    id: envelope.id,
    event: envelope.event,
    timestamp: envelope.timestamp,
    environment: envelope.environment,
    data: envelope.data,
  })
}

export type Scope = { readonly environment: Environment; readonly partnerId: string }

/** Queues an event for the endpoint at the back of its queue; an event already queued is left alone. */
export async function queueDelivery(
  tx: Tx,
  scope: Scope,
  envelope: EventEnvelope,
  nowMs: number,
): Promise<void> {
  await tx.kysely
    .insertInto('webhook_deliveries')
    .values({
      environment: scope.environment,
      partner_id: scope.partnerId,
      event_id: envelope.id,
      event_type: envelope.event,
      body: envelopeBody(envelope),
      status: 'PENDING',
      attempts: 0n,
      next_attempt_at: BigInt(nowMs),
      created_at: BigInt(nowMs),
      updated_at: BigInt(nowMs),
    })
    .onConflict((oc) => oc.columns(['environment', 'partner_id', 'event_id']).doNothing())
    .execute()
}

export type AttemptQuery = {
  readonly eventId?: string | undefined
  readonly status?: AttemptOutcome | undefined
  readonly cursor?: bigint | undefined
  readonly limit: number
}

/** The delivery log of one endpoint, newest first, with the cursor of the next (older) page. */
export async function listAttempts(
  db: Reader,
  scope: Scope,
  query: AttemptQuery,
): Promise<{ items: AttemptView[]; nextCursor: string | null }> {
  const rows = await db.kysely
    .selectFrom('webhook_attempts')
    .selectAll()
    .where('environment', '=', scope.environment)
    .where('partner_id', '=', scope.partnerId)
    .$if(query.eventId !== undefined, (q) => q.where('event_id', '=', query.eventId as string))
    .$if(query.status !== undefined, (q) => q.where('outcome', '=', query.status as string))
    .$if(query.cursor !== undefined, (q) => q.where('id', '<', query.cursor as bigint))
    .orderBy('id', 'desc')
    .limit(query.limit + 1)
    .execute()
  const page = rows.slice(0, query.limit)
  const last = page[page.length - 1]
  return {
    items: page.map(attemptView),
    nextCursor: rows.length > query.limit && last !== undefined ? last.id.toString() : null,
  }
}

/** Puts a delivery back at the end of its endpoint's queue as new: attempts from 1, the same body. */
async function requeue(
  tx: Tx,
  row: { id: bigint; body: string; event_id: string; event_type: string },
  scope: Scope,
  nowMs: number,
) {
  await tx.kysely.deleteFrom('webhook_deliveries').where('id', '=', row.id).execute()
  await tx.kysely
    .insertInto('webhook_deliveries')
    .values({
      environment: scope.environment,
      partner_id: scope.partnerId,
      event_id: row.event_id,
      event_type: row.event_type,
      body: row.body,
      status: 'PENDING',
      attempts: 0n,
      next_attempt_at: BigInt(nowMs),
      created_at: BigInt(nowMs),
      updated_at: BigInt(nowMs),
    })
    .execute()
}

async function endpointExists(tx: Tx, scope: Scope): Promise<boolean> {
  const row = await tx.kysely
    .selectFrom('webhook_endpoints')
    .select('partner_id')
    .where('partner_id', '=', scope.partnerId)
    .where('environment', '=', scope.environment)
    .$if(tx.dialect === 'postgres', (q) => q.forUpdate())
    .executeTakeFirst()
  return row !== undefined
}

export type Redelivery = { event_id: string; status: 'PENDING' }

/**
 * Sends an event again: a delivered or dead-lettered one goes to the back of
 * the queue with its original body; one never queued (before the endpoint
 * existed, or outside its subscription) is queued now; one still pending is
 * left where it is.
 */
export async function redeliverEvent(
  store: Store,
  scope: Scope,
  eventId: string,
  nowMs: number,
  actor?: string,
): Promise<Result<Redelivery>> {
  return store.transaction(async (tx) => {
    if (!(await endpointExists(tx, scope)))
      return fail('NOT_FOUND', `no webhook endpoint is set in ${scope.environment}`)
    const row = await tx.kysely
      .selectFrom('webhook_deliveries')
      .select(['id', 'body', 'event_id', 'event_type', 'status'])
      .where('environment', '=', scope.environment)
      .where('partner_id', '=', scope.partnerId)
      .where('event_id', '=', eventId)
      .executeTakeFirst()
    if (row === undefined) {
      const found = await findEvent(tx, { ...scope, eventId })
      if (!found.ok) return found
      await queueDelivery(tx, scope, found.value, nowMs)
    } else if (row.status !== 'PENDING') {
      await requeue(tx, row, scope, nowMs)
    }
    if (actor !== undefined) await auditRedelivery(tx, actor, scope, { event_id: eventId }, nowMs)
    return ok({ event_id: eventId, status: 'PENDING' as const })
  })
}

/** Every dead-lettered event of the endpoint back in the queue, in their original order. */
export async function redeliverDeadLetters(
  store: Store,
  scope: Scope,
  nowMs: number,
  actor?: string,
): Promise<Result<{ redelivered: number }>> {
  return store.transaction(async (tx) => {
    if (!(await endpointExists(tx, scope)))
      return fail('NOT_FOUND', `no webhook endpoint is set in ${scope.environment}`)
    const rows = await tx.kysely
      .selectFrom('webhook_deliveries')
      .select(['id', 'body', 'event_id', 'event_type'])
      .where('environment', '=', scope.environment)
      .where('partner_id', '=', scope.partnerId)
      .where('status', '=', 'DEAD_LETTERED')
      .orderBy('id')
      .execute()
    for (const row of rows) await requeue(tx, row, scope, nowMs)
    if (actor !== undefined) {
      await auditRedelivery(tx, actor, scope, { dead_letters: rows.map((row) => row.event_id) }, nowMs)
    }
    return ok({ redelivered: rows.length })
  })
}

async function auditRedelivery(
  tx: Tx,
  actor: string,
  scope: Scope,
  what: Record<string, unknown>,
  nowMs: number,
) {
  await recordAudit(tx, {
    actor,
    action: 'webhook.redeliver',
    targetType: 'partner',
    targetId: scope.partnerId,
    before: undefined,
    after: { environment: scope.environment, ...what },
    atMs: nowMs,
  })
}
