import type { AssetCode } from './assets.ts'

/** SPEC §1 and §2.2: three tiers per stablecoin, twelve pools in all. */
export const POOL_TIERS = ['ACTIVE', 'RESERVE', 'YIELD'] as const
export type PoolTier = (typeof POOL_TIERS)[number]

export type PoolConfig = {
  /** The pool's target and max, in USD at oracle mid (SPEC §2.2: "a pool's target is its max"). */
  readonly targetUsd: bigint
  /** Minimum balance in percent of target; zero where the SPEC sets none. */
  readonly minPct: bigint
}

/** SPEC §2.2 Phase 1 configuration. */
export const POOLS: Readonly<Record<AssetCode, Readonly<Record<PoolTier, PoolConfig>>>> = {
  USDT: {
    ACTIVE: { targetUsd: 1_000_000n, minPct: 40n },
    RESERVE: { targetUsd: 5_000_000n, minPct: 80n },
    YIELD: { targetUsd: 10_000_000n, minPct: 0n },
  },
  IDRX: {
    ACTIVE: { targetUsd: 500_000n, minPct: 40n },
    RESERVE: { targetUsd: 2_000_000n, minPct: 80n },
    YIELD: { targetUsd: 3_000_000n, minPct: 0n },
  },
  tnSGD: {
    ACTIVE: { targetUsd: 500_000n, minPct: 40n },
    RESERVE: { targetUsd: 2_000_000n, minPct: 80n },
    YIELD: { targetUsd: 3_000_000n, minPct: 0n },
  },
  MYRC: {
    ACTIVE: { targetUsd: 300_000n, minPct: 40n },
    RESERVE: { targetUsd: 1_000_000n, minPct: 80n },
    YIELD: { targetUsd: 2_000_000n, minPct: 0n },
  },
}

/**
 * The foundation issue: on first start the sandbox pools are funded from
 * protocol-owned liquidity, Active at 100% of target and Reserve at 90%
 * (healthy, with room for LP deposits); Yield starts empty.
 */
export const SANDBOX_GENESIS_PCT: Readonly<Record<PoolTier, bigint>> = {
  ACTIVE: 100n,
  RESERVE: 90n,
  YIELD: 0n,
}
