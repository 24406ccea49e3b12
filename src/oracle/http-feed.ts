import type { Clocks } from '../clock/clock.ts'
import { ENVIRONMENTS, type Environment } from '../config/environment.ts'
import { fail, ok, type Result } from '../errors.ts'
import { readPriceAt } from './json-price.ts'
import { isOraclePair, isOracleSource, type OraclePair, type OracleSource } from './pairs.ts'
import type { OracleService } from './service.ts'

/** One real feed: where to fetch a source's price for a pair, and how often (issue 3, HTTP pull adapter). */
export type FeedConfig = {
  readonly source: OracleSource
  readonly pair: OraclePair
  readonly url: string
  /** A dot path to the price in the JSON response, `data.rate`; a numeric segment indexes an array. */
  readonly path: string
  readonly intervalMs: number
  /** Absent: the price feeds both environments. */
  readonly environment?: Environment
}

export type FeedLogger = { warn(obj: object, msg: string): void }

export type HttpFeed = {
  start(): void
  stop(): void
  /** Polls every feed once; never rejects (failures are logged). For tests and a first read at start. */
  pollAll(): Promise<void>
}

const DEFAULT_INTERVAL_MS = 5_000
const MIN_INTERVAL_MS = 250
const MAX_INTERVAL_MS = 3_600_000
const MAX_FEEDS = 64
const FEED_KEYS = new Set(['source', 'pair', 'url', 'path', 'intervalMs', 'environment'])
const PATH_PATTERN = /^[A-Za-z0-9_$-]+(\.[A-Za-z0-9_$-]+){0,15}$/
/** A price response is small; a feed sending more is misconfigured (CONVENTIONS: nothing unbounded). */
const MAX_RESPONSE_BYTES = 1024 * 1024
const DEFAULT_TIMEOUT_MS = 5_000

/**
 * Parses `STABLEFX_ORACLE_FEEDS`, a JSON array such as
 * `[{"source":"primary_a","pair":"USD-IDR","url":"https://…","path":"data.rate","intervalMs":5000}]`.
 * `intervalMs` defaults to 5 s [ours]. Each refusal names the entry and the field.
 */
export function parseFeedConfig(text: string): Result<FeedConfig[]> {
  let parsed: unknown
  try {
    parsed = JSON.parse(text)
  } catch (error) {
    return fail('VALIDATION_ERROR', `STABLEFX_ORACLE_FEEDS is not JSON: ${(error as Error).message}`)
  }
  if (!Array.isArray(parsed)) return fail('VALIDATION_ERROR', 'STABLEFX_ORACLE_FEEDS must be a JSON array')
  if (parsed.length > MAX_FEEDS) return fail('VALIDATION_ERROR', `at most ${MAX_FEEDS} oracle feeds`)
  const feeds: FeedConfig[] = []
  for (const [index, entry] of parsed.entries()) {
    const feed = parseFeedEntry(entry)
    if (!feed.ok) return fail('VALIDATION_ERROR', `oracle feed ${index}: ${feed.message}`)
    const clash = feeds.find((other) => overlaps(other, feed.value))
    if (clash !== undefined) {
      return fail(
        'VALIDATION_ERROR',
        `oracle feed ${index}: ${clash.source} ${clash.pair} is configured twice`,
      )
    }
    feeds.push(feed.value)
  }
  return ok(feeds)
}

/** Two feeds for the same source and pair in the same environment would overwrite each other's prices. */
function overlaps(a: FeedConfig, b: FeedConfig): boolean {
  const sameEnvironment =
    a.environment === undefined || b.environment === undefined || a.environment === b.environment
  return a.source === b.source && a.pair === b.pair && sameEnvironment
}

function parseFeedEntry(entry: unknown): Result<FeedConfig> {
  if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) {
    return fail('VALIDATION_ERROR', 'must be an object')
  }
  const fields = entry as Record<string, unknown>
  const unknown = Object.keys(fields).find((key) => !FEED_KEYS.has(key))
  if (unknown !== undefined) return fail('VALIDATION_ERROR', `unknown field ${unknown}`)
  const { source, pair, url, path, intervalMs = DEFAULT_INTERVAL_MS, environment } = fields
  if (typeof source !== 'string' || !isOracleSource(source)) {
    return fail('VALIDATION_ERROR', 'source must be primary_a, primary_b or reference')
  }
  if (typeof pair !== 'string' || !isOraclePair(pair)) {
    return fail('VALIDATION_ERROR', 'pair must be USD-IDR, USD-SGD, USD-MYR or MYR-IDR')
  }
  if (typeof url !== 'string' || !isHttpUrl(url)) {
    return fail('VALIDATION_ERROR', 'url must be an http(s) URL')
  }
  if (typeof path !== 'string' || !PATH_PATTERN.test(path)) {
    return fail('VALIDATION_ERROR', 'path must be a dot path such as data.rate')
  }
  if (!Number.isInteger(intervalMs) || (intervalMs as number) < MIN_INTERVAL_MS) {
    return fail('VALIDATION_ERROR', `intervalMs must be a whole number from ${MIN_INTERVAL_MS}`)
  }
  if ((intervalMs as number) > MAX_INTERVAL_MS) {
    return fail('VALIDATION_ERROR', `intervalMs must be at most ${MAX_INTERVAL_MS}`)
  }
  if (environment !== undefined && !(ENVIRONMENTS as readonly unknown[]).includes(environment)) {
    return fail('VALIDATION_ERROR', 'environment must be sandbox or live')
  }
  const base = { source, pair, url, path, intervalMs: intervalMs as number }
  return ok(environment === undefined ? base : { ...base, environment: environment as Environment })
}

function isHttpUrl(text: string): boolean {
  const url = URL.parse(text)
  return url !== null && (url.protocol === 'http:' || url.protocol === 'https:')
}

export type HttpFeedDeps = {
  readonly oracle: OracleService
  readonly clocks: Clocks
  readonly logger: FeedLogger
  /** Injected for tests; the global `fetch` otherwise. */
  readonly fetch?: typeof fetch
  readonly timeoutMs?: number
}

/**
 * Polls each configured feed on its own interval and submits what it reads.
 * A poll is scheduled only after the previous one ends, so a slow feed never
 * piles up requests. Every failure is a log line: a broken feed shows up as
 * a stale oracle (SPEC §6.2), never as a crash.
 */
export function createHttpFeed(deps: HttpFeedDeps, feeds: readonly FeedConfig[]): HttpFeed {
  const timers = new Map<FeedConfig, NodeJS.Timeout>()
  // Bumped by start and stop, so a poll still in flight from an earlier run never schedules a second chain.
  let run = 0
  let running = false

  function schedule(feed: FeedConfig, ofRun: number): void {
    if (!running || ofRun !== run) return
    const timer = setTimeout(async () => {
      await pollFeed(deps, feed)
      schedule(feed, ofRun)
    }, feed.intervalMs)
    timer.unref()
    timers.set(feed, timer)
  }

  return {
    start() {
      if (running) return
      running = true
      run += 1
      const thisRun = run
      for (const feed of feeds) void pollFeed(deps, feed).then(() => schedule(feed, thisRun))
    },
    stop() {
      running = false
      run += 1
      for (const timer of timers.values()) clearTimeout(timer)
      timers.clear()
    },
    pollAll: async () => {
      await Promise.all(feeds.map((feed) => pollFeed(deps, feed)))
    },
  }
}

/**
 * A feed URL as it may be logged: origin and path only. An API key in the
 * query (`?apikey=`), credentials (`user:pass@`) or a fragment never reach a
 * log line.
 */
export function redactUrl(text: string): string {
  const url = URL.parse(text)
  return url === null ? '(unparseable URL)' : `${url.origin}${url.pathname}`
}

/** An error as it may be logged: its name, its code, and its message with the feed's URL redacted. */
function redactError(error: unknown, feed: FeedConfig): { type: string; message: string; code?: string } {
  const plain = error instanceof Error ? error : new Error(String(error))
  const cause = (plain as Error & { cause?: { code?: unknown } }).cause
  const code = typeof cause?.code === 'string' ? cause.code : undefined
  const forms = [feed.url, URL.parse(feed.url)?.href].filter((form) => form !== undefined)
  const message = forms.reduce((text, form) => text.replaceAll(form, redactUrl(feed.url)), plain.message)
  return code === undefined ? { type: plain.name, message } : { type: plain.name, message, code }
}

async function pollFeed(deps: HttpFeedDeps, feed: FeedConfig): Promise<void> {
  const context = { source: feed.source, pair: feed.pair, url: redactUrl(feed.url) }
  try {
    const text = await fetchText(deps, feed.url)
    if (!text.ok) return deps.logger.warn(context, `oracle feed failed: ${text.message}`)
    const price = readPriceAt(text.value, feed.path)
    if (!price.ok) return deps.logger.warn(context, `oracle feed failed: ${price.message}`)
    for (const environment of feed.environment === undefined ? ENVIRONMENTS : [feed.environment]) {
      const atMs = deps.clocks[environment].now()
      const result = await deps.oracle.submit(environment, feed.source, feed.pair, price.value, atMs)
      if (!result.ok) deps.logger.warn({ ...context, environment }, `oracle price refused: ${result.message}`)
    }
  } catch (error) {
    deps.logger.warn({ ...context, err: redactError(error, feed) }, 'oracle feed request failed')
  }
}

async function fetchText(deps: HttpFeedDeps, url: string): Promise<Result<string>> {
  const fetchImpl = deps.fetch ?? fetch
  const response = await fetchImpl(url, {
    headers: { accept: 'application/json' },
    // A feed is configured to one URL; following a redirect would fetch a price from wherever it points.
    redirect: 'manual',
    signal: AbortSignal.timeout(deps.timeoutMs ?? DEFAULT_TIMEOUT_MS),
  })
  if (response.type === 'opaqueredirect' || (response.status >= 300 && response.status < 400)) {
    await response.body?.cancel()
    return fail('VALIDATION_ERROR', `redirect refused (HTTP ${response.status})`)
  }
  if (!response.ok) {
    await response.body?.cancel()
    return fail('VALIDATION_ERROR', `HTTP ${response.status}`)
  }
  return readBounded(response)
}

/** Reads the body up to MAX_RESPONSE_BYTES and gives up beyond, without buffering the rest. */
async function readBounded(response: Response): Promise<Result<string>> {
  if (response.body === null) return ok('')
  const chunks: Uint8Array[] = []
  let size = 0
  for await (const chunk of response.body) {
    size += chunk.byteLength
    // Leaving the loop early cancels the stream, so the rest is never read.
    if (size > MAX_RESPONSE_BYTES) {
      return fail('VALIDATION_ERROR', `response larger than ${MAX_RESPONSE_BYTES} bytes`)
    }
    chunks.push(chunk)
  }
  return ok(Buffer.concat(chunks).toString('utf8'))
}
