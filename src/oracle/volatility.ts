import { abs, div, mul, type Ratio, ratio, sub, ZERO } from '../money/ratio.ts'

/** One aggregated mid and when the oracle reading moved to it. */
export type MidPoint = { readonly atMs: number; readonly mid: Ratio }

/** SPEC §6.2: volatility is a mid move over a 5–15 minute window, so 15 minutes of history is enough. */
export const MID_HISTORY_MS = 15 * 60_000
/**
 * A hard cap on points whatever the timestamps say (CONVENTIONS: nothing
 * unbounded). The simulated feed records a few points a second per pair,
 * about 3,000 in 15 minutes.
 */
export const MID_HISTORY_MAX_POINTS = 10_000

export type MidHistory = {
  /** Appends a point (time order is kept: an earlier timestamp is moved up to the last one) and prunes. */
  record(point: MidPoint): void
  points(): readonly MidPoint[]
}

export function createMidHistory(options: { keepMs?: number; maxPoints?: number } = {}): MidHistory {
  const keepMs = options.keepMs ?? MID_HISTORY_MS
  const maxPoints = options.maxPoints ?? MID_HISTORY_MAX_POINTS
  const points: MidPoint[] = []
  return {
    record(point) {
      const last = points.at(-1)
      points.push(last !== undefined && point.atMs < last.atMs ? { atMs: last.atMs, mid: point.mid } : point)
      points.splice(0, prunable(points, keepMs, maxPoints))
    },
    points: () => points,
  }
}

/**
 * How many leading points can go. The newest point at or before the cut-off
 * stays: it is the mid in effect at the start of a full-length window.
 */
function prunable(points: readonly MidPoint[], keepMs: number, maxPoints: number): number {
  const newest = points.at(-1)
  if (newest === undefined) return 0
  const cutoffMs = newest.atMs - keepMs
  let count = 0
  while (count + 1 < points.length && (points[count + 1] as MidPoint).atMs <= cutoffMs) count += 1
  return Math.max(count, points.length - maxPoints)
}

/**
 * SPEC §6.2 and §5 volatility: |latest mid − mid at the window start| / mid
 * at the window start, in bps, exact. The mid at the window start is the one
 * in effect then (the newest point at or before it), or the oldest point when
 * the history is shorter than the window. Points after `nowMs` are ignored;
 * `history` is in time order, as `MidHistory` keeps it.
 */
export function midMoveBps(history: readonly MidPoint[], nowMs: number, windowMs: number): Ratio {
  const latestIndex = lastIndexAtOrBefore(history, nowMs)
  if (latestIndex < 1) return ZERO
  const startIndex = Math.max(0, lastIndexAtOrBefore(history, nowMs - windowMs))
  const latest = (history[latestIndex] as MidPoint).mid
  const atStart = (history[startIndex] as MidPoint).mid
  return mul(div(abs(sub(latest, atStart)), atStart), ratio(10_000n))
}

/** Binary search over the time-ordered points (quotes ask for volatility on the hot path); −1 when none. */
function lastIndexAtOrBefore(points: readonly MidPoint[], atMs: number): number {
  let low = 0
  let high = points.length
  while (low < high) {
    const middle = (low + high) >>> 1
    if ((points[middle] as MidPoint).atMs <= atMs) low = middle + 1
    else high = middle
  }
  return low - 1
}
