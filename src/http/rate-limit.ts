import { sql } from 'kysely'
import { dbNowMs } from '../cluster/db-time.ts'
import type { RateLimitTier } from '../partners/model.ts'
import type { Store } from '../store/store.ts'

/** A token bucket: `burst` tokens at most, refilled at `perSecond`. */
export type RatePolicy = { readonly name: string; readonly perSecond: number; readonly burst: number }

/** SPEC §3: Standard 10 req/s with burst 20 (default); Premium 50 req/s with burst 100; per partner. */
export const RATE_LIMITS: Readonly<Record<RateLimitTier, RatePolicy>> = {
  standard: { name: 'standard', perSecond: 10, burst: 20 },
  premium: { name: 'premium', perSecond: 50, burst: 100 },
}

/**
 * Failed authentications per client address [ours]: 20 at once, then one
 * every 6 s (10 a minute). Beyond that the address gets 429 before its key is
 * even looked at, so keys cannot be guessed at the speed of the network.
 */
export const AUTH_FAILURES: RatePolicy = { name: 'auth-failures', perSecond: 1 / 6, burst: 20 }

export type RateDecision = {
  readonly allowed: boolean
  /** Whole tokens left after this request. */
  readonly remaining: number
  /** Seconds until a refused request may succeed (0 when allowed). */
  readonly retryAfterSeconds: number
  /** Seconds until the bucket is full again. */
  readonly resetSeconds: number
}

export type RateLimiter = { take(key: string, policy: RatePolicy): Promise<RateDecision> }

function decision(allowed: boolean, tokens: number, policy: RatePolicy): RateDecision {
  return {
    allowed,
    remaining: Math.max(0, Math.floor(tokens)),
    retryAfterSeconds: allowed ? 0 : Math.max(1, Math.ceil((1 - tokens) / policy.perSecond)),
    resetSeconds: Math.max(0, Math.ceil((policy.burst - tokens) / policy.perSecond)),
  }
}

/** Buckets in this process, on a monotonic clock: the limiter of a single node (SQLite is one process). */
export function createMemoryRateLimiter(nowMs: () => number = () => performance.now()): RateLimiter {
  const buckets = new Map<string, { tokens: number; atMs: number }>()
  const MAX_BUCKETS = 100_000
  return {
    async take(key, policy) {
      const now = nowMs()
      const bucket = buckets.get(key) ?? { tokens: policy.burst, atMs: now }
      bucket.tokens = Math.min(policy.burst, bucket.tokens + ((now - bucket.atMs) / 1000) * policy.perSecond)
      bucket.atMs = now
      if (buckets.size >= MAX_BUCKETS && !buckets.has(key)) buckets.clear()
      buckets.set(key, bucket)
      const allowed = bucket.tokens >= 1
      if (allowed) bucket.tokens -= 1
      return decision(allowed, bucket.tokens, policy)
    },
  }
}

/**
 * Buckets in PostgreSQL, shared by every node (SPEC §15): one UPDATE takes a
 * token when the refilled bucket has one, on the database's clock so nodes'
 * clocks cannot disagree (node-rate-limiter-flexible's pitfall). The table
 * is unlogged: a limit needs no durability. A refusal reads the bucket once
 * more to say when to retry.
 */
export function createStoreRateLimiter(store: Store): RateLimiter {
  const known = new Set<string>()
  const limiter: RateLimiter = {
    async take(key, policy) {
      const now = dbNowMs(store.dialect)
      const refilled = sql<number>`least(${policy.burst}::float8, tokens + (${now} - at) * ${policy.perSecond}::float8 / 1000)`
      if (!known.has(key)) {
        await store.kysely
          .insertInto('rate_limit_buckets')
          .values({ key, tokens: policy.burst, at: now })
          .onConflict((oc) => oc.column('key').doNothing())
          .execute()
        if (known.size > 100_000) known.clear()
        known.add(key)
      }
      const taken = await store.kysely
        .updateTable('rate_limit_buckets')
        .set({ tokens: sql<number>`${refilled} - 1`, at: now })
        .where('key', '=', key)
        .where(refilled, '>=', 1)
        .returning('tokens')
        .executeTakeFirst()
      if (taken !== undefined) return decision(true, Number(taken.tokens), policy)
      const row = await store.kysely
        .selectFrom('rate_limit_buckets')
        .select(refilled.as('tokens'))
        .where('key', '=', key)
        .executeTakeFirst()
      if (row !== undefined) return decision(false, Number(row.tokens), policy)
      // The maintenance worker removed the idle bucket meanwhile: it is full again, so take from a new one.
      known.delete(key)
      return limiter.take(key, policy)
    },
  }
  return limiter
}

/** The IETF RateLimit fields (draft-ietf-httpapi-ratelimit-headers): the policy, and what is left of it. */
export function rateLimitHeaders(policy: RatePolicy, taken: RateDecision): Record<string, string> {
  const windowSeconds = Math.ceil(policy.burst / policy.perSecond)
  return {
    'ratelimit-policy': `"${policy.name}";q=${policy.burst};w=${windowSeconds}`,
    ratelimit: `"${policy.name}";r=${taken.remaining};t=${taken.resetSeconds}`,
  }
}
