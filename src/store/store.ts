import { createHash } from 'node:crypto'
import { mkdirSync } from 'node:fs'
import { dirname } from 'node:path'
import Database from 'better-sqlite3'
import { Kysely, PostgresDialect, SqliteDialect, sql, type Transaction } from 'kysely'
import pg from 'pg'
import { migrate } from './migrations.ts'
import type { DB } from './schema.ts'

export type Dialect = 'sqlite' | 'postgres'

declare const txBrand: unique symbol
/**
 * A handle on an open transaction. Functions that write the ledger take one
 * in their type, so they cannot be called outside a transaction; only
 * `Store.transaction` makes one.
 */
export type Tx = { readonly kysely: Transaction<DB>; readonly dialect: Dialect; readonly [txBrand]: true }

/** A read handle: the store itself or an open transaction. */
export type Reader = { readonly kysely: Kysely<DB>; readonly dialect: Dialect }

export type Store = Reader & {
  /** Where the data lives, without credentials, for logs and the start-up line. */
  readonly location: string
  /**
   * Runs `fn` in one transaction. A result of the form `{ ok: false }` rolls
   * back and is returned as is: an expected failure never commits a partial
   * write. Serialization failures and deadlocks on PostgreSQL are retried.
   */
  transaction<T>(fn: (tx: Tx) => Promise<T>): Promise<T>
  /**
   * Runs `fn`, which sends one statement: a statement is atomic on its own,
   * so PostgreSQL gets it alone (one round trip, not begin, statement and
   * commit); SQLite runs it in the group commit, which shares one fsync
   * between transactions.
   */
  single<T>(fn: (db: Reader) => Promise<T>): Promise<T>
  /** Runs `fn` on one consistent read-only snapshot (repeatable read on PostgreSQL). */
  snapshot<T>(fn: (reader: Reader) => Promise<T>): Promise<T>
  ping(): Promise<void>
  close(): Promise<void>
  /** The raw SQLite handle, for the few hot statements measured faster without Kysely. */
  readonly sqlite: Database.Database | undefined
  /** PostgreSQL only: notifications on a channel, over a connection of their own (SQLite: one process, none needed). */
  readonly listen: ((channel: string, handlers: ListenHandlers) => Listener) | undefined
}

export type ListenHandlers = {
  /** A notification's payload. */
  notify(payload: string): void
  /** Called once listening starts and again after every reconnection: whatever was sent meanwhile is lost. */
  connected(): void
  /** Why the connection dropped; it is retried with backoff. */
  lost(error: unknown): void
}

export type Listener = { readonly up: () => boolean; close(): Promise<void> }

class Rollback {
  readonly result: unknown
  constructor(result: unknown) {
    this.result = result
  }
}

function isFailure(value: unknown): boolean {
  return typeof value === 'object' && value !== null && (value as { ok?: unknown }).ok === false
}

/** The most transactions one SQLite commit carries (bounds the latency a long batch adds). */
const MAX_BATCH = 256
/** Serialization failure, deadlock, and a prepared statement whose table another node migrated (see `preparing`). */
const RETRYABLE_PG_CODES = new Set(['40001', '40P01', '0A000'])
const MAX_ATTEMPTS = 5

export async function openStore(
  url: string,
  options: {
    migrate?: boolean /** PostgreSQL: named prepared statements (default true). */
    prepare?: boolean
  } = {},
): Promise<Store> {
  const store = url.startsWith('postgres') ? openPostgres(url) : openSqlite(url)
  if (options.migrate !== false) await migrate(store.kysely as Kysely<unknown>, store.dialect)
  if (options.prepare !== false) startPreparing.get(store)?.()
  return store
}

function sqlitePath(url: string): string {
  const path = url.replace(/^file:(\/\/)?/, '')
  if (path === '') throw new Error('DATABASE_URL names no SQLite file')
  return path
}

function openSqlite(url: string): Store {
  const path = sqlitePath(url)
  if (path !== ':memory:') mkdirSync(dirname(path), { recursive: true })
  const database = new Database(path)
  database.pragma('journal_mode = WAL')
  database.pragma('synchronous = FULL')
  database.pragma('foreign_keys = ON')
  database.pragma('busy_timeout = 5000')
  database.defaultSafeIntegers(true)
  const kysely = new Kysely<DB>({ dialect: new SqliteDialect({ database: withStatementCache(database) }) })
  return makeStore(kysely, 'sqlite', path, database, undefined)
}

/** Prepared statements kept for reuse, by SQL text: most queries repeat, and preparing is the costly part. */
const STATEMENT_CACHE_SIZE = 1_000

/**
 * Kysely's SQLite driver prepares every statement anew. Handing it a database
 * whose `prepare` remembers statements saves that work on every repeated
 * query (measured: preparing was ~15% of the execute path's CPU). Statements
 * run synchronously, so one cached statement is never used twice at once.
 */
function withStatementCache(database: Database.Database) {
  const cache = new Map<string, Database.Statement>()
  return {
    close: () => database.close(),
    prepare(text: string): Database.Statement {
      let statement = cache.get(text)
      if (statement === undefined) {
        if (cache.size >= STATEMENT_CACHE_SIZE) cache.delete(cache.keys().next().value as string)
        statement = database.prepare(text)
        cache.set(text, statement)
      }
      return statement
    },
  }
}

/** Statements worth preparing: one data statement (transaction control and schema changes go as they are). */
const PREPARABLE = /^\s*(select|insert|update|delete|with)\b/i
/** How many statement texts one process names; beyond it, statements go unprepared (a connection keeps what it prepared). */
const PREPARED_NAMES_MAX = 2_000

/**
 * Every data statement as a named prepared statement: PostgreSQL parses and
 * plans a statement text once per connection instead of on every execution
 * (measured: the database's CPU per firm quote + execute was the bound on this
 * machine, see the README's Benchmark section). A text is named by its hash;
 * the parameters still travel apart, as before.
 */
function preparing(pool: pg.Pool): { pool: pg.Pool; start(): void } {
  // Off while this process migrates: a `select *` prepared before a later migration adds a column
  // would no longer match its table.
  let started = false
  /** Statement texts by name; '' marks a text that must go unprepared (its table changed under it). */
  const names = new Map<string, string>()
  const nameOf = (text: string): string | undefined => {
    const known = names.get(text)
    if (known !== undefined) return known === '' ? undefined : known
    if (!started || !PREPARABLE.test(text) || names.size >= PREPARED_NAMES_MAX) return undefined
    const name = `sfx_${createHash('sha1').update(text).digest('hex').slice(0, 20)}`
    names.set(text, name)
    return name
  }
  pool.on('connect', (client) => {
    const query = client.query.bind(client) as (...args: unknown[]) => Promise<unknown>
    ;(client as { query: unknown }).query = (text: unknown, values?: unknown, callback?: unknown) => {
      const name = typeof text === 'string' && Array.isArray(values) ? nameOf(text) : undefined
      if (name === undefined)
        return callback === undefined ? query(text, values) : query(text, values, callback)
      return query({ name, text, values }).catch((error: { code?: string }) => {
        // Another node migrated the schema under a prepared `select *`: that text goes unprepared from
        // now on, and the transaction is retried (RETRYABLE_PG_CODES).
        if (error.code === CACHED_PLAN_CHANGED) names.set(text as string, '')
        throw error
      })
    }
  })
  return {
    pool,
    start() {
      started = true
    },
  }
}

/** PostgreSQL's "cached plan must not change result type" (feature_not_supported). */
const CACHED_PLAN_CHANGED = '0A000'
/** Turns statement preparation on once the store's own migrations ran (see `preparing`). */
const startPreparing = new WeakMap<Store, () => void>()

function openPostgres(url: string): Store {
  const pool = new pg.Pool({
    connectionString: url,
    max: 16,
    types: {
      getTypeParser: ((oid: number, format?: 'text' | 'binary') =>
        oid === pg.types.builtins.INT8
          ? (value: string) => BigInt(value)
          : pg.types.getTypeParser(oid, format)) as typeof pg.types.getTypeParser,
    },
  })
  // An idle client whose connection dies (server restart, administrator kill) emits 'error' on the
  // pool; without a listener that would crash the process. The pool replaces the client on next use,
  // and queries in flight fail on their own, so there is nothing else to do here.
  pool.on('error', () => {})
  const prepared = preparing(pool)
  const kysely = new Kysely<DB>({ dialect: new PostgresDialect({ pool: prepared.pool }) })
  const store = makeStore(kysely, 'postgres', redactUrl(url), undefined, (channel, handlers) =>
    listenPostgres(url, channel, handlers),
  )
  startPreparing.set(store, prepared.start)
  return store
}

const LISTEN_RETRY_MS = { first: 250, max: 5_000 }

/**
 * LISTEN on its own client. A dropped connection (database restart,
 * administrator kill) is reopened with backoff; `connected` tells the caller
 * to catch up on what it may have missed (graphile/worker#541: a LISTEN that
 * dies silently must not leave a node deaf).
 */
function listenPostgres(url: string, channel: string, handlers: ListenHandlers): Listener {
  let client: pg.Client | undefined
  let closed = false
  let up = false
  let delayMs = LISTEN_RETRY_MS.first
  let retry: NodeJS.Timeout | undefined
  const connect = async () => {
    if (closed) return
    const next = new pg.Client({ connectionString: url })
    client = next
    const dropped = (error: unknown) => {
      if (client !== next) return
      up = false
      client = undefined
      next.removeAllListeners()
      next.on('error', () => {})
      void next.end().catch(() => {})
      if (closed) return
      handlers.lost(error)
      retry = setTimeout(() => void connect(), delayMs)
      retry.unref()
      delayMs = Math.min(delayMs * 2, LISTEN_RETRY_MS.max)
    }
    next.on('error', dropped)
    next.on('end', () => dropped(new Error('listen connection ended')))
    next.on('notification', (message) => handlers.notify(message.payload ?? ''))
    try {
      await next.connect()
      await next.query(`listen ${pg.escapeIdentifier(channel)}`)
    } catch (error) {
      dropped(error)
      return
    }
    if (client !== next) return
    up = true
    delayMs = LISTEN_RETRY_MS.first
    handlers.connected()
  }
  void connect()
  return {
    up: () => up,
    async close() {
      closed = true
      clearTimeout(retry)
      const current = client
      client = undefined
      up = false
      await current?.end().catch(() => {})
    },
  }
}

export function redactUrl(url: string): string {
  return url.replace(/\/\/([^:@/]+):[^@/]*@/, '//$1:***@')
}

type Queued = {
  readonly fn: (tx: Tx) => Promise<unknown>
  readonly resolve: (value: unknown) => void
  readonly reject: (error: unknown) => void
  outcome?: { ok: true; value: unknown } | { ok: false; error: unknown }
}

/**
 * Group commit for SQLite. SQLite has one writer and one fsync per commit,
 * so committing each transaction alone caps throughput at the disk's fsync
 * rate. Transactions that arrive while a commit is under way queue up and
 * run together, one after another, each inside its own savepoint, in one
 * database transaction: one fsync for the batch. A transaction that fails
 * (or returns a failure value) rolls back to its savepoint and leaves the
 * others alone. Every caller hears back only after the batch has committed,
 * so a resolved transaction is as durable as before.
 */
function createGroupCommit(kysely: Kysely<DB>): <T>(fn: (tx: Tx) => Promise<T>) => Promise<T> {
  const queue: Queued[] = []
  let draining = false

  async function runOne(trx: Transaction<DB>, item: Queued): Promise<void> {
    await sql`savepoint stablefx_tx`.execute(trx)
    try {
      const value = await item.fn({ kysely: trx, dialect: 'sqlite' } as Tx)
      if (isFailure(value)) await sql`rollback to savepoint stablefx_tx`.execute(trx)
      item.outcome = { ok: true, value }
    } catch (error) {
      await sql`rollback to savepoint stablefx_tx`.execute(trx)
      item.outcome = { ok: false, error }
    }
    await sql`release savepoint stablefx_tx`.execute(trx)
  }

  /**
   * better-sqlite3 is synchronous: while a commit's fsync runs, no other
   * request can reach the queue. So a batch stays open across one turn of the
   * event loop after its queue empties, letting requests already in flight
   * join it, and commits when a turn brings nothing new (or the batch is full).
   */
  async function drain(): Promise<void> {
    draining = true
    while (queue.length > 0) {
      const batch: Queued[] = []
      try {
        await kysely.transaction().execute(async (trx) => {
          do {
            while (queue.length > 0 && batch.length < MAX_BATCH) {
              const item = queue.shift() as Queued
              batch.push(item)
              await runOne(trx, item)
            }
            await new Promise((resolve) => setImmediate(resolve))
          } while (queue.length > 0 && batch.length < MAX_BATCH)
        })
      } catch (error) {
        for (const item of batch) item.reject(error)
        continue
      }
      for (const item of batch) {
        const outcome = item.outcome as NonNullable<Queued['outcome']>
        if (outcome.ok) item.resolve(outcome.value)
        else item.reject(outcome.error)
      }
    }
    draining = false
  }

  return <T>(fn: (tx: Tx) => Promise<T>) =>
    new Promise<T>((resolve, reject) => {
      queue.push({ fn, resolve: resolve as (value: unknown) => void, reject })
      if (!draining) void drain()
    })
}

function makeStore(
  kysely: Kysely<DB>,
  dialect: Dialect,
  location: string,
  sqlite: Database.Database | undefined,
  listen: Store['listen'],
) {
  async function attempt<T>(fn: (tx: Tx) => Promise<T>): Promise<T> {
    try {
      return await kysely.transaction().execute(async (trx) => {
        const result = await fn({ kysely: trx, dialect } as Tx)
        if (isFailure(result)) throw new Rollback(result)
        return result
      })
    } catch (error) {
      if (error instanceof Rollback) return error.result as T
      throw error
    }
  }
  const grouped = dialect === 'sqlite' ? createGroupCommit(kysely) : undefined
  const store: Store = {
    kysely,
    dialect,
    location,
    sqlite,
    listen,
    async transaction(fn) {
      if (grouped !== undefined) return grouped(fn)
      for (let attemptNo = 1; ; attemptNo++) {
        try {
          return await attempt(fn)
        } catch (error) {
          const code = (error as { code?: string }).code
          if (dialect !== 'postgres' || code === undefined || !RETRYABLE_PG_CODES.has(code)) throw error
          if (attemptNo >= MAX_ATTEMPTS) throw error
          await new Promise((resolve) => setTimeout(resolve, Math.floor(Math.random() * 10 * attemptNo)))
        }
      }
    },
    single(fn) {
      return dialect === 'postgres' ? fn({ kysely, dialect }) : store.transaction(fn)
    },
    snapshot(fn) {
      const builder =
        dialect === 'postgres'
          ? kysely.transaction().setIsolationLevel('repeatable read').setAccessMode('read only')
          : kysely.transaction()
      return builder.execute((trx) => fn({ kysely: trx, dialect }))
    },
    async ping() {
      await sql`select 1`.execute(kysely)
    },
    async close() {
      await kysely.destroy()
    },
  }
  return store
}

/**
 * Runs `fn` inside a savepoint of an open transaction: if it throws, what it
 * wrote is undone and the transaction goes on (PostgreSQL would otherwise
 * refuse every later statement). For work that must never sink the
 * transaction around it.
 */
export async function withSavepoint<T>(
  tx: Tx,
  name: string,
  fn: () => Promise<T>,
): Promise<{ ok: true; value: T } | { ok: false; error: unknown }> {
  const point = sql.raw(name)
  await sql`savepoint ${point}`.execute(tx.kysely)
  try {
    const value = await fn()
    await sql`release savepoint ${point}`.execute(tx.kysely)
    return { ok: true, value }
  } catch (error) {
    await sql`rollback to savepoint ${point}`.execute(tx.kysely)
    await sql`release savepoint ${point}`.execute(tx.kysely)
    return { ok: false, error }
  }
}
