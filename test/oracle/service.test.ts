import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createManualClock } from '../../src/clock/clock.ts'
import { r, ZERO } from '../../src/money/ratio.ts'
import type { OraclePair } from '../../src/oracle/pairs.ts'
import { type AcceptedPrice, createOracleService } from '../../src/oracle/service.ts'

const T0 = Date.UTC(2026, 10, 23)
const HOUR = 3_600_000

function setup() {
  // The sandbox clock runs an hour ahead, as after an admin advanced it.
  const clocks = { live: createManualClock(T0), sandbox: createManualClock(T0 + HOUR) }
  return { clocks, oracle: createOracleService({ clocks }) }
}

type Setup = ReturnType<typeof setup>

async function feedBoth(s: Setup, environment: 'sandbox' | 'live', pair: OraclePair, a: string, b: string) {
  const nowMs = s.clocks[environment].now()
  assert.equal((await s.oracle.submit(environment, 'primary_a', pair, r(a), nowMs)).ok, true)
  const result = await s.oracle.submit(environment, 'primary_b', pair, r(b), nowMs)
  assert.equal(result.ok, true)
  return result
}

describe('oracle service: submit', () => {
  it('refuses a zero or negative price with VALIDATION_ERROR', async () => {
    const s = setup()
    for (const price of ['0', '-16250']) {
      const result = await s.oracle.submit('live', 'primary_a', 'USD-IDR', r(price), T0)
      assert.deepEqual(result, { ok: false, code: 'VALIDATION_ERROR', message: 'price must be positive' })
    }
  })

  it('refuses a timestamp ahead of that environment’s clock', async () => {
    const s = setup()
    const future = await s.oracle.submit('live', 'primary_a', 'USD-IDR', r('16250'), T0 + 1)
    assert.deepEqual(future, { ok: false, code: 'VALIDATION_ERROR', message: 'timestamp is in the future' })
    // The same instant is in the sandbox's past: its clock is an hour ahead.
    assert.equal((await s.oracle.submit('sandbox', 'primary_a', 'USD-IDR', r('16250'), T0 + 1)).ok, true)
  })

  it('refuses a timestamp that is not whole milliseconds', async () => {
    const s = setup()
    assert.equal((await s.oracle.submit('live', 'primary_a', 'USD-IDR', r('16250'), T0 - 0.5)).ok, false)
    assert.equal((await s.oracle.submit('live', 'primary_a', 'USD-IDR', r('16250'), Number.NaN)).ok, false)
  })

  it('returns the reading the price led to', async () => {
    const s = setup()
    const first = await s.oracle.submit('live', 'primary_a', 'USD-IDR', r('16250'), T0)
    assert.equal(first.ok && first.value.status, 'STALE')
    const second = await feedBoth(s, 'live', 'USD-IDR', '16250', '16252')
    assert.equal(second.ok && second.value.status, 'OK')
    assert.deepEqual(second.ok && second.value.mid, r('16251'))
  })

  it('a back-dated price replaces the newer one (manual mode exercises staleness this way)', async () => {
    const s = setup()
    await feedBoth(s, 'live', 'USD-IDR', '16250', '16250')
    const result = await s.oracle.submit('live', 'primary_a', 'USD-IDR', r('16250'), T0 - 25_000)
    assert.equal(result.ok && result.value.status, 'STALE')
    assert.equal(result.ok && result.value.ageMs, 25_000)
  })
})

describe('oracle service: environments are separate', () => {
  it('a price for one environment leaves the other untouched', async () => {
    const s = setup()
    await feedBoth(s, 'sandbox', 'USD-SGD', '1.3', '1.3002')
    assert.equal(s.oracle.reading('sandbox', 'USD-SGD').status, 'OK')
    assert.equal(s.oracle.reading('live', 'USD-SGD').status, 'STALE')
  })

  it('ages each environment on its own clock', async () => {
    const s = setup()
    await feedBoth(s, 'sandbox', 'USD-IDR', '16250', '16250')
    await feedBoth(s, 'live', 'USD-IDR', '16250', '16250')
    s.clocks.sandbox.advance(20_001)
    assert.equal(s.oracle.reading('sandbox', 'USD-IDR').status, 'STALE')
    assert.equal(s.oracle.reading('sandbox', 'USD-IDR').ageMs, 20_001)
    assert.equal(s.oracle.reading('live', 'USD-IDR').status, 'OK')
    assert.equal(s.oracle.reading('live', 'USD-IDR').ageMs, 0)
  })
})

describe('oracle service: listeners', () => {
  it('tells listeners about accepted prices only, until they unsubscribe', async () => {
    const s = setup()
    const heard: AcceptedPrice[] = []
    const unsubscribe = s.oracle.onPrice((accepted) => heard.push(accepted))
    await s.oracle.submit('live', 'primary_a', 'USD-IDR', r('0'), T0)
    await s.oracle.submit('live', 'primary_a', 'USD-IDR', r('16250'), T0 - 1_000)
    assert.equal(heard.length, 1)
    assert.deepEqual(
      { ...heard[0], reading: heard[0]?.reading.status },
      {
        environment: 'live',
        source: 'primary_a',
        pair: 'USD-IDR',
        price: r('16250'),
        atMs: T0 - 1_000,
        reading: 'STALE',
      },
    )
    unsubscribe()
    await s.oracle.submit('live', 'primary_b', 'USD-IDR', r('16250'), T0)
    assert.equal(heard.length, 1)
  })
})

describe('oracle service: volatility history', () => {
  it('records a point when the OK mid changes and measures the move on the environment clock', async () => {
    const s = setup()
    const live = s.clocks.live
    await feedBoth(s, 'live', 'USD-IDR', '16000', '16000')
    live.advance(60_000)
    await feedBoth(s, 'live', 'USD-IDR', '16016', '16016')
    // primary_a alone moves the mid to 16008, then primary_b to 16016: 10 bps over the window.
    assert.deepEqual(s.oracle.midMoveBps('live', 'USD-IDR', 5 * 60_000), r('10'))
    assert.deepEqual(s.oracle.midMoveBps('sandbox', 'USD-IDR', 5 * 60_000), ZERO)
  })

  it('ignores readings that are not OK', async () => {
    const s = setup()
    await feedBoth(s, 'live', 'USD-IDR', '16000', '16000')
    // 16100 deviates 0.625% from primary_b: DEVIATION, so no new mid is recorded.
    await s.oracle.submit('live', 'primary_a', 'USD-IDR', r('16100'), T0)
    assert.equal(s.oracle.reading('live', 'USD-IDR').status, 'DEVIATION')
    assert.deepEqual(s.oracle.midMoveBps('live', 'USD-IDR', 5 * 60_000), ZERO)
  })
})

describe('oracle service: usdRates', () => {
  it('uses the reference mids while no pair is OK', async () => {
    const rates = setup().oracle.usdRates('live')
    assert.deepEqual(rates.fiatPerUsd('USD'), r('1'))
    assert.deepEqual(rates.fiatPerUsd('IDR'), r('16250'))
    assert.deepEqual(rates.fiatPerUsd('SGD'), r('1.3'))
    assert.deepEqual(rates.fiatPerUsd('MYR'), r('4.2'))
  })

  it('uses the current OK mid, per environment, and falls back again when it goes stale', async () => {
    const s = setup()
    await feedBoth(s, 'live', 'USD-IDR', '16300', '16302')
    await feedBoth(s, 'live', 'USD-MYR', '4.25', '4.25')
    const rates = s.oracle.usdRates('live')
    assert.deepEqual(rates.fiatPerUsd('IDR'), r('16301'))
    assert.deepEqual(rates.fiatPerUsd('MYR'), r('4.25'))
    assert.deepEqual(rates.fiatPerUsd('SGD'), r('1.3'))
    assert.deepEqual(s.oracle.usdRates('sandbox').fiatPerUsd('IDR'), r('16250'))
    s.clocks.live.advance(20_001)
    assert.deepEqual(rates.fiatPerUsd('IDR'), r('16250'))
  })
})

describe('oracle service: rates for money paths', () => {
  it('the current OK mid, else the last OK mid up to 5 minutes old, else ORACLE_STALE', async () => {
    const s = setup()
    for (const pair of ['USD-IDR', 'USD-SGD', 'USD-MYR'] as const) await feedBoth(s, 'live', pair, '2', '2')
    await feedBoth(s, 'live', 'USD-IDR', '16250', '16252')
    const now = s.oracle.moneyRates('live')
    assert.ok(now.ok)
    assert.deepEqual(now.value.fiatPerUsd('IDR'), r('16251'))
    // 21 s later USD-IDR is stale (20 s): the last good mid stands in, never the hard-coded reference.
    s.clocks.live.advance(21_000)
    assert.equal(s.oracle.reading('live', 'USD-IDR').status, 'STALE')
    const lastGood = s.oracle.moneyRates('live')
    assert.ok(lastGood.ok)
    assert.deepEqual(lastGood.value.fiatPerUsd('IDR'), r('16251'))
    s.clocks.live.advance(5 * 60_000 - 21_000 + 1)
    assert.deepEqual(s.oracle.moneyRates('live'), {
      ok: false,
      code: 'ORACLE_STALE',
      message: 'the USD-IDR price is stale and no good mid is recent enough',
    })
    // The view rates keep their reference fallback (displays only).
    assert.deepEqual(s.oracle.usdRates('live').fiatPerUsd('USD'), r('1'))
  })
})
