/**
 * Issue 11 figures: RFQ round-trip p50/p99 with three simulated market makers
 * over real HTTP on 127.0.0.1 (answering at once). Reported, not asserted:
 * the assertions are only that every round trip found a quote.
 */
import assert from 'node:assert/strict'
import { after, before, it } from 'node:test'
import { ASSETS } from '../../src/config/assets.ts'
import { r } from '../../src/money/ratio.ts'
import { createRfqService } from '../../src/rfq/service.ts'
import { type MarketMaker, startMarketMaker } from '../../src/sim/market-makers.ts'
import { createPartner, createTestApp, setMarket, type TestApp, type TestPartner } from '../support/app.ts'
import { describeEachDialect } from '../support/databases.ts'
import { fund, quoteOk } from '../trading/support.ts'

const T = { timeout: 30_000 }
const ROUNDS = 100

function percentile(sorted: number[], p: number): string {
  return (sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)] as number).toFixed(1)
}

describeEachDialect('RFQ round trip with three simulated counterparties', ({ store, dialect }) => {
  let app: TestApp
  let taker: TestPartner
  const makers: MarketMaker[] = []

  before(async () => {
    app = await createTestApp(store())
    await setMarket(app)
    taker = await createPartner(app, {
      name: 'Big Ramp',
      limits: { daily_per_corridor_usd: '100000000', monthly_usd: '100000000' },
    })
    for (const spreadBps of ['5', '10', '20']) {
      const mm = await startMarketMaker({
        name: `mm${spreadBps}`,
        spreadBps,
        latencyMs: 0,
        nowMs: () => app.clock.now(),
      })
      const partner = await createPartner(app, {
        name: `MM ${spreadBps}`,
        type: 'RFQ_COUNTERPARTY',
        corridors: ['USD-IDR'],
        rfq_url: mm.url,
      })
      mm.config.secret = partner.webhookSecret
      await fund(app, partner, 'IDRX', '10000000000')
      makers.push(mm)
    }
  })
  after(async () => {
    await Promise.all(makers.map((mm) => mm.close()))
    await app.close()
  })

  it(`${ROUNDS} RFQs (fan-out, signed, selection) and 50 EXTERNAL_RFQ firm quotes`, T, async (t) => {
    const rfq = createRfqService({ store: store(), wallClockMs: () => app.clock.now() })
    const rfqMs: number[] = []
    for (let i = 0; i < ROUNDS; i++) {
      const started = performance.now()
      const order = await rfq.request({
        environment: 'sandbox',
        corridor: 'USD-IDR',
        side: 'SELL',
        source: ASSETS.USDT,
        destination: ASSETS.IDRX,
        size: { kind: 'source', minor: 100_000_000_000n },
        sizeUsd: r('100000'),
        mid: r('16250'),
        purpose: 'CLIENT_ORDER',
        nowMs: app.clock.now(),
      })
      rfqMs.push(performance.now() - started)
      assert.equal(order.ok, true)
    }
    const quoteMs: number[] = []
    for (let i = 0; i < 50; i++) {
      const started = performance.now()
      const quote = await quoteOk(app, taker, { pair: 'USD-IDR', side: 'SELL', amount: '100000' })
      quoteMs.push(performance.now() - started)
      assert.equal(quote.execution_path, 'EXTERNAL_RFQ')
    }
    rfqMs.sort((a, b) => a - b)
    quoteMs.sort((a, b) => a - b)
    const figures =
      `[${dialect}] RFQ round trip, 3 counterparties: p50 ${percentile(rfqMs, 50)} ms, p99 ${percentile(rfqMs, 99)} ms; ` +
      `EXTERNAL_RFQ firm quote (HTTP inject): p50 ${percentile(quoteMs, 50)} ms, p99 ${percentile(quoteMs, 99)} ms`
    t.diagnostic(figures)
    process.stdout.write(`# ${figures}\n`)
  })
})
