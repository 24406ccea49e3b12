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
import type { Failure } from '../errors.ts'
import {
  allowedMethods,
  createClientErrorHandler,
  frameworkErrors,
  MAX_PARAM_LENGTH,
} from './client-errors.ts'
import { handleError, sendFailure } from './errors.ts'
import { registerJsonParser } from './json.ts'
import { type LogDestination, stdoutDestination } from './log-destination.ts'
import type { Metrics } from './metrics.ts'
import { documentRoute, type RouteDoc, SECURITY_SCHEMES } from './openapi.ts'
import { forbiddenInFields } from './text.ts'

/** SPEC §14.4: bounded bodies. 64 KiB is far above any request of this API. */
export const BODY_LIMIT_BYTES = 64 * 1024
/** SPEC §14.4: bounded URLs. The longest request of this API is a fraction of this; longer is 414. */
export const MAX_URL_LENGTH = 4096
/**
 * A whole request, headers and body, must arrive within this; a sender that
 * stalls (a body shorter than its Content-Length) is answered 408 and
 * disconnected instead of holding the connection. A 64 KiB body takes
 * milliseconds on any working link.
 */
export const REQUEST_TIMEOUT_MS = 10_000
/**
 * A socket that moves no byte either way for this long is destroyed: a
 * client that stopped reading its response, a stream whose reader is gone.
 * Four state-stream heartbeats (15 s) fit in it, so a quiet stream lives.
 */
export const CONNECTION_TIMEOUT_MS = 60_000
/**
 * An idle keep-alive connection is closed after this. Longer than the 60 s
 * idle timeout of common load balancers, so the balancer closes first and
 * never sends a request on a connection the server is closing.
 */
export const KEEP_ALIVE_TIMEOUT_MS = 72_000
const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/

type Hook = (request: FastifyRequest, reply: FastifyReply) => Promise<unknown>

/** Registers `plugins` in one encapsulated scope behind an `onRequest` hook. */
export function guarded(
  hook: Hook,
  plugins: (scope: FastifyInstance) => Promise<void>,
  /** How /openapi.json documents the routes behind this guard (issue 15): the credential it checks. */
  doc?: RouteDoc,
): FastifyPluginAsync {
  return async (scope) => {
    scope.addHook('onRequest', hook)
    if (doc !== undefined) scope.addHook('onRoute', (route) => documentRoute(route, doc))
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
  /** Where log lines go; stdout through the non-blocking destination by default (src/http/log-destination.ts). */
  logStream?: LogDestination
  /** REQUEST_TIMEOUT_MS unless given; tests shorten it. */
  requestTimeoutMs?: number
}): Promise<FastifyInstance> {
  const requestTimeoutMs = options.requestTimeoutMs ?? REQUEST_TIMEOUT_MS
  const app = Fastify({
    logger: {
      stream: options.logStream ?? stdoutDestination(),
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
    // Requests arriving on a draining connection get the SPEC §3 envelope from the onRequest hook below.
    return503OnClosing: false,
    forceCloseConnections: 'idle',
    requestTimeout: requestTimeoutMs,
    connectionTimeout: CONNECTION_TIMEOUT_MS,
    keepAliveTimeout: KEEP_ALIVE_TIMEOUT_MS,
    // Node checks the request and header timeouts on this interval (30 s by default, which would let a
    // stalled request live up to 40 s).
    http: {
      requestTimeout: requestTimeoutMs,
      headersTimeout: requestTimeoutMs,
      connectionsCheckingInterval: Math.min(1_000, Math.ceil(requestTimeoutMs / 2)),
    },
    routerOptions: { maxParamLength: MAX_PARAM_LENGTH },
    frameworkErrors,
    clientErrorHandler: createClientErrorHandler(requestTimeoutMs),
    ajv: {
      customOptions: { coerceTypes: false, removeAdditional: false, useDefaults: false, allErrors: false },
    },
  }).withTypeProvider<TypeBoxTypeProvider>()

  app.decorateRequest('partnerAuth', null)
  app.decorateRequest('actor', null)
  app.decorateReply('failureCode', null)
  registerJsonParser(app)
  app.setErrorHandler(handleError)
  // A path that exists under another method is 405 with Allow (RFC 9110 §15.5.6), not 404.
  app.setNotFoundHandler((request, reply) => {
    const allowed = allowedMethods(app, request.url)
    if (allowed.length === 0) return sendFailure(reply, { code: 'NOT_FOUND', message: 'no such route' })
    reply.header('allow', allowed.join(', '))
    return sendFailure(reply, {
      code: 'METHOD_NOT_ALLOWED',
      message: `${request.method} is not served here; allowed: ${allowed.join(', ')}`,
    })
  })
  // Draining (SPEC §14.6): connections still open when their last response ends are closed (see
  // onResponse), so a keep-alive connection does not hold the server open for its idle timeout.
  let closing = false
  app.addHook('preClose', async () => {
    closing = true
  })
  // Hooks on every request are synchronous callbacks: an async hook costs a promise per request.
  app.addHook('onRequest', (request, reply, done) => {
    reply.header('x-request-id', request.id)
    const refusal = refusalOf(request, closing)
    // Replying from a callback hook ends the request there: `done` is not called.
    if (refusal !== undefined) return void sendFailure(reply, refusal)
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

  // Issue 15: every operation has an operationId and the SPEC §3 error body (src/http/openapi.ts).
  app.addHook('onRoute', (route) => documentRoute(route, undefined))
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'stablefx',
        version: '0.1.0',
        description: 'Stablecoin FX liquidity and settlement layer. Amounts are decimal strings.',
        license: { name: 'Apache-2.0', identifier: 'Apache-2.0' },
      },
      servers: [{ url: 'http://127.0.0.1:8080', description: 'npm start (sandbox on SQLite)' }],
      components: { securitySchemes: SECURITY_SCHEMES },
      // Each guard names its credential (src/routes.ts); a route outside every guard needs none.
      security: [],
    },
  })
  await app.register(swaggerUi, { routePrefix: '/docs' })

  return app
}

/** What every request is refused for before any route looks at it, whatever its route. */
function refusalOf(request: FastifyRequest, closing: boolean): Pick<Failure, 'code' | 'message'> | undefined {
  if (closing) return { code: 'NOT_READY', message: 'the server is shutting down; retry on another node' }
  if (request.url.length > MAX_URL_LENGTH) {
    return { code: 'URI_TOO_LONG', message: `the URL is longer than ${MAX_URL_LENGTH} characters` }
  }
  // The router decodes the path (a bad escape there is FST_ERR_BAD_URL); the query parser keeps a bad
  // escape as literal text, so `%E0%A4%A` would arrive as those eight characters.
  const query = request.url.indexOf('?')
  if (query >= 0 && !decodable(request.url.slice(query + 1))) {
    return { code: 'VALIDATION_ERROR', message: 'the query string has a malformed percent-encoding' }
  }
  // Free text in the query string and path follows the body's rule (src/http/text.ts).
  const forbidden =
    forbiddenInFields(request.params, 'params') ?? forbiddenInFields(request.query, 'querystring')
  return forbidden === undefined ? undefined : { code: 'VALIDATION_ERROR', message: forbidden }
}

/** True when every `%` escape is two hex digits and the bytes they make are UTF-8. */
function decodable(text: string): boolean {
  if (!text.includes('%')) return true
  try {
    decodeURIComponent(text)
    return true
  } catch {
    return false
  }
}
