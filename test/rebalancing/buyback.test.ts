/**
 * SPEC §8 Phase 2 and the SPEC §6.2 exposure actions over real HTTP: the
 * `phase2` pass buys back the Reserve's bag from three simulated market
 * makers (src/sim/market-makers.ts) or redeems it at the issuer
 * (src/sim/issuer.ts), realising volume × (R_executed − WAOP) on the batch;
 * the operator's emergency RFQ and a VaR breach's one; a VaR warning closes
 * the oldest batch early and buys it back an hour later.
 *
 * Hand-computed figures: a $100,000 USD-IDR batch opened at the mid 16,250
 * (WAOP 16,250). USDT has 6 decimals, IDRX 2.
 */
import assert from 'node:assert/strict'
import { it, type TestContext } from 'node:test'
import type { RiskConfig } from '../../src/config/risk.ts'
import { DEFAULT_RISK_CONFIG } from '../../src/config/risk.ts'
import { poolAccount, prefundedAccount } from '../../src/ledger/accounts.ts'
import { balanceOf } from '../../src/ledger/journal.ts'
import { verifyLedger } from '../../src/ledger/verify.ts'
import { r } from '../../src/money/ratio.ts'
import type { Direction } from '../../src/rebalancing/planner.ts'
import { settleRebalance } from '../../src/rebalancing/settle.ts'
import { movePosition } from '../../src/risk/positions.ts'
import { startIssuerSim } from '../../src/sim/issuer.ts'
import { type MarketMaker, startMarketMaker } from '../../src/sim/market-makers.ts'
import { openApp, ops, T } from '../risk/engine-support.ts'
import { createPartner, setMarket, setPrice, type TestApp, type TestPartner } from '../support/app.ts'
import { describeEachDialect } from '../support/databases.ts'
import { fund } from '../trading/support.ts'

const HOUR = 3_600_000
const USDT = 1_000_000n
const IDRX = 100n

type Counterparty = { mm: MarketMaker; partner: TestPartner }

async function counterparties(t: TestContext, app: TestApp, mid = '16300'): Promise<Counterparty[]> {
  const out: Counterparty[] = []
  for (const [name, spreadBps] of [
    ['MM A', '10'],
    ['MM B', '5'],
    ['MM C', '20'],
  ] as const) {
    const mm = await startMarketMaker({
      name,
      spreadBps,
      mids: { 'USD-IDR': mid },
      nowMs: () => app.clock.now(),
    })
    t.after(() => mm.close())
    const partner = await createPartner(app, {
      name,
      type: 'RFQ_COUNTERPARTY',
      corridors: ['USD-IDR'],
      rfq_url: mm.url,
    })
    mm.config.secret = partner.webhookSecret
    await fund(app, partner, 'IDRX', '5000000000')
    await fund(app, partner, 'USDT', '1000000')
    out.push({ mm, partner })
  }
  return out
}

/** A batch of the bag as Phase 1 leaves it: the Active pools took `usd` of flow, a rebalance moved it to the Reserve. */
async function openBatch(app: TestApp, direction: Direction, usd: string): Promise<string> {
  const { oracle, clocks } = app.stablefx.services
  const rates = oracle.moneyRates('sandbox')
  assert.equal(rates.ok, true)
  if (!rates.ok) throw new Error('no rates')
  const base = BigInt(usd) * USDT * (direction === 'LONG_BASE' ? 1n : -1n)
  return app.store.transaction(async (tx) => {
    const atMs = clocks.sandbox.now()
    await movePosition(
      tx,
      'sandbox',
      'USD-IDR',
      { baseUnits: base, quoteUnits: (-base * 16_250n) / 10_000n },
      atMs,
    )
    const settled = await settleRebalance(tx, {
      environment: 'sandbox',
      corridor: 'USD-IDR',
      direction,
      amountUsd: r(usd),
      rates: rates.value,
      atMs,
      trigger: 'hard',
      emergency: false,
    })
    if (!settled.ok) throw new Error(`rebalance refused: ${JSON.stringify(settled)}`)
    const filled = settled.value.batches.filled
    assert.ok(filled !== undefined)
    return filled.batchId
  })
}

async function batch(app: TestApp, batchId: string) {
  const response = await ops(app, 'GET', '/v1/reserve/batches?environment=sandbox')
  assert.equal(response.statusCode, 200, response.body)
  return (response.json().items as Record<string, unknown>[]).find((b) => b.batch_id === batchId)
}

const reserve = (app: TestApp, asset: 'USDT' | 'IDRX') =>
  balanceOf(app.store, poolAccount('sandbox', asset, 'RESERVE'))
const prefunded = (app: TestApp, asset: 'USDT' | 'IDRX', id: string) =>
  balanceOf(app.store, prefundedAccount('sandbox', asset, id))

describeEachDialect('Phase 2 buy-backs (SPEC §8)', ({ dialect }) => {
  it(
    'a batch past its day is bought back from the best market maker; PnL = volume × (R − WAOP)',
    T,
    async (t) => {
      const app = await openApp(t, dialect, { rebalancer: false })
      await setMarket(app)
      const [a, b, c] = await counterparties(t, app)
      const batchId = await openBatch(app, 'LONG_BASE', '100000')
      const phase2 = app.stablefx.services.phase2

      // Not due yet: nothing is asked.
      const early = await phase2.run('sandbox')
      assert.deepEqual(early.closes, [])
      assert.equal(a?.mm.requests.length, 0)

      app.clock.advance(24 * HOUR)
      await setMarket(app)
      const [usdt, idrx] = [await reserve(app, 'USDT'), await reserve(app, 'IDRX')]
      const bUsdt = await prefunded(app, 'USDT', b?.partner.id as string)
      const pass = await phase2.run('sandbox')
      assert.equal(pass.closes.length, 1)
      const close = pass.closes[0]
      assert.ok(close !== undefined)
      assert.equal(close.status, 'FILLED')
      assert.equal(close.method, 'RFQ')
      assert.equal(close.purpose, 'REBALANCE')
      assert.equal(close.trigger, 'AGE')
      assert.equal(close.volume, '100000')
      // MM B quotes 5 bps under its mid of 16,300 to a seller: 16,291.85, the best of 16,283.70 / 16,291.85 / 16,267.40.
      assert.equal(close.rate, '16291.85')
      assert.deepEqual(close.tranches, [{ counterparty: b?.partner.id, rate: '16291.85', volume: '100000' }])
      // 100,000 × (16,291.85 − 16,250) = 4,185,000 IDR; at 16,250 IDR per USD: $257.538…, shown rounded down.
      assert.equal(close.realised_pnl_usd, '257.53')
      for (const { mm } of [a, b, c] as Counterparty[]) {
        assert.equal(mm.requests.length, 1)
        const body = mm.requests[0] as Record<string, unknown>
        assert.equal(body.purpose, 'REBALANCE')
        assert.equal(body.side, 'SELL')
        assert.equal(body.amount, '100000')
        assert.equal(body.amount_currency, 'USDT')
      }
      // One entry between the Reserve and MM B's prefunded balances.
      assert.equal(await reserve(app, 'USDT'), usdt - 100_000n * USDT)
      assert.equal(await reserve(app, 'IDRX'), idrx + 1_629_185_000n * IDRX)
      assert.equal(await prefunded(app, 'USDT', b?.partner.id as string), bUsdt + 100_000n * USDT)
      const view = await batch(app, batchId)
      assert.equal(view?.status, 'CLOSED')
      assert.equal(view?.open_volume, '0')
      assert.equal(view?.realised_pnl_usd, '257.53')
      assert.equal(view?.closing_id, null)
      const filled = await app.store.kysely
        .selectFrom('events')
        .select('data')
        .where('type', '=', 'rfq.filled')
        .where('partner_id', '=', b?.partner.id as string)
        .execute()
      assert.equal(filled.length, 1)
      assert.equal(JSON.parse(filled[0]?.data as string).execution_id, close.close_id)
      const listed = await ops(app, 'GET', '/v1/reserve/closes?environment=sandbox')
      assert.equal(listed.json().items[0].close_id, close.close_id)
      assert.equal((await verifyLedger(app.store)).violationCount, 0)

      // Nothing left to buy back: the next pass asks nobody.
      await phase2.run('sandbox')
      assert.equal(b?.mm.requests.length, 1)
    },
  )

  it(
    'no acceptable answer: the buy-back fails, the batch is free again and retried after 15 minutes',
    T,
    async (t) => {
      const app = await openApp(t, dialect, { rebalancer: false })
      await setMarket(app)
      // Every market maker quotes 100 bps off the mid: outside the 50 bps band.
      const mms = await counterparties(t, app, '16500')
      const batchId = await openBatch(app, 'LONG_BASE', '100000')
      app.clock.advance(24 * HOUR)
      await setMarket(app)
      const phase2 = app.stablefx.services.phase2
      const pass = await phase2.run('sandbox')
      assert.equal(pass.closes[0]?.status, 'FAILED')
      assert.match(pass.closes[0]?.error ?? '', /^NO_VIABLE_RFQ_QUOTE/)
      assert.equal((await batch(app, batchId))?.closing_id, null)
      assert.equal((await batch(app, batchId))?.status, 'SETTLED_INTERNALLY')
      app.clock.advance(14 * 60_000)
      await setMarket(app)
      assert.deepEqual((await phase2.run('sandbox')).closes, [])
      app.clock.advance(60_000)
      await setMarket(app)
      assert.equal((await phase2.run('sandbox')).closes.length, 1)
      assert.equal(mms[0]?.mm.requests.length, 2)
    },
  )

  it(
    'an issuer-heavy pool is redeemed at the issuer; its completion closes the batch at the redemption rate',
    T,
    async (t) => {
      const app = await openApp(t, dialect, { rebalancer: false })
      await setMarket(app)
      const issuer = await createPartner(app, {
        name: 'IDRX Issuer',
        type: 'ISSUER',
        corridors: [],
        issued_asset: 'IDRX',
      })
      const sim = await startIssuerSim({ asset: 'IDRX' })
      t.after(() => sim.close())
      const patched = await app.admin('PATCH', `/admin/v1/partners/${issuer.id}`, {
        mint_url: sim.mintUrl,
        redeem_url: sim.redeemUrl,
      })
      assert.equal(patched.statusCode, 200, patched.body)
      // SHORT_BASE: the Reserve sold USDT and holds IDRX; the issuer takes the IDRX back and pays USDT.
      const batchId = await openBatch(app, 'SHORT_BASE', '100000')
      app.clock.advance(24 * HOUR)
      await setMarket(app)
      await setPrice(app, 'USD-IDR', '16100')
      const [usdt, idrx] = [await reserve(app, 'USDT'), await reserve(app, 'IDRX')]
      const pass = await app.stablefx.services.phase2.run('sandbox')
      const close = pass.closes[0]
      assert.equal(close?.method, 'ISSUER_REDEEM')
      assert.equal(close?.status, 'PENDING')
      assert.equal((await batch(app, batchId))?.closing_id, close?.close_id)
      const sent = JSON.parse(sim.received[0]?.body as string)
      // 100,000 USDT at 16,100: 1,610,000,000 IDRX redeemed for 100,000 USDT.
      assert.deepEqual(
        { asset: sent.asset, amount: sent.amount, pay_with: sent.pay_with },
        { asset: 'IDRX', amount: '1610000000', pay_with: { asset: 'USDT', amount: '100000' } },
      )
      const completed = await app.inject({
        method: 'POST',
        url: `/v1/issuer/redeems/${sim.received[0]?.id}/complete`,
        headers: issuer.headers(),
        payload: { tx_hash: `0x${'cd'.repeat(32)}` },
      })
      assert.equal(completed.statusCode, 200, completed.body)
      assert.equal(await reserve(app, 'USDT'), usdt + 100_000n * USDT)
      assert.equal(await reserve(app, 'IDRX'), idrx - 1_610_000_000n * IDRX)
      const listed = (await ops(app, 'GET', '/v1/reserve/closes?environment=sandbox')).json().items[0]
      assert.equal(listed.status, 'FILLED')
      assert.equal(listed.rate, '16100')
      // SHORT_BASE: 100,000 × (16,250 − 16,100) = 15,000,000 IDR; at 16,100 IDR per USD: $931.677…
      assert.equal(listed.realised_pnl_usd, '931.67')
      const view = await batch(app, batchId)
      assert.equal(view?.status, 'CLOSED')
      assert.equal(view?.realised_pnl_usd, '931.67')
      assert.equal((await verifyLedger(app.store)).violationCount, 0)
    },
  )

  it(
    'an issuer that completes at once, before its 202 is read: the batch still closes, once',
    T,
    async (t) => {
      const app = await openApp(t, dialect, { rebalancer: false })
      await setMarket(app)
      const issuer = await createPartner(app, {
        name: 'Fast IDRX Issuer',
        type: 'ISSUER',
        corridors: [],
        issued_asset: 'IDRX',
      })
      const sim = await startIssuerSim({
        asset: 'IDRX',
        callback: {
          baseUrl: await app.stablefx.app.listen({ port: 0, host: '127.0.0.1' }),
          apiKey: issuer.sandboxKey,
          partnerId: issuer.id,
          delayMs: 0,
        },
      })
      t.after(() => sim.close())
      await app.admin('PATCH', `/admin/v1/partners/${issuer.id}`, { redeem_url: sim.redeemUrl })
      const batchId = await openBatch(app, 'SHORT_BASE', '100000')
      app.clock.advance(24 * HOUR)
      await setMarket(app)
      const pass = await app.stablefx.services.phase2.run('sandbox')
      await sim.settled()
      assert.equal(pass.closes.length, 1)
      const listed = (await ops(app, 'GET', '/v1/reserve/closes?environment=sandbox')).json().items
      assert.equal(listed.length, 1)
      assert.equal(listed[0].status, 'FILLED')
      assert.equal(listed[0].rate, '16250')
      assert.equal(listed[0].realised_pnl_usd, '0')
      assert.equal((await batch(app, batchId))?.status, 'CLOSED')
      // Nothing left: the next pass (and the stale-claim sweep a day later) buys nothing back again.
      app.clock.advance(25 * HOUR)
      await setMarket(app)
      assert.deepEqual((await app.stablefx.services.phase2.run('sandbox')).closes, [])
      assert.equal(sim.received.length, 1)
    },
  )
})

/** VaR counts for more: a small bag is already a warning (5% → 0.05%) or a breach (10% → 0.1%) of reserve capital. */
function touchyRisk(warn: string, breach: string): RiskConfig {
  return {
    ...DEFAULT_RISK_CONFIG,
    exposure: {
      ...DEFAULT_RISK_CONFIG.exposure,
      varWarnAtPctOfCapital: r(warn),
      varBreachAtPctOfCapital: r(breach),
    },
  }
}

describeEachDialect('exposure actions (SPEC §6.2) and the emergency RFQ (SPEC §13)', ({ dialect }) => {
  it('the operator buys back a part of the bag now; audited; shown as last_emergency_rfq', T, async (t) => {
    const app = await openApp(t, dialect, { rebalancer: false })
    await setMarket(app)
    const [, b] = await counterparties(t, app)
    const first = await openBatch(app, 'LONG_BASE', '60000')
    app.clock.advance(HOUR + 1_000)
    await setMarket(app)
    const second = await openBatch(app, 'LONG_BASE', '40000')
    const none = await ops(app, 'POST', '/v1/reserve/emergency-rfq', {
      corridor: 'USD-SGD',
      environment: 'sandbox',
    })
    assert.equal(none.statusCode, 409, none.body)
    assert.equal(none.json().error.code, 'CONFLICT')
    const bad = await ops(app, 'POST', '/v1/reserve/emergency-rfq', { corridor: 'USD-IDR', amount: '-1' })
    assert.equal(bad.statusCode, 400, bad.body)

    const response = await ops(app, 'POST', '/v1/reserve/emergency-rfq', {
      corridor: 'USD-IDR',
      amount: '80000',
      environment: 'sandbox',
    })
    assert.equal(response.statusCode, 200, response.body)
    const close = response.json()
    assert.equal(close.purpose, 'EMERGENCY')
    assert.equal(close.trigger, 'OPERATOR')
    assert.equal(close.status, 'FILLED')
    assert.equal(close.volume, '80000')
    // Oldest first: all 60,000 of the first batch, 20,000 of the second.
    assert.deepEqual(close.batches, [
      { batch_id: first, volume: '60000' },
      { batch_id: second, volume: '20000' },
    ])
    assert.equal(close.tranches[0].counterparty, b?.partner.id)
    assert.equal(b?.mm.requests[0]?.purpose, 'EMERGENCY')
    // 80,000 × 41.85 = 3,348,000 IDR at 16,250: $206.030…
    assert.equal(close.realised_pnl_usd, '206.03')
    assert.equal((await batch(app, first))?.status, 'CLOSED')
    const rest = await batch(app, second)
    assert.equal(rest?.status, 'SETTLED_INTERNALLY')
    assert.equal(rest?.open_volume, '20000')
    const status = (await ops(app, 'GET', '/v1/reserve/risk-status?environment=sandbox')).json()
    assert.equal(status.last_emergency_rfq.close_id, close.close_id)
    assert.equal(status.last_emergency_rfq.status, 'FILLED')
    assert.equal(status.corridors['USD-IDR'].inventory_units, '20000')
    const audit = await app.store.kysely
      .selectFrom('audit_log')
      .select(['action', 'target_id'])
      .where('action', '=', 'reserve.emergency_rfq')
      .orderBy('id')
      .execute()
    assert.deepEqual(audit, [
      { action: 'reserve.emergency_rfq', target_id: 'USD-SGD' },
      { action: 'reserve.emergency_rfq', target_id: 'USD-IDR' },
    ])
    assert.equal((await verifyLedger(app.store)).violationCount, 0)
  })

  it('a VaR breach sends an emergency RFQ for the largest bag at once', T, async (t) => {
    const app = await openApp(t, dialect, { rebalancer: false, riskConfig: touchyRisk('0.0005', '0.001') })
    await setMarket(app)
    const [a] = await counterparties(t, app)
    const batchId = await openBatch(app, 'LONG_BASE', '100000')
    const pass = await app.stablefx.services.phase2.run('sandbox')
    assert.equal(pass.closes.length, 1)
    assert.equal(pass.closes[0]?.trigger, 'VAR_BREACH')
    assert.equal(pass.closes[0]?.purpose, 'EMERGENCY')
    assert.equal(pass.closes[0]?.status, 'FILLED')
    assert.equal(a?.mm.requests[0]?.purpose, 'EMERGENCY')
    assert.equal((await batch(app, batchId))?.status, 'CLOSED')
  })

  it('a VaR warning closes the oldest batch early and buys it back in the 1–4 h window', T, async (t) => {
    const app = await openApp(t, dialect, { rebalancer: false, riskConfig: touchyRisk('0.0005', '50') })
    await setMarket(app)
    const [a] = await counterparties(t, app)
    const oldest = await openBatch(app, 'LONG_BASE', '100000')
    const phase2 = app.stablefx.services.phase2
    const pass = await phase2.run('sandbox')
    assert.deepEqual(pass.closes, [])
    assert.equal(pass.closeEarly?.batchId, oldest)
    const view = await batch(app, oldest)
    assert.equal(view?.status, 'SETTLED_INTERNALLY')
    assert.equal(
      view?.close_due_at,
      new Date(app.stablefx.services.clocks.sandbox.now() + HOUR).toISOString(),
    )
    // Scheduled once: the next pass inside the hour does nothing more.
    assert.equal((await phase2.run('sandbox')).closeEarly, null)
    app.clock.advance(HOUR)
    await setMarket(app)
    const due = await phase2.run('sandbox')
    assert.equal(due.closes[0]?.trigger, 'VAR_WARNING')
    assert.equal(due.closes[0]?.purpose, 'REBALANCE')
    assert.equal(due.closes[0]?.status, 'FILLED')
    assert.equal(a?.mm.requests.length, 1)
  })
})
