import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { MIN_TOKEN_LENGTH } from '../config/settings.ts'
import { generateSecretsKey, parseSecretsKey } from '../partners/secret-box.ts'

export type OperatorToken = {
  readonly token: string
  readonly source: 'environment' | 'file' | 'generated'
  readonly path?: string
}

/**
 * An operator token (admin or ops, SPEC §13): the environment variable when
 * set; otherwise the token generated on an earlier start, kept in the data
 * directory readable by its owner only; otherwise a new one, generated and
 * saved now.
 */
export function resolveToken(
  kind: 'admin' | 'ops',
  fromEnvironment: string | undefined,
  dataDir: string,
): OperatorToken {
  if (fromEnvironment !== undefined) return { token: fromEnvironment, source: 'environment' }
  const path = join(dataDir, `${kind}-token`)
  if (existsSync(path)) {
    const token = readFileSync(path, 'utf8').trim()
    if (token.length >= MIN_TOKEN_LENGTH) return { token, source: 'file', path }
  }
  const token = `${kind === 'admin' ? 'adm' : 'ops'}_${randomBytes(32).toString('base64url')}`
  mkdirSync(dataDir, { recursive: true })
  writeFileSync(path, `${token}\n`, { mode: 0o600 })
  return { token, source: 'generated', path }
}

export type SecretsKey = {
  readonly key: Buffer
  readonly source: 'environment' | 'file' | 'generated'
  readonly path?: string
}

/**
 * The key sealing webhook secrets at rest (SPEC §9): STABLEFX_SECRETS_KEY when
 * set; otherwise the key generated on an earlier start, kept in the data
 * directory (owner-only, base64); otherwise a new one, saved now. Losing it
 * loses the webhook secrets (rotate them to recover); several nodes on one
 * database need the same key, so set STABLEFX_SECRETS_KEY there.
 */
export function resolveSecretsKey(fromEnvironment: Buffer | undefined, dataDir: string): SecretsKey {
  if (fromEnvironment !== undefined) return { key: fromEnvironment, source: 'environment' }
  const path = join(dataDir, 'secrets-key')
  if (existsSync(path)) {
    const key = parseSecretsKey(readFileSync(path, 'utf8'))
    if (key === undefined) throw new Error(`${path} does not hold a 32-byte key; restore it from a backup`)
    return { key, source: 'file', path }
  }
  const key = generateSecretsKey()
  mkdirSync(dataDir, { recursive: true })
  writeFileSync(path, `${key.toString('base64')}\n`, { mode: 0o600, flag: 'wx' })
  return { key, source: 'generated', path }
}
