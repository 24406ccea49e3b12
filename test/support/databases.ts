import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, before, describe } from 'node:test'
import pg from 'pg'
import { type Dialect, openStore, type Store } from '../../src/store/store.ts'

/**
 * Runs a suite against both databases. SQLite uses a temporary file (WAL,
 * synchronous=FULL, as in production); PostgreSQL gets a fresh database on
 * 127.0.0.1:5432 (or TEST_DATABASE_URL), dropped afterwards. Without a
 * PostgreSQL server the PostgreSQL half says so in one line and skips, unless
 * REQUIRE_POSTGRES=1, where it fails instead.
 */
export const ADMIN_URL = process.env.TEST_DATABASE_URL ?? 'postgres://postgres@127.0.0.1:5432/test'

let reachable: Promise<string | undefined> | undefined

/** Resolves to undefined when PostgreSQL answers, else to the reason it does not. */
export function postgresProblem(): Promise<string | undefined> {
  reachable ??= (async () => {
    const client = new pg.Client({ connectionString: ADMIN_URL, connectionTimeoutMillis: 2_000 })
    try {
      await client.connect()
      await client.query('select 1')
      return undefined
    } catch (error) {
      return (error as Error).message
    } finally {
      await client.end().catch(() => {})
    }
  })()
  return reachable
}

export type TestDatabase = { readonly url: string; readonly dialect: Dialect; drop(): Promise<void> }

export async function createTestDatabase(dialect: Dialect): Promise<TestDatabase> {
  if (dialect === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'stablefx-'))
    return {
      url: `file:${join(dir, 'test.db')}`,
      dialect,
      drop: async () => rmSync(dir, { recursive: true, force: true }),
    }
  }
  const name = `stablefx_t_${randomBytes(6).toString('hex')}`
  await adminQuery(`create database ${name}`)
  const url = new URL(ADMIN_URL)
  url.pathname = `/${name}`
  return {
    url: url.toString(),
    dialect,
    drop: () => adminQuery(`drop database if exists ${name} with (force)`),
  }
}

async function adminQuery(text: string): Promise<void> {
  const client = new pg.Client({ connectionString: ADMIN_URL })
  await client.connect()
  try {
    await client.query(text)
  } finally {
    await client.end()
  }
}

const problem = await postgresProblem()
const pgSkip =
  problem === undefined
    ? false
    : process.env.REQUIRE_POSTGRES === '1'
      ? false
      : `PostgreSQL not reachable at ${new URL(ADMIN_URL).host} (${problem}); PostgreSQL suites skipped`
if (typeof pgSkip === 'string') console.log(`# ${pgSkip}`)

/**
 * `describe` once per dialect. The suite body receives a getter for a store
 * opened (and migrated) on a fresh database before the suite's tests run.
 */
export function describeEachDialect(
  name: string,
  body: (ctx: { store: () => Store; dialect: Dialect }) => void,
) {
  for (const dialect of ['sqlite', 'postgres'] as const) {
    const skip = dialect === 'postgres' ? pgSkip : false
    describe(`${name} [${dialect}]`, { skip }, () => {
      let database: TestDatabase | undefined
      let store: Store | undefined
      before(async () => {
        if (dialect === 'postgres' && problem !== undefined) {
          throw new Error(`REQUIRE_POSTGRES=1 but PostgreSQL is not reachable: ${problem}`)
        }
        database = await createTestDatabase(dialect)
        store = await openStore(database.url)
      })
      after(async () => {
        await store?.close()
        await database?.drop()
      })
      body({
        store: () => {
          if (store === undefined) throw new Error('store used outside a test')
          return store
        },
        dialect,
      })
    })
  }
}

/**
 * `describe` on PostgreSQL only, for behaviour that exists only there (several
 * nodes on one database). `open` gives a fresh database per call, dropped after the suite.
 */
export function describeOnPostgres(
  name: string,
  body: (ctx: { open: () => Promise<{ url: string; store: () => Promise<Store> }> }) => void,
) {
  describe(`${name} [postgres]`, { skip: pgSkip }, () => {
    const cleanups: (() => Promise<void>)[] = []
    before(() => {
      if (problem !== undefined)
        throw new Error(`REQUIRE_POSTGRES=1 but PostgreSQL is not reachable: ${problem}`)
    })
    after(async () => {
      for (const cleanup of cleanups.splice(0).reverse()) await cleanup()
    })
    body({
      async open() {
        const database = await createTestDatabase('postgres')
        cleanups.push(() => database.drop())
        return {
          url: database.url,
          async store() {
            const store = await openStore(database.url)
            cleanups.push(() => store.close())
            return store
          },
        }
      },
    })
  })
}
