/**
 * Execution re-prices what it executes (issue 9 item 6): a part of a firm
 * quote pays the fee tier of its own size (SPEC §5) and must reach the
 * corridor minimum on its own (SPEC §4 L1); the whole quoted amount pays
 * exactly what the quote showed.
 */
import assert from 'node:assert/strict'
import { it } from 'node:test'
import { openApp, poolMinor, T } from '../risk/engine-support.ts'
import { createPartner, setMarket } from '../support/app.ts'
import { describeEachDialect } from '../support/databases.ts'
import { ADDRESS, execute, expectError, fund, quoteOk } from './support.ts'

describeEachDialect('a partial execution pays its own tier', ({ dialect }) => {
  it('$9,000 of a $50,000 quote pays the SMALL tier; $1 of it is below the minimum', T, async (t) => {
    const app = await openApp(t, dialect)
    await setMarket(app)
    const partner = await createPartner(app)
    await fund(app, partner, 'USDT', '9010')
    // $50,000 at NORMAL, pools on target: spread 4 + 10 × 50,000 / 500,000 = 5 bps, bid 16,245.9375.
    // LARGE tier: 2 bips and $1 (16,250 IDR); net 81,229,687,500 − 16,245,938 − 1,625,000 cents.
    const quote = await quoteOk(app, partner, { pair: 'USD-IDR', side: 'SELL', amount: '50000' })
    assert.equal(quote.rate, '16245.9375')
    assert.equal(quote.fee_breakdown.tier, 'LARGE')
    assert.equal(quote.fee_breakdown.variable_fee_bips, '2')
    assert.equal(quote.destination_amount, '812118165.62')

    // $1 of it: the USD-IDR minimum is $10 (SPEC §2.1, §4 L1), for a part as for a quote.
    const tiny = await execute(app, partner, {
      quote_id: quote.quote_id,
      amount: '1',
      destination_address: ADDRESS,
    })
    const refused = expectError(tiny, 400, 'BELOW_MIN_TRANSACTION_SIZE', 'USD-IDR')
    assert.equal(refused.message, 'the minimum for USD-IDR is 10 USD')

    // $9,000 of it is SMALL (1,000–10,000): 5 bips and USD-IDR's 10,000 IDR, at the quoted rate.
    // Gross 9,000 × 16,245.9375 = 146,213,437.50 IDR. Variable 146,213,437.50 × 0.0005 = 73,106.71875
    // → 73,106.72 (the partner pays the ceiling). Net 146,213,437.50 − 73,106.72 − 10,000 = 146,130,330.78.
    // (Kept at the quote's LARGE tier it paid 29,242.69 + 16,250 and received 146,167,944.81: 37,614.03 IDR,
    // about $2.31 or 2.57 bps of $9,000, less than its size's tier asks.)
    const idrxBefore = await poolMinor(app, 'IDRX')
    const part = await execute(app, partner, {
      quote_id: quote.quote_id,
      amount: '9000',
      destination_address: ADDRESS,
    })
    assert.equal(part.statusCode, 200, part.body)
    const execution = part.json()
    assert.equal(execution.status, 'SETTLED')
    assert.equal(execution.filled_rate, '16245.9375')
    assert.equal(execution.source_amount, '9000')
    assert.equal(execution.destination_amount, '146130330.78')
    assert.equal(execution.platform_fee, '83106.72')
    // The pool paid out the gross: net plus fees, 146,213,437.50 IDR.
    assert.equal(idrxBefore - (await poolMinor(app, 'IDRX')), 14_621_343_750n)
  })

  it('$10 of a $50,000 quote executes at the MICRO tier; a whole quote pays what it showed', T, async (t) => {
    const app = await openApp(t, dialect)
    await setMarket(app)
    const partner = await createPartner(app)
    await fund(app, partner, 'USDT', '50010')
    const first = await quoteOk(app, partner, { pair: 'USD-IDR', side: 'SELL', amount: '50000' })
    // MICRO: 8 bips and 10,000 IDR. Gross 162,459.375 → 162,459.37; 8 bips = 129.9675 → 129.97;
    // net 162,459.37 − 129.97 − 10,000 = 152,329.40.
    const micro = await execute(app, partner, {
      quote_id: first.quote_id,
      amount: '10',
      destination_address: ADDRESS,
    })
    assert.equal(micro.statusCode, 200, micro.body)
    assert.equal(micro.json().destination_amount, '152329.4')
    assert.equal(micro.json().platform_fee, '10129.97')

    // The IDRX pool now holds a little under its target, so the max size is just under $50,000.
    const second = await quoteOk(app, partner, { pair: 'USD-IDR', side: 'SELL', amount: '40000' })
    const whole = await execute(app, partner, { quote_id: second.quote_id, destination_address: ADDRESS })
    assert.equal(whole.statusCode, 200, whole.body)
    assert.equal(whole.json().destination_amount, second.destination_amount)
    assert.equal(whole.json().platform_fee, second.fee_breakdown.total_fee)
  })
})
