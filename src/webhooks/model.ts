import type { Selectable } from 'kysely'
import type { Environment } from '../config/environment.ts'
import type { EventType } from '../events/events.ts'
import type { WebhookAttemptsTable, WebhookEndpointsTable } from '../store/schema.ts'

/** SPEC §10, §15: an endpoint is verified before use; a 410 disables it until it is set again. */
export const ENDPOINT_STATUSES = ['PENDING_VERIFICATION', 'ACTIVE', 'DISABLED'] as const
export type EndpointStatus = (typeof ENDPOINT_STATUSES)[number]

/** One queued event: waiting or retrying, delivered, or given up on after the last attempt. */
export type DeliveryStatus = 'PENDING' | 'DELIVERED' | 'DEAD_LETTERED'

/** One POST of the delivery log: answered 2xx, failed (another attempt follows), or the last one failed. */
export const ATTEMPT_OUTCOMES = ['DELIVERED', 'FAILED', 'DEAD_LETTERED'] as const
export type AttemptOutcome = (typeof ATTEMPT_OUTCOMES)[number]

/** The message that proves the receiver controls the URL; not an event of the feed. */
export const VERIFICATION_EVENT = 'webhook.verification'

/** SPEC §10 event types a partner may subscribe to; the default (no list) is every type, present and future. */
export const SUBSCRIBABLE_EVENTS = [
  'execution.settled',
  'execution.failed',
  'execution.rolled_back',
  'quote.expired',
  'system.state_change',
  'deposit.confirmed',
  'withdrawal.queued',
  'withdrawal.completed',
  'settlement.confirmed',
  'settlement.failed',
  'rebalance.executed',
  'partner.limit_warning',
  'partner.credential_expiring',
  // Issue 11: to an RFQ counterparty, its quote was filled.
  'rfq.filled',
  // Issue 13: payment instructions, their status reports and rollback signals.
  'payment.instruction',
  'payment.status',
  'payment.rollback',
] as const satisfies readonly EventType[]

export type EndpointView = {
  environment: Environment
  url: string
  events: string[]
  /** True when no list was given: every event type, including types added later. */
  all_events: boolean
  status: EndpointStatus
  /** Why the endpoint is not ACTIVE (the last verification failure, or the 410); null otherwise. */
  status_reason: string | null
  verified_at: string | null
  created_at: string
  updated_at: string
}

export function endpointView(row: WebhookEndpointsTable): EndpointView {
  const events = row.events === null ? null : (JSON.parse(row.events) as string[])
  return {
    environment: row.environment as Environment,
    url: row.url,
    events: events ?? [...SUBSCRIBABLE_EVENTS],
    all_events: events === null,
    status: row.status as EndpointStatus,
    status_reason: row.status_reason,
    verified_at: row.verified_at === null ? null : iso(row.verified_at),
    created_at: iso(row.created_at),
    updated_at: iso(row.updated_at),
  }
}

export type AttemptView = {
  attempt_id: string
  event_id: string
  event: string
  attempt: number
  status: AttemptOutcome
  status_code: number | null
  latency_ms: number
  error: string | null
  attempted_at: string
}

export function attemptView(row: Selectable<WebhookAttemptsTable>): AttemptView {
  return {
    attempt_id: row.id.toString(),
    event_id: row.event_id,
    event: row.event_type,
    attempt: Number(row.attempt),
    status: row.outcome as AttemptOutcome,
    status_code: row.status_code === null ? null : Number(row.status_code),
    latency_ms: Number(row.latency_ms),
    error: row.error,
    attempted_at: iso(row.at),
  }
}

function iso(ms: bigint): string {
  return new Date(Number(ms)).toISOString()
}
