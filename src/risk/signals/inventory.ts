import { ASSET_BY_FIAT, type AssetCode } from '../../config/assets.ts'
import { CORRIDORS, type CorridorId } from '../../config/corridors.ts'
import type { RiskConfig } from '../../config/risk.ts'
import { abs, cmp, div, isNegative, percent, type Ratio, sub, ZERO } from '../../money/ratio.ts'
import { type RiskState, type Side, type SignalResult, severity } from '../states.ts'
import { showFractionPct, showPct } from '../text.ts'

/** One Active pool, valued in USD at oracle mid (SPEC §5). */
export type ActivePoolSnapshot = { readonly balanceUsd: Ratio; readonly targetUsd: Ratio }

export type InventoryInput = {
  readonly corridor: CorridorId
  readonly base: ActivePoolSnapshot
  readonly quote: ActivePoolSnapshot
}

/** SPEC §5: IR = (current − target) / target, a fraction; −0.3 is 30 % below target. */
export function inventoryRatio(pool: ActivePoolSnapshot): Ratio {
  if (cmp(pool.targetUsd, ZERO) <= 0) throw new RangeError('an Active pool target must be positive')
  return div(sub(pool.balanceUsd, pool.targetUsd), pool.targetUsd)
}

type PoolSide = 'base' | 'quote'

/**
 * The side that moves a pool back towards its target. SELL credits the BASE
 * Active pool and debits the QUOTE one (the partner pays BASE); BUY does the
 * opposite (SPEC §1, §2.2). So a short BASE pool or a long QUOTE pool wants
 * SELL, and a long BASE pool or a short QUOTE pool wants BUY.
 */
export function rebalancingSide(pool: PoolSide, ir: Ratio): Side {
  const short = isNegative(ir)
  if (pool === 'base') return short ? 'SELL' : 'BUY'
  return short ? 'BUY' : 'SELL'
}

type PoolAssessment = {
  readonly pool: PoolSide
  readonly ir: Ratio
  readonly state: RiskState
  readonly reason: string
  readonly side: Side
}

/**
 * One pool against SPEC §5 and §6.2, most severe rule first. `HALT` here is
 * the pool's own verdict (below 20 % of target), the most severe one, so that
 * pool drives; `inventorySignal` turns it into the corridor's state. Thresholds at
 * their value fall on the milder side, as the SPEC words them: "inside the
 * dead zone" includes its edge, "within 25 %" includes 25 %, "below its min"
 * and "below 20 %" are strict.
 */
function assessPool(
  pool: PoolSide,
  asset: AssetCode,
  snapshot: ActivePoolSnapshot,
  deadZonePct: Ratio,
  config: RiskConfig,
): PoolAssessment {
  const inv = config.inventory
  const ir = inventoryRatio(snapshot)
  const share = div(snapshot.balanceUsd, snapshot.targetUsd)
  const side = rebalancingSide(pool, ir)
  const where = `${asset} Active pool at ${showFractionPct(share)} of target (IR ${showFractionPct(ir)})`
  const only = `only ${side} allowed`
  if (cmp(share, percent(inv.haltBelowPct)) < 0) {
    return { pool, ir, side, state: 'HALT', reason: `${where}, below ${showPct(inv.haltBelowPct)} of target` }
  }
  const minPct = inv.activeMinPct[asset]
  if (cmp(share, percent(minPct)) < 0) {
    return {
      pool,
      ir,
      side,
      state: 'RESTRICT',
      reason: `${where}, below its ${showPct(minPct)} minimum: ${only}`,
    }
  }
  const offTarget = abs(ir)
  if (cmp(offTarget, percent(inv.restrictBeyondPct)) > 0) {
    const reason = `${where}, more than ${showPct(inv.restrictBeyondPct)} off target: ${only}`
    return { pool, ir, side, state: 'RESTRICT', reason }
  }
  if (cmp(offTarget, percent(deadZonePct)) > 0) {
    return {
      pool,
      ir,
      side,
      state: 'PROTECT',
      reason: `${where}, outside the ${showPct(deadZonePct)} dead zone`,
    }
  }
  return { pool, ir, side, state: 'NORMAL', reason: `${where}, inside the ${showPct(deadZonePct)} dead zone` }
}

/**
 * Which pool drives the corridor. The more severe pool wins, so the per-pool
 * min and HALT rules hold even when the other pool is further off target;
 * at equal severity the larger |IR| drives (SPEC §5); at equal |IR| the short
 * pool (a pool can run dry, a long one cannot), then the BASE pool.
 */
function drives(a: PoolAssessment, b: PoolAssessment): PoolAssessment {
  if (severity(a.state) !== severity(b.state)) return severity(a.state) > severity(b.state) ? a : b
  const byDistance = cmp(abs(a.ir), abs(b.ir))
  if (byDistance !== 0) return byDistance > 0 ? a : b
  return cmp(b.ir, a.ir) < 0 ? b : a
}

/** The side that takes from a pool: the opposite of the side that refills it. */
function depletingSide(assessment: PoolAssessment): Side {
  return assessment.side === 'SELL' ? 'BUY' : 'SELL'
}

/**
 * SPEC §6.2 pool inventory for one corridor. In RESTRICT the result names the
 * one side that moves the driving pool back to target.
 *
 * Below 20 % of target (SPEC §15 "Inventory HALT … closes only the depleting
 * direction") a pool halts the side that would drain it further and keeps
 * the side that refills it open. A corridor with one direction open is what
 * SPEC §6.1 calls RESTRICT, so that is the state shown, with a reason naming
 * the halted side: HALT keeps its one meaning, "nothing trades", for every
 * other signal (oracle, volatility, an operator override). A pool that low
 * is the most severe assessment, so it drives: a long other pool wants the
 * same side anyway, and a short one above 20 % waits, since the pool below
 * 20 % is the one about to run dry. When both pools are below 20 %, each
 * halts the side the other needs: both directions are closed and the
 * corridor HALTs. That HALT still names the driving pool's side, so an
 * operator loosening it to RESTRICT lets only trades that refill that pool
 * through.
 */
export function inventorySignal(input: InventoryInput, config: RiskConfig): SignalResult {
  const corridor = CORRIDORS[input.corridor]
  const deadZonePct = config.inventory.deadZonePct[input.corridor]
  const base = assessPool('base', ASSET_BY_FIAT[corridor.base].code, input.base, deadZonePct, config)
  const quote = assessPool('quote', ASSET_BY_FIAT[corridor.quote].code, input.quote, deadZonePct, config)
  const driver = drives(base, quote)
  const other = driver === base ? quote : base
  if (driver.state === 'HALT' && other.state === 'HALT') {
    const reason = `${input.corridor} ${driver.reason}, and ${other.reason}: both directions halted`
    return { signal: 'inventory', state: 'HALT', reason, allowedDirections: [driver.side] }
  }
  if (driver.state === 'HALT') {
    const reason = `${input.corridor} ${driver.reason}: ${depletingSide(driver)} halted, only ${driver.side} allowed`
    return { signal: 'inventory', state: 'RESTRICT', reason, allowedDirections: [driver.side] }
  }
  const reason = `${input.corridor} ${driver.reason}`
  if (driver.state === 'RESTRICT') {
    return { signal: 'inventory', state: driver.state, reason, allowedDirections: [driver.side] }
  }
  return { signal: 'inventory', state: driver.state, reason }
}
