import { randomUUID } from 'node:crypto'
import type { AssetConfig } from '../config/assets.ts'
import type { CorridorId } from '../config/corridors.ts'
import type { Environment } from '../config/environment.ts'
import { fail, ok, type Result } from '../errors.ts'
import { prefundedAccount } from '../ledger/accounts.ts'
import { balancesOf } from '../ledger/journal.ts'
import { formatDecimal } from '../money/decimal.ts'
import { type Ratio, r } from '../money/ratio.ts'
import { fromRow, type Partner } from '../partners/model.ts'
import { signingSecrets } from '../partners/webhook-secrets.ts'
import type { Side } from '../risk/states.ts'
import type { Store } from '../store/store.ts'
import { signedHeaders } from '../webhooks/signing.ts'
import { postWebhook, type Resolve, systemResolve } from '../webhooks/transport.ts'
import { policyFor } from '../webhooks/worker.ts'
import {
  type Accepted,
  amountsAt,
  type RawAnswer,
  type RfqPurpose,
  type RfqRequestBody,
  type Skipped,
  selectBest,
  splitTranches,
} from './model.ts'

/** Issue 11: how long a corridor waits for RFQ answers [ours: 1.5 s]. */
export const RFQ_TIMEOUT_MS = 1_500
/** Issue 11: above this a single order is cut into tranches [ours: $250K]. */
export const RFQ_SINGLE_FILL_USD = '250000'

export type RfqOptions = {
  /** The corridor timeout; a counterparty's own `rfq_timeout_ms` may only shorten it. */
  readonly timeoutMs?: number
  /** The single-fill size in USD, a decimal string. */
  readonly singleFillUsd?: string
  /** http and loopback counterparties in sandbox (the webhook setting). */
  readonly allowPrivateSandbox?: boolean
  readonly resolve?: Resolve
}

/** One tranche as filled: which counterparty, at which of its quotes. */
export type TrancheFill = Accepted & { readonly rfqId: string; readonly trancheId: string | null }

export type RfqOrder = {
  readonly parentOrderId: string | null
  readonly tranches: readonly TrancheFill[]
  readonly sourceMinor: bigint
  readonly destinationMinor: bigint
  /** The earliest of the counterparties' expiries. */
  readonly expiresAtMs: number
}

export type RfqAsk = {
  readonly environment: Environment
  readonly corridor: CorridorId
  readonly side: Side
  readonly source: AssetConfig
  readonly destination: AssetConfig
  readonly size: { readonly kind: 'source' | 'destination'; readonly minor: bigint }
  readonly sizeUsd: Ratio
  readonly mid: Ratio
  readonly purpose: RfqPurpose
  readonly nowMs: number
}

export type RfqService = {
  /** The active RFQ counterparties with an `rfq_url` that trade this corridor. */
  counterparties(corridor: CorridorId): Promise<Partner[]>
  /** Asks every eligible counterparty at once (per tranche), outside any transaction; the best in-band answers win. */
  request(ask: RfqAsk): Promise<Result<RfqOrder>>
}

export function createRfqService(deps: {
  store: Store
  options?: RfqOptions
  log?: { info(obj: object, msg: string): void }
  /** SPEC §10: signatures carry wall-clock time, whatever the sandbox clock says (receivers compare it with theirs). */
  wallClockMs?: () => number
}): RfqService {
  const { store } = deps
  const wallClockMs = deps.wallClockMs ?? (() => Date.now())
  const timeoutMs = deps.options?.timeoutMs ?? RFQ_TIMEOUT_MS
  const singleFillUsd = r(deps.options?.singleFillUsd ?? RFQ_SINGLE_FILL_USD)
  const allowPrivateSandbox = deps.options?.allowPrivateSandbox ?? true
  const resolve = deps.options?.resolve ?? systemResolve

  async function counterparties(corridor: CorridorId): Promise<Partner[]> {
    const rows = await store.kysely
      .selectFrom('partners')
      .selectAll()
      .where('type', '=', 'RFQ_COUNTERPARTY')
      .where('status', '=', 'ACTIVE')
      .execute()
    return rows
      .map(fromRow)
      .filter(
        (p) =>
          p.config.rfq_url !== null &&
          p.config.corridors.includes(corridor) &&
          // SPEC §9 RFQ access tier: NONE takes the counterparty out of every RFQ without suspending it.
          p.config.rfq_access_tier !== 'NONE',
      )
      .sort((a, b) => (a.id < b.id ? -1 : 1))
  }

  /** One signed POST per counterparty, all at once; each waits at most its own deadline. */
  async function fanOut(
    ask: RfqAsk,
    parties: readonly { partner: Partner; secrets: string[] }[],
    body: RfqRequestBody,
  ): Promise<RawAnswer[]> {
    const text = JSON.stringify(body)
    return Promise.all(
      parties.map(async ({ partner, secrets }): Promise<RawAnswer> => {
        const deadlineMs = Math.min(timeoutMs, partner.config.rfq_timeout_ms ?? timeoutMs)
        const sent = await postWebhook({
          url: partner.config.rfq_url as string,
          headers: signedHeaders(secrets, body.rfq_id, wallClockMs(), text),
          body: text,
          policy: policyFor(ask.environment, allowPrivateSandbox),
          resolve,
          timeoutMs: deadlineMs,
        })
        return {
          counterpartyId: partner.id,
          statusCode: sent.statusCode,
          body: sent.answer,
          // Elapsed real time on top of the quote's clock: a deadline the counterparty can see in respond_by.
          arrivedAtMs: ask.nowMs + sent.latencyMs,
        }
      }),
    )
  }

  return {
    counterparties,

    async request(ask) {
      const parties = await counterparties(ask.corridor)
      const signing = await Promise.all(
        parties.map(async (partner) => ({
          partner,
          secrets: await signingSecrets(store, partner.id, wallClockMs()),
        })),
      )
      const reachable = signing.filter((p) => p.secrets.length > 0)
      if (reachable.length === 0)
        return fail('NO_VIABLE_RFQ_QUOTE', 'no RFQ counterparty serves this corridor', ask.corridor)
      const sizeAsset = ask.size.kind === 'source' ? ask.source : ask.destination
      const amounts = splitTranches(ask.size.minor, ask.sizeUsd, singleFillUsd)
      const parentOrderId = amounts.length > 1 ? randomUUID() : null
      const respondByMs = ask.nowMs + timeoutMs
      const asks = amounts.map((minor, i) => {
        const rfqId = randomUUID()
        const body: RfqRequestBody = {
          rfq_id: rfqId,
          environment: ask.environment,
          pair: ask.corridor,
          side: ask.side,
          amount: formatDecimal(minor, sizeAsset.decimals),
          amount_currency: sizeAsset.code,
          purpose: ask.purpose,
          ...(parentOrderId === null
            ? {}
            : { parent_order_id: parentOrderId, tranche_id: `${parentOrderId}-${i + 1}` }),
          respond_by: new Date(respondByMs).toISOString(),
        }
        return { minor, body }
      })
      const answered = await Promise.all(asks.map((a) => fanOut(ask, reachable, a.body)))
      const balances = await balancesOf(
        store,
        reachable.map((p) => prefundedAccount(ask.environment, ask.destination.code, p.partner.id)),
      )
      // What each counterparty already won in this order is no longer available to the next tranche.
      const committed = new Map<string, bigint>()
      const tranches: TrancheFill[] = []
      const skipped: Skipped[] = []
      for (const [i, { minor, body }] of asks.entries()) {
        const selection = selectBest({
          rfqId: body.rfq_id,
          side: ask.side,
          mid: ask.mid,
          nowMs: ask.nowMs,
          respondByMs,
          answers: answered[i] as RawAnswer[],
          amountsAt: (rate) => amountsAt({ ...ask, size: { kind: ask.size.kind, minor }, rate }),
          priority: (id) =>
            reachable.find((p) => p.partner.id === id)?.partner.config.rfq_access_tier === 'PRIORITY' ? 1 : 0,
          available: (id) =>
            balances(prefundedAccount(ask.environment, ask.destination.code, id)) - (committed.get(id) ?? 0n),
        })
        skipped.push(...selection.skipped)
        const chosen = selection.chosen
        if (chosen === undefined) {
          deps.log?.info(
            { corridor: ask.corridor, rfq_id: body.rfq_id, skipped: selection.skipped },
            'no viable RFQ answer',
          )
          return fail(
            'NO_VIABLE_RFQ_QUOTE',
            'no counterparty answered in time within the band with the balance to fill',
            ask.corridor,
          )
        }
        committed.set(
          chosen.counterpartyId,
          (committed.get(chosen.counterpartyId) ?? 0n) + chosen.destinationMinor,
        )
        tranches.push({ ...chosen, rfqId: body.rfq_id, trancheId: body.tranche_id ?? null })
      }
      return ok({
        parentOrderId,
        tranches,
        sourceMinor: tranches.reduce((sum, t) => sum + t.sourceMinor, 0n),
        destinationMinor: tranches.reduce((sum, t) => sum + t.destinationMinor, 0n),
        expiresAtMs: Math.min(...tranches.map((t) => t.expiresAtMs)),
      })
    },
  }
}
