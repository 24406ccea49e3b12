import type { Clocks } from '../clock/clock.ts'
import { type Fiat, REFERENCE_FIAT_PER_USD } from '../config/assets.ts'
import { ENVIRONMENTS, type Environment } from '../config/environment.ts'
import { type Failure, fail, ok, type Result } from '../errors.ts'
import { cmp, type Ratio, r } from '../money/ratio.ts'
import type { UsdRates } from '../pools/usd-rates.ts'
import { aggregate, type Observations, type OracleReading } from './aggregate.ts'
import { ORACLE_PAIRS, type OraclePair, type OracleSource } from './pairs.ts'
import { createMemoryPriceLog, type LoggedPrice, type NewPrice, type PriceLog } from './price-log.ts'
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

export type PriceSubmission = {
  readonly environment: Environment
  readonly source: OracleSource
  readonly pair: OraclePair
  readonly price: Ratio
  readonly atMs: number
}

export type OracleService = {
  /** Records a source's price; refuses a non-positive price or a timestamp ahead of the environment's clock. */
  submit(
    environment: Environment,
    source: OracleSource,
    pair: OraclePair,
    price: Ratio,
    atMs: number,
  ): Promise<Result<OracleReading>>
  /** Records several prices at once, all or none (one refusal refuses the batch); the readings after, in order. */
  submitMany(submissions: readonly PriceSubmission[]): Promise<Result<OracleReading[]>>
  /** SPEC §6.2 aggregation at the environment's current time. */
  reading(environment: Environment, pair: OraclePair): OracleReading
  /** SPEC §6.2 volatility signal: the mid move over the last `windowMs`, in bps. */
  midMoveBps(environment: Environment, pair: OraclePair, windowMs: number): Ratio
  /** Subscribes to prices accepted by this node; returns the unsubscribe function. */
  onPrice(listener: PriceListener): () => void
  /**
   * Fiat per USD at the current OK oracle mids, the reference mids where a
   * pair has none: for views and estimates only, never for money.
   */
  usdRates(environment: Environment): UsdRates
  /**
   * Fiat per USD for money paths (fee conversion, LP weights, size tiers,
   * pool targets): the current OK mid, else the last OK mid if it is at most
   * LAST_GOOD_MID_MAX_AGE_MS old, else ORACLE_STALE naming the pair. No
   * hard-coded fallback.
   */
  moneyRates(environment: Environment): Result<UsdRates>
  /** A number that changes whenever the environment accepts a price, for caches derived from prices. */
  version(environment: Environment): number
  /** Rebuilds the readings from the log (at start). */
  load(): Promise<void>
  /** Catches up with prices other nodes logged; resolves once they are applied. */
  sync(): Promise<void>
  /** Drops log rows no node needs any more (the cluster maintenance worker). */
  prune(): Promise<number>
}

type PairState = {
  readonly observations: Observations
  readonly history: MidHistory
  /** The last OK mid and when it was seen OK (environment clock). */
  lastGood?: { readonly mid: Ratio; readonly atMs: number }
}

/**
 * How old the last OK mid may be when the oracle is not OK now, for money
 * paths [ours]: long enough to ride out a feed's brief gap, short enough that
 * no LP weight or conversion rests on a price the market has left.
 */
export const LAST_GOOD_MID_MAX_AGE_MS = 5 * 60_000

/** The pairs whose mid is "fiat per USD", for `usdRates`. */
const USD_PAIRS: Readonly<Record<Exclude<Fiat, 'USD'>, OraclePair>> = {
  IDR: 'USD-IDR',
  SGD: 'USD-SGD',
  MYR: 'USD-MYR',
}

/** Log rows applied per read while catching up (bounds one query's size). */
const SYNC_BATCH = 5_000

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
 * The oracle (SPEC §6.2). Prices are authoritative in a log (the database,
 * SPEC §15): a submission is appended there, and every node, the submitting
 * one included, replays the log in order into its own readings, so all
 * nodes see the same prices and the same mid history. Readings are kept per
 * environment because the sandbox runs on its own test clock (SPEC §3): an
 * admin moving it forward must age sandbox prices without touching live ones.
 */
export function createOracleService(deps: { clocks: Clocks; log?: PriceLog }): OracleService {
  const log = deps.log ?? createMemoryPriceLog()
  let state = emptyState()
  let lastId = 0n
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

  function bump(environment: Environment, pair: OraclePair): void {
    versions.set(`${environment}|${pair}`, (versions.get(`${environment}|${pair}`) ?? 0) + 1)
    versions.set(environment, (versions.get(environment) ?? 0) + 1)
  }

  /**
   * Replays log rows in order. Rows a submission stamped with the same
   * environment, pair and time are applied together and aggregated once: the
   * mid history keeps one point per time, so the intermediate aggregates
   * would change nothing the volatility signal reads.
   */
  function apply(rows: readonly LoggedPrice[]): void {
    for (let i = 0; i < rows.length; ) {
      const first = rows[i] as LoggedPrice
      const pairState = state[first.environment][first.pair]
      let j = i
      for (; j < rows.length; j++) {
        const row = rows[j] as LoggedPrice
        if (row.environment !== first.environment || row.pair !== first.pair) break
        if (row.receivedAtMs !== first.receivedAtMs) break
        // The latest submission replaces the source's previous price even when it is older: an operator
        // back-dates a manual price on purpose to exercise staleness (issue 3, manual mode).
        pairState.observations[row.source] = { price: row.price, atMs: row.atMs }
        lastId = row.id
      }
      bump(first.environment, first.pair)
      const after = aggregate(first.pair, pairState.observations, first.receivedAtMs)
      recordMid(pairState.history, after, first.receivedAtMs)
      if (after.status === 'OK' && after.mid !== undefined) {
        pairState.lastGood = { mid: after.mid, atMs: first.receivedAtMs }
      }
      i = j
    }
  }

  let syncing: Promise<void> = Promise.resolve()
  function sync(): Promise<void> {
    syncing = syncing.then(async () => {
      for (;;) {
        const rows = await log.after(lastId, SYNC_BATCH)
        apply(rows)
        if (rows.length < SYNC_BATCH) return
      }
    })
    return syncing
  }

  async function submitMany(submissions: readonly PriceSubmission[]): Promise<Result<OracleReading[]>> {
    const rows: NewPrice[] = []
    for (const s of submissions) {
      const nowMs = deps.clocks[s.environment].now()
      const refused = checkSubmission(s.price, s.atMs, nowMs)
      if (refused !== undefined) return refused
      rows.push({ ...s, receivedAtMs: nowMs })
    }
    await log.append(rows)
    await sync()
    const readings = submissions.map((s) => reading(s.environment, s.pair))
    submissions.forEach((s, i) => {
      for (const listener of listeners) listener({ ...s, reading: readings[i] as OracleReading })
    })
    return ok(readings)
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

  function moneyRates(environment: Environment): Result<UsdRates> {
    const nowMs = deps.clocks[environment].now()
    const mids = new Map<Fiat, Ratio>([['USD', r(REFERENCE_FIAT_PER_USD.USD)]])
    for (const [fiat, pair] of Object.entries(USD_PAIRS) as [Exclude<Fiat, 'USD'>, OraclePair][]) {
      const current = reading(environment, pair)
      if (current.status === 'OK' && current.mid !== undefined) {
        mids.set(fiat, current.mid)
        continue
      }
      const lastGood = state[environment][pair].lastGood
      if (lastGood === undefined || nowMs - lastGood.atMs > LAST_GOOD_MID_MAX_AGE_MS) {
        return fail('ORACLE_STALE', `the ${pair} price is stale and no good mid is recent enough`)
      }
      mids.set(fiat, lastGood.mid)
    }
    return ok({ fiatPerUsd: (fiat) => mids.get(fiat) as Ratio })
  }

  const nowByEnvironment = () =>
    Object.fromEntries(ENVIRONMENTS.map((e) => [e, deps.clocks[e].now()])) as Record<Environment, number>

  return {
    async submit(environment, source, pair, price, atMs) {
      const result = await submitMany([{ environment, source, pair, price, atMs }])
      return result.ok ? ok(result.value[0] as OracleReading) : result
    },
    submitMany,
    reading,
    midMoveBps: (environment, pair, windowMs) =>
      midMoveBps(state[environment][pair].history.points(), deps.clocks[environment].now(), windowMs),
    onPrice(listener) {
      listeners.add(listener)
      return () => listeners.delete(listener)
    },
    usdRates,
    moneyRates,
    version: (environment) => versions.get(environment) ?? 0,
    async load() {
      const rows = await log.recent(nowByEnvironment())
      await syncing
      state = emptyState()
      for (const environment of ENVIRONMENTS) for (const pair of ORACLE_PAIRS) bump(environment, pair)
      apply(rows)
    },
    sync,
    prune: () => log.prune(nowByEnvironment()),
  }
}

/** SPEC §6.2 volatility needs the mids over time: a point each time the OK mid changes. */
function recordMid(history: MidHistory, reading: OracleReading, nowMs: number): void {
  if (reading.status !== 'OK' || reading.mid === undefined) return
  const last = history.points().at(-1)
  if (last !== undefined && cmp(last.mid, reading.mid) === 0) return
  history.record({ atMs: nowMs, mid: reading.mid })
}
