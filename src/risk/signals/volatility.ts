import type { RiskConfig } from '../../config/risk.ts'
import { abs, cmp, div, type Ratio, ratio } from '../../money/ratio.ts'
import type { SignalResult } from '../states.ts'
import { showPct } from '../text.ts'

/**
 * SPEC §6.2 volatility. `moveBps` is the mid's move over the configured
 * window (SPEC §5: 5 minutes) in basis points; its sign does not matter, a
 * fall is as dangerous as a rise. Bands, each naming the side a value equal
 * to a threshold falls on (see the SPEC wording in config/risk.ts):
 *   m < 0.05 %            NORMAL
 *   0.05 % ≤ m < 0.15 %   PROTECT
 *   0.15 % ≤ m ≤ 0.30 %   RESTRICT
 *   m > 0.30 %            HALT
 */
export function volatilitySignal(moveBps: Ratio, config: RiskConfig): SignalResult {
  const v = config.volatility
  // 1 % = 100 bps.
  const movePct = div(abs(moveBps), ratio(100n))
  const seen = `mid moved ${showPct(movePct)} over ${v.windowMs / 60_000} min`
  if (cmp(movePct, v.haltAbovePct) > 0) {
    return { signal: 'volatility', state: 'HALT', reason: `${seen}, above ${showPct(v.haltAbovePct)}` }
  }
  if (cmp(movePct, v.restrictAtPct) >= 0) {
    return {
      signal: 'volatility',
      state: 'RESTRICT',
      reason: `${seen}, at or above ${showPct(v.restrictAtPct)}`,
    }
  }
  if (cmp(movePct, v.protectAtPct) >= 0) {
    return {
      signal: 'volatility',
      state: 'PROTECT',
      reason: `${seen}, at or above ${showPct(v.protectAtPct)}`,
    }
  }
  return { signal: 'volatility', state: 'NORMAL', reason: `${seen}, below ${showPct(v.protectAtPct)}` }
}
