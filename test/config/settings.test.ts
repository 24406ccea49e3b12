import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { ConfigError, loadSettings } from '../../src/config/settings.ts'

describe('settings from the environment', () => {
  it('has the documented defaults', () => {
    assert.deepEqual(loadSettings({}), {
      port: 8080,
      host: '127.0.0.1',
      databaseUrl: 'file:./data/stablefx.db',
      adminToken: undefined,
      opsToken: undefined,
      oracle: 'sim',
      rebalancer: 'on',
      rateLimit: 'on',
      pgPrepare: 'on',
      logLevel: 'info',
      dataDir: './data',
      oracleSeed: 1,
      oracleFeeds: [],
      ratesEnvironment: 'sandbox',
      ratesMode: 'executable',
      ratesAllow: [],
      ratesReferenceUsd: 1000,
      sseMaxPerPartner: 5,
      leaseMs: 5000,
      webhookAllowPrivate: 'on',
      secretsKey: undefined,
      travelRuleUsd: 1000,
      paymentTimeoutS: 86400,
      evm: undefined,
    })
  })

  it('reads every variable', () => {
    const settings = loadSettings({
      PORT: '9000',
      HOST: '0.0.0.0',
      DATABASE_URL: 'postgres://u:p@db/stablefx',
      STABLEFX_ADMIN_TOKEN: 'a'.repeat(40),
      STABLEFX_ORACLE: 'manual',
      STABLEFX_REBALANCER: 'off',
      STABLEFX_RATE_LIMIT: 'off',
      LOG_LEVEL: 'debug',
      STABLEFX_DATA_DIR: '/var/lib/stablefx',
      STABLEFX_SSE_MAX_PER_PARTNER: '2',
      STABLEFX_LEASE_MS: '2000',
    })
    assert.equal(settings.port, 9000)
    assert.equal(settings.databaseUrl, 'postgres://u:p@db/stablefx')
    assert.equal(settings.oracle, 'manual')
    assert.equal(settings.rebalancer, 'off')
    assert.equal(settings.logLevel, 'debug')
    assert.equal(settings.sseMaxPerPartner, 2)
    assert.equal(settings.leaseMs, 2000)
  })

  const bad: [Record<string, string>, string, string][] = [
    [{ PORT: 'abc' }, 'PORT', 'PORT must be an integer from 0 to 65535 (got "abc")'],
    [
      { STABLEFX_LEASE_MS: '1999' },
      'STABLEFX_LEASE_MS',
      'STABLEFX_LEASE_MS must be from 2000 to 60000 milliseconds (got "1999")',
    ],
    [
      { STABLEFX_LEASE_MS: '60001' },
      'STABLEFX_LEASE_MS',
      'STABLEFX_LEASE_MS must be from 2000 to 60000 milliseconds (got "60001")',
    ],
    [{ PORT: '70000' }, 'PORT', 'PORT must be an integer from 0 to 65535 (got "70000")'],
    [
      { DATABASE_URL: 'mysql://x' },
      'DATABASE_URL',
      'DATABASE_URL must start with file: or postgres:// (got "mysql://x")',
    ],
    [
      { STABLEFX_ORACLE: 'live' },
      'STABLEFX_ORACLE',
      'STABLEFX_ORACLE must be one of sim, manual (got "live")',
    ],
    [
      { STABLEFX_REBALANCER: 'yes' },
      'STABLEFX_REBALANCER',
      'STABLEFX_REBALANCER must be one of on, off (got "yes")',
    ],
    [
      { LOG_LEVEL: 'loud' },
      'LOG_LEVEL',
      'LOG_LEVEL must be one of fatal, error, warn, info, debug, trace, silent (got "loud")',
    ],
    [
      { STABLEFX_SSE_MAX_PER_PARTNER: '0' },
      'STABLEFX_SSE_MAX_PER_PARTNER',
      'STABLEFX_SSE_MAX_PER_PARTNER must be a whole number from 1 (got "0")',
    ],
    [
      { STABLEFX_SSE_MAX_PER_PARTNER: 'many' },
      'STABLEFX_SSE_MAX_PER_PARTNER',
      'STABLEFX_SSE_MAX_PER_PARTNER must be a whole number (got "many")',
    ],
    [
      { STABLEFX_ADMIN_TOKEN: 'short' },
      'STABLEFX_ADMIN_TOKEN',
      'STABLEFX_ADMIN_TOKEN must be at least 32 characters without spaces',
    ],
  ]
  for (const [env, variable, message] of bad) {
    it(`refuses ${JSON.stringify(env)} naming ${variable}`, () => {
      assert.throws(
        () => loadSettings(env),
        (error: unknown) =>
          error instanceof ConfigError && error.variable === variable && error.message === message,
      )
    })
  }
})
