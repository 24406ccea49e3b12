import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import type { Environment } from '../config/environment.ts'
import { ERROR_RESPONSES, sendFailure } from '../http/errors.ts'
import { EnvironmentSchema, LimitText, Strict } from '../http/schemas.ts'
import type { Store } from '../store/store.ts'
import { EventEnvelopeSchema } from './catalogue.ts'
import { formatCursor, parseFeedCursor, readFeed } from './feed.ts'
import { parseTypes } from './routes.ts'

const DEFAULT_LIMIT = 50
const TypeInput = Type.String({ maxLength: 600 })

/**
 * Issue 12: the operators' event feed. Events written for operators alone
 * (`audience = 'operator'`: a yield venue settlement's `settlement.confirmed`
 * or `settlement.failed`) are read here and nowhere else: no partner's feed,
 * stream or webhook carries them. Same envelope, cursor and paging as
 * GET /v1/events.
 */
export const eventAdminRoutes: FastifyPluginAsyncTypebox<{ store: Store }> = async (app, deps) => {
  app.get(
    '/admin/v1/events',
    {
      schema: {
        tags: ['admin'],
        summary: 'Operator events (e.g. yield venue settlements), oldest first, in commit order',
        description:
          'Events no partner receives. Page with `after` = the previous `next_cursor`; `type` filters by event type, repeated or comma-separated.',
        querystring: Strict({
          environment: Type.Optional(EnvironmentSchema),
          type: Type.Optional(Type.Union([TypeInput, Type.Array(TypeInput, { maxItems: 20 })])),
          after: Type.Optional(Type.String({ maxLength: 40, description: 'a next_cursor this API issued' })),
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
      const types = parseTypes(request.query.type)
      if (!types.ok) return sendFailure(reply, types)
      const after = parseFeedCursor(request.query.after, 'querystring/after')
      if (!after.ok) return sendFailure(reply, after)
      const rows = await readFeed(deps.store, {
        environment: (request.query.environment ?? 'sandbox') as Environment,
        audience: 'operator',
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
}
