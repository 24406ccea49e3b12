import { createHash } from 'node:crypto'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Clocks } from '../clock/clock.ts'
import type { Environment } from '../config/environment.ts'
import type { Store } from '../store/store.ts'
import { partnerOf } from './auth.ts'
import { sendFailure } from './errors.ts'

/** SPEC §14.3: keys are kept 24 hours. */
export const IDEMPOTENCY_TTL_MS = 24 * 3600 * 1000
const KEY_PATTERN = /^[\x21-\x7e]{16,255}$/

declare module 'fastify' {
  interface FastifyRequest {
    /** Set when this request holds an idempotency key that its response must complete. */
    idempotencyKey: KeyId | null
  }
}

/** JSON with object keys sorted, so the same body always hashes the same. */
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`
  if (value !== null && typeof value === 'object') {
    const entries = Object.keys(value as object)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
    return `{${entries.join(',')}}`
  }
  return JSON.stringify(value) ?? 'null'
}

type KeyId = { partnerId: string; environment: string; key: string }

/** The row of one key: a key belongs to one partner in one environment. */
function sameKey(id: KeyId) {
  return { partner_id: id.partnerId, environment: id.environment, key: id.key }
}

export function requestHash(method: string, path: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method} ${path}\n${canonical(body)}`)
    .digest('hex')
}

/**
 * Idempotency for POSTs under /v1 (SPEC §14.3), as two hooks. `claim` runs
 * after schema validation, so a request refused by validation never consumes
 * its key (nor does one the handler refuses as VALIDATION_ERROR). A replay
 * returns the stored status and body byte for byte; the
 * same key with another body is 422 IDEMPOTENCY_KEY_REUSED; while the first
 * request runs, 409 IDEMPOTENCY_KEY_IN_USE. A 5xx releases the key so the
 * client may retry. A process that dies mid-request leaves its key claimed
 * (409) until it expires: at most one effect, even then.
 */
export function createIdempotency(deps: { store: Store; clocks: Clocks }) {
  const { store, clocks } = deps

  async function claim(request: FastifyRequest, reply: FastifyReply) {
    if (request.method !== 'POST') return
    const header = request.headers['idempotency-key']
    if (header === undefined) return
    if (typeof header !== 'string' || !KEY_PATTERN.test(header)) {
      return sendFailure(reply, {
        code: 'VALIDATION_ERROR',
        message: 'Idempotency-Key must be 16 to 255 printable characters',
      })
    }
    const { partner, environment } = partnerOf(request)
    const nowMs = clocks[environment].now()
    const path = request.url.split('?')[0] as string
    const hash = requestHash(request.method, path, request.body)
    const key = { partnerId: partner.id, environment, key: header }
    const claimed = await store.transaction(async (tx) => {
      await tx.kysely
        .deleteFrom('idempotency_keys')
        .where((eb) => eb.and(sameKey(key)))
        .where('expires_at', '<=', BigInt(nowMs))
        .execute()
      const inserted = await tx.kysely
        .insertInto('idempotency_keys')
        .values({
          partner_id: key.partnerId,
          environment,
          key: header,
          request_hash: hash,
          status: 'IN_PROGRESS',
          response_status: null,
          response_body: null,
          created_at: BigInt(nowMs),
          expires_at: BigInt(nowMs + IDEMPOTENCY_TTL_MS),
        })
        .onConflict((oc) => oc.columns(['partner_id', 'environment', 'key']).doNothing())
        .returning('key')
        .executeTakeFirst()
      if (inserted !== undefined) return null
      return tx.kysely
        .selectFrom('idempotency_keys')
        .selectAll()
        .where((eb) => eb.and(sameKey(key)))
        .executeTakeFirstOrThrow()
    })
    if (claimed === null) {
      request.idempotencyKey = key
      return
    }
    if (claimed.request_hash !== hash) {
      return sendFailure(reply, {
        code: 'IDEMPOTENCY_KEY_REUSED',
        message: 'this Idempotency-Key was used with a different request',
      })
    }
    if (claimed.status !== 'DONE') {
      return sendFailure(reply, {
        code: 'IDEMPOTENCY_KEY_IN_USE',
        message: 'a request with this Idempotency-Key is still running',
      })
    }
    return reply
      .code(Number(claimed.response_status))
      .header('content-type', 'application/json; charset=utf-8')
      .header('idempotent-replayed', 'true')
      .send(claimed.response_body)
  }

  async function complete(request: FastifyRequest, reply: FastifyReply, payload: unknown) {
    const key = request.idempotencyKey
    if (key === null) return payload
    request.idempotencyKey = null
    // A 5xx may be retried, and a request refused as invalid never consumed its key (SPEC §14.3),
    // whether the schema or the handler found the problem.
    if (reply.statusCode >= 500 || reply.failureCode === 'VALIDATION_ERROR') {
      await store.kysely
        .deleteFrom('idempotency_keys')
        .where((eb) => eb.and(sameKey(key)))
        .execute()
      return payload
    }
    await store.kysely
      .updateTable('idempotency_keys')
      .set({ status: 'DONE', response_status: BigInt(reply.statusCode), response_body: String(payload) })
      .where((eb) => eb.and(sameKey(key)))
      .execute()
    return payload
  }

  return { claim, complete }
}

/** Removes one environment's expired keys; run now and then so the table does not grow without bound. */
export async function purgeExpiredKeys(
  store: Store,
  environment: Environment,
  nowMs: number,
): Promise<number> {
  const result = await store.kysely
    .deleteFrom('idempotency_keys')
    .where('environment', '=', environment)
    .where('expires_at', '<=', BigInt(nowMs))
    .executeTakeFirst()
  return Number(result.numDeletedRows)
}
