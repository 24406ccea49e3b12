import { ASSET_CODES } from '../config/assets.ts'
import type { Environment } from '../config/environment.ts'
import { POOL_TIERS, SANDBOX_GENESIS_PCT } from '../config/pools.ts'
import { poolAccount, protocolAccount } from '../ledger/accounts.ts'
import { ensureAccounts, type Posting, postEntry } from '../ledger/journal.ts'
import { percent, scale } from '../money/ratio.ts'
import type { Reader, Store } from '../store/store.ts'
import { readPoolHoldings } from './holdings.ts'
import { type PoolView, poolTargetMinor, poolView } from './model.ts'
import type { UsdRates } from './usd-rates.ts'

const GENESIS = { kind: 'genesis', reference: 'sandbox-pools' } as const

/**
 * First start: creates the twelve pool accounts in both environments and
 * funds the sandbox pools from protocol-owned liquidity (Active 100% of
 * target, Reserve 90%, Yield empty). Live starts empty. The genesis entry has
 * a unique reference, so a restart, or two nodes starting at once, cannot
 * fund twice. Returns whether this call did the funding.
 */
export async function seedPools(store: Store, rates: UsdRates, atMs: number): Promise<boolean> {
  try {
    return await fundGenesis(store, rates, atMs)
  } catch (error) {
    // Two nodes starting together on a fresh database: the loser's insert meets the winner's row.
    if (isUniqueViolation(error)) return false
    throw error
  }
}

function isUniqueViolation(error: unknown): boolean {
  const code = (error as { code?: unknown }).code
  return code === '23505' || code === 'SQLITE_CONSTRAINT_UNIQUE' || code === 'SQLITE_CONSTRAINT_PRIMARYKEY'
}

function fundGenesis(store: Store, rates: UsdRates, atMs: number): Promise<boolean> {
  return store.transaction(async (tx) => {
    const keys = (['sandbox', 'live'] as const).flatMap((environment) =>
      ASSET_CODES.flatMap((asset) => POOL_TIERS.map((tier) => poolAccount(environment, asset, tier))),
    )
    await ensureAccounts(tx, keys, atMs)
    const postings: Posting[] = []
    for (const asset of ASSET_CODES) {
      let funded = 0n
      for (const tier of POOL_TIERS) {
        const amount = scale(poolTargetMinor(asset, tier, rates), percent(SANDBOX_GENESIS_PCT[tier]), 'floor')
        if (amount === 0n) continue
        postings.push({ account: poolAccount('sandbox', asset, tier), amount })
        funded += amount
      }
      postings.push({ account: protocolAccount('sandbox', asset, 'protocol_liquidity'), amount: -funded })
    }
    const result = await postEntry(tx, { environment: 'sandbox', ...GENESIS, postings, atMs })
    // A duplicate reference means an earlier start funded the pools: nothing to do, nothing to roll back.
    return result.ok
  })
}

/** The twelve pools: each one's total (every owner's part, SPEC §15), target, min and health. */
export async function listPools(db: Reader, environment: Environment, rates: UsdRates): Promise<PoolView[]> {
  const holdings = await readPoolHoldings(db, environment)
  return ASSET_CODES.flatMap((asset) =>
    POOL_TIERS.map((tier) => poolView(asset, tier, holdings.get(asset)?.[tier].total ?? 0n, rates)),
  )
}
