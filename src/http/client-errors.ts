import { randomUUID } from 'node:crypto'
import { type ServerResponse, STATUS_CODES } from 'node:http'
import type { Socket } from 'node:net'
import type { FastifyError, FastifyInstance, FastifyReply, FastifyRequest, HTTPMethods } from 'fastify'
import type { ErrorCode } from '../errors.ts'
import { codeForStatus, errorBody, HTTP_STATUS, sendFailure } from './errors.ts'

/**
 * The refusals that happen before a route runs, each given the SPEC §3
 * envelope like every other error: requests Node's HTTP parser cannot read
 * (a raw response written on the socket), URLs the router cannot decode,
 * and methods a path does not serve.
 */

/** Fastify's limit on one path parameter; longer is 414 (a whole URL is bounded by MAX_URL_LENGTH). */
export const MAX_PARAM_LENGTH = 100

/** What Node's parser reports, as a SPEC §3 failure. */
function parserFailure(
  code: string | undefined,
  requestTimeoutMs: number,
): { code: ErrorCode; message: string } {
  switch (code) {
    case 'ERR_HTTP_REQUEST_TIMEOUT':
      return {
        code: 'REQUEST_TIMEOUT',
        message: `the request was not received within ${requestTimeoutMs} ms`,
      }
    case 'HPE_HEADER_OVERFLOW':
      return { code: 'HEADERS_TOO_LARGE', message: 'the request line and headers exceed 16 KiB' }
    case 'HPE_CHUNK_EXTENSIONS_OVERFLOW':
      return { code: 'PAYLOAD_TOO_LARGE', message: 'chunk extensions are too large' }
    default:
      return { code: 'VALIDATION_ERROR', message: 'malformed HTTP request' }
  }
}

/** A whole HTTP/1.1 response carrying the envelope, for a socket no request object exists on. */
export function rawErrorResponse(failure: { code: ErrorCode; message: string }, requestId: string): string {
  const status = HTTP_STATUS[failure.code]
  const body = JSON.stringify(errorBody(failure, requestId))
  return [
    `HTTP/1.1 ${status} ${STATUS_CODES[status] ?? 'Error'}`,
    'Content-Type: application/json; charset=utf-8',
    `Content-Length: ${Buffer.byteLength(body)}`,
    `X-Request-ID: ${requestId}`,
    'Connection: close',
    '',
    body,
  ].join('\r\n')
}

/**
 * Fastify's `clientErrorHandler`: Node's parser gave up on a connection
 * (garbage, headers over 16 KiB, the request timeout). Like Node's own
 * handler, it answers only when no response has started on the socket, then
 * closes it; unlike it, the answer is the SPEC §3 envelope with a fresh
 * request id.
 */
export function createClientErrorHandler(requestTimeoutMs: number) {
  return function clientErrorHandler(
    this: FastifyInstance,
    error: Error & { code?: string },
    socket: Socket,
  ) {
    if (error.code === 'ECONNRESET' || socket.destroyed) return
    const requestId = randomUUID()
    const failure = parserFailure(error.code, requestTimeoutMs)
    // Only what identifies the refusal is logged: the error's rawPacket is attacker-sized.
    this.log.debug({ request_id: requestId, reason: error.code, code: failure.code }, 'client error')
    const inFlight = (socket as Socket & { _httpMessage?: ServerResponse | null })._httpMessage
    if (socket.writable && inFlight?.headersSent !== true) {
      socket.write(rawErrorResponse(failure, requestId))
    }
    socket.destroy()
  }
}

/**
 * Fastify's `frameworkErrors`: the router could not decode the URL
 * (`%E0%A4%A`), or a path parameter is longer than MAX_PARAM_LENGTH.
 * No route hook ran, so the request id header is set here.
 */
export function frameworkErrors(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  reply.header('x-request-id', request.id)
  switch (error.code) {
    case 'FST_ERR_BAD_URL':
      return sendFailure(reply, {
        code: 'VALIDATION_ERROR',
        message: 'the URL has a malformed percent-encoding',
      })
    case 'FST_ERR_MAX_PARAM_LENGTH':
      return sendFailure(reply, {
        code: 'URI_TOO_LONG',
        message: `a path segment is longer than ${MAX_PARAM_LENGTH} characters`,
      })
    default: {
      const status = error.statusCode ?? 500
      if (status >= 400 && status < 500)
        return sendFailure(reply, { code: codeForStatus(status), message: error.message })
      request.log.error({ err: error }, 'framework error')
      return sendFailure(reply, { code: 'INTERNAL_ERROR', message: 'internal error' })
    }
  }
}

const METHODS: readonly HTTPMethods[] = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS']

/** The methods some route serves at `url`'s path: empty when the path itself is unknown (404, not 405). */
export function allowedMethods(app: FastifyInstance, url: string): HTTPMethods[] {
  const path = url.split('?', 1)[0] ?? url
  return METHODS.filter((method) => app.findRoute({ method, url: path }) !== null)
}
