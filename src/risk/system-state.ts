import { ASSET_BY_FIAT, type AssetCode } from '../config/assets.ts'
import { CORRIDOR_IDS, CORRIDORS, type CorridorId } from '../config/corridors.ts'
import type { Environment } from '../config/environment.ts'
import type { RiskConfig } from '../config/risk.ts'
import { formatRatio, min, type Ratio } from '../money/ratio.ts'
import type { OracleService } from '../oracle/service.ts'
import { minorToUsd } from '../pools/model.ts'
import type { CorridorStates } from './engine.ts'
import { maxInternalSizeUsd } from './limits.ts'
import { mostSevere, type RiskState, type Side } from './states.ts'

export type CorridorStateReport = {
  state: RiskState
  allowed_directions: Side[]
  max_size: string
  max_size_currency: 'USD'
  oracle_age_ms: number | null
  reasons: string[]
}

/** What the state report reads of the Active pools: their balances (the trading layer's `ActivePools` provides them). */
export type ActiveBalances = {
  levels(environment: Environment): Promise<ReadonlyMap<AssetCode, { readonly balance: bigint }>>
}

export type SystemStateReport = {
  system_state: RiskState
  corridors: Record<CorridorId, CorridorStateReport>
  timestamp: string
}

/**
 * SPEC §3 GET /v1/system/state: each corridor's state, the directions it
 * allows, its max internal size (USD, the smaller of the two directions), and
 * the age of its oracle price; the system state is the most severe corridor.
 */
export async function systemState(
  deps: { states: CorridorStates; oracle: OracleService; pools: ActiveBalances; riskConfig: RiskConfig },
  environment: Environment,
  nowMs: number,
): Promise<SystemStateReport> {
  const levels = await deps.pools.levels(environment)
  const rates = deps.oracle.usdRates(environment)
  const corridors = {} as Record<CorridorId, CorridorStateReport>
  for (const corridor of CORRIDOR_IDS) {
    const view = deps.states.view(environment, corridor)
    const config = CORRIDORS[corridor]
    const [baseSize, quoteSize] = [config.base, config.quote].map((fiat) => {
      const asset = ASSET_BY_FIAT[fiat].code
      const balanceUsd = minorToUsd(levels.get(asset)?.balance ?? 0n, asset, rates)
      return maxInternalSizeUsd(view.state, balanceUsd, deps.riskConfig)
    }) as [Ratio, Ratio]
    const reading = deps.oracle.reading(environment, corridor)
    corridors[corridor] = {
      state: view.state,
      allowed_directions: [...view.allowedDirections],
      max_size: formatRatio(min(baseSize, quoteSize), 2, 'floor'),
      max_size_currency: 'USD',
      oracle_age_ms: reading.ageMs,
      reasons: [...view.reasons],
    }
  }
  return {
    system_state: mostSevere(CORRIDOR_IDS.map((c) => corridors[c].state)),
    corridors,
    timestamp: new Date(nowMs).toISOString(),
  }
}
