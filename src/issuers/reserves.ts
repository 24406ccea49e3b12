import type { AssetCode } from '../config/assets.ts'
import type { Environment } from '../config/environment.ts'
import { parseRatio } from '../money/ratio.ts'
import { fromRow } from '../partners/model.ts'
import type { ReserveProof } from '../risk/signals/por.ts'
import type { Reader, Store } from '../store/store.ts'
import type { UrlPolicy } from '../webhooks/address-policy.ts'
import { postWebhook, type Resolve } from '../webhooks/transport.ts'

/** [ours] A Proof of Reserve answer is small and quick; a slow one counts as a failed poll. */
export const POR_TIMEOUT_MS = 2_000
const DECIMAL = /^(0|[1-9][0-9]{0,40})(\.[0-9]{1,36})?$/

/** The ISSUER partners (active) that publish a Proof of Reserve for an asset. */
async function porIssuers(db: Reader) {
  const rows = await db.kysely
    .selectFrom('partners')
    .selectAll()
    .where('type', '=', 'ISSUER')
    .where('status', '=', 'ACTIVE')
    .execute()
  return rows
    .map(fromRow)
    .filter((p) => p.config.por_url !== null && p.config.issued_asset !== null)
    .map((p) => ({
      id: p.id,
      name: p.name,
      asset: p.config.issued_asset as AssetCode,
      url: p.config.por_url as string,
      intervalS: p.config.por_interval_s,
    }))
}

/** The risk engine's view: one proof per issuer with a `por_url` (none: no signal for its asset). */
export async function readReserveProofs(db: Reader, environment: Environment): Promise<ReserveProof[]> {
  const issuers = await porIssuers(db)
  if (issuers.length === 0) return []
  const rows = await db.kysely
    .selectFrom('issuer_reserves')
    .selectAll()
    .where('environment', '=', environment)
    .execute()
  const byPartner = new Map(rows.map((row) => [row.partner_id, row]))
  return issuers.map((issuer) => {
    const row = byPartner.get(issuer.id)
    // A reading of another asset (the issuer's config changed since) is no reading of this one.
    const current = row !== undefined && row.asset === issuer.asset ? row : undefined
    const decimal = (text: string | null | undefined) => (text == null ? null : (parseRatio(text) ?? null))
    return {
      issuer: issuer.name,
      asset: issuer.asset,
      reserves: decimal(current?.reserves),
      circulatingSupply: decimal(current?.circulating_supply),
      asOfMs: current?.as_of == null ? null : Number(current.as_of),
      readAtMs: current?.read_at == null ? null : Number(current.read_at),
      firstPolledAtMs: current === undefined ? null : Number(current.first_polled_at),
      intervalS: issuer.intervalS,
      error: current?.error ?? null,
    }
  })
}

export type PorReading = {
  readonly asset: string
  readonly reserves: string
  readonly circulatingSupply: string
  readonly asOfMs: number
}

/** Checks an issuer's answer: `{asset, reserves, circulating_supply, as_of}` with decimal strings. */
export function parsePorAnswer(text: string, asset: AssetCode): PorReading | string {
  let body: unknown
  try {
    body = JSON.parse(text)
  } catch {
    return 'answer is not JSON'
  }
  if (typeof body !== 'object' || body === null) return 'answer is not a JSON object'
  const b = body as Record<string, unknown>
  if (b.asset !== asset) return `answer is for asset ${String(b.asset)}, not ${asset}`
  for (const field of ['reserves', 'circulating_supply'] as const) {
    const value = b[field]
    if (typeof value !== 'string' || !DECIMAL.test(value)) return `${field} must be a decimal string`
  }
  const asOfMs = typeof b.as_of === 'string' ? Date.parse(b.as_of) : Number.NaN
  if (!Number.isFinite(asOfMs)) return 'as_of must be an ISO 8601 timestamp'
  return {
    asset,
    reserves: b.reserves as string,
    circulatingSupply: b.circulating_supply as string,
    asOfMs,
  }
}

export type PorPollDeps = {
  readonly store: Store
  readonly nowMs: () => number
  readonly policy: (environment: Environment) => UrlPolicy
  readonly resolve: Resolve
  readonly timeoutMs?: number
}

/**
 * One round of the `por.<environment>` worker: every issuer whose last poll
 * is at least its interval old is asked (outside any transaction; the
 * pinned transport applies the environment's URL policy), and the answer,
 * or why there was none, is stored. Returns how many were polled.
 */
export async function pollReserves(
  deps: PorPollDeps,
  environment: Environment,
  stillHeld: () => boolean,
): Promise<number> {
  const issuers = await porIssuers(deps.store)
  if (issuers.length === 0) return 0
  const polled = await deps.store.kysely
    .selectFrom('issuer_reserves')
    .select(['partner_id', 'polled_at', 'asset'])
    .where('environment', '=', environment)
    .execute()
  const last = new Map(polled.map((row) => [row.partner_id, row]))
  let count = 0
  for (const issuer of issuers) {
    if (!stillHeld()) break
    const previous = last.get(issuer.id)
    const due =
      previous === undefined ||
      previous.asset !== issuer.asset ||
      deps.nowMs() - Number(previous.polled_at) >= issuer.intervalS * 1_000
    if (!due) continue
    // An issuer now issuing another asset starts afresh: its old reading says nothing about the new asset.
    if (previous !== undefined && previous.asset !== issuer.asset) {
      await deps.store.kysely
        .deleteFrom('issuer_reserves')
        .where('partner_id', '=', issuer.id)
        .where('environment', '=', environment)
        .execute()
    }
    await pollOne(deps, environment, issuer)
    count += 1
  }
  return count
}

async function pollOne(
  deps: PorPollDeps,
  environment: Environment,
  issuer: { id: string; asset: AssetCode; url: string },
): Promise<void> {
  const outcome = await postWebhook({
    method: 'GET',
    url: issuer.url,
    headers: { accept: 'application/json', 'user-agent': 'stablefx-issuers/1' },
    body: '',
    policy: deps.policy(environment),
    resolve: deps.resolve,
    timeoutMs: deps.timeoutMs ?? POR_TIMEOUT_MS,
  })
  const reading: PorReading | string =
    outcome.error !== null ? outcome.error : parsePorAnswer(outcome.answer, issuer.asset)
  await storeReading(deps.store, environment, issuer, reading, deps.nowMs())
}

/** Stores a poll's outcome: a good reading replaces the last one; a failure keeps it and says why. */
export async function storeReading(
  store: Store,
  environment: Environment,
  issuer: { id: string; asset: AssetCode },
  reading: PorReading | string,
  nowMs: number,
): Promise<void> {
  const at = BigInt(nowMs)
  const good = typeof reading === 'string' ? undefined : reading
  const values = {
    asset: issuer.asset,
    polled_at: at,
    error: typeof reading === 'string' ? reading.slice(0, 300) : null,
    ...(good === undefined
      ? {}
      : {
          reserves: good.reserves,
          circulating_supply: good.circulatingSupply,
          as_of: BigInt(good.asOfMs),
          read_at: at,
        }),
  }
  await store.kysely
    .insertInto('issuer_reserves')
    .values({
      partner_id: issuer.id,
      environment,
      reserves: null,
      circulating_supply: null,
      as_of: null,
      read_at: null,
      first_polled_at: at,
      ...values,
    })
    .onConflict((oc) => oc.columns(['partner_id', 'environment']).doUpdateSet(values))
    .execute()
}
