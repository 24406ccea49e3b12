import type { Clocks } from '../clock/clock.ts'
import { type Fiat, REFERENCE_FIAT_PER_USD } from '../config/assets.ts'
import { ENVIRONMENTS, type Environment } from '../config/environment.ts'
import { type Failure, fail, ok, type Result } from '../errors.ts'
import { cmp, type Ratio, r } from '../money/ratio.ts'
import type { UsdRates } from '../pools/usd-rates.ts'
import { aggregate, type Observations, type OracleReading } from './aggregate.ts'
import { ORACLE_PAIRS, type OraclePair, type OracleSource } from './pairs.ts'
import { createMidHistory, type MidHistory, midMoveBps } from './volatility.ts'

/** A price the oracle accepted, and the reading it led to; the risk engine listens for these. */
export type AcceptedPrice = {
  readonly environment: Environment
  readonly source: OracleSource
  readonly pair: OraclePair
  readonly price: Ratio
  readonly atMs: number
  readonly reading: OracleReading
}

export type PriceListener = (accepted: AcceptedPrice) => void

export type OracleService = {
  /** Records a source's price; refuses a non-positive price or a timestamp ahead of the environment's clock. */
  submit(
    environment: Environment,
    source: OracleSource,
    pair: OraclePair,
    price: Ratio,
    atMs: number,
  ): Result<OracleReading>
  /** SPEC §6.2 aggregation at the environment's current time. */
  reading(environment: Environment, pair: OraclePair): OracleReading
  /** SPEC §6.2 volatility signal: the mid move over the last `windowMs`, in bps. */
  midMoveBps(environment: Environment, pair: OraclePair, windowMs: number): Ratio
  /** Subscribes to accepted prices; returns the unsubscribe function. */
  onPrice(listener: PriceListener): () => void
  /** Fiat per USD at the current OK oracle mids, the reference mids where a pair has none. */
  usdRates(environment: Environment): UsdRates
  /** A number that changes whenever the environment accepts a price, for caches derived from prices. */
  version(environment: Environment): number
}

type PairState = { readonly observations: Observations; readonly history: MidHistory }

/** The pairs whose mid is "fiat per USD", for `usdRates`. */
const USD_PAIRS: Readonly<Record<Exclude<Fiat, 'USD'>, OraclePair>> = {
  IDR: 'USD-IDR',
  SGD: 'USD-SGD',
  MYR: 'USD-MYR',
}

/** Why a submission is refused, or undefined when it is acceptable. Shared with the admin route. */
export function checkSubmission(price: Ratio, atMs: number, nowMs: number): Failure | undefined {
  if (price.num <= 0n) return fail('VALIDATION_ERROR', 'price must be positive')
  if (!Number.isSafeInteger(atMs) || atMs < 0) {
    return fail('VALIDATION_ERROR', 'timestamp must be a whole number of milliseconds since the epoch')
  }
  if (atMs > nowMs) return fail('VALIDATION_ERROR', 'timestamp is in the future')
  return undefined
}

function emptyState(): Record<Environment, Record<OraclePair, PairState>> {
  const pairs = () =>
    Object.fromEntries(
      ORACLE_PAIRS.map((pair) => [pair, { observations: {}, history: createMidHistory() }]),
    ) as Record<OraclePair, PairState>
  return Object.fromEntries(ENVIRONMENTS.map((environment) => [environment, pairs()])) as Record<
    Environment,
    Record<OraclePair, PairState>
  >
}

/**
 * The oracle (SPEC §6.2), in memory. State is kept per environment because
 * the sandbox runs on its own test clock (SPEC §3): an admin moving it forward
 * must age sandbox prices without touching live ones.
 */
export function createOracleService(deps: { clocks: Clocks }): OracleService {
  const state = emptyState()
  const listeners = new Set<PriceListener>()

  // Aggregation is a pure function of the observations and the time, so a reading is reused while
  // neither changed: one quote asks for the same readings many times within the same millisecond.
  const cache = new Map<string, { version: number; nowMs: number; reading: OracleReading }>()
  const versions = new Map<string, number>()
  function reading(environment: Environment, pair: OraclePair): OracleReading {
    const key = `${environment}|${pair}`
    const nowMs = deps.clocks[environment].now()
    const version = versions.get(key) ?? 0
    const hit = cache.get(key)
    if (hit !== undefined && hit.version === version && hit.nowMs === nowMs) return hit.reading
    const fresh = aggregate(pair, state[environment][pair].observations, nowMs)
    cache.set(key, { version, nowMs, reading: fresh })
    return fresh
  }

  function submit(
    environment: Environment,
    source: OracleSource,
    pair: OraclePair,
    price: Ratio,
    atMs: number,
  ): Result<OracleReading> {
    const nowMs = deps.clocks[environment].now()
    const refused = checkSubmission(price, atMs, nowMs)
    if (refused !== undefined) return refused
    const pairState = state[environment][pair]
    // The latest submission replaces the source's previous price even when it is older: an operator
    // back-dates a manual price on purpose to exercise staleness (issue 3, manual mode).
    pairState.observations[source] = { price, atMs }
    versions.set(`${environment}|${pair}`, (versions.get(`${environment}|${pair}`) ?? 0) + 1)
    versions.set(environment, (versions.get(environment) ?? 0) + 1)
    const after = aggregate(pair, pairState.observations, nowMs)
    recordMid(pairState.history, after, nowMs)
    for (const listener of listeners) listener({ environment, source, pair, price, atMs, reading: after })
    return ok(after)
  }

  function usdRates(environment: Environment): UsdRates {
    return {
      fiatPerUsd(fiat) {
        if (fiat === 'USD') return r(REFERENCE_FIAT_PER_USD.USD)
        const current = reading(environment, USD_PAIRS[fiat])
        return current.status === 'OK' && current.mid !== undefined
          ? current.mid
          : r(REFERENCE_FIAT_PER_USD[fiat])
      },
    }
  }

  return {
    submit,
    reading,
    midMoveBps: (environment, pair, windowMs) =>
      midMoveBps(state[environment][pair].history.points(), deps.clocks[environment].now(), windowMs),
    onPrice(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    usdRates,
    version: (environment) => versions.get(environment) ?? 0,
  }
}

/** SPEC §6.2 volatility needs the mids over time: a point each time the OK mid changes. */
function recordMid(history: MidHistory, reading: OracleReading, nowMs: number): void {
  if (reading.status !== 'OK' || reading.mid === undefined) return
  const last = history.points().at(-1)
  if (last !== undefined && cmp(last.mid, reading.mid) === 0) return
  history.record({ atMs: nowMs, mid: reading.mid })
}
