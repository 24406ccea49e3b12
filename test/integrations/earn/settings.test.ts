/**
 * Issue 12: the venue's settlement addresses per entity from the
 * environment, checksummed; a value that is not an address stops the server
 * naming the variable; none configured leaves settlements to an operator.
 */
import assert from 'node:assert/strict'
import { it } from 'node:test'
import { earnSettingsFromEnv } from '../../../src/integrations/earn/settings.ts'

const LIVE = {
  STABLEFX_EARN_LIVE_URL: 'https://earn.example.com',
  STABLEFX_EARN_LIVE_LENDING_CLIENT_ID: 'lending-id',
  STABLEFX_EARN_LIVE_LENDING_CLIENT_SECRET: 'lending-secret',
  STABLEFX_EARN_LIVE_DEFI_CLIENT_ID: 'defi-id',
  STABLEFX_EARN_LIVE_DEFI_CLIENT_SECRET: 'defi-secret',
}

it('reads each entity’s settlement address, checksummed', () => {
  const settings = earnSettingsFromEnv({
    ...LIVE,
    STABLEFX_EARN_LIVE_LENDING_SETTLEMENT_ADDRESS: '0x70997970c51812dc3a010c7d01b50e0d17dc79c8',
  })
  assert.equal(settings.live.kind, 'venue')
  assert.deepEqual(settings.live.kind === 'venue' ? settings.live.config.settlementAddresses : 'off', {
    lending: '0x70997970C51812dc3A010C7d01b50e0d17dc79C8',
  })
})

it('no address: no settlementAddresses (an operator pays)', () => {
  const settings = earnSettingsFromEnv(LIVE)
  assert.equal(settings.live.kind === 'venue' ? settings.live.config.settlementAddresses : 'off', undefined)
})

it('refuses a value that is not an address, naming the variable', () => {
  assert.throws(
    () => earnSettingsFromEnv({ ...LIVE, STABLEFX_EARN_LIVE_DEFI_SETTLEMENT_ADDRESS: '0x1234' }),
    { message: 'STABLEFX_EARN_LIVE_DEFI_SETTLEMENT_ADDRESS must be a 0x EVM address' },
  )
})
