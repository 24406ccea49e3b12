/**
 * Helpers of the payments suites: a stablefx whose log lines are captured
 * (the Travel Rule must never reach one), whose chain can be told to stall a
 * transfer (an execution left PENDING, its funds still on the platform), and
 * the two sandbox partners of a remittance with verified webhook receivers.
 */
import assert from 'node:assert/strict'
import type { InjectOptions } from 'fastify'
import { createStablefx } from '../../src/app.ts'
import { type ChainAdapter, createSimulatedChain } from '../../src/chain/adapter.ts'
import { createManualClock } from '../../src/clock/clock.ts'
import type { Store } from '../../src/store/store.ts'
import {
  ADMIN_TOKEN,
  createPartner,
  OPS_TOKEN,
  setMarket,
  T0,
  type TestApp,
  type TestPartner,
} from '../support/app.ts'
import { fund, quoteOk } from '../trading/support.ts'
import { activeEndpoint, type Receiver, startReceiver } from '../webhooks/support.ts'

/** Sending here makes the test chain throw, as a node that stalls mid-settlement: the execution stays PENDING. */
export const STALL_ADDRESS = `0x${'5a'.repeat(20)}`
/** The off-ramp partner's wallet, where the remittance's IDRX is delivered. */
export const OFF_RAMP_WALLET = `0x${'cd'.repeat(20)}`

export type PaymentsApp = TestApp & { readonly logs: string[] }

export async function createPaymentsApp(store: Store): Promise<PaymentsApp> {
  const clock = createManualClock(T0)
  const simulated = createSimulatedChain({ store, clock })
  const chain: ChainAdapter = {
    send: (transfer) =>
      transfer.to.toLowerCase() === STALL_ADDRESS
        ? Promise.reject(new Error('the test chain stalls this transfer'))
        : simulated.send(transfer),
  }
  const logs: string[] = []
  const stablefx = await createStablefx({
    store,
    adminToken: ADMIN_TOKEN,
    opsToken: OPS_TOKEN,
    liveClock: clock,
    // Every line at every level: the Travel Rule must be in none of them.
    logLevel: 'trace',
    logStream: { write: (line) => void logs.push(line), flush: async () => {} },
    rateLimit: false,
    processMetrics: false,
    oracleMode: 'manual',
    rebalancer: false,
    chain,
    webhooks: { random: () => 0, timeoutMs: 2_000 },
  })
  const inject = (opts: InjectOptions) => stablefx.app.inject(opts)
  return {
    stablefx,
    clock,
    store,
    logs,
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

export type Remittance = {
  readonly app: PaymentsApp
  readonly originator: TestPartner
  readonly offRamp: TestPartner
  readonly third: TestPartner
  readonly originatorHooks: Receiver
  readonly offRampHooks: Receiver
  close(): Promise<void>
}

/** A Singapore on-ramp, a Jakarta off-ramp (each with a verified webhook) and a third partner. */
export async function openRemittance(store: Store): Promise<Remittance> {
  const app = await createPaymentsApp(store)
  await setMarket(app)
  const originator = await createPartner(app, { name: 'Lion City Ramp' })
  const offRamp = await createPartner(app, { name: 'Jakarta Payout' })
  const third = await createPartner(app, { name: 'Someone Else' })
  const originatorHooks = await startReceiver(app.clock)
  const offRampHooks = await startReceiver(app.clock)
  await activeEndpoint(app, originator, originatorHooks)
  await activeEndpoint(app, offRamp, offRampHooks)
  return {
    app,
    originator,
    offRamp,
    third,
    originatorHooks,
    offRampHooks,
    async close() {
      await originatorHooks.close()
      await offRampHooks.close()
      await app.close()
    },
  }
}

/** USDT → IDRX for `usdt` USDT, delivered to `address`; returns the execution as POST /v1/execute answered. */
export async function swapToIdrx(
  app: TestApp,
  partner: TestPartner,
  usdt: string,
  address = OFF_RAMP_WALLET,
) {
  await fund(app, partner, 'USDT', usdt)
  const quote = await quoteOk(app, partner, { pair: 'USD-IDR', side: 'SELL', amount: usdt })
  const executed = await app.inject({
    method: 'POST',
    url: '/v1/execute',
    headers: partner.headers(),
    payload: { quote_id: quote.quote_id, destination_address: address },
  })
  assert.equal(executed.statusCode, 200, executed.body)
  return executed.json() as {
    execution_id: string
    status: string
    destination_amount: string
    source_amount: string
  }
}

export function call(
  app: TestApp,
  partner: TestPartner,
  method: InjectOptions['method'],
  url: string,
  payload?: unknown,
  headers: Record<string, string> = {},
) {
  return app.inject({
    method,
    url,
    headers: { ...partner.headers(), ...headers },
    ...(payload === undefined ? {} : { payload: payload as InjectOptions['payload'] }),
  })
}
