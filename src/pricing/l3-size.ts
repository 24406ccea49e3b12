import type { CorridorId } from '../config/corridors.ts'
import type { RiskConfig } from '../config/risk.ts'
import { type Failure, fail } from '../errors.ts'
import { cmp, formatRatio, type Ratio } from '../money/ratio.ts'
import { maxInternalSizeUsd } from '../risk/limits.ts'
import type { RiskState } from '../risk/states.ts'

/**
 * L3 (SPEC §4, §5): a size above the state's max internal size is refused
 * with ABOVE_MAX_TRANSACTION_SIZE by the pipeline; a firm quote then takes the
 * EXTERNAL_RFQ path when RFQ counterparties serve the corridor
 * (`takesExternalRfq`, src/trading/quotes.ts, src/rfq/). HALT is left to L6.
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

/**
 * Issue 11: whether a refused firm quote goes to the RFQ counterparties
 * instead: only a refusal for size (L3), only when a counterparty serves the
 * corridor. Every check before L3 (entry, limits, direction) has passed.
 */
export function takesExternalRfq(failure: Failure, counterparties: number): boolean {
  return failure.code === 'ABOVE_MAX_TRANSACTION_SIZE' && counterparties > 0
}
