import { randomUUID } from 'node:crypto'
import { recordAudit } from '../audit/audit.ts'
import type { Clock } from '../clock/clock.ts'
import type { Environment } from '../config/environment.ts'
import { fail, ok, type Result } from '../errors.ts'
import type { Reader, Store, Tx } from '../store/store.ts'
import { expiresAtFor, type KeyStatus, keyStatus, keyWorks, overlapMs } from './credential-policy.ts'
import { generateApiKey, generateWebhookSecret, hashSecret, keyPrefix } from './keys.ts'
import { fromRow, type Partner, type PartnerView, toView } from './model.ts'
import type { SecretBox } from './secret-box.ts'
import { insertWebhookSecret, retireWebhookSecrets } from './webhook-secrets.ts'

/**
 * The credentials lifecycle of SPEC §9: list, rotate with an overlap, revoke
 * at once, rotate the webhook secret, offboard. Every change is audited in
 * its own transaction. Credentials live on the live clock (wall-clock time in
 * production): the sandbox clock, which sandbox partners can move, never ages
 * a credential.
 */
export type CredentialDeps = { readonly store: Store; readonly clock: Clock; readonly box: SecretBox }

export type KeyView = {
  key_id: string
  prefix: string
  environment: Environment
  status: KeyStatus
  created_at: string
  expires_at: string | null
}

export type RotatedKey = {
  key_id: string
  api_key: string
  expires_at: string | null
  previous_key_expires_at: string | null
}

export type RotatedWebhookSecret = { webhook_secret: string; previous_secret_expires_at: string | null }

/** What a change did to keys this node may have cached: their hashes, to forget at once. */
export type Changed<T> = { readonly value: T; readonly keyHashes: readonly string[] }

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
const NO_PARTNER = fail('NOT_FOUND', 'no such partner')
const OFFBOARDED = fail('CONFLICT', 'partner is offboarded; its records are kept read-only')

type KeyRow = {
  id: string
  environment: string
  key_hash: string
  key_prefix: string
  status: string
  created_at: bigint
  expires_at: bigint | null
  replaced_at: bigint | null
}

const iso = (ms: bigint | number | null): string | null =>
  ms === null ? null : new Date(Number(ms)).toISOString()

function stateOf(row: KeyRow) {
  return {
    status: row.status,
    expiresAtMs: row.expires_at === null ? null : Number(row.expires_at),
    replacedAtMs: row.replaced_at === null ? null : Number(row.replaced_at),
  }
}

function keyView(row: KeyRow, nowMs: number): KeyView {
  return {
    key_id: row.id,
    prefix: row.key_prefix,
    environment: row.environment as Environment,
    status: keyStatus(stateOf(row), nowMs),
    created_at: new Date(Number(row.created_at)).toISOString(),
    expires_at: iso(row.expires_at),
  }
}

const STATUS_ORDER: Record<KeyStatus, number> = { ACTIVE: 0, RETIRING: 1, EXPIRED: 2, REVOKED: 3 }

/** Live keys first, then the working ones, newest first. */
function byRelevance(a: KeyView, b: KeyView): number {
  if (a.environment !== b.environment) return a.environment === 'live' ? -1 : 1
  if (a.status !== b.status) return STATUS_ORDER[a.status] - STATUS_ORDER[b.status]
  return b.created_at.localeCompare(a.created_at) || a.key_id.localeCompare(b.key_id)
}

const KEY_COLUMNS = [
  'id',
  'environment',
  'key_hash',
  'key_prefix',
  'status',
  'created_at',
  'expires_at',
  'replaced_at',
] as const

/** The partner row under a lock (PostgreSQL; SQLite has one writer): credential changes of one partner queue. */
async function lockPartner(tx: Tx, partnerId: string): Promise<Partner | undefined> {
  if (!UUID.test(partnerId)) return undefined
  const row = await tx.kysely
    .selectFrom('partners')
    .selectAll()
    .where('id', '=', partnerId)
    .$if(tx.dialect === 'postgres', (q) => q.forUpdate())
    .executeTakeFirst()
  return row === undefined ? undefined : fromRow(row)
}

export async function listKeys(db: Reader, partnerId: string, nowMs: number): Promise<Result<KeyView[]>> {
  if (!UUID.test(partnerId)) return NO_PARTNER
  const partner = await db.kysely
    .selectFrom('partners')
    .select('id')
    .where('id', '=', partnerId)
    .executeTakeFirst()
  if (partner === undefined) return NO_PARTNER
  const rows = await db.kysely
    .selectFrom('api_keys')
    .select(KEY_COLUMNS)
    .where('partner_id', '=', partnerId)
    .execute()
  return ok(rows.map((row) => keyView(row, nowMs)).sort(byRelevance))
}

/**
 * Issues a new key for the environment (live by default) and lets the keys
 * working now end at `now + overlap` (or sooner, when one already ended
 * sooner). With overlap 0 the old keys stop at once.
 */
export async function rotateKey(
  deps: CredentialDeps,
  partnerId: string,
  options: { overlapHours: number; environment: Environment },
  actor: string,
): Promise<Result<Changed<RotatedKey>>> {
  return deps.store.transaction(async (tx): Promise<Result<Changed<RotatedKey>>> => {
    const partner = await lockPartner(tx, partnerId)
    if (partner === undefined) return NO_PARTNER
    if (partner.status === 'OFFBOARDED') return OFFBOARDED
    const nowMs = deps.clock.now()
    const endMs = nowMs + overlapMs(options.overlapHours)
    const rows = await tx.kysely
      .selectFrom('api_keys')
      .select(KEY_COLUMNS)
      .where('partner_id', '=', partnerId)
      .where('environment', '=', options.environment)
      .where('status', '=', 'ACTIVE')
      .execute()
    const previous = rows.filter((row) => keyWorks(stateOf(row), nowMs))
    const ends: number[] = []
    for (const row of previous) {
      const endOfRow = row.expires_at === null ? endMs : Math.min(Number(row.expires_at), endMs)
      ends.push(endOfRow)
      await tx.kysely
        .updateTable('api_keys')
        .set({ expires_at: BigInt(endOfRow), replaced_at: row.replaced_at ?? BigInt(nowMs) })
        .where('id', '=', row.id)
        .execute()
    }
    const apiKey = generateApiKey(options.environment)
    const keyId = randomUUID()
    const expiresAtMs = expiresAtFor(options.environment, nowMs)
    const inserted: KeyRow = {
      id: keyId,
      environment: options.environment,
      key_hash: hashSecret(apiKey),
      key_prefix: keyPrefix(apiKey),
      status: 'ACTIVE',
      created_at: BigInt(nowMs),
      expires_at: expiresAtMs === null ? null : BigInt(expiresAtMs),
      replaced_at: null,
    }
    await tx.kysely
      .insertInto('api_keys')
      .values({ ...inserted, partner_id: partnerId, revoked_at: null, expiry_warned_days: null })
      .execute()
    const previousKeyExpiresAt = ends.length === 0 ? null : iso(Math.max(...ends))
    await recordAudit(tx, {
      actor,
      action: 'partner.api_key.rotate',
      targetType: 'partner',
      targetId: partnerId,
      before: { api_keys: previous.map((row) => keyView(row, nowMs)) },
      after: {
        api_key: keyView(inserted, nowMs),
        overlap_hours: options.overlapHours,
        previous_key_expires_at: previousKeyExpiresAt,
      },
      atMs: nowMs,
    })
    return ok({
      value: {
        key_id: keyId,
        api_key: apiKey,
        expires_at: iso(expiresAtMs),
        previous_key_expires_at: previousKeyExpiresAt,
      },
      keyHashes: previous.map((row) => row.key_hash),
    })
  })
}

/** Revokes one key at once. Revoking a revoked key answers the key as it is and changes nothing (idempotent). */
export async function revokeKey(
  deps: CredentialDeps,
  partnerId: string,
  keyId: string,
  actor: string,
): Promise<Result<Changed<KeyView>>> {
  return deps.store.transaction(async (tx): Promise<Result<Changed<KeyView>>> => {
    const partner = await lockPartner(tx, partnerId)
    if (partner === undefined) return NO_PARTNER
    const row = UUID.test(keyId)
      ? await tx.kysely
          .selectFrom('api_keys')
          .select(KEY_COLUMNS)
          .where('id', '=', keyId)
          .where('partner_id', '=', partnerId)
          .executeTakeFirst()
      : undefined
    if (row === undefined) return fail('NOT_FOUND', 'no such key for this partner')
    const nowMs = deps.clock.now()
    if (row.status === 'REVOKED') return ok({ value: keyView(row, nowMs), keyHashes: [row.key_hash] })
    await tx.kysely
      .updateTable('api_keys')
      .set({ status: 'REVOKED', revoked_at: BigInt(nowMs) })
      .where('id', '=', keyId)
      .execute()
    const after = { ...row, status: 'REVOKED' }
    await recordAudit(tx, {
      actor,
      action: 'partner.api_key.revoke',
      targetType: 'partner',
      targetId: partnerId,
      before: keyView(row, nowMs),
      after: keyView(after, nowMs),
      atMs: nowMs,
    })
    return ok({ value: keyView(after, nowMs), keyHashes: [row.key_hash] })
  })
}

/** A new webhook secret; the ones signing now keep signing until `now + overlap` (SPEC §10: both sign). */
export async function rotateWebhookSecret(
  deps: CredentialDeps,
  partnerId: string,
  overlapHours: number,
  actor: string,
): Promise<Result<RotatedWebhookSecret>> {
  return deps.store.transaction(async (tx): Promise<Result<RotatedWebhookSecret>> => {
    const partner = await lockPartner(tx, partnerId)
    if (partner === undefined) return NO_PARTNER
    if (partner.status === 'OFFBOARDED') return OFFBOARDED
    const nowMs = deps.clock.now()
    const endMs = nowMs + overlapMs(overlapHours)
    const retiring = await retireWebhookSecrets(tx, partnerId, endMs)
    const secret = generateWebhookSecret()
    const secretId = await insertWebhookSecret(tx, deps.box, partnerId, secret, nowMs)
    const previousEnd = retiring === 0 ? null : iso(endMs)
    await recordAudit(tx, {
      actor,
      action: 'partner.webhook_secret.rotate',
      targetType: 'partner',
      targetId: partnerId,
      before: { signing_secrets: retiring },
      after: { secret_id: secretId, overlap_hours: overlapHours, previous_secret_expires_at: previousEnd },
      atMs: nowMs,
    })
    return ok({ webhook_secret: secret, previous_secret_expires_at: previousEnd })
  })
}

/**
 * Offboarding (SPEC §9): every key revoked, every webhook secret retired
 * (nothing can be signed for the partner any more), its webhook endpoints
 * DISABLED, status OFFBOARDED; the
 * partner, its keys, ledger and events are kept. Offboarding an offboarded
 * partner answers it as it is (idempotent).
 */
export async function offboard(
  deps: CredentialDeps,
  partnerId: string,
  actor: string,
): Promise<Result<Changed<PartnerView>>> {
  return deps.store.transaction(async (tx): Promise<Result<Changed<PartnerView>>> => {
    const before = await lockPartner(tx, partnerId)
    if (before === undefined) return NO_PARTNER
    if (before.status === 'OFFBOARDED') return ok({ value: toView(before), keyHashes: [] })
    const nowMs = deps.clock.now()
    const keys = await tx.kysely
      .selectFrom('api_keys')
      .select(['id', 'key_hash'])
      .where('partner_id', '=', partnerId)
      .where('status', '=', 'ACTIVE')
      .execute()
    await tx.kysely
      .updateTable('api_keys')
      .set({ status: 'REVOKED', revoked_at: BigInt(nowMs) })
      .where('partner_id', '=', partnerId)
      .where('status', '=', 'ACTIVE')
      .execute()
    const secrets = await retireWebhookSecrets(tx, partnerId, nowMs)
    // Its webhook endpoints stop too (a new PUT would need a key, and every key is revoked).
    await tx.kysely
      .updateTable('webhook_endpoints')
      .set({ status: 'DISABLED', status_reason: 'partner offboarded', updated_at: BigInt(nowMs) })
      .where('partner_id', '=', partnerId)
      .execute()
    await tx.kysely
      .updateTable('partners')
      .set({ status: 'OFFBOARDED', updated_at: BigInt(nowMs) })
      .where('id', '=', partnerId)
      .execute()
    const after: Partner = { ...before, status: 'OFFBOARDED', updatedAtMs: nowMs }
    await recordAudit(tx, {
      actor,
      action: 'partner.offboard',
      targetType: 'partner',
      targetId: partnerId,
      before: toView(before),
      after: { ...toView(after), api_keys_revoked: keys.length, webhook_secrets_retired: secrets },
      atMs: nowMs,
    })
    return ok({ value: toView(after), keyHashes: keys.map((key) => key.key_hash) })
  })
}

/**
 * True once the partner is offboarded: webhook delivery stops for it (its
 * secrets are retired too, so `signingSecrets` answers none).
 */
export async function isOffboarded(db: Reader, partnerId: string): Promise<boolean> {
  if (!UUID.test(partnerId)) return false
  const row = await db.kysely
    .selectFrom('partners')
    .select('status')
    .where('id', '=', partnerId)
    .executeTakeFirst()
  return row?.status === 'OFFBOARDED'
}
