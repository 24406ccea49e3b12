import { randomUUID } from 'node:crypto'
import type { Reader, Store, Tx } from '../store/store.ts'
import { openWithKeyring, type SecretBox } from './secret-box.ts'

type SecretRow = { partner_id: string; secret: string; secret_sealed: string | null }

/** Sealed rows open with the process keyring; rows from before 0009_credentials are still plaintext. */
function plaintextOf(row: SecretRow): string {
  return row.secret_sealed === null ? row.secret : openWithKeyring(row.secret_sealed, row.partner_id)
}

/**
 * The secrets that sign a partner's webhooks now (SPEC §9, §10): the current
 * one, and during a rotation's overlap the previous one too (Standard
 * Webhooks allows several `v1,` signatures in one header). Newest first.
 * Plaintext `whsec_…` values, opened from their sealed form.
 */
export async function signingSecrets(db: Reader, partnerId: string, nowMs: number): Promise<string[]> {
  const rows = await db.kysely
    .selectFrom('webhook_secrets')
    .select(['partner_id', 'secret', 'secret_sealed', 'retired_at', 'created_at'])
    .where('partner_id', '=', partnerId)
    .execute()
  return rows
    .filter((row) => row.retired_at === null || row.retired_at > BigInt(nowMs))
    .sort(newestFirst)
    .map(plaintextOf)
}

/**
 * The current secret (never retired) first, then the retiring ones by the
 * end of their overlap, latest first: a rotation and its predecessor may
 * share a creation millisecond, their ends tell them apart.
 */
function newestFirst(
  a: { retired_at: bigint | null; created_at: bigint },
  b: { retired_at: bigint | null; created_at: bigint },
): number {
  const endA = a.retired_at ?? MAX_END
  const endB = b.retired_at ?? MAX_END
  if (endA !== endB) return endA > endB ? -1 : 1
  return a.created_at === b.created_at ? 0 : a.created_at > b.created_at ? -1 : 1
}

const MAX_END = 2n ** 63n - 1n

/** Stores a new webhook secret for a partner, sealed. */
export async function insertWebhookSecret(
  tx: Tx,
  box: SecretBox,
  partnerId: string,
  secret: string,
  nowMs: number,
): Promise<string> {
  const id = randomUUID()
  await tx.kysely
    .insertInto('webhook_secrets')
    .values({
      id,
      partner_id: partnerId,
      secret: '',
      secret_sealed: box.seal(secret, partnerId),
      created_at: BigInt(nowMs),
      retired_at: null,
    })
    .execute()
  return id
}

/**
 * Ends every secret of the partner still signing after `untilMs` at `untilMs`
 * (a secret already ending sooner keeps its end). Returns how many it touched.
 */
export async function retireWebhookSecrets(tx: Tx, partnerId: string, untilMs: number): Promise<number> {
  const until = BigInt(untilMs)
  const result = await tx.kysely
    .updateTable('webhook_secrets')
    .set({ retired_at: until })
    .where('partner_id', '=', partnerId)
    .where((eb) => eb.or([eb('retired_at', 'is', null), eb('retired_at', '>', until)]))
    .executeTakeFirst()
  return Number(result.numUpdatedRows)
}

/**
 * Seals the plaintext secrets written before 0009_credentials (run by every
 * node at start; idempotent): after it, no column holds a secret in clear.
 */
export async function sealPlaintextWebhookSecrets(store: Store, box: SecretBox): Promise<number> {
  return store.transaction(async (tx) => {
    const rows = await tx.kysely
      .selectFrom('webhook_secrets')
      .select(['id', 'partner_id', 'secret'])
      .where('secret_sealed', 'is', null)
      .$if(tx.dialect === 'postgres', (q) => q.forUpdate())
      .execute()
    for (const row of rows) {
      await tx.kysely
        .updateTable('webhook_secrets')
        .set({ secret: '', secret_sealed: box.seal(row.secret, row.partner_id) })
        .where('id', '=', row.id)
        .where('secret_sealed', 'is', null)
        .execute()
    }
    return rows.length
  })
}
