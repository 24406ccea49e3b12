import { EvmConfigError, type EvmSettings, loadEvmSettings } from '../chain/evm/settings.ts'
import { type FeedConfig, parseFeedConfig } from '../oracle/http-feed.ts'
import { parseSecretsKey } from '../partners/secret-box.ts'
import { SSE_MAX_PER_PARTNER } from '../risk/stream.ts'

/**
 * Process configuration from environment variables, validated once at start.
 * A bad value stops the server with one line naming the variable.
 */
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent'

export type Settings = {
  readonly port: number
  readonly host: string
  readonly databaseUrl: string
  /**
   * PostgreSQL: data statements as named prepared statements
   * (STABLEFX_PG_PREPARE, default on); `off` behind a pooler in transaction
   * mode that cannot keep them (PgBouncer before 1.21).
   */
  readonly pgPrepare: 'on' | 'off'
  /** Undefined means: generate one at start and keep it in `dataDir`. */
  readonly adminToken: string | undefined
  /** SPEC §13 operations token; undefined means: generate one at start and keep it in `dataDir`. */
  readonly opsToken: string | undefined
  readonly oracle: 'sim' | 'manual'
  readonly rebalancer: 'on' | 'off'
  readonly rateLimit: 'on' | 'off'
  readonly logLevel: LogLevel
  readonly dataDir: string
  /** Seed of the simulated price walks (sim oracle mode). */
  readonly oracleSeed: number
  /** HTTP pull feeds for real prices (JSON array, see the README); empty when unset. */
  readonly oracleFeeds: readonly FeedConfig[]
  /** Which environment's rates /rates publishes, how, and to whom (SPEC §12.1). */
  readonly ratesEnvironment: 'sandbox' | 'live'
  readonly ratesMode: 'executable' | 'mid'
  readonly ratesAllow: readonly string[]
  /** Issue 15: the USD size /rates prices executable rates for (Rafiki's payments below its floor miss 1% slippage). */
  readonly ratesReferenceUsd: number
  /** State streams (SSE) one partner may hold open on one node. */
  readonly sseMaxPerPartner: number
  /**
   * Several nodes (SPEC §15): how long a worker lease lasts without renewal,
   * and how long a silent node is believed alive; takeover happens within it.
   */
  readonly leaseMs: number
  /**
   * SPEC §10: sandbox webhooks may use http and target loopback or private
   * addresses (local receivers). Never in live. STABLEFX_WEBHOOK_ALLOW_PRIVATE.
   */
  readonly webhookAllowPrivate: 'on' | 'off'
  /**
   * SPEC §9: the AES-256-GCM key sealing webhook secrets at rest
   * (STABLEFX_SECRETS_KEY, 32 bytes as hex or base64); undefined means:
   * generate one at start and keep it in `dataDir`. Several nodes need the same.
   */
  readonly secretsKey: Buffer | undefined
  /**
   * Issue 13: payments carry IVMS101 Travel Rule data from this many USD
   * (STABLEFX_TRAVEL_RULE_USD, whole dollars, default 1000; 0: always), and
   * an instruction unanswered this long is rejected AB05
   * (STABLEFX_PAYMENT_TIMEOUT_S, default 86400, at least 60).
   */
  readonly travelRuleUsd: number
  readonly paymentTimeoutS: number
  /** Issue 14: STABLEFX_CHAIN=evm and its STABLEFX_EVM_* settings; undefined on the simulated chain. */
  readonly evm: EvmSettings | undefined
}

export class ConfigError extends Error {
  readonly variable: string
  constructor(variable: string, problem: string) {
    super(`${variable} ${problem}`)
    this.variable = variable
  }
}

const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']
/** Shorter than this and a token is guessable; 32 characters of base64url carry 192 bits. */
export const MIN_TOKEN_LENGTH = 32

function oneOf<T extends string>(
  env: NodeJS.ProcessEnv,
  name: string,
  allowed: readonly T[],
  fallback: T,
): T {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  if ((allowed as readonly string[]).includes(raw)) return raw as T
  throw new ConfigError(name, `must be one of ${allowed.join(', ')} (got "${raw}")`)
}

function port(env: NodeJS.ProcessEnv): number {
  const raw = env.PORT
  if (raw === undefined || raw === '') return 8080
  if (!/^[0-9]{1,5}$/.test(raw) || Number(raw) > 65535) {
    throw new ConfigError('PORT', `must be an integer from 0 to 65535 (got "${raw}")`)
  }
  return Number(raw)
}

function databaseUrl(env: NodeJS.ProcessEnv): string {
  const raw = env.DATABASE_URL
  if (raw === undefined || raw === '') return 'file:./data/stablefx.db'
  if (/^file:.+/.test(raw) || /^postgres(ql)?:\/\/.+/.test(raw)) return raw
  throw new ConfigError('DATABASE_URL', `must start with file: or postgres:// (got "${raw}")`)
}

function token(env: NodeJS.ProcessEnv, name: string): string | undefined {
  const raw = env[name]
  if (raw === undefined || raw === '') return undefined
  if (raw.length < MIN_TOKEN_LENGTH || /\s/.test(raw)) {
    throw new ConfigError(name, `must be at least ${MIN_TOKEN_LENGTH} characters without spaces`)
  }
  return raw
}

function integer(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const raw = env[name]
  if (raw === undefined || raw === '') return fallback
  if (!/^[0-9]{1,9}$/.test(raw)) throw new ConfigError(name, `must be a whole number (got "${raw}")`)
  return Number(raw)
}

function positiveInteger(env: NodeJS.ProcessEnv, name: string, fallback: number): number {
  const value = integer(env, name, fallback)
  if (value < 1) throw new ConfigError(name, `must be a whole number from 1 (got "${env[name]}")`)
  return value
}

/** Issue 13: below a minute an off-ramp could not answer at all; the default is 24 h (src/payments/model.ts). */
function paymentTimeoutS(env: NodeJS.ProcessEnv): number {
  const value = integer(env, 'STABLEFX_PAYMENT_TIMEOUT_S', 86_400)
  if (value < 60) {
    throw new ConfigError(
      'STABLEFX_PAYMENT_TIMEOUT_S',
      `must be at least 60 seconds (got "${env.STABLEFX_PAYMENT_TIMEOUT_S}")`,
    )
  }
  return value
}

/** At least two heartbeats (1 s each) fit in a lease, so one missed heartbeat never loses it. */
export const LEASE_MS_RANGE = { min: 2_000, max: 60_000, fallback: 5_000 } as const

function leaseMs(env: NodeJS.ProcessEnv): number {
  const value = integer(env, 'STABLEFX_LEASE_MS', LEASE_MS_RANGE.fallback)
  if (value < LEASE_MS_RANGE.min || value > LEASE_MS_RANGE.max) {
    throw new ConfigError(
      'STABLEFX_LEASE_MS',
      `must be from ${LEASE_MS_RANGE.min} to ${LEASE_MS_RANGE.max} milliseconds (got "${env.STABLEFX_LEASE_MS}")`,
    )
  }
  return value
}

function feeds(env: NodeJS.ProcessEnv): readonly FeedConfig[] {
  const raw = env.STABLEFX_ORACLE_FEEDS
  if (raw === undefined || raw === '') return []
  const parsed = parseFeedConfig(raw)
  if (!parsed.ok) throw new ConfigError('STABLEFX_ORACLE_FEEDS', parsed.message)
  return parsed.value
}

function addressList(env: NodeJS.ProcessEnv, name: string): readonly string[] {
  const raw = env[name]
  if (raw === undefined || raw.trim() === '') return []
  const items = raw.split(',').map((item) => item.trim())
  const bad = items.find((item) => !/^[0-9a-fA-F.:]{2,45}$/.test(item))
  if (bad !== undefined)
    throw new ConfigError(name, `must be a comma-separated list of IP addresses (got "${bad}")`)
  return items
}

function secretsKey(env: NodeJS.ProcessEnv): Buffer | undefined {
  const raw = env.STABLEFX_SECRETS_KEY
  if (raw === undefined || raw === '') return undefined
  const key = parseSecretsKey(raw)
  if (key === undefined) {
    // The value itself is a secret: the message never repeats it.
    throw new ConfigError('STABLEFX_SECRETS_KEY', 'must be 32 bytes as 64 hex digits or base64')
  }
  return key
}

function evmSettings(env: NodeJS.ProcessEnv): EvmSettings | undefined {
  try {
    return loadEvmSettings(env)
  } catch (error) {
    if (error instanceof EvmConfigError)
      throw new ConfigError(error.variable, error.message.slice(error.variable.length + 1))
    throw error
  }
}

export function loadSettings(env: NodeJS.ProcessEnv): Settings {
  const host = env.HOST === undefined || env.HOST === '' ? '127.0.0.1' : env.HOST
  return {
    port: port(env),
    host,
    databaseUrl: databaseUrl(env),
    pgPrepare: oneOf(env, 'STABLEFX_PG_PREPARE', ['on', 'off'], 'on'),
    adminToken: token(env, 'STABLEFX_ADMIN_TOKEN'),
    opsToken: token(env, 'STABLEFX_OPS_TOKEN'),
    oracle: oneOf(env, 'STABLEFX_ORACLE', ['sim', 'manual'], 'sim'),
    rebalancer: oneOf(env, 'STABLEFX_REBALANCER', ['on', 'off'], 'on'),
    rateLimit: oneOf(env, 'STABLEFX_RATE_LIMIT', ['on', 'off'], 'on'),
    logLevel: oneOf(env, 'LOG_LEVEL', LOG_LEVELS, 'info'),
    dataDir:
      env.STABLEFX_DATA_DIR === undefined || env.STABLEFX_DATA_DIR === '' ? './data' : env.STABLEFX_DATA_DIR,
    oracleSeed: integer(env, 'STABLEFX_ORACLE_SEED', 1),
    oracleFeeds: feeds(env),
    ratesEnvironment: oneOf(env, 'STABLEFX_RATES_ENVIRONMENT', ['sandbox', 'live'], 'sandbox'),
    ratesMode: oneOf(env, 'STABLEFX_RATES_MODE', ['executable', 'mid'], 'executable'),
    ratesAllow: addressList(env, 'STABLEFX_RATES_ALLOW'),
    ratesReferenceUsd: positiveInteger(env, 'STABLEFX_RATES_REFERENCE_USD', 1000),
    sseMaxPerPartner: positiveInteger(env, 'STABLEFX_SSE_MAX_PER_PARTNER', SSE_MAX_PER_PARTNER),
    leaseMs: leaseMs(env),
    webhookAllowPrivate: oneOf(env, 'STABLEFX_WEBHOOK_ALLOW_PRIVATE', ['on', 'off'], 'on'),
    secretsKey: secretsKey(env),
    travelRuleUsd: integer(env, 'STABLEFX_TRAVEL_RULE_USD', 1000),
    paymentTimeoutS: paymentTimeoutS(env),
    evm: evmSettings(env),
  }
}
