import type { CorridorId } from '../config/corridors.ts'
import type { RiskConfig } from '../config/risk.ts'
import { type Failure, fail } from '../errors.ts'
import { cmp, formatRatio, type Ratio } from '../money/ratio.ts'
import { maxInternalSizeUsd } from '../risk/limits.ts'
import type { RiskState } from '../risk/states.ts'

/**
 * L3 (SPEC §4, §5): a size above the state's max internal size would take the
 * external RFQ path; until the RFQ hub exists it is refused with
 * ABOVE_MAX_TRANSACTION_SIZE. HALT is left to L6.
 */
export function checkSize(input: {
  readonly corridor: CorridorId
  readonly state: RiskState
  readonly sizeUsd: Ratio
  readonly destinationActiveUsd: Ratio
  readonly riskConfig: RiskConfig
}): { failure?: Failure; maxSizeUsd: Ratio } {
  const maxSizeUsd = maxInternalSizeUsd(input.state, input.destinationActiveUsd, input.riskConfig)
  if (input.state === 'HALT' || cmp(input.sizeUsd, maxSizeUsd) <= 0) return { maxSizeUsd }
  return {
    maxSizeUsd,
    failure: fail(
      'ABOVE_MAX_TRANSACTION_SIZE',
      `the largest ${input.corridor} trade now is ${formatRatio(maxSizeUsd, 2, 'floor')} USD`,
      input.corridor,
    ),
  }
}
