/**
 * Indicative and firm quotes through HTTP (SPEC §3, §4, §5): every field the
 * SPEC lists, worked numbers computed by hand, rate sources, the alias path,
 * and fixed-receive quotes. Nothing here executes, so the Active pools stay
 * at their first-start levels (USDT $1,000,000, IDRX $500,000).
 */
import assert from 'node:assert/strict'
import { after, before, beforeEach, it } from 'node:test'
import { parseDecimal } from '../../src/money/decimal.ts'
import {
  createPartner,
  createTestApp,
  recover,
  setMarket,
  setPrice,
  type TestApp,
  type TestPartner,
} from '../support/app.ts'
import { describeEachDialect } from '../support/databases.ts'
import { advanceSandbox, countQuotes, firmQuote, get, post, quoteOk } from './support.ts'

const T = { timeout: 10_000 }
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/** Whole smallest units of a decimal string (asserting it parses). */
function minor(text: string, decimals: number): bigint {
  const parsed = parseDecimal(text, decimals)
  assert.ok(parsed.ok, `${text} is not a ${decimals}-decimal amount`)
  return parsed.minor
}

/** A decimal rate string as an exact fraction. */
function fraction(text: string): { num: bigint; den: bigint } {
  const [whole, frac = ''] = text.split('.')
  return { num: BigInt(`${whole}${frac}`), den: 10n ** BigInt(frac.length) }
}

describeEachDialect('quotes over HTTP', ({ store }) => {
  let app: TestApp
  let partner: TestPartner
  before(async () => {
    app = await createTestApp(store())
    partner = await createPartner(app)
  })
  after(() => app.close())
  beforeEach(() => setMarket(app))

  async function sandboxNow(): Promise<string> {
    const response = await app.admin('GET', '/admin/v1/sandbox/clock')
    assert.equal(response.statusCode, 200)
    return response.json().now
  }

  it('an indicative quote carries every SPEC §3 field and writes nothing', T, async () => {
    const fresh = await createPartner(app, { name: 'Indicative only' })
    const now = await sandboxNow()
    const sell = await get(app, fresh, '/v1/quote?pair=USD-IDR&side=SELL&amount=5000')
    assert.equal(sell.statusCode, 200, sell.body)
    // Worked below (the firm quote test): bid = 16250 × (1 − 4.1 bps / 2) = 16246.66875.
    assert.deepEqual(sell.json(), {
      pair: 'USD-IDR',
      side: 'SELL',
      amount: '5000',
      indicative_rate: '16246.66875',
      mid: '16250',
      spread_bps: '4.1',
      state_flag: 'NORMAL',
      timestamp: now,
      quote_type: 'INDICATIVE',
    })
    const buy = await get(app, fresh, '/v1/quote?pair=USD-IDR&side=BUY&amount=1625000')
    assert.equal(buy.statusCode, 200, buy.body)
    // BUY pays IDRX at the ask: $100 against the $1,000,000 USDT pool adds 0.001 bps of liquidity spread.
    assert.deepEqual(buy.json(), {
      pair: 'USD-IDR',
      side: 'BUY',
      amount: '1625000',
      indicative_rate: '16253.2508125',
      mid: '16250',
      spread_bps: '4.001',
      state_flag: 'NORMAL',
      timestamp: now,
      quote_type: 'INDICATIVE',
    })
    assert.equal(await countQuotes(app, fresh.id), 0)
  })

  it(
    'a firm quote: every SPEC §3 field, worked by hand for USD-IDR SELL 5000 USDT at mid 16250',
    T,
    async () => {
      // Pools on target (IR = 0): no skew, adjusted mid = mid. No mid move: no volatility add-on.
      // $5,000 is the SMALL tier (SPEC §5): fixed 10,000 IDR, 5 bips, base spread 4 bps (USD-IDR).
      // Liquidity add-on: 10 bps × 5,000 / 500,000 (IDRX Active, in USD) = 0.1 bps. Total 4.1 bps.
      // bid = 16250 × (1 − 0.000205) = 16246.66875; ask = 16250 × (1 + 0.000205) = 16253.33125.
      // gross = 5000 × 16246.66875 = 81,233,343.75 IDRX; variable = 5 bips of it = 40,616.671875 → 40,616.68 (up);
      // net = 81,233,343.75 − 40,616.68 − 10,000 = 81,182,727.07.
      const now = await sandboxNow()
      const response = await firmQuote(app, partner, {
        pair: 'USD-IDR',
        side: 'SELL',
        amount: '5000',
        client_ref: 'order-42',
      })
      assert.equal(response.statusCode, 200, response.body)
      const quote = response.json()
      assert.match(quote.quote_id, UUID)
      assert.deepEqual(quote, {
        quote_id: quote.quote_id,
        pair: 'USD-IDR',
        side: 'SELL',
        source_asset: 'USDT',
        destination_asset: 'IDRX',
        amount: '5000',
        destination_amount: '81182727.07',
        bid: '16246.66875',
        ask: '16253.33125',
        adjusted_mid: '16250',
        mid: '16250',
        rate: '16246.66875',
        spread_bps: '4.1',
        expiry_timestamp: new Date(Date.parse(now) + 45_000).toISOString(),
        max_size: '50000',
        max_size_currency: 'USD',
        allowed_direction: 'BOTH',
        state_flag: 'NORMAL',
        quote_type: 'FIRM',
        execution_path: 'DIRECT',
        rate_source: 'DIRECT',
        fee_breakdown: {
          tier: 'SMALL',
          fixed_fee: '10000',
          fixed_fee_currency: 'IDRX',
          variable_fee: '40616.68',
          variable_fee_bips: '5',
          base_spread_bps: '4',
          volatility_bps: '0',
          liquidity_bps: '0.1',
          inventory_skew_bps: '0',
          total_fee: '50616.68',
        },
        client_ref: 'order-42',
        timestamp: now,
      })
      const row = await store()
        .kysely.selectFrom('quotes')
        .selectAll()
        .where('id', '=', quote.quote_id)
        .executeTakeFirstOrThrow()
      assert.equal(row.status, 'OPEN')
      assert.equal(row.partner_id, partner.id)
      assert.equal(row.environment, 'sandbox')
      assert.equal(BigInt(row.source_amount), 5_000_000_000n)
      assert.equal(BigInt(row.expires_at) - BigInt(row.created_at), 45_000n)
    },
  )

  it(
    'a firm BUY is priced at the ask, with the fixed fee converted into the destination asset',
    T,
    async () => {
      // $100 is MICRO: USD-IDR's fixed fee is 10,000 IDR (SPEC §5) and [ours] 8 bips.
      // Spread 4 + 10 × 100 / 1,000,000 (USDT Active) = 4.001 bps.
      // ask = 16250 × (1 + 0.00020005) = 16253.2508125; gross = 1,625,000 / ask = 99.979999 USDT (down);
      // variable = 8 bips = 0.0799839992 → 0.079984 (up); fixed = 10,000 / 16,250 = 0.615384… → 0.615385 (up);
      // net = 99.979999 − 0.079984 − 0.615385 = 99.28463.
      const quote = await quoteOk(app, partner, { pair: 'USD-IDR', side: 'BUY', amount: '1625000' })
      assert.equal(quote.source_asset, 'IDRX')
      assert.equal(quote.destination_asset, 'USDT')
      assert.equal(quote.amount, '1625000')
      assert.equal(quote.bid, '16246.7491875')
      assert.equal(quote.ask, '16253.2508125')
      assert.equal(quote.rate, quote.ask)
      assert.equal(quote.destination_amount, '99.28463')
      assert.deepEqual(quote.fee_breakdown, {
        tier: 'MICRO',
        fixed_fee: '0.615385',
        fixed_fee_currency: 'USDT',
        variable_fee: '0.079984',
        variable_fee_bips: '8',
        base_spread_bps: '4',
        volatility_bps: '0',
        liquidity_bps: '0.001',
        inventory_skew_bps: '0',
        total_fee: '0.695369',
      })
      // The USDT Active pool is the destination: 10% of $1,000,000, capped at $200,000 → $100,000.
      assert.equal(quote.max_size, '100000')
    },
  )

  it('bid < adjusted mid < ask, and rate is the side’s rate, on every corridor', T, async () => {
    const cases = [
      { pair: 'USD-IDR', side: 'SELL', amount: '250' },
      { pair: 'USD-IDR', side: 'BUY', amount: '5000000' },
      { pair: 'USD-SGD', side: 'SELL', amount: '250' },
      { pair: 'USD-SGD', side: 'BUY', amount: '300' },
      { pair: 'MYR-IDR', side: 'SELL', amount: '1000' },
      { pair: 'MYR-IDR', side: 'BUY', amount: '4000000' },
    ]
    for (const body of cases) {
      const quote = await quoteOk(app, partner, body)
      const value = (field: string) => {
        const f = fraction(quote[field])
        return (f.num * 10n ** 12n) / f.den
      }
      assert.ok(value('bid') < value('adjusted_mid'), `${body.pair} ${body.side}`)
      assert.ok(value('adjusted_mid') < value('ask'), `${body.pair} ${body.side}`)
      assert.equal(quote.rate, body.side === 'SELL' ? quote.bid : quote.ask)
      assert.equal(quote.state_flag, 'NORMAL')
      assert.equal(quote.allowed_direction, 'BOTH')
      assert.equal(quote.quote_type, 'FIRM')
      assert.equal(quote.execution_path, 'DIRECT')
      assert.equal(quote.rate_source, 'DIRECT')
      for (const amount of [quote.amount, quote.destination_amount, ...Object.values(quote.fee_breakdown)]) {
        assert.equal(typeof amount, 'string')
      }
    }
  })

  it('expiry is 45 s after the timestamp on the sandbox clock, wherever that clock is', T, async () => {
    await advanceSandbox(app, 3600)
    await setMarket(app)
    const now = await sandboxNow()
    const quote = await quoteOk(app, partner, { pair: 'USD-SGD', side: 'SELL', amount: '100' })
    assert.equal(quote.timestamp, now)
    assert.equal(Date.parse(quote.expiry_timestamp) - Date.parse(quote.timestamp), 45_000)
    // The live clock did not move with the sandbox one.
    assert.ok(Date.parse(quote.timestamp) - app.clock.now() >= 3_600_000)
  })

  it('MYR-IDR is DIRECT on its own feed, SYNTHETIC through USD when that feed is stale', T, async () => {
    const direct = await quoteOk(app, partner, { pair: 'MYR-IDR', side: 'SELL', amount: '100' })
    assert.equal(direct.rate_source, 'DIRECT')
    assert.equal(direct.mid, '3869.04761905')
    // MYR-IDR goes stale after 15 s (SPEC §6.2); both USD legs are refreshed and stay clean.
    app.clock.advance(16_000)
    await setPrice(app, 'USD-IDR', '16250')
    await setPrice(app, 'USD-MYR', '4.2')
    // Until refreshed the legs were 16 s old, 80% of their 20 s max age: near the limit → PROTECT
    // (SPEC §6.2), at once (SPEC §6.1). Back to NORMAL takes a recovery evaluation (SPEC §6.3).
    await recover(app)
    const synthetic = await quoteOk(app, partner, { pair: 'MYR-IDR', side: 'SELL', amount: '100' })
    assert.equal(synthetic.rate_source, 'SYNTHETIC')
    // 16250 / 4.2 = 3869.047619047…, shown to 8 digits rounded down.
    assert.equal(synthetic.mid, '3869.04761904')
    assert.equal(synthetic.state_flag, 'NORMAL')
    assert.equal(synthetic.allowed_direction, 'BOTH')
    const indicative = await get(app, partner, '/v1/quote?pair=MYR-IDR&side=BUY&amount=1000000')
    assert.equal(indicative.statusCode, 200, indicative.body)
    assert.equal(indicative.json().mid, '3869.04761904')
  })

  it('POST /v1/firm-quote is the same firm quote as POST /v1/quote', T, async () => {
    const body = { pair: 'USD-IDR', side: 'SELL', amount: '5000' }
    const viaQuote = await quoteOk(app, partner, body)
    const alias = await post(app, partner, '/v1/firm-quote', body)
    assert.equal(alias.statusCode, 200, alias.body)
    const viaAlias = alias.json()
    assert.notEqual(viaAlias.quote_id, viaQuote.quote_id)
    const strip = (q: Record<string, unknown>) => ({
      ...q,
      quote_id: undefined,
      timestamp: undefined,
      expiry_timestamp: undefined,
    })
    assert.deepEqual(strip(viaAlias), strip(viaQuote))
    const row = await store()
      .kysely.selectFrom('quotes')
      .select('status')
      .where('id', '=', viaAlias.quote_id)
      .executeTakeFirst()
    assert.equal(row?.status, 'OPEN')
  })

  it('accepts an exact JSON number as the amount', T, async () => {
    const response = await firmQuote(app, partner, '{"pair":"USD-IDR","side":"SELL","amount":5000}')
    assert.equal(response.statusCode, 200, response.body)
    assert.equal(response.json().amount, '5000')
    assert.equal(response.json().destination_amount, '81182727.07')
  })

  const fixedReceive: [string, string, string, number, number][] = [
    // [pair, side, destination_amount, source decimals, destination decimals]
    ['USD-IDR', 'SELL', '1000000', 6, 2],
    ['USD-IDR', 'SELL', '81182727.07', 6, 2],
    ['USD-IDR', 'BUY', '250.5', 2, 6],
    ['MYR-IDR', 'BUY', '1000', 2, 18],
    ['USD-SGD', 'SELL', '13000', 6, 6],
  ]
  it('fixed-receive, worked by hand: USD-IDR SELL for 1,000,000 IDRX', T, async () => {
    // Sized by the amount named: $61.538… → MICRO (10,000 IDR fixed, 8 bips), liquidity 0.00123077 bps.
    // bid = 16250 × (1 − 4.00123077 bps / 2) = 16246.749 (down). 62.216057 USDT gives gross
    // 1,010,808.66, variable 808.65 (up), net 1,000,000.01; 62.216056 USDT would net 999,999.99.
    const quote = await quoteOk(app, partner, {
      pair: 'USD-IDR',
      side: 'SELL',
      destination_amount: '1000000',
    })
    assert.equal(quote.amount, '62.216057')
    assert.equal(quote.destination_amount, '1000000.01')
    assert.equal(quote.bid, '16246.749')
    assert.equal(quote.fee_breakdown.tier, 'MICRO')
    assert.equal(quote.fee_breakdown.variable_fee, '808.65')
    assert.equal(quote.fee_breakdown.fixed_fee, '10000')
  })

  for (const [pair, side, wanted, sourceDecimals, destinationDecimals] of fixedReceive) {
    it(
      `fixed-receive ${pair} ${side} ${wanted}: at least the amount asked, for the least source`,
      T,
      async () => {
        const quote = await quoteOk(app, partner, { pair, side, destination_amount: wanted })
        const source = minor(quote.amount, sourceDecimals)
        const received = minor(quote.destination_amount, destinationDecimals)
        const asked = minor(wanted, destinationDecimals)
        assert.ok(received >= asked, `${quote.destination_amount} < ${wanted}`)
        // One smallest unit less of source, at the quote's own rate and fees, falls short (SPEC §5 rounding).
        const rate = fraction(quote.rate)
        const scale = 10n ** BigInt(destinationDecimals)
        const unit = 10n ** BigInt(sourceDecimals)
        const variable = fraction(quote.fee_breakdown.variable_fee_bips)
        const fixed = minor(quote.fee_breakdown.fixed_fee, destinationDecimals)
        const netFor = (src: bigint) => {
          const gross =
            side === 'SELL'
              ? (src * rate.num * scale) / (rate.den * unit)
              : (src * rate.den * scale) / (rate.num * unit)
          const feeNum = gross * variable.num
          const feeDen = variable.den * 10_000n
          const fee = (feeNum + feeDen - 1n) / feeDen
          return gross - fee - fixed
        }
        assert.equal(netFor(source), received, 'the quote’s own amounts are consistent')
        assert.ok(netFor(source - 1n) < asked, 'one unit less of source would have been enough')
      },
    )
  }
})
