import { randomBytes, randomUUID } from 'node:crypto'
import { recordAudit } from '../audit/audit.ts'
import type { Environment } from '../config/environment.ts'
import { fail, ok, type Result } from '../errors.ts'
import { feedHead } from '../events/feed.ts'
import type { WebhookEndpointsTable } from '../store/schema.ts'
import type { Reader, Store, Tx } from '../store/store.ts'
import { addressRefusal, checkWebhookUrl, classifyAddress, hostOf, type UrlPolicy } from './address-policy.ts'
import { type EndpointView, endpointView, SUBSCRIBABLE_EVENTS, VERIFICATION_EVENT } from './model.ts'
import type { Resolve } from './transport.ts'

/**
 * Setting and reading a partner's webhook endpoint (SPEC §10, §15): one per
 * partner and environment. A new URL (or setting again an endpoint that is
 * not ACTIVE) starts a verification, which the delivery worker sends; a
 * request never waits on the receiver.
 */

/** Resolving the host at PUT must not hold a request long. */
const RESOLVE_TIMEOUT_MS = 3_000

export type EndpointInput = { readonly url: string; readonly events?: readonly string[] | undefined }

async function loadEndpoint(
  db: Reader | Tx,
  partnerId: string,
  environment: Environment,
  lock = false,
): Promise<WebhookEndpointsTable | undefined> {
  return db.kysely
    .selectFrom('webhook_endpoints')
    .selectAll()
    .where('partner_id', '=', partnerId)
    .where('environment', '=', environment)
    .$if(lock && db.dialect === 'postgres', (q) => q.forUpdate())
    .executeTakeFirst()
}

export async function getEndpoint(
  db: Reader,
  partnerId: string,
  environment: Environment,
): Promise<Result<EndpointView>> {
  const row = await loadEndpoint(db, partnerId, environment)
  return row === undefined
    ? fail('NOT_FOUND', `no webhook endpoint is set in ${environment}`)
    : ok(endpointView(row))
}

/** The URL rules, then the addresses its host resolves to now (the worker checks again at connect time). */
export async function checkEndpointUrl(
  text: string,
  policy: UrlPolicy,
  resolve: Resolve,
): Promise<Result<URL>> {
  const checked = checkWebhookUrl(text, policy)
  if (!checked.ok) return checked
  const host = hostOf(checked.value)
  if (classifyAddress(host) !== undefined) return checked
  let timer: NodeJS.Timeout | undefined
  try {
    const addresses = await Promise.race([
      resolve(host),
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error('timeout')), RESOLVE_TIMEOUT_MS)
      }),
    ])
    const refusal = addressRefusal(
      host,
      addresses.map((a) => a.address),
      policy,
    )
    return refusal === undefined ? checked : fail('VALIDATION_ERROR', `url refused: ${refusal}`)
  } catch {
    return fail('VALIDATION_ERROR', `url refused: ${host} does not resolve`)
  } finally {
    clearTimeout(timer)
  }
}

/** Subscribed types in catalogue order, or null for every type (the default). */
function subscription(events: readonly string[] | undefined): string | null {
  if (events === undefined) return null
  const wanted = new Set(events)
  return JSON.stringify(SUBSCRIBABLE_EVENTS.filter((type) => wanted.has(type)))
}

/** A fresh `webhook.verification` message: its id, exact body and challenge. */
function verificationMessage(environment: Environment, nowMs: number) {
  const id = randomUUID()
  const challenge = randomBytes(24).toString('base64url')
  const body = JSON.stringify({
    id,
    event: VERIFICATION_EVENT,
    timestamp: new Date(nowMs).toISOString(),
    environment,
    data: { challenge },
  })
  return { verification_id: id, verification_body: body, challenge }
}

/**
 * Sets the endpoint. Same URL on an ACTIVE endpoint: only the subscription
 * changes. Otherwise the endpoint (re)enters PENDING_VERIFICATION with a new
 * challenge, sent by the worker at once. A new endpoint starts at the head
 * of the feed: events that committed before it are not sent.
 */
export async function putEndpoint(
  store: Store,
  request: {
    readonly partnerId: string
    readonly environment: Environment
    readonly input: EndpointInput
    readonly url: URL
    readonly nowMs: number
    /** The operator who set it (audited), or undefined when the partner did. */
    readonly actor?: string | undefined
  },
): Promise<EndpointView> {
  const { partnerId, environment, nowMs } = request
  const now = BigInt(nowMs)
  const url = request.url.href
  const events = subscription(request.input.events)
  return store.transaction(async (tx) => {
    const before = await loadEndpoint(tx, partnerId, environment, true)
    const keepsVerification = before !== undefined && before.status === 'ACTIVE' && before.url === url
    const verification = {
      ...verificationMessage(environment, nowMs),
      status: 'PENDING_VERIFICATION',
      status_reason: 'awaiting verification',
      verification_attempts: 0n,
      next_verification_at: now,
      verified_at: null,
    }
    if (before === undefined) {
      const head = await feedHead(tx, environment)
      await tx.kysely
        .insertInto('webhook_endpoints')
        .values({
          partner_id: partnerId,
          environment,
          url,
          events,
          ...verification,
          cursor_xid: head.xid,
          cursor_id: head.id,
          created_at: now,
          updated_at: now,
        })
        .execute()
    } else {
      await tx.kysely
        .updateTable('webhook_endpoints')
        .set({ url, events, ...(keepsVerification ? {} : verification), updated_at: now })
        .where('partner_id', '=', partnerId)
        .where('environment', '=', environment)
        .execute()
    }
    const after = (await loadEndpoint(tx, partnerId, environment)) as WebhookEndpointsTable
    if (request.actor !== undefined) {
      await recordAudit(tx, {
        actor: request.actor,
        action: 'webhook.set',
        targetType: 'partner',
        targetId: partnerId,
        before: before === undefined ? undefined : auditShape(before),
        after: auditShape(after),
        atMs: nowMs,
      })
    }
    return endpointView(after)
  })
}

function auditShape(row: WebhookEndpointsTable) {
  const view = endpointView(row)
  return {
    environment: view.environment,
    url: view.url,
    events: row.events === null ? 'all' : view.events,
    status: view.status,
  }
}
