import type { Clocks } from '../clock/clock.ts'
import { REFERENCE_FIAT_PER_USD } from '../config/assets.ts'
import { ENVIRONMENTS } from '../config/environment.ts'
import { div, mul, type Ratio, r, ratio } from '../money/ratio.ts'
import { divide } from '../money/rounding.ts'
import { ORACLE_PAIRS, ORACLE_SOURCES, type OraclePair, type OracleSource } from './pairs.ts'
import type { OracleService, PriceSubmission } from './service.ts'

export type SimFeed = {
  /** Feeds once at once, then every `intervalMs` on an unref'ed timer (it never keeps the process alive). */
  start(): void
  stop(): void
  /** One step of every walk, submitted for every pair and source in both environments, in one batch. */
  tick(): Promise<void>
}

/** Prices and offsets are counted in millionths (ppm): integers, so no float ever touches a price. */
const PPM = 1_000_000n
/**
 * The walk of each USD leg stays within ±1 bp of its anchor, moving at most
 * 0.2 bp a step. With the source noise below, an aggregated USD mid stays
 * within ±1.3 bp and the derived MYR-IDR within ±2.3 bp of its anchor, so any
 * move over a window is under SPEC §6.2's 0.05% (5 bp) NORMAL band. Steps of a
 * few bps a second would walk into PROTECT within minutes.
 */
const WALK_BAND_PPM = 100
const WALK_STEP_PPM = 20
/** Each source quotes its own price around the walk; primaries differ by at most 0.6 bp (thresholds: 10–20 bp). */
const NOISE_PPM: Readonly<Record<OracleSource, number>> = { primary_a: 30, primary_b: 30, reference: 60 }

type Walks = { IDR: number; SGD: number; MYR: number }

/** mulberry32: a small, well-mixed 32-bit integer generator; the same seed gives the same sequence. */
function mulberry32(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return (t ^ (t >>> 14)) >>> 0
  }
}

/** A whole number in [−limit, limit]. */
function uniform(next: () => number, limit: number): number {
  return (next() % (2 * limit + 1)) - limit
}

/** One reflecting step of a bounded walk. */
function step(offsetPpm: number, next: () => number): number {
  const moved = offsetPpm + uniform(next, WALK_STEP_PPM)
  if (moved > WALK_BAND_PPM) return 2 * WALK_BAND_PPM - moved
  if (moved < -WALK_BAND_PPM) return -2 * WALK_BAND_PPM - moved
  return moved
}

function shifted(value: Ratio, offsetPpm: number): Ratio {
  return mul(value, ratio(PPM + BigInt(offsetPpm), PPM))
}

/** Sim prices are quoted to a millionth of a unit, like a real feed's decimal text. */
function toMillionths(value: Ratio): Ratio {
  return ratio(divide(value.num * PPM, value.den, 'floor'), PPM)
}

function mids(walks: Walks): Record<OraclePair, Ratio> {
  const usdIdr = shifted(r(REFERENCE_FIAT_PER_USD.IDR), walks.IDR)
  const usdMyr = shifted(r(REFERENCE_FIAT_PER_USD.MYR), walks.MYR)
  return {
    'USD-IDR': usdIdr,
    'USD-SGD': shifted(r(REFERENCE_FIAT_PER_USD.SGD), walks.SGD),
    'USD-MYR': usdMyr,
    // The cross is derived from the two USD legs, as the market's would be (≈ 16250 / 4.2).
    'MYR-IDR': div(usdIdr, usdMyr),
  }
}

/**
 * The default oracle mode (issue 3, `STABLEFX_ORACLE=sim`): seeded random
 * walks around the reference mids of src/config/assets.ts feed all three
 * sources of every pair, so a fresh install quotes out of the box. Both
 * environments get the same prices, each stamped by its own clock.
 */
export function createSimFeed(deps: {
  oracle: OracleService
  clocks: Clocks
  seed: number
  intervalMs?: number
}): SimFeed {
  if (!Number.isInteger(deps.seed)) throw new RangeError(`sim seed must be an integer, got ${deps.seed}`)
  const intervalMs = deps.intervalMs ?? 1000
  const next = mulberry32(deps.seed)
  const walks: Walks = { IDR: 0, SGD: 0, MYR: 0 }
  let timer: NodeJS.Timeout | undefined

  async function tick(): Promise<void> {
    walks.IDR = step(walks.IDR, next)
    walks.SGD = step(walks.SGD, next)
    walks.MYR = step(walks.MYR, next)
    const current = mids(walks)
    const submissions: PriceSubmission[] = []
    for (const pair of ORACLE_PAIRS) {
      for (const source of ORACLE_SOURCES) {
        const price = toMillionths(shifted(current[pair], uniform(next, NOISE_PPM[source])))
        for (const environment of ENVIRONMENTS) {
          submissions.push({ environment, source, pair, price, atMs: deps.clocks[environment].now() })
        }
      }
    }
    const result = await deps.oracle.submitMany(submissions)
    // A positive price stamped "now" is always acceptable, so a refusal here is a bug.
    if (!result.ok) throw new Error(`sim prices refused: ${result.message}`)
  }

  return {
    start() {
      if (timer !== undefined) return
      const run = () => void tick().catch(() => {})
      run()
      timer = setInterval(run, intervalMs)
      timer.unref()
    },
    stop() {
      clearInterval(timer)
      timer = undefined
    },
    tick,
  }
}
