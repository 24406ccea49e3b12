import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import {
  amountForShares,
  applyIndexDelta,
  applyYieldEvent,
  balanceOf,
  burnForAmount,
  burnShares,
  mint,
  newAssetVault,
  newVariant,
  RAY,
  sharesForDeposit,
  sharesForWithdrawal,
  totalClaimOf,
  type VariantState,
} from '../../src/liquidity/ktoken.ts'
import { kTokenSymbol, variantForClass } from '../../src/liquidity/model.ts'

const HALF_RAY = RAY / 2n

function variant(indexRay: bigint, totalShares: bigint): VariantState {
  return { indexRay, totalShares }
}

function unwrap<T>(result: { ok: true; value: T } | { ok: false; code: string; message: string }): T {
  if (!result.ok) throw new Error(`expected ok, got ${result.code}: ${result.message}`)
  return result.value
}

describe('kToken share maths (SPEC §7.2)', () => {
  it('names variants by class and fiat', () => {
    assert.equal(variantForClass('A'), 'fx')
    assert.equal(variantForClass('B'), 'full')
    assert.equal(kTokenSymbol('USDT', 'fx'), 'kUSD-fx')
    assert.equal(kTokenSymbol('IDRX', 'full'), 'kIDR-full')
  })

  it('starts a variant at index 1 with no shares', () => {
    assert.deepEqual(newVariant(), { indexRay: 10n ** 27n, totalShares: 0n })
  })

  const index15 = RAY + HALF_RAY // 1.5
  const table: [string, bigint, bigint, bigint, bigint, bigint][] = [
    // label, amount, index, shares minted (down), shares burned (up), balance of the burned shares
    ['index 1', 10n, RAY, 10n, 10n, 10n],
    ['index 1.5', 10n, index15, 6n, 7n, 10n],
    ['index 1.5, one unit', 1n, index15, 0n, 1n, 1n],
    ['index 0.75', 3n, (RAY * 3n) / 4n, 4n, 4n, 3n],
    ['index 2', 7n, 2n * RAY, 3n, 4n, 8n],
  ]
  for (const [label, amount, indexRay, minted, burned, burnedWorth] of table) {
    it(`rounds mint down and burn up (${label})`, () => {
      assert.equal(sharesForDeposit(amount, indexRay), minted)
      assert.equal(sharesForWithdrawal(amount, indexRay), burned)
      assert.equal(balanceOf(burned, indexRay), burnedWorth)
    })
  }

  it('prices balances and share burns rounded down', () => {
    assert.equal(balanceOf(6n, index15), 9n)
    assert.equal(amountForShares(3n, index15), 4n)
    assert.equal(balanceOf(0n, index15), 0n)
  })

  it('throws on impossible inputs (bugs, not outcomes)', () => {
    assert.throws(() => balanceOf(-1n, RAY), RangeError)
    assert.throws(() => sharesForDeposit(1n, 0n), RangeError)
    assert.throws(() => burnShares(variant(RAY, 5n), 6n, 1n), RangeError)
  })

  it('mints, and refuses a deposit worth less than one share', () => {
    const minted = unwrap(mint(variant(index15, 4n), 10n))
    // 6 shares at 1.5 are worth 9: the pool takes 9, the depositor keeps 1.
    assert.deepEqual(minted, {
      variant: variant(index15, 10n),
      sharesMinted: 6n,
      amountUsedMinor: 9n,
      changeMinor: 1n,
    })
    const rounded = unwrap(mint(variant(index15, 4n), 11n))
    assert.deepEqual([rounded.sharesMinted, rounded.amountUsedMinor, rounded.changeMinor], [7n, 11n, 0n])
    const tooSmall = mint(variant(2n * RAY, 4n), 1n)
    assert.equal(tooSmall.ok, false)
    assert.equal(!tooSmall.ok && tooSmall.code, 'KTOKEN_DEPOSIT_TOO_SMALL')
  })

  it('burns for an amount (shares up) and for shares (amount down)', () => {
    const byAmount = unwrap(burnForAmount(variant(index15, 10n), 7n, 10n))
    assert.deepEqual(byAmount, { variant: variant(index15, 3n), sharesBurned: 7n, amountMinor: 10n })
    const byShares = unwrap(burnShares(variant(index15, 10n), 7n, 7n))
    assert.deepEqual(byShares, { variant: variant(index15, 3n), sharesBurned: 7n, amountMinor: 10n })
    const short = burnForAmount(variant(index15, 10n), 6n, 10n)
    assert.equal(!short.ok && short.code, 'KTOKEN_INSUFFICIENT_SHARES')
    const tooMany = burnShares(variant(index15, 10n), 6n, 7n)
    assert.equal(!tooMany.ok && tooMany.code, 'KTOKEN_INSUFFICIENT_SHARES')
  })
})

describe('applyIndexDelta (SPEC §7.2)', () => {
  it('raises the index on a gain, rounding down, and reports the dust', () => {
    // 10 over 3 shares: +3.333… per share; 3 × that, rounded up, is 10: nothing left over.
    const third = unwrap(applyIndexDelta(variant(RAY, 3n), 10n))
    assert.equal(third.variant.indexRay, RAY + (10n * RAY) / 3n)
    assert.equal(third.backingDeltaMinor, 10n)
    assert.equal(third.dustMinor, 0n)
    // 4 over 3×10^27 shares: the increment is 1 ray-unit per share, which promises 3; 1 is dust.
    const huge = unwrap(applyIndexDelta(variant(RAY, 3n * RAY), 4n))
    assert.deepEqual(huge, { variant: variant(RAY + 1n, 3n * RAY), backingDeltaMinor: 3n, dustMinor: 1n })
    // Too small to move the index at all: all dust.
    const none = unwrap(applyIndexDelta(variant(RAY, 3n * RAY), 2n))
    assert.deepEqual(none, { variant: variant(RAY, 3n * RAY), backingDeltaMinor: 0n, dustMinor: 2n })
  })

  it('lowers the index on a loss by at least the loss', () => {
    const loss = unwrap(applyIndexDelta(variant(RAY, 3n), -1n))
    assert.equal(loss.variant.indexRay, RAY - (RAY / 3n + 1n))
    assert.equal(loss.backingDeltaMinor, -1n)
    assert.equal(loss.dustMinor, 0n)
    // The holders owned exactly 3; they now own less than 2 (1.999…), floored to 1.
    assert.equal(totalClaimOf(loss.variant), 1n)
    const exact = unwrap(applyIndexDelta(variant(2n * RAY, 4n), -4n))
    assert.equal(exact.variant.indexRay, RAY)
    assert.equal(totalClaimOf(exact.variant), 4n)
  })

  it('treats a zero delta as no update', () => {
    assert.deepEqual(unwrap(applyIndexDelta(newVariant(), 0n)), {
      variant: newVariant(),
      backingDeltaMinor: 0n,
      dustMinor: 0n,
    })
  })

  it('refuses any update on a variant with no shares', () => {
    for (const delta of [1n, 10n ** 30n, -1n]) {
      const refused = applyIndexDelta(variant(3n * RAY, 0n), delta)
      assert.equal(!refused.ok && refused.code, 'KTOKEN_EMPTY_VARIANT')
    }
  })

  it('refuses a loss that would take the index to zero or below', () => {
    const wipe = applyIndexDelta(variant(RAY, 3n), -3n)
    assert.equal(!wipe.ok && wipe.code, 'KTOKEN_INDEX_EXHAUSTED')
    const beyond = applyIndexDelta(variant(RAY, 3n), -4n)
    assert.equal(!beyond.ok && beyond.code, 'KTOKEN_INDEX_EXHAUSTED')
  })

  it('moves only the full variant on yield events (class A never sees yield)', () => {
    const vault = { fx: variant(RAY + 5n, 100n), full: variant(RAY, 100n) }
    const profit = unwrap(applyYieldEvent(vault, 50n))
    assert.deepEqual(profit.vault.fx, vault.fx)
    assert.equal(profit.vault.full.indexRay, RAY + HALF_RAY)
    const loss = unwrap(applyYieldEvent(profit.vault, -30n))
    assert.deepEqual(loss.vault.fx, vault.fx)
    assert.equal(totalClaimOf(loss.vault.full), 120n)
    const empty = applyYieldEvent(newAssetVault(), 1n)
    assert.equal(!empty.ok && empty.code, 'KTOKEN_EMPTY_VARIANT')
  })
})

describe('first-depositor share inflation (ERC-4626 donation attack)', () => {
  it('cannot be staged: no index update before anyone holds shares', () => {
    const refused = applyIndexDelta(newVariant(), 10n ** 18n)
    assert.equal(!refused.ok && refused.code, 'KTOKEN_EMPTY_VARIANT')
  })

  it('a donation to the backing does not move the index, so the victim loses nothing', () => {
    const attacker = unwrap(mint(newVariant(), 1n))
    assert.equal(attacker.sharesMinted, 1n)
    // The attacker sends 10^12 units straight to the pool. The index is not derived from the
    // backing (only fee and yield events sized by the protocol move it), so nothing changes.
    const victimDeposit = 10n ** 12n - 1n
    const victim = unwrap(mint(attacker.variant, victimDeposit))
    assert.equal(victim.sharesMinted, victimDeposit)
    assert.equal(balanceOf(victim.sharesMinted, victim.variant.indexRay), victimDeposit)
    assert.equal(balanceOf(attacker.sharesMinted, victim.variant.indexRay), 1n)
  })

  it('even after a large fee lands on one share, the victim loses at most one unit and the attacker gains nothing', () => {
    const attacker = unwrap(mint(newVariant(), 1n))
    let backingMinor = attacker.amountUsedMinor
    // Worst case: the attacker is the only LP in scope, so a whole fee credit lands on its one share.
    const fee = unwrap(applyIndexDelta(attacker.variant, 10n ** 12n))
    backingMinor += fee.backingDeltaMinor
    const indexRay = fee.variant.indexRay
    assert.equal(indexRay, RAY + 10n ** 12n * RAY)
    const attackerBefore = balanceOf(1n, indexRay)
    assert.equal(attackerBefore, 10n ** 12n + 1n)

    // Classic attack: the victim deposits less than one share's price and gets zero shares,
    // so the attacker's share absorbs the deposit. Here that deposit is refused.
    const tooSmall = mint(fee.variant, 10n ** 12n)
    assert.equal(!tooSmall.ok && tooSmall.code, 'KTOKEN_DEPOSIT_TOO_SMALL')

    // Second form: deposit just under two shares' price, get one share. The pool takes
    // only what that share is worth; the rest is change that never leaves the victim.
    const victimDeposit = 2n * 10n ** 12n + 1n
    const victim = unwrap(mint(fee.variant, victimDeposit))
    backingMinor += victim.amountUsedMinor
    assert.equal(victim.sharesMinted, 1n)
    assert.equal(victim.amountUsedMinor, 10n ** 12n + 1n)
    assert.equal(victim.changeMinor, 10n ** 12n)
    const victimLossMinor = victimDeposit - victim.changeMinor - balanceOf(1n, victim.variant.indexRay)
    assert.ok(victimLossMinor >= 0n && victimLossMinor <= 1n, `victim lost ${victimLossMinor}`)
    assert.equal(balanceOf(1n, victim.variant.indexRay), attackerBefore)
    assert.ok(totalClaimOf(victim.variant) <= backingMinor)
  })

  it("bounds any depositor's rounding loss by one minor unit, at any index", () => {
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 10n ** 15n * RAY }),
        fc.bigInt({ min: 1n, max: 10n ** 24n }),
        fc.bigInt({ min: 0n, max: 10n ** 24n }),
        (indexRay, depositMinor, sharesBefore) => {
          const minted = mint(variant(indexRay, sharesBefore), depositMinor)
          if (!minted.ok) {
            assert.ok(depositMinor * RAY < indexRay, 'only a deposit worth less than one share is refused')
            return
          }
          const { sharesMinted, amountUsedMinor, changeMinor } = minted.value
          assert.equal(amountUsedMinor + changeMinor, depositMinor)
          assert.ok(changeMinor >= 0n)
          const lossMinor = amountUsedMinor - balanceOf(sharesMinted, indexRay)
          assert.ok(lossMinor >= 0n && lossMinor <= 1n, `lost ${lossMinor}`)
        },
      ),
    )
  })
})

describe('kToken properties', () => {
  const anyIndex = fc.bigInt({ min: 1n, max: 1000n * RAY })
  const anyAmount = fc.oneof(fc.bigInt({ min: 0n, max: 10n ** 9n }), fc.bigInt({ min: 0n, max: 10n ** 30n }))

  it('mint then burn never returns more than deposited', () => {
    fc.assert(
      fc.property(anyIndex, anyAmount, (indexRay, amountMinor) => {
        const shares = sharesForDeposit(amountMinor, indexRay)
        assert.ok(amountForShares(shares, indexRay) <= amountMinor)
        assert.ok(sharesForWithdrawal(amountMinor, indexRay) >= shares)
      }),
    )
  })

  it('a gain never lowers the index and never promises more than the gain', () => {
    fc.assert(
      fc.property(
        anyIndex,
        fc.bigInt({ min: 1n, max: 10n ** 30n }),
        anyAmount,
        (indexRay, totalShares, gain) => {
          const before = variant(indexRay, totalShares)
          const update = unwrap(applyIndexDelta(before, gain))
          assert.ok(update.variant.indexRay >= indexRay)
          assert.ok(update.dustMinor >= 0n)
          assert.equal(update.backingDeltaMinor + update.dustMinor, gain)
          assert.ok(totalClaimOf(update.variant) - totalClaimOf(before) <= update.backingDeltaMinor)
        },
      ),
    )
  })

  it('yield events never change a class A (fx) balance', () => {
    fc.assert(
      fc.property(
        anyIndex,
        fc.bigInt({ min: 1n, max: 10n ** 24n }),
        fc.array(fc.bigInt({ min: -(10n ** 12n), max: 10n ** 12n }), { maxLength: 20 }),
        (indexRay, shares, events) => {
          let vault = { fx: variant(indexRay, shares), full: variant(RAY, 10n ** 15n) }
          const fxBalance = balanceOf(shares, indexRay)
          for (const delta of events) {
            const update = applyYieldEvent(vault, delta)
            if (update.ok) vault = update.value.vault
            assert.equal(balanceOf(shares, vault.fx.indexRay), fxBalance)
            assert.deepEqual(vault.fx, variant(indexRay, shares))
          }
        },
      ),
    )
  })
})
