import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { MIN_TOKEN_LENGTH } from '../config/settings.ts'

export type AdminToken = {
  readonly token: string
  readonly source: 'environment' | 'file' | 'generated'
  readonly path?: string
}

/**
 * STABLEFX_ADMIN_TOKEN when set; otherwise the token generated on an earlier
 * start (kept in the data directory, readable by its owner only); otherwise a
 * new one, generated and saved now.
 */
export function resolveAdminToken(fromEnvironment: string | undefined, dataDir: string): AdminToken {
  if (fromEnvironment !== undefined) return { token: fromEnvironment, source: 'environment' }
  const path = join(dataDir, 'admin-token')
  if (existsSync(path)) {
    const token = readFileSync(path, 'utf8').trim()
    if (token.length >= MIN_TOKEN_LENGTH) return { token, source: 'file', path }
  }
  const token = `adm_${randomBytes(32).toString('base64url')}`
  mkdirSync(dataDir, { recursive: true })
  writeFileSync(path, `${token}\n`, { mode: 0o600 })
  return { token, source: 'generated', path }
}
