import { ASSET_BY_FIAT } from '../config/assets.ts'
import { CORRIDOR_IDS, CORRIDORS, type CorridorId } from '../config/corridors.ts'
import type { RiskConfig } from '../config/risk.ts'
import { add, ZERO } from '../money/ratio.ts'
import {
  dailyVolatility,
  grossExposureUsd,
  pricingPairs,
  type RiskInputs,
  reserveCapacityUsd,
} from './inputs.ts'
import { arbitrageSignal } from './signals/arbitrage.ts'
import { assessExposure, type ExposureAssessment } from './signals/exposure.ts'
import { inventorySignal } from './signals/inventory.ts'
import { oracleSignal } from './signals/oracle.ts'
import { DEFAULT_POR_CONFIG, porSignal } from './signals/por.ts'
import { volatilitySignal } from './signals/volatility.ts'
import { mostSevere, type SignalResult } from './states.ts'

export function exposureOf(inputs: RiskInputs, config: RiskConfig): ExposureAssessment {
  return assessExposure(
    {
      corridors: CORRIDOR_IDS.map((corridor) => ({
        corridor,
        grossExposureUsd: grossExposureUsd(corridor, inputs),
        reserveCapacityUsd: reserveCapacityUsd(corridor),
        volatility1d: dailyVolatility(corridor),
      })),
      reserveCapitalUsd: inputs.reserveCapitalUsd,
    },
    config,
  )
}

/** The oracle signal of the pairs a corridor prices on: the worst of them (both legs for a synthetic MYR-IDR). */
function oracleSignalFor(corridor: CorridorId, inputs: RiskInputs): SignalResult {
  const signals = pricingPairs(corridor, inputs.readings).map((pair) => {
    const reading = inputs.readings.get(pair)
    if (reading === undefined) throw new Error(`no reading for ${pair}`)
    return oracleSignal(reading)
  })
  const worst = mostSevere(signals.map((s) => s.state))
  return signals.find((s) => s.state === worst) as SignalResult
}

/**
 * The four signals of SPEC §6.2 for one corridor, plus the arbitrage check of
 * L8 when it failed since the last recovery: each a pure function of the inputs.
 */
export function corridorSignals(
  corridor: CorridorId,
  inputs: RiskInputs,
  exposure: ExposureAssessment,
  arbitrageFailure: string | undefined,
  config: RiskConfig,
): SignalResult[] {
  const { base, quote } = CORRIDORS[corridor]
  const pool = (fiat: typeof base) => {
    const snapshot = inputs.activePools.get(ASSET_BY_FIAT[fiat].code)
    if (snapshot === undefined) throw new Error(`no Active pool for ${fiat}`)
    return snapshot
  }
  const move = pricingPairs(corridor, inputs.readings)
    .map((pair) => inputs.midMoveBps.get(pair) ?? ZERO)
    .reduce((sum, m) => add(sum, m), ZERO)
  const exposed = exposure.corridors.find((c) => c.corridor === corridor)
  const signals: SignalResult[] = [
    oracleSignalFor(corridor, inputs),
    volatilitySignal(move, config),
    inventorySignal({ corridor, base: pool(base), quote: pool(quote) }, config),
  ]
  if (exposed !== undefined) signals.push(exposed.result)
  if (arbitrageFailure !== undefined) signals.push(arbitrageSignal({ ok: false, reason: arbitrageFailure }))
  // Issue 11: an issuer's Proof of Reserve restricts the corridors of the asset it issues.
  const assets = [ASSET_BY_FIAT[base].code, ASSET_BY_FIAT[quote].code]
  for (const proof of inputs.reserveProofs ?? []) {
    if (assets.includes(proof.asset)) signals.push(porSignal(proof, inputs.nowMs, DEFAULT_POR_CONFIG))
  }
  return signals
}
