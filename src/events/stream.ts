import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Environment } from '../config/environment.ts'
import { sendFailure } from '../http/errors.ts'
import {
  HEARTBEAT_MS,
  releaseSlot,
  SSE_RETRY_AFTER_S,
  type StreamRegistry,
  takeSlot,
} from '../risk/stream.ts'
import type { Store } from '../store/store.ts'
import {
  compareCursors,
  type FeedCursor,
  type FeedRow,
  feedHead,
  formatCursor,
  parseFeedCursor,
  readFeed,
} from './feed.ts'
import type { EventTail } from './tail.ts'

const REPLAY_PAGE = 500

/** One SSE frame: the feed cursor as its id (what Last-Event-ID sends back), the type, the envelope. */
const frame = (row: FeedRow) =>
  `id: ${formatCursor(row.cursor)}\nevent: ${row.envelope.event}\ndata: ${JSON.stringify(row.envelope)}\n\n`

/**
 * GET /v1/events/stream: every event of the partner and every broadcast of
 * its environment, as Server-Sent Events in feed order, each with its feed
 * cursor as `id`. With `Last-Event-ID` (a cursor) it resumes right after that
 * event: what was missed is read from the store, then live events follow
 * with none lost or repeated; without it, it starts with what happens next.
 * Headers go out at once (and a comment line), then a heartbeat every 15 s.
 * A partner holds at most `registry.maxPerPartner` event streams on one node;
 * one more is 429 RATE_LIMITED with Retry-After. A Last-Event-ID that is not
 * a cursor is 400: starting afresh would silently skip events.
 */
export function streamEvents(deps: { store: Store; tail: EventTail; registry: StreamRegistry }) {
  return async (
    request: FastifyRequest,
    reply: FastifyReply,
    caller: { partnerId: string; environment: Environment },
  ) => {
    const header = request.headers['last-event-id']
    const resume = parseFeedCursor(typeof header === 'string' ? header : undefined, 'Last-Event-ID')
    if (!resume.ok) return sendFailure(reply, resume)
    if (!takeSlot(deps.registry, caller.partnerId)) {
      reply.header('retry-after', String(SSE_RETRY_AFTER_S))
      return sendFailure(reply, {
        code: 'RATE_LIMITED',
        message: `at most ${deps.registry.maxPerPartner} event streams per partner on one node`,
      })
    }
    reply.raw.on('close', () => releaseSlot(deps.registry, caller.partnerId))
    reply.hijack()
    const raw = reply.raw
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      'x-request-id': request.id,
    })
    raw.flushHeaders()
    raw.write(': stream open\n\n')
    let closed = false
    let lastSent: FeedCursor | undefined
    const held: FeedRow[] = []
    let replaying = true
    const send = (row: FeedRow) => {
      if (closed || (lastSent !== undefined && compareCursors(row.cursor, lastSent) <= 0)) return
      lastSent = row.cursor
      raw.write(frame(row))
    }
    const heartbeat = setInterval(() => raw.write(': heartbeat\n\n'), HEARTBEAT_MS)
    heartbeat.unref()
    let unsubscribe: (() => void) | undefined
    deps.registry.open.add(reply)
    raw.on('close', () => {
      closed = true
      clearInterval(heartbeat)
      unsubscribe?.()
      deps.registry.open.delete(reply)
    })
    try {
      // Subscribed before reading: whatever becomes readable after the reads below reaches the tail.
      const stop = await deps.tail.subscribe(caller.environment, {
        partnerId: caller.partnerId,
        deliver: (row) => (replaying ? held.push(row) : send(row)),
      })
      if (closed) return stop()
      unsubscribe = stop
      lastSent = resume.value ?? (await feedHead(deps.store, caller.environment))
      await replay(
        deps.store,
        caller,
        send,
        () => lastSent,
        () => closed,
      )
    } catch (error) {
      request.log.warn({ err: error }, 'event stream could not start')
      raw.end()
      return
    }
    replaying = false
    for (const row of held.splice(0)) send(row)
  }
}

/** Sends what was committed after the resume point, page by page, until a page comes back short. */
async function replay(
  store: Store,
  caller: { partnerId: string; environment: Environment },
  send: (row: FeedRow) => void,
  position: () => FeedCursor | undefined,
  closed: () => boolean,
): Promise<void> {
  while (!closed()) {
    const rows = await readFeed(store, {
      environment: caller.environment,
      partnerId: caller.partnerId,
      after: position(),
      limit: REPLAY_PAGE,
    })
    for (const row of rows) send(row)
    if (rows.length < REPLAY_PAGE) return
  }
}
