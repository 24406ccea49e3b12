import type { InjectOptions, LightMyRequestResponse } from 'fastify'
import { type ClusterTimings, createStablefx, type Stablefx } from '../../src/app.ts'
import type { ChainAdapter } from '../../src/chain/adapter.ts'
import { createManualClock, type ManualClock } from '../../src/clock/clock.ts'
import type { RiskConfig } from '../../src/config/risk.ts'
import type { Store } from '../../src/store/store.ts'

export const ADMIN_TOKEN = 'adm_test_token_0123456789abcdefghijklmnop'
export const OPS_TOKEN = 'ops_test_token_0123456789abcdefghijklmnop'
/** 2026-11-23T00:00:00Z: tests run on a fixed clock. */
export const T0 = Date.UTC(2026, 10, 23)

export type TestApp = {
  readonly stablefx: Stablefx
  readonly clock: ManualClock
  readonly store: Store
  inject(options: InjectOptions): Promise<LightMyRequestResponse>
  admin(method: InjectOptions['method'], url: string, body?: unknown): Promise<LightMyRequestResponse>
  close(): Promise<void>
}

export async function createTestApp(
  store: Store,
  options: {
    rateLimit?: boolean
    clock?: ManualClock
    chain?: ChainAdapter
    riskConfig?: RiskConfig
    cluster?: ClusterTimings
    rebalancer?: boolean
  } = {},
): Promise<TestApp> {
  const clock = options.clock ?? createManualClock(T0)
  const stablefx = await createStablefx({
    store,
    adminToken: ADMIN_TOKEN,
    opsToken: OPS_TOKEN,
    liveClock: clock,
    logLevel: 'silent',
    rateLimit: options.rateLimit ?? false,
    processMetrics: false,
    oracleMode: 'manual',
    ...(options.chain === undefined ? {} : { chain: options.chain }),
    ...(options.riskConfig === undefined ? {} : { riskConfig: options.riskConfig }),
    ...(options.cluster === undefined ? {} : { cluster: options.cluster }),
    ...(options.rebalancer === undefined ? {} : { rebalancer: options.rebalancer }),
  })
  return testAppOf(stablefx, clock, store)
}

/** A built app as the tests drive it: inject, the admin token's calls, close. */
export function testAppOf(stablefx: Stablefx, clock: ManualClock, store: Store): TestApp {
  const inject = (opts: InjectOptions) => stablefx.app.inject(opts)
  return {
    stablefx,
    clock,
    store,
    inject,
    admin: (method, url, body) =>
      inject({
        method,
        url,
        headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
        ...(body === undefined ? {} : { payload: body as InjectOptions['payload'] }),
      }),
    close: () => stablefx.close(),
  }
}

export type TestPartner = {
  readonly id: string
  readonly apiKey: string
  readonly sandboxKey: string
  readonly webhookSecret: string
  /** Headers for a partner call with the sandbox key (or the live key). */
  headers(environment?: 'sandbox' | 'live'): Record<string, string>
}

export async function createPartner(app: TestApp, body: Record<string, unknown> = {}): Promise<TestPartner> {
  const response = await app.admin('POST', '/admin/v1/partners', {
    name: 'Acme Ramp',
    type: 'ON_OFF_RAMP',
    corridors: ['USD-IDR', 'USD-SGD', 'MYR-IDR'],
    ...body,
  })
  if (response.statusCode !== 201) throw new Error(`partner creation failed: ${response.body}`)
  const created = response.json() as {
    partner_id: string
    api_key: string
    sandbox_api_key: string
    webhook_secret: string
  }
  return {
    id: created.partner_id,
    apiKey: created.api_key,
    sandboxKey: created.sandbox_api_key,
    webhookSecret: created.webhook_secret,
    headers: (environment = 'sandbox') => ({
      authorization: `Bearer ${environment === 'sandbox' ? created.sandbox_api_key : created.api_key}`,
      'x-partner-id': created.partner_id,
    }),
  }
}

/** The three oracle sources agree on `price` for `pair` (both environments, stamped now on each clock). */
export async function setPrice(app: TestApp, pair: string, price: string): Promise<void> {
  for (const source of ['primary_a', 'primary_b', 'reference']) {
    const response = await app.admin('POST', '/admin/v1/oracle/prices', { source, pair, price })
    if (response.statusCode !== 200) throw new Error(`price refused: ${response.body}`)
  }
}

/**
 * Realistic mids for every oracle pair, then the SPEC §6.3 recovery evaluation
 * an operator would run (POST /v1/risk/evaluate) in both environments, so
 * every corridor quotes even after an earlier test degraded it.
 */
export async function setMarket(app: TestApp): Promise<void> {
  await setPrice(app, 'USD-IDR', '16250')
  await setPrice(app, 'USD-SGD', '1.3')
  await setPrice(app, 'USD-MYR', '4.2')
  await setPrice(app, 'MYR-IDR', '3869.04761905')
  for (const environment of ['sandbox', 'live']) await recover(app, environment)
}

/** POST /v1/risk/evaluate with the ops token: recovery now (SPEC §6.3). */
export async function recover(app: TestApp, environment = 'sandbox'): Promise<void> {
  const response = await app.inject({
    method: 'POST',
    url: '/v1/risk/evaluate',
    headers: { authorization: `Bearer ${OPS_TOKEN}` },
    payload: { environment },
  })
  if (response.statusCode !== 200) throw new Error(`recovery refused: ${response.body}`)
}
