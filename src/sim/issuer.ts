import { randomBytes, timingSafeEqual } from 'node:crypto'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { parseArgs } from 'node:util'
import { formatRatio, mul, parseRatio } from '../money/ratio.ts'
import { signature } from '../webhooks/signing.ts'

/**
 * Issue 11 item 6: a simulated stablecoin issuer, a real HTTP server on
 * 127.0.0.1 implementing the issuer side of the contract: `POST /mint` and
 * `POST /redeem` (signed by stablefx; answered `202 {mint_id}` /
 * `202 {redeem_id}`), `GET /por` (`{asset, reserves, circulating_supply,
 * as_of}`). Given stablefx's URL and the issuer's API key it completes each
 * request by calling `POST /v1/issuer/{mints|redeems}/{id}/complete`.
 */
export type IssuerSimOptions = {
  readonly asset: string
  /** Reserves / circulating supply, a decimal ("1" fully backed, "0.97" short). */
  readonly reservesRatio?: string
  readonly circulatingSupply?: string
  /** Added before every answer. */
  readonly latencyMs?: number
  /** Share of mint/redeem/PoR requests answered 500, from 0 to 1. */
  readonly failureRate?: number
  /** The issuer's webhook secret (`whsec_…`): requests with a bad signature are answered 401. */
  readonly webhookSecret?: string
  /** Where and as whom to report completions; none: requests stay REQUESTED. */
  readonly callback?: {
    readonly baseUrl: string
    readonly apiKey: string
    readonly partnerId: string
    readonly delayMs?: number
  }
  readonly port?: number
  readonly random?: () => number
}

export type ReceivedRequest = {
  readonly kind: 'mint' | 'redeem'
  readonly id: string
  readonly headers: Readonly<Record<string, string>>
  readonly body: string
}

export type IssuerSim = {
  readonly url: string
  readonly mintUrl: string
  readonly redeemUrl: string
  readonly porUrl: string
  readonly received: readonly ReceivedRequest[]
  /** Completion calls and their HTTP statuses, in order. */
  readonly completions: readonly { readonly id: string; readonly status: number }[]
  setReservesRatio(ratio: string): void
  setFailureRate(rate: number): void
  /** Resolves once every completion started so far has finished. */
  settled(): Promise<void>
  close(): Promise<void>
}

const MAX_BODY_BYTES = 65_536
const TOLERANCE_S = 300
/** A completion can arrive before stablefx stored the 202's id: retried on 404 this many times. */
const COMPLETE_ATTEMPTS = 5

function verified(secret: string, headers: http.IncomingHttpHeaders, body: string): boolean {
  const id = headers['webhook-id']
  const timestamp = Number(headers['webhook-timestamp'])
  const header = headers['webhook-signature']
  if (typeof id !== 'string' || typeof header !== 'string' || !Number.isInteger(timestamp)) return false
  if (Math.abs(Date.now() / 1_000 - timestamp) > TOLERANCE_S) return false
  const expected = Buffer.from(signature(secret, id, timestamp, body))
  return header.split(' ').some((part) => {
    const given = Buffer.from(part.startsWith('v1,') ? part.slice(3) : '')
    return given.length === expected.length && timingSafeEqual(given, expected)
  })
}

export async function startIssuerSim(options: IssuerSimOptions): Promise<IssuerSim> {
  let ratio = options.reservesRatio ?? '1'
  let failureRate = options.failureRate ?? 0
  const supply = options.circulatingSupply ?? '1000000000'
  const random = options.random ?? Math.random
  const received: ReceivedRequest[] = []
  const completions: { id: string; status: number }[] = []
  const pending = new Set<Promise<void>>()
  let counter = 0

  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

  async function complete(kind: 'mint' | 'redeem', id: string): Promise<void> {
    const callback = options.callback
    if (callback === undefined) return
    await sleep(callback.delayMs ?? 20)
    const txHash = `0x${randomBytes(32).toString('hex')}`
    for (let attempt = 1; attempt <= COMPLETE_ATTEMPTS; attempt++) {
      const response = await fetch(
        `${callback.baseUrl}/v1/issuer/${kind}s/${encodeURIComponent(id)}/complete`,
        {
          method: 'POST',
          headers: {
            authorization: `Bearer ${callback.apiKey}`,
            'x-partner-id': callback.partnerId,
            'content-type': 'application/json',
          },
          body: JSON.stringify({ tx_hash: txHash }),
        },
      ).catch(() => undefined)
      const status = response?.status ?? 0
      await response?.arrayBuffer()
      if (status !== 404 || attempt === COMPLETE_ATTEMPTS) {
        completions.push({ id, status })
        return
      }
      await sleep(50 * attempt)
    }
  }

  function porBody(): string {
    const total = parseRatio(supply)
    const share = parseRatio(ratio)
    if (total === undefined || share === undefined)
      throw new Error('reserves ratio and supply must be decimals')
    return JSON.stringify({
      asset: options.asset,
      reserves: formatRatio(mul(total, share), 6, 'floor'),
      circulating_supply: supply,
      as_of: new Date().toISOString(),
    })
  }

  const server = http.createServer((req, res) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size <= MAX_BODY_BYTES) chunks.push(chunk)
    })
    req.on('end', async () => {
      const send = (status: number, body?: unknown) => {
        res.writeHead(status, { 'content-type': 'application/json' })
        res.end(body === undefined ? '' : typeof body === 'string' ? body : JSON.stringify(body))
      }
      await sleep(options.latencyMs ?? 0)
      const path = (req.url ?? '').split('?')[0]
      const failing = random() < failureRate
      if (req.method === 'GET' && path === '/por') return failing ? send(500) : send(200, porBody())
      const kind = path === '/mint' ? 'mint' : path === '/redeem' ? 'redeem' : undefined
      if (req.method !== 'POST' || kind === undefined) return send(404, { error: 'not found' })
      const body = Buffer.concat(chunks).toString('utf8')
      if (options.webhookSecret !== undefined && !verified(options.webhookSecret, req.headers, body)) {
        return send(401, { error: 'bad signature' })
      }
      if (failing) return send(500, { error: 'simulated failure' })
      counter += 1
      const id = `sim_${kind}_${counter}`
      received.push({ kind, id, headers: req.headers as Record<string, string>, body })
      send(202, kind === 'mint' ? { mint_id: id } : { redeem_id: id })
      const job = complete(kind, id).finally(() => pending.delete(job))
      pending.add(job)
    })
  })
  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve))
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  return {
    url,
    mintUrl: `${url}/mint`,
    redeemUrl: `${url}/redeem`,
    porUrl: `${url}/por`,
    received,
    completions,
    setReservesRatio(next) {
      if (parseRatio(next) === undefined) throw new Error('reserves ratio must be a decimal')
      ratio = next
    },
    setFailureRate(rate) {
      failureRate = rate
    },
    async settled() {
      while (pending.size > 0) await Promise.all([...pending])
    },
    async close() {
      await Promise.all([...pending])
      server.closeAllConnections()
      await new Promise<void>((resolve) => server.close(() => resolve()))
    },
  }
}

export const ISSUER_SIM_USAGE = `  sim issuer --asset IDRX [--port N] [--reserves-ratio 1] [--supply N]
                             [--latency-ms N] [--failure-rate 0..1] [--webhook-secret whsec_…]
                             [--stablefx-url http://127.0.0.1:8080 --api-key K --partner-id ID]
                             run a simulated issuer (mint, redeem, Proof of Reserve) on 127.0.0.1`

/** `npx stablefx sim issuer …`: runs until interrupted; the exit code. */
export async function issuerSimCommand(args: readonly string[]): Promise<number> {
  let values: Record<string, string | undefined>
  try {
    values = parseArgs({
      args: [...args],
      options: Object.fromEntries(SIM_FLAGS.map((flag) => [flag, { type: 'string' as const }])),
    }).values as Record<string, string | undefined>
  } catch (error) {
    process.stderr.write(`stablefx: ${(error as Error).message}\n${ISSUER_SIM_USAGE}\n`)
    return 1
  }
  if (values.asset === undefined) {
    process.stderr.write(`stablefx: --asset is required\n${ISSUER_SIM_USAGE}\n`)
    return 1
  }
  const url = values['stablefx-url']
  const apiKey = values['api-key']
  const partnerId = values['partner-id']
  const optional = <T>(value: string | undefined, make: (v: string) => T) =>
    value === undefined ? {} : make(value)
  const sim = await startIssuerSim({
    asset: values.asset,
    ...optional(values.port, (v) => ({ port: Number(v) })),
    ...optional(values['reserves-ratio'], (v) => ({ reservesRatio: v })),
    ...optional(values.supply, (v) => ({ circulatingSupply: v })),
    ...optional(values['latency-ms'], (v) => ({ latencyMs: Number(v) })),
    ...optional(values['failure-rate'], (v) => ({ failureRate: Number(v) })),
    ...optional(values['webhook-secret'], (v) => ({ webhookSecret: v })),
    ...(url !== undefined && apiKey !== undefined && partnerId !== undefined
      ? { callback: { baseUrl: url, apiKey, partnerId } }
      : {}),
  })
  process.stdout.write(
    `${JSON.stringify({ mint_url: sim.mintUrl, redeem_url: sim.redeemUrl, por_url: sim.porUrl })}\n`,
  )
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve)
    process.once('SIGTERM', resolve)
  })
  await sim.close()
  return 0
}

const SIM_FLAGS = [
  'asset',
  'port',
  'reserves-ratio',
  'supply',
  'latency-ms',
  'failure-rate',
  'webhook-secret',
  'stablefx-url',
  'api-key',
  'partner-id',
] as const
