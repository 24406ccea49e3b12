/**
 * Shared values for the pricing tests: round oracle rates, the SPEC §2.2
 * Active pool targets at those rates, and builders for readings and L7 inputs.
 *
 * Rates (units of fiat per USD): IDR 16,250, SGD 1.3, MYR 4.0625. The MYR
 * rate is chosen so that the MYR-IDR cross is a round 16,250 / 4.0625 = 4,000.
 */
import assert from 'node:assert/strict'
import type { AssetCode, Fiat } from '../../src/config/assets.ts'
import { CORRIDORS, type CorridorId } from '../../src/config/corridors.ts'
import { DEFAULT_RISK_CONFIG } from '../../src/config/risk.ts'
import type { Failure, Result } from '../../src/errors.ts'
import { type Ratio, r, ZERO } from '../../src/money/ratio.ts'
import type { OracleReading, OracleStatus } from '../../src/oracle/aggregate.ts'
import type { OraclePair } from '../../src/oracle/pairs.ts'
import type { PricingInput } from '../../src/pricing/l7-pricing.ts'
import type { PoolLevel } from '../../src/pricing/skew.ts'

export const RATES: Readonly<Record<Fiat, string>> = { USD: '1', IDR: '16250', SGD: '1.3', MYR: '4.0625' }

export function fiatPerUsd(fiat: Fiat): Ratio {
  return r(RATES[fiat])
}

/**
 * SPEC §2.2 Active targets in smallest units at RATES:
 * USDT $1,000,000 × 10^6; IDRX $500,000 × 16,250 = 8,125,000,000 IDR × 10^2;
 * tnSGD $500,000 × 1.3 = 650,000 SGD × 10^6; MYRC $300,000 × 4.0625 = 1,218,750 MYR × 10^18.
 */
export const ACTIVE_TARGET: Readonly<Record<AssetCode, bigint>> = {
  USDT: 1_000_000_000_000n,
  IDRX: 812_500_000_000n,
  tnSGD: 650_000_000_000n,
  MYRC: 1_218_750_000_000_000_000_000_000n,
}

/** An Active pool `offPct` percent (may be negative or fractional, as a decimal string) off its target. */
export function pool(asset: AssetCode, offPct = '0'): PoolLevel {
  const target = ACTIVE_TARGET[asset]
  const off = r(offPct)
  // Scaled by 10^4 so offsets like '5.01' stay exact; the targets are all multiples of 10^6.
  const offScaled = (off.num * 1_000_000n) / off.den
  return { balance: target + (target * offScaled) / 100_000_000n, target }
}

/** An L7 input for the given corridor: on-target pools, NORMAL, no volatility, no overrides. */
export function pricingInput(corridor: CorridorId, fields: Partial<PricingInput> = {}): PricingInput {
  const config = CORRIDORS[corridor]
  const code = (fiat: Fiat): AssetCode =>
    fiat === 'USD' ? 'USDT' : fiat === 'IDR' ? 'IDRX' : fiat === 'SGD' ? 'tnSGD' : 'MYRC'
  return {
    corridor: config,
    side: 'SELL',
    size: { kind: 'source', minor: 0n },
    state: 'NORMAL',
    mid: corridor === 'USD-IDR' ? r('16250') : corridor === 'USD-SGD' ? r('1.3') : r('4000'),
    midMoveBps: ZERO,
    basePool: pool(code(config.base)),
    quotePool: pool(code(config.quote)),
    fiatPerUsd,
    feeOverrides: [],
    feeTierMultiplier: r('1'),
    riskConfig: DEFAULT_RISK_CONFIG,
    ...fields,
  }
}

/** An aggregated oracle reading written out as a literal (the fields L4/L5 read). */
export function reading(
  pair: OraclePair,
  status: OracleStatus,
  mid?: string,
  near: { nearStale?: boolean; nearDeviation?: boolean } = {},
): OracleReading {
  return {
    pair,
    status,
    ...(status === 'OK' && mid !== undefined ? { mid: r(mid) } : {}),
    ageMs: status === 'STALE' ? 25_000 : 1_000,
    deviation: ZERO,
    nearStale: status === 'STALE' || near.nearStale === true,
    nearDeviation: near.nearDeviation === true,
    tieBreak: false,
    sources: status === 'OK' ? ['primary_a', 'primary_b'] : [],
  }
}

export function okValue<T>(result: Result<T>): T {
  if (!result.ok) assert.fail(`expected ok, got ${result.code}: ${result.message}`)
  return result.value
}

export function failureCode(result: Result<unknown> | Failure | undefined): string | undefined {
  if (result === undefined || result.ok) return undefined
  return result.code
}
