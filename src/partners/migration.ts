import type { Kysely } from 'kysely'
import type { Migration } from 'kysely/migration'
import { API_KEY_TTL_MS, LEGACY_KEY_GRACE_MS } from './credential-policy.ts'

/**
 * 0009_credentials (SPEC §9): API keys expire, are replaced by a rotation and
 * warn before they expire; webhook secrets are sealed at rest.
 *
 * - api_keys.expires_at: null for sandbox keys (SPEC §9: no rotation required).
 * - api_keys.replaced_at: when a rotation issued the key's successor; the key
 *   keeps working until its expires_at (the overlap end).
 * - api_keys.expiry_warned_days: 14 or 3 once that partner.credential_expiring
 *   warning was emitted, so each is emitted once.
 * - webhook_secrets.secret_sealed: the AES-256-GCM sealed secret; `secret` is
 *   '' for sealed rows. Rows written before this migration keep their plaintext
 *   until a node seals them at start (sealPlaintextWebhookSecrets), and are read
 *   compatibly meanwhile: the migration itself has no key.
 */
export function credentialsMigration(): Migration {
  return {
    async up(db: Kysely<unknown>) {
      await db.schema.alterTable('api_keys').addColumn('expires_at', 'bigint').execute()
      await db.schema.alterTable('api_keys').addColumn('replaced_at', 'bigint').execute()
      await db.schema.alterTable('api_keys').addColumn('expiry_warned_days', 'integer').execute()
      await db.schema.alterTable('webhook_secrets').addColumn('secret_sealed', 'text').execute()
      await backfillLiveKeyExpiry(db as Kysely<LegacyKeys>)
    },
  }
}

type LegacyKeys = {
  api_keys: { id: string; environment: string; created_at: bigint; expires_at: bigint | null }
}

/**
 * Live keys issued before expiry existed get the 90 days of SPEC §9 from their
 * creation, but never less than 30 days from the upgrade: an upgrade must not
 * cut a partner off, and both warnings (14 and 3 days) still come first.
 */
async function backfillLiveKeyExpiry(db: Kysely<LegacyKeys>): Promise<void> {
  const floorMs = BigInt(Date.now() + LEGACY_KEY_GRACE_MS)
  const rows = await db
    .selectFrom('api_keys')
    .select(['id', 'created_at'])
    .where('environment', '=', 'live')
    .execute()
  for (const row of rows) {
    const natural = BigInt(row.created_at) + BigInt(API_KEY_TTL_MS)
    await db
      .updateTable('api_keys')
      .set({ expires_at: natural > floorMs ? natural : floorMs })
      .where('id', '=', row.id)
      .execute()
  }
}
