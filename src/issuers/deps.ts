import type { Clocks } from '../clock/clock.ts'
import type { Environment } from '../config/environment.ts'
import type { Store, Tx } from '../store/store.ts'
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
  /**
   * Called in the transaction that books a completed request: SPEC §8 Phase 2
   * closes the batches a redemption bought back (src/rebalancing/buyback.ts).
   */
  readonly onCompleted?: (tx: Tx, request: CompletedRequest, entryId: bigint, atMs: number) => Promise<void>
}

/** A booked mint or redemption, as the completion hook sees it. */
export type CompletedRequest = {
  readonly id: string
  readonly kind: string
  readonly asset: string
  readonly amount: string
  readonly pay_asset: string
  readonly pay_amount: string
}
