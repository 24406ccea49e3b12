/**
 * Issue 16, the pure parts of the scenario engine (src/scenarios/model.ts):
 * the seeded integer PRNG, price paths in exact decimals, trade schedules,
 * and the safety assertions over recorded steps.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { SCENARIOS } from '../../src/scenarios/catalog.ts'
import {
  ASSERTIONS,
  checkActiveMin,
  checkClaims,
  checkClassA,
  checkLedger,
  checkRecovery,
  createPrng,
  fastForm,
  flowsAt,
  jitteredAmount,
  pathBps,
  type StepRecord,
  sourceIsOut,
  sourcePrice,
} from '../../src/scenarios/model.ts'

function step(minute: number, over: Partial<StepRecord> = {}): StepRecord {
  return {
    minute,
    mids: {},
    pools: [{ asset: 'IDRX', tier: 'ACTIVE', balance: '0', healthPct: '90', status: 'OK', belowMin: false }],
    corridors: (['USD-IDR', 'USD-SGD', 'MYR-IDR'] as const).map((corridor) => ({
      corridor,
      state: 'NORMAL',
      directions: 'BUY,SELL',
      spreadBps: '5',
      skewBps: '',
      executed: 0,
      refused: 0,
      debited: [],
    })),
    varPct: '0',
    queues: {},
    indexes: {},
    fxIndexRay: {},
    ledger: 'skipped',
    ledgerDetail: '',
    notes: [],
    ...over,
  }
}

describe('scenario model', () => {
  it('the PRNG gives the same integers for the same seed, other ones for another seed', () => {
    const a = createPrng(42)
    const b = createPrng(42)
    const first = [a.nextU32(), a.nextU32(), a.nextU32()]
    assert.deepEqual(first, [b.nextU32(), b.nextU32(), b.nextU32()])
    assert.deepEqual(first, [11355432, 2836018348, 476557059])
    assert.notEqual(createPrng(43).nextU32(), first[0])
  })

  it('int(n) stays in [0, n) for any seed', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 0, max: 2 ** 32 - 1 }),
        fc.integer({ min: 1, max: 10_000 }),
        (seed, n) => {
          const prng = createPrng(seed)
          for (let i = 0; i < 20; i++) {
            const v = prng.int(n)
            if (!Number.isInteger(v) || v < 0 || v >= n) return false
          }
          return true
        },
      ),
    )
  })

  it('a price path interpolates exactly between keyframes and holds outside them', () => {
    const keyframes = [
      { atMin: 30, bps: '0' },
      { atMin: 40, bps: '300' },
    ]
    assert.deepEqual(pathBps(keyframes, 10), { num: 0n, den: 1n })
    assert.deepEqual(pathBps(keyframes, 35), { num: 150n, den: 1n })
    assert.deepEqual(pathBps(keyframes, 90), { num: 300n, den: 1n })
    const path = { pair: 'USD-IDR' as const, base: '16250', keyframes }
    assert.equal(sourcePrice(path, 'primary_a', 0, 0n), '16250')
    assert.equal(sourcePrice(path, 'primary_a', 33, 0n), '16396.25')
    assert.equal(sourcePrice(path, 'reference', 40, 0n), '16737.5')
    // Noise is in hundredths of a bp: -100 = -1 bp.
    assert.equal(sourcePrice(path, 'primary_b', 0, -100n), '16248.37')
    assert.equal(
      sourcePrice({ ...path, sourceOffsetBps: { primary_b: '20' } }, 'primary_b', 0, 0n),
      '16282.5',
    )
  })

  it('a source in an outage sends nothing for the pairs and minutes of the outage only', () => {
    const outages = [{ source: 'primary_a' as const, pairs: ['USD-IDR' as const], fromMin: 30, toMin: 60 }]
    assert.equal(sourceIsOut(outages, 'primary_a', 'USD-IDR', 29), false)
    assert.equal(sourceIsOut(outages, 'primary_a', 'USD-IDR', 30), true)
    assert.equal(sourceIsOut(outages, 'primary_a', 'USD-IDR', 59), true)
    assert.equal(sourceIsOut(outages, 'primary_a', 'USD-IDR', 60), false)
    assert.equal(sourceIsOut(outages, 'primary_a', 'USD-SGD', 45), false)
    assert.equal(sourceIsOut(outages, 'primary_b', 'USD-IDR', 45), false)
  })

  it('jittered amounts stay within ±jitter % of the amount, in whole units', () => {
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 2 ** 32 - 1 }), fc.integer({ min: 0, max: 50 }), (seed, pct) => {
        const prng = createPrng(seed)
        const v = BigInt(jitteredAmount('12500', pct, prng))
        return v * 100n >= 12500n * BigInt(100 - pct) && v * 100n <= 12500n * BigInt(100 + pct)
      }),
    )
  })

  it('flows trade every `everyMin` from `fromMin` until before `toMin`', () => {
    const flow = {
      corridor: 'USD-IDR' as const,
      side: 'SELL' as const,
      amount: '1',
      everyMin: 9,
      fromMin: 0,
      toMin: 30,
    }
    const minutes = Array.from({ length: 40 }, (_, m) => m).filter((m) => flowsAt([flow], m).length > 0)
    assert.deepEqual(minutes, [0, 9, 18, 27])
  })

  it('the fast form keeps the market and applies only what the scenario file says', () => {
    const oneSided = SCENARIOS.find((s) => s.name === 'one-sided-flow')
    assert.ok(oneSided)
    const fast = fastForm(oneSided)
    assert.equal(fast.durationMin, 380)
    assert.deepEqual(fast.stress, { fromMin: 0, toMin: 360 })
    assert.equal(fast.flows?.[0]?.amount, '12500')
    assert.equal(fast.flows?.[0]?.everyMin, 9)
    assert.deepEqual(fast.prices, oneSided.prices)
    assert.equal(fast.seed, oneSided.seed)
  })

  it('every shipped scenario ends after its recovery deadline in both forms, with kebab-case names', () => {
    for (const s of SCENARIOS) {
      assert.match(s.name, /^[a-z]+(-[a-z]+)*$/)
      for (const form of [s, fastForm(s)]) assert.ok(form.durationMin >= form.stress.toMin + 10, s.name)
    }
  })

  it('Active min: only a pool a trading corridor debited counts', () => {
    const low = step(3, {
      pools: [
        { asset: 'IDRX', tier: 'ACTIVE', balance: '1', healthPct: '35', status: 'LOW', belowMin: true },
      ],
    })
    assert.equal(checkActiveMin([step(1), low]).passed, true)
    const traded = {
      ...low,
      corridors: low.corridors.map((c) =>
        c.corridor === 'USD-IDR' ? { ...c, executed: 1, debited: ['IDRX'] } : c,
      ),
    }
    assert.deepEqual(checkActiveMin([step(1), traded]), {
      name: ASSERTIONS.activeMin,
      passed: false,
      detail: 'minute 3: USD-IDR executed with Active IDRX at 35% of target, below its min',
    })
  })

  it('class A: a falling fx index or a position below its deposits fails', () => {
    const up = [
      step(1, { fxIndexRay: { 'USDT:fx': '1000' } }),
      step(2, { fxIndexRay: { 'USDT:fx': '1001' } }),
    ]
    assert.equal(checkClassA(up, []).passed, true)
    const down = [...up, step(3, { fxIndexRay: { 'USDT:fx': '1000' } })]
    assert.equal(checkClassA(down, []).detail, 'minute 3: USDT:fx index fell')
    const short = [{ lp: 'A', asset: 'USDT', deposited: 100n, withdrawn: 40n, balance: 59n }]
    assert.equal(checkClassA(up, short).passed, false)
    assert.equal(checkClassA(up, [{ ...short[0], balance: 60n } as (typeof short)[number]]).passed, true)
  })

  it('claims: paid or tranches beyond the claim fail', () => {
    assert.equal(checkClaims([{ id: 'w', owed: 10n, paid: 10n, tranchesPaid: 10n }]).passed, true)
    assert.equal(checkClaims([{ id: 'w', owed: 10n, paid: 11n, tranchesPaid: 10n }]).passed, false)
    assert.equal(checkClaims([{ id: 'w', owed: 10n, paid: 5n, tranchesPaid: 11n }]).passed, false)
  })

  it('ledger: any violated step fails; skipped steps do not count', () => {
    assert.equal(checkLedger([step(1), step(2, { ledger: 'ok' })]).passed, true)
    assert.deepEqual(checkLedger([step(1, { ledger: 'violated', ledgerDetail: 'x' })]), {
      name: ASSERTIONS.ledger,
      passed: false,
      detail: 'minute 1: x',
    })
  })

  it('recovery: NORMAL from the deadline to the end, and the run must reach the deadline', () => {
    const halted = (m: number) =>
      step(m, {
        corridors: step(m).corridors.map((c) => (c.corridor === 'USD-SGD' ? { ...c, state: 'HALT' } : c)),
      })
    const steps = [halted(40), halted(49), step(50), step(60)]
    assert.equal(checkRecovery(steps, 40, 10).passed, true)
    assert.deepEqual(checkRecovery(steps, 39, 10), {
      name: ASSERTIONS.recovery,
      passed: false,
      detail: 'stress ended at minute 39; not NORMAL from minute 49: USD-SGD HALT at minute 49',
    })
    assert.equal(checkRecovery([...steps, halted(61)], 40, 10).passed, false)
    assert.equal(checkRecovery(steps, 55, 10).passed, false)
  })
})
