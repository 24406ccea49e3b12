/**
 * Helpers for the risk engine's HTTP and scenario tests (test/risk/engine-*):
 * a fresh database per test (the engine remembers states, overrides and
 * pool levels, so tests sharing one would depend on their order), oracle
 * prices kept fresh or aged on purpose, waiting for the evaluations that
 * prices and executions ask for, and reads of the transitions and events the
 * engine stores.
 */
import assert from 'node:assert/strict'
import type { TestContext } from 'node:test'
import type { LightMyRequestResponse } from 'fastify'
import type { ChainAdapter } from '../../src/chain/adapter.ts'
import type { Environment } from '../../src/config/environment.ts'
import type { RiskConfig } from '../../src/config/risk.ts'
import { r } from '../../src/money/ratio.ts'
import type { OraclePair } from '../../src/oracle/pairs.ts'
import { type Dialect, openStore } from '../../src/store/store.ts'
import { createTestApp, OPS_TOKEN, setPrice, type TestApp, type TestPartner } from '../support/app.ts'
import { createTestDatabase } from '../support/databases.ts'
import { ADDRESS, execute, get, quoteOk } from '../trading/support.ts'

export const T = { timeout: 30_000 }

/** The market setMarket (test/support/app.ts) sets: every oracle pair at a realistic mid. */
export const MARKET: Readonly<Record<string, string>> = {
  'USD-IDR': '16250',
  'USD-SGD': '1.3',
  'USD-MYR': '4.2',
  'MYR-IDR': '3869.04761905',
}

/** An app on a database of its own, closed and dropped when the test ends. */
export async function openApp(
  t: TestContext,
  dialect: Dialect,
  options: { chain?: ChainAdapter; riskConfig?: RiskConfig; rebalancer?: boolean } = {},
): Promise<TestApp> {
  const database = await createTestDatabase(dialect)
  const store = await openStore(database.url)
  const app = await createTestApp(store, options)
  t.after(async () => {
    await app.close()
    await store.close()
    await database.drop()
  })
  return app
}

/** All three sources of every pair at the market mids, stamped now: fresh, no tie-break, no move. */
export async function freshPrices(app: TestApp): Promise<void> {
  for (const [pair, price] of Object.entries(MARKET)) await setPrice(app, pair, price)
}

/**
 * Moves the manual clock (live and sandbox both follow it) forward in steps
 * of `stepMs` (10 s by default), and after each step gives every source of every pair a
 * fresh price at the market mid, as a running feed would, then lets the
 * degradation check those prices ask for run. The prices go to the oracle
 * service in one batch, before the evaluation they ask for runs,
 * so no evaluation sees a price the jump aged, whatever the step (tests run
 * no 1-second tick). A larger `stepMs` skips the checks in between.
 */
export async function advanceWithFreshPrices(app: TestApp, ms: number, stepMs = 10_000): Promise<void> {
  const { oracle, clocks } = app.stablefx.services
  for (let left = ms; left > 0; ) {
    const step = Math.min(left, stepMs)
    app.clock.advance(step)
    left -= step
    const submissions = (['sandbox', 'live'] as const).flatMap((environment) =>
      Object.entries(MARKET).flatMap(([pair, price]) =>
        (['primary_a', 'primary_b', 'reference'] as const).map((source) => ({
          environment,
          source,
          pair: pair as OraclePair,
          price: r(price),
          atMs: clocks[environment].now(),
        })),
      ),
    )
    const accepted = await oracle.submitMany(submissions)
    assert.ok(accepted.ok)
    await settleRisk(app, 'sandbox')
    await settleRisk(app, 'live')
  }
}

/** One source's price, stamped `ageMs` before now on the sandbox clock (the oracle keeps a back-dated price). */
export async function sourcePrice(
  app: TestApp,
  source: 'primary_a' | 'primary_b' | 'reference',
  pair: string,
  price: string,
  ageMs = 0,
): Promise<void> {
  const body: Record<string, unknown> = { source, pair, price, environment: 'sandbox' }
  if (ageMs > 0) body.timestamp = new Date(app.clock.now() - ageMs).toISOString()
  const response = await app.admin('POST', '/admin/v1/oracle/prices', body)
  assert.equal(response.statusCode, 200, response.body)
}

/**
 * Waits until the evaluations that prices and executions asked for (`poke`,
 * run on the next turn of the event loop) have finished: a callback queued
 * now runs after theirs, and an evaluation queued after theirs ends after
 * them. The extra evaluation is a degradation check, the kind every price
 * runs, so it never improves a state.
 */
export async function settleRisk(app: TestApp, environment: Environment = 'sandbox'): Promise<void> {
  await new Promise((resolve) => setImmediate(resolve))
  await app.stablefx.services.risk.evaluateNow(environment, 'degrade', 'timer')
}

export function ops(
  app: TestApp,
  method: 'GET' | 'POST',
  url: string,
  body?: Record<string, unknown>,
  token = OPS_TOKEN,
): Promise<LightMyRequestResponse> {
  return app.inject({
    method,
    url,
    headers: { authorization: `Bearer ${token}` },
    ...(body === undefined ? {} : { payload: body }),
  })
}

/** POST /v1/reserve/state-override, checked for 200; returns the body. */
export async function override(
  app: TestApp,
  body: { corridor: string; state: string; reason: string; expires_at: string; environment?: string },
) {
  const response = await ops(app, 'POST', '/v1/reserve/state-override', body)
  assert.equal(response.statusCode, 200, response.body)
  return response.json()
}

export const iso = (ms: number) => new Date(ms).toISOString()

export async function systemState(app: TestApp, partner: TestPartner, environment: Environment = 'sandbox') {
  const response = await get(app, partner, '/v1/system/state', { environment })
  assert.equal(response.statusCode, 200, response.body)
  return response.json()
}

export async function corridorState(
  app: TestApp,
  partner: TestPartner,
  corridor: string,
  environment: Environment = 'sandbox',
) {
  return (await systemState(app, partner, environment)).corridors[corridor]
}

/** A firm quote executed in full to ADDRESS; both must succeed. Returns the quote and the execution. */
export async function trade(app: TestApp, partner: TestPartner, body: Record<string, unknown>) {
  const quote = await quoteOk(app, partner, body)
  const response = await execute(app, partner, { quote_id: quote.quote_id, destination_address: ADDRESS })
  assert.equal(response.statusCode, 200, response.body)
  const execution = response.json()
  assert.equal(execution.status, 'SETTLED', response.body)
  return { quote, execution }
}

export type Transition = {
  id: string
  corridor: string
  previous_state: string
  state: string
  reasons: string[]
  trigger: string
  at: number
}

/** The stored transitions of one environment (optionally one corridor), oldest first, after `afterId`. */
export async function transitions(
  app: TestApp,
  environment: Environment,
  corridor?: string,
  afterId = 0n,
): Promise<Transition[]> {
  const rows = await app.store.kysely
    .selectFrom('risk_transitions')
    .selectAll()
    .where('environment', '=', environment)
    .where('id', '>', afterId)
    .$if(corridor !== undefined, (q) => q.where('corridor', '=', corridor as string))
    .orderBy('id')
    .execute()
  return rows.map((row) => ({
    id: row.id.toString(),
    corridor: row.corridor,
    previous_state: row.previous_state,
    state: row.state,
    reasons: JSON.parse(row.reasons) as string[],
    trigger: row.trigger,
    at: Number(row.at),
  }))
}

/** The id of the newest stored transition of any environment (0 when none). */
export async function lastTransitionId(app: TestApp): Promise<bigint> {
  const row = await app.store.kysely
    .selectFrom('risk_transitions')
    .select('id')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst()
  return row === undefined ? 0n : BigInt(row.id)
}

/** `system.state_change` events of one environment and corridor, oldest first, after event row `afterId`. */
export async function stateEvents(app: TestApp, environment: Environment, corridor: string, afterId = 0n) {
  const rows = await app.store.kysely
    .selectFrom('events')
    .selectAll()
    .where('environment', '=', environment)
    .where('type', '=', 'system.state_change')
    .where('id', '>', afterId)
    .orderBy('id')
    .execute()
  return rows
    .map((row) => ({ partner_id: row.partner_id, at: Number(row.created_at), data: JSON.parse(row.data) }))
    .filter((event) => event.data.corridor === corridor)
}

export async function lastEventId(app: TestApp): Promise<bigint> {
  const row = await app.store.kysely
    .selectFrom('events')
    .select('id')
    .orderBy('id', 'desc')
    .limit(1)
    .executeTakeFirst()
  return row === undefined ? 0n : BigInt(row.id)
}

/** A decimal string as an exact fraction, to compare spreads without floating point. */
export function fraction(text: string): { num: bigint; den: bigint } {
  assert.match(text, /^-?\d+(\.\d+)?$/)
  const [whole, frac = ''] = text.split('.')
  return { num: BigInt(`${whole}${frac}`), den: 10n ** BigInt(frac.length) }
}

/** −1, 0 or 1 as decimal string a is below, equal to or above b. */
export function compareDecimals(a: string, b: string): number {
  const x = fraction(a)
  const y = fraction(b)
  const left = x.num * y.den
  const right = y.num * x.den
  return left < right ? -1 : left > right ? 1 : 0
}

/** A pool's balance in smallest units, read from the ledger. */
export async function poolMinor(app: TestApp, asset: string, tier = 'ACTIVE', environment = 'sandbox') {
  const row = await app.store.kysely
    .selectFrom('ledger_accounts')
    .select('balance')
    .where('id', '=', `${environment}:${asset}:protocol:pool.${tier}`)
    .executeTakeFirstOrThrow()
  return BigInt(row.balance)
}

/**
 * SELL USDT→IDRX executions that drain the sandbox IDRX Active pool (target
 * $500,000) from its target to about 73 % of it. Each is within the max
 * internal size of the state it meets: $30,000 in NORMAL (max $50,000), then
 * 5 % of the shrinking pool in PROTECT. The pools receive exactly $135,000 of
 * USDT, so the USDT Active pool ends at $1,135,000.
 */
export const DRAIN_SELLS_USD = ['30000', '23000', '22000', '21000', '20000', '19000'] as const

export type SseEvent = {
  readonly id: string | undefined
  readonly event: string
  readonly data: string
  /** performance.now() when the chunk holding the event arrived. */
  readonly receivedAt: number
}

export type SseStream = {
  /** The next event (comments such as heartbeats are skipped); fails after `waitMs` so a test never hangs. */
  next(waitMs?: number): Promise<SseEvent>
  close(): Promise<void>
}

function parseFrame(frame: string, receivedAt: number): SseEvent | undefined {
  let id: string | undefined
  let event = 'message'
  const data: string[] = []
  for (const line of frame.split('\n')) {
    if (line === '' || line.startsWith(':')) continue
    const colon = line.indexOf(':')
    const field = colon < 0 ? line : line.slice(0, colon)
    const value = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '')
    if (field === 'id') id = value
    else if (field === 'event') event = value
    else if (field === 'data') data.push(value)
  }
  return data.length === 0 && id === undefined ? undefined : { id, event, data: data.join('\n'), receivedAt }
}

/**
 * Opens GET /v1/system/state/stream on a listening app with fetch and reads
 * it as it arrives: a pump parses frames into a queue, stamping each with
 * its arrival time.
 */
export async function openStream(
  baseUrl: string,
  headers: Record<string, string>,
  lastEventId?: string,
): Promise<SseStream> {
  const controller = new AbortController()
  const response = await fetch(`${baseUrl}/v1/system/state/stream`, {
    headers: { ...headers, ...(lastEventId === undefined ? {} : { 'last-event-id': lastEventId }) },
    signal: controller.signal,
  })
  assert.equal(response.status, 200)
  assert.equal(response.headers.get('content-type'), 'text/event-stream; charset=utf-8')
  assert.ok(response.body)
  const reader = response.body.getReader()
  const decoder = new TextDecoder()
  const queue: SseEvent[] = []
  let wake: (() => void) | undefined
  let ended = false
  const pump = (async () => {
    let buffer = ''
    try {
      for (;;) {
        const { value, done } = await reader.read()
        if (done) break
        const receivedAt = performance.now()
        buffer += decoder.decode(value, { stream: true })
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const event = parseFrame(buffer.slice(0, end), receivedAt)
          buffer = buffer.slice(end + 2)
          if (event !== undefined) queue.push(event)
        }
        wake?.()
      }
    } catch {
      // Aborted by close().
    } finally {
      ended = true
      wake?.()
    }
  })()
  return {
    async next(waitMs = 5_000) {
      const deadline = performance.now() + waitMs
      while (queue.length === 0) {
        if (ended) throw new Error('the stream ended')
        const left = deadline - performance.now()
        if (left <= 0) throw new Error(`no event within ${waitMs} ms`)
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left)
          wake = () => {
            clearTimeout(timer)
            resolve()
          }
        })
        wake = undefined
      }
      return queue.shift() as SseEvent
    },
    async close() {
      controller.abort()
      await pump
    },
  }
}

/** Starts the app's HTTP server on a free port of 127.0.0.1 and returns its base URL. */
export async function listen(app: TestApp): Promise<string> {
  await app.stablefx.app.listen({ port: 0, host: '127.0.0.1' })
  const address = app.stablefx.app.server.address()
  assert.ok(address !== null && typeof address === 'object')
  return `http://127.0.0.1:${address.port}`
}
