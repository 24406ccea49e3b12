import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createManualClock } from '../../src/clock/clock.ts'
import { ENVIRONMENTS } from '../../src/config/environment.ts'
import { cmp, formatRatio, r } from '../../src/money/ratio.ts'
import { ORACLE_PAIRS } from '../../src/oracle/pairs.ts'
import { type AcceptedPrice, createOracleService } from '../../src/oracle/service.ts'
import { createSimFeed } from '../../src/oracle/sim.ts'

const T0 = Date.UTC(2026, 10, 23)

function setup(seed: number) {
  const clocks = { live: createManualClock(T0), sandbox: createManualClock(T0 + 3_600_000) }
  const oracle = createOracleService({ clocks })
  const heard: AcceptedPrice[] = []
  oracle.onPrice((accepted) => heard.push(accepted))
  return { clocks, oracle, heard, sim: createSimFeed({ oracle, clocks, seed }) }
}

async function run(s: ReturnType<typeof setup>, ticks: number) {
  for (let i = 0; i < ticks; i += 1) {
    await s.sim.tick()
    s.clocks.live.advance(1_000)
    s.clocks.sandbox.advance(1_000)
  }
}

const text = (accepted: AcceptedPrice) =>
  `${accepted.environment} ${accepted.pair} ${accepted.source} ${formatRatio(accepted.price, 12, 'floor')}`

describe('simulated oracle feed', () => {
  it('feeds every source of every pair in both environments, each stamped by its own clock', async () => {
    const s = setup(7)
    await s.sim.tick()
    assert.equal(s.heard.length, ORACLE_PAIRS.length * 3 * ENVIRONMENTS.length)
    for (const accepted of s.heard) assert.equal(accepted.atMs, s.clocks[accepted.environment].now())
    for (const environment of ENVIRONMENTS) {
      for (const pair of ORACLE_PAIRS) assert.equal(s.oracle.reading(environment, pair).status, 'OK')
    }
  })

  it('is deterministic: the same seed gives the same prices, another seed others', async () => {
    const one = setup(42)
    const two = setup(42)
    const other = setup(43)
    await run(one, 50)
    await run(two, 50)
    await run(other, 50)
    assert.deepEqual(one.heard.map(text), two.heard.map(text))
    assert.notDeepEqual(one.heard.map(text), other.heard.map(text))
  })

  it('starts near the reference mids, quoted in millionths', async () => {
    const s = setup(1)
    await s.sim.tick()
    const mid = (pair: (typeof ORACLE_PAIRS)[number]) => s.oracle.reading('live', pair).mid
    const near = (value: ReturnType<typeof mid>, low: string, high: string) =>
      value !== undefined && cmp(value, r(low)) >= 0 && cmp(value, r(high)) <= 0
    assert.ok(near(mid('USD-IDR'), '16248', '16252'))
    assert.ok(near(mid('USD-SGD'), '1.2998', '1.3002'))
    assert.ok(near(mid('USD-MYR'), '4.1995', '4.2005'))
    assert.ok(near(mid('MYR-IDR'), '3868', '3870'))
    for (const accepted of s.heard) assert.equal(1_000_000n % accepted.price.den, 0n, text(accepted))
  })

  it('stays OK and inside the NORMAL volatility band (< 5 bps over 5 and 15 minutes) for 20 minutes', async () => {
    const s = setup(2026)
    for (let minute = 0; minute < 20; minute += 1) {
      await run(s, 60)
      for (const environment of ENVIRONMENTS) {
        for (const pair of ORACLE_PAIRS) {
          const reading = s.oracle.reading(environment, pair)
          assert.equal(reading.status, 'OK', `${environment} ${pair} at minute ${minute}`)
          assert.equal(reading.nearDeviation, false)
          for (const windowMs of [5 * 60_000, 15 * 60_000]) {
            const move = s.oracle.midMoveBps(environment, pair, windowMs)
            assert.ok(cmp(move, r('5')) < 0, `${pair} moved ${formatRatio(move, 4, 'ceil')} bps`)
          }
        }
      }
    }
  })

  it('start feeds at once and stop ends the feed', async () => {
    const s = setup(3)
    s.sim.start()
    s.sim.start()
    s.sim.stop()
    // The first tick was started at once; with the in-memory log it completes within this turn's microtasks.
    await new Promise((resolve) => setTimeout(resolve, 0))
    assert.equal(s.heard.length, ORACLE_PAIRS.length * 3 * ENVIRONMENTS.length)
    assert.equal(s.oracle.reading('sandbox', 'MYR-IDR').status, 'OK')
  })

  it('refuses a seed that is not an integer', async () => {
    const s = setup(1)
    assert.throws(() => createSimFeed({ oracle: s.oracle, clocks: s.clocks, seed: 1.5 }), RangeError)
  })
})
