import type { RouteOptions } from 'fastify'
import { ERROR_RESPONSES } from './errors.ts'

/**
 * Issue 15 "OpenAPI 3.1 complete": what every operation in /openapi.json
 * carries beyond its own schema. The three credentials are security schemes;
 * each guard of src/routes.ts names its own (`guarded(…, PARTNER_DOC)`), so a
 * route is documented with the credential that actually protects it. Every
 * operation gets an `operationId` (derived from its method and path unless
 * it names one) and the SPEC §3 error body for 4xx and 5xx.
 */
export const SECURITY_SCHEMES = {
  partnerKey: {
    type: 'http',
    scheme: 'bearer',
    description: 'The partner’s API key: `sk_live_…` in live, `sk_test_…` in sandbox (SPEC §9)',
  },
  partnerId: {
    type: 'apiKey',
    in: 'header',
    name: 'X-Partner-ID',
    description: 'The partner’s id (a UUID), sent with its API key',
  },
  adminToken: { type: 'http', scheme: 'bearer', description: 'The admin token (routes under /admin)' },
  opsToken: { type: 'http', scheme: 'bearer', description: 'The ops token (SPEC §13 operations routes)' },
} as const

export type RouteDoc = {
  readonly security: readonly Record<string, readonly string[]>[]
  /** POST routes take `Idempotency-Key` (SPEC §14.3). */
  readonly idempotency?: boolean
}

export const PARTNER_DOC: RouteDoc = { security: [{ partnerKey: [], partnerId: [] }], idempotency: true }
export const ADMIN_DOC: RouteDoc = { security: [{ adminToken: [] }] }
export const OPS_DOC: RouteDoc = { security: [{ opsToken: [] }] }
/** Routes anyone may call (health, readiness, the Rafiki rates). */
export const PUBLIC_DOC: RouteDoc = { security: [] }

const ANY_SUCCESS = { description: 'Success: the JSON body the route’s summary describes' }

type Schema = Record<string, unknown> & { hide?: boolean; response?: Record<string, unknown> }

const IDEMPOTENCY_HEADER = {
  type: 'object',
  properties: {
    'idempotency-key': {
      type: 'string',
      description:
        '16–255 printable characters; a retry with the same key and body replays the first answer (SPEC §14.3)',
    },
  },
}

/** `GET /v1/executions/{id}` → `getExecutionsById`: stable, unique per method and path. */
export function operationIdOf(method: string, url: string): string {
  const words = url
    .split('/')
    .filter((part) => part !== '' && part !== 'v1')
    .map((part) => (part.startsWith(':') ? `by-${part.slice(1)}` : part))
    .flatMap((part) => part.split(/[-_.]/))
    .filter((word) => word !== '')
  return [method.toLowerCase(), ...words.map((w) => w[0]?.toUpperCase() + w.slice(1))].join('')
}

/** Fills in what a route's own schema leaves out: operationId, error responses, and the guard's security. */
export function documentRoute(route: RouteOptions, doc: RouteDoc | undefined): void {
  const method = Array.isArray(route.method) ? (route.method[0] as string) : route.method
  if (method === 'HEAD') return
  const schema: Schema = { ...((route.schema as Schema | undefined) ?? {}) }
  if (schema.hide === true) return
  schema.operationId ??= operationIdOf(method, route.url)
  const responses = schema.response ?? {}
  const has = (family: string) => Object.keys(responses).some((code) => code.startsWith(family))
  schema.response = {
    // A route that declares no success body still documents one (any JSON), so every operation has a 2xx.
    ...(has('2') ? {} : { '2xx': ANY_SUCCESS }),
    ...responses,
    ...(has('4') ? {} : { '4xx': ERROR_RESPONSES['4xx'] }),
    ...(has('5') ? {} : { '5xx': ERROR_RESPONSES['5xx'] }),
  }
  if (doc !== undefined) {
    schema.security = doc.security
    if (doc.idempotency === true && method === 'POST' && schema.headers === undefined)
      schema.headers = IDEMPOTENCY_HEADER
  }
  route.schema = schema
}
