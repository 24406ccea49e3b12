import { createHmac } from 'node:crypto'

/**
 * Standard Webhooks signatures (SPEC §10): base64 HMAC-SHA256 of
 * `${id}.${timestamp}.${body}` keyed by the base64-decoded part of the
 * `whsec_…` secret. Every secret that signs now gets its own `v1,` entry, so
 * a receiver holding either secret of a rotation accepts the message.
 */
const SECRET_PREFIX = 'whsec_'

export function signature(secret: string, messageId: string, timestampSec: number, body: string): string {
  if (!secret.startsWith(SECRET_PREFIX)) throw new Error('a webhook secret starts with whsec_')
  const key = Buffer.from(secret.slice(SECRET_PREFIX.length), 'base64')
  return createHmac('sha256', key).update(`${messageId}.${timestampSec}.${body}`).digest('base64')
}

/** The `webhook-signature` header: `v1,<sig>` per secret, separated by spaces. */
export function signatureHeader(
  secrets: readonly string[],
  messageId: string,
  timestampSec: number,
  body: string,
): string {
  if (secrets.length === 0) throw new Error('no webhook secret signs now')
  return secrets.map((secret) => `v1,${signature(secret, messageId, timestampSec, body)}`).join(' ')
}

/** The headers of one signed POST (Standard Webhooks). */
export function signedHeaders(
  secrets: readonly string[],
  messageId: string,
  nowMs: number,
  body: string,
): Record<string, string> {
  const timestampSec = Math.floor(nowMs / 1_000)
  return {
    'content-type': 'application/json',
    'user-agent': 'stablefx-webhooks/1',
    'webhook-id': messageId,
    'webhook-timestamp': String(timestampSec),
    'webhook-signature': signatureHeader(secrets, messageId, timestampSec, body),
  }
}
