import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Environment } from '../config/environment.ts'
import { secretsEqual } from '../partners/keys.ts'
import type { Authenticated, PartnerService } from '../partners/service.ts'
import { sendFailure } from './errors.ts'
import { AUTH_FAILURES, RATE_LIMITS, type RateLimiter, rateLimitHeaders } from './rate-limit.ts'

declare module 'fastify' {
  interface FastifyRequest {
    /** Set by the partner hook: who is calling and in which environment. */
    partnerAuth: Authenticated | null
    /** Set by the admin and ops hooks: who made the change, for the audit log. */
    actor: string | null
  }
}

export function bearerToken(header: string | undefined): string | undefined {
  if (header === undefined || header.length > 512) return undefined
  const match = /^Bearer ([\x21-\x7e]+)$/.exec(header)
  return match?.[1]
}

function singleHeader(value: string | string[] | undefined): string | undefined {
  return typeof value === 'string' ? value : undefined
}

/** An operator may say who is acting (`X-Actor: alice`); the audit log records it beside the token's role. */
function actorFor(role: string, request: FastifyRequest): string {
  const name = singleHeader(request.headers['x-actor'])
  return name !== undefined && /^[\w.@-]{1,64}$/.test(name) ? `${role}:${name}` : role
}

/**
 * Failed authentications per client address (SPEC §14.4 [ours]): each one
 * takes a token from the address's bucket (shared by all nodes where the
 * limiter is); an address that ran out is answered 429 until it may retry,
 * on this node before its credentials are even checked.
 */
export type AuthThrottle = {
  /** Seconds the address must still wait, 0 when it may try. */
  waitSeconds(address: string): number
  /** Records a failure; returns the seconds to wait when that used up the address's allowance, else 0. */
  failed(address: string): Promise<number>
}

export function createAuthThrottle(
  limiter: RateLimiter,
  nowMs: () => number = () => performance.now(),
): AuthThrottle {
  const blockedUntil = new Map<string, number>()
  return {
    waitSeconds(address) {
      const until = blockedUntil.get(address)
      if (until === undefined) return 0
      const left = until - nowMs()
      if (left > 0) return Math.ceil(left / 1000)
      blockedUntil.delete(address)
      return 0
    },
    async failed(address) {
      const taken = await limiter.take(`auth:${address}`, AUTH_FAILURES)
      if (taken.allowed) return 0
      if (blockedUntil.size > 100_000) blockedUntil.clear()
      blockedUntil.set(address, nowMs() + taken.retryAfterSeconds * 1000)
      return taken.retryAfterSeconds
    },
  }
}

function throttled(reply: FastifyReply, seconds: number) {
  reply.header('retry-after', String(seconds))
  return sendFailure(reply, {
    code: 'RATE_LIMITED',
    message: 'too many failed authentications from this address',
  })
}

export function requireAdmin(deps: {
  adminToken: string
  partners: PartnerService
  throttle?: AuthThrottle
}) {
  return requireToken('admin', deps.adminToken, deps.partners, deps.throttle)
}

/**
 * A hook for routes behind an operator token. A valid partner key is
 * recognised and refused with 403 (SPEC §14.4); anything else gets the same
 * 401 body.
 */
export function requireToken(role: string, token: string, partners: PartnerService, throttle?: AuthThrottle) {
  return async function operatorHook(request: FastifyRequest, reply: FastifyReply) {
    const wait = throttle?.waitSeconds(request.ip) ?? 0
    if (wait > 0) return throttled(reply, wait)
    const presented = bearerToken(request.headers.authorization)
    if (presented !== undefined && secretsEqual(presented, token)) {
      request.actor = actorFor(role, request)
      return
    }
    if (presented !== undefined && (await partners.isPartnerKey(presented))) {
      return sendFailure(reply, { code: 'FORBIDDEN', message: `partner keys cannot call ${role} routes` })
    }
    const blocked = (await throttle?.failed(request.ip)) ?? 0
    if (blocked > 0) return throttled(reply, blocked)
    return sendFailure(reply, { code: 'UNAUTHORIZED', message: 'invalid credentials' })
  }
}

/**
 * The partner hook: the address's failed-authentication allowance, key,
 * X-Partner-ID, suspension, then the partner's rate limit (SPEC §3), whose
 * state every response reports in the RateLimit fields.
 */
export function requirePartner(deps: {
  partners: PartnerService
  limiter: RateLimiter | undefined
  throttle?: AuthThrottle
}) {
  return async function partnerHook(request: FastifyRequest, reply: FastifyReply) {
    const wait = deps.throttle?.waitSeconds(request.ip) ?? 0
    if (wait > 0) return throttled(reply, wait)
    const outcome = await deps.partners.authenticate(
      bearerToken(request.headers.authorization),
      singleHeader(request.headers['x-partner-id']),
    )
    if (!outcome.ok) {
      const blocked = outcome.code === 'UNAUTHORIZED' ? ((await deps.throttle?.failed(request.ip)) ?? 0) : 0
      return blocked > 0 ? throttled(reply, blocked) : sendFailure(reply, outcome)
    }
    const { partner } = outcome.value
    if (deps.limiter !== undefined) {
      const policy = RATE_LIMITS[partner.config.rate_limit_tier]
      const taken = await deps.limiter.take(`partner:${partner.id}`, policy)
      reply.headers(rateLimitHeaders(policy, taken))
      if (!taken.allowed) {
        reply.header('retry-after', String(taken.retryAfterSeconds))
        return sendFailure(reply, { code: 'RATE_LIMITED', message: 'rate limit exceeded' })
      }
    }
    request.partnerAuth = outcome.value
  }
}

/** The caller of a partner route; only call from a route behind `requirePartner`. */
export function partnerOf(request: FastifyRequest): Authenticated {
  if (request.partnerAuth === null) throw new Error('partner route without the partner hook')
  return request.partnerAuth
}

export function environmentOf(request: FastifyRequest): Environment {
  return partnerOf(request).environment
}

export function actorOf(request: FastifyRequest): string {
  if (request.actor === null) throw new Error('operator route without an operator hook')
  return request.actor
}
