/**
 * Expected business outcomes are values, not exceptions (CONVENTIONS.md):
 * services return a `Result`, and the HTTP layer maps each code to a status
 * through one exhaustive table (src/http/errors.ts). Bugs and infrastructure
 * failures throw.
 */
export type ErrorCode =
  // SPEC §3
  | 'VALIDATION_ERROR'
  | 'BELOW_MIN_TRANSACTION_SIZE'
  | 'DIRECTION_BLOCKED'
  | 'ABOVE_MAX_TRANSACTION_SIZE'
  | 'ARB_CHECK_FAILED'
  | 'QUOTE_EXPIRED'
  | 'UNAUTHORIZED'
  | 'FORBIDDEN'
  | 'NOT_FOUND'
  | 'QUOTE_ALREADY_EXECUTED'
  | 'IDEMPOTENCY_KEY_IN_USE'
  | 'IDEMPOTENCY_KEY_REUSED'
  | 'NO_VIABLE_RFQ_QUOTE'
  | 'CROSS_LEG_INSUFFICIENT'
  | 'VOLUME_LIMIT_EXCEEDED'
  | 'INSUFFICIENT_FUNDS'
  | 'RATE_LIMITED'
  | 'ORACLE_STALE'
  | 'ORACLE_DEVIATION'
  | 'QUOTE_HALTED'
  // ours, in the same style
  | 'INSUFFICIENT_LIQUIDITY'
  // ours, SPEC §15 "Firm quotes": too many open firm quotes; the mid moved against the pool since quoting
  | 'OPEN_QUOTE_LIMIT_EXCEEDED'
  | 'QUOTE_STALE_PRICE'
  // ours, liquidity providers (SPEC §7, §9)
  | 'WALLET_NOT_WHITELISTED'
  | 'WALLET_COOLING'
  | 'DEPOSITS_DISABLED'
  | 'DEPOSIT_TOO_SMALL'
  | 'LOCK_PERIOD_ACTIVE'
  | 'WRONG_KTOKEN_VARIANT'
  | 'INSUFFICIENT_SHARES'
  | 'WITHDRAWAL_TIER_LIMIT'
  | 'WITHDRAWALS_PAUSED'
  | 'KTOKEN_EMPTY_VARIANT'
  | 'LP_POSITION_OPEN'
  | 'PAYLOAD_TOO_LARGE'
  | 'UNSUPPORTED_MEDIA_TYPE'
  | 'CONFLICT'
  | 'NOT_READY'
  // ours, SPEC §9 production ramp-up: a live partner paused (error rate above 5%, or by the operator)
  | 'RAMP_UP_PAUSED'
  // ours, issue 15: the partner's configuration does not enable this corridor (an admin enables it)
  | 'CORRIDOR_NOT_ENABLED'
  // ours, refusals of the HTTP layer itself (src/http/client-errors.ts)
  | 'METHOD_NOT_ALLOWED'
  | 'REQUEST_TIMEOUT'
  | 'URI_TOO_LONG'
  | 'HEADERS_TOO_LARGE'
  | 'INTERNAL_ERROR'

export type Failure = {
  readonly ok: false
  readonly code: ErrorCode
  readonly message: string
  readonly corridor?: string
}

export type Ok<T> = { readonly ok: true; readonly value: T }
export type Result<T> = Ok<T> | Failure

export function ok<T>(value: T): Ok<T> {
  return { ok: true, value }
}

export function fail(code: ErrorCode, message: string, corridor?: string): Failure {
  return corridor === undefined ? { ok: false, code, message } : { ok: false, code, message, corridor }
}
