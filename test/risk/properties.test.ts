import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { evaluate, initialRiskState } from '../../src/risk/machine.ts'
import {
  isMoreSevere,
  mostSevere,
  RISK_STATES,
  type RiskState,
  SIDES,
  SIGNALS,
  type SignalResult,
  severity,
} from '../../src/risk/states.ts'

const state = fc.constantFrom(...RISK_STATES)
const signal: fc.Arbitrary<SignalResult> = fc.record(
  {
    signal: fc.constantFrom(...SIGNALS),
    state,
    reason: fc.string({ maxLength: 8 }),
    allowedDirections: fc.subarray([...SIDES]),
  },
  { requiredKeys: ['signal', 'state', 'reason'] },
)
const signals = fc.array(signal, { maxLength: 6 })

/** Any reachable machine state: some evaluations from the start, at increasing times. */
const machineState = fc
  .array(fc.tuple(signals, fc.constantFrom('degrade' as const, 'recover' as const)), { maxLength: 5 })
  .map((steps) =>
    steps.reduce((s, [list, mode], i) => evaluate(s, list, mode, (i + 1) * 1_000), initialRiskState(0)),
  )

describe('mostSevere', () => {
  it('is commutative and independent of order', () => {
    fc.assert(
      fc.property(state, state, (a, b) => mostSevere([a, b]) === mostSevere([b, a])),
      { numRuns: 200 },
    )
    fc.assert(
      fc.property(fc.array(state), fc.array(state), (a, b) => {
        assert.equal(mostSevere([...a, ...b]), mostSevere([...b, ...a]))
        assert.equal(mostSevere(a), mostSevere([...a].reverse()))
      }),
    )
  })

  it('is one of its inputs and at least as severe as each', () => {
    fc.assert(
      fc.property(fc.array(state, { minLength: 1 }), (list) => {
        const worst = mostSevere(list)
        assert.ok(list.includes(worst))
        for (const s of list) assert.ok(!isMoreSevere(s, worst))
      }),
    )
  })

  it('of nothing is NORMAL', () => {
    assert.equal(mostSevere([]), 'NORMAL')
  })
})

describe('evaluate', () => {
  it('a degrade evaluation is never less severe than its input state, nor than its signals', () => {
    fc.assert(
      fc.property(machineState, signals, (previous, list) => {
        const next = evaluate(previous, list, 'degrade', 10_000)
        assert.ok(severity(next.state) >= severity(previous.state))
        assert.ok(severity(next.state) >= severity(mostSevere(list.map((s) => s.state))))
      }),
      { numRuns: 1_000 },
    )
  })

  it('a recover evaluation lands between the signals and the previous state, never milder than the signals', () => {
    fc.assert(
      fc.property(machineState, signals, (previous, list) => {
        const next = evaluate(previous, list, 'recover', 10_000)
        const signalState: RiskState = mostSevere(list.map((s) => s.state))
        assert.ok(severity(next.state) >= severity(signalState))
        assert.ok(severity(next.state) <= Math.max(severity(previous.state), severity(signalState)))
      }),
      { numRuns: 1_000 },
    )
  })

  it('changed, previousState and sinceMs agree with the transition', () => {
    fc.assert(
      fc.property(
        machineState,
        signals,
        fc.constantFrom('degrade' as const, 'recover' as const),
        (previous, list, mode) => {
          const next = evaluate(previous, list, mode, 10_000)
          assert.equal(next.previousState, previous.state)
          assert.equal(next.changed, next.state !== previous.state)
          assert.equal(next.sinceMs, next.changed ? 10_000 : previous.sinceMs)
          if (next.state === 'HALT') assert.deepEqual(next.allowedDirections, [])
          if (next.state === 'NORMAL' || next.state === 'PROTECT')
            assert.deepEqual(next.allowedDirections, ['BUY', 'SELL'])
        },
      ),
      { numRuns: 1_000 },
    )
  })
})
