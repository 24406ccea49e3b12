/**
 * The stablefx client: openapi-fetch over the generated types, with the
 * partner credentials on every call, an Idempotency-Key on every POST (the
 * same key on each retry of that POST), and bounded retries with exponential
 * backoff on 429 (honouring Retry-After), 5xx and network failures.
 */
import createClient, { type Client } from 'openapi-fetch'
import type { paths } from './schema.d.ts'

export type RetryOptions = {
  /** Attempts in all, the first included (default 4; 1 turns retries off). */
  readonly maxAttempts?: number
  /** Delay before the first retry; doubles per retry (default 250 ms). */
  readonly baseDelayMs?: number
  /** Cap on one backoff delay (default 8 s). */
  readonly maxDelayMs?: number
  /** A Retry-After longer than this is not waited for: the 429 or 503 is returned (default 60 s). */
  readonly maxRetryAfterMs?: number
  /** Randomises each backoff delay within [delay/2, delay] (default true; Retry-After is honoured as given). */
  readonly jitter?: boolean
  /** How to wait; tests pass one that records the delays instead of sleeping. */
  readonly sleep?: (ms: number) => Promise<void>
}

export type StablefxClientOptions = {
  /** The server, e.g. http://127.0.0.1:8080 (no trailing /v1). */
  readonly baseUrl: string
  readonly partnerId: string
  /** `sk_test_…` (sandbox) or `sk_live_…` (live): the key decides the environment. */
  readonly apiKey: string
  /** A fetch implementation (default: globalThis.fetch). */
  readonly fetch?: (input: Request) => Promise<Response>
  readonly retry?: RetryOptions
  /** Makes the Idempotency-Key of a POST that carries none (default: a random UUID). */
  readonly idempotencyKey?: () => string
}

export type StablefxClient = Client<paths>

const DEFAULTS = {
  maxAttempts: 4,
  baseDelayMs: 250,
  maxDelayMs: 8_000,
  maxRetryAfterMs: 60_000,
  jitter: true,
}

/** A status worth another attempt of the same request (with the same Idempotency-Key). */
export function isRetryableStatus(status: number): boolean {
  return status === 429 || status >= 500
}

/**
 * Retry-After as milliseconds: delta-seconds or an HTTP date; undefined when
 * absent or unreadable.
 */
export function retryAfterMs(header: string | null, nowMs: number = Date.now()): number | undefined {
  if (header === null) return undefined
  const text = header.trim()
  if (/^\d+$/.test(text)) return Number(text) * 1_000
  const date = Date.parse(text)
  return Number.isNaN(date) ? undefined : Math.max(0, date - nowMs)
}

/** The backoff before retry number `retry` (1 for the first retry), before jitter. */
export function backoffMs(retry: number, baseDelayMs: number, maxDelayMs: number): number {
  return Math.min(maxDelayMs, baseDelayMs * 2 ** (retry - 1))
}

const defaultSleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/**
 * A fetch that retries: every attempt sends a fresh copy of the same request
 * (headers, body and Idempotency-Key included). Returns the last response
 * once attempts run out, and rethrows the last network error likewise.
 */
export function retryingFetch(
  fetchImpl: (input: Request) => Promise<Response>,
  options: RetryOptions = {},
): (input: Request) => Promise<Response> {
  const maxAttempts = Math.max(1, Math.floor(options.maxAttempts ?? DEFAULTS.maxAttempts))
  const baseDelayMs = options.baseDelayMs ?? DEFAULTS.baseDelayMs
  const maxDelayMs = options.maxDelayMs ?? DEFAULTS.maxDelayMs
  const maxRetryAfterMs = options.maxRetryAfterMs ?? DEFAULTS.maxRetryAfterMs
  const jitter = options.jitter ?? DEFAULTS.jitter
  const sleep = options.sleep ?? defaultSleep
  return async (request) => {
    for (let attempt = 1; ; attempt++) {
      const last = attempt >= maxAttempts
      let response: Response
      try {
        response = await fetchImpl(last ? request : request.clone())
      } catch (error) {
        if (last || request.signal.aborted) throw error
        await sleep(delay(attempt))
        continue
      }
      if (last || !isRetryableStatus(response.status)) return response
      const asked = retryAfterMs(response.headers.get('retry-after'))
      if (asked !== undefined && asked > maxRetryAfterMs) return response
      // The body of a response we do not return is read to the end so the connection is reused.
      await response.arrayBuffer().catch(() => undefined)
      await sleep(asked ?? delay(attempt))
    }
  }

  function delay(attempt: number): number {
    const ms = backoffMs(attempt, baseDelayMs, maxDelayMs)
    return jitter ? ms / 2 + Math.random() * (ms / 2) : ms
  }
}

/**
 * A typed client for the stablefx API:
 *
 *   const client = createStablefxClient({ baseUrl, partnerId, apiKey })
 *   const { data, error } = await client.POST('/v1/quote', { body: { pair: 'USD-IDR', side: 'SELL', amount: '100' } })
 *
 * Give `params: { header: { 'idempotency-key': '…' } }` to choose a POST's key
 * (to retry it yourself later); otherwise each POST gets a random UUID.
 */
export function createStablefxClient(options: StablefxClientOptions): StablefxClient {
  const send = retryingFetch(options.fetch ?? ((input) => globalThis.fetch(input)), options.retry)
  const makeKey = options.idempotencyKey ?? (() => globalThis.crypto.randomUUID())
  const client = createClient<paths>({
    baseUrl: options.baseUrl.replace(/\/+$/, ''),
    headers: { authorization: `Bearer ${options.apiKey}`, 'x-partner-id': options.partnerId },
    fetch: (request) => {
      if (request.method !== 'POST' || request.headers.has('idempotency-key')) return send(request)
      const headers = new Headers(request.headers)
      headers.set('idempotency-key', makeKey())
      return send(new Request(request, { headers }))
    },
  })
  return client
}

/** A refusal in the SPEC §3 body: `{ error: { code, message, … } }`. */
export type ApiErrorBody = { error: { code: string; message: string; [field: string]: unknown } }

/** Thrown by `ok` when the server refused: the status and the SPEC §3 error body. */
export class StablefxApiError extends Error {
  readonly status: number
  readonly code: string | undefined
  readonly body: unknown
  constructor(status: number, body: unknown) {
    const error = (body as Partial<ApiErrorBody> | undefined)?.error
    super(error === undefined ? `HTTP ${status}` : `HTTP ${status} ${error.code}: ${error.message}`)
    this.name = 'StablefxApiError'
    this.status = status
    this.code = error?.code
    this.body = body
  }
}

/**
 * The data of a successful call, or a StablefxApiError for a refusal:
 *
 *   const quote = ok(await client.POST('/v1/quote', { body }))
 */
export function ok<T>(result: { data?: T; error?: unknown; response: Response }): T {
  if (result.response.ok && result.data !== undefined) return result.data
  throw new StablefxApiError(result.response.status, result.error)
}
