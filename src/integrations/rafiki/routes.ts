import type { FastifyPluginAsync } from 'fastify'
import type { FIATS } from '../../config/assets.ts'
import { sendFailure } from '../../http/errors.ts'
import { baseFiat, type RatesDeps, ratesFor } from './rates.ts'

/** SPEC §12.1 / issue 3: answers are cached for at most one second, so load never reaches the pricing. */
export const RATES_CACHE_MS = 1_000

export type RafikiOptions = RatesDeps & {
  /** Client IPs allowed to read /rates; empty allows everyone (Rafiki sends no credentials). */
  readonly allow: readonly string[]
  readonly nowMs: () => number
}

/**
 * GET /rates?base=CODE for Interledger (Rafiki) nodes: 200 with `{base,
 * rates}` for a known base, 404 otherwise. The body is serialised once per
 * second per base and sent as is.
 */
export const rafikiRoutes: FastifyPluginAsync<RafikiOptions> = async (app, options) => {
  // The cache holds the promise, so concurrent requests after expiry share one computation.
  const cache = new Map<string, { atMs: number; body: Promise<string> }>()
  const allowed = new Set(options.allow)

  async function body(code: string): Promise<string> {
    const hit = cache.get(code)
    const now = options.nowMs()
    if (hit !== undefined && now - hit.atMs < RATES_CACHE_MS) return hit.body
    const fiat = baseFiat(code) as (typeof FIATS)[number]
    const fresh = ratesFor(options, fiat).then((rates) => JSON.stringify({ base: code, rates }))
    cache.set(code, { atMs: now, body: fresh })
    fresh.catch(() => cache.delete(code))
    return fresh
  }

  app.get(
    '/rates',
    {
      schema: {
        tags: ['integrations'],
        summary: 'Exchange rates for Interledger (Rafiki) nodes (SPEC §12.1)',
        querystring: {
          type: 'object',
          properties: { base: { type: 'string', maxLength: 16 } },
          required: ['base'],
          additionalProperties: false,
        },
      },
    },
    async (request, reply) => {
      if (allowed.size > 0 && !allowed.has(request.ip)) {
        return sendFailure(reply, { code: 'FORBIDDEN', message: 'this address may not read rates' })
      }
      const { base } = request.query as { base: string }
      if (baseFiat(base) === undefined)
        return sendFailure(reply, { code: 'NOT_FOUND', message: `unknown base ${base}` })
      return reply.header('content-type', 'application/json; charset=utf-8').send(await body(base))
    },
  )
}
