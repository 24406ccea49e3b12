/**
 * Issue 12, the Earn API arithmetic (src/integrations/earn/model.ts): the
 * daily rate of SPEC §12.2 against literals computed independently (Python,
 * 100-digit Decimal powers, checked by exact integer comparison), 18-decimal
 * strings, rounding down with the dust carried, splits, settlement decisions.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import {
  creditInterest,
  dailyInterestWad,
  dailyRateWad,
  formatWad,
  fromWadFloor,
  parseApy,
  parseWad,
  settlementDecision,
  splitByPercent,
  splitWithdrawal,
} from '../../../src/integrations/earn/model.ts'
import { r } from '../../../src/money/ratio.ts'

const WAD = 10n ** 18n

describe('earn model', () => {
  it('daily rate floor(10^18 × (1 + APY)^(1/365)) − 10^18', () => {
    assert.equal(dailyRateWad(r('0.05')), 133680617113440n)
    assert.equal(dailyRateWad(r('0.08')), 210874398376959n)
    assert.equal(dailyRateWad(r('0')), 0n)
    // A year of daily compounding on the rounded-down rate never beats the APY.
    let balance = 1_000_000n * WAD
    for (let day = 0; day < 365; day++) balance += dailyInterestWad(balance, r('0.05'))
    assert.ok(balance <= 1_050_000n * WAD && balance > 1_049_999n * WAD, balance.toString())
  })

  it('18-decimal strings round-trip exactly and nothing else parses', () => {
    assert.equal(parseWad('12.500000000000000000'), 12_500_000_000_000_000_000n)
    assert.equal(parseWad('-0.000000000000000001'), -1n)
    assert.equal(formatWad(-1n), '-0.000000000000000001')
    assert.equal(formatWad(5n * WAD), '5.000000000000000000')
    for (const bad of ['1.5', '1e18', ' 1.000000000000000000', '01.000000000000000000', 1, null])
      assert.equal(parseWad(bad), undefined, String(bad))
    fc.assert(
      fc.property(fc.bigInt({ min: -(10n ** 40n), max: 10n ** 40n }), (v) => parseWad(formatWad(v)) === v),
    )
    assert.equal(parseApy('-0.01'), undefined)
    assert.equal(parseApy('11'), undefined)
  })

  it('rounding down to the asset with the dust carried books floor(total) over any run of days', () => {
    fc.assert(
      fc.property(fc.array(fc.bigInt({ min: -(10n ** 24n), max: 10n ** 24n }), { maxLength: 40 }), (days) => {
        let dust = 0n
        let credited = 0n
        for (const day of days) {
          const step = creditInterest(day, dust, 6)
          assert.ok(step.dustWad >= 0n && step.dustWad < 10n ** 12n)
          credited += step.creditMinor
          dust = step.dustWad
        }
        const total = days.reduce((a, b) => a + b, 0n)
        return credited === fromWadFloor(total, 6).minor
      }),
    )
  })

  it('splits sum to the amount; a withdrawal never takes more than an entity holds', () => {
    assert.deepEqual(
      splitByPercent(1001n, [
        { entity: 'lending', pct: 50n },
        { entity: 'defi', pct: 50n },
      ]),
      [
        { entity: 'lending', amount: 500n },
        { entity: 'defi', amount: 501n },
      ],
    )
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 10n ** 20n }),
        fc.bigInt({ min: 0n, max: 10n ** 20n }),
        fc.bigInt({ min: 0n, max: 10n ** 20n }),
        (amount, a, b) => {
          const { parts, unplaced } = splitWithdrawal(amount, [
            { entity: 'lending', balance: a },
            { entity: 'defi', balance: b },
          ])
          const placed = parts.reduce((s, p) => s + p.amount, 0n)
          const within = parts.every((p) => p.amount <= (p.entity === 'lending' ? a : b))
          return within && placed + unplaced === amount && (unplaced === 0n || placed === a + b)
        },
      ),
    )
  })

  it('settles at the threshold, carries below it', () => {
    assert.deepEqual(settlementDecision(-1000n * WAD, 1000n * WAD), {
      direction: 'TO_VENUE',
      amountWad: 1000n * WAD,
    })
    assert.equal(settlementDecision(-999n * WAD, 1000n * WAD), undefined)
    assert.deepEqual(settlementDecision(1500n * WAD, 1000n * WAD), {
      direction: 'FROM_VENUE',
      amountWad: 1500n * WAD,
    })
    assert.equal(settlementDecision(0n, 0n), undefined)
  })
})
