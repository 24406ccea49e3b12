import type { AssetCode } from '../../config/assets.ts'
import type { CorridorId } from '../../config/corridors.ts'
import { add, max, min, type Ratio, ZERO } from '../../money/ratio.ts'
import { legsOf } from '../../pricing/model.ts'
import type { Side } from '../states.ts'

/** One partner's open firm quotes in one corridor and side, summed. */
export type OpenQuoteGroup = {
  readonly partnerId: string
  readonly corridor: CorridorId
  readonly side: Side
  /** Σ USD size of those quotes (as reserved when quoted). */
  readonly openUsd: Ratio
}

/** What one partner could execute now, in USD. */
export type PartnerCapacity = {
  /** Its prefunded balance of an asset, valued in USD; zero when it holds none. */
  readonly balanceUsd: (asset: AssetCode) => Ratio
  /** Its daily limit in a corridor less what it executed there today (negative when over: counts as zero). */
  readonly dailyLeftUsd: (corridor: CorridorId) => Ratio
  /** Its monthly limit less what it executed this month. */
  readonly monthlyLeftUsd: Ratio
}

/**
 * SPEC §6.2 "firm quotes count toward exposure until they expire or
 * execute", bounded as SPEC §15 "Firm quotes" asks: a partner's open quotes
 * count only up to what it could execute, so quotes no balance backs cost
 * the pools nothing. Per partner and corridor the count is the least of:
 *
 * - the quotes' USD size;
 * - what its prefunded balances fund, side by side: a SELL pays the BASE
 *   asset, a BUY the QUOTE asset, and each side counts at most the USD value
 *   of the balance it would draw on;
 * - what its daily limit in the corridor and its monthly limit leave of
 *   today's and this month's executed volume.
 *
 * Each corridor is bounded on its own, the worst case for that corridor: a
 * partner quoting two corridors from one balance could execute either.
 */
export function executableOpenQuotesUsd(
  groups: readonly OpenQuoteGroup[],
  capacityOf: (partnerId: string) => PartnerCapacity,
): Map<CorridorId, Ratio> {
  // Open per (partner, corridor, side): each side draws on one asset.
  const open = new Map<string, OpenQuoteGroup>()
  for (const group of groups) {
    const key = `${group.partnerId}|${group.corridor}|${group.side}`
    const seen = open.get(key)
    open.set(key, { ...group, openUsd: add(seen?.openUsd ?? ZERO, group.openUsd) })
  }
  // Funded per (partner, corridor): each side at most its quotes, at most the balance it draws on.
  const funded = new Map<string, { corridor: CorridorId; partnerId: string; usd: Ratio }>()
  for (const side of open.values()) {
    const key = `${side.partnerId}|${side.corridor}`
    const source = legsOf(side.corridor, side.side).source.code
    const usd = min(side.openUsd, max(capacityOf(side.partnerId).balanceUsd(source), ZERO))
    const seen = funded.get(key)
    funded.set(key, { corridor: side.corridor, partnerId: side.partnerId, usd: add(seen?.usd ?? ZERO, usd) })
  }
  const exposure = new Map<CorridorId, Ratio>()
  for (const { corridor, partnerId, usd } of funded.values()) {
    const capacity = capacityOf(partnerId)
    const limitsLeft = max(min(capacity.dailyLeftUsd(corridor), capacity.monthlyLeftUsd), ZERO)
    exposure.set(corridor, add(exposure.get(corridor) ?? ZERO, min(usd, limitsLeft)))
  }
  return exposure
}
