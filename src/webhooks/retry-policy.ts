/**
 * When a failed webhook delivery is tried again (SPEC §10). Pure: the caller
 * passes the attempts made, a random number and what the receiver asked for.
 */

/**
 * SPEC §10: attempt 1 at once, then these waits after each failure
 * (5 s, 5 min, 30 min, 2 h, 5 h, 10 h, 10 h): eight attempts in all.
 */
export const RETRY_DELAYS_MS: readonly number[] = [
  5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000,
]
export const MAX_ATTEMPTS = RETRY_DELAYS_MS.length + 1

/**
 * Up to this fraction of a wait is added at random, so that receivers coming
 * back from an outage are not hit by every queued delivery in the same second.
 * Jitter only lengthens a wait: no attempt comes earlier than the schedule.
 */
export const JITTER_FRACTION = 0.1

/** A `Retry-After` longer than this is capped: a receiver cannot park its events for days. */
export const RETRY_AFTER_MAX_MS = 86_400_000

export type RetryDecision = { readonly kind: 'retry'; readonly delayMs: number } | { readonly kind: 'dead' }

/**
 * After `attemptsMade` failed attempts: wait for the next one, or give up
 * (dead-letter). `random` is in [0, 1); `retryAfterMs` is the receiver's
 * `Retry-After`, honoured when longer than the scheduled wait.
 */
export function nextRetry(
  attemptsMade: number,
  random: number,
  retryAfterMs: number | undefined,
): RetryDecision {
  if (attemptsMade < 1) throw new Error(`nextRetry after ${attemptsMade} attempts`)
  if (attemptsMade >= MAX_ATTEMPTS) return { kind: 'dead' }
  const baseMs = RETRY_DELAYS_MS[attemptsMade - 1] as number
  const scheduledMs = baseMs + Math.floor(baseMs * JITTER_FRACTION * random)
  if (retryAfterMs === undefined || retryAfterMs <= scheduledMs)
    return { kind: 'retry', delayMs: scheduledMs }
  return { kind: 'retry', delayMs: Math.min(retryAfterMs, RETRY_AFTER_MAX_MS) }
}

/**
 * RFC 9110 `Retry-After`: delay-seconds or an HTTP date, as milliseconds
 * from `nowMs` (never negative); undefined when absent or unreadable.
 */
export function parseRetryAfter(header: string | undefined, nowMs: number): number | undefined {
  if (header === undefined) return undefined
  const text = header.trim()
  if (/^[0-9]{1,10}$/.test(text)) return Number(text) * 1_000
  if (!/^[A-Za-z]{3}, /.test(text)) return undefined
  const atMs = Date.parse(text)
  return Number.isNaN(atMs) ? undefined : Math.max(0, atMs - nowMs)
}
