/**
 * SPEC §15 "Firm quotes" (issue 9 item 8): a firm quote is not free.
 * Open quotes count toward exposure only up to what their partner could
 * execute; a partner holds at most PRICING.openFirmQuotesPerPartner open
 * quotes; execution refuses a quote whose mid moved against the pool beyond
 * PRICING.executionMidToleranceBps since quoting.
 */
import assert from 'node:assert/strict'
import { it } from 'node:test'
import { PRICING } from '../../src/config/pricing.ts'
import { corridorState, openApp, ops, settleRisk, T } from '../risk/engine-support.ts'
import { createPartner, setMarket, setPrice, T0, type TestApp, type TestPartner } from '../support/app.ts'
import { describeEachDialect } from '../support/databases.ts'
import { ADDRESS, advanceSandbox, execute, expectError, firmQuote, fund, quoteOk } from './support.ts'

async function usdIdrExposure(app: TestApp) {
  const response = await ops(app, 'GET', '/v1/reserve/risk-status?environment=sandbox')
  assert.equal(response.statusCode, 200, response.body)
  const c = response.json().corridors['USD-IDR']
  return { gross: c.gross_exposure_usd, concentration: c.concentration_pct }
}

/** `count` partners, each funded with `usdt` (none when undefined), each taking one $49,000 USD-IDR SELL quote. */
async function quotesOf49k(app: TestApp, count: number, usdt: string | undefined) {
  const answers: { status: number; code?: string }[] = []
  for (let i = 0; i < count; i++) {
    const partner = await createPartner(app, { name: `Quoter ${i}` })
    if (usdt !== undefined) await fund(app, partner, 'USDT', usdt)
    const response = await firmQuote(app, partner, { pair: 'USD-IDR', side: 'SELL', amount: '49000' })
    answers.push({
      status: response.statusCode,
      ...(response.statusCode === 200 ? {} : { code: response.json().error.code }),
    })
    await settleRisk(app)
  }
  return answers
}

describeEachDialect('firm quotes are not free', ({ dialect }) => {
  it('20 unfunded partners’ $49,000 quotes leave USD-IDR NORMAL and count nothing', T, async (t) => {
    const app = await openApp(t, dialect)
    await setMarket(app)
    const partner = await createPartner(app)
    const answers = await quotesOf49k(app, 20, undefined)
    assert.deepEqual(
      answers,
      Array.from({ length: 20 }, () => ({ status: 200 })),
    )
    assert.deepEqual(await usdIdrExposure(app), { gross: '0', concentration: '0' })
    const state = await corridorState(app, partner, 'USD-IDR')
    assert.equal(state.state, 'NORMAL')
    assert.equal(state.max_size, '50000')
  })

  it(
    'the same quotes from funded partners count in full: PROTECT once they pass 10 % of reserve capital',
    T,
    async (t) => {
      const app = await openApp(t, dialect)
      await setMarket(app)
      const partner = await createPartner(app)
      // Reserve capital $9,000,000 (genesis: 90 % of every Reserve target); the concentration warning counts once
      // gross exposure reaches 10 % of it ($900,000): the 19th quote brings $931,000, 100 % in USD-IDR → PROTECT,
      // which halves the max size to $25,000, so the 20th $49,000 quote is refused.
      const answers = await quotesOf49k(app, 20, '49000')
      assert.deepEqual(answers, [
        ...Array.from({ length: 19 }, () => ({ status: 200 })),
        { status: 400, code: 'ABOVE_MAX_TRANSACTION_SIZE' },
      ])
      assert.deepEqual(await usdIdrExposure(app), { gross: '931000', concentration: '100' })
      const state = await corridorState(app, partner, 'USD-IDR')
      assert.equal(state.state, 'PROTECT')
      assert.equal(state.max_size, '25000')
    },
  )

  it('a partly funded partner counts up to its balance', T, async (t) => {
    const app = await openApp(t, dialect)
    await setMarket(app)
    const partner = await createPartner(app)
    await fund(app, partner, 'USDT', '1234.5')
    await quoteOk(app, partner, { pair: 'USD-IDR', side: 'SELL', amount: '49000' })
    await quoteOk(app, partner, { pair: 'USD-IDR', side: 'SELL', amount: '49000' })
    assert.deepEqual(await usdIdrExposure(app), { gross: '1234.5', concentration: '100' })
  })

  it(`a partner holds at most ${PRICING.openFirmQuotesPerPartner} open firm quotes`, T, async (t) => {
    const app = await openApp(t, dialect)
    await setMarket(app)
    const partner = await createPartner(app)
    await fund(app, partner, 'USDT', '10')
    const quotes: string[] = []
    for (let i = 0; i < 100; i++)
      quotes.push((await quoteOk(app, partner, { pair: 'USD-IDR', side: 'SELL', amount: '10' })).quote_id)
    const refused = await firmQuote(app, partner, { pair: 'USD-IDR', side: 'BUY', amount: '162500' })
    const error = expectError(refused, 422, 'OPEN_QUOTE_LIMIT_EXCEEDED', 'USD-IDR')
    assert.equal(
      error.message,
      `100 firm quotes are open, the most one partner may hold is 100: execute one or let one expire (the next expires at ${new Date(T0 + 45_000).toISOString()})`,
    )
    // Another partner is not affected.
    await quoteOk(app, await createPartner(app, { name: 'Other' }), {
      pair: 'USD-IDR',
      side: 'SELL',
      amount: '10',
    })
    // Executing one frees its place.
    const executed = await execute(app, partner, { quote_id: quotes[0], destination_address: ADDRESS })
    assert.equal(executed.statusCode, 200, executed.body)
    await quoteOk(app, partner, { pair: 'USD-IDR', side: 'SELL', amount: '10' })
    expectError(
      await firmQuote(app, partner, { pair: 'USD-IDR', side: 'SELL', amount: '10' }),
      422,
      'OPEN_QUOTE_LIMIT_EXCEEDED',
      'USD-IDR',
    )
    // Expiry frees them all.
    await advanceSandbox(app, 45)
    await setMarket(app)
    await quoteOk(app, partner, { pair: 'USD-IDR', side: 'SELL', amount: '10' })
  })

  it('32 concurrent quote-and-execute clients of one partner are never capped', T, async (t) => {
    const app = await openApp(t, dialect)
    await setMarket(app)
    const partner = await createPartner(app)
    await fund(app, partner, 'USDT', '10000')
    await fund(app, partner, 'IDRX', '20000000')
    const client = async (id: number) => {
      for (let round = 0; round < 3; round++) {
        const body =
          (id + round) % 2 === 0
            ? { pair: 'USD-IDR', side: 'SELL', amount: '20' }
            : { pair: 'USD-IDR', side: 'BUY', amount: '325000' }
        const quote = await quoteOk(app, partner, body)
        const executed = await execute(app, partner, {
          quote_id: quote.quote_id,
          destination_address: ADDRESS,
        })
        assert.equal(executed.statusCode, 200, executed.body)
      }
    }
    await Promise.all(Array.from({ length: 32 }, (_, i) => client(i)))
  })
})

describeEachDialect('execution refuses a quote whose mid moved against the pool', ({ dialect }) => {
  /** A funded partner's $1,000 USD-IDR quote on one side, at the market mid of 16,250. */
  async function quoted(
    app: TestApp,
    side: 'SELL' | 'BUY',
  ): Promise<{ partner: TestPartner; quote: Record<string, string> }> {
    const partner = await createPartner(app)
    await fund(app, partner, 'USDT', '1000')
    await fund(app, partner, 'IDRX', '16250000')
    const body =
      side === 'SELL'
        ? { pair: 'USD-IDR', side, amount: '1000' }
        : { pair: 'USD-IDR', side, amount: '16250000' }
    const quote = await quoteOk(app, partner, body)
    assert.equal(quote.mid, '16250')
    return { partner, quote }
  }

  const cases: [string, 'SELL' | 'BUY', string, number | undefined][] = [
    // SELL is paid IDR at the quoted bid: a mid 20 bps lower (16,217.5) makes that bid a gift.
    ['SELL, mid 20 bps down (partner’s favour): refused', 'SELL', '16217.5', 409],
    ['SELL, mid 20 bps up (pool’s favour): executes', 'SELL', '16282.5', undefined],
    // BUY is paid USD at the quoted ask: a mid 20 bps higher makes that ask cheap.
    ['BUY, mid 20 bps up (partner’s favour): refused', 'BUY', '16282.5', 409],
    ['BUY, mid 20 bps down (pool’s favour): executes', 'BUY', '16217.5', undefined],
    ['SELL, mid 10 bps down (the tolerance): executes', 'SELL', '16233.75', undefined],
  ]
  for (const [name, side, moved, status] of cases) {
    it(name, T, async (t) => {
      const app = await openApp(t, dialect)
      await setMarket(app)
      const { partner, quote } = await quoted(app, side)
      await setPrice(app, 'USD-IDR', moved)
      const response = await execute(app, partner, { quote_id: quote.quote_id, destination_address: ADDRESS })
      if (status === undefined) {
        assert.equal(response.statusCode, 200, response.body)
        assert.equal(response.json().status, 'SETTLED')
        assert.equal(response.json().destination_amount, quote.destination_amount)
        return
      }
      const error = expectError(response, status, 'QUOTE_STALE_PRICE', 'USD-IDR')
      assert.equal(
        error.message,
        `the USD-IDR mid moved 20 bps against the pool since this ${side} quote (16250 → ${moved}), beyond the 10 bps tolerance: request a new quote`,
      )
      // Nothing moved: the quote stays open and the partner keeps its funds.
      const again = await execute(app, partner, { quote_id: quote.quote_id, destination_address: ADDRESS })
      expectError(again, 409, 'QUOTE_STALE_PRICE', 'USD-IDR')
    })
  }
})
