import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { fail, ok, type Result } from '../errors.ts'
import { partnerOf } from '../http/auth.ts'
import { ERROR_RESPONSES, sendFailure } from '../http/errors.ts'
import { LimitText, Strict } from '../http/schemas.ts'
import { createStreamRegistry } from '../risk/stream.ts'
import type { Store } from '../store/store.ts'
import { EVENT_TYPES, EventEnvelopeSchema } from './catalogue.ts'
import type { EventType } from './events.ts'
import { findEvent, formatCursor, parseFeedCursor, readFeed } from './feed.ts'
import { streamEvents } from './stream.ts'
import { createEventTail } from './tail.ts'

const DEFAULT_LIMIT = 50
const CursorInput = Type.String({ maxLength: 40, description: 'a next_cursor (or SSE id) this API issued' })
const TypeInput = Type.String({ maxLength: 600 })

/**
 * The `type` filter: repeated (`type=a&type=b`), comma-separated
 * (`type=a,b`), or both; every name must be a known event type (400
 * otherwise), so a typo never reads as "no events".
 */
export function parseTypes(value: string | readonly string[] | undefined): Result<EventType[] | undefined> {
  if (value === undefined) return ok(undefined)
  const names = (typeof value === 'string' ? [value] : value).flatMap((part) => part.split(','))
  const known = new Set<string>(EVENT_TYPES)
  const unknown = names.filter((name) => !known.has(name))
  if (unknown.length > 0) {
    return fail('VALIDATION_ERROR', `querystring/type: unknown event type ${JSON.stringify(unknown[0])}`)
  }
  return ok([...new Set(names)] as EventType[])
}

/**
 * SPEC §10, §15 event feed for the calling partner: its own events and the
 * broadcasts of its environment, in commit order (src/events/feed.ts).
 */
export const eventRoutes: FastifyPluginAsyncTypebox<{
  store: Store
  /** STABLEFX_SSE_MAX_PER_PARTNER: event streams one partner may hold open on one node. */
  sseMaxPerPartner?: number
  /** How often a node reads new events for its open streams (TAIL_POLL_MS by default). */
  tailPollMs?: number
}> = async (app, deps) => {
  const registry = createStreamRegistry(deps.sseMaxPerPartner)
  const tail = createEventTail({
    store: deps.store,
    log: app.log,
    ...(deps.tailPollMs === undefined ? {} : { pollMs: deps.tailPollMs }),
  })
  const stream = streamEvents({ store: deps.store, tail, registry })
  app.addHook('preClose', async () => {
    tail.stop()
    for (const reply of registry.open) reply.raw.end()
  })

  app.get(
    '/v1/events',
    {
      schema: {
        tags: ['partner'],
        operationId: 'listEvents',
        summary: 'The partner’s events and its environment’s broadcasts, oldest first, in commit order',
        description:
          'Page with `after` = the previous `next_cursor`. An empty page means nothing newer has committed yet: ' +
          'poll again with the same cursor. `type` filters by event type, repeated or comma-separated.',
        querystring: Strict({
          type: Type.Optional(Type.Union([TypeInput, Type.Array(TypeInput, { maxItems: 20 })])),
          after: Type.Optional(CursorInput),
          limit: Type.Optional(LimitText),
        }),
        response: {
          200: Type.Object({
            items: Type.Array(EventEnvelopeSchema),
            next_cursor: Type.Union([Type.String(), Type.Null()], {
              description: 'the cursor of the last item, or `after` again when there is none',
            }),
          }),
          ...ERROR_RESPONSES,
        },
      },
    },
    async (request, reply) => {
      const { environment, partner } = partnerOf(request)
      const types = parseTypes(request.query.type)
      if (!types.ok) return sendFailure(reply, types)
      const after = parseFeedCursor(request.query.after, 'querystring/after')
      if (!after.ok) return sendFailure(reply, after)
      const rows = await readFeed(deps.store, {
        environment,
        partnerId: partner.id,
        types: types.value,
        after: after.value,
        limit: request.query.limit === undefined ? DEFAULT_LIMIT : Number(request.query.limit),
      })
      const last = rows.at(-1)
      return {
        items: rows.map((row) => row.envelope),
        next_cursor: last === undefined ? (request.query.after ?? null) : formatCursor(last.cursor),
      }
    },
  )

  app.get(
    '/v1/events/stream',
    {
      schema: {
        tags: ['partner'],
        operationId: 'streamEvents',
        summary:
          'Every event of the partner and every broadcast, as Server-Sent Events (id = feed cursor, event = type, data = envelope); resumable with Last-Event-ID; headers at once; heartbeat every 15 s; at most STABLEFX_SSE_MAX_PER_PARTNER (default 5) per partner per node',
        headers: Type.Object({
          'last-event-id': Type.Optional(
            Type.String({
              description: 'resume after this event: the `id` of the last frame received (a feed cursor)',
            }),
          ),
        }),
        response: {
          200: {
            description:
              'text/event-stream: frames `id: <cursor>`, `event: <type>`, `data: <envelope JSON>`; comment lines are heartbeats',
            content: { 'text/event-stream': { schema: Type.String() } },
          },
          '4xx': ERROR_RESPONSES['4xx'],
        },
      },
    },
    (request, reply) => {
      const caller = partnerOf(request)
      return stream(request, reply, { partnerId: caller.partner.id, environment: caller.environment })
    },
  )

  app.get(
    '/v1/events/:id',
    {
      schema: {
        tags: ['partner'],
        operationId: 'getEvent',
        summary: 'One event: the partner’s own, or a broadcast of its environment (404 otherwise)',
        params: Strict({ id: Type.String({ maxLength: 64 }) }),
        response: { 200: EventEnvelopeSchema, ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const { environment, partner } = partnerOf(request)
      const found = await findEvent(deps.store, {
        environment,
        partnerId: partner.id,
        eventId: request.params.id,
      })
      return found.ok ? found.value : sendFailure(reply, found)
    },
  )
}
