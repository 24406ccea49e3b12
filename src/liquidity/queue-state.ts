import { ASSETS, type AssetCode } from '../config/assets.ts'
import { CORRIDOR_IDS, CORRIDORS } from '../config/corridors.ts'
import type { Environment } from '../config/environment.ts'
import { type Ratio, ratio, ZERO } from '../money/ratio.ts'
import { readPoolHoldings } from '../pools/holdings.ts'
import { poolTargetMinor } from '../pools/model.ts'
import type { UsdRates } from '../pools/usd-rates.ts'
import type { RiskEngine } from '../risk/engine.ts'
import type { Reader } from '../store/store.ts'
import { classClaimMinor, readVaults } from './holdings.ts'
import { type QueueDecision, queueState } from './withdrawal-policy.ts'

/**
 * The SPEC §7.5 queue state of one asset's withdrawals, from the facts it
 * depends on: its Reserve's health, the states of the corridors that trade
 * it, and portfolio VaR as a share of its breach limit.
 *
 * Reserve health [ours, SPEC §15]: LPs are paid from their own classes'
 * capital, never the protocol's, so a Reserve whose LP accounts cover every
 * LP claim on it is healthy for withdrawals however young or small it is;
 * only when they do not (which the ownership accounting should never allow)
 * does the Reserve's health against its target gate the queue.
 */
export async function withdrawalQueueState(
  db: Reader,
  engine: RiskEngine,
  environment: Environment,
  asset: AssetCode,
  rates: UsdRates,
  /** Portfolio VaR as a percentage of its breach limit (the risk engine's `varPctOfLimit`). */
  varPctOfLimit: Ratio,
): Promise<QueueDecision> {
  const pool = (await readPoolHoldings(db, environment)).get(asset)
  const vaults = (await readVaults(db, environment)).get(asset)
  const reserve = pool?.RESERVE
  const backed =
    (reserve?.byOwner.class_a ?? 0n) >= classClaimMinor(vaults, 'A') &&
    (reserve?.byOwner.class_b ?? 0n) + (pool?.YIELD.byOwner.class_b ?? 0n) >= classClaimMinor(vaults, 'B')
  const target = poolTargetMinor(asset, 'RESERVE', rates)
  const fiat = ASSETS[asset].fiat
  const corridorStates = CORRIDOR_IDS.filter(
    (c) => CORRIDORS[c].base === fiat || CORRIDORS[c].quote === fiat,
  ).map((c) => engine.view(environment, c).state)
  return queueState({
    reserveHealthPct: backed
      ? ratio(100n)
      : target === 0n
        ? ZERO
        : ratio((reserve?.total ?? 0n) * 100n, target),
    corridorStates,
    varPctOfLimit,
  })
}
