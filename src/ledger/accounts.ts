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
  /** Issue 14: on-chain deposits from unknown or cooling wallets, held until an operator resolves them. */
  | 'suspense'
  /** Issue 12: what is booked at the yield venue, one account per legal entity (src/integrations/earn/venue-ledger.ts). */
  | 'at_venue'
  /** Issue 12: the other side of every `at_venue` entry (minus what is at the venue). */
  | 'at_venue_contra'

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
  'at_venue',
  'at_venue_contra',
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

/**
 * SPEC §15 "Ownership inside the pools": Reserve and Yield capital is held
 * per owner, one account each: class A LPs, class B LPs, and the protocol
 * (sandbox genesis, the treasury's capital, the rebalancing bag). The Active
 * pools are the protocol's alone. A pool's balance is the sum of its owners'.
 */
export const POOL_OWNERS = ['protocol', 'class_a', 'class_b'] as const
export type PoolOwner = (typeof POOL_OWNERS)[number]

/** Who may own capital in each tier: class A never in Yield (it chose not to carry yield risk), LPs never in Active. */
export const TIER_OWNERS: Readonly<Record<PoolTier, readonly PoolOwner[]>> = {
  ACTIVE: ['protocol'],
  RESERVE: ['protocol', 'class_a', 'class_b'],
  YIELD: ['protocol', 'class_b'],
}

/** The protocol's part of a pool: all of Active, and the protocol's own Reserve and Yield capital. */
export function poolAccount(environment: Environment, asset: AssetCode, tier: PoolTier): AccountKey {
  return ownedPoolAccount(environment, asset, tier, PROTOCOL)
}

export function ownedPoolAccount(
  environment: Environment,
  asset: AssetCode,
  tier: PoolTier,
  owner: PoolOwner,
): AccountKey {
  if (!TIER_OWNERS[tier].includes(owner)) throw new Error(`${owner} owns no capital in ${tier}`)
  return { environment, asset, owner: owner === PROTOCOL ? PROTOCOL : `lp.${owner}`, purpose: `pool.${tier}` }
}

/** Every owner's account of one pool; their balances sum to the pool's. */
export function poolAccounts(environment: Environment, asset: AssetCode, tier: PoolTier): AccountKey[] {
  return TIER_OWNERS[tier].map((owner) => ownedPoolAccount(environment, asset, tier, owner))
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

/** Issue 12: the yield venue's legal entities, as `at_venue` account owners (`venue.lending`, `venue.defi`). */
export function atVenueAccount(
  environment: Environment,
  asset: AssetCode,
  entity: 'lending' | 'defi',
): AccountKey {
  return { environment, asset, owner: `venue.${entity}`, purpose: 'at_venue' }
}

export function atVenueContraAccount(environment: Environment, asset: AssetCode): AccountKey {
  return { environment, asset, owner: PROTOCOL, purpose: 'at_venue_contra' }
}
