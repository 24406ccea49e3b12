import type { RateLimitTier } from '../partners/model.ts'

/** SPEC §3: Standard 10 req/s with burst 20 (default); Premium 50 req/s with burst 100; per partner. */
export const RATE_LIMITS: Readonly<Record<RateLimitTier, { perSecond: number; burst: number }>> = {
  standard: { perSecond: 10, burst: 20 },
  premium: { perSecond: 50, burst: 100 },
}

export type RateLimiter = {
  /** Takes one token; returns 0 when allowed, else the seconds to wait before retrying. */
  take(partnerId: string, tier: RateLimitTier): number
}

/** A token bucket per partner, on a monotonic clock (real time, not the sandbox clock). */
export function createRateLimiter(nowMs: () => number = () => performance.now()): RateLimiter {
  const buckets = new Map<string, { tokens: number; atMs: number }>()
  return {
    take(partnerId, tier) {
      const { perSecond, burst } = RATE_LIMITS[tier]
      const now = nowMs()
      const bucket = buckets.get(partnerId) ?? { tokens: burst, atMs: now }
      bucket.tokens = Math.min(burst, bucket.tokens + ((now - bucket.atMs) / 1000) * perSecond)
      bucket.atMs = now
      buckets.set(partnerId, bucket)
      if (bucket.tokens >= 1) {
        bucket.tokens -= 1
        return 0
      }
      return Math.ceil((1 - bucket.tokens) / perSecond)
    },
  }
}
