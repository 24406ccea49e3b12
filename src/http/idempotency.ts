import { createHash, randomUUID } from 'node:crypto'
import type { FastifyReply, FastifyRequest } from 'fastify'
import { sql } from 'kysely'
import type { Clock } from '../clock/clock.ts'
import { dbNowMs } from '../cluster/db-time.ts'
import { holderAlive, NODE_TTL_MS } from '../cluster/nodes.ts'
import type { Authenticated } from '../partners/service.ts'
import type { CommittedOutcome, RecordOutcome } from '../store/outcome.ts'
import type { Dialect, Reader, Store, Tx } from '../store/store.ts'
import { partnerOf } from './auth.ts'
import { sendFailure } from './errors.ts'

/** SPEC §14.3: keys are kept 24 hours, on the wall clock (never the sandbox test clock). */
export const IDEMPOTENCY_TTL_MS = 24 * 3600 * 1000
/**
 * How long a request may hold its key while its node is alive [ours]: longer
 * than any request runs (the server's request timeout, a chain call). A key
 * held by a dead node is free at once.
 */
export const IDEMPOTENCY_LEASE_MS = 60_000
const KEY_PATTERN = /^[\x21-\x7e]{16,255}$/

/** The key a request holds, and the token that proves it still does. */
type Held = { partnerId: string; environment: string; key: string; claim: string }

declare module 'fastify' {
  interface FastifyRequest {
    /** Set when this request holds an idempotency key that its response must complete. */
    idempotencyKey: Held | null
  }
}

/** A response to send again: its status and JSON body. */
export type Replay = { readonly status: number; readonly body: unknown }

/** Reads a committed resource (`execution:<id>`) as the partner would see it now. */
export type ReplayResource = (auth: Authenticated, resource: string) => Promise<Replay | undefined>

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

export function requestHash(method: string, path: string, body: unknown): string {
  return createHash('sha256')
    .update(`${method} ${path}\n${canonical(body)}`)
    .digest('hex')
}

const sameKey = (id: Omit<Held, 'claim'>) => ({
  partner_id: id.partnerId,
  environment: id.environment,
  key: id.key,
})

/**
 * Idempotency for POSTs under /v1 (SPEC §14.3), as two hooks and a recorder.
 *
 * `claim` runs after schema validation, so a request refused by validation
 * never consumes its key. A replay returns the stored status and body byte
 * for byte; the same key with another body is 422 IDEMPOTENCY_KEY_REUSED;
 * while the first request runs, 409 IDEMPOTENCY_KEY_IN_USE.
 *
 * Across crashes (SPEC §15): the business transaction records what it
 * committed in the key's row (`recorder`), so the key always knows whether
 * anything happened. A key whose holder died (its node stopped heartbeating)
 * or whose lease ran out is recovered by the next request with it: answered
 * from the recorded outcome when something committed, run again when nothing
 * did. A 5xx after a commit answers the recorded outcome instead; a 5xx with
 * nothing committed, or a validation refusal, releases the key.
 */
export function createIdempotency(deps: {
  store: Store
  /** The wall clock: keys expire on it. */
  clock: Clock
  nodeId: string
  replay: ReplayResource
  leaseMs?: number
  nodeTtlMs?: number
}) {
  const { store } = deps
  const leaseMs = deps.leaseMs ?? IDEMPOTENCY_LEASE_MS
  const nodeTtlMs = deps.nodeTtlMs ?? NODE_TTL_MS

  /** The answer an outcome gives: a stored response, or the resource read now. */
  async function outcomeReplay(
    auth: Authenticated,
    row: { resource: string | null; response_status: bigint | null; response_body: string | null },
  ): Promise<{ status: number; text: string } | undefined> {
    if (row.response_status !== null && row.response_body !== null) {
      return { status: Number(row.response_status), text: row.response_body }
    }
    if (row.resource === null) return undefined
    const replayed = await deps.replay(auth, row.resource)
    return replayed === undefined
      ? undefined
      : { status: replayed.status, text: JSON.stringify(replayed.body) }
  }

  async function finishAs(held: Omit<Held, 'claim'>, claim: string | null, status: number, text: string) {
    await store.single((db) =>
      db.kysely
        .updateTable('idempotency_keys')
        .set({ status: 'DONE', response_status: BigInt(status), response_body: text })
        .where((eb) => eb.and(sameKey(held)))
        .$if(claim !== null, (q) => q.where('claim', '=', claim as string))
        .execute(),
    )
  }

  /** Takes the key, or reads the row that holds it (with whether its holder may still be running). */
  async function take(id: Omit<Held, 'claim'>, hash: string, claim: string) {
    const nowMs = deps.clock.now()
    const heldBy = (dialect: Dialect) => ({
      request_hash: hash,
      status: 'IN_PROGRESS',
      holder: deps.nodeId,
      claim,
      lease_until: sql<bigint>`${dbNowMs(dialect)} + ${leaseMs}`,
      resource: null,
      response_status: null,
      response_body: null,
    })
    const insert = (db: Reader) =>
      db.kysely
        .insertInto('idempotency_keys')
        .values({
          ...sameKey(id),
          ...heldBy(db.dialect),
          created_at: BigInt(nowMs),
          expires_at: BigInt(nowMs + IDEMPOTENCY_TTL_MS),
        })
        .onConflict((oc) => oc.columns(['partner_id', 'environment', 'key']).doNothing())
        .returning('key')
        .executeTakeFirst()
    // The common case, a key never seen, is that one statement; a key in the table (expired, held,
    // done or abandoned) is sorted out in a transaction.
    if ((await store.single(insert)) !== undefined) return 'taken' as const
    return store.transaction(async (tx) => {
      await tx.kysely
        .deleteFrom('idempotency_keys')
        .where((eb) => eb.and(sameKey(id)))
        .where('expires_at', '<=', BigInt(nowMs))
        .execute()
      const held = heldBy(tx.dialect)
      const inserted = await insert(tx)
      if (inserted !== undefined) return 'taken' as const
      const row = await tx.kysely
        .selectFrom('idempotency_keys')
        .selectAll()
        .select((eb) =>
          sql<boolean>`(${eb.ref('lease_until')} > ${dbNowMs(tx.dialect)} and ${holderAlive(tx.dialect, eb.ref('holder'), nodeTtlMs, deps.nodeId)})`.as(
            'running',
          ),
        )
        .where((eb) => eb.and(sameKey(id)))
        .$if(tx.dialect === 'postgres', (q) => q.forUpdate())
        .executeTakeFirstOrThrow()
      // A request cut short with nothing committed: this one takes the key over and runs the operation.
      const abandoned = row.status === 'IN_PROGRESS' && !row.running
      if (abandoned && row.request_hash === hash) {
        await tx.kysely
          .updateTable('idempotency_keys')
          .set(held)
          .where((eb) => eb.and(sameKey(id)))
          .execute()
        return 'taken' as const
      }
      return row
    })
  }

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
    const auth = partnerOf(request)
    const path = request.url.split('?')[0] as string
    const hash = requestHash(request.method, path, request.body)
    const id = { partnerId: auth.partner.id, environment: auth.environment, key: header }
    const token = randomUUID()
    const row = await take(id, hash, token)
    if (row === 'taken') {
      request.idempotencyKey = { ...id, claim: token }
      return
    }
    if (row.request_hash !== hash) {
      return sendFailure(reply, {
        code: 'IDEMPOTENCY_KEY_REUSED',
        message: 'this Idempotency-Key was used with a different request',
      })
    }
    // Committed by a request that died before answering: answer from what it recorded.
    const recovered = row.status === 'COMMITTED' && !row.running ? await outcomeReplay(auth, row) : undefined
    if (recovered !== undefined) await finishAs(id, null, recovered.status, recovered.text)
    const answer =
      row.status === 'DONE'
        ? { status: Number(row.response_status), text: row.response_body as string }
        : recovered
    if (answer === undefined) {
      return sendFailure(reply, {
        code: 'IDEMPOTENCY_KEY_IN_USE',
        message: 'a request with this Idempotency-Key is still running',
      })
    }
    return reply
      .code(answer.status)
      .header('content-type', 'application/json; charset=utf-8')
      .header('idempotent-replayed', 'true')
      .send(answer.text)
  }

  async function complete(request: FastifyRequest, reply: FastifyReply, payload: unknown) {
    const held = request.idempotencyKey
    if (held === null) return payload
    request.idempotencyKey = null
    if (reply.statusCode >= 500) {
      const row = await store.kysely
        .selectFrom('idempotency_keys')
        .selectAll()
        .where((eb) => eb.and({ ...sameKey(held), claim: held.claim }))
        .executeTakeFirst()
      // Work that committed is never answered with a 5xx: the partner hears what it committed.
      const committed = row?.status === 'COMMITTED' ? await outcomeReplay(partnerOf(request), row) : undefined
      if (committed !== undefined) {
        await finishAs(held, held.claim, committed.status, committed.text)
        reply.code(committed.status).header('content-type', 'application/json; charset=utf-8')
        return committed.text
      }
    }
    // A 5xx with nothing committed may be retried, and a request refused as invalid never consumed its
    // key (SPEC §14.3), whether the schema or the handler found the problem.
    if (reply.statusCode >= 500 || reply.failureCode === 'VALIDATION_ERROR') {
      await store.transaction((tx) =>
        tx.kysely
          .deleteFrom('idempotency_keys')
          .where((eb) => eb.and({ ...sameKey(held), claim: held.claim }))
          .where('status', '=', 'IN_PROGRESS')
          .execute(),
      )
      return payload
    }
    await finishAs(held, held.claim, reply.statusCode, String(payload))
    return payload
  }

  /** The recorder a request's business transaction calls, or undefined without a key. */
  function recorder(request: FastifyRequest): RecordOutcome | undefined {
    const held = request.idempotencyKey
    if (held === null) return undefined
    return async (tx: Tx, outcome: CommittedOutcome) => {
      const updated = await tx.kysely
        .updateTable('idempotency_keys')
        .set(
          'resource' in outcome
            ? { status: 'COMMITTED', resource: outcome.resource }
            : {
                status: 'COMMITTED',
                response_status: BigInt(outcome.status),
                response_body: JSON.stringify(outcome.body),
              },
        )
        .where((eb) => eb.and({ ...sameKey(held), claim: held.claim }))
        .where('status', '=', 'IN_PROGRESS')
        .executeTakeFirst()
      // Another request took the key over (this node was believed dead): committing would be a second effect.
      if (updated.numUpdatedRows !== 1n)
        throw new Error('the idempotency key was taken over by another request')
    }
  }

  return { claim, complete, recorder }
}

/** Removes expired keys (wall clock); the purge worker runs it so the table does not grow without bound. */
export async function purgeExpiredKeys(store: Store, nowMs: number): Promise<number> {
  const result = await store.kysely
    .deleteFrom('idempotency_keys')
    .where('expires_at', '<=', BigInt(nowMs))
    .executeTakeFirst()
  return Number(result.numDeletedRows)
}
