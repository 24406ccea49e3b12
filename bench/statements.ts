/**
 * npm run bench:statements — where a firm quote + execute spends its database
 * work (issue 16 "find where the time goes first"): the statements and the
 * transactions one pair sends, on SQLite and on PostgreSQL, counted by
 * wrapping the drivers (better-sqlite3 statements, pg client queries; a
 * PostgreSQL query is one round trip). Warm-up pairs first, so caches and
 * first-use statements do not count. An unreachable PostgreSQL skips that
 * part with one line.
 */

import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import pg from 'pg'
import { createStablefx } from '../src/app.ts'
import { createManualClock } from '../src/clock/clock.ts'
import { openStore } from '../src/store/store.ts'
import { openPostgresAdmin, redactUrl } from './postgres.ts'

const ADMIN = 'adm_bench_token_0123456789abcdefghijklmnopqrstuv'
const OPS = 'ops_bench_token_0123456789abcdefghijklmnopqrstuv'
const POSTGRES_ADMIN_URL = process.env.BENCH_POSTGRES_URL ?? 'postgres://postgres@127.0.0.1:5432/postgres'
const PAIRS = 20

type Counts = {
  statements: number
  begins: number
  byVerb: Record<string, number>
  byText?: Record<string, number>
}
const counting: { on: boolean; counts: Counts } = {
  on: false,
  counts: { statements: 0, begins: 0, byVerb: {} },
}

function note(text: string): void {
  if (!counting.on) return
  const verb = text.trim().split(/\s+/)[0]?.toLowerCase() ?? '?'
  counting.counts.statements++
  if (verb === 'begin') counting.counts.begins++
  counting.counts.byVerb[verb] = (counting.counts.byVerb[verb] ?? 0) + 1
  // BENCH_STATEMENTS_DETAIL=1: also which statements, by their first words.
  if (process.env.BENCH_STATEMENTS_DETAIL === '1') {
    const key = text.replace(/\s+/g, ' ').slice(0, 90)
    counting.counts.byText ??= {}
    counting.counts.byText[key] = (counting.counts.byText[key] ?? 0) + 1
  }
}

// The drivers, wrapped once: every statement either database runs passes here.
const statementProto = Object.getPrototypeOf(new Database(':memory:').prepare('select 1'))
for (const method of ['run', 'get', 'all', 'iterate'] as const) {
  const original = statementProto[method]
  statementProto[method] = function (this: { source: string }, ...args: unknown[]) {
    note(this.source)
    return original.apply(this, args)
  }
}
const originalExec = Database.prototype.exec
Database.prototype.exec = function (this: Database.Database, source: string) {
  note(source)
  return originalExec.call(this, source)
}
const originalQuery = pg.Client.prototype.query as (...args: unknown[]) => unknown
pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
  const first = args[0]
  note(typeof first === 'string' ? first : ((first as { text?: string })?.text ?? '?'))
  return originalQuery.apply(this, args)
} as typeof pg.Client.prototype.query

async function measure(databaseUrl: string): Promise<Counts> {
  const store = await openStore(databaseUrl)
  const clock = createManualClock(Date.UTC(2026, 10, 23))
  const app = await createStablefx({
    store,
    adminToken: ADMIN,
    opsToken: OPS,
    liveClock: clock,
    logLevel: 'silent',
    rateLimit: false,
    processMetrics: false,
    oracleMode: 'manual',
    rebalancer: false,
  })
  const inject = (
    method: 'GET' | 'POST',
    url: string,
    payload?: object,
    headers: Record<string, string> = {},
  ) =>
    app.app.inject({
      method,
      url,
      headers: { authorization: `Bearer ${ADMIN}`, ...headers },
      ...(payload ? { payload } : {}),
    })
  try {
    for (const [pair, price] of [
      ['USD-IDR', '16250'],
      ['USD-SGD', '1.3'],
      ['USD-MYR', '4.2'],
      ['MYR-IDR', '3869.04761905'],
    ] as const)
      for (const source of ['primary_a', 'primary_b', 'reference'])
        await inject('POST', '/admin/v1/oracle/prices', { source, pair, price })
    const created = (
      await inject('POST', '/admin/v1/partners', {
        name: 'Bench',
        type: 'ON_OFF_RAMP',
        corridors: ['USD-IDR'],
      })
    ).json()
    const partner = { authorization: `Bearer ${created.sandbox_api_key}`, 'x-partner-id': created.partner_id }
    await inject('POST', '/v1/sandbox/faucet', { asset: 'USDT', amount: '100000' }, partner)
    const pair = async (i: number) => {
      const quote = (
        await inject('POST', '/v1/quote', { pair: 'USD-IDR', side: 'SELL', amount: '10' }, partner)
      ).json()
      const done = await inject(
        'POST',
        '/v1/execute',
        { quote_id: quote.quote_id, destination_address: `0x${'ab'.repeat(20)}` },
        { ...partner, 'idempotency-key': `bench-statements-${i}-${quote.quote_id}` },
      )
      if (done.json().status !== 'SETTLED') throw new Error(`execution not settled: ${done.body}`)
    }
    for (let i = 0; i < 5; i++) await pair(i)
    counting.counts = { statements: 0, begins: 0, byVerb: {} }
    counting.on = true
    for (let i = 5; i < 5 + PAIRS; i++) await pair(i)
    counting.on = false
    const c = counting.counts
    return {
      statements: c.statements / PAIRS,
      begins: c.begins / PAIRS,
      byVerb: Object.fromEntries(Object.entries(c.byVerb).map(([verb, n]) => [verb, n / PAIRS])),
      ...(c.byText === undefined ? {} : { byText: c.byText }),
    }
  } finally {
    await app.close()
    await store.close()
  }
}

function show(name: string, c: Counts): void {
  const verbs = Object.entries(c.byVerb)
    .sort((a, b) => b[1] - a[1])
    .map(([verb, n]) => `${verb} ${n}`)
    .join(', ')
  console.log(
    `${name}: ${c.statements} statements and ${c.begins} transactions per quote + execute (${verbs})`,
  )
  for (const [text, n] of Object.entries(c.byText ?? {}).sort((a, b) => b[1] - a[1]))
    console.log(`  ${n / PAIRS}× ${text}`)
}

const dir = mkdtempSync(join(tmpdir(), 'stablefx-statements-'))
try {
  show('SQLite', await measure(`file:${join(dir, 'bench.db')}`))
  const reachable = await openPostgresAdmin(POSTGRES_ADMIN_URL)
  if (!reachable.ok)
    console.log(`PostgreSQL: skipped (${redactUrl(POSTGRES_ADMIN_URL)}: ${reachable.reason})`)
  else {
    try {
      show(
        'PostgreSQL (each statement one round trip)',
        await measure(await reachable.admin.createDatabase()),
      )
    } finally {
      await reachable.admin.dropAll()
    }
  }
} finally {
  rmSync(dir, { recursive: true, force: true })
}
