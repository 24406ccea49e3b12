import { ASSETS, type AssetCode } from '../config/assets.ts'
import { CORRIDOR_IDS, CORRIDORS } from '../config/corridors.ts'
import type { Environment } from '../config/environment.ts'
import { poolAccount } from '../ledger/accounts.ts'
import { balanceOf } from '../ledger/journal.ts'
import { type Ratio, ratio, ZERO } from '../money/ratio.ts'
import { poolTargetMinor } from '../pools/model.ts'
import type { UsdRates } from '../pools/usd-rates.ts'
import type { RiskEngine } from '../risk/engine.ts'
import type { Reader } from '../store/store.ts'
import { type QueueDecision, queueState } from './withdrawal-policy.ts'

/**
 * The SPEC §7.5 queue state of one asset's withdrawals, from the facts it
 * depends on: its Reserve's health, the states of the corridors that trade
 * it, and portfolio VaR as a share of its breach limit.
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
  const balance = await balanceOf(db, poolAccount(environment, asset, 'RESERVE'))
  const target = poolTargetMinor(asset, 'RESERVE', rates)
  const fiat = ASSETS[asset].fiat
  const corridorStates = CORRIDOR_IDS.filter(
    (c) => CORRIDORS[c].base === fiat || CORRIDORS[c].quote === fiat,
  ).map((c) => engine.view(environment, c).state)
  return queueState({
    reserveHealthPct: target === 0n ? ZERO : ratio(balance * 100n, target),
    corridorStates,
    varPctOfLimit,
  })
}
