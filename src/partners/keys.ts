import { createHash, randomBytes, timingSafeEqual } from 'node:crypto'
import type { Environment } from '../config/environment.ts'

/** SPEC §9: API keys are 256-bit random, prefixed by environment, shown once, stored only as a hash. */
const PREFIX: Readonly<Record<Environment, string>> = { live: 'sk_live_', sandbox: 'sk_test_' }
const KEY_PATTERN = /^sk_(live|test)_[A-Za-z0-9_-]{43}$/

export function generateApiKey(environment: Environment): string {
  return `${PREFIX[environment]}${randomBytes(32).toString('base64url')}`
}

/** The webhook signing secret (SPEC §10, Standard Webhooks): `whsec_` and 256 random bits. */
export function generateWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex')
}

export function looksLikeApiKey(value: string): boolean {
  return KEY_PATTERN.test(value)
}

export function environmentOfKey(key: string): Environment {
  return key.startsWith(PREFIX.live) ? 'live' : 'sandbox'
}

/** What an operator may see of a key after creation: enough to tell two keys apart. */
export function keyPrefix(key: string): string {
  return key.slice(0, 12)
}

/** Compares two secrets in constant time by comparing their digests (equal length by construction). */
export function secretsEqual(a: string, b: string): boolean {
  return timingSafeEqual(createHash('sha256').update(a).digest(), createHash('sha256').update(b).digest())
}
