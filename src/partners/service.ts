import { randomUUID } from 'node:crypto'
import { recordAudit } from '../audit/audit.ts'
import type { Clock } from '../clock/clock.ts'
import type { Environment } from '../config/environment.ts'
import { type Failure, fail, ok, type Result } from '../errors.ts'
import { vaultFor } from '../liquidity/model.ts'
import type { Store, Tx } from '../store/store.ts'
import { expiresAtFor, keyWorks } from './credential-policy.ts'
import {
  type Changed,
  type KeyView,
  listKeys,
  offboard,
  type RotatedKey,
  type RotatedWebhookSecret,
  revokeKey,
  rotateKey,
  rotateWebhookSecret,
} from './credentials.ts'
import {
  environmentOfKey,
  generateApiKey,
  generateWebhookSecret,
  hashSecret,
  keyPrefix,
  looksLikeApiKey,
} from './keys.ts'
import {
  applyConfigPatch,
  type ConfigPatch,
  DEFAULT_CONFIG,
  fromRow,
  type Partner,
  type PartnerConfig,
  type PartnerType,
  type PartnerView,
  type SETTABLE_STATUSES,
  toView,
} from './model.ts'
import { createSecretBox, processSecretsKey, registerSecretBox, type SecretBox } from './secret-box.ts'
import { insertWebhookSecret } from './webhook-secrets.ts'

export type CreatePartnerInput = ConfigPatch & { name: string; type: PartnerType }
export type PartnerPatch = ConfigPatch & { name?: string; status?: (typeof SETTABLE_STATUSES)[number] }

/** Returned once, at creation: the only time the secrets are shown. */
export type CreatedPartner = PartnerView & {
  api_key: string
  sandbox_api_key: string
  webhook_secret: string
}

export type Authenticated = { readonly partner: Partner; readonly environment: Environment }
export type AuthOutcome =
  | { readonly ok: true; readonly value: Authenticated }
  | { readonly ok: false; readonly code: 'UNAUTHORIZED' | 'FORBIDDEN'; readonly message: string }

export type PartnerService = {
  create(input: CreatePartnerInput, actor: string): Promise<Result<CreatedPartner>>
  list(): Promise<PartnerView[]>
  get(id: string): Promise<Partner | undefined>
  update(id: string, patch: PartnerPatch, actor: string): Promise<Result<PartnerView>>
  /** Checks a bearer key and the X-Partner-ID header (SPEC §3, §14.4). */
  authenticate(apiKey: string | undefined, partnerIdHeader: string | undefined): Promise<AuthOutcome>
  /** True when the token is a valid, unrevoked partner key: an admin route then answers 403, not 401. */
  isPartnerKey(token: string): Promise<boolean>
  // SPEC §9 credentials lifecycle (src/partners/credentials.ts); every change audited.
  listKeys(id: string): Promise<Result<KeyView[]>>
  rotateKey(
    id: string,
    options: { overlapHours: number; environment: Environment },
    actor: string,
  ): Promise<Result<RotatedKey>>
  revokeKey(id: string, keyId: string, actor: string): Promise<Result<KeyView>>
  rotateWebhookSecret(id: string, overlapHours: number, actor: string): Promise<Result<RotatedWebhookSecret>>
  offboard(id: string, actor: string): Promise<Result<PartnerView>>
}

/** A key as cached: who it belongs to, and until when it works (null: no expiry). */
type KeyRecord = {
  partnerId: string
  environment: Environment
  status: string
  expiresAtMs: number | null
  replacedAtMs: number | null
}
type CacheEntry = { expiresAtMs: number; key: KeyRecord | null }

/**
 * Key lookups are cached briefly; with several API nodes a revocation takes
 * effect on the other nodes within this time (on the revoking node at once).
 * Expiry is checked on every request against the cached expiry, so a key
 * expires exactly on time; a rotation that shortens a key's life reaches the
 * other nodes within this time too.
 */
const AUTH_CACHE_MS = 2_000
const AUTH_CACHE_MAX = 10_000
const UNAUTHORIZED = { ok: false, code: 'UNAUTHORIZED', message: 'invalid credentials' } as const
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

/**
 * SPEC §15: an LP's class and class A multiplier decide which vault its
 * kTokens are in (src/liquidity/model.ts). Changing either while it holds
 * kTokens, has a withdrawal queued or a deposit pending would strand them, so
 * such a change is refused until the position is closed.
 */
async function lpTermsFrozen(
  tx: Tx,
  before: PartnerConfig,
  after: PartnerConfig,
  partnerId: string,
): Promise<Failure | undefined> {
  const classChanges = before.liquidity_class !== after.liquidity_class
  const multiplierChanges =
    after.liquidity_class === 'A' &&
    vaultFor('A', before.class_a_multiplier) !== vaultFor('A', after.class_a_multiplier)
  if (!classChanges && !multiplierChanges) return undefined
  const holding = await tx.kysely
    .selectFrom('lp_holdings')
    .select('asset')
    .where('partner_id', '=', partnerId)
    .where('shares', '!=', '0')
    .executeTakeFirst()
  const withdrawal = await tx.kysely
    .selectFrom('lp_withdrawals')
    .select('asset')
    .where('partner_id', '=', partnerId)
    .where('status', 'in', ['QUEUED', 'PROCESSING'])
    .executeTakeFirst()
  const pending = await tx.kysely
    .selectFrom('lp_pending')
    .innerJoin('lp_deposits', 'lp_deposits.deposit_id', 'lp_pending.deposit_id')
    .select('lp_pending.asset')
    .where('lp_deposits.partner_id', '=', partnerId)
    .where('lp_pending.filled_at', 'is', null)
    .executeTakeFirst()
  if (holding === undefined && withdrawal === undefined && pending === undefined) return undefined
  const what = classChanges ? 'liquidity_class' : 'class_a_multiplier'
  return fail(
    'LP_POSITION_OPEN',
    `${what} cannot change while the partner holds kTokens, has a withdrawal queued or a deposit pending; withdraw everything first`,
  )
}

export function createPartnerService(deps: {
  store: Store
  /** The live clock: credentials age on it (src/partners/credentials.ts). */
  clock: Clock
  /** Seals webhook secrets at rest; a process-wide random key when absent (tests). */
  secrets?: SecretBox
}): PartnerService {
  const { store, clock } = deps
  const box = registerSecretBox(deps.secrets ?? createSecretBox(processSecretsKey()))
  const credentials = { store, clock, box }
  const keyCache = new Map<string, CacheEntry>()
  const partnerCache = new Map<string, { expiresAtMs: number; partner: Partner | undefined }>()

  async function loadPartner(id: string): Promise<Partner | undefined> {
    if (!UUID.test(id)) return undefined
    const row = await store.kysely.selectFrom('partners').selectAll().where('id', '=', id).executeTakeFirst()
    return row === undefined ? undefined : fromRow(row)
  }

  async function cachedPartner(id: string): Promise<Partner | undefined> {
    const now = Date.now()
    const hit = partnerCache.get(id)
    if (hit !== undefined && hit.expiresAtMs > now) return hit.partner
    const partner = await loadPartner(id)
    if (partnerCache.size >= AUTH_CACHE_MAX) partnerCache.clear()
    partnerCache.set(id, { expiresAtMs: now + AUTH_CACHE_MS, partner })
    return partner
  }

  async function lookupKey(apiKey: string): Promise<KeyRecord | null> {
    const hash = hashSecret(apiKey)
    const now = Date.now()
    const hit = keyCache.get(hash)
    if (hit !== undefined && hit.expiresAtMs > now) return hit.key
    // The lookup is by the SHA-256 of the key, so timing reveals nothing about the key itself.
    const row = await store.kysely
      .selectFrom('api_keys')
      .select(['partner_id', 'environment', 'status', 'expires_at', 'replaced_at'])
      .where('key_hash', '=', hash)
      .where('status', '=', 'ACTIVE')
      .executeTakeFirst()
    const key =
      row === undefined
        ? null
        : {
            partnerId: row.partner_id,
            environment: row.environment as Environment,
            status: row.status,
            expiresAtMs: row.expires_at === null ? null : Number(row.expires_at),
            replacedAtMs: row.replaced_at === null ? null : Number(row.replaced_at),
          }
    if (keyCache.size >= AUTH_CACHE_MAX) keyCache.clear()
    keyCache.set(hash, { expiresAtMs: now + AUTH_CACHE_MS, key })
    return key
  }

  /** A key that works now on the live clock, else null. */
  async function workingKey(apiKey: string): Promise<KeyRecord | null> {
    const key = await lookupKey(apiKey)
    return key !== null && keyWorks(key, clock.now()) ? key : null
  }

  /** What changed on this node is forgotten here at once; other nodes forget within AUTH_CACHE_MS. */
  function forget<T>(result: Result<Changed<T>>, partnerId?: string): Result<T> {
    if (!result.ok) return result
    for (const hash of result.value.keyHashes) keyCache.delete(hash)
    if (partnerId !== undefined) partnerCache.delete(partnerId)
    return ok(result.value.value)
  }

  return {
    async create(input, actor) {
      const config = applyConfigPatch(DEFAULT_CONFIG, input)
      if (!config.ok) return config
      const id = randomUUID()
      const nowMs = clock.now()
      const partner: Partner = {
        id,
        name: input.name,
        type: input.type,
        status: 'ACTIVE',
        config: config.value,
        createdAtMs: nowMs,
        updatedAtMs: nowMs,
      }
      const secrets = {
        api_key: generateApiKey('live'),
        sandbox_api_key: generateApiKey('sandbox'),
        webhook_secret: generateWebhookSecret(),
      }
      await store.transaction(async (tx) => {
        await tx.kysely
          .insertInto('partners')
          .values({
            id,
            name: partner.name,
            type: partner.type,
            status: partner.status,
            config: JSON.stringify(partner.config),
            created_at: BigInt(nowMs),
            updated_at: BigInt(nowMs),
          })
          .execute()
        await tx.kysely
          .insertInto('api_keys')
          .values(
            [secrets.api_key, secrets.sandbox_api_key].map((key) => {
              const expiresAtMs = expiresAtFor(environmentOfKey(key), nowMs)
              return {
                id: randomUUID(),
                partner_id: id,
                environment: environmentOfKey(key),
                key_hash: hashSecret(key),
                key_prefix: keyPrefix(key),
                status: 'ACTIVE',
                created_at: BigInt(nowMs),
                revoked_at: null,
                expires_at: expiresAtMs === null ? null : BigInt(expiresAtMs),
                replaced_at: null,
                expiry_warned_days: null,
              }
            }),
          )
          .execute()
        await insertWebhookSecret(tx, box, id, secrets.webhook_secret, nowMs)
        await recordAudit(tx, {
          actor,
          action: 'partner.create',
          targetType: 'partner',
          targetId: id,
          before: null,
          after: toView(partner),
          atMs: nowMs,
        })
      })
      return ok({ ...toView(partner), ...secrets })
    },

    async list() {
      const rows = await store.kysely
        .selectFrom('partners')
        .selectAll()
        .orderBy('created_at')
        .orderBy('id')
        .execute()
      return rows.map((row) => toView(fromRow(row)))
    },

    get: loadPartner,

    async update(id, patch, actor) {
      const result = await store.transaction(async (tx): Promise<Result<PartnerView>> => {
        if (!UUID.test(id)) return fail('NOT_FOUND', 'no such partner')
        const row = await tx.kysely
          .selectFrom('partners')
          .selectAll()
          .where('id', '=', id)
          .$if(tx.dialect === 'postgres', (q) => q.forUpdate())
          .executeTakeFirst()
        if (row === undefined) return fail('NOT_FOUND', 'no such partner')
        const before = fromRow(row)
        if (before.status === 'OFFBOARDED')
          return fail('CONFLICT', 'partner is offboarded; its records are kept read-only')
        const config = applyConfigPatch(before.config, patch)
        if (!config.ok) return config
        const frozen = await lpTermsFrozen(tx, before.config, config.value, id)
        if (frozen !== undefined) return frozen
        const nowMs = clock.now()
        const after: Partner = {
          ...before,
          name: patch.name ?? before.name,
          status: patch.status ?? before.status,
          config: config.value,
          updatedAtMs: nowMs,
        }
        await tx.kysely
          .updateTable('partners')
          .set({
            name: after.name,
            status: after.status,
            config: JSON.stringify(after.config),
            updated_at: BigInt(nowMs),
          })
          .where('id', '=', id)
          .execute()
        await recordAudit(tx, {
          actor,
          action: 'partner.update',
          targetType: 'partner',
          targetId: id,
          before: toView(before),
          after: toView(after),
          atMs: nowMs,
        })
        return ok(toView(after))
      })
      partnerCache.delete(id)
      return result
    },

    async authenticate(apiKey, partnerIdHeader) {
      if (apiKey === undefined || partnerIdHeader === undefined || !looksLikeApiKey(apiKey))
        return UNAUTHORIZED
      const key = await workingKey(apiKey)
      if (key === null || key.partnerId !== partnerIdHeader) return UNAUTHORIZED
      const partner = await cachedPartner(key.partnerId)
      if (partner === undefined) return UNAUTHORIZED
      if (partner.status !== 'ACTIVE')
        return { ok: false, code: 'FORBIDDEN', message: 'partner is suspended' }
      return { ok: true, value: { partner, environment: key.environment } }
    },

    async isPartnerKey(token) {
      return looksLikeApiKey(token) && (await workingKey(token)) !== null
    },

    listKeys: (id) => listKeys(store, id, clock.now()),

    async rotateKey(id, options, actor) {
      return forget(await rotateKey(credentials, id, options, actor))
    },

    async revokeKey(id, keyId, actor) {
      return forget(await revokeKey(credentials, id, keyId, actor))
    },

    rotateWebhookSecret: (id, overlapHours, actor) =>
      rotateWebhookSecret(credentials, id, overlapHours, actor),

    async offboard(id, actor) {
      return forget(await offboard(credentials, id, actor), id)
    },
  }
}
