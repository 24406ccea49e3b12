import type { Clocks } from '../clock/clock.ts'
import type { Environment } from '../config/environment.ts'
import type { Store } from '../store/store.ts'
import type { UrlPolicy } from '../webhooks/address-policy.ts'
import type { Resolve } from '../webhooks/transport.ts'

/** What the issuer integration needs (issue 11), wired in src/app.ts. */
export type IssuerDeps = {
  readonly store: Store
  readonly clocks: Clocks
  /** Wall clock for signatures (SPEC §10). */
  readonly wallClockMs: () => number
  /** The environment's URL policy for calls to issuers: the webhook policy (SPEC §10). */
  readonly policy: (environment: Environment) => UrlPolicy
  readonly resolve: Resolve
  readonly timeoutMs?: number
}
