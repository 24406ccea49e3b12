/**
 * settleRebalance and the batches on SQLite and PostgreSQL (SPEC §8): one
 * journal entry per movement between the protocol Reserve and the Active
 * pools at the oracle mid, the corridor's position moved out of Active into
 * batches, WAOP over the fills, opposite flow netting open batches first in,
 * first out with realised PnL = volume × (R − WAOP), the ledger verified.
 *
 * The pools are funded by hand (the sandbox genesis sizes): Active USDT
 * 1,000,000, Active IDRX 8,125,000,000 ($500,000 at 16,250), Reserve USDT
 * 4,500,000, Reserve IDRX 29,250,000,000 ($1,800,000). USDT has 6 decimals,
 * IDRX 2.
 */
import assert from 'node:assert/strict'
import { it } from 'node:test'
import type { Fiat } from '../../src/config/assets.ts'
import { accountId, poolAccount, protocolAccount } from '../../src/ledger/accounts.ts'
import { balanceOf, postEntry } from '../../src/ledger/journal.ts'
import { verifyLedger } from '../../src/ledger/verify.ts'
import { type Ratio, r } from '../../src/money/ratio.ts'
import type { UsdRates } from '../../src/pools/usd-rates.ts'
import { parseRatioText, waopOf } from '../../src/rebalancing/batch-model.ts'
import { fillsOf, listBatches, readOpenBatches } from '../../src/rebalancing/batches.ts'
import type { Direction } from '../../src/rebalancing/planner.ts'
import { settleRebalance } from '../../src/rebalancing/settle.ts'
import { batchView } from '../../src/rebalancing/views.ts'
import { movePosition, readActivePositions, readPositions } from '../../src/risk/positions.ts'
import type { Store } from '../../src/store/store.ts'
import { describeEachDialect } from '../support/databases.ts'

const T0 = Date.UTC(2026, 10, 23)
const MINUTE = 60_000
const HOUR = 60 * MINUTE
const USDT = 1_000_000n
const IDRX = 100n

const activeUsdt = poolAccount('sandbox', 'USDT', 'ACTIVE')
const activeIdrx = poolAccount('sandbox', 'IDRX', 'ACTIVE')
const reserveUsdt = poolAccount('sandbox', 'USDT', 'RESERVE')
const reserveIdrx = poolAccount('sandbox', 'IDRX', 'RESERVE')

/** Fiat per USD with USD-IDR at `idr` (the others at the setMarket mids). */
function at(idr: string): UsdRates {
  const table: Record<Fiat, Ratio> = { USD: r('1'), IDR: r(idr), SGD: r('1.3'), MYR: r('4.2') }
  return { fiatPerUsd: (fiat) => table[fiat] }
}

async function fundPools(store: Store, reference: string) {
  const funded = await store.transaction((tx) =>
    postEntry(tx, {
      environment: 'sandbox',
      kind: 'test_funding',
      reference,
      postings: [
        { account: activeUsdt, amount: 1_000_000n * USDT },
        { account: reserveUsdt, amount: 4_500_000n * USDT },
        { account: protocolAccount('sandbox', 'USDT', 'protocol_liquidity'), amount: -5_500_000n * USDT },
        { account: activeIdrx, amount: 8_125_000_000n * IDRX },
        { account: reserveIdrx, amount: 29_250_000_000n * IDRX },
        {
          account: protocolAccount('sandbox', 'IDRX', 'protocol_liquidity'),
          amount: -37_375_000_000n * IDRX,
        },
      ],
      atMs: T0,
    }),
  )
  assert.equal(funded.ok, true)
}

async function clearRebalancing(store: Store) {
  for (const table of ['rebalance_fills', 'rebalance_batches', 'rebalances', 'corridor_positions'] as const) {
    await store.kysely.deleteFrom(table).execute()
  }
}

function rebalance(store: Store, direction: Direction, usd: string, idr: string, atMs: number) {
  return store.transaction(async (tx) => {
    const settled = await settleRebalance(tx, {
      environment: 'sandbox',
      corridor: 'USD-IDR',
      direction,
      amountUsd: r(usd),
      rates: at(idr),
      atMs,
      trigger: 'hard',
      emergency: false,
    })
    assert.equal(settled.ok, true)
    return settled.ok ? settled.value : assert.fail()
  })
}

async function balances(store: Store) {
  return {
    activeUsdt: await balanceOf(store, activeUsdt),
    activeIdrx: await balanceOf(store, activeIdrx),
    reserveUsdt: await balanceOf(store, reserveUsdt),
    reserveIdrx: await balanceOf(store, reserveIdrx),
  }
}

async function ledgerOk(store: Store) {
  const report = await store.snapshot((db) => verifyLedger(db))
  assert.deepEqual(report.violations, [])
  assert.equal(report.ok, true)
}

describeEachDialect('settleRebalance and batches', ({ store }) => {
  it('one entry between the protocol Reserve and Active at mid; the position moves into a batch', async () => {
    await clearRebalancing(store())
    await fundPools(store(), 'first')
    // What 60 $1,000 SELLs at about 16,240 leave in the Active pools.
    await store().transaction((tx) =>
      movePosition(
        tx,
        'sandbox',
        'USD-IDR',
        { baseUnits: 60_000n * USDT, quoteUnits: -974_400_000n * IDRX },
        T0,
      ),
    )
    const before = await balances(store())
    const settled = await rebalance(store(), 'LONG_BASE', '10000', '16250', T0 + HOUR)
    // 10,000 USDT to the Reserve, 10,000 × 16,250 = 162,500,000 IDRX back to Active.
    assert.deepEqual(
      { base: settled.legs.baseMinor, quote: settled.legs.quoteMinor, partial: settled.partial },
      { base: 10_000n * USDT, quote: 162_500_000n * IDRX, partial: false },
    )
    assert.deepEqual(await balances(store()), {
      activeUsdt: before.activeUsdt - 10_000n * USDT,
      activeIdrx: before.activeIdrx + 162_500_000n * IDRX,
      reserveUsdt: before.reserveUsdt + 10_000n * USDT,
      reserveIdrx: before.reserveIdrx - 162_500_000n * IDRX,
    })
    const entries = await store()
      .kysely.selectFrom('journal_entries')
      .selectAll()
      .where('kind', '=', 'rebalance')
      .execute()
    assert.equal(entries.length, 1)
    assert.equal(entries[0]?.reference, settled.rebalanceId)
    const postings = await store()
      .kysely.selectFrom('postings')
      .select(['account_id', 'amount'])
      .where('entry_id', '=', settled.entryId)
      .orderBy('account_id')
      .execute()
    assert.deepEqual(
      postings.map((p) => [p.account_id, BigInt(p.amount)]),
      [
        [accountId(reserveIdrx), -16_250_000_000n],
        [accountId(activeIdrx), 16_250_000_000n],
        [accountId(activeUsdt), -10_000_000_000n],
        [accountId(reserveUsdt), 10_000_000_000n],
      ].sort((a, b) => String(a[0]).localeCompare(String(b[0]))),
    )
    // Active keeps 50,000 USDT of the position, and its cash leg less what came back.
    const active = (await readActivePositions(store(), 'sandbox')).get('USD-IDR')
    assert.deepEqual(
      { base: active?.baseUnits, quote: active?.quoteUnits, openedAt: active?.openedAtMs },
      { base: 50_000n * USDT, quote: -811_900_000n * IDRX, openedAt: T0 + HOUR },
    )
    // The whole position is unchanged: 10,000 USDT now sit in one OPEN batch at 16,250.
    const whole = (await readPositions(store(), 'sandbox')).get('USD-IDR')
    assert.equal(whole?.baseUnits, 60_000n * USDT)
    assert.equal(whole?.quoteUnits, -974_400_000n * IDRX)
    const [batch] = await readOpenBatches(store(), 'sandbox')
    assert.ok(batch)
    assert.deepEqual(
      {
        status: batch.status,
        direction: batch.direction,
        volume: batch.volumeMinor,
        opened: batch.openedAtMs,
      },
      { status: 'OPEN', direction: 'LONG_BASE', volume: 10_000n * USDT, opened: T0 + HOUR },
    )
    const event = await store()
      .kysely.selectFrom('events')
      .selectAll()
      .where('type', '=', 'rebalance.executed')
      .executeTakeFirstOrThrow()
    assert.equal(event.partner_id, null)
    assert.equal(event.created_at, BigInt(T0 + HOUR))
    assert.deepEqual(JSON.parse(event.data), {
      rebalance_id: settled.rebalanceId,
      corridor: 'USD-IDR',
      direction: 'LONG_BASE',
      trigger: 'hard',
      emergency: false,
      partial: false,
      rate: '16250',
      deviation_usd: null,
      amount_usd: '10000',
      moved: [
        { asset: 'USDT', amount: '10000', from: 'ACTIVE', to: 'RESERVE' },
        { asset: 'IDRX', amount: '162500000', from: 'RESERVE', to: 'ACTIVE' },
      ],
      netted: [],
      filled: { batch_id: batch.batchId, volume: '10000', opened: true },
    })
    await ledgerOk(store())
  })

  it('WAOP over fills; opposite flow nets batches first in, first out with realised PnL', async () => {
    await clearRebalancing(store())
    await fundPools(store(), 'second')
    const start = await balances(store())
    // Batch A: 10,000 at 16,250, then 20,000 at 16,280 ten minutes later: WAOP 16,270.
    const a1 = await rebalance(store(), 'LONG_BASE', '10000', '16250', T0)
    await rebalance(store(), 'LONG_BASE', '20000', '16280', T0 + 10 * MINUTE)
    const batchA = a1.batches.filled?.batchId as string
    const fillsA = (await fillsOf(store(), [batchA])).get(batchA) ?? []
    assert.deepEqual(
      fillsA.map((f) => [f.volumeMinor, f.rate, f.atMs]),
      [
        [10_000n * USDT, r('16250'), T0],
        [20_000n * USDT, r('16280'), T0 + 10 * MINUTE],
      ],
    )
    assert.deepEqual(waopOf(fillsA), r('16270'))
    // Two hours on, A's one-hour window has passed: a new fill opens batch B.
    const b1 = await rebalance(store(), 'LONG_BASE', '5000', '16310', T0 + 2 * HOUR)
    const batchB = b1.batches.filled?.batchId as string
    assert.notEqual(batchB, batchA)
    assert.equal(b1.batches.filled?.opened, true)

    // Opposite flow of 33,000 at 16,300 nets A (30,000) and 3,000 of B.
    const net1 = await rebalance(store(), 'SHORT_BASE', '33000', '16300', T0 + 3 * HOUR)
    assert.deepEqual(
      net1.batches.netted.map((p) => [p.batchId, p.volumeMinor, p.realisedPnlUsd, p.closed]),
      [
        // 30,000 × (16,300 − 16,270) = 900,000 IDR, at 16,300 per USD.
        [batchA, 30_000n * USDT, parseRatioText('900000/16300'), true],
        // 3,000 × (16,300 − 16,310) = −30,000 IDR.
        [batchB, 3_000n * USDT, parseRatioText('-30000/16300'), false],
      ],
    )
    assert.equal(net1.batches.filled, undefined)
    // Then 4,000 at 16,290: the 2,000 left of B (2,000 × (16,290 − 16,310) = −40,000 IDR), and 2,000
    // open a SHORT_BASE batch C at 16,290.
    const net2 = await rebalance(store(), 'SHORT_BASE', '4000', '16290', T0 + 4 * HOUR)
    assert.deepEqual(
      net2.batches.netted.map((p) => [p.batchId, p.volumeMinor, p.realisedPnlUsd, p.closed]),
      [[batchB, 2_000n * USDT, parseRatioText('-40000/16290'), true]],
    )
    const batchC = net2.batches.filled?.batchId as string

    const page = await listBatches(store(), { environment: 'sandbox', corridor: 'USD-IDR', limit: 10 })
    const views = page.batches.map((b) => batchView(b, page.fills.get(b.batchId) ?? [], at('16300')))
    assert.deepEqual(
      views.map((v) => ({
        id: v.batch_id,
        direction: v.direction,
        status: v.status,
        volume: v.volume,
        open: v.open_volume,
        waop: v.waop,
        fills: v.fills.length,
        realised: v.realised_pnl_usd,
        unrealised: v.unrealised_pnl_usd,
        opened: v.opened_at,
        settled: v.settled_at,
        closed: v.closed_at,
      })),
      [
        {
          id: batchC,
          direction: 'SHORT_BASE',
          status: 'OPEN',
          volume: '2000',
          open: '2000',
          waop: '16290',
          fills: 1,
          realised: '0',
          // Sold 2,000 at 16,290, marked at 16,300: −20,000 IDR = −$1.2269… (cents rounded down).
          unrealised: '-1.23',
          opened: new Date(T0 + 4 * HOUR).toISOString(),
          settled: null,
          closed: null,
        },
        {
          id: batchB,
          direction: 'LONG_BASE',
          status: 'CLOSED',
          volume: '5000',
          open: '0',
          waop: '16310',
          fills: 1,
          // −30,000 / 16,300 − 40,000 / 16,290 = −1.84049… − 2.45549… = −4.29598…
          realised: '-4.3',
          unrealised: '0',
          opened: new Date(T0 + 2 * HOUR).toISOString(),
          settled: new Date(T0 + 3 * HOUR).toISOString(),
          closed: new Date(T0 + 4 * HOUR).toISOString(),
        },
        {
          id: batchA,
          direction: 'LONG_BASE',
          status: 'CLOSED',
          volume: '30000',
          open: '0',
          waop: '16270',
          fills: 2,
          // 900,000 / 16,300 = 55.2147…
          realised: '55.21',
          unrealised: '0',
          opened: new Date(T0).toISOString(),
          settled: new Date(T0 + 2 * HOUR).toISOString(),
          closed: new Date(T0 + 3 * HOUR).toISOString(),
        },
      ],
    )
    // The Reserve took 10,000 + 20,000 + 5,000 USDT and gave 33,000 + 4,000: it holds 2,000 USDT less,
    // and 33,410,000 IDR more: realised 900,000 − 70,000 = 830,000 IDR, plus the 32,580,000 IDR batch C
    // sold its 2,000 USD for.
    const end = await balances(store())
    assert.equal(end.reserveUsdt - start.reserveUsdt, -2_000n * USDT)
    assert.equal(end.reserveIdrx - start.reserveIdrx, 33_410_000n * IDRX)
    assert.equal(end.activeUsdt - start.activeUsdt, 2_000n * USDT)
    assert.equal(end.activeIdrx - start.activeIdrx, -33_410_000n * IDRX)
    // Only C is still open; filters and the cursor page through the rest.
    assert.deepEqual(
      (await readOpenBatches(store(), 'sandbox')).map((b) => b.batchId),
      [batchC],
    )
    const closed = await listBatches(store(), { environment: 'sandbox', status: 'CLOSED', limit: 1 })
    assert.deepEqual(
      closed.batches.map((b) => b.batchId),
      [batchB],
    )
    assert.ok(closed.nextCursor)
    const next = await listBatches(store(), {
      environment: 'sandbox',
      status: 'CLOSED',
      limit: 1,
      cursor: BigInt(closed.nextCursor),
    })
    assert.deepEqual(
      { ids: next.batches.map((b) => b.batchId), cursor: next.nextCursor },
      { ids: [batchA], cursor: null },
    )
    assert.equal((await listBatches(store(), { environment: 'live', limit: 10 })).batches.length, 0)
    await ledgerOk(store())
  })

  it('never takes more than the protocol Reserve holds: partial, then nothing to move', async () => {
    await clearRebalancing(store())
    await fundPools(store(), 'third')
    // Drain the IDRX Reserve to 1,000,000 IDRX by moving the rest to the treasury.
    const reserve = await balanceOf(store(), reserveIdrx)
    const drained = await store().transaction((tx) =>
      postEntry(tx, {
        environment: 'sandbox',
        kind: 'test_drain',
        reference: 'reserve',
        postings: [
          { account: reserveIdrx, amount: -(reserve - 1_000_000n * IDRX) },
          { account: protocolAccount('sandbox', 'IDRX', 'treasury'), amount: reserve - 1_000_000n * IDRX },
        ],
        atMs: T0,
      }),
    )
    assert.equal(drained.ok, true)
    const partial = await rebalance(store(), 'LONG_BASE', '100000', '16250', T0 + 5 * HOUR)
    // floor(1,000,000 / 16,250) = 61.538461 USDT; its IDRX rounds up to exactly the 1,000,000 left.
    assert.deepEqual(
      { base: partial.legs.baseMinor, quote: partial.legs.quoteMinor, partial: partial.partial },
      { base: 61_538_461n, quote: 1_000_000n * IDRX, partial: true },
    )
    assert.equal(await balanceOf(store(), reserveIdrx), 0n)
    const nothing = await store().transaction((tx) =>
      settleRebalance(tx, {
        environment: 'sandbox',
        corridor: 'USD-IDR',
        direction: 'LONG_BASE',
        amountUsd: r('100000'),
        rates: at('16250'),
        atMs: T0 + 5 * HOUR,
        trigger: 'hard',
        emergency: false,
      }),
    )
    assert.equal(nothing.ok, false)
    assert.equal(!nothing.ok && nothing.reason, 'NOTHING_TO_MOVE')
    const row = await store()
      .kysely.selectFrom('rebalances')
      .selectAll()
      .where('rebalance_id', '=', partial.rebalanceId)
      .executeTakeFirstOrThrow()
    assert.deepEqual(
      { partial: row.partial, base: row.base_amount, quote: row.quote_amount, rate: row.rate },
      { partial: 1n, base: '61538461', quote: '100000000', rate: '16250/1' },
    )
    await ledgerOk(store())
  })
})
