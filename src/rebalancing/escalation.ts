import { ASSET_BY_FIAT, ASSETS, type AssetCode } from '../config/assets.ts'
import { CORRIDOR_IDS, CORRIDORS, type CorridorId } from '../config/corridors.ts'
import { POOLS } from '../config/pools.ts'
import { cmp, mul, percent, type Ratio, ratio, ZERO } from '../money/ratio.ts'
import { mulDiv } from '../money/rounding.ts'
import { usdToMinor } from '../pools/model.ts'
import type { UsdRates } from '../pools/usd-rates.ts'

/**
 * SPEC §8 smart rebalancing escalation for a Reserve deficit, the pure
 * core: recall Yield → issuer emergency mint → RFQ counterparties. A Reserve
 * is in deficit below its SPEC §2.2 minimum (80% of target at the oracle
 * mid, all owners together); the escalation brings it back to that minimum.
 * The shell (src/rebalancing/reserve-escalation.ts) reads the balances,
 * runs the steps in this order and records each with its outcome.
 */

export const ESCALATION_STEPS = ['YIELD_RECALL', 'ISSUER_MINT', 'RFQ'] as const
export type EscalationStep = (typeof ESCALATION_STEPS)[number]
export type StepOutcome = 'DONE' | 'PARTIAL' | 'REQUESTED' | 'FAILED' | 'SKIPPED'

export type EscalationConfig = {
  /** [ours] An escalation that could not cover its deficit is tried again after this long. */
  readonly retryMs: number
  /** [ours] How long an issuer's emergency mint may take before the RFQ step runs after all. */
  readonly mintWaitMs: number
}

export const DEFAULT_ESCALATION_CONFIG: EscalationConfig = { retryMs: 15 * 60_000, mintWaitMs: 10 * 60_000 }

/** One asset's Reserve and Yield, per owner, in smallest units. */
export type ReserveFacts = {
  readonly asset: AssetCode
  readonly reserve: { readonly protocol: bigint; readonly classA: bigint; readonly classB: bigint }
  readonly yield: { readonly protocol: bigint; readonly classB: bigint }
  /** SPEC §2.2 class B Reserve share, percent. */
  readonly classBReservePct: bigint
}

/** SPEC §2.2: the Reserve minimum of an asset, in its smallest units at the oracle mid. */
export function reserveMinMinor(asset: AssetCode, rates: UsdRates): bigint {
  const pool = POOLS[asset].RESERVE
  return usdToMinor(mul(ratio(pool.targetUsd), percent(pool.minPct)), asset, rates)
}

export function reserveTotal(facts: ReserveFacts): bigint {
  return facts.reserve.protocol + facts.reserve.classA + facts.reserve.classB
}

/** How far the Reserve is below its minimum; zero when it is not. */
export function deficitMinor(facts: ReserveFacts, minMinor: bigint): bigint {
  const short = minMinor - reserveTotal(facts)
  return short > 0n ? short : 0n
}

export type Recall = { readonly owner: 'class_b' | 'protocol'; readonly minor: bigint }

/**
 * Step 1, recall Yield (SPEC §2.2 "recall to Reserve (deficit recovery)"):
 * first what class B holds in Yield beyond its Reserve/Yield split — its
 * tagged Reserve overflow, or the Reserve share its withdrawals drew down —
 * back into its Reserve share; then the protocol's own Yield capital. Class
 * B's plain Yield share stays (it chose that risk and that yield).
 */
export function planRecall(facts: ReserveFacts, deficit: bigint): Recall[] {
  const classBTotal = facts.reserve.classB + facts.yield.classB
  const classBShouldHold = mulDiv(classBTotal, facts.classBReservePct, 100n, 'ceil')
  const classBShort = classBShouldHold - facts.reserve.classB
  const tagged = minBig(deficit, minBig(facts.yield.classB, classBShort > 0n ? classBShort : 0n))
  const protocol = minBig(deficit - tagged, facts.yield.protocol)
  const recalls: Recall[] = []
  if (tagged > 0n) recalls.push({ owner: 'class_b', minor: tagged })
  if (protocol > 0n) recalls.push({ owner: 'protocol', minor: protocol })
  return recalls
}

function minBig(a: bigint, b: bigint): bigint {
  return a < b ? a : b
}

/** The corridor two assets share, if any. */
export function corridorOf(a: AssetCode, b: AssetCode): CorridorId | undefined {
  return CORRIDOR_IDS.find((id) => {
    const codes = [ASSET_BY_FIAT[CORRIDORS[id].base].code, ASSET_BY_FIAT[CORRIDORS[id].quote].code]
    return codes.includes(a) && codes.includes(b)
  })
}

/**
 * What the protocol Reserve pays with for a mint or an RFQ of `asset`: of the
 * assets it shares a corridor with, the one whose protocol Reserve stands
 * furthest above its own minimum (USD at mid); none when no Reserve has room.
 */
export function fundingAsset(
  asset: AssetCode,
  surplusUsd: ReadonlyMap<AssetCode, Ratio>,
): { asset: AssetCode; corridor: CorridorId } | undefined {
  let best: { asset: AssetCode; corridor: CorridorId; usd: Ratio } | undefined
  for (const other of Object.keys(ASSETS) as AssetCode[]) {
    if (other === asset) continue
    const corridor = corridorOf(asset, other)
    const usd = surplusUsd.get(other) ?? ZERO
    if (corridor === undefined || cmp(usd, ZERO) <= 0) continue
    if (best === undefined || cmp(usd, best.usd) > 0) best = { asset: other, corridor, usd }
  }
  return best === undefined ? undefined : { asset: best.asset, corridor: best.corridor }
}
