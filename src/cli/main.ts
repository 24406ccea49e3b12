import { parseArgs } from 'node:util'
import type { Kysely } from 'kysely'
import { createStablefx } from '../app.ts'
import { systemClock } from '../clock/clock.ts'
import { ConfigError, loadSettings, type Settings } from '../config/settings.ts'
import { stdoutDestination } from '../http/log-destination.ts'
import { type EarnSettings, earnSettingsFromEnv } from '../integrations/earn/settings.ts'
import { verifyLedger } from '../ledger/verify.ts'
import { PARTNER_TYPES, type PartnerType } from '../partners/model.ts'
import { SCENARIO_USAGE, scenarioCommand } from '../scenarios/cli.ts'
import { CHAIN_SIM_USAGE, chainSimCommand } from '../sim/chain.ts'
import { EARN_VENUE_SIM_USAGE, earnVenueSimCommand } from '../sim/earn-venue.ts'
import { ISSUER_SIM_USAGE, issuerSimCommand } from '../sim/issuer.ts'
import { MARKET_MAKERS_USAGE, marketMakersCommand } from '../sim/market-makers.ts'
import { migrate } from '../store/migrations.ts'
import { openStore, type Store } from '../store/store.ts'
import { PARTNERS_USAGE, partnersCommand, withPartnerService } from './partners.ts'
import { createShutdown } from './shutdown.ts'
import { startupSummary } from './startup-summary.ts'
import { resolveSecretsKey, resolveToken } from './tokens.ts'

const USAGE = `usage: stablefx <command>

  serve                      run the HTTP server (what npm start does)
  migrate                    apply database migrations and exit
  ledger verify              recompute every balance and check every ledger invariant
  partners create --name N --type T [--corridors USD-IDR,USD-SGD]
                             [--daily-limit-usd N] [--monthly-limit-usd N]
                             [--fee-tier-multiplier N] [--rate-limit-tier standard|premium]
                             provision a partner and print its secrets once
${PARTNERS_USAGE}
${MARKET_MAKERS_USAGE}
${ISSUER_SIM_USAGE}
${EARN_VENUE_SIM_USAGE}
${CHAIN_SIM_USAGE}
${SCENARIO_USAGE}

Configuration comes from environment variables; see the README.`

/** Longest an exit waits for log lines a slow stdout reader has not taken yet. */
const LOG_FLUSH_MS = 1_000

function fatal(message: string): never {
  process.stderr.write(`stablefx: ${message}\n`)
  process.exit(1)
}

async function serve(settings: Settings): Promise<void> {
  const admin = resolveToken('admin', settings.adminToken, settings.dataDir)
  const ops = resolveToken('ops', settings.opsToken, settings.dataDir)
  const secrets = resolveSecretsKey(settings.secretsKey, settings.dataDir)
  let earn: EarnSettings
  try {
    earn = earnSettingsFromEnv(process.env)
  } catch (error) {
    if (error instanceof ConfigError) fatal(`invalid configuration: ${error.message}`)
    throw error
  }
  const store = await openStore(settings.databaseUrl, { prepare: settings.pgPrepare === 'on' })
  const stablefx = await createStablefx({
    store,
    adminToken: admin.token,
    opsToken: ops.token,
    liveClock: systemClock,
    logLevel: settings.logLevel,
    rateLimit: settings.rateLimit === 'on',
    rebalancer: settings.rebalancer === 'on',
    processMetrics: true,
    oracleMode: settings.oracle,
    oracleSeed: settings.oracleSeed,
    oracleFeeds: settings.oracleFeeds,
    rates: {
      environment: settings.ratesEnvironment,
      mode: settings.ratesMode,
      allow: settings.ratesAllow,
      referenceUsd: String(settings.ratesReferenceUsd),
    },
    cluster: { leaseMs: settings.leaseMs, nodeTtlMs: settings.leaseMs },
    secretsKey: secrets.key,
    webhooks: { allowPrivateSandbox: settings.webhookAllowPrivate === 'on' },
    payments: {
      travelRuleThresholdUsd: BigInt(settings.travelRuleUsd),
      timeoutMs: settings.paymentTimeoutS * 1000,
    },
    ...(settings.evm === undefined ? {} : { evm: settings.evm }),
    earn,
  })
  await stablefx.start()
  const address = await stablefx.app.listen({ port: settings.port, host: settings.host })
  const shutdown = createShutdown({
    steps: [stablefx, store],
    log: stablefx.app.log,
    // Log lines still waiting for a slow reader get a moment; a reader that is gone cannot hold the exit.
    exit: (code) =>
      void stdoutDestination()
        .flush(LOG_FLUSH_MS)
        .finally(() => process.exit(code)),
  })
  process.on('SIGTERM', (signal) => void shutdown(signal))
  process.on('SIGINT', (signal) => void shutdown(signal))
  // Plain lines for the person who ran `npm start`; the structured log goes on beside them.
  const lines = [`stablefx listening on ${address} (database: ${store.dialect} ${store.location})`]
  for (const [name, t] of [
    ['admin', admin],
    ['ops', ops],
  ] as const) {
    if (t.source === 'generated') lines.push(`${name} token (generated, shown once): ${t.token}`)
    if (t.source !== 'environment') lines.push(`${name} token file: ${t.path}`)
  }
  // The key itself is never printed: it is in the file, which is what to back up.
  if (secrets.source !== 'environment') lines.push(`secrets key file (back it up): ${secrets.path}`)
  lines.push(...(await startupSummary(store, settings)))
  lines.push(`API docs: ${address}/docs`)
  // The same non-blocking destination as the log: a stdout nobody reads must not stop the server here either.
  stdoutDestination().write(`${lines.join('\n')}\n`)
}

async function withStore<T>(
  settings: Settings,
  fn: (store: Store) => Promise<T>,
  migrate = true,
): Promise<T> {
  const store = await openStore(settings.databaseUrl, { migrate, prepare: settings.pgPrepare === 'on' })
  try {
    return await fn(store)
  } finally {
    await store.close()
  }
}

async function ledgerVerify(settings: Settings): Promise<number> {
  const report = await withStore(settings, (store) => store.snapshot((db) => verifyLedger(db)), false)
  process.stdout.write(
    `ledger ${report.ok ? 'OK' : 'VIOLATED'}: ${report.accounts} accounts, ${report.entries} entries, ${report.postings} postings, ${report.violationCount} violation(s)\n`,
  )
  for (const violation of report.violations)
    process.stdout.write(`  ${violation.rule}: ${violation.detail}\n`)
  return report.ok ? 0 : 1
}

async function createPartner(settings: Settings, args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: {
      name: { type: 'string' },
      type: { type: 'string' },
      corridors: { type: 'string', default: '' },
      'daily-limit-usd': { type: 'string' },
      'monthly-limit-usd': { type: 'string' },
      'fee-tier-multiplier': { type: 'string' },
      'rate-limit-tier': { type: 'string' },
    },
  })
  if (values.name === undefined || values.type === undefined) fatal('partners create needs --name and --type')
  if (!(PARTNER_TYPES as readonly string[]).includes(values.type))
    fatal(`--type must be one of ${PARTNER_TYPES.join(', ')}`)
  const tier = values['rate-limit-tier']
  if (tier !== undefined && tier !== 'standard' && tier !== 'premium')
    fatal('--rate-limit-tier must be standard or premium')
  const result = await withPartnerService(settings, (partners) =>
    partners.create(
      {
        name: values.name as string,
        type: values.type as PartnerType,
        corridors: values.corridors === '' ? [] : values.corridors.split(','),
        limits: {
          ...(values['daily-limit-usd'] === undefined
            ? {}
            : { daily_per_corridor_usd: values['daily-limit-usd'] }),
          ...(values['monthly-limit-usd'] === undefined ? {} : { monthly_usd: values['monthly-limit-usd'] }),
        },
        ...(values['fee-tier-multiplier'] === undefined
          ? {}
          : { fee_tier_multiplier: values['fee-tier-multiplier'] }),
        ...(tier === undefined ? {} : { rate_limit_tier: tier }),
      },
      'cli',
    ),
  )
  if (!result.ok) fatal(`${result.code}: ${result.message}`)
  process.stdout.write(`${JSON.stringify(result.value, null, 2)}\n`)
  return 0
}

export async function main(argv: string[]): Promise<void> {
  let settings: Settings
  try {
    settings = loadSettings(process.env)
  } catch (error) {
    if (error instanceof ConfigError) fatal(`invalid configuration: ${error.message}`)
    throw error
  }
  const [command, sub, ...rest] = argv
  switch (command) {
    case 'serve':
      return serve(settings)
    case 'migrate': {
      const applied = await withStore(
        settings,
        (store) => migrate(store.kysely as Kysely<unknown>, store.dialect),
        false,
      )
      process.stdout.write(
        `migrations applied (${applied.length === 0 ? 'database up to date' : applied.join(', ')})\n`,
      )
      return
    }
    case 'ledger':
      if (sub !== 'verify') fatal(USAGE)
      process.exitCode = await ledgerVerify(settings)
      return
    case 'partners': {
      if (sub === 'create') {
        process.exitCode = await createPartner(settings, rest)
        return
      }
      const done = await partnersCommand(settings, sub, rest)
      if (done === undefined) fatal(USAGE)
      process.stdout.write(done.stdout)
      process.stderr.write(done.stderr)
      process.exitCode = done.code
      return
    }
    case 'scenario': {
      // Issue 16: list prints names only on stdout; a run's progress and verdict go to stderr.
      const done = await scenarioCommand(sub, rest, (line) => process.stderr.write(`${line}\n`))
      process.stdout.write(done.stdout)
      process.stderr.write(done.stderr)
      process.exitCode = done.code
      return
    }
    case 'sim':
      if (sub === 'market-makers') {
        process.exitCode = await marketMakersCommand(rest)
        return
      }
      if (sub === 'issuer') {
        process.exitCode = await issuerSimCommand(rest)
        return
      }
      if (sub === 'earn-venue') {
        process.exitCode = await earnVenueSimCommand(rest)
        return
      }
      if (sub === 'chain') {
        process.exitCode = await chainSimCommand(rest)
        return
      }
      fatal(USAGE)
      break
    case undefined:
    case 'help':
    case '--help':
      process.stdout.write(`${USAGE}\n`)
      return
    default:
      fatal(`unknown command ${command}\n${USAGE}`)
  }
}
