import type { Clock } from '../clock/clock.ts'
import type { Environment } from '../config/environment.ts'
import { readFeed } from '../events/feed.ts'
import { signingSecrets } from '../partners/webhook-secrets.ts'
import type { WebhookEndpointsTable } from '../store/schema.ts'
import type { Store, Tx } from '../store/store.ts'
import type { UrlPolicy } from './address-policy.ts'
import { queueDelivery } from './deliveries.ts'
import type { AttemptOutcome } from './model.ts'
import { nextRetry, parseRetryAfter } from './retry-policy.ts'
import { signedHeaders } from './signing.ts'
import { type PostOutcome, postWebhook, type Resolve } from './transport.ts'

/**
 * The webhook delivery worker (SPEC §10), one run per environment at a time
 * across nodes (lease `webhooks.<environment>`). Each run: sends the due
 * verifications, queues the new events of every ACTIVE endpoint from the
 * commit-ordered feed, then works the head of every endpoint's queue. An
 * endpoint's next event waits until the one before it is delivered or
 * dead-lettered. Times are wall-clock (the live clock) in both environments.
 */

export type WebhookWorkerDeps = {
  readonly store: Store
  /** Wall clock: retry times and `webhook-timestamp`. */
  readonly clock: Clock
  readonly resolve: Resolve
  /** Sandbox only: http and loopback/private receivers (STABLEFX_WEBHOOK_ALLOW_PRIVATE). */
  readonly allowPrivateSandbox: boolean
  /** In [0, 1): the retry jitter. */
  readonly random: () => number
  readonly log: { warn(obj: object, msg: string): void }
  readonly timeoutMs?: number
}

export type RunSummary = { verified: number; queued: number; attempted: number }

/** The lease name of an environment's delivery worker (src/workers/catalog.ts). */
export function webhookWorkerName(environment: Environment): string {
  return `webhooks.${environment}`
}

export function policyFor(environment: Environment, allowPrivateSandbox: boolean): UrlPolicy {
  return { environment, allowPrivate: environment === 'sandbox' && allowPrivateSandbox }
}

/** Feed rows read per transaction, and at most this many batches per endpoint per run. */
const QUEUE_BATCH = 200
const QUEUE_BATCHES_PER_RUN = 10
/** Deliveries sent to one endpoint per run: a busy endpoint does not hold the run for long. */
const DELIVERIES_PER_RUN = 50
/** Endpoints worked at the same time. */
const PARALLEL_ENDPOINTS = 8

async function forEachLimited<T>(items: readonly T[], limit: number, work: (item: T) => Promise<void>) {
  let next = 0
  const lanes = Array.from({ length: Math.min(limit, items.length) }, async () => {
    while (next < items.length) await work(items[next++] as T)
  })
  await Promise.all(lanes)
}

async function endpointsOf(store: Store, environment: Environment, status: string) {
  return store.kysely
    .selectFrom('webhook_endpoints')
    .selectAll()
    .where('environment', '=', environment)
    .where('status', '=', status)
    .orderBy('partner_id')
    .execute()
}

function isSuccess(outcome: PostOutcome): boolean {
  return outcome.statusCode !== null && outcome.statusCode >= 200 && outcome.statusCode < 300
}

async function logAttempt(
  tx: Tx,
  row: { environment: string; partner_id: string; event_id: string; event_type: string },
  attempt: number,
  outcome: AttemptOutcome,
  post: PostOutcome,
  nowMs: number,
) {
  await tx.kysely
    .insertInto('webhook_attempts')
    .values({
      environment: row.environment,
      partner_id: row.partner_id,
      event_id: row.event_id,
      event_type: row.event_type,
      attempt: BigInt(attempt),
      outcome,
      status_code: post.statusCode === null ? null : BigInt(post.statusCode),
      latency_ms: BigInt(post.latencyMs),
      error: post.error === null ? null : post.error.slice(0, 500),
      at: BigInt(nowMs),
    })
    .execute()
}

export function createWebhookWorker(deps: WebhookWorkerDeps) {
  const { store, clock } = deps

  async function post(
    endpoint: WebhookEndpointsTable,
    messageId: string,
    body: string,
  ): Promise<PostOutcome> {
    const secrets = await signingSecrets(store, endpoint.partner_id, clock.now())
    return postWebhook({
      url: endpoint.url,
      headers: signedHeaders(secrets, messageId, clock.now(), body),
      body,
      policy: policyFor(endpoint.environment as Environment, deps.allowPrivateSandbox),
      resolve: deps.resolve,
      ...(deps.timeoutMs === undefined ? {} : { timeoutMs: deps.timeoutMs }),
    })
  }

  function echoedChallenge(outcome: PostOutcome, challenge: string): boolean {
    try {
      const answer = JSON.parse(outcome.answer) as { challenge?: unknown }
      return typeof answer === 'object' && answer !== null && answer.challenge === challenge
    } catch {
      return false
    }
  }

  /** One verification attempt; the result is dropped if the endpoint was set again meanwhile. */
  async function verify(endpoint: WebhookEndpointsTable): Promise<boolean> {
    const messageId = endpoint.verification_id as string
    const sent = await post(endpoint, messageId, endpoint.verification_body as string)
    const echoed = isSuccess(sent) && echoedChallenge(sent, endpoint.challenge as string)
    const outcome =
      echoed || !isSuccess(sent) ? sent : { ...sent, error: 'the answer did not echo data.challenge' }
    const nowMs = clock.now()
    return store.transaction(async (tx) => {
      const current = await tx.kysely
        .selectFrom('webhook_endpoints')
        .select(['verification_attempts', 'status'])
        .where('partner_id', '=', endpoint.partner_id)
        .where('environment', '=', endpoint.environment)
        .where('verification_id', '=', messageId)
        .$if(tx.dialect === 'postgres', (q) => q.forUpdate())
        .executeTakeFirst()
      if (current === undefined || current.status !== 'PENDING_VERIFICATION') return false
      const attempt = Number(current.verification_attempts) + 1
      const decision = echoed
        ? undefined
        : nextRetry(attempt, deps.random(), parseRetryAfter(sent.retryAfter, nowMs))
      const logged = { ...endpoint, event_id: messageId, event_type: 'webhook.verification' }
      const result: AttemptOutcome = echoed
        ? 'DELIVERED'
        : decision?.kind === 'dead'
          ? 'DEAD_LETTERED'
          : 'FAILED'
      await logAttempt(tx, logged, attempt, result, outcome, nowMs)
      const update = echoed
        ? { status: 'ACTIVE', status_reason: null, verified_at: BigInt(nowMs), next_verification_at: null }
        : decision?.kind === 'retry'
          ? {
              status_reason: `verification failed: ${outcome.error}`,
              next_verification_at: BigInt(nowMs + decision.delayMs),
            }
          : {
              status_reason: `verification failed ${attempt} times (last: ${outcome.error}); set the webhook again to retry`,
              next_verification_at: null,
            }
      await tx.kysely
        .updateTable('webhook_endpoints')
        .set({ ...update, verification_attempts: BigInt(attempt), updated_at: BigInt(nowMs) })
        .where('partner_id', '=', endpoint.partner_id)
        .where('environment', '=', endpoint.environment)
        .execute()
      return echoed
    })
  }

  /** Queues the events after the endpoint's cursor; returns how many. */
  async function queueNew(endpoint: WebhookEndpointsTable, stillHeld: () => boolean): Promise<number> {
    const scope = { environment: endpoint.environment as Environment, partnerId: endpoint.partner_id }
    const types = endpoint.events === null ? undefined : (JSON.parse(endpoint.events) as string[])
    let queued = 0
    for (let batch = 0; batch < QUEUE_BATCHES_PER_RUN && stillHeld(); batch++) {
      const count = await store.transaction(async (tx) => {
        const row = await tx.kysely
          .selectFrom('webhook_endpoints')
          .select(['status', 'cursor_xid', 'cursor_id'])
          .where('partner_id', '=', scope.partnerId)
          .where('environment', '=', scope.environment)
          .$if(tx.dialect === 'postgres', (q) => q.forUpdate())
          .executeTakeFirst()
        if (row === undefined || row.status !== 'ACTIVE') return 0
        // An explicit empty subscription cannot happen (the API refuses it), but would read everything.
        if (types !== undefined && types.length === 0) return 0
        const rows = await readFeed(tx, {
          ...scope,
          types,
          after: { xid: BigInt(row.cursor_xid), id: BigInt(row.cursor_id) },
          limit: QUEUE_BATCH,
        })
        const nowMs = clock.now()
        for (const feedRow of rows) await queueDelivery(tx, scope, feedRow.envelope, nowMs)
        const last = rows[rows.length - 1]
        if (last !== undefined) {
          await tx.kysely
            .updateTable('webhook_endpoints')
            .set({ cursor_xid: last.cursor.xid, cursor_id: last.cursor.id })
            .where('partner_id', '=', scope.partnerId)
            .where('environment', '=', scope.environment)
            .execute()
        }
        return rows.length
      })
      queued += count
      if (count < QUEUE_BATCH) break
    }
    return queued
  }

  /** Works the head of the endpoint's queue while it succeeds; returns the attempts made. */
  async function deliverQueue(endpoint: WebhookEndpointsTable, stillHeld: () => boolean): Promise<number> {
    let attempts = 0
    while (attempts < DELIVERIES_PER_RUN && stillHeld()) {
      const head = await store.kysely
        .selectFrom('webhook_deliveries')
        .selectAll()
        .where('environment', '=', endpoint.environment)
        .where('partner_id', '=', endpoint.partner_id)
        .where('status', '=', 'PENDING')
        .orderBy('id')
        .limit(1)
        .executeTakeFirst()
      if (head === undefined || head.next_attempt_at > BigInt(clock.now())) break
      const sent = await post(endpoint, head.event_id, head.body)
      attempts++
      const next = await recordDelivery(endpoint, head, sent)
      if (next !== 'continue') break
    }
    return attempts
  }

  /** Records one delivery attempt; says whether the endpoint's next event may go now. */
  async function recordDelivery(
    endpoint: WebhookEndpointsTable,
    head: { id: bigint; attempts: bigint; event_id: string; event_type: string },
    sent: PostOutcome,
  ): Promise<'continue' | 'stop'> {
    const nowMs = clock.now()
    const attempt = Number(head.attempts) + 1
    const gone = sent.statusCode === 410
    const decision =
      isSuccess(sent) || gone
        ? undefined
        : nextRetry(attempt, deps.random(), parseRetryAfter(sent.retryAfter, nowMs))
    const outcome: AttemptOutcome = isSuccess(sent)
      ? 'DELIVERED'
      : decision?.kind === 'dead'
        ? 'DEAD_LETTERED'
        : 'FAILED'
    const status = outcome === 'FAILED' ? 'PENDING' : outcome
    const nextAt = decision?.kind === 'retry' ? nowMs + decision.delayMs : nowMs
    const recorded = await store.transaction(async (tx) => {
      // Only the attempt that found the row as it was counts (a redelivery or another node may have moved it).
      const updated = await tx.kysely
        .updateTable('webhook_deliveries')
        .set({
          status,
          attempts: BigInt(attempt),
          next_attempt_at: BigInt(nextAt),
          updated_at: BigInt(nowMs),
        })
        .where('id', '=', head.id)
        .where('attempts', '=', head.attempts)
        .where('status', '=', 'PENDING')
        .executeTakeFirst()
      if (updated.numUpdatedRows === 0n) return false
      await logAttempt(tx, { ...endpoint, ...head }, attempt, outcome, sent, nowMs)
      if (gone) {
        // SPEC §10: 410 disables the endpoint; its queue waits until the partner sets the webhook again.
        await tx.kysely
          .updateTable('webhook_endpoints')
          .set({
            status: 'DISABLED',
            status_reason: `the receiver answered 410 Gone at ${new Date(nowMs).toISOString()}; set the webhook again to resume`,
            updated_at: BigInt(nowMs),
          })
          .where('partner_id', '=', endpoint.partner_id)
          .where('environment', '=', endpoint.environment)
          .execute()
      }
      return true
    })
    if (recorded && outcome === 'DEAD_LETTERED') {
      // SPEC §10 "dead-letter and notify": no URL (it may carry a token), no body, no secret.
      deps.log.warn(
        {
          partner_id: endpoint.partner_id,
          environment: endpoint.environment,
          event_id: head.event_id,
          event: head.event_type,
          attempts: attempt,
          status_code: sent.statusCode,
          error: sent.error,
        },
        'webhook delivery dead-lettered',
      )
    }
    return recorded && (outcome === 'DELIVERED' || outcome === 'DEAD_LETTERED') ? 'continue' : 'stop'
  }

  return {
    /** One pass over the environment; tests call it directly with the manual clock. */
    async run(environment: Environment, stillHeld: () => boolean = () => true): Promise<RunSummary> {
      const summary: RunSummary = { verified: 0, queued: 0, attempted: 0 }
      const nowMs = clock.now()
      const pending = (await endpointsOf(store, environment, 'PENDING_VERIFICATION')).filter(
        (e) => e.next_verification_at !== null && e.next_verification_at <= BigInt(nowMs),
      )
      await forEachLimited(pending, PARALLEL_ENDPOINTS, async (endpoint) => {
        if (stillHeld() && (await verify(endpoint))) summary.verified++
      })
      const active = await endpointsOf(store, environment, 'ACTIVE')
      await forEachLimited(active, PARALLEL_ENDPOINTS, async (endpoint) => {
        if (!stillHeld()) return
        summary.queued += await queueNew(endpoint, stillHeld)
        summary.attempted += await deliverQueue(endpoint, stillHeld)
      })
      return summary
    },
  }
}

export type WebhookWorker = ReturnType<typeof createWebhookWorker>
