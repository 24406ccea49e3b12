/**
 * Webhook verification (SPEC §10, Standard Webhooks): checks the
 * `webhook-signature` of a delivery against the partner's `whsec_…` secret
 * over the exact bytes received, and the `webhook-timestamp` within five
 * minutes of now, then returns the parsed event.
 */
import { Webhook, WebhookVerificationError } from 'standardwebhooks'

export { WebhookVerificationError }

/** The envelope stablefx POSTs: one event. */
export type WebhookEvent = {
  readonly id: string
  /** The event type, e.g. `execution.settled`. */
  readonly event: string
  readonly timestamp: string
  readonly environment: 'sandbox' | 'live'
  readonly data: Record<string, unknown>
}

export type WebhookHeaders = Headers | Readonly<Record<string, string | readonly string[] | undefined>>

/**
 * Verifies one delivery and returns its event; throws WebhookVerificationError
 * when the signature, the timestamp or the headers are wrong. Pass the raw
 * body (string or bytes) as received, before any JSON parsing.
 *
 *   const event = verifyWebhook(process.env.STABLEFX_WEBHOOK_SECRET, rawBody, request.headers)
 */
export function verifyWebhook(
  secret: string,
  body: string | Uint8Array,
  headers: WebhookHeaders,
): WebhookEvent {
  const payload = typeof body === 'string' ? body : Buffer.from(body.buffer, body.byteOffset, body.byteLength)
  return new Webhook(secret).verify(payload, lowercased(headers)) as WebhookEvent
}

function lowercased(headers: WebhookHeaders): Record<string, string> {
  const out: Record<string, string> = {}
  if (headers instanceof Headers) {
    headers.forEach((value, name) => {
      out[name] = value
    })
    return out
  }
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue
    out[name.toLowerCase()] = typeof value === 'string' ? value : value.join(', ')
  }
  return out
}
