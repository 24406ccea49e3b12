import type { Fiat } from '../config/assets.ts'
import { CORRIDORS, type CorridorId } from '../config/corridors.ts'
import { type Failure, fail } from '../errors.ts'
import { add, cmp, div, type Ratio, r } from '../money/ratio.ts'

export type VolumeUsage = {
  /** Today's executed volume in this corridor plus live firm quotes, USD. */
  readonly dailyCorridorUsd: Ratio
  /** This month's executed volume in all corridors plus live firm quotes, USD. */
  readonly monthlyUsd: Ratio
}

export type EntryInput = {
  readonly corridor: CorridorId
  readonly enabledCorridors: readonly CorridorId[]
  readonly sizeUsd: Ratio
  readonly fiatPerUsd: (fiat: Fiat) => Ratio
  /** Absent for indicative quotes, which reserve nothing and skip the volume limits. */
  readonly limits?: {
    readonly dailyPerCorridorUsd: Ratio
    readonly monthlyUsd: Ratio
    readonly usage: VolumeUsage
    /** Why the limits are below the agreed ones (the SPEC §9 production ramp-up), added to a refusal. */
    readonly note?: string
  }
}

/**
 * L1 (SPEC §4): the corridor is enabled for the partner (403 otherwise, SPEC
 * §3), the size reaches the corridor minimum ($10, or 50 MYR for MYR-IDR,
 * compared in USD at the oracle rate), and the partner's daily per-corridor
 * and monthly USD limits hold, counting executed volume and live firm quotes.
 */
export function checkEntry(input: EntryInput): Failure | undefined {
  const { corridor } = input
  if (!input.enabledCorridors.includes(corridor)) {
    return fail(
      'CORRIDOR_NOT_ENABLED',
      `corridor ${corridor} is not enabled for this partner; an admin enables it in the partner's corridors`,
      corridor,
    )
  }
  const below = checkMinimum(corridor, input.sizeUsd, input.fiatPerUsd)
  if (below !== undefined) return below
  const limits = input.limits
  if (limits === undefined) return undefined
  const note = limits.note === undefined ? '' : ` (${limits.note})`
  if (cmp(add(limits.usage.dailyCorridorUsd, input.sizeUsd), limits.dailyPerCorridorUsd) > 0) {
    return fail('VOLUME_LIMIT_EXCEEDED', `the daily limit for ${corridor} would be exceeded${note}`, corridor)
  }
  if (cmp(add(limits.usage.monthlyUsd, input.sizeUsd), limits.monthlyUsd) > 0) {
    return fail('VOLUME_LIMIT_EXCEEDED', `the monthly limit would be exceeded${note}`, corridor)
  }
  return undefined
}

/**
 * SPEC §2.1, §4 L1: the corridor minimum ($10, or 50 MYR for MYR-IDR),
 * compared in USD at the given rates. Quotes check it on the amount asked;
 * a partial execution checks it again on the amount it executes (L9).
 */
export function checkMinimum(
  corridor: CorridorId,
  sizeUsd: Ratio,
  fiatPerUsd: (fiat: Fiat) => Ratio,
): Failure | undefined {
  const config = CORRIDORS[corridor]
  const minUsd = div(r(config.minTransaction), fiatPerUsd(config.minTransactionFiat))
  if (cmp(sizeUsd, minUsd) >= 0) return undefined
  return fail(
    'BELOW_MIN_TRANSACTION_SIZE',
    `the minimum for ${corridor} is ${config.minTransaction} ${config.minTransactionFiat}`,
    corridor,
  )
}
