import { createHmac, randomUUID, timingSafeEqual } from 'node:crypto'
import { writeFileSync } from 'node:fs'
import http from 'node:http'
import type { AddressInfo } from 'node:net'
import { parseArgs } from 'node:util'
import { formatRatio, mul, type Ratio, r, ratio } from '../money/ratio.ts'

/**
 * Simulated RFQ counterparties (issue 11, `npx stablefx sim market-makers`):
 * real HTTP servers on 127.0.0.1 implementing the market maker's side of the
 * RFQ contract. Each checks stablefx's Standard Webhooks signature, waits its
 * latency, then declines (204), fails (500) at its failure rate, or quotes
 * the mid moved against the taker by its spread, firm for `quoteTtlMs` after
 * `respond_by`. `POST /webhook` takes the signed `rfq.filled` events.
 */

export type MarketMakerConfig = {
  readonly name: string
  /** The counterparty's webhook secret (`whsec_…`); null accepts unsigned requests (and says so). */
  secret: string | null
  /** Off the mid against the taker, in bps; negative quotes better than the mid. */
  spreadBps: string
  latencyMs: number
  /** Share of requests answered 500, from 0 to 1. */
  failureRate: number
  /** Declines (204) everything when true. */
  decline: boolean
  /** QUOTE per BASE per pair, decimal strings. */
  readonly mids: Record<string, string>
  readonly quoteTtlMs: number
  /** The clock signatures are checked against (stablefx's sandbox clock in tests). */
  readonly nowMs: () => number
  readonly random: () => number
}

export type MarketMaker = {
  readonly config: MarketMakerConfig
  readonly url: string
  readonly webhookUrl: string
  /** RFQ requests received, and `rfq.filled` events received, newest last. */
  readonly requests: Record<string, unknown>[]
  readonly fills: Record<string, unknown>[]
  close(): Promise<void>
}

/** Standard Webhooks: a signature older or newer than this is refused. */
const TOLERANCE_SEC = 300
const MAX_BODY_BYTES = 65_536

export const DEFAULT_MIDS: Readonly<Record<string, string>> = {
  'USD-IDR': '16250',
  'USD-SGD': '1.3',
  'USD-MYR': '4.2',
  'MYR-IDR': '3869.04761905',
}

/** Standard Webhooks verification, as the `standardwebhooks` libraries do it. */
export function verifySignature(
  secret: string,
  headers: http.IncomingHttpHeaders,
  body: string,
  nowMs: number,
): string | undefined {
  const id = headers['webhook-id']
  const timestamp = headers['webhook-timestamp']
  const signatures = headers['webhook-signature']
  if (typeof id !== 'string' || typeof timestamp !== 'string' || typeof signatures !== 'string')
    return 'missing webhook headers'
  const seconds = Number(timestamp)
  if (!Number.isInteger(seconds) || Math.abs(nowMs / 1_000 - seconds) > TOLERANCE_SEC)
    return 'timestamp outside the tolerance'
  const key = Buffer.from(secret.replace(/^whsec_/, ''), 'base64')
  const expected = createHmac('sha256', key).update(`${id}.${timestamp}.${body}`).digest()
  for (const entry of signatures.split(' ')) {
    const [version, value] = entry.split(',')
    if (version !== 'v1' || value === undefined) continue
    const given = Buffer.from(value, 'base64')
    if (given.length === expected.length && timingSafeEqual(given, expected)) return undefined
  }
  return 'no valid signature'
}

/** The simulated rate: the mid moved against the taker by the spread (SELL gets less, BUY pays more). */
export function simulatedRate(mid: Ratio, side: string, spreadBps: Ratio): string {
  const factor = ratio(
    10_000n * spreadBps.den + (side === 'SELL' ? -spreadBps.num : spreadBps.num),
    10_000n * spreadBps.den,
  )
  return formatRatio(mul(mid, factor), 8, side === 'SELL' ? 'floor' : 'ceil')
}

function readBody(req: http.IncomingMessage): Promise<string | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = []
    let size = 0
    req.on('data', (chunk: Buffer) => {
      size += chunk.length
      if (size <= MAX_BODY_BYTES) chunks.push(chunk)
    })
    req.on('end', () => resolve(size > MAX_BODY_BYTES ? undefined : Buffer.concat(chunks).toString('utf8')))
    req.on('error', () => resolve(undefined))
  })
}

function send(res: http.ServerResponse, status: number, body?: object): void {
  if (res.destroyed) return
  if (body === undefined) {
    res.writeHead(status).end()
    return
  }
  res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(body))
}

async function answerRfq(mm: MarketMaker, body: Record<string, unknown>, res: http.ServerResponse) {
  const { config } = mm
  mm.requests.push(body)
  await new Promise((resolve) => setTimeout(resolve, config.latencyMs))
  if (config.random() < config.failureRate) return send(res, 500, { error: 'simulated failure' })
  const mid = config.mids[String(body.pair)]
  const respondBy = Date.parse(String(body.respond_by))
  if (config.decline || mid === undefined || !Number.isFinite(respondBy)) return send(res, 204)
  send(res, 200, {
    rfq_id: body.rfq_id,
    quote_id: `${config.name}-${randomUUID()}`,
    rate: simulatedRate(r(mid), String(body.side), r(config.spreadBps)),
    expires_at: new Date(respondBy + config.quoteTtlMs).toISOString(),
  })
}

export async function startMarketMaker(
  partial: Partial<MarketMakerConfig> & { name: string },
  port = 0,
): Promise<MarketMaker> {
  const config: MarketMakerConfig = {
    secret: null,
    spreadBps: '10',
    latencyMs: 20,
    failureRate: 0,
    decline: false,
    mids: { ...DEFAULT_MIDS },
    quoteTtlMs: 30_000,
    nowMs: Date.now,
    random: Math.random,
    ...partial,
  }
  const requests: Record<string, unknown>[] = []
  const fills: Record<string, unknown>[] = []
  let mm: MarketMaker | undefined
  const server = http.createServer(async (req, res) => {
    const text = await readBody(req)
    if (req.method !== 'POST' || text === undefined) return send(res, req.method === 'POST' ? 413 : 405)
    if (config.secret !== null) {
      const problem = verifySignature(config.secret, req.headers, text, config.nowMs())
      if (problem !== undefined) return send(res, 401, { error: problem })
    }
    let body: Record<string, unknown>
    try {
      body = JSON.parse(text) as Record<string, unknown>
    } catch {
      return send(res, 400, { error: 'not JSON' })
    }
    if (req.url === '/webhook') {
      // SPEC §10 endpoint verification echoes the challenge; events are kept.
      const challenge = (body.data as { challenge?: unknown } | undefined)?.challenge
      if (body.event === 'webhook.verification' && typeof challenge === 'string')
        return send(res, 200, { challenge })
      fills.push(body)
      return send(res, 204)
    }
    if (req.url !== '/rfq') return send(res, 404)
    await answerRfq(mm as MarketMaker, body, res)
  })
  await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve))
  const { port: bound } = server.address() as AddressInfo
  mm = {
    config,
    url: `http://127.0.0.1:${bound}/rfq`,
    webhookUrl: `http://127.0.0.1:${bound}/webhook`,
    requests,
    fills,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections()
        server.close(() => resolve())
      }),
  }
  return mm
}

export const MARKET_MAKERS_USAGE = `  sim market-makers [--count 3] [--port 9101] [--spread-bps 5,10,20] [--latency-ms 50]
                    [--failure-rate 0] [--secret whsec_…]… [--mid USD-IDR=16250]… [--pid-file F]
                             run simulated RFQ counterparties on 127.0.0.1 (POST /rfq, POST /webhook)`

/** `stablefx sim market-makers`: starts the servers, prints their URLs, runs until interrupted. */
export async function marketMakersCommand(args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      count: { type: 'string', default: '3' },
      port: { type: 'string', default: '9101' },
      'spread-bps': { type: 'string', default: '5,10,20' },
      'latency-ms': { type: 'string', default: '50' },
      'failure-rate': { type: 'string', default: '0' },
      secret: { type: 'string', multiple: true, default: [] },
      mid: { type: 'string', multiple: true, default: [] },
      'pid-file': { type: 'string' },
    },
  })
  const count = Number(values.count)
  const port = Number(values.port)
  const latencyMs = Number(values['latency-ms'])
  const failureRate = Number(values['failure-rate'])
  if (!Number.isInteger(count) || count < 1 || count > 20) throw new Error('--count must be 1 to 20')
  if (!Number.isInteger(port) || port < 0 || port > 65_535) throw new Error('--port must be a port number')
  if (!(latencyMs >= 0) || !(failureRate >= 0 && failureRate <= 1))
    throw new Error('--latency-ms must be ≥ 0 and --failure-rate from 0 to 1')
  const spreads = values['spread-bps'].split(',')
  const mids: Record<string, string> = { ...DEFAULT_MIDS }
  for (const item of values.mid) {
    const [pair, mid] = item.split('=')
    if (pair === undefined || mid === undefined || r(mid).num <= 0n)
      throw new Error(`--mid ${item}: PAIR=RATE`)
    mids[pair] = mid
  }
  const makers: MarketMaker[] = []
  for (let i = 0; i < count; i++) {
    const secret = values.secret[i] ?? null
    const mm = await startMarketMaker(
      {
        name: `mm${i + 1}`,
        secret,
        spreadBps: spreads[i] ?? spreads[spreads.length - 1] ?? '10',
        latencyMs,
        failureRate,
        mids,
      },
      port === 0 ? 0 : port + i,
    )
    makers.push(mm)
    process.stdout.write(
      `${mm.config.name} rfq_url=${mm.url} webhook=${mm.webhookUrl} spread_bps=${mm.config.spreadBps}` +
        `${secret === null ? ' (no --secret: signatures not checked)' : ''}\n`,
    )
  }
  // A script that started the simulators in the background stops them by this pid (npx is not their parent).
  if (values['pid-file'] !== undefined) writeFileSync(values['pid-file'], `${process.pid}\n`)
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve)
    process.once('SIGTERM', resolve)
  })
  await Promise.all(makers.map((mm) => mm.close()))
  return 0
}
