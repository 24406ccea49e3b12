/**
 * SPEC §6.2 oracle health as a quote sees it: a price that rests on one
 * primary plus the web2 reference (the tie-breaker) is usable but has lost
 * its redundancy, so the corridor quotes in PROTECT [ours]; with no usable
 * tie-breaker the corridor halts. The aggregation itself has table tests in
 * test/oracle/ and test/risk/oracle.test.ts; these go through the engine and
 * the quote pipeline.
 */
import assert from 'node:assert/strict'
import { it } from 'node:test'
import { createPartner, setMarket } from '../support/app.ts'
import { describeEachDialect } from '../support/databases.ts'
import { expectError, firmQuote, quoteOk } from '../trading/support.ts'
import { corridorState, openApp, settleRisk, sourcePrice, T } from './engine-support.ts'

describeEachDialect('oracle tie-breaker and the corridor state', ({ dialect }) => {
  it(
    'one primary lost, the reference confirming the other: PROTECT at that primary’s price',
    T,
    async (t) => {
      const app = await openApp(t, dialect)
      await setMarket(app)
      const partner = await createPartner(app)
      // primary_b's last USD-IDR price is 21 s old (max age 20 s); primary_a and the reference are fresh.
      await sourcePrice(app, 'primary_b', 'USD-IDR', '16250', 21_000)
      await sourcePrice(app, 'primary_a', 'USD-IDR', '16255')
      await sourcePrice(app, 'reference', 'USD-IDR', '16260')
      await settleRisk(app)
      const state = await corridorState(app, partner, 'USD-IDR')
      assert.equal(state.state, 'PROTECT')
      assert.deepEqual(state.reasons, [
        'oracle: oracle USD-IDR rests on one primary and the reference: age 0 ms (max 20000 ms), deviation 0% (max 0.15%), settled by the tie-breaker',
      ])
      const quote = await quoteOk(app, partner, { pair: 'USD-IDR', side: 'SELL', amount: '1000' })
      assert.equal(quote.state_flag, 'PROTECT')
      // The mid is primary_a's, never the reference's.
      assert.equal(quote.mid, '16255')
      // Half of min($200,000, 10 % of 8,125,000,000 IDRX / 16255 = $499,846.2…) = $24,992.31.
      assert.equal(quote.max_size, '24992.31')
      // A neighbouring corridor on healthy feeds is unaffected.
      const sgd = await quoteOk(app, partner, { pair: 'USD-SGD', side: 'SELL', amount: '1000' })
      assert.equal(sgd.state_flag, 'NORMAL')
    },
  )

  it('primaries apart beyond 0.15 %, the reference siding with one: PROTECT, not HALT', T, async (t) => {
    const app = await openApp(t, dialect)
    await setMarket(app)
    const partner = await createPartner(app)
    // |16290 − 16250| / 16250 = 0.246 %: beyond the limit; the reference (16250) agrees with primary_a only.
    await sourcePrice(app, 'primary_b', 'USD-IDR', '16290')
    await settleRisk(app)
    const state = await corridorState(app, partner, 'USD-IDR')
    assert.equal(state.state, 'PROTECT')
    assert.deepEqual(state.reasons, [
      'oracle: oracle USD-IDR deviation near the limit: age 0 ms (max 20000 ms), deviation 0.24% (max 0.15%), settled by the tie-breaker',
    ])
    const quote = await quoteOk(app, partner, { pair: 'USD-IDR', side: 'SELL', amount: '1000' })
    assert.equal(quote.state_flag, 'PROTECT')
    assert.equal(quote.mid, '16250')
    assert.equal(quote.max_size, '25000')
  })

  it('with no usable tie-breaker the corridor halts and quotes are refused', T, async (t) => {
    const app = await openApp(t, dialect)
    await setMarket(app)
    const partner = await createPartner(app)
    // The reference agrees with neither primary: nothing says which one is wrong.
    await sourcePrice(app, 'primary_b', 'USD-IDR', '16290')
    await sourcePrice(app, 'reference', 'USD-IDR', '16350')
    await settleRisk(app)
    const state = await corridorState(app, partner, 'USD-IDR')
    assert.equal(state.state, 'HALT')
    assert.deepEqual(state.allowed_directions, [])
    // L5 answers before L6: the partner learns why (SPEC §3 ORACLE_DEVIATION, 503).
    expectError(
      await firmQuote(app, partner, { pair: 'USD-IDR', side: 'SELL', amount: '1000' }),
      503,
      'ORACLE_DEVIATION',
      'USD-IDR',
    )
  })
})
