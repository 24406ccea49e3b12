import { lookup as dnsLookup } from 'node:dns/promises'
import http from 'node:http'
import https from 'node:https'
import type { LookupFunction } from 'node:net'
import {
  addressRefusal,
  classifyAddress,
  hostOf,
  localReceiversAllowed,
  type UrlPolicy,
} from './address-policy.ts'

/**
 * One webhook POST (SPEC §10): the host is resolved here, every address it
 * resolves to is checked against the URL policy, and the connection is pinned
 * to the checked address through a custom `lookup`, so a name that resolves
 * differently a moment later (DNS rebinding) cannot slip in. Redirects are
 * not followed (node:http never does); the whole exchange has a deadline.
 */

export type ResolvedAddress = { readonly address: string; readonly family: 4 | 6 }
/** Every address a name resolves to. Injected so tests can play DNS. */
export type Resolve = (hostname: string) => Promise<readonly ResolvedAddress[]>

export const systemResolve: Resolve = async (hostname) =>
  (await dnsLookup(hostname, { all: true, verbatim: true })).map((entry) => ({
    address: entry.address,
    family: entry.family === 6 ? 6 : 4,
  }))

/** SPEC §10: the receiver answers within 5 s. */
export const DELIVERY_TIMEOUT_MS = 5_000
/** Only this much of an answer is read (the verification challenge is small). */
const MAX_ANSWER_BYTES = 65_536

export type PostOutcome = {
  /** The receiver's HTTP status; null when no answer came (refused, unreachable, timed out). */
  readonly statusCode: number | null
  readonly retryAfter: string | undefined
  /** The start of the answer's body, as text. */
  readonly answer: string
  /** Why the attempt failed without an answer, or what was wrong with it; null on a 2xx. */
  readonly error: string | null
  readonly latencyMs: number
}

export type PostRequest = {
  readonly url: string
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
  readonly policy: UrlPolicy
  readonly resolve: Resolve
  readonly timeoutMs?: number
  /** POST unless named: issue 11 polls issuers' Proof of Reserve with a GET through the same pinned transport. */
  readonly method?: 'GET' | 'POST'
}

function pinnedLookup(pinned: ResolvedAddress): LookupFunction {
  return ((_hostname: string, options: { all?: boolean }, callback: (...args: unknown[]) => void) => {
    if (options?.all === true) callback(null, [{ address: pinned.address, family: pinned.family }])
    else callback(null, pinned.address, pinned.family)
  }) as unknown as LookupFunction
}

/** The address to connect to, after the policy check; or why none may be used. */
async function resolveChecked(url: URL, request: PostRequest): Promise<ResolvedAddress | string> {
  if (url.protocol === 'http:' && !localReceiversAllowed(request.policy))
    return 'refused: http is not allowed here'
  const host = hostOf(url)
  const literal = classifyAddress(host)
  let addresses: readonly ResolvedAddress[]
  if (literal !== undefined) {
    addresses = [{ address: host, family: host.includes(':') ? 6 : 4 }]
  } else {
    try {
      addresses = await request.resolve(host)
    } catch (error) {
      return `could not resolve ${host} (${(error as NodeJS.ErrnoException).code ?? 'error'})`
    }
  }
  const refusal = addressRefusal(
    host,
    addresses.map((a) => a.address),
    request.policy,
  )
  return refusal === undefined ? (addresses[0] as ResolvedAddress) : `refused: ${refusal}`
}

export async function postWebhook(request: PostRequest): Promise<PostOutcome> {
  const startedAt = performance.now()
  const elapsed = () => Math.round(performance.now() - startedAt)
  const url = new URL(request.url)
  const target = await resolveChecked(url, request)
  if (typeof target === 'string') {
    return { statusCode: null, retryAfter: undefined, answer: '', error: target, latencyMs: elapsed() }
  }
  const client = url.protocol === 'https:' ? https : http
  return new Promise<PostOutcome>((resolve) => {
    let settled = false
    const finish = (outcome: Omit<PostOutcome, 'latencyMs'>) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      resolve({ ...outcome, latencyMs: elapsed() })
    }
    const req = client.request(
      {
        protocol: url.protocol,
        hostname: hostOf(url),
        port: url.port === '' ? undefined : Number(url.port),
        path: `${url.pathname}${url.search}`,
        method: request.method ?? 'POST',
        headers: { ...request.headers, 'content-length': String(Buffer.byteLength(request.body)) },
        agent: false,
        lookup: pinnedLookup(target),
      },
      (res) => {
        const chunks: Buffer[] = []
        let size = 0
        const done = () => {
          const statusCode = res.statusCode ?? 0
          const ok = statusCode >= 200 && statusCode < 300
          const retryAfter = res.headers['retry-after']
          finish({
            statusCode,
            retryAfter: Array.isArray(retryAfter) ? retryAfter[0] : retryAfter,
            answer: Buffer.concat(chunks).toString('utf8'),
            error: ok
              ? null
              : statusCode >= 300 && statusCode < 400
                ? 'redirect not followed'
                : `HTTP ${statusCode}`,
          })
          res.destroy()
        }
        res.on('data', (chunk: Buffer) => {
          if (size >= MAX_ANSWER_BYTES) return
          chunks.push(chunk.subarray(0, MAX_ANSWER_BYTES - size))
          size += chunk.length
          if (size >= MAX_ANSWER_BYTES) done()
        })
        res.on('end', done)
        res.on('error', (error) => finish(failed(error)))
      },
    )
    const timeoutMs = request.timeoutMs ?? DELIVERY_TIMEOUT_MS
    const timer = setTimeout(
      () => req.destroy(new Error(`no answer within ${timeoutMs / 1_000} s`)),
      timeoutMs,
    )
    req.on('error', (error) => finish(failed(error)))
    req.end(request.body)
  })
}

function failed(error: Error): Omit<PostOutcome, 'latencyMs'> {
  return { statusCode: null, retryAfter: undefined, answer: '', error: error.message }
}
