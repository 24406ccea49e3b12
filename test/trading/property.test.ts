/**
 * Property (issue 3 "Done when"): across random sequences of firm quotes and
 * executions — random corridors, sides and sizes, some partial, some executed
 * twice at once, some sent to the reverting address — the ledger verifies
 * (postings balance, balances equal postings, nothing internal negative),
 * each quote has at most one execution, the partner's balances move by
 * exactly what settled, and no settled execution pays the partner more than
 * the mid-rate value of what it paid.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import fc from 'fast-check'
import { SIMULATED_REVERT_ADDRESS } from '../../src/chain/adapter.ts'
import { poolAccount, protocolAccount } from '../../src/ledger/accounts.ts'
import { postEntry } from '../../src/ledger/journal.ts'
import { verifyLedger } from '../../src/ledger/verify.ts'
import { formatDecimal, parseDecimal } from '../../src/money/decimal.ts'
import { openStore, type Store } from '../../src/store/store.ts'
import { createPartner, createTestApp, setMarket, type TestApp } from '../support/app.ts'
import { createTestDatabase, describeEachDialect, type TestDatabase } from '../support/databases.ts'
import { ADDRESS, balanceOf, execute, firmQuote, fund, quoteOk } from './support.ts'

type Asset = 'USDT' | 'IDRX' | 'tnSGD' | 'MYRC'
const DECIMALS: Record<Asset, number> = { USDT: 6, IDRX: 2, tnSGD: 6, MYRC: 18 }
/** Smallest units of each asset per US cent at the test market (16250 IDR, 1.3 SGD, 4.2 MYR per USD). */
const MINOR_PER_CENT: Record<Asset, bigint> = {
  USDT: 10_000n,
  IDRX: 16_250n,
  tnSGD: 13_000n,
  MYRC: 42_000_000_000_000_000n,
}
const LEGS = {
  'USD-IDR': { SELL: ['USDT', 'IDRX'], BUY: ['IDRX', 'USDT'] },
  'USD-SGD': { SELL: ['USDT', 'tnSGD'], BUY: ['tnSGD', 'USDT'] },
  'MYR-IDR': { SELL: ['MYRC', 'IDRX'], BUY: ['IDRX', 'MYRC'] },
} as const satisfies Record<string, Record<'SELL' | 'BUY', readonly [Asset, Asset]>>
/** What each run's partner is given: far more than six trades of at most $3,000 need. */
const FUNDED: Record<Asset, string> = { USDT: '50000', IDRX: '812500000', tnSGD: '65000', MYRC: '210000' }

const operation = fc.record({
  pair: fc.constantFrom('USD-IDR', 'USD-SGD', 'MYR-IDR' as const),
  side: fc.constantFrom('SELL', 'BUY' as const),
  // $12 to $3,000: above every corridor minimum (50 MYR ≈ $11.90), far below every max size.
  usdCents: fc.integer({ min: 1_200, max: 300_000 }),
  // A few smallest units more, so amounts use their fraction digits.
  jitter: fc.integer({ min: 0, max: 9_999 }),
  partialPct: fc.option(fc.integer({ min: 1, max: 99 }), { nil: undefined }),
  twice: fc.boolean(),
  revert: fc.boolean(),
})

function minor(text: string, asset: Asset): bigint {
  const parsed = parseDecimal(text, DECIMALS[asset])
  assert.ok(parsed.ok, `${text} is not a ${asset} amount`)
  return parsed.minor
}

function fraction(text: string): { num: bigint; den: bigint } {
  const [whole, frac = ''] = text.split('.')
  return { num: BigInt(`${whole}${frac}`), den: 10n ** BigInt(frac.length) }
}

describeEachDialect(
  'property: random quotes and executions keep the ledger and the partner whole',
  ({ store }) => {
    let app: TestApp
    before(async () => {
      app = await createTestApp(store())
      await setMarket(app)
    })
    after(() => app.close())

    let run = 0
    let settled = 0

    it('holds the invariants of SPEC §14.2', { timeout: 60_000 }, async () => {
      await fc.assert(
        fc.asyncProperty(fc.array(operation, { minLength: 1, maxLength: 6 }), async (ops) => {
          const partner = await createPartner(app, {
            name: `Property ${++run}`,
            limits: { daily_per_corridor_usd: '100000000', monthly_usd: '1000000000' },
          })
          for (const asset of Object.keys(FUNDED) as Asset[]) await fund(app, partner, asset, FUNDED[asset])
          const spent: Record<Asset, bigint> = { USDT: 0n, IDRX: 0n, tnSGD: 0n, MYRC: 0n }
          const quoteIds: string[] = []

          for (const op of ops) {
            const [source, destination] = LEGS[op.pair][op.side]
            const amountMinor = BigInt(op.usdCents) * MINOR_PER_CENT[source] + BigInt(op.jitter)
            const quoted = await firmQuote(app, partner, {
              pair: op.pair,
              side: op.side,
              amount: formatDecimal(amountMinor, DECIMALS[source]),
            })
            assert.equal(quoted.statusCode, 200, quoted.body)
            const quote = quoted.json()
            quoteIds.push(quote.quote_id)
            const executeMinor =
              op.partialPct === undefined ? amountMinor : (amountMinor * BigInt(op.partialPct)) / 100n
            const body = {
              quote_id: quote.quote_id,
              destination_address: op.revert ? SIMULATED_REVERT_ADDRESS : ADDRESS,
              ...(op.partialPct === undefined
                ? {}
                : { amount: formatDecimal(executeMinor, DECIMALS[source]) }),
            }
            const responses = await Promise.all(
              Array.from({ length: op.twice ? 2 : 1 }, () => execute(app, partner, body)),
            )
            const accepted = responses.filter((r) => r.statusCode === 200)
            assert.ok(accepted.length <= 1, 'a quote executed twice')
            for (const refused of responses.filter((r) => r.statusCode !== 200)) {
              const code = refused.json().error.code
              if (accepted.length === 1) assert.equal(code, 'QUOTE_ALREADY_EXECUTED', refused.body)
              // A tiny partial fill may not cover the fixed fee: refused, nothing moves.
              else assert.equal(code, 'BELOW_MIN_TRANSACTION_SIZE', refused.body)
            }
            const execution = accepted[0]?.json()
            if (execution === undefined) continue
            assert.equal(execution.status, op.revert ? 'FAILED' : 'SETTLED')
            assert.equal(minor(execution.source_amount, source), executeMinor)
            const received = minor(execution.destination_amount, destination)
            assert.ok(received <= minor(quote.destination_amount, destination), 'more than quoted')
            if (execution.status !== 'SETTLED') continue
            spent[source] += executeMinor
            settled++
            // Never more than the mid-rate value of what was paid (mid = QUOTE per BASE, as the quote reported).
            const mid = fraction(quote.mid)
            const scaleSource = 10n ** BigInt(DECIMALS[source])
            const scaleDestination = 10n ** BigInt(DECIMALS[destination])
            const within =
              op.side === 'SELL'
                ? received * scaleSource * mid.den <= executeMinor * mid.num * scaleDestination
                : received * scaleSource * mid.num <= executeMinor * mid.den * scaleDestination
            assert.ok(
              within,
              `${op.pair} ${op.side}: received ${execution.destination_amount} at mid ${quote.mid}`,
            )
          }

          // The partner paid exactly what settled; reverted and refused executions cost nothing.
          for (const asset of Object.keys(FUNDED) as Asset[]) {
            const expected = minor(FUNDED[asset], asset) - spent[asset]
            assert.equal(
              await balanceOf(app, partner, asset),
              formatDecimal(expected, DECIMALS[asset]),
              asset,
            )
          }
          // Each quote has at most one execution.
          const rows = await store()
            .kysely.selectFrom('executions')
            .select('quote_id')
            .where('partner_id', '=', partner.id)
            .execute()
          const perQuote = new Map<string, number>()
          for (const row of rows) perQuote.set(row.quote_id, (perQuote.get(row.quote_id) ?? 0) + 1)
          for (const [quoteId, count] of perQuote) assert.equal(count, 1, `quote ${quoteId}`)
          for (const quoteId of perQuote.keys()) assert.ok(quoteIds.includes(quoteId))
          // Postings balance, balances equal postings, no internal balance negative.
          const report = await store().snapshot((db) => verifyLedger(db))
          assert.deepEqual(report.violations, [])
        }),
        { numRuns: 20 },
      )
      // The runs did trade: the properties above were exercised on settled executions.
      assert.ok(settled > 0)
    })
  },
)

/**
 * The same property at a point the random runs rarely reach: an Active pool
 * more than 25% over target, where SPEC §5 applies the full MaxSkew.
 */
describe('property, targeted: inventory skew at MaxSkew', () => {
  let database: TestDatabase
  let store: Store
  let app: TestApp
  before(async () => {
    database = await createTestDatabase('sqlite')
    store = await openStore(database.url)
    app = await createTestApp(store)
    await setMarket(app)
    // Active IDRX 30% over its target: $150,000 = 2,437,500,000.00 IDRX more, from protocol liquidity.
    const added = 243_750_000_000n
    const posted = await store.transaction((tx) =>
      postEntry(tx, {
        environment: 'sandbox',
        kind: 'test_inventory',
        reference: 'idrx-long-30pct',
        postings: [
          { account: protocolAccount('sandbox', 'IDRX', 'protocol_liquidity'), amount: -added },
          { account: poolAccount('sandbox', 'IDRX', 'ACTIVE'), amount: added },
        ],
        atMs: app.clock.now(),
      }),
    )
    assert.equal(posted.ok, true)
  })
  after(async () => {
    await app.close()
    await store.close()
    await database.drop()
  })

  // Issue 3 "Done when": the partner never receives more than the mid-rate value of what it paid. Beyond 25%
  // off target the skew formula gives MaxSkew (MYR-IDR 12 bps), more than the rest of the spread; the skew is
  // held to the rest of the spread, so even then the bid does not pass the oracle mid.
  it('no quote pays more than mid when the destination pool is 30% over target', {
    timeout: 10_000,
  }, async () => {
    const partner = await createPartner(app, { name: 'Skew taker' })
    await fund(app, partner, 'MYRC', '231000')
    await fund(app, partner, 'USDT', '55000')
    for (const [pair, amount] of [
      ['USD-IDR', '55000'],
      ['MYR-IDR', '231000'],
    ] as const) {
      const quote = await quoteOk(app, partner, { pair, side: 'SELL', amount })
      const mid = fraction(quote.mid)
      const paid = minor(amount, pair === 'USD-IDR' ? 'USDT' : 'MYRC')
      const scaleSource = 10n ** BigInt(pair === 'USD-IDR' ? 6 : 18)
      const received = minor(quote.destination_amount, 'IDRX')
      assert.ok(
        received * scaleSource * mid.den <= paid * mid.num * 100n,
        `${pair}: ${quote.destination_amount} IDRX for ${amount} at mid ${quote.mid} (bid ${quote.bid})`,
      )
    }
  })
})
