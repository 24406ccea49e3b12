import { parseArgs } from 'node:util'
import { systemClock } from '../clock/clock.ts'
import type { Settings } from '../config/settings.ts'
import type { Result } from '../errors.ts'
import { OVERLAP_HOURS } from '../partners/credential-policy.ts'
import { toView } from '../partners/model.ts'
import { createSecretBox } from '../partners/secret-box.ts'
import { createPartnerService, type PartnerService } from '../partners/service.ts'
import { openStore } from '../store/store.ts'
import { resolveSecretsKey } from './tokens.ts'

/**
 * `stablefx partners list | show | suspend | rotate-key | revoke-key`: the
 * admin API's partner and credential operations straight on the database
 * (audited as actor `cli`). Running nodes see a revocation within 2 s.
 */
export const PARTNERS_USAGE = `  partners list               every partner (JSON)
  partners show <id>          one partner and its API keys (prefixes only)
  partners suspend <id>       suspend a partner (its keys get 403 until reactivated)
  partners rotate-key <id> [--overlap-hours N]
                              issue a new live key, printed once; the current one works
                              N more hours (${OVERLAP_HOURS.min}–${OVERLAP_HOURS.max}, default ${OVERLAP_HOURS.fallback})
  partners revoke-key <id> <key_id>
                              revoke a key at once`

export type CliOutcome = { readonly code: number; readonly stdout: string; readonly stderr: string }

const done = (value: unknown): CliOutcome => ({
  code: 0,
  stdout: `${JSON.stringify(value, null, 2)}\n`,
  stderr: '',
})
const refused = (message: string): CliOutcome => ({ code: 1, stdout: '', stderr: `stablefx: ${message}\n` })
const outcome = <T>(result: Result<T>): CliOutcome =>
  result.ok ? done(result.value) : refused(`${result.code}: ${result.message}`)

/** The partner service on the configured database, with the durable secrets key. */
export async function withPartnerService<T>(
  settings: Settings,
  fn: (partners: PartnerService) => Promise<T>,
): Promise<T> {
  const { key } = resolveSecretsKey(settings.secretsKey, settings.dataDir)
  const store = await openStore(settings.databaseUrl, { migrate: true })
  try {
    return await fn(createPartnerService({ store, clock: systemClock, secrets: createSecretBox(key) }))
  } finally {
    await store.close()
  }
}

function overlapHours(text: string | undefined): number | undefined {
  if (text === undefined) return OVERLAP_HOURS.fallback
  if (!/^[0-9]{1,4}$/.test(text)) return undefined
  const hours = Number(text)
  return hours >= OVERLAP_HOURS.min && hours <= OVERLAP_HOURS.max ? hours : undefined
}

/** Runs one subcommand (other than `create`) and says what to print; undefined when `sub` is not one. */
export async function partnersCommand(
  settings: Settings,
  sub: string | undefined,
  args: string[],
): Promise<CliOutcome | undefined> {
  let parsed: { values: { 'overlap-hours'?: string | undefined }; positionals: string[] }
  try {
    parsed = parseArgs({ args, options: { 'overlap-hours': { type: 'string' } }, allowPositionals: true })
  } catch (error) {
    return refused((error as Error).message)
  }
  const { values, positionals } = parsed
  const [id, keyId] = positionals
  const needs = (count: number, usage: string) =>
    positionals.length === count ? undefined : refused(`usage: stablefx partners ${usage}`)
  switch (sub) {
    case 'list':
      return needs(0, 'list') ?? withPartnerService(settings, async (p) => done(await p.list()))
    case 'show':
      return (
        needs(1, 'show <id>') ??
        withPartnerService(settings, async (p) => {
          const partner = await p.get(id as string)
          if (partner === undefined) return refused('NOT_FOUND: no such partner')
          const keys = await p.listKeys(partner.id)
          return done({ ...toView(partner), api_keys: keys.ok ? keys.value : [] })
        })
      )
    case 'suspend':
      return (
        needs(1, 'suspend <id>') ??
        withPartnerService(settings, async (p) =>
          outcome(await p.update(id as string, { status: 'SUSPENDED' }, 'cli')),
        )
      )
    case 'rotate-key': {
      const hours = overlapHours(values['overlap-hours'])
      if (hours === undefined) {
        return refused(
          `--overlap-hours must be a whole number from ${OVERLAP_HOURS.min} to ${OVERLAP_HOURS.max}`,
        )
      }
      return (
        needs(1, 'rotate-key <id> [--overlap-hours N]') ??
        withPartnerService(settings, async (p) =>
          outcome(await p.rotateKey(id as string, { overlapHours: hours, environment: 'live' }, 'cli')),
        )
      )
    }
    case 'revoke-key':
      return (
        needs(2, 'revoke-key <id> <key_id>') ??
        withPartnerService(settings, async (p) =>
          outcome(await p.revokeKey(id as string, keyId as string, 'cli')),
        )
      )
    default:
      return undefined
  }
}
