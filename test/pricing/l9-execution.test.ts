import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import type { Ratio } from '../../src/money/ratio.ts'
import { r } from '../../src/money/ratio.ts'
import { checkFill, checkQuote, type ExecutableQuote } from '../../src/pricing/l9-execution.ts'
import type { CorridorStateView, RiskState, Side } from '../../src/risk/states.ts'
import { failureCode, fiatPerUsd } from './fixtures.ts'

/** L9 in the order execution runs it: the quote's own checks, then the fill's (no mid stored here). */
function checkExecution(input: {
  quote: ExecutableQuote
  nowMs: number
  view: CorridorStateView
  side: Side
  amountMinor: bigint
  sizeUsd: Ratio
  maxSizeUsd: Ratio
}) {
  return (
    checkQuote(input) ??
    checkFill({
      corridor: input.quote.corridor,
      side: input.side,
      amountMinor: input.amountMinor,
      quotedMinor: input.quote.sourceMinor,
      sizeUsd: input.sizeUsd,
      maxSizeUsd: input.maxSizeUsd,
      fiatPerUsd,
      mid: undefined,
      midToleranceBps: r('10'),
    })
  )
}

const EXPIRES = 1_800_000_045_000
const QUOTED = 5_000_000_000n

function quote(status: ExecutableQuote['status']): ExecutableQuote {
  return { corridor: 'USD-IDR', status, expiresAtMs: EXPIRES, sourceMinor: QUOTED }
}

describe('L9 execution checks and their order (SPEC §3, §4)', () => {
  // [name, status, now, state, amount, expected code]
  const rows: [string, ExecutableQuote['status'], number, RiskState, bigint, string | undefined][] = [
    ['open, in time, NORMAL, the quoted amount', 'OPEN', EXPIRES - 1, 'NORMAL', QUOTED, undefined],
    ['a partial amount', 'OPEN', EXPIRES - 45_000, 'NORMAL', 1n, undefined],
    [
      'PROTECT and RESTRICT (this side allowed) still execute',
      'OPEN',
      EXPIRES - 1,
      'RESTRICT',
      QUOTED,
      undefined,
    ],
    ['one ms before expiry', 'OPEN', EXPIRES - 1, 'PROTECT', QUOTED, undefined],
    ['the expiry instant itself is expired', 'OPEN', EXPIRES, 'NORMAL', QUOTED, 'QUOTE_EXPIRED'],
    ['one ms after expiry', 'OPEN', EXPIRES + 1, 'NORMAL', QUOTED, 'QUOTE_EXPIRED'],
    ['executed already', 'EXECUTED', EXPIRES - 1, 'NORMAL', QUOTED, 'QUOTE_ALREADY_EXECUTED'],
    // 409 before everything else: a replayed execution learns it ran, not that it expired since.
    ['executed and expired → 409 first', 'EXECUTED', EXPIRES + 1, 'NORMAL', QUOTED, 'QUOTE_ALREADY_EXECUTED'],
    [
      'executed, expired, HALT, amount too big → 409 first',
      'EXECUTED',
      EXPIRES + 1,
      'HALT',
      QUOTED + 1n,
      'QUOTE_ALREADY_EXECUTED',
    ],
    ['expired and HALT → expired first', 'OPEN', EXPIRES, 'HALT', QUOTED, 'QUOTE_EXPIRED'],
    ['expired and amount too big → expired first', 'OPEN', EXPIRES, 'NORMAL', QUOTED + 1n, 'QUOTE_EXPIRED'],
    ['HALT', 'OPEN', EXPIRES - 1, 'HALT', QUOTED, 'QUOTE_HALTED'],
    ['HALT and amount too big → HALT first', 'OPEN', EXPIRES - 1, 'HALT', QUOTED + 1n, 'QUOTE_HALTED'],
    [
      'amount one unit above the quoted amount',
      'OPEN',
      EXPIRES - 1,
      'NORMAL',
      QUOTED + 1n,
      'VALIDATION_ERROR',
    ],
    ['amount zero', 'OPEN', EXPIRES - 1, 'NORMAL', 0n, 'VALIDATION_ERROR'],
    ['amount negative', 'OPEN', EXPIRES - 1, 'NORMAL', -1n, 'VALIDATION_ERROR'],
  ]
  for (const [name, status, now, state, amount, code] of rows) {
    it(`${name} → ${code ?? 'passes'}`, () => {
      const got = checkExecution({
        quote: quote(status),
        nowMs: now,
        view: { state, allowedDirections: state === 'HALT' ? [] : ['BUY', 'SELL'], reasons: [] },
        side: 'SELL',
        amountMinor: amount,
        sizeUsd: r('5000'),
        maxSizeUsd: r('50000'),
      })
      assert.equal(failureCode(got), code)
      if (got !== undefined) assert.equal(got.corridor, 'USD-IDR')
    })
  }
})

describe('L9 re-checks the state at execution time (SPEC §4 L9, §6.1)', () => {
  const base = {
    quote: quote('OPEN'),
    nowMs: EXPIRES - 1,
    side: 'SELL' as const,
    amountMinor: QUOTED,
    sizeUsd: r('5000'),
  }
  it('a side RESTRICT has blocked since the quote was taken → DIRECTION_BLOCKED', () => {
    const got = checkExecution({
      ...base,
      view: { state: 'RESTRICT', allowedDirections: ['BUY'], reasons: [] },
      maxSizeUsd: r('50000'),
    })
    assert.equal(failureCode(got), 'DIRECTION_BLOCKED')
  })
  it('a size above the max size now (the state shrank it) → ABOVE_MAX_TRANSACTION_SIZE; exactly at it passes', () => {
    const view = { state: 'PROTECT' as const, allowedDirections: ['BUY', 'SELL'] as const, reasons: [] }
    assert.equal(
      failureCode(checkExecution({ ...base, view, maxSizeUsd: r('4999.99') })),
      'ABOVE_MAX_TRANSACTION_SIZE',
    )
    assert.equal(checkExecution({ ...base, view, maxSizeUsd: r('5000') }), undefined)
  })
})
