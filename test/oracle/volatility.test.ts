import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { r, ratio, ZERO } from '../../src/money/ratio.ts'
import { createMidHistory, MID_HISTORY_MS, type MidPoint, midMoveBps } from '../../src/oracle/volatility.ts'

const MINUTE = 60_000

function points(...entries: [number, string][]): MidPoint[] {
  return entries.map(([atMs, mid]) => ({ atMs, mid: r(mid) }))
}

describe('midMoveBps (SPEC §6.2 volatility, §5 add-on)', () => {
  const history = points([0, '16000'], [1 * MINUTE, '16008'], [5 * MINUTE, '16016'])

  const rows: {
    name: string
    history: MidPoint[]
    nowMs: number
    windowMs: number
    bps: ReturnType<typeof r>
  }[] = [
    { name: 'no points', history: [], nowMs: 0, windowMs: 5 * MINUTE, bps: ZERO },
    { name: 'one point', history: points([0, '16000']), nowMs: MINUTE, windowMs: 5 * MINUTE, bps: ZERO },
    {
      name: 'window start exactly on a point: 16000 → 16016 is 10 bps',
      history,
      nowMs: 5 * MINUTE,
      windowMs: 5 * MINUTE,
      bps: r('10'),
    },
    {
      name: 'window start between points takes the mid in effect then (16008)',
      history,
      nowMs: 5 * MINUTE,
      windowMs: 4 * MINUTE - 1,
      bps: ratio(10_000n, 2001n),
    },
    {
      name: 'history shorter than the window starts at the oldest point',
      history,
      nowMs: 5 * MINUTE,
      windowMs: 15 * MINUTE,
      bps: r('10'),
    },
    {
      name: 'points after now are ignored',
      history,
      nowMs: 3 * MINUTE,
      windowMs: 5 * MINUTE,
      bps: r('5'),
    },
    {
      name: 'a fall counts like a rise: 16000 → 15992 is 5 bps',
      history: points([0, '16000'], [MINUTE, '15992']),
      nowMs: MINUTE,
      windowMs: 5 * MINUTE,
      bps: r('5'),
    },
    {
      name: 'USD-SGD 1.3 → 1.30065 is 5 bps exactly',
      history: points([0, '1.3'], [MINUTE, '1.30065']),
      nowMs: 2 * MINUTE,
      windowMs: 5 * MINUTE,
      bps: r('5'),
    },
    {
      name: 'latest equals the start: 0',
      history: points([0, '4.2'], [MINUTE, '4.3'], [2 * MINUTE, '4.2']),
      nowMs: 2 * MINUTE,
      windowMs: 2 * MINUTE,
      bps: ZERO,
    },
  ]

  for (const row of rows) {
    it(row.name, () => {
      assert.deepEqual(midMoveBps(row.history, row.nowMs, row.windowMs), row.bps)
    })
  }
})

describe('createMidHistory', () => {
  it('keeps 15 minutes by default, plus the point in effect at the cut-off', () => {
    assert.equal(MID_HISTORY_MS, 15 * MINUTE)
    const history = createMidHistory()
    for (const minute of [0, 1, 2, 10, 16, 17])
      history.record({ atMs: minute * MINUTE, mid: r(`${16000 + minute}`) })
    // Newest at 17 min: the cut-off is 2 min, so the point at 2 min stays as the start of a full window.
    assert.deepEqual(
      history.points().map((point) => point.atMs / MINUTE),
      [2, 10, 16, 17],
    )
  })

  it('prunes on insert with a shorter keep', () => {
    const history = createMidHistory({ keepMs: MINUTE })
    history.record({ atMs: 0, mid: r('1') })
    history.record({ atMs: 30_000, mid: r('2') })
    history.record({ atMs: 90_001, mid: r('3') })
    assert.deepEqual(history.points(), points([30_000, '2'], [90_001, '3']))
  })

  it('never holds more than maxPoints', () => {
    const history = createMidHistory({ maxPoints: 3 })
    for (let i = 0; i < 5; i += 1) history.record({ atMs: i, mid: r(`${i + 1}`) })
    assert.deepEqual(history.points(), points([2, '3'], [3, '4'], [4, '5']))
  })

  it('keeps time order: an earlier timestamp is moved up to the last one', () => {
    const history = createMidHistory()
    history.record({ atMs: 5_000, mid: r('1') })
    history.record({ atMs: 4_000, mid: r('2') })
    assert.deepEqual(history.points(), points([5_000, '1'], [5_000, '2']))
    assert.deepEqual(midMoveBps(history.points(), 5_000, MINUTE), r('10000'))
  })
})
