import type { Reader } from '../store/store.ts'

/**
 * The secrets that sign a partner's webhooks now (SPEC §9, §10): the current
 * one, and during a rotation's overlap the previous one too (Standard
 * Webhooks allows several `v1,` signatures in one header). Newest first.
 */
export async function signingSecrets(db: Reader, partnerId: string, nowMs: number): Promise<string[]> {
  const rows = await db.kysely
    .selectFrom('webhook_secrets')
    .select(['secret', 'retired_at'])
    .where('partner_id', '=', partnerId)
    .orderBy('created_at', 'desc')
    .execute()
  return rows
    .filter((row) => row.retired_at === null || row.retired_at > BigInt(nowMs))
    .map((row) => row.secret)
}
