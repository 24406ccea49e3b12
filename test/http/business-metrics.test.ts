/** Issue 15: business figures on /metrics, per environment, read from the whole system's database. */
import assert from 'node:assert/strict'
import { after, before, it } from 'node:test'
import { createPartner, createTestApp, setMarket, type TestApp } from '../support/app.ts'
import { describeEachDialect } from '../support/databases.ts'
import { ADDRESS, execute, fund, quoteOk } from '../trading/support.ts'

describeEachDialect('business metrics', ({ store }) => {
  let app: TestApp
  before(async () => {
    app = await createTestApp(store())
    await setMarket(app)
    const partner = await createPartner(app, { name: 'Metered Ramp' })
    await fund(app, partner, 'USDT', '100')
    const quote = await quoteOk(app, partner, { pair: 'USD-IDR', side: 'SELL', amount: '10' })
    const done = await execute(app, partner, { quote_id: quote.quote_id, destination_address: ADDRESS })
    assert.equal(done.statusCode, 200, done.body)
  })
  after(() => app.close())

  it('pools, corridor states, oracle ages, executions and volume', async () => {
    const response = await app.inject({ method: 'GET', url: '/metrics' })
    assert.equal(response.statusCode, 200)
    const lines = new Set(response.body.split('\n'))
    const has = (line: string) => assert.ok(lines.has(line), `missing: ${line}`)
    // The sandbox genesis: Reserve at 90% of its $5,000,000 target, untouched by a swap.
    has('stablefx_pool_balance{environment="sandbox",asset="USDT",tier="RESERVE"} 4500000')
    has('stablefx_pool_health_ratio{environment="sandbox",asset="USDT",tier="RESERVE"} 0.9')
    has('stablefx_pool_balance{environment="live",asset="USDT",tier="RESERVE"} 0')
    has('stablefx_corridor_state{environment="sandbox",corridor="USD-IDR",state="NORMAL"} 1')
    has('stablefx_corridor_state{environment="sandbox",corridor="USD-IDR",state="HALT"} 0')
    has('stablefx_oracle_age_seconds{environment="sandbox",corridor="USD-IDR"} 0')
    has('stablefx_executions{environment="sandbox",corridor="USD-IDR",status="SETTLED"} 1')
    has('stablefx_execution_volume_usd{environment="sandbox",corridor="USD-IDR",status="SETTLED"} 10')
    for (const name of ['stablefx_fee_balance', 'stablefx_webhook_deliveries', 'stablefx_withdrawals'])
      assert.ok(lines.has(`# TYPE ${name} gauge`), name)
  })
})
