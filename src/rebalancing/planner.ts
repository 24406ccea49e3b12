import { ASSET_BY_FIAT } from '../config/assets.ts'
import { CORRIDORS, type CorridorId } from '../config/corridors.ts'
import type { CorridorRebalancing, RebalancingConfig } from '../config/rebalancing.ts'
import { amount, convert, invertPrice, price } from '../money/amount.ts'
import {
  abs,
  cmp,
  div,
  isNegative,
  min,
  mul,
  percent,
  type Ratio,
  r,
  ratio,
  sub,
  ZERO,
} from '../money/ratio.ts'
import { usdToMinor } from '../pools/model.ts'
import type { UsdRates } from '../pools/usd-rates.ts'

/**
 * The Phase 1 rebalancing planner (SPEC §8): a pure function of one
 * corridor's position, its pools, its persisted cooldown, the portfolio VaR
 * and the time. No I/O, no clock: the worker gathers these and persists the
 * decision.
 *
 * A corridor's position is the BASE it left in the Active pools: the pools
 * took in (+) or paid out (−) that many BASE units, and paid or took the
 * QUOTE for them (the cash leg, at the dealt rates). Its USD deviation is the
 * BASE side valued at the oracle mid. The cash leg's difference from
 * BASE × mid is the spread the pools earned, not a deviation: it stays.
 */

/** LONG_BASE: the Active pools hold surplus BASE (partners sold it); a rebalance sends BASE to the Reserve and brings QUOTE back. */
export type Direction = 'LONG_BASE' | 'SHORT_BASE'

/** A soft deviation waiting for its cooldown to end (persisted: several nodes run one system). */
export type Cooldown = {
  readonly direction: Direction
  readonly startedAtMs: number
  readonly endsAtMs: number
}

/** One asset's pools as the planner needs them, in USD at the oracle mid. */
export type PoolSnapshot = {
  readonly activeUsd: Ratio
  readonly activeTargetUsd: Ratio
  /** SPEC §2.2: the Active pool's minimum, percent of target (40). */
  readonly activeMinPct: bigint
  /** The protocol's Reserve capital of this asset: all a rebalance may draw on (never LP capital). */
  readonly reserveUsd: Ratio
}

export type PlanInput = {
  readonly corridor: CorridorId
  readonly nowMs: number
  /** The position's BASE units in the Active pools, valued at mid: + long BASE, − short BASE. */
  readonly positionUsd: Ratio
  readonly pools: { readonly base: PoolSnapshot; readonly quote: PoolSnapshot }
  readonly cooldown: Cooldown | undefined
  /** Portfolio VaR in percent of its breach limit, when the worker read it (only needed at or above soft). */
  readonly varPctOfLimit: Ratio | undefined
  /** This run is the hour's sweep (SPEC §8 "hourly"): the first run in a new hour of the environment's clock. */
  readonly hourly: boolean
}

/** Why a rebalance fires now. */
export type Trigger =
  | 'emergency'
  | 'var'
  | 'hard'
  | 'deficit'
  | 'holiday'
  | 'weekend'
  | 'cooldown_elapsed'
  | 'hourly'

type Common = { readonly corridor: CorridorId; readonly deviationUsd: Ratio }

export type Decision =
  | (Common & { readonly kind: 'none'; readonly reason: string; readonly cooldown: undefined })
  | (Common & {
      readonly kind: 'wait'
      readonly direction: Direction
      /** The cooldown to persist: a new one when `started`, else the one kept. */
      readonly cooldown: Cooldown
      readonly started: boolean
    })
  | (Common & {
      readonly kind: 'rebalance'
      readonly direction: Direction
      readonly trigger: Trigger
      /** SPEC §8 emergency (or VaR above 80 % of its limit): Phase 2 RFQ is a later issue, so flagged for now. */
      readonly emergency: boolean
      /** deviation − soft × residual factor */
      readonly wantedUsd: Ratio
      /** What to move: the wanted amount, or less when the protocol Reserve (or Active) holds less. */
      readonly amountUsd: Ratio
      readonly partial: boolean
      readonly cooldown: undefined
    })
  | (Common & {
      readonly kind: 'skipped'
      readonly direction: Direction
      readonly trigger: Trigger
      readonly emergency: boolean
      readonly wantedUsd: Ratio
      readonly reason: string
      /** Kept, so a cooldown that ended still fires once capital is there. */
      readonly cooldown: Cooldown | undefined
    })

/** SPEC §8: Saturday and Sunday, UTC. */
export function isWeekend(nowMs: number): boolean {
  const day = new Date(nowMs).getUTCDay()
  return day === 0 || day === 6
}

export function isHoliday(nowMs: number, holidays: readonly string[]): boolean {
  return holidays.includes(new Date(nowMs).toISOString().slice(0, 10))
}

export function isPeak(nowMs: number, hours: CorridorRebalancing['peakHoursUtc']): boolean {
  const hour = new Date(nowMs).getUTCHours()
  return hour >= hours.fromHour && hour < hours.toHour
}

/** SPEC §8: the cooldown a soft deviation starts now: the peak length in peak hours, else the off-peak one. */
export function cooldownFrom(nowMs: number, direction: Direction, c: CorridorRebalancing): Cooldown {
  const lengthMs = isPeak(nowMs, c.peakHoursUtc) ? c.cooldownPeakMs : c.cooldownOffPeakMs
  return { direction, startedAtMs: nowMs, endsAtMs: nowMs + lengthMs }
}

/** The Active pool the position drains: QUOTE when the pools are long BASE (they paid QUOTE out), else BASE. */
function drainedPool(direction: Direction, pools: PlanInput['pools']): PoolSnapshot {
  return direction === 'LONG_BASE' ? pools.quote : pools.base
}

/**
 * SPEC §5: whether either Active pool of the corridor is further off its
 * target than the corridor's dead zone (the skew's dead zone, percent).
 */
export function outsideDeadZone(corridor: CorridorId, pools: PlanInput['pools']): boolean {
  const deadZone = percent(r(CORRIDORS[corridor].skewDeadZonePct))
  return [pools.base, pools.quote].some((pool) => {
    if (cmp(pool.activeTargetUsd, ZERO) <= 0) return false
    const off = div(abs(sub(pool.activeUsd, pool.activeTargetUsd)), pool.activeTargetUsd)
    return cmp(off, deadZone) > 0
  })
}

function belowMin(pool: PoolSnapshot): boolean {
  return cmp(pool.activeUsd, mul(pool.activeTargetUsd, percent(pool.activeMinPct))) < 0
}

/**
 * The most a rebalance can move, USD: the protocol Reserve of the asset going
 * into Active, and the Active pool of the asset coming out.
 */
export function capacityUsd(direction: Direction, pools: PlanInput['pools']): Ratio {
  return direction === 'LONG_BASE'
    ? min(pools.base.activeUsd, pools.quote.reserveUsd)
    : min(pools.quote.activeUsd, pools.base.reserveUsd)
}

type Fire = { readonly trigger: Trigger } | { readonly wait: Cooldown; readonly started: boolean } | undefined

/**
 * SPEC §8, most urgent first: emergency, VaR above its emergency level (at
 * or above soft), hard, an Active pool below its minimum, then soft: at once
 * on holidays and weekends, else after a cooldown that starts now (or was
 * started before in the same direction). Thresholds are "at or above".
 */
function whenToFire(
  input: PlanInput,
  direction: Direction,
  wantedUsd: Ratio,
  config: RebalancingConfig,
): Fire {
  const c = config.corridors[input.corridor]
  const deviation = abs(input.positionUsd)
  const atLeast = (usd: bigint) => cmp(deviation, ratio(usd)) >= 0
  if (atLeast(c.emergencyUsd)) return { trigger: 'emergency' }
  const varHigh =
    input.varPctOfLimit !== undefined && cmp(input.varPctOfLimit, config.emergencyVarPctOfLimit) > 0
  if (atLeast(c.softUsd) && varHigh) return { trigger: 'var' }
  if (atLeast(c.hardUsd)) return { trigger: 'hard' }
  if (belowMin(drainedPool(direction, input.pools)) && cmp(wantedUsd, ZERO) > 0) return { trigger: 'deficit' }
  if (!atLeast(c.softUsd)) {
    // SPEC §8 "hourly": the hour's sweep brings a corridor below soft back once its Active pools have
    // left the dead zone; at or above soft, the cooldown rules below decide.
    const sweep = input.hourly && cmp(wantedUsd, ZERO) > 0 && outsideDeadZone(input.corridor, input.pools)
    return sweep ? { trigger: 'hourly' } : undefined
  }
  if (isHoliday(input.nowMs, config.holidays)) return { trigger: 'holiday' }
  if (isWeekend(input.nowMs)) return { trigger: 'weekend' }
  const kept = input.cooldown
  if (kept === undefined || kept.direction !== direction) {
    return { wait: cooldownFrom(input.nowMs, direction, c), started: true }
  }
  return input.nowMs >= kept.endsAtMs ? { trigger: 'cooldown_elapsed' } : { wait: kept, started: false }
}

export function planRebalance(input: PlanInput, config: RebalancingConfig): Decision {
  const c = config.corridors[input.corridor]
  const deviationUsd = abs(input.positionUsd)
  const common = { corridor: input.corridor, deviationUsd }
  if (cmp(deviationUsd, ZERO) === 0) return { ...common, kind: 'none', reason: 'flat', cooldown: undefined }
  const direction: Direction = isNegative(input.positionUsd) ? 'SHORT_BASE' : 'LONG_BASE'
  const wantedUsd = sub(deviationUsd, mul(ratio(c.softUsd), config.residualFactor))
  const fire = whenToFire(input, direction, wantedUsd, config)
  if (fire === undefined) {
    const reason = belowMin(drainedPool(direction, input.pools))
      ? 'an Active pool is below its minimum, but the position is within its residual: not Phase 1 flow'
      : 'below soft'
    return { ...common, kind: 'none', reason, cooldown: undefined }
  }
  if ('wait' in fire)
    return { ...common, kind: 'wait', direction, cooldown: fire.wait, started: fire.started }
  const emergency = fire.trigger === 'emergency' || fire.trigger === 'var'
  const capacity = capacityUsd(direction, input.pools)
  if (cmp(capacity, ZERO) <= 0) {
    const kept = input.cooldown?.direction === direction ? input.cooldown : undefined
    return {
      ...common,
      kind: 'skipped',
      direction,
      trigger: fire.trigger,
      emergency,
      wantedUsd,
      reason: 'nothing to move: the protocol Reserve (or the Active pool giving the position up) is empty',
      cooldown: kept,
    }
  }
  const amountUsd = min(wantedUsd, capacity)
  return {
    ...common,
    kind: 'rebalance',
    direction,
    trigger: fire.trigger,
    emergency,
    wantedUsd,
    amountUsd,
    partial: cmp(amountUsd, wantedUsd) < 0,
    cooldown: undefined,
  }
}

/** One rebalance in smallest units: BASE and QUOTE moved between the Reserve and the Active pools. */
export type Legs = {
  readonly baseMinor: bigint
  readonly quoteMinor: bigint
  /** The oracle mid it moves at, QUOTE per BASE (whole units). */
  readonly rate: Ratio
  /** Smaller than asked because a balance could not cover it. */
  readonly capped: boolean
}

/** The corridor's mid from the USD rates: QUOTE per BASE (for MYR-IDR, through USD). */
export function corridorRate(corridor: CorridorId, rates: UsdRates): Ratio {
  const { base, quote } = CORRIDORS[corridor]
  return div(rates.fiatPerUsd(quote), rates.fiatPerUsd(base))
}

/**
 * The legs of a rebalance of `amountUsd` at the oracle mid. BASE is the size:
 * rounded down from the USD amount, so a rebalance never exceeds what was
 * asked. QUOTE follows at mid, rounded in the Active pools' favour: up when
 * Active receives it (LONG_BASE), down when Active pays it (SHORT_BASE).
 * `available` is what may move of each: for LONG_BASE, Active BASE and the
 * protocol Reserve's QUOTE; for SHORT_BASE, the protocol Reserve's BASE and
 * Active QUOTE. Undefined when nothing can move.
 */
export function rebalanceLegs(input: {
  readonly corridor: CorridorId
  readonly direction: Direction
  readonly amountUsd: Ratio
  readonly rates: UsdRates
  readonly available: { readonly baseMinor: bigint; readonly quoteMinor: bigint }
}): Legs | undefined {
  const { base, quote } = CORRIDORS[input.corridor]
  const baseAsset = ASSET_BY_FIAT[base]
  const quoteAsset = ASSET_BY_FIAT[quote]
  const rate = corridorRate(input.corridor, input.rates)
  const mid = price(baseAsset, quoteAsset, rate)
  const quoteRounding = input.direction === 'LONG_BASE' ? 'ceil' : 'floor'
  const toQuote = (baseMinor: bigint) => convert(mid, amount(baseAsset.code, baseMinor), quoteRounding).minor
  const wanted = usdToMinor(input.amountUsd, baseAsset.code, input.rates)
  let baseMinor = wanted < input.available.baseMinor ? wanted : input.available.baseMinor
  let quoteMinor = toQuote(baseMinor)
  if (quoteMinor > input.available.quoteMinor) {
    // floor(q / rate) × rate ≤ q, so its QUOTE (either rounding) fits in what is available.
    baseMinor = convert(invertPrice(mid), amount(quoteAsset.code, input.available.quoteMinor), 'floor').minor
    quoteMinor = toQuote(baseMinor)
  }
  if (baseMinor <= 0n || quoteMinor <= 0n) return undefined
  return { baseMinor, quoteMinor, rate, capped: baseMinor < wanted }
}
