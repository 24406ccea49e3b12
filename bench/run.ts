/**
 * npm run bench: the FX engine's speed, each figure a ratio to a baseline
 * measured in the same run on the same machine (the machines are noisy).
 *
 * 1. Indicative quotes/s against bare node:http answering a similar body.
 * 2. Firm quote + execute pairs/s and p50/p99 at 1 and 32 clients, against
 *    the raw ceiling: the same SQLite settings doing one minimal durable
 *    transfer (two balance updates and a posting) per commit.
 * 3. Execute p99 with the journal at 10K and at 1M entries.
 * 4. On PostgreSQL: firm quote + execute pairs/s at 32 clients against one
 *    node and against two nodes sharing one database (clients split evenly),
 *    the 2-node / 1-node ratio, and both against the PostgreSQL raw ceiling:
 *    minimal durable transfers on 32 concurrent connections. Each measure gets
 *    a fresh database with a random name, dropped at the end (also on failure);
 *    an unreachable server skips this part with one line.
 *
 * Environment:
 *   BENCH_SECONDS       seconds per load test (default 10)
 *   BENCH_ONLY          run only some parts, comma-separated: indicative, pairs,
 *                       journal, postgres; `sqlite` means the first three
 *                       (default: all)
 *   BENCH_POSTGRES_URL  administration connection that creates and drops the
 *                       databases (default postgres://postgres@127.0.0.1:5432/postgres)
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import autocannon from 'autocannon'
import Database from 'better-sqlite3'
import { sql } from 'kysely'
import { openStore } from '../src/store/store.ts'
import {
  call,
  fmt,
  machineBusySeconds,
  percentile,
  processCpuSeconds,
  type Server,
  startServer,
  stopServer,
  waitReady,
} from './lib.ts'
import { openPostgresAdmin, postgresRawCeiling, redactUrl } from './postgres.ts'

const ADMIN = 'adm_bench_token_0123456789abcdefghijklmnopqrstuv'
const OPS = 'ops_bench_token_0123456789abcdefghijklmnopqrstuv'
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10)
/** The raw ceilings run this long whatever BENCH_SECONDS says: they are steady after a second. */
const CEILING_SECONDS = 3
const POSTGRES_ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
const PARTS = ['indicative', 'pairs', 'journal', 'postgres'] as const
/** Partners the PostgreSQL clients act for (one partner's requests are serialised by its limit lock). */
const POSTGRES_PARTNERS = 8
type Part = (typeof PARTS)[number]
const dir = mkdtempSync(join(tmpdir(), 'stablefx-bench-'))

/** The parts BENCH_ONLY selects; `sqlite` stands for every SQLite part. */
function selectedParts(raw: string | undefined): ReadonlySet<Part> {
  if (raw === undefined || raw.trim() === '') return new Set(PARTS)
  const parts = new Set<Part>()
  for (const word of raw.split(',').map((item) => item.trim())) {
    if (word === 'sqlite') for (const part of ['indicative', 'pairs', 'journal'] as const) parts.add(part)
    else if ((PARTS as readonly string[]).includes(word)) parts.add(word as Part)
    else throw new Error(`BENCH_ONLY: unknown part "${word}" (known: ${PARTS.join(', ')}, sqlite)`)
  }
  return parts
}

const sqliteUrl = (file: string) => `file:${join(dir, file)}`

function stablefx(databaseUrl: string): Promise<Server> {
  return startServer(['bin/stablefx.js', 'serve'], {
    PORT: '0',
    DATABASE_URL: databaseUrl,
    STABLEFX_ADMIN_TOKEN: ADMIN,
    STABLEFX_OPS_TOKEN: OPS,
    STABLEFX_RATE_LIMIT: 'off',
    STABLEFX_ORACLE: 'sim',
    STABLEFX_DATA_DIR: dir,
    LOG_LEVEL: 'warn',
  })
}

type Partner = { headers: Record<string, string> }

async function provision(server: Server): Promise<Partner> {
  const admin = { authorization: `Bearer ${ADMIN}` }
  const created = await call('POST', `${server.url}/admin/v1/partners`, admin, {
    name: 'Bench',
    type: 'DISTRIBUTION',
    corridors: ['USD-IDR', 'USD-SGD', 'MYR-IDR'],
    limits: { daily_per_corridor_usd: '1000000000', monthly_usd: '10000000000' },
  })
  const body = JSON.parse(created.body) as { partner_id: string; sandbox_api_key: string }
  const headers = { authorization: `Bearer ${body.sandbox_api_key}`, 'x-partner-id': body.partner_id }
  for (let i = 0; i < 5; i++) {
    await call('POST', `${server.url}/v1/sandbox/faucet`, headers, { asset: 'USDT', amount: '1000000' })
    await call('POST', `${server.url}/v1/sandbox/faucet`, headers, { asset: 'IDRX', amount: '16000000000' })
  }
  // Let the simulated oracle publish a few ticks so every pair is fresh.
  await new Promise((resolve) => setTimeout(resolve, 1500))
  return { headers }
}

async function loadTest(server: Server, url: string, headers: Record<string, string>, randomAmounts = false) {
  // With random amounts every request misses the indicative memo and runs the whole pricing pipeline.
  const { pathname, search } = new URL(url)
  const requests = randomAmounts
    ? [
        {
          setupRequest: (req: autocannon.Request) => ({
            ...req,
            path: `${pathname}${search.replace(/amount=[0-9.]+/, `amount=${(1_000_000 + Math.floor(Math.random() * 9_000_000)) / 1000}`)}`,
          }),
        },
      ]
    : undefined
  const cpuBefore = processCpuSeconds(server.child.pid ?? -1)
  const result = await autocannon({
    url,
    headers,
    connections: 32,
    duration: SECONDS,
    pipelining: 1,
    ...(requests === undefined ? {} : { requests }),
  })
  const cpuAfter = processCpuSeconds(server.child.pid ?? -1)
  return {
    /** The server's CPU per answered request, µs (Linux). */
    cpuMicros:
      cpuBefore === undefined || cpuAfter === undefined || result.requests.total === 0
        ? undefined
        : ((cpuAfter - cpuBefore) * 1e6) / result.requests.total,
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  }
}

async function indicative() {
  const bare = await startServer(['bench/bare-server.ts'], {})
  const baseline = await loadTest(bare, `${bare.url}/`, {})
  await stopServer(bare)
  const server = await stablefx(sqliteUrl('indicative.db'))
  const partner = await provision(server)
  const quotes = await loadTest(
    server,
    `${server.url}/v1/quote?pair=USD-IDR&side=SELL&amount=1000`,
    partner.headers,
  )
  const varied = await loadTest(
    server,
    `${server.url}/v1/quote?pair=USD-IDR&side=SELL&amount=1000`,
    partner.headers,
    true,
  )
  await stopServer(server)
  return { baseline, quotes, varied }
}

/** One minimal durable transfer per commit, on the settings the server uses (WAL, synchronous=FULL). */
function rawCeiling(): number {
  const db = new Database(join(dir, 'raw.db'))
  db.pragma('journal_mode = WAL')
  db.pragma('synchronous = FULL')
  db.exec(`create table accounts (id integer primary key, balance text not null);
           create table postings (id integer primary key, entry integer, account integer, amount text);
           insert into accounts values (1, '1000000000000'), (2, '0');`)
  const read = db.prepare('select balance from accounts where id = ?')
  const write = db.prepare('update accounts set balance = ? where id = ?')
  const post = db.prepare('insert into postings (entry, account, amount) values (?, ?, ?)')
  const transfer = db.transaction((n: number) => {
    const from = BigInt((read.get(1) as { balance: string }).balance) - 1n
    const to = BigInt((read.get(2) as { balance: string }).balance) + 1n
    write.run(String(from), 1)
    write.run(String(to), 2)
    post.run(n, 1, '-1')
    post.run(n, 2, '1')
  })
  const started = performance.now()
  let n = 0
  while (performance.now() - started < 3000) transfer.immediate(n++)
  const perSecond = n / ((performance.now() - started) / 1000)
  db.close()
  return perSecond
}

type PairStats = {
  pairsPerSecond: number
  pairP50: number
  pairP99: number
  executeP50: number
  executeP99: number
  /** Answers outside 2xx, by status. */
  non2xx: Map<number, number>
  /** Requests that got no answer (connection refused or cut). */
  errors: number
  /** The first non-2xx answer or error, for the report. */
  firstProblem: string | undefined
  /** CPU milliseconds per pair: the server nodes, this load generator, and the rest of the machine (the database, the OS). */
  cpu: { nodes: number; generator: number; rest: number } | undefined
}

/**
 * `clients` loops, each taking a firm quote and executing it, alternating
 * sides so the pools stay balanced. Client i talks to urls[i % urls.length]
 * as partners[i % partners.length], so several nodes share the clients evenly.
 */
async function pairs(
  urls: readonly string[],
  partners: readonly Partner[],
  clients: number,
  count?: number,
  servers: readonly Server[] = [],
): Promise<PairStats> {
  const pairMs: number[] = []
  const executeMs: number[] = []
  const non2xx = new Map<number, number>()
  let errors = 0
  let firstProblem: string | undefined
  const ok = (reply: { status: number; body: string }, what: string) => {
    if (reply.status >= 200 && reply.status < 300) return true
    non2xx.set(reply.status, (non2xx.get(reply.status) ?? 0) + 1)
    firstProblem ??= `${what} ${reply.status} ${reply.body.slice(0, 200)}`
    return false
  }
  const deadline = performance.now() + SECONDS * 1000
  let issued = 0
  const more = () => (count === undefined ? performance.now() < deadline : issued < count)
  async function client(id: number) {
    const url = urls[id % urls.length] as string
    const partner = partners[id % partners.length] as Partner
    let side = id % 2 === 0 ? 'SELL' : 'BUY'
    while (more()) {
      issued++
      const started = performance.now()
      const body =
        side === 'SELL'
          ? { pair: 'USD-IDR', side, amount: '100' }
          : { pair: 'USD-IDR', side, amount: '1625000' }
      try {
        const quote = await call('POST', `${url}/v1/quote`, partner.headers, body)
        if (!ok(quote, 'quote')) continue
        const executeStarted = performance.now()
        const quoteId = (JSON.parse(quote.body) as { quote_id: string }).quote_id
        const executed = await call('POST', `${url}/v1/execute`, partner.headers, {
          quote_id: quoteId,
          destination_address: '0x52908400098527886e0f7030069857d2e4169ee7',
        })
        const ended = performance.now()
        if (ok(executed, 'execute')) {
          pairMs.push(ended - started)
          executeMs.push(ended - executeStarted)
        }
      } catch (error) {
        errors++
        firstProblem ??= `no answer from ${url}: ${error instanceof Error ? error.message : String(error)}`
      }
      side = side === 'SELL' ? 'BUY' : 'SELL'
    }
  }
  const cpuBefore = cpuNow(servers)
  const started = performance.now()
  await Promise.all(Array.from({ length: clients }, (_, i) => client(i)))
  const seconds = (performance.now() - started) / 1000
  const cpuAfter = cpuNow(servers)
  pairMs.sort((a, b) => a - b)
  executeMs.sort((a, b) => a - b)
  return {
    pairsPerSecond: pairMs.length / seconds,
    pairP50: percentile(pairMs, 50),
    pairP99: percentile(pairMs, 99),
    executeP50: percentile(executeMs, 50),
    executeP99: percentile(executeMs, 99),
    non2xx,
    errors,
    firstProblem,
    cpu: cpuPerPair(cpuBefore, cpuAfter, pairMs.length),
  }
}

type CpuSample = { nodes: number; generator: number; machine: number } | undefined

/** CPU seconds so far of the server nodes, of this process and of the whole machine (Linux; undefined elsewhere). */
function cpuNow(servers: readonly Server[]): CpuSample {
  const machine = machineBusySeconds()
  const nodes = servers.map((server) => processCpuSeconds(server.child.pid ?? -1))
  if (machine === undefined || servers.length === 0 || nodes.some((n) => n === undefined)) return undefined
  const own = process.cpuUsage()
  return {
    nodes: nodes.reduce((sum: number, n) => sum + (n as number), 0),
    generator: (own.user + own.system) / 1e6,
    machine,
  }
}

function cpuPerPair(before: CpuSample, after: CpuSample, pairCount: number): PairStats['cpu'] {
  if (before === undefined || after === undefined || pairCount === 0) return undefined
  const nodes = after.nodes - before.nodes
  const generator = after.generator - before.generator
  const rest = Math.max(0, after.machine - before.machine - nodes - generator)
  const perPair = (seconds: number) => (seconds * 1000) / pairCount
  return { nodes: perPair(nodes), generator: perPair(generator), rest: perPair(rest) }
}

/** `non-2xx 3 (409×3), errors 0`, then the first problem on a line of its own. */
function problems(stats: PairStats): string {
  const total = [...stats.non2xx.values()].reduce((sum, n) => sum + n, 0)
  const byStatus = [...stats.non2xx].map(([status, n]) => `${status}×${n}`).join(', ')
  const line = `non-2xx ${total}${total > 0 ? ` (${byStatus})` : ''}, errors ${stats.errors}`
  return stats.firstProblem === undefined ? line : `${line}\n      first: ${stats.firstProblem}`
}

function pairsRow(label: string, stats: PairStats, ceiling: number, serverCount = 1): string {
  const row =
    `  ${label}  ${fmt(stats.pairsPerSecond, 0)} pairs/s  ratio to ceiling ${fmt(stats.pairsPerSecond / ceiling, 2)}  ` +
    `pair p50 ${fmt(stats.pairP50)} ms p99 ${fmt(stats.pairP99)} ms  execute p50 ${fmt(stats.executeP50)} ms p99 ${fmt(stats.executeP99)} ms  ${problems(stats)}`
  if (stats.cpu === undefined) return row
  const { nodes, generator, rest } = stats.cpu
  // What the machine's cores allow at this CPU cost per pair, whatever the database could commit, and
  // what the servers' threads allow (a node runs its requests, and SQLite, on one thread).
  const cores = (cpus().length * 1000) / (nodes + generator + rest)
  const threads = (serverCount * 1000) / nodes
  return (
    `${row}\n      CPU per pair: server ${fmt(nodes)} ms, load generator ${fmt(generator)} ms, ` +
    `database and the rest ${fmt(rest)} ms: at this cost ${cpus().length} cores allow at most ${fmt(cores, 0)} pairs/s, ` +
    `${serverCount} server thread${serverCount === 1 ? '' : 's'} ${fmt(threads, 0)} pairs/s`
  )
}

/** Fills a fresh database's journal with `entries` two-posting entries between two world accounts. */
async function prefill(file: string, entries: number) {
  const store = await openStore(sqliteUrl(file))
  await store.close()
  const db = new Database(join(dir, file))
  const account = db.prepare(
    `insert or ignore into ledger_accounts (id, environment, asset, owner, purpose, kind, balance, created_at)
     values (?, 'sandbox', 'USDT', 'protocol', ?, 'world', '0', 0)`,
  )
  account.run('sandbox:USDT:protocol:faucet', 'faucet')
  account.run('sandbox:USDT:protocol:chain', 'chain')
  const entry = db.prepare(
    `insert into journal_entries (environment, kind, reference, reverses_entry_id, memo, created_at) values ('sandbox', 'bench', ?, null, null, 0)`,
  )
  const posting = db.prepare('insert into postings (entry_id, account_id, amount) values (?, ?, ?)')
  const batch = db.transaction((from: number, to: number) => {
    for (let i = from; i < to; i++) {
      const id = entry.run(`fill-${i}`).lastInsertRowid
      posting.run(id, 'sandbox:USDT:protocol:faucet', '-1')
      posting.run(id, 'sandbox:USDT:protocol:chain', '1')
    }
  })
  for (let from = 0; from < entries; from += 100_000) batch(from, Math.min(entries, from + 100_000))
  db.prepare("update ledger_accounts set balance = ? where id = 'sandbox:USDT:protocol:faucet'").run(
    String(-entries),
  )
  db.prepare("update ledger_accounts set balance = ? where id = 'sandbox:USDT:protocol:chain'").run(
    String(entries),
  )
  db.close()
}

/** The same journal as `prefill`, on a fresh PostgreSQL database, written by the database itself. */
async function prefillPostgres(databaseUrl: string, entries: number) {
  const store = await openStore(databaseUrl)
  try {
    await sql`insert into ledger_accounts (id, environment, asset, owner, purpose, kind, balance, created_at)
      values ('sandbox:USDT:protocol:faucet', 'sandbox', 'USDT', 'protocol', 'faucet', 'world', ${String(-entries)}::numeric, 0),
             ('sandbox:USDT:protocol:chain', 'sandbox', 'USDT', 'protocol', 'chain', 'world', ${String(entries)}::numeric, 0)
      on conflict (id) do nothing`.execute(store.kysely)
    await sql`insert into journal_entries (environment, kind, reference, reverses_entry_id, memo, created_at)
      select 'sandbox', 'bench', 'fill-' || i, null, null, 0 from generate_series(1, ${entries}::int) as i`.execute(
      store.kysely,
    )
    await sql`insert into postings (entry_id, account_id, amount)
      select e.id, a.account, a.amount from journal_entries e
      cross join (values ('sandbox:USDT:protocol:faucet', -1::numeric), ('sandbox:USDT:protocol:chain', 1::numeric)) as a(account, amount)
      where e.kind = 'bench'`.execute(store.kysely)
    await sql`analyze`.execute(store.kysely)
  } finally {
    await store.close()
  }
}

/** Execute latency (1 client, 2000 pairs after 200 of warm-up) with the journal at 10K and at 1M entries. */
async function journalScaling(database: (label: string, entries: number) => Promise<string>) {
  const results: Record<string, PairStats> = {}
  for (const [label, entries] of [
    ['10K', 10_000],
    ['1M', 1_000_000],
  ] as const) {
    const server = await stablefx(await database(label, entries))
    try {
      const partner = await provision(server)
      await pairs([server.url], [partner], 1, 200) // warm up
      results[label] = await pairs([server.url], [partner], 1, 2000)
    } finally {
      await stopServer(server)
    }
  }
  return { small: results['10K'] as PairStats, large: results['1M'] as PairStats }
}

function journalRows(journal: { small: PairStats; large: PairStats }, indent: string) {
  const { small, large } = journal
  console.log(`${indent}execute latency against journal size (1 client, 2000 pairs)`)
  console.log(
    `${indent}  10K entries  execute p50 ${fmt(small.executeP50)} ms  p99 ${fmt(small.executeP99)} ms  ${problems(small)}`,
  )
  console.log(
    `${indent}  1M entries   execute p50 ${fmt(large.executeP50)} ms  p99 ${fmt(large.executeP99)} ms  ${problems(large)}`,
  )
  console.log(
    `${indent}  p99 ratio 1M / 10K      ${fmt(large.executeP99 / small.executeP99, 2)}  (target ≤ 1.2)`,
  )
}

/** Warnings and errors a node logged after `from` (an offset into its output), for the report. */
function serverLog(server: Server, from: number): string {
  let warn = 0
  let error = 0
  let other = 0
  let first: string | undefined
  for (const line of server.output().slice(from).split('\n')) {
    if (line.trim() === '') continue
    let level: number | undefined
    try {
      level = (JSON.parse(line) as { level?: number }).level
    } catch {
      level = undefined
    }
    if (level !== undefined && level < 40) continue
    if (level === 40) warn++
    else if (level !== undefined) error++
    else other++
    first ??= line.slice(0, 300)
  }
  const exited = server.child.exitCode === null ? '' : `, EXITED ${server.child.exitCode}`
  const counts = `${warn} warn, ${error} error, ${other} other${exited}`
  return first === undefined ? counts : `${counts}; first: ${first}`
}

/** Starts `count` nodes on one database, one after another (the first migrates), and measures 32 clients across them. */
async function pairsOnNodes(databaseUrl: string, count: number) {
  const nodes: Server[] = []
  try {
    for (let i = 0; i < count; i++) {
      const node = await stablefx(databaseUrl)
      nodes.push(node)
      await waitReady(node.url)
    }
    const urls = nodes.map((node) => node.url)
    // Provisioned on the first node; the keys work on every node because they are in the database. A
    // partner's quotes and executions take turns (its limits are checked under a lock), so the clients
    // act for several partners, as a platform's traffic does.
    const partners: Partner[] = []
    for (let i = 0; i < POSTGRES_PARTNERS; i++) partners.push(await provision(nodes[0] as Server))
    await pairs(urls, partners, 4, 200) // warm up
    const offsets = nodes.map((node) => node.output().length)
    const stats = await pairs(urls, partners, 32, undefined, nodes)
    const logs = nodes.map((node, i) => `node ${i + 1}: ${serverLog(node, offsets[i] as number)}`)
    return { stats, logs }
  } finally {
    await Promise.all(nodes.map((node) => stopServer(node)))
  }
}

async function postgresPart() {
  const reachable = await openPostgresAdmin(POSTGRES_ADMIN_URL)
  if (!reachable.ok) {
    console.log(
      `PostgreSQL unreachable at ${redactUrl(POSTGRES_ADMIN_URL)} (${reachable.reason}): skipping the PostgreSQL part\n`,
    )
    return
  }
  const { admin } = reachable
  // Ctrl-C or a kill still drops the databases this run made.
  const onSignal = (signal: NodeJS.Signals) =>
    void admin.dropAll().finally(() => process.exit(signal === 'SIGINT' ? 130 : 143))
  process.once('SIGINT', onSignal)
  process.once('SIGTERM', onSignal)
  try {
    console.log(
      `PostgreSQL ${admin.version} at ${redactUrl(POSTGRES_ADMIN_URL)}, synchronous_commit=${admin.synchronousCommit}`,
    )
    const ceiling = await postgresRawCeiling(await admin.createDatabase(), 32, CEILING_SECONDS)
    console.log(
      `  raw durable transfer ceiling (32 connections, each on its own two accounts, one transfer per commit): ${fmt(ceiling.perSecond, 0)} tx/s  ` +
        `errors ${ceiling.errors}${ceiling.firstError === undefined ? '' : `\n      first: ${ceiling.firstError}`}`,
    )
    console.log(`  firm quote + execute pairs, 32 clients for ${POSTGRES_PARTNERS} partners`)
    const one = await pairsOnNodes(await admin.createDatabase(), 1)
    console.log(pairsRow('1 node ', one.stats, ceiling.perSecond))
    for (const log of one.logs) console.log(`      server log under load, ${log}`)
    const two = await pairsOnNodes(await admin.createDatabase(), 2)
    console.log(pairsRow('2 nodes', two.stats, ceiling.perSecond, 2))
    for (const log of two.logs) console.log(`      server log under load, ${log}`)
    console.log(
      `  2 nodes / 1 node  ${fmt(two.stats.pairsPerSecond / one.stats.pairsPerSecond, 2)}  (16 clients per node with 2 nodes; target ≥ 1.0)`,
    )
    console.log('  (targets: 1 node ≥ 0.3 of the ceiling, pair p99 ≤ 100 ms)')
    const journal = await journalScaling(async (_label, entries) => {
      const url = await admin.createDatabase()
      await prefillPostgres(url, entries)
      return url
    })
    journalRows(journal, '  ')
    console.log('')
  } finally {
    process.off('SIGINT', onSignal)
    process.off('SIGTERM', onSignal)
    const failed = await admin.dropAll()
    if (failed.length > 0) console.log(`could not drop database(s) ${failed.join(', ')}: drop them by hand`)
  }
}

async function indicativePart() {
  const { baseline, quotes, varied } = await indicative()
  console.log('indicative quotes (32 connections)')
  const cpu = (test: { cpuMicros: number | undefined }) =>
    test.cpuMicros === undefined ? '' : `  server CPU ${fmt(test.cpuMicros, 0)} µs/request`
  console.log(
    `  bare node:http               ${fmt(baseline.rps, 0)} req/s   p50 ${baseline.p50} ms  p99 ${baseline.p99} ms${cpu(baseline)}`,
  )
  console.log(
    `  GET /v1/quote, one amount    ${fmt(quotes.rps, 0)} req/s   p50 ${quotes.p50} ms  p99 ${quotes.p99} ms${cpu(quotes)}  (non-2xx ${quotes.non2xx}, errors ${quotes.errors})`,
  )
  console.log(
    `  GET /v1/quote, random amounts ${fmt(varied.rps, 0)} req/s   p50 ${varied.p50} ms  p99 ${varied.p99} ms${cpu(varied)}  (non-2xx ${varied.non2xx}, errors ${varied.errors})`,
  )
  console.log(
    `  ratio to bare: one amount ${fmt(quotes.rps / baseline.rps, 2)}, random amounts ${fmt(varied.rps / baseline.rps, 2)}  (target for random amounts ≥ 0.5)\n`,
  )
}

async function sqlitePairsPart() {
  const ceiling = rawCeiling()
  console.log(
    `raw durable transfer ceiling (one transfer per commit, WAL, synchronous=FULL): ${fmt(ceiling, 0)} tx/s\n`,
  )
  const server = await stablefx(sqliteUrl('pairs.db'))
  try {
    const partner = await provision(server)
    await pairs([server.url], [partner], 4, 200) // warm up
    console.log('firm quote + execute pairs')
    for (const clients of [1, 32]) {
      const stats = await pairs([server.url], [partner], clients, undefined, [server])
      console.log(pairsRow(`${String(clients).padStart(2)} client(s)`, stats, ceiling))
    }
  } finally {
    await stopServer(server)
  }
  console.log('  (targets at 32 clients: ≥ 0.15 of the ceiling, pair p99 ≤ 100 ms)\n')
}

async function journalPart() {
  const journal = await journalScaling(async (label, entries) => {
    const file = `journal-${label}.db`
    await prefill(file, entries)
    return sqliteUrl(file)
  })
  journalRows(journal, '')
  console.log('')
}

async function main() {
  const parts = selectedParts(process.env.BENCH_ONLY)
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`
  console.log(
    `stablefx bench — ${new Date().toISOString().slice(0, 10)} — ${machine} — ${SECONDS} s per load test\n`,
  )
  if (parts.has('indicative')) await indicativePart()
  if (parts.has('pairs')) await sqlitePairsPart()
  if (parts.has('journal')) await journalPart()
  if (parts.has('postgres')) await postgresPart()
}

main()
  .catch((error) => {
    console.error(error)
    process.exitCode = 1
  })
  .finally(() => rmSync(dir, { recursive: true, force: true }))
