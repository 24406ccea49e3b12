/** The pure RFQ core (src/rfq/model.ts): acceptance, best for the taker, amounts, tranches. */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { ASSETS } from '../../src/config/assets.ts'
import { r } from '../../src/money/ratio.ts'
import { amountsAt, type RawAnswer, selectBest, splitTranches, withinBand } from '../../src/rfq/model.ts'
import { simulatedRate } from '../../src/sim/market-makers.ts'

const RFQ = 'rfq-1'
const NOW = 1_000_000

function answer(counterpartyId: string, rate: string, arrivedAtMs = NOW + 10, extra = {}): RawAnswer {
  return {
    counterpartyId,
    statusCode: 200,
    body: JSON.stringify({
      rfq_id: RFQ,
      quote_id: `q-${counterpartyId}`,
      rate,
      expires_at: new Date(NOW + 30_000).toISOString(),
      ...extra,
    }),
    arrivedAtMs,
  }
}

function select(
  side: 'SELL' | 'BUY',
  answers: RawAnswer[],
  balances: Record<string, bigint> = {},
  priority?: (id: string) => number,
) {
  return selectBest({
    ...(priority === undefined ? {} : { priority }),
    rfqId: RFQ,
    side,
    mid: r('16250'),
    nowMs: NOW,
    respondByMs: NOW + 1_500,
    answers,
    // SELL 1,000 USDT: IDRX at the rate, 2 decimals.
    amountsAt: (rate) =>
      amountsAt({
        side,
        source: side === 'SELL' ? ASSETS.USDT : ASSETS.IDRX,
        destination: side === 'SELL' ? ASSETS.IDRX : ASSETS.USDT,
        size: { kind: 'source', minor: side === 'SELL' ? 1_000_000_000n : 1_625_000_000n },
        rate,
      }),
    available: (id) => balances[id] ?? 10n ** 15n,
  })
}

describe('RFQ selection (SPEC §4 L3)', () => {
  it('a SELL taker gets the highest rate, a BUY taker the lowest', () => {
    const answers = [answer('a', '16230'), answer('b', '16240'), answer('c', '16260')]
    assert.equal(select('SELL', answers).chosen?.counterpartyId, 'c')
    assert.equal(select('BUY', answers).chosen?.counterpartyId, 'a')
  })

  it('equal rates: the earliest answer wins', () => {
    const chosen = select('SELL', [
      answer('late', '16240', NOW + 50),
      answer('early', '16240', NOW + 20),
    ]).chosen
    assert.equal(chosen?.counterpartyId, 'early')
  })

  it('equal rates: a PRIORITY access tier wins over an earlier STANDARD answer; a better rate still wins', () => {
    const priority = (id: string) => (id.startsWith('vip') ? 1 : 0)
    const tie = [answer('vip', '16240', NOW + 50), answer('early', '16240', NOW + 20)]
    assert.equal(select('SELL', tie, {}, priority).chosen?.counterpartyId, 'vip')
    const better = [answer('vip', '16240', NOW + 50), answer('best', '16241', NOW + 20)]
    assert.equal(select('SELL', better, {}, priority).chosen?.counterpartyId, 'best')
  })

  it('skips outside the band, late, malformed, expired, foreign and uncovered answers, saying why', () => {
    const { chosen, skipped } = select(
      'SELL',
      [
        answer('far', '16332'),
        answer('late', '16249', NOW + 1_501),
        answer('bad', '16,249'),
        answer('expired', '16248', NOW + 10, { expires_at: new Date(NOW).toISOString() }),
        answer('foreign', '16247', NOW + 10, { rfq_id: 'other' }),
        answer('broke', '16246'),
        { counterpartyId: 'silent', statusCode: null, body: '', arrivedAtMs: NOW + 1_500 },
        { counterpartyId: 'no', statusCode: 204, body: '', arrivedAtMs: NOW + 5 },
        answer('ok', '16200'),
      ],
      { broke: 16_245_999_99n },
    )
    assert.equal(chosen?.counterpartyId, 'ok')
    assert.equal(chosen?.destinationMinor, 1_620_000_000n)
    assert.deepEqual(Object.fromEntries(skipped.map((s) => [s.counterpartyId, s.reason])), {
      no: 'declined',
      far: 'rate outside 50 bps of the oracle mid',
      bad: 'malformed rate',
      expired: 'already expired',
      foreign: 'answer for another rfq_id',
      broke: 'prefunded balance cannot cover the quote',
      silent: 'no answer in time',
      late: 'answered after respond_by',
    })
  })

  it('the band is inclusive at exactly 50 bps', () => {
    assert.equal(withinBand(r('16331.25'), r('16250')), true)
    assert.equal(withinBand(r('16331.26'), r('16250')), false)
    assert.equal(withinBand(r('16168.75'), r('16250')), true)
  })

  it('amounts: the taker receives rounded down and pays rounded up', () => {
    // BUY 1 USDT for IDRX at 16250.5: pays 16250.50 IDRX exactly; 1 IDRX buys 0.000061 USDT (floor).
    assert.deepEqual(
      amountsAt({
        side: 'BUY',
        source: ASSETS.IDRX,
        destination: ASSETS.USDT,
        size: { kind: 'destination', minor: 1_000_000n },
        rate: r('16250.5'),
      }),
      { sourceMinor: 1_625_050n, destinationMinor: 1_000_000n },
    )
    assert.deepEqual(
      amountsAt({
        side: 'BUY',
        source: ASSETS.IDRX,
        destination: ASSETS.USDT,
        size: { kind: 'source', minor: 100n },
        rate: r('16250'),
      }),
      { sourceMinor: 100n, destinationMinor: 61n },
    )
  })

  it('tranches: as few as fit under the single-fill size, summing to the order', () => {
    assert.deepEqual(splitTranches(1_000_000n, r('1000000'), r('250000')), [
      250_000n,
      250_000n,
      250_000n,
      250_000n,
    ])
    assert.deepEqual(splitTranches(10n, r('300000'), r('250000')), [5n, 5n])
    assert.deepEqual(splitTranches(7n, r('600000'), r('250000')), [3n, 2n, 2n])
    assert.deepEqual(splitTranches(7n, r('100'), r('250000')), [7n])
    fc.assert(
      fc.property(
        fc.bigInt({ min: 1n, max: 10n ** 20n }),
        fc.integer({ min: 1, max: 5_000_000 }),
        (total, usd) => {
          const parts = splitTranches(total, r(String(usd)), r('250000'))
          return (
            parts.reduce((a, b) => a + b, 0n) === total &&
            parts.length === Math.max(1, Math.ceil(usd / 250_000)) &&
            parts.every((p) => p >= 0n)
          )
        },
      ),
    )
  })

  it('the simulator quotes the mid moved against the taker', () => {
    assert.equal(simulatedRate(r('16250'), 'SELL', r('10')), '16233.75')
    assert.equal(simulatedRate(r('16250'), 'BUY', r('10')), '16266.25')
    assert.equal(simulatedRate(r('16250'), 'SELL', r('-80')), '16380')
  })
})
