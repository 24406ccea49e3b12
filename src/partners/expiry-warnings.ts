import type { Environment } from '../config/environment.ts'
import { recordEvent } from '../events/events.ts'
import type { Store } from '../store/store.ts'
import { EXPIRY_WARNING_DAYS, warningDue } from './credential-policy.ts'

/** The widest warning window: keys expiring later than this are not read. */
const WINDOW_MS = EXPIRY_WARNING_DAYS[0] * 24 * 3_600_000

/**
 * `partner.credential_expiring` [ours], 14 and 3 days before a current key
 * expires (SPEC §9's 90-day rotation), each once: the warning is marked on
 * the key by a conditional update in the event's own transaction, so two
 * runs (or two nodes) cannot both emit it. Keys replaced by a rotation,
 * revoked or expired are not warned about. Returns the events written.
 */
export async function warnExpiringKeys(store: Store, nowMs: number): Promise<number> {
  const candidates = await store.kysely
    .selectFrom('api_keys')
    .select([
      'id',
      'partner_id',
      'environment',
      'key_prefix',
      'status',
      'expires_at',
      'replaced_at',
      'expiry_warned_days',
    ])
    .where('status', '=', 'ACTIVE')
    .where('replaced_at', 'is', null)
    .where('expires_at', '>', BigInt(nowMs))
    .where('expires_at', '<=', BigInt(nowMs + WINDOW_MS))
    .orderBy('expires_at')
    .orderBy('id')
    .execute()
  let written = 0
  for (const key of candidates) {
    const days = warningDue(
      {
        status: key.status,
        expiresAtMs: key.expires_at === null ? null : Number(key.expires_at),
        replacedAtMs: null,
        warnedDays: key.expiry_warned_days,
      },
      nowMs,
    )
    if (days === undefined) continue
    written += await store.transaction(async (tx) => {
      const claimed = await tx.kysely
        .updateTable('api_keys')
        .set({ expiry_warned_days: days })
        .where('id', '=', key.id)
        .where('status', '=', 'ACTIVE')
        .where('replaced_at', 'is', null)
        .where((eb) => eb.or([eb('expiry_warned_days', 'is', null), eb('expiry_warned_days', '>', days)]))
        .executeTakeFirst()
      if (claimed.numUpdatedRows === 0n) return 0
      await recordEvent(tx, {
        environment: key.environment as Environment,
        partnerId: key.partner_id,
        type: 'partner.credential_expiring',
        data: {
          partner_id: key.partner_id,
          key_id: key.id,
          prefix: key.key_prefix,
          environment: key.environment,
          expires_at: new Date(Number(key.expires_at)).toISOString(),
          days_before: days,
        },
        atMs: nowMs,
      })
      return 1
    })
  }
  return written
}
