import type { Bus } from '../cluster/bus.ts'
import { ENVIRONMENTS, type Environment } from '../config/environment.ts'
import { type Ratio, ratio } from '../money/ratio.ts'
import { lockLog } from '../store/locks.ts'
import type { Store } from '../store/store.ts'
import type { OraclePair, OracleSource } from './pairs.ts'
import { MID_HISTORY_MS } from './volatility.ts'

/** One accepted price as the log keeps it; `id` is its place in commit order. */
export type LoggedPrice = {
  readonly id: bigint
  readonly environment: Environment
  readonly pair: OraclePair
  readonly source: OracleSource
  readonly price: Ratio
  readonly atMs: number
  readonly receivedAtMs: number
}

export type NewPrice = Omit<LoggedPrice, 'id'>

/**
 * The oracle's price log (SPEC §15: oracle readings are authoritative in the
 * database). Every node replays it, in id order, into its own readings.
 */
export type PriceLog = {
  append(prices: readonly NewPrice[]): Promise<void>
  /** The rows after `afterId`, in order (at most `limit`). */
  after(afterId: bigint, limit: number): Promise<LoggedPrice[]>
  /**
   * What a starting node needs, in order: the latest price of every
   * environment, pair and source, and every price of the last `RETAIN_MS`
   * (the mid history behind the volatility signal).
   */
  recent(nowMs: Readonly<Record<Environment, number>>): Promise<LoggedPrice[]>
  /** Drops rows older than `RETAIN_MS`, keeping each source's latest; returns how many went. */
  prune(nowMs: Readonly<Record<Environment, number>>): Promise<number>
}

/** The mid history a node rebuilds at start reaches this far back [ours]: the longest history plus a margin. */
export const RETAIN_MS = MID_HISTORY_MS + 5 * 60_000

function toLogged(row: {
  id: bigint
  environment: string
  pair: string
  source: string
  price: string
  at: bigint
  received_at: bigint
}): LoggedPrice {
  const [num, den] = row.price.split('/') as [string, string]
  return {
    id: row.id,
    environment: row.environment as Environment,
    pair: row.pair as OraclePair,
    source: row.source as OracleSource,
    price: ratio(BigInt(num), BigInt(den)),
    atMs: Number(row.at),
    receivedAtMs: Number(row.received_at),
  }
}

export function createStorePriceLog(deps: { store: Store; bus: Bus }): PriceLog {
  const { store } = deps
  const latestIds = () =>
    store.kysely
      .selectFrom('oracle_prices')
      .select((eb) => eb.fn.max('id').as('id'))
      .groupBy(['environment', 'pair', 'source'])
  return {
    async append(prices) {
      if (prices.length === 0) return
      await store.transaction(async (tx) => {
        // Commit order is id order, so a node that has read up to an id has read everything before it.
        await lockLog(tx, 'oracle')
        await tx.kysely
          .insertInto('oracle_prices')
          .values(
            prices.map((p) => ({
              environment: p.environment,
              pair: p.pair,
              source: p.source,
              price: `${p.price.num}/${p.price.den}`,
              at: BigInt(p.atMs),
              received_at: BigInt(p.receivedAtMs),
            })),
          )
          .execute()
        await deps.bus.publish(tx, 'oracle')
      })
    },
    async after(afterId, limit) {
      const rows = await store.kysely
        .selectFrom('oracle_prices')
        .selectAll()
        .where('id', '>', afterId)
        .orderBy('id')
        .limit(limit)
        .execute()
      return rows.map(toLogged)
    },
    async recent(nowMs) {
      const rows = await store.kysely
        .selectFrom('oracle_prices')
        .selectAll()
        .where((eb) =>
          eb.or([
            eb('id', 'in', latestIds()),
            ...ENVIRONMENTS.map((environment) =>
              eb.and([
                eb('environment', '=', environment),
                eb('received_at', '>=', BigInt(nowMs[environment] - RETAIN_MS)),
              ]),
            ),
          ]),
        )
        .orderBy('id')
        .execute()
      return rows.map(toLogged)
    },
    async prune(nowMs) {
      let pruned = 0
      for (const environment of ENVIRONMENTS) {
        const result = await store.kysely
          .deleteFrom('oracle_prices')
          .where('environment', '=', environment)
          .where('received_at', '<', BigInt(nowMs[environment] - RETAIN_MS))
          .where('id', 'not in', latestIds())
          .executeTakeFirst()
        pruned += Number(result.numDeletedRows)
      }
      return pruned
    },
  }
}

/** The same log in memory, for a single process with no database behind its oracle (unit tests). */
export function createMemoryPriceLog(): PriceLog {
  let rows: LoggedPrice[] = []
  let nextId = 1n
  return {
    async append(prices) {
      for (const price of prices) rows.push({ ...price, id: nextId++ })
    },
    async after(afterId, limit) {
      return rows.filter((row) => row.id > afterId).slice(0, limit)
    },
    async recent() {
      return [...rows]
    },
    async prune(nowMs) {
      const latest = new Map<string, bigint>()
      for (const row of rows) latest.set(`${row.environment}|${row.pair}|${row.source}`, row.id)
      const before = rows.length
      rows = rows.filter(
        (row) =>
          row.receivedAtMs >= nowMs[row.environment] - RETAIN_MS ||
          latest.get(`${row.environment}|${row.pair}|${row.source}`) === row.id,
      )
      return before - rows.length
    },
  }
}
