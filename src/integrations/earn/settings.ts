import { getAddress, isAddress } from 'viem'
import { ConfigError } from '../../config/settings.ts'
import type { EarnVenueSetting } from './service.ts'

/**
 * Issue 12: the yield venue per environment from environment variables,
 * validated once at start (a bad value stops the server naming the variable).
 *
 * - `STABLEFX_EARN_<ENV>_URL`: the venue's API base URL (`https://…`; `http://` only for sandbox);
 *   `STABLEFX_EARN_<ENV>_TOKEN_URL`: its OAuth2 token endpoint (default `<URL>/oauth/token`);
 *   `STABLEFX_EARN_<ENV>_LENDING_CLIENT_ID` / `…_LENDING_CLIENT_SECRET` and
 *   `STABLEFX_EARN_<ENV>_DEFI_CLIENT_ID` / `…_DEFI_CLIENT_SECRET`: the two credential sets.
 *   `<ENV>` is `SANDBOX` or `LIVE`.
 * - Sandbox with no URL runs the bundled simulator (`STABLEFX_EARN_SANDBOX=off` turns it off);
 *   live with no URL is off: Yield moves queue their bookings until a venue is configured.
 * - `STABLEFX_EARN_SETTLEMENT_THRESHOLD_USD`: below this we carry what we owe (default 1000).
 * - `STABLEFX_EARN_<ENV>_LENDING_SETTLEMENT_ADDRESS` / `…_DEFI_SETTLEMENT_ADDRESS` (optional): the
 *   entity's EVM address for settlements; with the environment's EVM chain (STABLEFX_CHAIN=evm),
 *   what we owe is paid there from the hot wallet, else it waits PENDING for an operator.
 */
export type EarnSettings = {
  readonly sandbox: EarnVenueSetting
  readonly live: EarnVenueSetting
  readonly thresholdUsd: bigint
}

function venue(env: NodeJS.ProcessEnv, name: 'SANDBOX' | 'LIVE'): EarnVenueSetting | undefined {
  const prefix = `STABLEFX_EARN_${name}`
  const url = env[`${prefix}_URL`]
  if (url === undefined || url === '') return undefined
  const checkUrl = (variable: string, value: string) => {
    let parsed: URL
    try {
      parsed = new URL(value)
    } catch {
      throw new ConfigError(variable, 'must be a URL')
    }
    if (parsed.protocol !== 'https:' && !(name === 'SANDBOX' && parsed.protocol === 'http:'))
      throw new ConfigError(variable, name === 'LIVE' ? 'must be https' : 'must be http or https')
    return value.replace(/\/+$/, '')
  }
  const baseUrl = checkUrl(`${prefix}_URL`, url)
  const tokenUrl = checkUrl(`${prefix}_TOKEN_URL`, env[`${prefix}_TOKEN_URL`] || `${baseUrl}/oauth/token`)
  const credential = (entity: 'LENDING' | 'DEFI') => {
    const idVar = `${prefix}_${entity}_CLIENT_ID`
    const secretVar = `${prefix}_${entity}_CLIENT_SECRET`
    const clientId = env[idVar]
    const clientSecret = env[secretVar]
    if (clientId === undefined || clientId === '')
      throw new ConfigError(idVar, 'is required with the venue URL')
    if (clientSecret === undefined || clientSecret === '')
      throw new ConfigError(secretVar, 'is required with the venue URL')
    return { clientId, clientSecret }
  }
  const settlementAddresses: Partial<Record<'lending' | 'defi', string>> = {}
  for (const [entity, name] of [
    ['lending', 'LENDING'],
    ['defi', 'DEFI'],
  ] as const) {
    const variable = `${prefix}_${name}_SETTLEMENT_ADDRESS`
    const value = env[variable]
    if (value === undefined || value === '') continue
    if (!isAddress(value, { strict: false })) throw new ConfigError(variable, 'must be a 0x EVM address')
    settlementAddresses[entity] = getAddress(value)
  }
  return {
    kind: 'venue',
    config: {
      baseUrl,
      tokenUrl,
      credentials: { lending: credential('LENDING'), defi: credential('DEFI') },
      ...(Object.keys(settlementAddresses).length === 0 ? {} : { settlementAddresses }),
    },
  }
}

export function earnSettingsFromEnv(env: NodeJS.ProcessEnv): EarnSettings {
  const sandboxMode = env.STABLEFX_EARN_SANDBOX ?? 'simulator'
  if (sandboxMode !== 'simulator' && sandboxMode !== 'off')
    throw new ConfigError('STABLEFX_EARN_SANDBOX', 'must be simulator or off')
  const threshold = env.STABLEFX_EARN_SETTLEMENT_THRESHOLD_USD ?? '1000'
  if (!/^(0|[1-9][0-9]{0,12})$/.test(threshold))
    throw new ConfigError('STABLEFX_EARN_SETTLEMENT_THRESHOLD_USD', 'must be whole US dollars')
  return {
    sandbox: venue(env, 'SANDBOX') ?? (sandboxMode === 'off' ? { kind: 'off' } : { kind: 'simulator' }),
    live: venue(env, 'LIVE') ?? { kind: 'off' },
    thresholdUsd: BigInt(threshold),
  }
}
