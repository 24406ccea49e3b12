import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply } from 'fastify'
import { Type } from 'typebox'
import type { Environment } from '../config/environment.ts'
import { actorOf, partnerOf } from '../http/auth.ts'
import { ERROR_RESPONSES, sendFailure } from '../http/errors.ts'
import {
  CursorText,
  EnvironmentSchema,
  LimitText,
  OneOf,
  parseCursor,
  Strict,
  UuidText,
} from '../http/schemas.ts'
import { ATTEMPT_OUTCOMES, ENDPOINT_STATUSES, SUBSCRIBABLE_EVENTS } from './model.ts'
import type { WebhookService } from './service.ts'

const EndpointSchema = Type.Object({
  environment: Type.String(),
  url: Type.String(),
  events: Type.Array(Type.String()),
  all_events: Type.Boolean(),
  status: OneOf(ENDPOINT_STATUSES),
  status_reason: Type.Union([Type.String(), Type.Null()]),
  verified_at: Type.Union([Type.String(), Type.Null()]),
  created_at: Type.String(),
  updated_at: Type.String(),
})

const EndpointInput = Strict({
  url: Type.String({ minLength: 1, maxLength: 2_048 }),
  events: Type.Optional(Type.Array(OneOf(SUBSCRIBABLE_EVENTS), { minItems: 1, maxItems: 32 })),
})

const AttemptSchema = Type.Object({
  attempt_id: Type.String(),
  event_id: Type.String(),
  event: Type.String(),
  attempt: Type.Integer(),
  status: OneOf(ATTEMPT_OUTCOMES),
  status_code: Type.Union([Type.Integer(), Type.Null()]),
  latency_ms: Type.Integer(),
  error: Type.Union([Type.String(), Type.Null()]),
  attempted_at: Type.String(),
})

const AttemptPage = Type.Object({
  items: Type.Array(AttemptSchema),
  next_cursor: Type.Union([Type.String(), Type.Null()]),
})

const AttemptFilters = {
  event_id: Type.Optional(Type.String({ maxLength: 64 })),
  status: Type.Optional(OneOf(ATTEMPT_OUTCOMES)),
  cursor: Type.Optional(CursorText),
  limit: Type.Optional(LimitText),
}

const Redelivered = Type.Object({ event_id: Type.String(), status: Type.Literal('PENDING') })
const DeadLettersRedelivered = Type.Object({ redelivered: Type.Integer() })

type Filters = {
  event_id?: string
  status?: (typeof ATTEMPT_OUTCOMES)[number]
  cursor?: string
  limit?: string
}

async function listPage(
  webhooks: WebhookService,
  reply: FastifyReply,
  scope: { environment: Environment; partnerId: string },
  filters: Filters,
) {
  const cursor = parseCursor(filters.cursor, 'querystring/cursor')
  if (!cursor.ok) return sendFailure(reply, cursor)
  const page = await webhooks.deliveries(scope, {
    eventId: filters.event_id,
    status: filters.status,
    cursor: cursor.value,
    limit: filters.limit === undefined ? 50 : Number(filters.limit),
  })
  return { items: page.items, next_cursor: page.nextCursor }
}

/**
 * SPEC §10, §15: a partner's own webhook endpoint in the environment of its
 * key (a sandbox key sets the sandbox endpoint), its delivery log, and
 * manual redelivery.
 */
export const webhookRoutes: FastifyPluginAsyncTypebox<{ webhooks: WebhookService }> = async (
  app,
  { webhooks },
) => {
  const scopeOf = (request: Parameters<typeof partnerOf>[0]) => {
    const { partner, environment } = partnerOf(request)
    return { environment, partnerId: partner.id }
  }

  app.put(
    '/v1/webhook',
    {
      schema: {
        tags: ['partner'],
        summary: 'Set the webhook endpoint of this environment; it is verified before any event is sent',
        body: EndpointInput,
        response: { 200: EndpointSchema, ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const result = await webhooks.put(scopeOf(request), request.body)
      return result.ok ? result.value : sendFailure(reply, result)
    },
  )

  app.get(
    '/v1/webhook',
    {
      schema: {
        tags: ['partner'],
        summary: 'The partner’s webhook endpoint in this environment, and whether it is verified',
        response: { 200: EndpointSchema, ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const result = await webhooks.get(scopeOf(request))
      return result.ok ? result.value : sendFailure(reply, result)
    },
  )

  app.get(
    '/v1/webhook/deliveries',
    {
      schema: {
        tags: ['partner'],
        summary: 'The delivery log, one item per attempt, newest first',
        querystring: Strict(AttemptFilters),
        response: { 200: AttemptPage, ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => listPage(webhooks, reply, scopeOf(request), request.query),
  )

  app.post(
    '/v1/webhook/deliveries/:event_id/redeliver',
    {
      schema: {
        tags: ['partner'],
        summary: 'Send an event again (at the back of the queue, same id and body)',
        params: Strict({ event_id: Type.String({ maxLength: 64 }) }),
        response: { 202: Redelivered, ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const result = await webhooks.redeliver(scopeOf(request), request.params.event_id)
      return result.ok ? reply.code(202).send(result.value) : sendFailure(reply, result)
    },
  )

  app.post(
    '/v1/webhook/dead-letters/redeliver',
    {
      schema: {
        tags: ['partner'],
        summary: 'Send every dead-lettered event again, in order',
        response: { 202: DeadLettersRedelivered, ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const result = await webhooks.redeliverDeadLetters(scopeOf(request))
      return result.ok ? reply.code(202).send(result.value) : sendFailure(reply, result)
    },
  )
}

const AdminParams = Strict({ id: UuidText })
const AdminEnvironment = { environment: Type.Optional(EnvironmentSchema) }

/** The same for the operator, for any partner and environment (`?environment=`, sandbox by default); audited. */
export const webhookAdminRoutes: FastifyPluginAsyncTypebox<{ webhooks: WebhookService }> = async (
  app,
  { webhooks },
) => {
  const scope = (id: string, environment: Environment | undefined) => ({
    partnerId: id,
    environment: environment ?? 'sandbox',
  })

  app.put(
    '/admin/v1/partners/:id/webhook',
    {
      schema: {
        tags: ['admin'],
        summary: 'Set a partner’s webhook endpoint (audited)',
        params: AdminParams,
        querystring: Strict(AdminEnvironment),
        body: EndpointInput,
        response: { 200: EndpointSchema, ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const result = await webhooks.put(
        scope(request.params.id, request.query.environment),
        request.body,
        actorOf(request),
      )
      return result.ok ? result.value : sendFailure(reply, result)
    },
  )

  app.get(
    '/admin/v1/partners/:id/webhook',
    {
      schema: {
        tags: ['admin'],
        summary: 'A partner’s webhook endpoint',
        params: AdminParams,
        querystring: Strict(AdminEnvironment),
        response: { 200: EndpointSchema, ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const result = await webhooks.get(scope(request.params.id, request.query.environment))
      return result.ok ? result.value : sendFailure(reply, result)
    },
  )

  app.get(
    '/admin/v1/partners/:id/webhook/deliveries',
    {
      schema: {
        tags: ['admin'],
        summary: 'A partner’s webhook deliveries, newest first',
        params: AdminParams,
        querystring: Strict({ ...AdminEnvironment, ...AttemptFilters }),
        response: { 200: AttemptPage, ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const { environment, ...filters } = request.query
      return listPage(webhooks, reply, scope(request.params.id, environment), filters)
    },
  )

  app.post(
    '/admin/v1/partners/:id/webhook/deliveries/:event_id/redeliver',
    {
      schema: {
        tags: ['admin'],
        summary: 'Deliver one event to a partner again',
        params: Strict({ id: UuidText, event_id: Type.String({ maxLength: 64 }) }),
        querystring: Strict(AdminEnvironment),
        response: { 202: Redelivered, ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const result = await webhooks.redeliver(
        scope(request.params.id, request.query.environment),
        request.params.event_id,
        actorOf(request),
      )
      return result.ok ? reply.code(202).send(result.value) : sendFailure(reply, result)
    },
  )

  app.post(
    '/admin/v1/partners/:id/webhook/dead-letters/redeliver',
    {
      schema: {
        tags: ['admin'],
        summary: 'Deliver a partner’s dead-lettered events again',
        params: AdminParams,
        querystring: Strict(AdminEnvironment),
        response: { 202: DeadLettersRedelivered, ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const result = await webhooks.redeliverDeadLetters(
        scope(request.params.id, request.query.environment),
        actorOf(request),
      )
      return result.ok ? reply.code(202).send(result.value) : sendFailure(reply, result)
    },
  )
}
