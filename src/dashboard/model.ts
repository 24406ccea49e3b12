/**
 * The operations dashboard's pure part (issue 15 scope 6): the time windows
 * of its charts, executions gathered into time buckets, and each corridor's
 * states over a window as contiguous segments. Values in, values out: no
 * clock, no I/O. Money stays exact: volumes are summed as bigint USD micros
 * and shown as decimal strings; only the browser turns them into chart
 * points.
 */
import { CORRIDOR_IDS, type CorridorId } from '../config/corridors.ts'
import { formatDecimal } from '../money/decimal.ts'
import type { RiskState } from '../risk/states.ts'

/** The chart windows the page offers: how far back, and the width of one bucket. */
export const FLOW_WINDOWS = {
  '1h': { spanMs: 3_600_000, bucketMs: 60_000 },
  '24h': { spanMs: 86_400_000, bucketMs: 900_000 },
  '7d': { spanMs: 7 * 86_400_000, bucketMs: 7_200_000 },
} as const
export type FlowWindow = keyof typeof FLOW_WINDOWS
export const FLOW_WINDOW_NAMES = Object.keys(FLOW_WINDOWS) as FlowWindow[]

/** [fromMs, toMs): whole buckets, the last one holding `nowMs`. */
export function windowBounds(window: FlowWindow, nowMs: number): { fromMs: number; toMs: number } {
  const { spanMs, bucketMs } = FLOW_WINDOWS[window]
  const toMs = (Math.floor(nowMs / bucketMs) + 1) * bucketMs
  return { fromMs: toMs - spanMs, toMs }
}

/** Executions of one bucket, corridor and status, as the database groups them. */
export type FlowRow = {
  /** Bucket number: created_at ÷ bucket width, rounded down. */
  readonly bucket: bigint
  readonly corridor: string
  readonly status: string
  readonly count: bigint
  /** Σ usd_micros (USD at the quote's mid, millionths). */
  readonly usdMicros: bigint
}

export type FlowBucket = {
  /** The bucket's start, ISO 8601. */
  readonly start: string
  /** Executions created in the bucket, whatever their outcome. */
  readonly executions: number
  /** Of those, FAILED or ROLLED_BACK. */
  readonly failed: number
  /** SETTLED volume per corridor, USD to the cent (rounded down). */
  readonly volume_usd: Record<CorridorId, string>
}

export type FlowSeries = {
  readonly window: FlowWindow
  readonly bucket_seconds: number
  readonly from: string
  readonly to: string
  readonly buckets: FlowBucket[]
  readonly totals: {
    readonly executions: number
    readonly settled: number
    readonly failed: number
    readonly volume_usd: Record<CorridorId, string>
  }
}

const FAILED = new Set(['FAILED', 'ROLLED_BACK'])
const usdOfMicros = (micros: bigint) => formatDecimal(micros / 10_000n, 2)
const perCorridor = <T>(make: () => T) =>
  Object.fromEntries(CORRIDOR_IDS.map((c) => [c, make()])) as Record<CorridorId, T>
const isCorridor = (value: string): value is CorridorId => (CORRIDOR_IDS as readonly string[]).includes(value)

/**
 * Every bucket of the window, empty ones included, so a chart's x axis is
 * even; rows outside the window are left out.
 */
export function flowSeries(rows: readonly FlowRow[], window: FlowWindow, nowMs: number): FlowSeries {
  const { bucketMs } = FLOW_WINDOWS[window]
  const { fromMs, toMs } = windowBounds(window, nowMs)
  const first = BigInt(fromMs / bucketMs)
  const count = (toMs - fromMs) / bucketMs
  const slots = Array.from({ length: count }, () => ({
    executions: 0,
    failed: 0,
    micros: perCorridor(() => 0n),
  }))
  const totals = { executions: 0, settled: 0, failed: 0, micros: perCorridor(() => 0n) }
  for (const row of rows) {
    const index = Number(row.bucket - first)
    const slot = slots[index]
    if (slot === undefined) continue
    const n = Number(row.count)
    slot.executions += n
    totals.executions += n
    if (FAILED.has(row.status)) {
      slot.failed += n
      totals.failed += n
    }
    if (row.status === 'SETTLED' && isCorridor(row.corridor)) {
      slot.micros[row.corridor] += row.usdMicros
      totals.micros[row.corridor] += row.usdMicros
      totals.settled += n
    }
  }
  const format = (micros: Record<CorridorId, bigint>) =>
    Object.fromEntries(CORRIDOR_IDS.map((c) => [c, usdOfMicros(micros[c])])) as Record<CorridorId, string>
  return {
    window,
    bucket_seconds: bucketMs / 1000,
    from: new Date(fromMs).toISOString(),
    to: new Date(toMs).toISOString(),
    buckets: slots.map((slot, i) => ({
      start: new Date(fromMs + i * bucketMs).toISOString(),
      executions: slot.executions,
      failed: slot.failed,
      volume_usd: format(slot.micros),
    })),
    totals: {
      executions: totals.executions,
      settled: totals.settled,
      failed: totals.failed,
      volume_usd: format(totals.micros),
    },
  }
}

/** One stored state change (risk_transitions), oldest first. */
export type TransitionFact = {
  readonly corridor: string
  readonly previousState: RiskState
  readonly state: RiskState
  readonly atMs: number
}

export type StateSegment = { readonly from: string; readonly to: string; readonly state: RiskState }

/**
 * Each corridor's states over [fromMs, toMs] as contiguous segments: before
 * its first change in the window it was in that change's previous state;
 * with no change in the window it was in its current state throughout.
 */
export function stateTimeline(
  transitions: readonly TransitionFact[],
  current: Readonly<Record<CorridorId, RiskState>>,
  fromMs: number,
  toMs: number,
): Record<CorridorId, StateSegment[]> {
  const iso = (ms: number) => new Date(ms).toISOString()
  return Object.fromEntries(
    CORRIDOR_IDS.map((corridor) => {
      const changes = transitions
        .filter((t) => t.corridor === corridor && t.atMs >= fromMs && t.atMs <= toMs)
        .sort((a, b) => a.atMs - b.atMs)
      const segments: StateSegment[] = []
      let state: RiskState = changes[0]?.previousState ?? current[corridor]
      let since = fromMs
      for (const change of changes) {
        if (change.atMs > since) segments.push({ from: iso(since), to: iso(change.atMs), state })
        state = change.state
        since = change.atMs
      }
      // A change at the very end leaves a last state of no length: the state badge shows it.
      if (since < toMs || segments.length === 0) segments.push({ from: iso(since), to: iso(toMs), state })
      return [corridor, segments]
    }),
  ) as Record<CorridorId, StateSegment[]>
}
