import type { Environment } from '../config/environment.ts'

const HOUR_MS = 3_600_000
const DAY_MS = 24 * HOUR_MS

/** SPEC §9: live API keys rotate every 90 days. Sandbox keys need no rotation and never expire. */
export const API_KEY_TTL_MS = 90 * DAY_MS
/** Keys issued before 0009_credentials keep at least this long after the upgrade. */
export const LEGACY_KEY_GRACE_MS = 30 * DAY_MS
/** [ours] A rotation's overlap: whole hours from 0 (the old credential stops at once) to 30 days; 24 by default. */
export const OVERLAP_HOURS = { min: 0, max: 720, fallback: 24 } as const
/** [ours] partner.credential_expiring is emitted this many days before a key expires, once each. */
export const EXPIRY_WARNING_DAYS = [14, 3] as const
export type WarningDays = (typeof EXPIRY_WARNING_DAYS)[number]

export function overlapMs(hours: number): number {
  return hours * HOUR_MS
}

export function expiresAtFor(environment: Environment, createdAtMs: number): number | null {
  return environment === 'live' ? createdAtMs + API_KEY_TTL_MS : null
}

/**
 * What an operator sees of a key: ACTIVE (the current key), RETIRING (replaced
 * by a rotation, working until its overlap ends), EXPIRED, REVOKED.
 */
export type KeyStatus = 'ACTIVE' | 'RETIRING' | 'EXPIRED' | 'REVOKED'

export type KeyState = {
  readonly status: string
  readonly expiresAtMs: number | null
  readonly replacedAtMs: number | null
}

export function keyStatus(key: KeyState, nowMs: number): KeyStatus {
  if (key.status === 'REVOKED') return 'REVOKED'
  if (key.expiresAtMs !== null && key.expiresAtMs <= nowMs) return 'EXPIRED'
  return key.replacedAtMs === null ? 'ACTIVE' : 'RETIRING'
}

/** A key authenticates when it is neither revoked nor past its expiry (the expiry instant itself is refused). */
export function keyWorks(key: KeyState, nowMs: number): boolean {
  const status = keyStatus(key, nowMs)
  return status === 'ACTIVE' || status === 'RETIRING'
}

/**
 * The warning due for a current key now, if any: the nearest threshold
 * crossed that was not yet warned. A worker that was down past both
 * thresholds sends only the 3-day warning, not a stale 14-day one.
 */
export function warningDue(
  key: KeyState & { readonly warnedDays: number | null },
  nowMs: number,
): WarningDays | undefined {
  if (keyStatus(key, nowMs) !== 'ACTIVE' || key.expiresAtMs === null) return undefined
  const leftMs = key.expiresAtMs - nowMs
  const crossed = EXPIRY_WARNING_DAYS.filter((days) => leftMs <= days * DAY_MS)
  const nearest = crossed[crossed.length - 1]
  if (nearest === undefined) return undefined
  if (key.warnedDays !== null && key.warnedDays <= nearest) return undefined
  return nearest
}
