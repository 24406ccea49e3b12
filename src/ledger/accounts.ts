import type { AssetCode } from '../config/assets.ts'
import type { Environment } from '../config/environment.ts'
import type { PoolTier } from '../config/pools.ts'

/**
 * SPEC §7.4: one account per (environment, asset, owner, purpose). Accounts
 * of different environments never meet in one entry.
 */
export type AccountPurpose =
  | `pool.${PoolTier}`
  | 'treasury'
  | 'fee_escrow'
  | 'prefunded'
  | 'pending_deposit'
  | 'protocol_liquidity'
  | 'faucet'
  | 'chain'
  | 'yield_venue'

export type AccountKey = {
  readonly environment: Environment
  readonly asset: AssetCode
  readonly owner: string
  readonly purpose: AccountPurpose
}

/**
 * World accounts stand for the outside (the chain, the sandbox faucet, the
 * protocol's own capital, the external yield venue): the only accounts whose
 * balance may go negative.
 */
const WORLD_PURPOSES: ReadonlySet<AccountPurpose> = new Set([
  'protocol_liquidity',
  'faucet',
  'chain',
  'yield_venue',
])

export type AccountKind = 'internal' | 'world'

export function accountKind(purpose: AccountPurpose): AccountKind {
  return WORLD_PURPOSES.has(purpose) ? 'world' : 'internal'
}

/** Account ids are derived from the key, so a writer never needs a lookup to name an account. */
export function accountId(key: AccountKey): string {
  return `${key.environment}:${key.asset}:${key.owner}:${key.purpose}`
}

export const PROTOCOL = 'protocol'

export function partnerOwner(partnerId: string): string {
  return `partner:${partnerId}`
}

export function poolAccount(environment: Environment, asset: AssetCode, tier: PoolTier): AccountKey {
  return { environment, asset, owner: PROTOCOL, purpose: `pool.${tier}` }
}

export function protocolAccount(
  environment: Environment,
  asset: AssetCode,
  purpose:
    | 'treasury'
    | 'fee_escrow'
    | 'pending_deposit'
    | 'protocol_liquidity'
    | 'faucet'
    | 'chain'
    | 'yield_venue',
): AccountKey {
  return { environment, asset, owner: PROTOCOL, purpose }
}

export function prefundedAccount(environment: Environment, asset: AssetCode, partnerId: string): AccountKey {
  return { environment, asset, owner: partnerOwner(partnerId), purpose: 'prefunded' }
}
