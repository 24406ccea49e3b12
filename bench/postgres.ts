/**
 * The PostgreSQL pieces of the bench: fresh databases with random names,
 * created and dropped through an administration connection, and the raw
 * durable-transfer ceiling, the PostgreSQL analogue of rawCeiling() in run.ts.
 */
import { randomBytes } from 'node:crypto'
import pg from 'pg'

/** How long a connection attempt may take before PostgreSQL counts as unreachable. */
const CONNECT_TIMEOUT_MS = 3_000

export type PostgresAdmin = {
  /** The server's version and its synchronous_commit, for the report. */
  readonly version: string
  readonly synchronousCommit: string
  /** Creates an empty database with a random name and returns its URL. */
  createDatabase(): Promise<string>
  /** Drops every database createDatabase made, ending their sessions; returns the names it could not drop. */
  dropAll(): Promise<string[]>
}

export type Reachable = { ok: true; admin: PostgresAdmin } | { ok: false; reason: string }

/** The URL without its password, for printing. */
export function redactUrl(url: string): string {
  const parsed = new URL(url)
  if (parsed.password !== '') parsed.password = '***'
  return parsed.toString()
}

async function withClient<T>(url: string, fn: (client: pg.Client) => Promise<T>): Promise<T> {
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS })
  // A connection the server ends (drop … with (force), a restart) emits 'error'; the query in flight fails on its own.
  client.on('error', () => {})
  await client.connect()
  try {
    return await fn(client)
  } finally {
    await client.end().catch(() => {})
  }
}

/** Connects to the administration database `adminUrl`; an unreachable server is a value, not a throw. */
export async function openPostgresAdmin(adminUrl: string): Promise<Reachable> {
  let settings: { version: string; synchronousCommit: string }
  try {
    settings = await withClient(adminUrl, async (client) => {
      const version = await client.query<{ server_version: string }>('show server_version')
      const commit = await client.query<{ synchronous_commit: string }>('show synchronous_commit')
      return {
        version: version.rows[0]?.server_version ?? '?',
        synchronousCommit: commit.rows[0]?.synchronous_commit ?? '?',
      }
    })
  } catch (error) {
    return { ok: false, reason: error instanceof Error ? error.message : String(error) }
  }
  const created: string[] = []
  const urlOf = (name: string) => {
    const url = new URL(adminUrl)
    url.pathname = `/${name}`
    return url.toString()
  }
  return {
    ok: true,
    admin: {
      ...settings,
      async createDatabase() {
        const name = `stablefx_bench_${randomBytes(6).toString('hex')}`
        // Remembered before it exists, so a failure half-way still drops whatever was made.
        created.push(name)
        await withClient(adminUrl, (client) => client.query(`create database ${pg.escapeIdentifier(name)}`))
        return urlOf(name)
      },
      async dropAll() {
        const failed: string[] = []
        for (const name of created.splice(0)) {
          try {
            await withClient(adminUrl, (client) =>
              client.query(`drop database if exists ${pg.escapeIdentifier(name)} with (force)`),
            )
          } catch {
            failed.push(name)
          }
        }
        return failed
      },
    },
  }
}

export type Ceiling = { perSecond: number; errors: number; firstError: string | undefined }

/**
 * Minimal durable transfers on `connections` concurrent connections for
 * `seconds`: each transaction is two balance updates and one posting insert
 * (the debit and credit postings in one statement), committed with the
 * server's synchronous_commit. Each connection moves money between its own two
 * accounts: with one shared pair every transaction would wait for the previous
 * one's row locks through its commit flush, and the figure would measure that
 * lock rather than what the database can commit.
 */
export async function postgresRawCeiling(
  url: string,
  connections: number,
  seconds: number,
): Promise<Ceiling> {
  await withClient(url, async (client) => {
    await client.query(`create table accounts (id text primary key, balance numeric(78, 0) not null);
      create table postings (id bigserial primary key, entry bigint not null, account_id text not null,
                             amount numeric(78, 0) not null)`)
    for (let i = 0; i < connections; i++)
      await client.query("insert into accounts values ($1, '1000000000000'), ($2, '0')", [
        `from-${i}`,
        `to-${i}`,
      ])
  })
  const clients = Array.from({ length: connections }, () => {
    const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: CONNECT_TIMEOUT_MS })
    client.on('error', () => {})
    return client
  })
  const connected = await Promise.allSettled(clients.map((client) => client.connect()))
  const refused = connected.find((result) => result.status === 'rejected')
  if (refused !== undefined) {
    await Promise.all(clients.map((client) => client.end().catch(() => {})))
    throw refused.reason
  }
  let committed = 0
  let errors = 0
  let firstError: string | undefined
  let entry = 0
  const deadline = performance.now() + seconds * 1000
  async function transfers(client: pg.Client, i: number) {
    const from = `from-${i}`
    const to = `to-${i}`
    while (performance.now() < deadline) {
      const n = entry++
      try {
        await client.query('begin')
        await client.query({
          name: 'debit',
          text: 'update accounts set balance = balance - 1 where id = $1',
          values: [from],
        })
        await client.query({
          name: 'credit',
          text: 'update accounts set balance = balance + 1 where id = $1',
          values: [to],
        })
        await client.query({
          name: 'post',
          text: "insert into postings (entry, account_id, amount) values ($1, $2, '-1'), ($1, $3, '1')",
          values: [n, from, to],
        })
        await client.query('commit')
        committed++
      } catch (error) {
        errors++
        firstError ??= error instanceof Error ? error.message : String(error)
        await client.query('rollback').catch(() => {})
      }
    }
  }
  const started = performance.now()
  try {
    await Promise.all(clients.map((client, i) => transfers(client, i)))
  } finally {
    await Promise.all(clients.map((client) => client.end().catch(() => {})))
  }
  return { perSecond: committed / ((performance.now() - started) / 1000), errors, firstError }
}
