/** Issue 13 process settings: the Travel Rule threshold and the unanswered-instruction timeout. */
import assert from 'node:assert/strict'
import { it } from 'node:test'
import { ConfigError, loadSettings } from '../../src/config/settings.ts'

it('defaults: Travel Rule from $1,000, instructions answered within 24 hours', () => {
  const settings = loadSettings({})
  assert.equal(settings.travelRuleUsd, 1000)
  assert.equal(settings.paymentTimeoutS, 86_400)
})

it('STABLEFX_TRAVEL_RULE_USD and STABLEFX_PAYMENT_TIMEOUT_S set them', () => {
  const settings = loadSettings({ STABLEFX_TRAVEL_RULE_USD: '0', STABLEFX_PAYMENT_TIMEOUT_S: '3600' })
  assert.equal(settings.travelRuleUsd, 0)
  assert.equal(settings.paymentTimeoutS, 3600)
})

it('a bad value stops the start with the variable named', () => {
  assert.throws(
    () => loadSettings({ STABLEFX_TRAVEL_RULE_USD: '1e3' }),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError)
      assert.equal(error.variable, 'STABLEFX_TRAVEL_RULE_USD')
      return true
    },
  )
  assert.throws(
    () => loadSettings({ STABLEFX_PAYMENT_TIMEOUT_S: '59' }),
    /STABLEFX_PAYMENT_TIMEOUT_S must be at least 60 seconds/,
  )
})
