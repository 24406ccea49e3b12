import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { AssetCode } from '../../src/config/assets.ts'
import type { CorridorId } from '../../src/config/corridors.ts'
import { DEFAULT_RISK_CONFIG } from '../../src/config/risk.ts'
import { type Ratio, r, ZERO } from '../../src/money/ratio.ts'
import type { OracleReading } from '../../src/oracle/aggregate.ts'
import type { OraclePair } from '../../src/oracle/pairs.ts'
import type { FeeOverride } from '../../src/pricing/fee-tiers.ts'
import type { QuoteSize } from '../../src/pricing/model.ts'
import { type PartnerTerms, type PipelineInput, runQuotePipeline } from '../../src/pricing/pipeline.ts'
import type { CorridorStateView, RiskState, Side } from '../../src/risk/states.ts'
import { failureCode, fiatPerUsd, okValue, pool, reading } from './fixtures.ts'

type Scenario = {
  corridor?: CorridorId
  side?: Side
  size?: QuoteSize
  state?: RiskState
  allowed?: Side[]
  readings?: Partial<Record<OraclePair, OracleReading>>
  moves?: Partial<Record<OraclePair, string>>
  offsets?: Partial<Record<AssetCode, string>>
  partner?: Partial<PartnerTerms>
}

const MIDS: Record<OraclePair, string> = {
  'USD-IDR': '16250',
  'USD-SGD': '1.3',
  'USD-MYR': '4.0625',
  'MYR-IDR': '4000',
}

function input(s: Scenario = {}): PipelineInput {
  const state = s.state ?? 'NORMAL'
  const stateView: CorridorStateView = {
    state,
    allowedDirections: s.allowed ?? (state === 'HALT' ? [] : ['BUY', 'SELL']),
    reasons: [],
  }
  return {
    request: {
      corridor: s.corridor ?? 'USD-IDR',
      side: s.side ?? 'SELL',
      size: s.size ?? { kind: 'source', minor: 5_000_000_000n },
    },
    partner: {
      enabledCorridors: ['USD-IDR', 'USD-SGD', 'MYR-IDR'],
      feeOverrides: [],
      feeTierMultiplier: r('1'),
      ...s.partner,
    },
    market: {
      reading: (pair) => s.readings?.[pair] ?? reading(pair, 'OK', MIDS[pair]),
      midMoveBps: (pair): Ratio => {
        const move = s.moves?.[pair]
        return move === undefined ? ZERO : r(move)
      },
      fiatPerUsd,
    },
    activePool: (asset) => pool(asset, s.offsets?.[asset] ?? '0'),
    stateView,
    riskConfig: DEFAULT_RISK_CONFIG,
  }
}

const run = (s: Scenario = {}) => runQuotePipeline(input(s))

describe('pipeline: the worked USD-IDR SMALL example end to end (SPEC §4, §5)', () => {
  it('SELL 5,000 USDT → 81,182,727.07 IDR, DIRECT, max size $50,000', () => {
    // Numbers as in l7-pricing.test.ts: bid 16,246.66875, gross 8,123,334,375, fee 4,061,668, fixed 1,000,000 cents.
    // Max internal size: 10% of the $500,000 IDRX Active pool = $50,000 (below the $200,000 cap).
    const q = okValue(run())
    assert.equal(q.rateSource, 'DIRECT')
    assert.deepEqual(q.maxSizeUsd, r('50000'))
    assert.deepEqual(q.bid, r('16246.66875'))
    assert.deepEqual(q.ask, r('16253.33125'))
    assert.deepEqual(q.spread.totalBps, r('4.1'))
    assert.deepEqual(q.fees, {
      tier: 'SMALL',
      fixedFeeMinor: 1_000_000n,
      variableFeeMinor: 4_061_668n,
      variableBips: r('5'),
    })
    assert.equal(q.grossDestinationMinor, 8_123_334_375n)
    assert.equal(q.destinationMinor, 8_118_272_707n)
    assert.equal(q.stateView.state, 'NORMAL')
  })

  it('BUY with 81,250,000 IDR → 4,995.872825 USDT, max size $100,000 (10% of USDT Active)', () => {
    const q = okValue(run({ side: 'BUY', size: { kind: 'source', minor: 8_125_000_000n } }))
    assert.deepEqual(q.maxSizeUsd, r('100000'))
    assert.deepEqual(q.ask, r('16253.290625'))
    assert.equal(q.destinationMinor, 4_995_872_825n)
  })

  it('fixed-receive 81,250,000 IDR costs 5,004.142793 USDT', () => {
    const q = okValue(run({ size: { kind: 'destination', minor: 8_125_000_000n } }))
    assert.equal(q.sourceMinor, 5_004_142_793n)
    assert.equal(q.destinationMinor, 8_125_000_000n)
  })

  it('partner spread override 20 bps and multiplier 0.3 together', () => {
    // bid 16,233.66875; gross 8,116,834,375; fee ceil(8,116,834,375 × 1.5 / 10,000 = 1,217,525.15625) = 1,217,526;
    // net 8,116,834,375 − 1,217,526 − 1,000,000 = 8,114,616,849.
    const overrides: FeeOverride[] = [
      { corridor: 'USD-IDR', tier: 'SMALL', variableBips: null, spreadBps: r('20') },
    ]
    const q = okValue(run({ partner: { feeOverrides: overrides, feeTierMultiplier: r('0.3') } }))
    assert.deepEqual(q.bid, r('16233.66875'))
    assert.equal(q.fees.variableFeeMinor, 1_217_526n)
    assert.equal(q.destinationMinor, 8_114_616_849n)
  })

  it('PROTECT with a 10 bps move: add-ons ×1.5 (total 7.9), max size halved to $25,000', () => {
    const q = okValue(run({ state: 'PROTECT', moves: { 'USD-IDR': '10' } }))
    assert.deepEqual(q.spread.totalBps, r('7.9'))
    assert.deepEqual(q.bid, r('16243.58125'))
    assert.deepEqual(q.maxSizeUsd, r('25000'))
  })

  it('RESTRICT allowing SELL: add-ons at their caps (total 47), max size $12,500', () => {
    const q = okValue(run({ state: 'RESTRICT', allowed: ['SELL'], offsets: { IDRX: '30' } }))
    // IDRX +30%: $650,000 → 10% = $65,000 × 0.25 = $16,250; skew +8 (RESTRICT, IDRX long → mid up).
    assert.deepEqual(q.maxSizeUsd, r('16250'))
    assert.deepEqual(q.spread.skewBps, r('8'))
    assert.deepEqual(q.spread.totalBps, r('47'))
    // adjusted mid 16,250 × 1.0008 = 16,263.
    assert.deepEqual(q.adjustedMid, r('16263'))
  })

  it('the skew sign survives composition: IDRX +10% → adjusted mid 16,252.4375 > 16,250', () => {
    const q = okValue(run({ offsets: { IDRX: '10' } }))
    assert.deepEqual(q.adjustedMid, r('16252.4375'))
  })
})

describe('pipeline: MYR-IDR direct and synthetic (SPEC §2.3, §4 L4, L8)', () => {
  // SELL 4,062.5 MYR ($1,000, SMALL): base 6; liquidity 10 × 1,000 / 500,000 = 0.02; total 6.02; half 0.000301.
  // bid = 4,000 − 1.204 = 3,998.796; ask 4,001.204. gross 4,062.5 × 3,998.796 = 16,245,108.75 IDR;
  // fee ceil(812,255.4375) = 812,256 cents; fixed $1 = 16,250 IDR; net 1,624,510,875 − 812,256 − 1,625,000 = 1,622,073,619.
  const sell = {
    corridor: 'MYR-IDR' as const,
    size: { kind: 'source' as const, minor: 4_062_500_000_000_000_000_000n },
  }

  it('a clean direct feed prices DIRECT', () => {
    const q = okValue(run(sell))
    assert.equal(q.rateSource, 'DIRECT')
    assert.deepEqual(q.mid, r('4000'))
    assert.deepEqual(q.bid, r('3998.796'))
    assert.deepEqual(q.ask, r('4001.204'))
    assert.equal(q.fees.fixedFeeMinor, 1_625_000n)
    assert.equal(q.destinationMinor, 1_622_073_619n)
  })

  it('a stale direct feed prices SYNTHETIC at 16,250 / 4.0625 = 4,000', () => {
    const q = okValue(run({ ...sell, readings: { 'MYR-IDR': reading('MYR-IDR', 'STALE') } }))
    assert.equal(q.rateSource, 'SYNTHETIC')
    assert.deepEqual(q.mid, r('4000'))
    assert.equal(q.destinationMinor, 1_622_073_619n)
  })

  it('a near-stale direct feed prices SYNTHETIC when both legs are clean', () => {
    const q = okValue(
      run({ ...sell, readings: { 'MYR-IDR': reading('MYR-IDR', 'OK', '4000', { nearStale: true }) } }),
    )
    assert.equal(q.rateSource, 'SYNTHETIC')
  })

  it('the synthetic volatility add-on counts a move in the USD-MYR leg', () => {
    // A 100 bps USD-MYR move moves the synthetic mid ≈ 100 bps, so SPEC §5's m = |mid change| puts the add-on at its cap: clamp((100 − 5) × 0.5, 0, 20) = 20.
    const q = okValue(
      run({
        ...sell,
        readings: { 'MYR-IDR': reading('MYR-IDR', 'STALE') },
        moves: { 'USD-MYR': '100', 'USD-IDR': '0' },
      }),
    )
    assert.equal(q.rateSource, 'SYNTHETIC')
    assert.deepEqual(q.spread.volatilityBps, r('20'))
  })

  it('a direct MYR-IDR quote takes m from the MYR-IDR feed: 10 bps → 2.5', () => {
    const q = okValue(run({ ...sell, moves: { 'MYR-IDR': '10', 'USD-IDR': '100' } }))
    assert.deepEqual(q.spread.volatilityBps, r('2.5'))
  })

  it('a direct mid 0.25% under the cross passes the 0.30% gap but fails the round trip → ARB_CHECK_FAILED', () => {
    // Direct 3,990: ask ≈ 3,991.2 < 3,999.2 = 16,246.75 / 4.0625 (see l8-arbitrage.test.ts).
    assert.equal(
      failureCode(run({ ...sell, readings: { 'MYR-IDR': reading('MYR-IDR', 'OK', '3990') } })),
      'ARB_CHECK_FAILED',
    )
  })

  it('a direct mid 0.35% over the cross fails the gap → ARB_CHECK_FAILED', () => {
    assert.equal(
      failureCode(run({ ...sell, readings: { 'MYR-IDR': reading('MYR-IDR', 'OK', '4014') } })),
      'ARB_CHECK_FAILED',
    )
  })
})

describe('pipeline: one SPEC §3 code per layer', () => {
  const rows: [string, Scenario, string][] = [
    ['L1 corridor not enabled', { partner: { enabledCorridors: ['USD-SGD'] } }, 'CORRIDOR_NOT_ENABLED'],
    ['L1 $9.999999', { size: { kind: 'source', minor: 9_999_999n } }, 'BELOW_MIN_TRANSACTION_SIZE'],
    [
      'L1 daily limit',
      {
        partner: {
          limits: {
            dailyPerCorridorUsd: r('500000'),
            monthlyUsd: r('10000000'),
            usage: { dailyCorridorUsd: r('495000.01'), monthlyUsd: r('0') },
          },
        },
      },
      'VOLUME_LIMIT_EXCEEDED',
    ],
    ['L2 RESTRICT allowing BUY only', { state: 'RESTRICT', allowed: ['BUY'] }, 'DIRECTION_BLOCKED'],
    [
      'L3 $50,000.000001 against a $50,000 max',
      { size: { kind: 'source', minor: 50_000_000_001n } },
      'ABOVE_MAX_TRANSACTION_SIZE',
    ],
    [
      'L4 no direct feed and a stale USD-MYR leg',
      {
        corridor: 'MYR-IDR',
        size: { kind: 'source', minor: 4_062_500_000_000_000_000_000n },
        readings: { 'MYR-IDR': reading('MYR-IDR', 'STALE'), 'USD-MYR': reading('USD-MYR', 'STALE') },
      },
      'CROSS_LEG_INSUFFICIENT',
    ],
    ['L5 stale', { readings: { 'USD-IDR': reading('USD-IDR', 'STALE') } }, 'ORACLE_STALE'],
    ['L5 deviation', { readings: { 'USD-IDR': reading('USD-IDR', 'DEVIATION') } }, 'ORACLE_DEVIATION'],
    ['L6 HALT', { state: 'HALT' }, 'QUOTE_HALTED'],
  ]
  for (const [name, scenario, code] of rows) {
    it(`${name} → ${code}`, () => {
      const got = run(scenario)
      assert.equal(failureCode(got), code)
      assert.equal(got.ok ? undefined : got.corridor, scenario.corridor ?? 'USD-IDR')
    })
  }

  it('$50,000 exactly is within the max', () => {
    okValue(run({ size: { kind: 'source', minor: 50_000_000_000n } }))
  })

  it('$10 exactly is within the minimum', () => {
    okValue(run({ size: { kind: 'source', minor: 10_000_000n } }))
  })
})

describe('pipeline: layers refuse in order (SPEC §4)', () => {
  const stale = { 'USD-IDR': reading('USD-IDR', 'STALE') }
  const rows: [string, Scenario, string][] = [
    [
      'L1 before L1: not enabled and below the minimum',
      { partner: { enabledCorridors: [] }, size: { kind: 'source', minor: 1n } },
      'CORRIDOR_NOT_ENABLED',
    ],
    [
      'L1 before L2: below the minimum in a blocked direction',
      { state: 'RESTRICT', allowed: ['BUY'], size: { kind: 'source', minor: 1n } },
      'BELOW_MIN_TRANSACTION_SIZE',
    ],
    [
      'L2 before L3: blocked and too large',
      { state: 'RESTRICT', allowed: ['BUY'], size: { kind: 'source', minor: 900_000_000_000n } },
      'DIRECTION_BLOCKED',
    ],
    [
      'L3 before L5: too large with a stale feed',
      { size: { kind: 'source', minor: 900_000_000_000n }, readings: stale },
      'ABOVE_MAX_TRANSACTION_SIZE',
    ],
    ['L5 before L6: stale and halted', { state: 'HALT', readings: stale }, 'ORACLE_STALE'],
    // HALT is not a size or direction problem: L2 and L3 let it through to L6.
    [
      'HALT with a size above the max → QUOTE_HALTED',
      { state: 'HALT', size: { kind: 'source', minor: 900_000_000_000n } },
      'QUOTE_HALTED',
    ],
    ['HALT with no direction allowed → QUOTE_HALTED', { state: 'HALT', allowed: [] }, 'QUOTE_HALTED'],
  ]
  for (const [name, scenario, code] of rows) {
    it(`${name} → ${code}`, () => {
      assert.equal(failureCode(run(scenario)), code)
    })
  }
})
