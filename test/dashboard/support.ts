/**
 * The data the dashboard tests look at: a market, one partner with a
 * sandbox webhook endpoint (never verified: the workers are not started), five
 * $20,000 USD-IDR SELLs, and the rebalance they cross the hard threshold for
 * (one batch of 85,000 USDT in the Reserve's bag).
 */
import assert from 'node:assert/strict'
import { runRebalancer } from '../../src/rebalancing/worker.ts'
import { trade } from '../risk/engine-support.ts'
import { createPartner, setMarket, type TestApp, type TestPartner } from '../support/app.ts'
import { fund } from '../trading/support.ts'

export async function seedDashboard(app: TestApp): Promise<TestPartner> {
  await setMarket(app)
  const partner = await createPartner(app, { name: 'Acme Ramp' })
  const webhook = await app.inject({
    method: 'PUT',
    url: '/v1/webhook',
    headers: partner.headers('sandbox'),
    payload: { url: 'http://127.0.0.1:9/stablefx', events: ['execution.settled'] },
  })
  assert.equal(webhook.statusCode, 200, webhook.body)
  await fund(app, partner, 'USDT', '100000')
  for (let i = 0; i < 5; i++) await trade(app, partner, { pair: 'USD-IDR', side: 'SELL', amount: '20000' })
  const s = app.stablefx.services
  const run = await runRebalancer(
    { store: s.store, oracle: s.oracle, clocks: s.clocks, engine: s.risk, pools: s.pools },
    'sandbox',
    () => true,
  )
  assert.deepEqual(
    run.outcomes.map((o) => `${o.corridor} ${o.kind}`),
    ['USD-IDR rebalance'],
  )
  return partner
}
