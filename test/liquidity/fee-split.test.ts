import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { ASSET_CODES, type AssetCode } from '../../src/config/assets.ts'
import {
  type AssetTvl,
  applyFeeCredits,
  type ConvertMinor,
  converterFromUsdRates,
  DEFAULT_FEE_SPLIT,
  type FeeCredit,
  type FeeSplitInput,
  type PoolTvls,
  splitFee,
  validateClassAMultiplier,
  validateFeeSplit,
} from '../../src/liquidity/fee-split.ts'
import { balanceOf, newVariant, RAY } from '../../src/liquidity/ktoken.ts'
import type { VaultId } from '../../src/liquidity/model.ts'
import { formatRatio, r, ratio, ZERO } from '../../src/money/ratio.ts'
import { referenceUsdRates } from '../../src/pools/usd-rates.ts'

const sameValue: ConvertMinor = (amountMinor) => amountMinor
const atReference = converterFromUsdRates(referenceUsdRates())

function input(overrides: Partial<FeeSplitInput>): FeeSplitInput {
  return {
    feeMinor: 1_000_000n,
    feeAsset: 'USDT',
    swapAssets: ['USDT', 'IDRX'],
    tvl: {},
    config: DEFAULT_FEE_SPLIT,
    convert: sameValue,
    ...overrides,
  }
}

function brief(credits: readonly FeeCredit[]): string[] {
  return credits.map((c) => `${c.scope} ${c.asset}-${c.vault} ${c.feeAssetMinor}→${c.amountMinor}`)
}

describe('fee split configuration (SPEC §7.3)', () => {
  it('accepts percentages that sum to exactly 100', () => {
    assert.deepEqual(validateFeeSplit(DEFAULT_FEE_SPLIT), { ok: true, value: DEFAULT_FEE_SPLIT })
    assert.equal(validateFeeSplit({ kfSharePct: 60n, txnLpSharePct: 40n, globalLpSharePct: 0n }).ok, true)
  })

  const refused: [string, bigint, bigint, bigint][] = [
    ['sum 99', 50n, 30n, 19n],
    ['sum 101', 51n, 30n, 20n],
    ['a negative share', 110n, -30n, 20n],
  ]
  for (const [label, kf, txn, global] of refused) {
    it(`refuses ${label}`, () => {
      const result = validateFeeSplit({ kfSharePct: kf, txnLpSharePct: txn, globalLpSharePct: global })
      assert.equal(!result.ok && result.code, 'FEE_SPLIT_INVALID')
    })
  }

  it('accepts class A multipliers from 0 to 1 only', () => {
    for (const good of ['0', '0.3', '0.8', '1']) assert.equal(validateClassAMultiplier(r(good)).ok, true)
    for (const bad of ['-0.1', '1.01']) {
      const result = validateClassAMultiplier(r(bad))
      assert.equal(!result.ok && result.code, 'CLASS_A_MULTIPLIER_INVALID')
    }
  })
})

describe('splitFee (SPEC §7.3)', () => {
  it('splits a 1,000,000 fee with class A 3M at 0.3 and class B 1M (corridor only)', () => {
    // Corridor share 300,000. TVL_total 4M. A: 3/4 × 300,000 × 0.3 = 67,500. B: 1/4 × 300,000 = 75,000.
    // Treasury: 500,000 (KF) + 200,000 (global, no other pools) + 157,500 (withheld) = 857,500.
    const tvl: PoolTvls = {
      USDT: {
        vaults: [
          { vault: 'fx@0.3', tvlUsd: r('3000000') },
          { vault: 'full', tvlUsd: r('1000000') },
        ],
        protocolTvlUsd: ZERO,
      },
    }
    const split = splitFee(input({ tvl }))
    assert.deepEqual(brief(split.credits), [
      'CORRIDOR USDT-fx@0.3 67500→67500',
      'CORRIDOR USDT-full 75000→75000',
    ])
    assert.equal(split.treasuryMinor, 857_500n)
  })

  it('credits each class A vault at its own multiplier (SPEC §15: per LP, not per class)', () => {
    // Of 4M: the 0.3× vault 2M → 300,000 × 2/4 × 0.3 = 45,000; the 0.8× vault 1M → × 1/4 × 0.8 = 60,000.
    const tvl: PoolTvls = {
      IDRX: {
        vaults: [
          { vault: 'fx@0.3', tvlUsd: r('2000000') },
          { vault: 'fx@0.8', tvlUsd: r('1000000') },
          { vault: 'full', tvlUsd: r('1000000') },
        ],
        protocolTvlUsd: ZERO,
      },
    }
    const split = splitFee(input({ tvl }))
    assert.deepEqual(brief(split.credits), [
      'CORRIDOR IDRX-fx@0.3 45000→45000',
      'CORRIDOR IDRX-fx@0.8 60000→60000',
      'CORRIDOR IDRX-full 75000→75000',
    ])
    assert.equal(split.treasuryMinor, 820_000n)
  })

  it('counts the protocol’s own capital in the weights and keeps its part for the treasury', () => {
    // Class B 1M beside 3M of protocol capital: 300,000 × 1/4 = 75,000; the protocol's 225,000 stays.
    const tvl: PoolTvls = {
      USDT: { vaults: [{ vault: 'full', tvlUsd: r('1000000') }], protocolTvlUsd: r('3000000') },
    }
    const split = splitFee(input({ tvl }))
    assert.deepEqual(brief(split.credits), ['CORRIDOR USDT-full 75000→75000'])
    assert.equal(split.treasuryMinor, 925_000n)
  })

  it('credits corridor and global pools in their own assets, converted at mid', () => {
    // Fee 162,500,000 IDRX minor = 1,625,000 IDR = $100. Corridor 30% = 48,750,000; global 20% = 32,500,000.
    // Corridor TVL 2M: USDT B 1M → 24,375,000 IDRX minor = $15 = 15,000,000 USDT minor; IDRX A 1M at 1.0 → 24,375,000.
    // Global TVL 4M: tnSGD B 2M → 16,250,000 IDRX minor = $10 = 13 SGD; MYRC A 2M at 0.5 → 8,125,000 = $5 = 21 MYR.
    const tvl: PoolTvls = {
      USDT: { vaults: [{ vault: 'full', tvlUsd: r('1000000') }], protocolTvlUsd: ZERO },
      IDRX: { vaults: [{ vault: 'fx', tvlUsd: r('1000000') }], protocolTvlUsd: ZERO },
      tnSGD: { vaults: [{ vault: 'full', tvlUsd: r('2000000') }], protocolTvlUsd: ZERO },
      MYRC: { vaults: [{ vault: 'fx@0.5', tvlUsd: r('2000000') }], protocolTvlUsd: ZERO },
    }
    const split = splitFee(input({ feeMinor: 162_500_000n, feeAsset: 'IDRX', tvl, convert: atReference }))
    assert.deepEqual(brief(split.credits), [
      'CORRIDOR USDT-full 24375000→15000000',
      'CORRIDOR IDRX-fx 24375000→24375000',
      'GLOBAL tnSGD-full 16250000→13000000',
      `GLOBAL MYRC-fx@0.5 8125000→${21n * 10n ** 18n}`,
    ])
    // 81,250,000 KF + 8,125,000 withheld by MYRC's 0.5 multiplier.
    assert.equal(split.treasuryMinor, 89_375_000n)
  })

  it('counts USD LPs as global for a synthetic MYR→IDR swap', () => {
    const tvl: PoolTvls = { USDT: { vaults: [{ vault: 'full', tvlUsd: r('500000') }], protocolTvlUsd: ZERO } }
    const split = splitFee(input({ feeMinor: 1_000n, feeAsset: 'IDRX', swapAssets: ['MYRC', 'IDRX'], tvl }))
    assert.deepEqual(brief(split.credits), ['GLOBAL USDT-full 200→200'])
    assert.equal(split.treasuryMinor, 800n)
  })

  it('sends everything to the treasury when nobody provides liquidity', () => {
    assert.deepEqual(splitFee(input({})), { credits: [], treasuryMinor: 1_000_000n })
    const zeros: PoolTvls = { USDT: { vaults: [{ vault: 'fx', tvlUsd: ZERO }], protocolTvlUsd: ZERO } }
    assert.deepEqual(splitFee(input({ tvl: zeros })), { credits: [], treasuryMinor: 1_000_000n })
  })

  it('rounds every LP part down and gives the remainders to the treasury', () => {
    // Fee 7: corridor floor(2.1) = 2, global floor(1.4) = 1 (no global pools).
    // A weight 1 of 3: floor(2/3) = 0; B weight 2 of 3: floor(4/3) = 1. Treasury 6.
    const tvl: PoolTvls = {
      USDT: {
        vaults: [
          { vault: 'fx', tvlUsd: r('1') },
          { vault: 'full', tvlUsd: r('2') },
        ],
        protocolTvlUsd: ZERO,
      },
    }
    const split = splitFee(input({ feeMinor: 7n, tvl }))
    assert.deepEqual(brief(split.credits), ['CORRIDOR USDT-full 1→1'])
    assert.equal(split.treasuryMinor, 6n)
  })

  it('leaves a part that converts to nothing with the treasury', () => {
    // 1 MYRC wei into IDRX is far below 0.01 IDR, so it converts to 0 and is not credited.
    const tvl: PoolTvls = { IDRX: { vaults: [{ vault: 'full', tvlUsd: r('1') }], protocolTvlUsd: ZERO } }
    const split = splitFee(
      input({ feeMinor: 10n, feeAsset: 'MYRC', swapAssets: ['MYRC', 'IDRX'], tvl, convert: atReference }),
    )
    assert.deepEqual(split, { credits: [], treasuryMinor: 10n })
  })

  it('throws on inputs that are bugs', () => {
    assert.throws(() => splitFee(input({ feeMinor: -1n })), RangeError)
    assert.throws(() => splitFee(input({ swapAssets: ['USDT', 'USDT'] })), RangeError)
    const bad = { kfSharePct: 50n, txnLpSharePct: 30n, globalLpSharePct: 30n }
    assert.throws(() => splitFee(input({ config: bad })), RangeError)
    const overOne: PoolTvls = {
      USDT: { vaults: [{ vault: 'fx@1.5', tvlUsd: r('1') }], protocolTvlUsd: ZERO },
    }
    assert.throws(() => splitFee(input({ tvl: overOne })), RangeError)
  })

  it('converts at reference mids, rounding down', () => {
    assert.equal(atReference(1_000_000n, 'USDT', 'IDRX'), 1_625_000n)
    assert.equal(atReference(1_625_001n, 'IDRX', 'USDT'), 1_000_000n)
    assert.equal(atReference(1_000_000n, 'USDT', 'MYRC'), 42n * 10n ** 17n)
  })
})

describe('applyFeeCredits (SPEC §7.2: fees raise both variants)', () => {
  it('raises the indexes and sends a credit to an empty variant to the treasury', () => {
    const vaults = { USDT: { fx: { indexRay: RAY, totalShares: 1_000n }, full: newVariant() } }
    const credits: FeeCredit[] = [
      { asset: 'USDT', vault: 'fx', scope: 'CORRIDOR', feeAssetMinor: 100n, amountMinor: 100n },
      { asset: 'USDT', vault: 'full', scope: 'CORRIDOR', feeAssetMinor: 50n, amountMinor: 50n },
      { asset: 'IDRX', vault: 'full', scope: 'CORRIDOR', feeAssetMinor: 5n, amountMinor: 8n },
    ]
    const { vaults: next, applied } = applyFeeCredits(vaults, credits)
    assert.equal(next.USDT?.fx?.indexRay, RAY + RAY / 10n)
    assert.equal(balanceOf(1_000n, next.USDT!.fx!.indexRay), 1_100n)
    assert.deepEqual(next.USDT?.full, newVariant())
    assert.deepEqual(
      applied.map((a) => [a.asset, a.vault, a.backingDeltaMinor, a.dustMinor]),
      [
        ['USDT', 'fx', 100n, 0n],
        ['USDT', 'full', 0n, 50n],
        ['IDRX', 'full', 0n, 8n],
      ],
    )
  })
})

const usd = fc.bigInt({ min: 0n, max: 10n ** 8n }).map((cents) => ratio(cents, 100n))
const multiplier = fc.bigInt({ min: 0n, max: 100n }).map((pct) => ratio(pct, 100n))
const vaultId = fc.oneof(
  fc.constantFrom<VaultId>('fx', 'full'),
  multiplier.map((m): VaultId => (m.num === m.den ? 'fx' : `fx@${formatRatio(m, 2, 'floor')}`)),
)
const assetTvl: fc.Arbitrary<AssetTvl> = fc.record({
  vaults: fc.uniqueArray(fc.record({ vault: vaultId, tvlUsd: usd }), {
    maxLength: 4,
    selector: (v) => v.vault,
  }),
  protocolTvlUsd: usd,
})
const tvls: fc.Arbitrary<PoolTvls> = fc.record(
  { USDT: assetTvl, IDRX: assetTvl, tnSGD: assetTvl, MYRC: assetTvl },
  { requiredKeys: [] },
)
const asset = fc.constantFrom(...ASSET_CODES)
const config = fc
  .tuple(fc.bigInt({ min: 0n, max: 100n }), fc.bigInt({ min: 0n, max: 100n }))
  .map(([a, b]) => {
    const [low, high] = a < b ? [a, b] : [b, a]
    return { kfSharePct: low, txnLpSharePct: high - low, globalLpSharePct: 100n - high }
  })
const swap = fc
  .tuple(asset, asset)
  .filter(([a, b]) => a !== b)
  .map(([a, b]) => [a, b] as [AssetCode, AssetCode])

describe('fee split properties', () => {
  it('treasury + every LP part equals the fee exactly, and no scope exceeds its share', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 24n }),
        swap,
        tvls,
        config,
        fc.boolean(),
        (feeMinor, swapAssets, tvl, split, converted) => {
          const result = splitFee({
            feeMinor,
            feeAsset: swapAssets[0],
            swapAssets,
            tvl,
            config: split,
            convert: converted ? atReference : sameValue,
          })
          const sumOf = (credits: readonly FeeCredit[]) => credits.reduce((s, c) => s + c.feeAssetMinor, 0n)
          assert.equal(result.treasuryMinor + sumOf(result.credits), feeMinor)
          assert.ok(result.credits.every((c) => c.feeAssetMinor > 0n && c.amountMinor > 0n))
          const corridor = result.credits.filter((c) => c.scope === 'CORRIDOR')
          const global = result.credits.filter((c) => c.scope === 'GLOBAL')
          assert.ok(sumOf(corridor) <= (feeMinor * split.txnLpSharePct) / 100n)
          assert.ok(sumOf(global) <= (feeMinor * split.globalLpSharePct) / 100n)
          assert.ok(corridor.every((c) => swapAssets.includes(c.asset)))
          assert.ok(global.every((c) => !swapAssets.includes(c.asset)))
          assert.ok(result.treasuryMinor >= (feeMinor * split.kfSharePct) / 100n)
        },
      ),
    )
  })

  it('fee credits never lower an index, and backing + dust equals each credit', () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 0n, max: 10n ** 24n }),
        swap,
        tvls,
        fc.bigInt({ min: 0n, max: 10n ** 20n }),
        (feeMinor, swapAssets, tvl, shares) => {
          const vaults = Object.fromEntries(
            ASSET_CODES.map((code) => [
              code,
              { fx: { indexRay: RAY, totalShares: shares }, full: newVariant() },
            ]),
          )
          const split = splitFee({ ...input({ tvl, swapAssets, feeMinor }), feeAsset: swapAssets[1] })
          const { vaults: next, applied } = applyFeeCredits(vaults, split.credits)
          for (const code of ASSET_CODES) {
            for (const state of Object.values(next[code] ?? {})) assert.ok((state?.indexRay ?? RAY) >= RAY)
          }
          split.credits.forEach((credit, i) => {
            assert.equal(applied[i]!.backingDeltaMinor + applied[i]!.dustMinor, credit.amountMinor)
          })
        },
      ),
    )
  })
})
