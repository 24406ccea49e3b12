/**
 * SPEC §15 "Firm quotes": execution refuses a quote whose mid moved against
 * the pool beyond the tolerance (10 bps by default) since quoting. The sign
 * is pinned here for both sides and for the synthetic MYR-IDR cross.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { PRICING } from '../../src/config/pricing.ts'
import { div, type Ratio, r, ratio } from '../../src/money/ratio.ts'
import { checkFill } from '../../src/pricing/l9-execution.ts'
import { adverseMoveBps, checkPriceMove } from '../../src/pricing/price-move.ts'
import type { Side } from '../../src/risk/states.ts'
import { failureCode, fiatPerUsd } from './fixtures.ts'

const TOLERANCE = r(PRICING.executionMidToleranceBps)

describe('adverse mid move: who gains when the mid moves after quoting', () => {
  // [name, side, quoted mid, mid now, adverse move in hundredths of a bp (truncated), refused?]
  const rows: [string, Side, Ratio, Ratio, bigint, boolean][] = [
    // SELL pays USD and is paid IDR at the quoted bid: fewer IDR per USD now makes that bid generous.
    ['USD-IDR SELL, mid down 20 bps: partner gains', 'SELL', r('16250'), r('16217.5'), 2000n, true],
    ['USD-IDR SELL, mid up 20 bps: pool gains', 'SELL', r('16250'), r('16282.5'), -2000n, false],
    // BUY pays IDR and is paid USD at the quoted ask: more IDR per USD now makes that ask cheap.
    ['USD-IDR BUY, mid up 20 bps: partner gains', 'BUY', r('16250'), r('16282.5'), 2000n, true],
    ['USD-IDR BUY, mid down 20 bps: pool gains', 'BUY', r('16250'), r('16217.5'), -2000n, false],
    ['exactly the 10 bps tolerance still executes', 'SELL', r('16250'), r('16233.75'), 1000n, false],
    // 16,233.7499: 10.0000615… bps, a hair beyond.
    ['a hair beyond it is refused', 'SELL', r('16250'), r('16233.7499'), 1000n, true],
    ['no move', 'BUY', r('1.3'), r('1.3'), 0n, false],
    // Synthetic MYR-IDR = USD-IDR ÷ USD-MYR (IDR per MYR), quoted at 16,250 ÷ 4.0625 = 4,000.
    // MYR 20 bps weaker against USD (USD-MYR 4.070625): 16,250 ÷ 4.070625 = 3,992.015968…, down 19.96 bps.
    [
      'MYR-IDR SELL, MYR weakens: partner gains',
      'SELL',
      r('4000'),
      div(r('16250'), r('4.070625')),
      1996n,
      true,
    ],
    ['MYR-IDR BUY, MYR weakens: pool gains', 'BUY', r('4000'), div(r('16250'), r('4.070625')), -1996n, false],
    // IDR 20 bps weaker against USD (USD-IDR 16,282.5): 16,282.5 ÷ 4.0625 = 4,008, up 20 bps.
    [
      'MYR-IDR BUY, IDR weakens: partner gains',
      'BUY',
      r('4000'),
      div(r('16282.5'), r('4.0625')),
      2000n,
      true,
    ],
    [
      'MYR-IDR SELL, IDR weakens: pool gains',
      'SELL',
      r('4000'),
      div(r('16282.5'), r('4.0625')),
      -2000n,
      false,
    ],
    // Both legs 20 bps up: the cross does not move.
    ['MYR-IDR, both legs move alike', 'SELL', r('4000'), div(r('16282.5'), r('4.070625')), 0n, false],
  ]
  for (const [name, side, quoted, now, hundredths, refused] of rows) {
    it(`${name} → ${refused ? 'refused' : 'executes'}`, () => {
      const bps = adverseMoveBps(side, quoted, now)
      assert.equal((bps.num * 100n) / bps.den, hundredths)
      const got = checkPriceMove({
        corridor: 'USD-IDR',
        side,
        quotedMid: quoted,
        midNow: now,
        toleranceBps: TOLERANCE,
      })
      assert.equal(failureCode(got), refused ? 'QUOTE_STALE_PRICE' : undefined)
    })
  }

  it('names the move, the mids and the tolerance', () => {
    const got = checkPriceMove({
      corridor: 'USD-IDR',
      side: 'SELL',
      quotedMid: r('16250'),
      midNow: r('16217.5'),
      toleranceBps: TOLERANCE,
    })
    assert.deepEqual(got, {
      ok: false,
      code: 'QUOTE_STALE_PRICE',
      message:
        'the USD-IDR mid moved 20 bps against the pool since this SELL quote (16250 → 16217.5), beyond the 10 bps tolerance: request a new quote',
      corridor: 'USD-IDR',
    })
  })

  it('property: refused exactly when the market moved beyond the tolerance in the partner’s favour', () => {
    const mid = fc.bigInt({ min: 1n, max: 10n ** 12n }).map((n) => ratio(n, 10_000n))
    fc.assert(
      fc.property(fc.constantFrom<Side>('SELL', 'BUY'), mid, mid, (side, quoted, now) => {
        const refused =
          checkPriceMove({
            corridor: 'MYR-IDR',
            side,
            quotedMid: quoted,
            midNow: now,
            toleranceBps: TOLERANCE,
          }) !== undefined
        // Cross-multiplied: SELL refuses when now < quoted × (1 − 10/10⁴), BUY when now > quoted × (1 + 10/10⁴).
        const nowX = now.num * quoted.den * 10_000n
        const quotedX = quoted.num * now.den
        const expected = side === 'SELL' ? nowX < quotedX * 9_990n : nowX > quotedX * 10_010n
        assert.equal(refused, expected)
        // The two sides see the same move with opposite signs.
        const sell = adverseMoveBps('SELL', quoted, now)
        const buy = adverseMoveBps('BUY', quoted, now)
        assert.equal(sell.num * buy.den, -buy.num * sell.den)
      }),
      { numRuns: 2_000 },
    )
  })
})

describe('checkFill: the order of the fill checks', () => {
  const base = {
    corridor: 'USD-IDR' as const,
    side: 'SELL' as const,
    amountMinor: 1_000_000n,
    quotedMinor: 50_000_000_000n,
    sizeUsd: r('1'),
    maxSizeUsd: r('0.5'),
    fiatPerUsd,
    midToleranceBps: TOLERANCE,
  }
  it('price move first, then the minimum of a part, then the max size', () => {
    const moved = { quoted: r('16250'), now: r('16217.5') }
    assert.equal(failureCode(checkFill({ ...base, mid: moved })), 'QUOTE_STALE_PRICE')
    assert.equal(failureCode(checkFill({ ...base, mid: undefined })), 'BELOW_MIN_TRANSACTION_SIZE')
    assert.equal(
      failureCode(checkFill({ ...base, mid: undefined, amountMinor: 10_000_000n, sizeUsd: r('10') })),
      'ABOVE_MAX_TRANSACTION_SIZE',
    )
  })
  it('the minimum applies to a part only: the whole quoted amount passed L1 when quoted', () => {
    const whole = { ...base, mid: undefined, amountMinor: base.quotedMinor, maxSizeUsd: r('50000') }
    assert.equal(checkFill(whole), undefined)
  })
  it('$10 exactly is the USD-IDR minimum (inclusive); 50 MYR for MYR-IDR', () => {
    const at = { ...base, mid: undefined, maxSizeUsd: r('50000') }
    assert.equal(checkFill({ ...at, sizeUsd: r('10') }), undefined)
    assert.equal(failureCode(checkFill({ ...at, sizeUsd: r('9.999999') })), 'BELOW_MIN_TRANSACTION_SIZE')
    // 50 MYR at 4.0625 MYR per USD = $12.3076923…
    const myr = { ...at, corridor: 'MYR-IDR' as const }
    assert.equal(failureCode(checkFill({ ...myr, sizeUsd: r('12.3') })), 'BELOW_MIN_TRANSACTION_SIZE')
    assert.equal(checkFill({ ...myr, sizeUsd: div(r('50'), r('4.0625')) }), undefined)
  })
})
