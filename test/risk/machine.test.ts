import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { DEFAULT_RISK_CONFIG } from '../../src/config/risk.ts'
import {
  applyOverride,
  type CorridorRiskState,
  type EvaluationMode,
  evaluate,
  initialRiskState,
  isRecoveryDue,
  nextState,
  type StateOverride,
} from '../../src/risk/machine.ts'
import type { RiskState, Side, SignalName, SignalResult } from '../../src/risk/states.ts'

function sig(signal: SignalName, state: RiskState, allowedDirections?: Side[]): SignalResult {
  const result = { signal, state, reason: `${signal} says ${state}` }
  return allowedDirections === undefined ? result : { ...result, allowedDirections }
}

/** The four SPEC §6.2 signals, all clear except those given. */
function signals(...raised: SignalResult[]): SignalResult[] {
  const names: SignalName[] = ['oracle', 'volatility', 'inventory', 'exposure']
  return names.map((name) => raised.find((s) => s.signal === name) ?? sig(name, 'NORMAL'))
}

/** A corridor that reached `state` at time `sinceMs` through the given signals. */
function at(state: RiskState, sinceMs: number, ...raised: SignalResult[]): CorridorRiskState {
  const reached = evaluate(initialRiskState(0), signals(...raised), 'degrade', sinceMs)
  assert.equal(reached.state, state)
  return reached
}

describe('degradation is immediate (SPEC §6.1)', () => {
  const modes: EvaluationMode[] = ['degrade', 'recover']
  for (const mode of modes) {
    it(`NORMAL → RESTRICT on a ${mode} evaluation, with reasons and time`, () => {
      const next = evaluate(initialRiskState(0), signals(sig('volatility', 'RESTRICT')), mode, 1_000)
      assert.deepEqual(
        {
          state: next.state,
          changed: next.changed,
          previousState: next.previousState,
          sinceMs: next.sinceMs,
        },
        { state: 'RESTRICT', changed: true, previousState: 'NORMAL', sinceMs: 1_000 },
      )
      assert.deepEqual(next.reasons, ['volatility: volatility says RESTRICT'])
    })
  }

  it('skips states: NORMAL → HALT at once', () => {
    const next = evaluate(initialRiskState(0), signals(sig('oracle', 'HALT')), 'degrade', 5)
    assert.equal(next.state, 'HALT')
    assert.deepEqual(next.allowedDirections, [])
  })

  it('PROTECT → RESTRICT keeps only the inventory side', () => {
    const previous = at('PROTECT', 10, sig('volatility', 'PROTECT'))
    const next = evaluate(
      previous,
      signals(sig('volatility', 'PROTECT'), sig('inventory', 'RESTRICT', ['BUY'])),
      'degrade',
      20,
    )
    assert.equal(next.state, 'RESTRICT')
    assert.deepEqual(next.allowedDirections, ['BUY'])
    assert.deepEqual(next.reasons, ['inventory: inventory says RESTRICT'])
    assert.equal(next.sinceMs, 20)
  })

  it('lists every signal at the new state', () => {
    const next = evaluate(
      initialRiskState(0),
      signals(sig('oracle', 'PROTECT'), sig('exposure', 'PROTECT')),
      'degrade',
      1,
    )
    assert.deepEqual(next.reasons, ['oracle: oracle says PROTECT', 'exposure: exposure says PROTECT'])
  })
})

describe('a degrade evaluation never improves the state', () => {
  it('RESTRICT with every signal clear stays RESTRICT, keeping its reasons, side and time', () => {
    const previous = at('RESTRICT', 100, sig('inventory', 'RESTRICT', ['SELL']))
    const next = evaluate(previous, signals(), 'degrade', 200)
    assert.deepEqual(
      {
        state: next.state,
        changed: next.changed,
        sinceMs: next.sinceMs,
        signalState: next.signalState,
        reasons: next.reasons,
        allowedDirections: next.allowedDirections,
      },
      {
        state: 'RESTRICT',
        changed: false,
        sinceMs: 100,
        signalState: 'NORMAL',
        reasons: ['inventory: inventory says RESTRICT'],
        allowedDirections: ['SELL'],
      },
    )
  })

  it('HALT with a milder signal stays HALT', () => {
    const previous = at('HALT', 100, sig('oracle', 'HALT'))
    assert.equal(evaluate(previous, signals(sig('volatility', 'PROTECT')), 'degrade', 200).state, 'HALT')
  })
})

describe('recovery on a recover evaluation (SPEC §6.3)', () => {
  it('all clear → NORMAL', () => {
    const previous = at('HALT', 100, sig('oracle', 'HALT'))
    const next = evaluate(previous, signals(), 'recover', 300_100)
    assert.deepEqual(
      { state: next.state, changed: next.changed, previousState: next.previousState, sinceMs: next.sinceMs },
      { state: 'NORMAL', changed: true, previousState: 'HALT', sinceMs: 300_100 },
    )
    assert.deepEqual(next.reasons, [])
    assert.deepEqual(next.allowedDirections, ['BUY', 'SELL'])
  })

  it('some clear → PROTECT', () => {
    const previous = at('RESTRICT', 100, sig('inventory', 'RESTRICT', ['BUY']), sig('volatility', 'PROTECT'))
    const next = evaluate(previous, signals(sig('volatility', 'PROTECT')), 'recover', 300_100)
    assert.equal(next.state, 'PROTECT')
    assert.deepEqual(next.reasons, ['volatility: volatility says PROTECT'])
    assert.deepEqual(next.allowedDirections, ['BUY', 'SELL'])
  })

  it('some clear, but a remaining signal is worse than PROTECT → that signal’s state, never milder', () => {
    const previous = at('HALT', 100, sig('oracle', 'HALT'), sig('inventory', 'RESTRICT', ['SELL']))
    const next = evaluate(previous, signals(sig('inventory', 'RESTRICT', ['SELL'])), 'recover', 300_100)
    assert.equal(next.state, 'RESTRICT')
    assert.deepEqual(next.allowedDirections, ['SELL'])
  })

  it('none clear → unchanged, even when every signal has eased', () => {
    const previous = at('HALT', 100, sig('oracle', 'HALT'))
    const eased = ['oracle', 'volatility', 'inventory', 'exposure'].map((n) =>
      sig(n as SignalName, 'PROTECT'),
    )
    const next = evaluate(previous, eased, 'recover', 300_100)
    assert.deepEqual(
      { state: next.state, changed: next.changed, sinceMs: next.sinceMs },
      { state: 'HALT', changed: false, sinceMs: 100 },
    )
  })

  it('none clear and nothing eased → unchanged', () => {
    const previous = at('PROTECT', 100, sig('volatility', 'PROTECT'))
    const all = ['oracle', 'volatility', 'inventory', 'exposure'].map((n) => sig(n as SignalName, 'PROTECT'))
    assert.equal(evaluate(previous, all, 'recover', 300_100).state, 'PROTECT')
  })

  it('no signals at all is all clear', () => {
    assert.equal(evaluate(at('RESTRICT', 1, sig('exposure', 'RESTRICT')), [], 'recover', 2).state, 'NORMAL')
  })
})

describe('nextState, every state against every signal mix', () => {
  // [current, signal states, mode, expected]
  const cases: [RiskState, RiskState[], EvaluationMode, RiskState][] = [
    ['NORMAL', ['NORMAL', 'NORMAL'], 'degrade', 'NORMAL'],
    ['NORMAL', ['NORMAL', 'PROTECT'], 'degrade', 'PROTECT'],
    ['PROTECT', ['NORMAL', 'NORMAL'], 'degrade', 'PROTECT'],
    ['PROTECT', ['NORMAL', 'NORMAL'], 'recover', 'NORMAL'],
    ['PROTECT', ['NORMAL', 'PROTECT'], 'recover', 'PROTECT'],
    ['PROTECT', ['PROTECT', 'PROTECT'], 'recover', 'PROTECT'],
    ['PROTECT', ['NORMAL', 'HALT'], 'recover', 'HALT'],
    ['RESTRICT', ['NORMAL', 'NORMAL'], 'recover', 'NORMAL'],
    ['RESTRICT', ['NORMAL', 'PROTECT'], 'recover', 'PROTECT'],
    ['RESTRICT', ['NORMAL', 'RESTRICT'], 'recover', 'RESTRICT'],
    ['RESTRICT', ['PROTECT', 'PROTECT'], 'recover', 'RESTRICT'],
    ['RESTRICT', ['PROTECT', 'PROTECT'], 'degrade', 'RESTRICT'],
    ['HALT', ['NORMAL', 'NORMAL'], 'recover', 'NORMAL'],
    ['HALT', ['NORMAL', 'PROTECT'], 'recover', 'PROTECT'],
    ['HALT', ['NORMAL', 'RESTRICT'], 'recover', 'RESTRICT'],
    ['HALT', ['NORMAL', 'HALT'], 'recover', 'HALT'],
    ['HALT', ['RESTRICT', 'PROTECT'], 'recover', 'HALT'],
    ['HALT', ['NORMAL', 'NORMAL'], 'degrade', 'HALT'],
  ]
  for (const [current, states, mode, expected] of cases) {
    it(`${current} + [${states.join(', ')}] on ${mode} → ${expected}`, () => {
      const list = states.map((state, i) => sig(i === 0 ? 'oracle' : 'volatility', state))
      assert.equal(nextState(current, list, mode), expected)
    })
  }
})

describe('a corridor over time, with an injected clock', () => {
  it('NORMAL → PROTECT → RESTRICT as a pool drains, held until the recovery timer, then NORMAL', () => {
    const config = DEFAULT_RISK_CONFIG
    let state = initialRiskState(0)
    state = evaluate(state, signals(sig('inventory', 'PROTECT')), 'degrade', 1_000)
    assert.equal(state.state, 'PROTECT')
    state = evaluate(state, signals(sig('inventory', 'RESTRICT', ['BUY'])), 'degrade', 2_000)
    assert.deepEqual([state.state, state.sinceMs, state.allowedDirections], ['RESTRICT', 2_000, ['BUY']])
    // The pool is refilled: the next swaps see clear signals, but only recovery may improve the state.
    state = evaluate(state, signals(), 'degrade', 3_000)
    assert.equal(state.state, 'RESTRICT')
    assert.equal(isRecoveryDue(0, 299_999, config), false)
    assert.equal(isRecoveryDue(0, 300_000, config), true)
    state = evaluate(state, signals(), 'recover', 300_000)
    assert.deepEqual(
      [state.state, state.previousState, state.changed, state.sinceMs],
      ['NORMAL', 'RESTRICT', true, 300_000],
    )
  })
})

describe('operator overrides (SPEC §13): tighten any time, loosen only until expiry', () => {
  const normal = at('NORMAL', 0)
  const halted = at('HALT', 0, sig('inventory', 'HALT', ['BUY']))

  it('no override → the computed state', () => {
    const effective = applyOverride(halted, undefined, 10)
    assert.deepEqual(
      { state: effective.state, reasons: effective.reasons, override: effective.override },
      { state: 'HALT', reasons: halted.reasons, override: undefined },
    )
  })

  it('tightens while active and is ignored from its expiry on', () => {
    const override: StateOverride = { state: 'HALT', reason: 'issuer depeg under review', expiresAtMs: 1_000 }
    const during = applyOverride(normal, override, 999)
    assert.equal(during.state, 'HALT')
    assert.deepEqual(during.allowedDirections, [])
    assert.deepEqual(during.reasons, [
      'override: HALT until 1970-01-01T00:00:01.000Z: issuer depeg under review',
    ])
    assert.deepEqual(during.override, override)
    const after = applyOverride(normal, override, 1_000)
    assert.equal(after.state, 'NORMAL')
    assert.equal(after.override, undefined)
  })

  it('loosens while active, and the computed state returns at expiry', () => {
    const override: StateOverride = { state: 'RESTRICT', reason: 'rebalance in flight', expiresAtMs: 1_000 }
    const during = applyOverride(halted, override, 999)
    assert.equal(during.state, 'RESTRICT')
    // The inventory signal's side still applies: only refilling trades pass.
    assert.deepEqual(during.allowedDirections, ['BUY'])
    assert.deepEqual(during.reasons, [
      'override: RESTRICT until 1970-01-01T00:00:01.000Z: rebalance in flight',
      'inventory: inventory says HALT',
    ])
    assert.equal(applyOverride(halted, override, 1_000).state, 'HALT')
    assert.equal(applyOverride(halted, override, 5_000).state, 'HALT')
  })

  it('an override never feeds back into the machine: the computed state is kept as it was', () => {
    const override: StateOverride = { state: 'HALT', reason: 'drill', expiresAtMs: 1_000 }
    const effective = applyOverride(normal, override, 500)
    assert.equal(effective.computed, normal)
    assert.equal(evaluate(effective.computed, signals(), 'degrade', 1_000).state, 'NORMAL')
  })

  it('loosening to NORMAL opens both sides', () => {
    const override: StateOverride = { state: 'NORMAL', reason: 'false alarm', expiresAtMs: 1_000 }
    assert.deepEqual(applyOverride(halted, override, 0).allowedDirections, ['BUY', 'SELL'])
  })
})
