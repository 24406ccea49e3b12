import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify'
import { Type } from 'typebox'
import type { ErrorCode, Failure } from '../errors.ts'
import { type SchemaError, validationMessage } from './validation-message.ts'

/** One exhaustive table from error code to HTTP status: the compiler catches a missing code (SPEC §3). */
export const HTTP_STATUS: Readonly<Record<ErrorCode, number>> = {
  VALIDATION_ERROR: 400,
  BELOW_MIN_TRANSACTION_SIZE: 400,
  DIRECTION_BLOCKED: 400,
  ABOVE_MAX_TRANSACTION_SIZE: 400,
  ARB_CHECK_FAILED: 400,
  QUOTE_EXPIRED: 400,
  UNAUTHORIZED: 401,
  FORBIDDEN: 403,
  NOT_FOUND: 404,
  QUOTE_ALREADY_EXECUTED: 409,
  IDEMPOTENCY_KEY_IN_USE: 409,
  CONFLICT: 409,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  IDEMPOTENCY_KEY_REUSED: 422,
  NO_VIABLE_RFQ_QUOTE: 422,
  CROSS_LEG_INSUFFICIENT: 422,
  VOLUME_LIMIT_EXCEEDED: 422,
  INSUFFICIENT_FUNDS: 422,
  OPEN_QUOTE_LIMIT_EXCEEDED: 422,
  QUOTE_STALE_PRICE: 409,
  RATE_LIMITED: 429,
  INTERNAL_ERROR: 500,
  ORACLE_STALE: 503,
  ORACLE_DEVIATION: 503,
  QUOTE_HALTED: 503,
  INSUFFICIENT_LIQUIDITY: 503,
  WALLET_NOT_WHITELISTED: 403,
  WALLET_COOLING: 403,
  DEPOSITS_DISABLED: 403,
  DEPOSIT_TOO_SMALL: 400,
  LOCK_PERIOD_ACTIVE: 409,
  WRONG_KTOKEN_VARIANT: 400,
  INSUFFICIENT_SHARES: 422,
  WITHDRAWAL_TIER_LIMIT: 409,
  WITHDRAWALS_PAUSED: 503,
  KTOKEN_EMPTY_VARIANT: 422,
  LP_POSITION_OPEN: 409,
  NOT_READY: 503,
  RAMP_UP_PAUSED: 403,
  CORRIDOR_NOT_ENABLED: 403,
  METHOD_NOT_ALLOWED: 405,
  REQUEST_TIMEOUT: 408,
  URI_TOO_LONG: 414,
  HEADERS_TOO_LARGE: 431,
}

/** The SPEC §3 error body, for OpenAPI and for fast serialisation. */
export const ErrorBody = Type.Object({
  error: Type.Object({
    code: Type.String(),
    message: Type.String(),
    corridor: Type.Optional(Type.String()),
    timestamp: Type.String(),
    request_id: Type.String(),
  }),
})

export const ERROR_RESPONSES = { '4xx': ErrorBody, '5xx': ErrorBody } as const

export function errorBody(failure: Pick<Failure, 'code' | 'message' | 'corridor'>, requestId: string) {
  return {
    error: {
      code: failure.code,
      message: failure.message,
      ...(failure.corridor === undefined ? {} : { corridor: failure.corridor }),
      timestamp: new Date().toISOString(),
      request_id: requestId,
    },
  }
}

declare module 'fastify' {
  interface FastifyReply {
    /** The SPEC §3 code of the failure this reply carries, if any (the idempotency hook reads it). */
    failureCode: ErrorCode | null
  }
}

export function sendFailure(reply: FastifyReply, failure: Pick<Failure, 'code' | 'message' | 'corridor'>) {
  reply.failureCode = failure.code
  return reply.code(HTTP_STATUS[failure.code]).send(errorBody(failure, reply.request.id))
}

/** The SPEC §3 code of a 4xx status the framework (not a service) decided. */
export function codeForStatus(status: number): ErrorCode {
  switch (status) {
    case 404:
      return 'NOT_FOUND'
    case 405:
      return 'METHOD_NOT_ALLOWED'
    case 408:
      return 'REQUEST_TIMEOUT'
    case 413:
      return 'PAYLOAD_TOO_LARGE'
    case 414:
      return 'URI_TOO_LONG'
    case 415:
      return 'UNSUPPORTED_MEDIA_TYPE'
    case 429:
      return 'RATE_LIMITED'
    case 431:
      return 'HEADERS_TOO_LARGE'
    default:
      return 'VALIDATION_ERROR'
  }
}

/** Maps what Fastify itself refuses (schema, body size, media type, bad JSON) to the SPEC §3 envelope. */
export function handleError(error: FastifyError, request: FastifyRequest, reply: FastifyReply) {
  if (error.validation !== undefined) {
    const context = (error as FastifyError & { validationContext?: string }).validationContext ?? 'body'
    return sendFailure(reply, {
      code: 'VALIDATION_ERROR',
      message: validationMessage(context, error.validation as SchemaError[]),
    })
  }
  switch (error.code) {
    case 'FST_ERR_CTP_BODY_TOO_LARGE':
      return sendFailure(reply, { code: 'PAYLOAD_TOO_LARGE', message: 'request body is too large' })
    case 'FST_ERR_CTP_INVALID_MEDIA_TYPE':
      return sendFailure(reply, { code: 'UNSUPPORTED_MEDIA_TYPE', message: 'send application/json' })
    default:
      break
  }
  const status = error.statusCode ?? 500
  if (status >= 400 && status < 500) {
    return sendFailure(reply, { code: codeForStatus(status), message: error.message })
  }
  request.log.error({ err: error }, 'unhandled error')
  return sendFailure(reply, { code: 'INTERNAL_ERROR', message: 'internal error' })
}
