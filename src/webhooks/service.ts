import type { Clock } from '../clock/clock.ts'
import type { Environment } from '../config/environment.ts'
import { fail, type Result } from '../errors.ts'
import type { Store } from '../store/store.ts'
import {
  type AttemptQuery,
  listAttempts,
  type Redelivery,
  redeliverDeadLetters,
  redeliverEvent,
  type Scope,
} from './deliveries.ts'
import { checkEndpointUrl, type EndpointInput, getEndpoint, putEndpoint } from './endpoints.ts'
import type { AttemptView, EndpointView } from './model.ts'
import { type Resolve, systemResolve } from './transport.ts'
import { createWebhookWorker, policyFor, type WebhookWorker } from './worker.ts'

/** How webhooks are wired in (src/app.ts); tests inject DNS, jitter and a short timeout. */
export type WebhookOptions = {
  /** Sandbox only: accept http and loopback/private receivers (STABLEFX_WEBHOOK_ALLOW_PRIVATE, default on). */
  readonly allowPrivateSandbox?: boolean
  readonly resolve?: Resolve
  readonly random?: () => number
  readonly timeoutMs?: number
}

export type WebhookService = {
  put(scope: Scope, input: EndpointInput, actor?: string): Promise<Result<EndpointView>>
  get(scope: Scope): Promise<Result<EndpointView>>
  deliveries(scope: Scope, query: AttemptQuery): Promise<{ items: AttemptView[]; nextCursor: string | null }>
  redeliver(scope: Scope, eventId: string, actor?: string): Promise<Result<Redelivery>>
  redeliverDeadLetters(scope: Scope, actor?: string): Promise<Result<{ redelivered: number }>>
  readonly worker: WebhookWorker
}

export function createWebhookService(deps: {
  store: Store
  /** Wall clock (the live clock). */
  clock: Clock
  options: WebhookOptions
  log: { warn(obj: object, msg: string): void }
  /** Asks the environment's delivery worker to run soon (wherever its lease is held). */
  wake: (environment: Environment) => void
}): WebhookService {
  const { store, clock } = deps
  const allowPrivateSandbox = deps.options.allowPrivateSandbox ?? true
  const resolve = deps.options.resolve ?? systemResolve
  const worker = createWebhookWorker({
    store,
    clock,
    resolve,
    allowPrivateSandbox,
    random: deps.options.random ?? Math.random,
    log: deps.log,
    ...(deps.options.timeoutMs === undefined ? {} : { timeoutMs: deps.options.timeoutMs }),
  })

  async function partnerExists(partnerId: string): Promise<boolean> {
    const row = await store.kysely
      .selectFrom('partners')
      .select('id')
      .where('id', '=', partnerId)
      .executeTakeFirst()
    return row !== undefined
  }

  const noPartner = fail('NOT_FOUND', 'no such partner')

  return {
    async put(scope, input, actor) {
      if (!(await partnerExists(scope.partnerId))) return noPartner
      const url = await checkEndpointUrl(
        input.url,
        policyFor(scope.environment, allowPrivateSandbox),
        resolve,
      )
      if (!url.ok) return url
      const view = await putEndpoint(store, { ...scope, input, url: url.value, nowMs: clock.now(), actor })
      if (view.status === 'PENDING_VERIFICATION') deps.wake(scope.environment)
      return { ok: true, value: view }
    },
    async get(scope) {
      if (!(await partnerExists(scope.partnerId))) return noPartner
      return getEndpoint(store, scope.partnerId, scope.environment)
    },
    deliveries: (scope, query) => listAttempts(store, scope, query),
    async redeliver(scope, eventId, actor) {
      if (!(await partnerExists(scope.partnerId))) return noPartner
      const result = await redeliverEvent(store, scope, eventId, clock.now(), actor)
      if (result.ok) deps.wake(scope.environment)
      return result
    },
    async redeliverDeadLetters(scope, actor) {
      if (!(await partnerExists(scope.partnerId))) return noPartner
      const result = await redeliverDeadLetters(store, scope, clock.now(), actor)
      if (result.ok) deps.wake(scope.environment)
      return result
    },
    worker,
  }
}
