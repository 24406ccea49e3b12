/** The pure cores of SPEC §8 Phase 2 (src/rebalancing/phase2.ts) and the Reserve escalation (escalation.ts). */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { CORRIDOR_IDS, type CorridorId } from '../../src/config/corridors.ts'
import { r } from '../../src/money/ratio.ts'
import {
  deficitMinor,
  fundingAsset,
  planRecall,
  type ReserveFacts,
} from '../../src/rebalancing/escalation.ts'
import {
  type BagBatch,
  buybackOrder,
  claimFifo,
  DEFAULT_PHASE2_CONFIG,
  executedRate,
  type Phase2Input,
  planPhase2,
  varLevel,
} from '../../src/rebalancing/phase2.ts'

const HOUR = 3_600_000
const NOW = 100 * HOUR

function batch(id: string, overrides: Partial<BagBatch> = {}): BagBatch {
  return {
    batchId: id,
    corridor: 'USD-IDR',
    direction: 'LONG_BASE',
    status: 'SETTLED_INTERNALLY',
    openMinor: 1_000_000n,
    openedAtMs: NOW - 2 * HOUR,
    closeDueAtMs: null,
    closing: false,
    lastFailure: null,
    ...overrides,
  }
}

function input(batches: BagBatch[], overrides: Partial<Phase2Input> = {}): Phase2Input {
  return {
    nowMs: NOW,
    batches,
    varLevel: 'NORMAL',
    emergencyCorridors: [],
    bagUsd: new Map(),
    lastEmergencyMs: new Map(),
    redeemable: () => false,
    ...overrides,
  }
}

describe('Phase 2 plan (SPEC §8, §6.2)', () => {
  it('a batch is bought back 24 h after it opened, by RFQ, or at the issuer of the asset it leaves in surplus', () => {
    const due = batch('old', { openedAtMs: NOW - 24 * HOUR })
    assert.deepEqual(planPhase2(input([due, batch('young')])).closes, [
      { corridor: 'USD-IDR', batchIds: ['old'], method: 'RFQ', purpose: 'REBALANCE', trigger: 'AGE' },
    ])
    // LONG_BASE leaves USDT in surplus; SHORT_BASE leaves IDRX.
    const short = batch('short', { openedAtMs: NOW - 24 * HOUR, direction: 'SHORT_BASE' })
    const idrxIssuer = input([due, short], { redeemable: (asset) => asset === 'IDRX' })
    assert.deepEqual(
      planPhase2(idrxIssuer).closes.map((c) => [c.batchIds[0], c.method]),
      [
        ['old', 'RFQ'],
        ['short', 'ISSUER_REDEEM'],
      ],
    )
    // After the issuer failed it, the RFQ counterparties; and only after the retry wait.
    const failed = { ...short, lastFailure: { atMs: NOW - 15 * 60_000, method: 'ISSUER_REDEEM' as const } }
    assert.equal(planPhase2({ ...idrxIssuer, batches: [failed] }).closes[0]?.method, 'RFQ')
    const recent = { ...failed, lastFailure: { atMs: NOW - 60_000, method: 'ISSUER_REDEEM' as const } }
    assert.deepEqual(planPhase2({ ...idrxIssuer, batches: [recent] }).closes, [])
  })

  it('a VaR warning closes the oldest batch early, due an hour later, once', () => {
    const plan = planPhase2(input([batch('a'), batch('b')], { varLevel: 'WARNING' }))
    assert.deepEqual(plan, { closeEarly: { batchId: 'a', dueAtMs: NOW + HOUR }, closes: [] })
    const scheduled = input([batch('a', { closeDueAtMs: NOW + 30 * 60_000 }), batch('b')], {
      varLevel: 'WARNING',
    })
    assert.equal(planPhase2(scheduled).closeEarly, null)
    const dueNow = input([batch('a', { closeDueAtMs: NOW })], { varLevel: 'WARNING' })
    assert.deepEqual(planPhase2(dueNow).closes, [
      { corridor: 'USD-IDR', batchIds: ['a'], method: 'RFQ', purpose: 'REBALANCE', trigger: 'VAR_WARNING' },
    ])
  })

  it('a VaR breach or an emergency rebalance: an emergency RFQ of the whole corridor, at most once a minute', () => {
    const batches = [batch('i1'), batch('i2'), batch('s1', { corridor: 'USD-SGD' })]
    const bagUsd = new Map<CorridorId, ReturnType<typeof r>>([
      ['USD-IDR', r('2000')],
      ['USD-SGD', r('1000')],
    ])
    assert.deepEqual(planPhase2(input(batches, { varLevel: 'BREACH', bagUsd })).closes, [
      {
        corridor: 'USD-IDR',
        batchIds: ['i1', 'i2'],
        method: 'RFQ',
        purpose: 'EMERGENCY',
        trigger: 'VAR_BREACH',
      },
    ])
    const emergency = input(batches, { emergencyCorridors: ['USD-SGD'] })
    assert.deepEqual(planPhase2(emergency).closes, [
      {
        corridor: 'USD-SGD',
        batchIds: ['s1'],
        method: 'RFQ',
        purpose: 'EMERGENCY',
        trigger: 'EMERGENCY_THRESHOLD',
      },
    ])
    const tried = new Map<CorridorId, number>([['USD-SGD', NOW - 30_000]])
    assert.deepEqual(planPhase2({ ...emergency, lastEmergencyMs: tried }).closes, [])
  })

  it('VaR levels: warning at 5% and breach at 10% of reserve capital, i.e. 50% and 100% of the limit', () => {
    const level = (pct: string) => varLevel(r(pct), r('5'), r('10'))
    assert.deepEqual(['49.99', '50', '99.99', '100', '150'].map(level), [
      'NORMAL',
      'WARNING',
      'WARNING',
      'BREACH',
      'BREACH',
    ])
  })

  it('a buy-back sells a long BASE and buys back a short one; R_executed from what moved', () => {
    assert.deepEqual(
      Object.values(buybackOrder('USD-IDR', 'LONG_BASE', 5n)).map((v) =>
        typeof v === 'object' && 'code' in v ? v.code : v,
      ),
      ['SELL', 'USDT', 'IDRX', { kind: 'source', minor: 5n }],
    )
    assert.equal(buybackOrder('USD-IDR', 'SHORT_BASE', 5n).side, 'BUY')
    // 100,000 USDT (6 decimals) for 1,629,185,000 IDRX (2 decimals): 16,291.85.
    assert.deepEqual(executedRate('USD-IDR', 100_000_000_000n, 162_918_500_000n), r('16291.85'))
  })

  const batchArb = fc.record({
    corridor: fc.constantFrom(...CORRIDOR_IDS),
    ageH: fc.integer({ min: 0, max: 48 }),
    closing: fc.boolean(),
    due: fc.option(fc.integer({ min: -5, max: 5 }), { nil: null }),
    failedMinAgo: fc.option(fc.integer({ min: 0, max: 30 }), { nil: null }),
  })

  it('property: a plan never takes a batch twice, never one a buy-back holds, never one not due without cause', () => {
    fc.assert(
      fc.property(
        fc.array(batchArb, { maxLength: 8 }),
        fc.constantFrom('NORMAL', 'WARNING', 'BREACH' as const),
        fc.subarray([...CORRIDOR_IDS]),
        (specs, level, emergencies) => {
          const batches = specs.map((s, i) =>
            batch(`b${i}`, {
              corridor: s.corridor,
              openedAtMs: NOW - s.ageH * HOUR,
              closing: s.closing,
              closeDueAtMs: s.due === null ? null : NOW + s.due * HOUR,
              lastFailure:
                s.failedMinAgo === null ? null : { atMs: NOW - s.failedMinAgo * 60_000, method: 'RFQ' },
            }),
          )
          const bagUsd = new Map(batches.map((b) => [b.corridor, r('1000')]))
          const plan = planPhase2(
            input(batches, { varLevel: level as 'NORMAL', emergencyCorridors: emergencies, bagUsd }),
          )
          const taken = plan.closes.flatMap((c) => c.batchIds)
          assert.equal(new Set(taken).size, taken.length)
          for (const id of taken) {
            const b = batches.find((x) => x.batchId === id) as BagBatch
            assert.equal(b.closing, false)
            const close = plan.closes.find((c) => c.batchIds.includes(id))
            assert.equal(close?.corridor, b.corridor)
            if (close?.purpose === 'REBALANCE') {
              const dueAt = b.closeDueAtMs ?? b.openedAtMs + DEFAULT_PHASE2_CONFIG.closeAfterMs
              assert.ok(dueAt <= NOW)
            } else {
              assert.ok(emergencies.includes(b.corridor) || level === 'BREACH')
            }
          }
          if (plan.closeEarly !== null) assert.equal(level, 'WARNING')
        },
      ),
    )
  })

  it('property: FIFO claims take what is asked (at most all), oldest first, no batch beyond its open volume', () => {
    fc.assert(
      fc.property(
        fc.array(fc.bigInt({ min: 1n, max: 10n ** 12n }), { minLength: 1, maxLength: 6 }),
        fc.option(fc.bigInt({ min: 1n, max: 10n ** 13n }), { nil: undefined }),
        (opens, wanted) => {
          const lots = opens.map((openMinor, i) => ({ batchId: `b${i}`, openMinor }))
          const claimed = claimFifo(lots, wanted)
          const total = opens.reduce((a, b) => a + b, 0n)
          const sum = claimed.reduce((a, c) => a + c.volumeMinor, 0n)
          assert.equal(sum, wanted === undefined || wanted > total ? total : wanted)
          claimed.forEach((c, i) => {
            assert.equal(c.batchId, `b${i}`)
            assert.ok(c.volumeMinor <= (opens[i] as bigint))
            if (i < claimed.length - 1) assert.equal(c.volumeMinor, opens[i])
          })
        },
      ),
    )
  })
})

describe('Reserve escalation core (SPEC §8)', () => {
  const facts = (over: Partial<ReserveFacts> = {}): ReserveFacts => ({
    asset: 'IDRX',
    reserve: { protocol: 1_000n, classA: 0n, classB: 0n },
    yield: { protocol: 0n, classB: 0n },
    classBReservePct: 60n,
    ...over,
  })

  it('the deficit is the minimum less every owner’s Reserve', () => {
    assert.equal(
      deficitMinor(facts({ reserve: { protocol: 500n, classA: 200n, classB: 100n } }), 1_000n),
      200n,
    )
    assert.equal(deficitMinor(facts(), 900n), 0n)
  })

  it('class B’s tagged part (what its split owes its Reserve) comes back before the protocol’s Yield', () => {
    // Class B: 100 in Reserve, 400 in Yield; 60% of 500 = 300 belongs in Reserve: 200 is tagged.
    const f = facts({
      reserve: { protocol: 0n, classA: 0n, classB: 100n },
      yield: { protocol: 1_000n, classB: 400n },
    })
    assert.deepEqual(planRecall(f, 150n), [{ owner: 'class_b', minor: 150n }])
    assert.deepEqual(planRecall(f, 500n), [
      { owner: 'class_b', minor: 200n },
      { owner: 'protocol', minor: 300n },
    ])
    assert.deepEqual(planRecall(facts(), 500n), [])
  })

  it('property: a recall never exceeds the deficit nor what each owner holds, nor pushes class B past its split', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 9n }),
        fc.bigInt({ min: 0n, max: 10n ** 9n }),
        fc.bigInt({ min: 0n, max: 10n ** 9n }),
        fc.bigInt({ min: 0n, max: 100n }),
        fc.bigInt({ min: 1n, max: 10n ** 10n }),
        (rb, yb, yp, pct, deficit) => {
          const f = facts({
            reserve: { protocol: 0n, classA: 0n, classB: rb },
            yield: { protocol: yp, classB: yb },
            classBReservePct: pct,
          })
          const recalls = planRecall(f, deficit)
          const of = (owner: string) => recalls.find((x) => x.owner === owner)?.minor ?? 0n
          assert.ok(of('class_b') + of('protocol') <= deficit)
          assert.ok(of('class_b') <= yb && of('protocol') <= yp)
          assert.ok(rb + of('class_b') <= ((rb + yb) * pct + 99n) / 100n || of('class_b') === 0n)
          for (const x of recalls) assert.ok(x.minor > 0n)
        },
      ),
    )
  })

  it('the Reserve pays with the asset it shares a corridor with that stands furthest above its minimum', () => {
    const surplus = new Map([
      ['USDT', r('100')],
      ['MYRC', r('500')],
      ['tnSGD', r('900')],
    ] as const)
    assert.deepEqual(fundingAsset('IDRX', surplus), { asset: 'MYRC', corridor: 'MYR-IDR' })
    assert.deepEqual(fundingAsset('MYRC', surplus), undefined)
    assert.deepEqual(fundingAsset('tnSGD', surplus), { asset: 'USDT', corridor: 'USD-SGD' })
  })
})
