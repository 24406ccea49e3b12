import * as oauth from 'oauth4webapi'
import type { Entity } from './model.ts'

/**
 * Issue 12: the Earn API client (SPEC §12.2). It depends only on the
 * contract: an OAuth2 client-credentials token per legal entity (acquired with
 * oauth4webapi, HTTP Basic client authentication, cached, refreshed before it
 * expires and once more when the venue answers 401), JSON calls retried with
 * exponential backoff on network errors, 429 and 5xx. No secret and no token
 * is ever logged or put in an error message.
 */
export type EarnCredentialSet = { readonly clientId: string; readonly clientSecret: string }

export type EarnVenueConfig = {
  readonly baseUrl: string
  readonly tokenUrl: string
  readonly credentials: Readonly<Record<Entity, EarnCredentialSet>>
  /**
   * Where each entity takes settlements on chain (an EVM address). With the
   * environment's EVM sender, what we owe an entity is paid there; without
   * an address (or a sender) it waits PENDING for an operator.
   */
  readonly settlementAddresses?: Readonly<Partial<Record<Entity, string>>>
}

export class EarnCallError extends Error {
  readonly status: number
  readonly code: string
  readonly retryable: boolean
  constructor(status: number, code: string, message: string, retryable: boolean) {
    super(message)
    this.status = status
    this.code = code
    this.retryable = retryable
  }
}

export type TokenHealth = {
  readonly entity: Entity
  readonly status: 'OK' | 'NONE' | 'FAILING'
  readonly expires_at: string | null
  readonly last_error: string | null
}

export type EarnClient = {
  call<T>(entity: Entity, method: 'GET' | 'POST', path: string, body?: unknown): Promise<T>
  /** A document at an absolute URI the venue handed out (a report download). */
  download<T>(entity: Entity, uri: string): Promise<T>
  tokenHealth(): TokenHealth[]
}

type Cached = { token: string; expiresAtMs: number }

const TIMEOUT_MS = 10_000

export function createEarnClient(deps: {
  readonly config: EarnVenueConfig
  /** The environment's clock: tokens expire on it. */
  readonly now: () => number
  readonly retries?: number
  readonly baseDelayMs?: number
}): EarnClient {
  const { config } = deps
  const retries = deps.retries ?? 3
  const baseDelayMs = deps.baseDelayMs ?? 100
  const tokens = new Map<Entity, Cached>()
  const inflight = new Map<Entity, Promise<Cached>>()
  const lastError = new Map<Entity, string | null>()
  const server: oauth.AuthorizationServer = { issuer: config.baseUrl, token_endpoint: config.tokenUrl }
  const insecure = config.tokenUrl.startsWith('http:')
  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

  async function acquire(entity: Entity): Promise<Cached> {
    const credentials = config.credentials[entity]
    const client: oauth.Client = { client_id: credentials.clientId }
    const response = await oauth.clientCredentialsGrantRequest(
      server,
      client,
      oauth.ClientSecretBasic(credentials.clientSecret),
      new URLSearchParams(),
      {
        signal: AbortSignal.timeout(TIMEOUT_MS),
        ...(insecure ? { [oauth.allowInsecureRequests]: true } : {}),
      },
    )
    if (response.status >= 500 || response.status === 429) {
      await response.arrayBuffer().catch(() => undefined)
      throw new EarnCallError(
        response.status,
        'TOKEN_UNAVAILABLE',
        `token endpoint answered ${response.status}`,
        true,
      )
    }
    let result: oauth.TokenEndpointResponse
    try {
      result = await oauth.processClientCredentialsResponse(server, client, response)
    } catch (error) {
      // Refused credentials are not retried: they will not get better by themselves.
      throw new EarnCallError(
        response.status,
        'TOKEN_REFUSED',
        `token refused (${(error as Error).name})`,
        false,
      )
    }
    const ttlMs = (result.expires_in ?? 300) * 1000
    // Refreshed before expiry: a tenth of its life early, at most a minute.
    const marginMs = Math.min(60_000, Math.floor(ttlMs / 10))
    return { token: result.access_token, expiresAtMs: deps.now() + ttlMs - marginMs }
  }

  async function token(entity: Entity): Promise<string> {
    const cached = tokens.get(entity)
    if (cached !== undefined && cached.expiresAtMs > deps.now()) return cached.token
    let pending = inflight.get(entity)
    if (pending === undefined) {
      pending = acquire(entity).finally(() => inflight.delete(entity))
      inflight.set(entity, pending)
    }
    try {
      const fresh = await pending
      tokens.set(entity, fresh)
      lastError.set(entity, null)
      return fresh.token
    } catch (error) {
      lastError.set(entity, (error as Error).message)
      throw error
    }
  }

  async function once<T>(entity: Entity, method: string, url: string, body: unknown): Promise<T> {
    let refreshed = false
    for (;;) {
      const bearer = await token(entity)
      let response: Response
      try {
        response = await fetch(url, {
          method,
          headers: {
            authorization: `Bearer ${bearer}`,
            accept: 'application/json',
            ...(body === undefined ? {} : { 'content-type': 'application/json' }),
          },
          ...(body === undefined ? {} : { body: JSON.stringify(body) }),
          signal: AbortSignal.timeout(TIMEOUT_MS),
        })
      } catch (error) {
        throw new EarnCallError(0, 'NETWORK', `venue unreachable (${(error as Error).name})`, true)
      }
      const text = await response.text()
      if (response.status === 401 && !refreshed) {
        // Expired or revoked early: one fresh token, one more try.
        tokens.delete(entity)
        refreshed = true
        continue
      }
      let parsed: unknown
      try {
        parsed = text === '' ? {} : JSON.parse(text)
      } catch {
        throw new EarnCallError(
          response.status,
          'BAD_RESPONSE',
          `venue answered ${response.status} with no JSON`,
          true,
        )
      }
      if (response.ok) return parsed as T
      const code =
        typeof parsed === 'object' &&
        parsed !== null &&
        typeof (parsed as { error?: unknown }).error === 'string'
          ? (parsed as { error: string }).error
          : 'ERROR'
      const retryable = response.status >= 500 || response.status === 429
      throw new EarnCallError(response.status, code, `venue answered ${response.status} ${code}`, retryable)
    }
  }

  async function withRetries<T>(entity: Entity, method: string, url: string, body: unknown): Promise<T> {
    for (let attempt = 0; ; attempt++) {
      try {
        return await once<T>(entity, method, url, body)
      } catch (error) {
        const retryable = error instanceof EarnCallError ? error.retryable : false
        if (!retryable || attempt >= retries) throw error
        await sleep(baseDelayMs * 2 ** attempt)
      }
    }
  }

  return {
    call: (entity, method, path, body) => withRetries(entity, method, `${config.baseUrl}${path}`, body),
    download: (entity, uri) => {
      if (!uri.startsWith(`${new URL(config.baseUrl).origin}/`))
        throw new EarnCallError(0, 'BAD_RESPONSE', 'a download URI outside the venue', false)
      return withRetries(entity, 'GET', uri, undefined)
    },
    tokenHealth: () =>
      (['lending', 'defi'] as const).map((entity) => {
        const cached = tokens.get(entity)
        const error = lastError.get(entity) ?? null
        return {
          entity,
          status: error !== null ? 'FAILING' : cached === undefined ? 'NONE' : 'OK',
          expires_at: cached === undefined ? null : new Date(cached.expiresAtMs).toISOString(),
          last_error: error,
        }
      }),
  }
}
