import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { ERROR_RESPONSES, sendFailure } from '../http/errors.ts'
import { CursorText, LimitText, parseCursor, Strict } from '../http/schemas.ts'
import type { Store } from '../store/store.ts'
import { listAudit } from './audit.ts'

const AuditItem = Type.Object({
  id: Type.String(),
  actor: Type.String(),
  action: Type.String(),
  target_type: Type.String(),
  target_id: Type.String(),
  before: Type.Unknown(),
  after: Type.Unknown(),
  at: Type.String(),
})

export const auditAdminRoutes: FastifyPluginAsyncTypebox<{ store: Store }> = async (app, { store }) => {
  app.get(
    '/admin/v1/audit',
    {
      schema: {
        tags: ['admin'],
        summary: 'The audit log, newest first',
        querystring: Strict({
          target_id: Type.Optional(Type.String({ maxLength: 200 })),
          action: Type.Optional(Type.String({ maxLength: 100 })),
          cursor: Type.Optional(CursorText),
          limit: Type.Optional(LimitText),
        }),
        response: {
          200: Type.Object({
            items: Type.Array(AuditItem),
            next_cursor: Type.Union([Type.String(), Type.Null()]),
          }),
          ...ERROR_RESPONSES,
        },
      },
    },
    async (request, reply) => {
      const { target_id, action, limit } = request.query
      const cursor = parseCursor(request.query.cursor, 'querystring/cursor')
      if (!cursor.ok) return sendFailure(reply, cursor)
      const page = await listAudit(store, {
        ...(target_id === undefined ? {} : { targetId: target_id }),
        ...(action === undefined ? {} : { action }),
        ...(cursor.value === undefined ? {} : { cursor: cursor.value }),
        limit: limit === undefined ? 50 : Number(limit),
      })
      return { items: page.items, next_cursor: page.nextCursor }
    },
  )
}
