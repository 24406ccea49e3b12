import { cmp, ONE, type Ratio, r, ZERO } from '../money/ratio.ts'
import { CORRIDOR_IDS, CORRIDORS, type CorridorId } from './corridors.ts'

/**
 * Phase 1 rebalancing (SPEC §8) as data: thresholds, cooldowns, peak hours,
 * holidays, the residual factor and how long a batch takes fills. Times are
 * whole milliseconds, hours are UTC, money is whole US dollars.
 */
export type CorridorRebalancing = {
  /** SPEC §8: USD deviation of the corridor's position at which a cooldown starts. */
  readonly softUsd: bigint
  /** ... at which a rebalance fires at once. */
  readonly hardUsd: bigint
  /** ... at which the rebalance is an emergency (Phase 2 RFQ, a later issue; for now flagged). */
  readonly emergencyUsd: bigint
  /** SPEC §8: how long a soft deviation waits before firing, in peak and off-peak hours. */
  readonly cooldownPeakMs: number
  readonly cooldownOffPeakMs: number
  /** SPEC §8: peak hours, UTC, from `fromHour` inclusive to `toHour` exclusive. */
  readonly peakHoursUtc: { readonly fromHour: number; readonly toHour: number }
}

export type RebalancingConfig = {
  readonly corridors: Readonly<Record<CorridorId, CorridorRebalancing>>
  /** SPEC §8: amount = deviation − soft × residualFactor; what is left after a rebalance. */
  readonly residualFactor: Ratio
  /** SPEC §8: on these UTC days (`YYYY-MM-DD`) a soft deviation fires at once, as on weekends. */
  readonly holidays: readonly string[]
  /** SPEC §8: portfolio VaR above this percentage of its breach limit makes a rebalance an emergency. */
  readonly emergencyVarPctOfLimit: Ratio
  /**
   * [ours] A batch takes fills for this long after its first one (SPEC §8 "hourly"), then it is
   * SETTLED_INTERNALLY: a finished bag in the Reserve, waiting for opposite flow or Phase 2.
   */
  readonly batchOpenMs: number
}

const HOUR_MS = 3_600_000

/** SPEC §8: cooldowns 4 h / 2 h / 4 h at peak, 2 h / 1 h / 2 h off peak; peak 00–12 UTC for IDR, 00–10 for SGD. */
const TIMINGS: Readonly<
  Record<CorridorId, Omit<CorridorRebalancing, 'softUsd' | 'hardUsd' | 'emergencyUsd'>>
> = {
  'USD-IDR': {
    cooldownPeakMs: 4 * HOUR_MS,
    cooldownOffPeakMs: 2 * HOUR_MS,
    peakHoursUtc: { fromHour: 0, toHour: 12 },
  },
  'USD-SGD': {
    cooldownPeakMs: 2 * HOUR_MS,
    cooldownOffPeakMs: 1 * HOUR_MS,
    peakHoursUtc: { fromHour: 0, toHour: 10 },
  },
  'MYR-IDR': {
    cooldownPeakMs: 4 * HOUR_MS,
    cooldownOffPeakMs: 2 * HOUR_MS,
    peakHoursUtc: { fromHour: 0, toHour: 12 },
  },
}

/** The thresholds come from the corridor table (config/corridors.ts, SPEC §8), the timings from above. */
function corridorDefaults(): Record<CorridorId, CorridorRebalancing> {
  const corridors = {} as Record<CorridorId, CorridorRebalancing>
  for (const id of CORRIDOR_IDS) {
    const { soft, hard, emergency } = CORRIDORS[id].rebalanceUsd
    corridors[id] = { softUsd: soft, hardUsd: hard, emergencyUsd: emergency, ...TIMINGS[id] }
  }
  return corridors
}

export const DEFAULT_REBALANCING_CONFIG: RebalancingConfig = {
  corridors: corridorDefaults(),
  residualFactor: r('0.3'),
  holidays: [],
  emergencyVarPctOfLimit: r('80'),
  batchOpenMs: HOUR_MS,
}

const DAY = /^\d{4}-\d{2}-\d{2}$/

function checkMs(problems: string[], name: string, ms: number) {
  if (!Number.isSafeInteger(ms) || ms <= 0) problems.push(`${name} must be a positive whole number of ms`)
}

function validateCorridor(problems: string[], id: CorridorId, c: CorridorRebalancing) {
  if (c.softUsd <= 0n) problems.push(`${id}.softUsd must be positive`)
  if (c.softUsd >= c.hardUsd) problems.push(`${id}.softUsd must be below ${id}.hardUsd`)
  if (c.hardUsd >= c.emergencyUsd) problems.push(`${id}.hardUsd must be below ${id}.emergencyUsd`)
  checkMs(problems, `${id}.cooldownPeakMs`, c.cooldownPeakMs)
  checkMs(problems, `${id}.cooldownOffPeakMs`, c.cooldownOffPeakMs)
  const { fromHour, toHour } = c.peakHoursUtc
  const hour = (h: number) => Number.isInteger(h) && h >= 0 && h <= 24
  if (!hour(fromHour) || !hour(toHour) || fromHour > toHour) {
    problems.push(`${id}.peakHoursUtc must be whole hours with 0 ≤ fromHour ≤ toHour ≤ 24`)
  }
}

/** Every problem found, one line each; an empty list means the configuration is usable. */
export function validateRebalancingConfig(config: RebalancingConfig): string[] {
  const problems: string[] = []
  for (const id of CORRIDOR_IDS) validateCorridor(problems, id, config.corridors[id])
  // A factor of 1 or more would leave the whole deviation (or more) in place: nothing would ever move.
  if (cmp(config.residualFactor, ZERO) < 0 || cmp(config.residualFactor, ONE) >= 0) {
    problems.push('residualFactor must be at least 0 and below 1')
  }
  for (const day of config.holidays) {
    if (!DAY.test(day) || Number.isNaN(Date.parse(`${day}T00:00:00Z`))) {
      problems.push(`holiday ${day} must be a date written YYYY-MM-DD`)
    }
  }
  if (cmp(config.emergencyVarPctOfLimit, ZERO) <= 0) problems.push('emergencyVarPctOfLimit must be positive')
  checkMs(problems, 'batchOpenMs', config.batchOpenMs)
  return problems
}
