import { createHash, randomUUID } from 'node:crypto'
import { toChecksumAddress } from '../chain/address.ts'
import { ASSETS, type AssetCode } from '../config/assets.ts'
import type { Environment } from '../config/environment.ts'
import { fail, ok, type Result } from '../errors.ts'
import { formatDecimal } from '../money/decimal.ts'
import { fromRow } from '../partners/model.ts'
import { signingSecrets } from '../partners/webhook-secrets.ts'
import type { IssuerRequestsTable } from '../store/schema.ts'
import type { Store } from '../store/store.ts'
import { signedHeaders } from '../webhooks/signing.ts'
import { postWebhook } from '../webhooks/transport.ts'
import type { IssuerDeps } from './deps.ts'

/**
 * Issue 11 "Issuer" contract, stablefx's side: a mint (the issuer creates
 * `asset` into the protocol Reserve, paid from the Reserve in `pay_with`) or
 * a redeem (the Reserve gives `asset` back, the issuer pays in `pay_with`).
 * The request row is written first, the signed POST goes out outside any
 * transaction, and the issuer's `202 {mint_id}` (or `{redeem_id}`) is stored
 * so its completion call can find the request.
 */
export const ISSUER_KINDS = ['MINT', 'REDEEM'] as const
export type IssuerKind = (typeof ISSUER_KINDS)[number]
export const ISSUER_PURPOSES = ['DEFICIT_RECOVERY', 'EMERGENCY'] as const
export type IssuerPurpose = (typeof ISSUER_PURPOSES)[number]

/** [ours] An issuer acknowledges a request quickly (it settles later); a slow answer is a failed request. */
export const ISSUER_TIMEOUT_MS = 5_000

export type IssuerRequestInput = {
  readonly environment: Environment
  readonly asset: AssetCode
  readonly amountMinor: bigint
  readonly payWith: { readonly asset: AssetCode; readonly amountMinor: bigint }
  readonly purpose: IssuerPurpose
  /** The request's id, when the caller must record it before the issuer can answer (a Phase 2 buy-back). */
  readonly requestId?: string
}

export type IssuerRequestView = {
  request_id: string
  kind: IssuerKind
  environment: string
  issuer_id: string
  asset: string
  amount: string
  pay_with: { asset: string; amount: string }
  destination: string
  purpose: string
  status: 'REQUESTED' | 'COMPLETED' | 'FAILED'
  mint_id?: string | null
  redeem_id?: string | null
  tx_hash: string | null
  error: string | null
  created_at: string
  updated_at: string
}

/** The protocol Reserve's wallet for an environment [ours: a fixed address derived from its name]. */
export function reserveAddress(environment: Environment): string {
  const digest = createHash('sha256').update(`stablefx reserve ${environment}`).digest('hex')
  return toChecksumAddress(`0x${digest.slice(0, 40)}`)
}

/** A request as stored (its booking's `entry_id` is written by the completion). */
export type RequestRow = Omit<IssuerRequestsTable, 'entry_id'>

const units = (minor: string, asset: string) =>
  formatDecimal(BigInt(minor), ASSETS[asset as AssetCode].decimals)

export function requestView(row: RequestRow): IssuerRequestView {
  const ref = row.kind === 'MINT' ? { mint_id: row.issuer_ref } : { redeem_id: row.issuer_ref }
  return {
    request_id: row.id,
    kind: row.kind as IssuerKind,
    environment: row.environment,
    issuer_id: row.partner_id,
    asset: row.asset,
    amount: units(row.amount, row.asset),
    pay_with: { asset: row.pay_asset, amount: units(row.pay_amount, row.pay_asset) },
    destination: row.destination,
    purpose: row.purpose,
    status: row.status as IssuerRequestView['status'],
    ...ref,
    tx_hash: row.tx_hash,
    error: row.error,
    created_at: new Date(Number(row.created_at)).toISOString(),
    updated_at: new Date(Number(row.updated_at)).toISOString(),
  }
}

/** The active issuer of an asset with the endpoint this kind of request needs. */
export async function issuerFor(store: Store, asset: AssetCode, kind: IssuerKind) {
  const rows = await store.kysely
    .selectFrom('partners')
    .selectAll()
    .where('type', '=', 'ISSUER')
    .where('status', '=', 'ACTIVE')
    .orderBy('created_at')
    .execute()
  return rows
    .map(fromRow)
    .find(
      (p) =>
        p.config.issued_asset === asset &&
        (kind === 'MINT' ? p.config.mint_url : p.config.redeem_url) !== null,
    )
}

/** Sends a mint or redeem request to the asset's issuer; the row records the outcome either way. */
export async function sendIssuerRequest(
  deps: IssuerDeps,
  kind: IssuerKind,
  input: IssuerRequestInput,
): Promise<Result<IssuerRequestView>> {
  const issuer = await issuerFor(deps.store, input.asset, kind)
  if (issuer === undefined) {
    return fail('NOT_FOUND', `no active issuer of ${input.asset} with a ${kind.toLowerCase()}_url`)
  }
  const url = (kind === 'MINT' ? issuer.config.mint_url : issuer.config.redeem_url) as string
  const nowMs = deps.clocks[input.environment].now()
  const row: RequestRow = {
    id: input.requestId ?? randomUUID(),
    kind,
    environment: input.environment,
    partner_id: issuer.id,
    asset: input.asset,
    amount: input.amountMinor.toString(),
    pay_asset: input.payWith.asset,
    pay_amount: input.payWith.amountMinor.toString(),
    destination: reserveAddress(input.environment),
    purpose: input.purpose,
    status: 'REQUESTED',
    issuer_ref: null,
    tx_hash: null,
    error: null,
    created_at: BigInt(nowMs),
    updated_at: BigInt(nowMs),
  }
  await deps.store.kysely.insertInto('issuer_requests').values(row).execute()
  const body = JSON.stringify({
    request_id: row.id,
    asset: row.asset,
    amount: units(row.amount, row.asset),
    destination: row.destination,
    pay_with: { asset: row.pay_asset, amount: units(row.pay_amount, row.pay_asset) },
    purpose: row.purpose,
  })
  // SPEC §10: signatures carry wall-clock time (receivers compare it with theirs).
  const wallMs = deps.wallClockMs()
  const secrets = await signingSecrets(deps.store, issuer.id, wallMs)
  const outcome = await postWebhook({
    url,
    headers: { ...signedHeaders(secrets, row.id, wallMs, body), 'user-agent': 'stablefx-issuers/1' },
    body,
    policy: deps.policy(input.environment),
    resolve: deps.resolve,
    timeoutMs: deps.timeoutMs ?? ISSUER_TIMEOUT_MS,
  })
  const refField = kind === 'MINT' ? 'mint_id' : 'redeem_id'
  const ref = outcome.statusCode === 202 ? issuerRef(outcome.answer, refField) : undefined
  const error =
    outcome.statusCode !== 202
      ? (outcome.error ?? `HTTP ${outcome.statusCode}, expected 202`)
      : ref === undefined
        ? `202 without a ${refField} (a string of 1 to 200 characters)`
        : null
  const updated = {
    issuer_ref: ref ?? null,
    status: error === null ? 'REQUESTED' : 'FAILED',
    error: error?.slice(0, 300) ?? null,
    updated_at: BigInt(deps.clocks[input.environment].now()),
  }
  await deps.store.kysely.updateTable('issuer_requests').set(updated).where('id', '=', row.id).execute()
  return ok(requestView({ ...row, ...updated }))
}

function issuerRef(answer: string, field: string): string | undefined {
  try {
    const value = (JSON.parse(answer) as Record<string, unknown>)[field]
    return typeof value === 'string' && value.length > 0 && value.length <= 200 ? value : undefined
  } catch {
    return undefined
  }
}
