import { randomUUID } from 'node:crypto'
import swagger from '@fastify/swagger'
import swaggerUi from '@fastify/swagger-ui'
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox'
import Fastify, {
  type FastifyInstance,
  type FastifyPluginAsync,
  type FastifyReply,
  type FastifyRequest,
  LogController,
} from 'fastify'
import type { LogLevel } from '../config/settings.ts'
import { handleError, sendFailure } from './errors.ts'
import { registerJsonParser } from './json.ts'
import type { Metrics } from './metrics.ts'

/** SPEC §14.4: bounded bodies. 64 KiB is far above any request of this API. */
export const BODY_LIMIT_BYTES = 64 * 1024
const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/

type Hook = (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>

/** Registers `plugins` in one encapsulated scope behind an `onRequest` hook. */
export function guarded(hook: Hook, plugins: (scope: FastifyInstance) => Promise<void>): FastifyPluginAsync {
  return async (scope) => {
    scope.addHook('onRequest', hook)
    await plugins(scope)
  }
}

/**
 * The HTTP plumbing every route shares: logging, request ids, strict JSON,
 * the SPEC §3 error envelope, metrics, draining, and the OpenAPI document.
 * Which routes it serves is decided by the composition root (src/routes.ts).
 */
export async function buildHttpShell(options: {
  logLevel: LogLevel
  metrics: Metrics
}): Promise<FastifyInstance> {
  const app = Fastify({
    logger: {
      level: options.logLevel,
      base: { service: 'stablefx' },
      // Secrets never reach a log line (SPEC §14.4): request headers are not logged, and these paths are redacted.
      redact: [
        'req.headers.authorization',
        'req.headers["x-partner-id"]',
        '*.api_key',
        '*.sandbox_api_key',
        '*.webhook_secret',
      ],
    },
    // Per-request lines are written by our own onResponse hook, at debug level (they cost throughput at info).
    logController: new LogController({ disableRequestLogging: true, requestIdLogLabel: 'request_id' }),
    bodyLimit: BODY_LIMIT_BYTES,
    genReqId: (request) => {
      const given = request.headers['x-request-id']
      return typeof given === 'string' && REQUEST_ID.test(given) ? given : randomUUID()
    },
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    ajv: {
      customOptions: { coerceTypes: false, removeAdditional: false, useDefaults: false, allErrors: false },
    },
  }).withTypeProvider<TypeBoxTypeProvider>()

  app.decorateRequest('partnerAuth', null)
  app.decorateRequest('actor', null)
  app.decorateReply('failureCode', null)
  registerJsonParser(app)
  app.setErrorHandler(handleError)
  app.setNotFoundHandler((_request, reply) =>
    sendFailure(reply, { code: 'NOT_FOUND', message: 'no such route' }),
  )
  // Draining (SPEC §14.6): connections still open when their last response ends are closed (see
  // onResponse), so a keep-alive connection does not hold the server open for its idle timeout.
  let closing = false
  app.addHook('preClose', async () => {
    closing = true
  })
  // Hooks on every request are synchronous callbacks: an async hook costs a promise per request.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id)
    done()
  })
  app.addHook('onResponse', (request, reply, done) => {
    const route = request.routeOptions.url ?? 'unmatched'
    options.metrics.httpRequests.inc({ method: request.method, route, status: String(reply.statusCode) })
    options.metrics.httpDuration.observe({ method: request.method, route }, reply.elapsedTime / 1000)
    if (reply.statusCode >= 500) request.log.error({ route, status: reply.statusCode }, 'request failed')
    else request.log.debug({ route, status: reply.statusCode, ms: reply.elapsedTime }, 'request')
    // Draining: a keep-alive connection whose last response finished after close began is ended now.
    if (closing) request.raw.socket?.end()
    done()
  })

  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'stablefx',
        version: '0.1.0',
        description: 'Stablecoin FX liquidity and settlement layer. Amounts are decimal strings.',
      },
      components: {
        securitySchemes: {
          bearer: {
            type: 'http',
            scheme: 'bearer',
            description: 'Partner API key, or the admin token on /admin',
          },
        },
      },
      security: [{ bearer: [] }],
    },
  })
  await app.register(swaggerUi, { routePrefix: '/docs' })

  return app
}
