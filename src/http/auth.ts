import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Environment } from '../config/environment.ts'
import { secretsEqual } from '../partners/keys.ts'
import type { Authenticated, PartnerService } from '../partners/service.ts'
import { sendFailure } from './errors.ts'
import type { RateLimiter } from './rate-limit.ts'

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

export function requireAdmin(deps: { adminToken: string; partners: PartnerService }) {
  return requireToken('admin', deps.adminToken, deps.partners)
}

/**
 * A hook for routes behind an operator token. A valid partner key is
 * recognised and refused with 403 (SPEC §14.4); anything else gets the same
 * 401 body.
 */
export function requireToken(role: string, token: string, partners: PartnerService) {
  return async function operatorHook(request: FastifyRequest, reply: FastifyReply) {
    const presented = bearerToken(request.headers.authorization)
    if (presented !== undefined && secretsEqual(presented, token)) {
      request.actor = actorFor(role, request)
      return
    }
    if (presented !== undefined && (await partners.isPartnerKey(presented))) {
      return sendFailure(reply, { code: 'FORBIDDEN', message: `partner keys cannot call ${role} routes` })
    }
    return sendFailure(reply, { code: 'UNAUTHORIZED', message: 'invalid credentials' })
  }
}

/** The partner hook: key, X-Partner-ID, suspension, then the partner's rate limit. */
export function requirePartner(deps: { partners: PartnerService; limiter: RateLimiter | undefined }) {
  return async function partnerHook(request: FastifyRequest, reply: FastifyReply) {
    const outcome = await deps.partners.authenticate(
      bearerToken(request.headers.authorization),
      singleHeader(request.headers['x-partner-id']),
    )
    if (!outcome.ok) return sendFailure(reply, outcome)
    const { partner } = outcome.value
    const waitSeconds = deps.limiter?.take(partner.id, partner.config.rate_limit_tier) ?? 0
    if (waitSeconds > 0) {
      reply.header('retry-after', String(waitSeconds))
      return sendFailure(reply, { code: 'RATE_LIMITED', message: 'rate limit exceeded' })
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
