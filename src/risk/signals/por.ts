import type { AssetCode } from '../../config/assets.ts'
import { cmp, div, formatRatio, isZero, mul, ONE, type Ratio, r, ratio } from '../../money/ratio.ts'
import type { SignalResult } from '../states.ts'
import { showFractionPct } from '../text.ts'

/**
 * Issue 11 item 5, Proof of Reserve: what an issuer publishes about the
 * asset it issues, as the poller last stored it. `readAtMs` is when stablefx
 * last received a good reading (its own clock; the issuer's `as_of` is shown,
 * not trusted for age, since the two clocks need not agree).
 */
export type ReserveProof = {
  readonly issuer: string
  readonly asset: AssetCode
  /** Null until a good reading arrived. */
  readonly reserves: Ratio | null
  readonly circulatingSupply: Ratio | null
  readonly asOfMs: number | null
  readonly readAtMs: number | null
  /** The first poll of this asset's issuer in this environment; null before any. */
  readonly firstPolledAtMs: number | null
  readonly intervalS: number
  /** Why the last poll failed, if it did. */
  readonly error: string | null
}

export type PorConfig = {
  /** Below this ratio of reserves to supply the corridors HALT [ours: 98%]. */
  readonly haltBelow: Ratio
  /** A reading older than this many polling intervals is stale. */
  readonly staleIntervals: number
}

export const DEFAULT_POR_CONFIG: PorConfig = { haltBelow: r('0.98'), staleIntervals: 3 }

/** reserves / circulating supply; fully backed when nothing circulates. */
export function reserveRatio(proof: { reserves: Ratio; circulatingSupply: Ratio }): Ratio {
  return isZero(proof.circulatingSupply) ? ONE : div(proof.reserves, proof.circulatingSupply)
}

/**
 * One issuer's Proof of Reserve as a risk signal on its asset's corridors:
 * NORMAL at 100% or more, PROTECT below 100% or when the reading is stale
 * (older than its interval × 3, or none yet), HALT below `haltBelow`.
 */
export function porSignal(proof: ReserveProof, nowMs: number, config: PorConfig): SignalResult {
  const subject = `proof of reserve ${proof.asset} (${proof.issuer})`
  const maxAgeMs = proof.intervalS * 1_000 * config.staleIntervals
  const failure = proof.error === null ? '' : `; last poll failed: ${proof.error}`
  if (proof.reserves === null || proof.circulatingSupply === null || proof.readAtMs === null) {
    // A new issuer is given the same three intervals as a reading to answer before it counts as stale.
    const waitedMs = proof.firstPolledAtMs === null ? 0 : nowMs - proof.firstPolledAtMs
    if (waitedMs <= maxAgeMs) {
      return { signal: 'por', state: 'NORMAL', reason: `${subject}: awaiting the first reading${failure}` }
    }
    return {
      signal: 'por',
      state: 'PROTECT',
      reason: `${subject}: no reading in ${waitedMs} ms since the first poll (max ${maxAgeMs} ms)${failure}`,
    }
  }
  const ageMs = nowMs - proof.readAtMs
  const ratio = reserveRatio({ reserves: proof.reserves, circulatingSupply: proof.circulatingSupply })
  const figures = `reserves at ${showFractionPct(ratio)} of circulating supply`
  if (ageMs > maxAgeMs) {
    return {
      signal: 'por',
      state: 'PROTECT',
      reason: `${subject}: reading stale, age ${ageMs} ms (max ${maxAgeMs} ms), last ${figures}${failure}`,
    }
  }
  if (cmp(ratio, config.haltBelow) < 0) {
    return {
      signal: 'por',
      state: 'HALT',
      reason: `${subject}: ${figures}, below the ${showFractionPct(config.haltBelow)} halt level`,
    }
  }
  if (cmp(ratio, ONE) < 0) {
    return { signal: 'por', state: 'PROTECT', reason: `${subject}: ${figures}, below 100%` }
  }
  return { signal: 'por', state: 'NORMAL', reason: `${subject}: ${figures}` }
}

/** A proof as `GET /v1/reserve/risk-status` shows it, with its signal (issue 11 item 5). */
export function porView(proof: ReserveProof, nowMs: number, config: PorConfig) {
  const result = porSignal(proof, nowMs, config)
  const known = proof.reserves !== null && proof.circulatingSupply !== null
  return {
    asset: proof.asset,
    issuer: proof.issuer,
    reserves: proof.reserves === null ? null : formatRatio(proof.reserves, 18, 'floor'),
    circulating_supply:
      proof.circulatingSupply === null ? null : formatRatio(proof.circulatingSupply, 18, 'floor'),
    reserve_ratio_pct: known
      ? formatRatio(
          mul(
            reserveRatio({
              reserves: proof.reserves as Ratio,
              circulatingSupply: proof.circulatingSupply as Ratio,
            }),
            ratio(100n),
          ),
          4,
          'floor',
        )
      : null,
    as_of: proof.asOfMs === null ? null : new Date(proof.asOfMs).toISOString(),
    read_at: proof.readAtMs === null ? null : new Date(proof.readAtMs).toISOString(),
    interval_s: proof.intervalS,
    state: result.state,
    reason: result.reason,
  }
}
