/**
 * No stale fallbacks on money paths (issue 9 item 7): firm quotes and
 * executions value amounts at the oracle's current mid, else its last good
 * mid up to 5 minutes old, else refuse with 503 ORACLE_STALE, never at a
 * hard-coded reference rate. A corridor needs only its own USD rates.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createManualClock } from '../../src/clock/clock.ts'
import { r } from '../../src/money/ratio.ts'
import type { OraclePair } from '../../src/oracle/pairs.ts'
import { createOracleService } from '../../src/oracle/service.ts'
import { corridorFiats, corridorMoneyRates } from '../../src/trading/market.ts'
import { MARKET, openApp, settleRisk, T } from '../risk/engine-support.ts'
import { createPartner, T0, type TestApp } from '../support/app.ts'
import { describeEachDialect } from '../support/databases.ts'
import { ADDRESS, execute, expectError, fund, quoteOk } from './support.ts'

function oracleAt() {
  const clocks = { live: createManualClock(T0), sandbox: createManualClock(T0) }
  const oracle = createOracleService({ clocks })
  const feed = async (pair: OraclePair, price: string) => {
    for (const source of ['primary_a', 'primary_b'] as const) {
      const accepted = await oracle.submit('live', source, pair, r(price), clocks.live.now())
      assert.ok(accepted.ok)
    }
  }
  return { clocks, oracle, feed }
}

describe('corridorMoneyRates', () => {
  it('reads the fiats a corridor needs: its two, USD, its minimum’s and its fixed fees’', () => {
    assert.deepEqual(corridorFiats('USD-IDR'), ['USD', 'IDR'])
    assert.deepEqual(corridorFiats('USD-SGD'), ['USD', 'SGD'])
    assert.deepEqual(corridorFiats('MYR-IDR'), ['USD', 'MYR', 'IDR'])
  })

  it('current mids; the last good one up to 5 minutes; then ORACLE_STALE; other pairs do not matter', async () => {
    const { clocks, oracle, feed } = oracleAt()
    for (const pair of ['USD-IDR', 'USD-SGD', 'USD-MYR'] as const) await feed(pair, MARKET[pair] as string)
    const fresh = corridorMoneyRates(oracle, 'live', 'MYR-IDR')
    assert.ok(fresh.ok)
    assert.deepEqual([fresh.value.fiatPerUsd('MYR'), fresh.value.fiatPerUsd('IDR')], [r('4.2'), r('16250')])

    // 4 minutes on, USD-IDR and USD-SGD fed again, USD-MYR not: its last good mid still stands in.
    clocks.live.advance(4 * 60_000)
    await feed('USD-IDR', '16260')
    await feed('USD-SGD', '1.3')
    const lastGood = corridorMoneyRates(oracle, 'live', 'MYR-IDR')
    assert.ok(lastGood.ok)
    assert.deepEqual(
      [lastGood.value.fiatPerUsd('MYR'), lastGood.value.fiatPerUsd('IDR')],
      [r('4.2'), r('16260')],
    )

    // Past 5 minutes: MYR-IDR cannot be valued; USD-IDR, resting on no MYR rate, still can.
    clocks.live.advance(60_001)
    await feed('USD-IDR', '16270')
    await feed('USD-SGD', '1.3')
    assert.deepEqual(corridorMoneyRates(oracle, 'live', 'MYR-IDR'), {
      ok: false,
      code: 'ORACLE_STALE',
      message:
        'MYR-IDR amounts cannot be valued: the USD-MYR price is stale and no good mid is recent enough',
      corridor: 'MYR-IDR',
    })
    const usdIdr = corridorMoneyRates(oracle, 'live', 'USD-IDR')
    assert.ok(usdIdr.ok)
    assert.deepEqual(usdIdr.value.fiatPerUsd('IDR'), r('16270'))
    assert.throws(() => usdIdr.value.fiatPerUsd('MYR'), /USD-IDR money paths read no MYR rate/)
  })
})

describeEachDialect('money paths refuse rather than fall back, over HTTP', ({ dialect }) => {
  /** Moves the clock in 10 s steps, feeding every pair but those left out at the market mid, like a feed would. */
  async function feedAllBut(app: TestApp, ms: number, leftOut: readonly string[]) {
    const { oracle, clocks } = app.stablefx.services
    for (let left = ms; left > 0; left -= 10_000) {
      app.clock.advance(Math.min(left, 10_000))
      const submissions = Object.entries(MARKET)
        .filter(([pair]) => !leftOut.includes(pair))
        .flatMap(([pair, price]) =>
          (['primary_a', 'primary_b', 'reference'] as const).map((source) => ({
            environment: 'sandbox' as const,
            source,
            pair: pair as OraclePair,
            price: r(price),
            atMs: clocks.sandbox.now(),
          })),
        )
      assert.ok((await oracle.submitMany(submissions)).ok)
      await settleRisk(app)
    }
  }

  it(
    'MYR-IDR quotes on USD-MYR’s last good mid, and refuses to execute once it is over 5 minutes old',
    T,
    async (t) => {
      const app = await openApp(t, dialect)
      await feedAllBut(app, 10_000, [])
      const partner = await createPartner(app)
      await fund(app, partner, 'MYRC', '1000')
      await fund(app, partner, 'USDT', '100')
      // USD-MYR stops at T0 + 10 s; the direct MYR-IDR feed keeps the corridor quoting.
      await feedAllBut(app, 280_000, ['USD-MYR'])
      const quote = await quoteOk(app, partner, { pair: 'MYR-IDR', side: 'SELL', amount: '1000' })
      assert.equal(quote.rate_source, 'DIRECT')
      await feedAllBut(app, 30_000, ['USD-MYR'])
      const response = await execute(app, partner, { quote_id: quote.quote_id, destination_address: ADDRESS })
      const error = expectError(response, 503, 'ORACLE_STALE', 'MYR-IDR')
      assert.equal(
        error.message,
        'MYR-IDR amounts cannot be valued: the USD-MYR price is stale and no good mid is recent enough',
      )
      expectError(
        await execute(app, partner, { quote_id: quote.quote_id, destination_address: ADDRESS }),
        503,
        'ORACLE_STALE',
        'MYR-IDR',
      )
      // A new MYR-IDR quote is refused the same way; USD-IDR, which needs no MYR rate, trades.
      const again = await app.inject({
        method: 'POST',
        url: '/v1/quote',
        headers: partner.headers(),
        payload: { pair: 'MYR-IDR', side: 'SELL', amount: '1000' },
      })
      expectError(again, 503, 'ORACLE_STALE', 'MYR-IDR')
      const usdIdr = await quoteOk(app, partner, { pair: 'USD-IDR', side: 'SELL', amount: '100' })
      const executed = await execute(app, partner, {
        quote_id: usdIdr.quote_id,
        destination_address: ADDRESS,
      })
      assert.equal(executed.statusCode, 200, executed.body)
    },
  )
})
