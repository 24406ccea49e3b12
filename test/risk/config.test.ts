import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { DEFAULT_RISK_CONFIG, type RiskConfig, validateRiskConfig } from '../../src/config/risk.ts'
import { r } from '../../src/money/ratio.ts'

const D = DEFAULT_RISK_CONFIG

describe('DEFAULT_RISK_CONFIG holds the SPEC §6 values', () => {
  it('is valid', () => {
    assert.deepEqual(validateRiskConfig(D), [])
  })

  it('volatility: 5-minute window, 0.05 / 0.15 / 0.30 %', () => {
    assert.equal(D.volatility.windowMs, 300_000)
    assert.deepEqual(
      [D.volatility.protectAtPct, D.volatility.restrictAtPct, D.volatility.haltAbovePct],
      [r('0.05'), r('0.15'), r('0.3')],
    )
  })

  it('inventory: dead zones from the corridor table, 25 % rule, min 40 %, halt below 20 %', () => {
    assert.deepEqual(D.inventory.deadZonePct, { 'USD-IDR': r('5'), 'USD-SGD': r('3'), 'MYR-IDR': r('7') })
    assert.deepEqual(D.inventory.restrictBeyondPct, r('25'))
    assert.deepEqual(D.inventory.activeMinPct, {
      USDT: r('40'),
      IDRX: r('40'),
      tnSGD: r('40'),
      MYRC: r('40'),
    })
    assert.deepEqual(D.inventory.haltBelowPct, r('20'))
  })

  it('exposure, VaR and concentration', () => {
    const e = D.exposure
    assert.deepEqual([e.warnAtPctOfCapacity, e.breachAtPctOfCapacity], [r('70'), r('90')])
    assert.deepEqual([e.varZ, e.stressVarZ, e.diversificationDiscountPct], [r('1.645'), r('2.326'), r('15')])
    assert.deepEqual([e.varWarnAtPctOfCapital, e.varBreachAtPctOfCapital], [r('5'), r('10')])
    assert.deepEqual(e.concentrationWarnAtPct, r('50'))
    assert.equal(e.evaluationIntervalMs, 300_000)
  })

  it('recovery every 5 minutes; SPEC §5 state multipliers and max internal size', () => {
    assert.equal(D.recovery.intervalMs, 300_000)
    assert.deepEqual(D.stateResponse, {
      protect: { addOnFactor: r('1.5'), maxSizeFactor: r('0.5') },
      restrict: { maxSizeFactor: r('0.25') },
    })
    assert.deepEqual(D.maxInternalSize, { capUsd: r('200000'), pctOfDestinationActive: r('10') })
  })
})

describe('validateRiskConfig finds problems', () => {
  const cases: [string, RiskConfig, string | string[]][] = [
    [
      'volatility thresholds not increasing',
      { ...D, volatility: { ...D.volatility, restrictAtPct: r('0.3') } },
      'volatility.restrictAtPct must be below volatility.haltAbovePct',
    ],
    [
      'a percentage above 100',
      { ...D, exposure: { ...D.exposure, breachAtPctOfCapacity: r('101') } },
      'exposure.breachAtPctOfCapacity must be above 0 and at most 100',
    ],
    [
      'exposure warn not below breach',
      { ...D, exposure: { ...D.exposure, warnAtPctOfCapacity: r('90') } },
      'exposure.warnAtPctOfCapacity must be below exposure.breachAtPctOfCapacity',
    ],
    [
      'a negative percentage',
      { ...D, exposure: { ...D.exposure, diversificationDiscountPct: r('-1') } },
      'exposure.diversificationDiscountPct must be at least 0 and at most 100',
    ],
    [
      'a dead zone as wide as the 25 % rule',
      {
        ...D,
        inventory: { ...D.inventory, deadZonePct: { ...D.inventory.deadZonePct, 'USD-SGD': r('25') } },
      },
      'inventory.deadZonePct.USD-SGD must be below inventory.restrictBeyondPct',
    ],
    [
      'halt level not below the Active minimum',
      { ...D, inventory: { ...D.inventory, haltBelowPct: r('40') } },
      ['USDT', 'IDRX', 'tnSGD', 'MYRC'].map(
        (code) => `inventory.haltBelowPct must be below inventory.activeMinPct.${code}`,
      ),
    ],
    [
      'stress quantile below the VaR quantile',
      { ...D, exposure: { ...D.exposure, stressVarZ: r('1.5') } },
      'exposure.stressVarZ must be at least exposure.varZ',
    ],
    [
      'VaR warn not below breach',
      { ...D, exposure: { ...D.exposure, varWarnAtPctOfCapital: r('10') } },
      'exposure.varWarnAtPctOfCapital must be below exposure.varBreachAtPctOfCapital',
    ],
    [
      'a fractional recovery interval',
      { ...D, recovery: { intervalMs: 0.5 } },
      'recovery.intervalMs must be a positive whole number of ms',
    ],
    [
      'PROTECT narrowing the add-ons',
      {
        ...D,
        stateResponse: { ...D.stateResponse, protect: { addOnFactor: r('0.9'), maxSizeFactor: r('0.5') } },
      },
      'stateResponse.protect.addOnFactor must be at least 1',
    ],
    [
      'RESTRICT allowing larger sizes than PROTECT',
      { ...D, stateResponse: { ...D.stateResponse, restrict: { maxSizeFactor: r('0.75') } } },
      'stateResponse.restrict.maxSizeFactor must be at most stateResponse.protect.maxSizeFactor',
    ],
    [
      'a zero max internal size',
      { ...D, maxInternalSize: { ...D.maxInternalSize, capUsd: r('0') } },
      'maxInternalSize.capUsd must be positive',
    ],
  ]
  for (const [name, config, problem] of cases) {
    it(name, () => {
      assert.deepEqual(validateRiskConfig(config), typeof problem === 'string' ? [problem] : problem)
    })
  }
})
