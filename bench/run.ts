/**
 * npm run bench: the FX engine's speed, each figure a ratio to a baseline
 * measured in the same run on the same machine (the machines are noisy).
 *
 * 1. Indicative quotes/s against bare node:http answering a similar body.
 * 2. Firm quote + execute pairs/s and p50/p99 at 1 and 32 clients, against
 *    the raw ceiling: the same SQLite settings doing one minimal durable
 *    transfer (two balance updates and a posting) per commit.
 * 3. Execute p99 with the journal at 10K and at 1M entries.
 */
import { mkdtempSync, rmSync } from 'node:fs'
import { cpus, tmpdir } from 'node:os'
import { join } from 'node:path'
import autocannon from 'autocannon'
import Database from 'better-sqlite3'
import { openStore } from '../src/store/store.ts'
import { call, fmt, percentile, type Server, startServer, stopServer } from './lib.ts'

const ADMIN = 'adm_bench_token_0123456789abcdefghijklmnopqrstuv'
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10)
const dir = mkdtempSync(join(tmpdir(), 'stablefx-bench-'))

function stablefx(file: string): Promise<Server> {
  return startServer(['bin/stablefx.js', 'serve'], {
    PORT: '0',
    DATABASE_URL: `file:${join(dir, file)}`,
    STABLEFX_ADMIN_TOKEN: ADMIN,
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

async function loadTest(url: string, headers: Record<string, string>, randomAmounts = false) {
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
  const result = await autocannon({
    url,
    headers,
    connections: 32,
    duration: SECONDS,
    pipelining: 1,
    ...(requests === undefined ? {} : { requests }),
  })
  return {
    rps: result.requests.average,
    p50: result.latency.p50,
    p99: result.latency.p99,
    non2xx: result.non2xx,
    errors: result.errors,
  }
}

async function indicative() {
  const bare = await startServer(['bench/bare-server.ts'], {})
  const baseline = await loadTest(`${bare.url}/`, {})
  await stopServer(bare)
  const server = await stablefx('indicative.db')
  const partner = await provision(server)
  const quotes = await loadTest(`${server.url}/v1/quote?pair=USD-IDR&side=SELL&amount=1000`, partner.headers)
  const varied = await loadTest(
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
  failures: number
}

/** `clients` loops, each taking a firm quote and executing it, alternating sides so the pools stay balanced. */
async function pairs(server: Server, partner: Partner, clients: number, count?: number): Promise<PairStats> {
  const pairMs: number[] = []
  const executeMs: number[] = []
  let failures = 0
  const deadline = performance.now() + SECONDS * 1000
  let issued = 0
  const more = () => (count === undefined ? performance.now() < deadline : issued < count)
  async function client(id: number) {
    let side = id % 2 === 0 ? 'SELL' : 'BUY'
    while (more()) {
      issued++
      const started = performance.now()
      const body =
        side === 'SELL'
          ? { pair: 'USD-IDR', side, amount: '100' }
          : { pair: 'USD-IDR', side, amount: '1625000' }
      const quote = await call('POST', `${server.url}/v1/quote`, partner.headers, body)
      if (quote.status !== 200) {
        failures++
        continue
      }
      const executeStarted = performance.now()
      const quoteId = (JSON.parse(quote.body) as { quote_id: string }).quote_id
      const executed = await call('POST', `${server.url}/v1/execute`, partner.headers, {
        quote_id: quoteId,
        destination_address: '0x52908400098527886e0f7030069857d2e4169ee7',
      })
      const ended = performance.now()
      if (executed.status !== 200) failures++
      else {
        pairMs.push(ended - started)
        executeMs.push(ended - executeStarted)
      }
      side = side === 'SELL' ? 'BUY' : 'SELL'
    }
  }
  const started = performance.now()
  await Promise.all(Array.from({ length: clients }, (_, i) => client(i)))
  const seconds = (performance.now() - started) / 1000
  pairMs.sort((a, b) => a - b)
  executeMs.sort((a, b) => a - b)
  return {
    pairsPerSecond: pairMs.length / seconds,
    pairP50: percentile(pairMs, 50),
    pairP99: percentile(pairMs, 99),
    executeP50: percentile(executeMs, 50),
    executeP99: percentile(executeMs, 99),
    failures,
  }
}

/** Fills a fresh database's journal with `entries` two-posting entries between two world accounts. */
async function prefill(file: string, entries: number) {
  const url = `file:${join(dir, file)}`
  const store = await openStore(url)
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

async function journalScaling() {
  const results: Record<string, PairStats> = {}
  for (const [label, entries] of [
    ['10K', 10_000],
    ['1M', 1_000_000],
  ] as const) {
    const file = `journal-${label}.db`
    await prefill(file, entries)
    const server = await stablefx(file)
    const partner = await provision(server)
    await pairs(server, partner, 1, 200) // warm up
    results[label] = await pairs(server, partner, 1, 2000)
    await stopServer(server)
  }
  return results
}

async function main() {
  const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, Node ${process.version}`
  console.log(
    `stablefx bench — ${new Date().toISOString().slice(0, 10)} — ${machine} — ${SECONDS} s per load test\n`,
  )

  const { baseline, quotes, varied } = await indicative()
  console.log('indicative quotes (32 connections)')
  console.log(
    `  bare node:http               ${fmt(baseline.rps, 0)} req/s   p50 ${baseline.p50} ms  p99 ${baseline.p99} ms`,
  )
  console.log(
    `  GET /v1/quote, one amount    ${fmt(quotes.rps, 0)} req/s   p50 ${quotes.p50} ms  p99 ${quotes.p99} ms  (non-2xx ${quotes.non2xx}, errors ${quotes.errors})`,
  )
  console.log(
    `  GET /v1/quote, random amounts ${fmt(varied.rps, 0)} req/s   p50 ${varied.p50} ms  p99 ${varied.p99} ms  (non-2xx ${varied.non2xx}, errors ${varied.errors})`,
  )
  console.log(
    `  ratio to bare: one amount ${fmt(quotes.rps / baseline.rps, 2)}, random amounts ${fmt(varied.rps / baseline.rps, 2)}  (target ≥ 0.8)\n`,
  )

  const ceiling = rawCeiling()
  console.log(
    `raw durable transfer ceiling (one transfer per commit, WAL, synchronous=FULL): ${fmt(ceiling, 0)} tx/s\n`,
  )

  const server = await stablefx('pairs.db')
  const partner = await provision(server)
  await pairs(server, partner, 4, 200) // warm up
  console.log('firm quote + execute pairs')
  for (const clients of [1, 32]) {
    const stats = await pairs(server, partner, clients)
    console.log(
      `  ${String(clients).padStart(2)} client(s)  ${fmt(stats.pairsPerSecond, 0)} pairs/s  ratio to ceiling ${fmt(stats.pairsPerSecond / ceiling, 2)}  ` +
        `pair p50 ${fmt(stats.pairP50)} ms p99 ${fmt(stats.pairP99)} ms  execute p50 ${fmt(stats.executeP50)} ms p99 ${fmt(stats.executeP99)} ms  failures ${stats.failures}`,
    )
  }
  await stopServer(server)
  console.log('  (target: durable execute throughput ≥ 1.0 of the ceiling)\n')

  const journal = await journalScaling()
  const small = journal['10K'] as PairStats
  const large = journal['1M'] as PairStats
  console.log('execute latency against journal size (1 client, 2000 pairs)')
  console.log(`  10K entries  execute p50 ${fmt(small.executeP50)} ms  p99 ${fmt(small.executeP99)} ms`)
  console.log(`  1M entries   execute p50 ${fmt(large.executeP50)} ms  p99 ${fmt(large.executeP99)} ms`)
  console.log(`  p99 ratio 1M / 10K      ${fmt(large.executeP99 / small.executeP99, 2)}  (target ≤ 1.2)`)
}

main()
  .catch((error) => {
    console.error(error)
    process.exitCode = 1
  })
  .finally(() => rmSync(dir, { recursive: true, force: true }))
