import { randomBytes } from 'node:crypto'
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { MIN_TOKEN_LENGTH } from '../config/settings.ts'

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
