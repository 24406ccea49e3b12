/**
 * Helpers shared by the HTTP tests of the FX engine (test/trading/): partner
 * calls by name, the SPEC §3 error envelope check, and a chain adapter a
 * test can hold open.
 */
import assert from 'node:assert/strict'
import type { LightMyRequestResponse } from 'fastify'
import { type ChainAdapter, createSimulatedChain } from '../../src/chain/adapter.ts'
import { recover, setPrice, type TestApp, type TestPartner } from '../support/app.ts'

/** A valid all-lowercase EVM address (no checksum needed); the API answers with its EIP-55 form. */
export const ADDRESS = `0x${'ab'.repeat(20)}`
export const ADDRESS_CHECKSUMMED = '0xABaBaBaBABabABabAbAbABAbABabababaBaBABaB'

export type Body = Record<string, unknown>

type Call = { headers?: Record<string, string>; idempotencyKey?: string; environment?: 'sandbox' | 'live' }

function headersOf(partner: TestPartner, call: Call): Record<string, string> {
  return {
    ...partner.headers(call.environment ?? 'sandbox'),
    ...(call.idempotencyKey === undefined ? {} : { 'idempotency-key': call.idempotencyKey }),
    ...call.headers,
  }
}

export function post(
  app: TestApp,
  partner: TestPartner,
  url: string,
  payload: Body | string,
  call: Call = {},
): Promise<LightMyRequestResponse> {
  return app.inject({
    method: 'POST',
    url,
    headers: {
      ...headersOf(partner, call),
      ...(typeof payload === 'string' ? { 'content-type': 'application/json' } : {}),
    },
    payload,
  })
}

export function get(
  app: TestApp,
  partner: TestPartner,
  url: string,
  call: Call = {},
): Promise<LightMyRequestResponse> {
  return app.inject({ method: 'GET', url, headers: headersOf(partner, call) })
}

export const firmQuote = (app: TestApp, partner: TestPartner, body: Body | string, call: Call = {}) =>
  post(app, partner, '/v1/quote', body, call)

export const execute = (app: TestApp, partner: TestPartner, body: Body | string, call: Call = {}) =>
  post(app, partner, '/v1/execute', body, call)

/** Credits sandbox test funds and checks the faucet said yes. */
export async function fund(app: TestApp, partner: TestPartner, asset: string, amount: string): Promise<void> {
  const response = await post(app, partner, '/v1/sandbox/faucet', { asset, amount })
  assert.equal(response.statusCode, 200, response.body)
}

/** A firm quote that must succeed; returns its body. */
export async function quoteOk(app: TestApp, partner: TestPartner, body: Body) {
  const response = await firmQuote(app, partner, body)
  assert.equal(response.statusCode, 200, response.body)
  return response.json()
}

/** The partner's available balance of one asset, as the decimal string GET /v1/balances shows. */
export async function balanceOf(app: TestApp, partner: TestPartner, asset: string): Promise<string> {
  const response = await get(app, partner, '/v1/balances')
  assert.equal(response.statusCode, 200, response.body)
  const row = (response.json().balances as { asset: string; available: string }[]).find(
    (b) => b.asset === asset,
  )
  assert.ok(row, `no ${asset} balance`)
  return row.available
}

/** The balance of one sandbox pool, as GET /admin/v1/pools shows it. */
export async function poolBalance(app: TestApp, asset: string, tier = 'ACTIVE'): Promise<string> {
  const response = await app.admin('GET', '/admin/v1/pools?environment=sandbox')
  assert.equal(response.statusCode, 200, response.body)
  const row = (response.json().pools as { asset: string; tier: string; balance: string }[]).find(
    (p) => p.asset === asset && p.tier === tier,
  )
  assert.ok(row, `no ${asset} ${tier} pool`)
  return row.balance
}

/**
 * The SPEC §3 error envelope: status, a stable code, the corridor when the
 * refusal concerns one (and none otherwise), a timestamp, and the request id
 * that the X-Request-ID header also carries.
 */
export function expectError(
  response: LightMyRequestResponse,
  status: number,
  code: string,
  corridor?: string,
): { code: string; message: string; corridor?: string; timestamp: string; request_id: string } {
  assert.equal(response.statusCode, status, response.body)
  const body = response.json()
  assert.deepEqual(Object.keys(body), ['error'])
  const error = body.error
  assert.equal(error.code, code, response.body)
  assert.equal(error.corridor, corridor, `corridor of ${response.body}`)
  assert.equal(typeof error.message, 'string')
  assert.ok(error.message.length > 0)
  assert.match(error.timestamp, /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{3}Z$/)
  assert.equal(typeof error.request_id, 'string')
  assert.ok(error.request_id.length > 0)
  assert.equal(error.request_id, response.headers['x-request-id'])
  return error
}

/** Moves the sandbox test clock forward through the admin API (SPEC §3). */
export async function advanceSandbox(app: TestApp, seconds: number): Promise<void> {
  const response = await app.admin('POST', '/admin/v1/sandbox/clock/advance', { seconds })
  assert.equal(response.statusCode, 200, response.body)
}

/**
 * One pass of the risk engine's 1-second tick, which is what degrades a
 * corridor by time alone (a price ageing past its max age, SPEC §6.2) when no
 * price or execution arrives. Test apps are never started, so that tick never
 * runs on its own: a test that lets a price go stale runs it here. It only
 * degrades; recovery stays with `recover` (SPEC §6.3).
 */
export async function riskTick(app: TestApp, environment: 'sandbox' | 'live' = 'sandbox'): Promise<void> {
  await app.stablefx.services.risk.evaluateNow(environment, 'degrade', 'timer')
}

/** The mids `setMarket` sets (test/support/app.ts). */
export const MARKET: Readonly<Record<string, string>> = {
  'USD-IDR': '16250',
  'USD-SGD': '1.3',
  'USD-MYR': '4.2',
  'MYR-IDR': '3869.04761905',
}

/**
 * After a price move, lets the 5-minute volatility window (SPEC §5, §6.2)
 * pass so the move no longer counts: the manual clock moves 5 min + 1 s,
 * every pair is priced again (prices age: the max ages are 15–30 s) at the
 * `MARKET` mids or the moved ones given, and the SPEC §6.3 recovery
 * evaluation runs in both environments, as an operator would ask for it.
 */
export async function afterVolatilityWindow(app: TestApp, moved: Record<string, string> = {}): Promise<void> {
  app.clock.advance(5 * 60_000 + 1_000)
  for (const [pair, price] of Object.entries({ ...MARKET, ...moved })) await setPrice(app, pair, price)
  for (const environment of ['sandbox', 'live']) await recover(app, environment)
}

/** A corridor's state as partners read it on GET /v1/system/state. */
export async function corridorState(app: TestApp, partner: TestPartner, corridor: string): Promise<string> {
  const response = await get(app, partner, '/v1/system/state')
  assert.equal(response.statusCode, 200, response.body)
  return response.json().corridors[corridor].state
}

/**
 * The simulated chain behind a gate: `send` reports that it was entered and
 * then waits until the test calls `release`, so a request can be held
 * mid-flight deterministically.
 */
export function gatedChain(): { chain: ChainAdapter; entered: Promise<void>; release: () => void } {
  const real = createSimulatedChain()
  let release: () => void = () => {}
  let enter: () => void = () => {}
  const gate = new Promise<void>((resolve) => {
    release = resolve
  })
  const entered = new Promise<void>((resolve) => {
    enter = resolve
  })
  return {
    chain: {
      async send(transfer) {
        enter()
        await gate
        return real.send(transfer)
      },
    },
    entered,
    release,
  }
}

/** Counts the rows of a table matching a partner, read straight from the store. */
export async function countQuotes(app: TestApp, partnerId: string): Promise<number> {
  const rows = await app.store.kysely
    .selectFrom('quotes')
    .select('id')
    .where('partner_id', '=', partnerId)
    .execute()
  return rows.length
}
