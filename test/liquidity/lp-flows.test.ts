/**
 * LP flows over HTTP (SPEC §7, issue 5): deposit routing by class (class A
 * 100% Reserve with a FIFO pending queue, class B by the asset's ratio with
 * tagged overflow to Yield), kTokens minted at index 1, fee and yield index
 * updates, the withdrawal tiers and queue driven by the worker as the
 * sandbox clock moves, the reporting endpoints, the events, and ledger
 * verify at the end of each flow. Each suite starts from a fresh database
 * (sandbox pools at genesis: Active 100% of target, Reserve 90%, Yield 0).
 */
import assert from 'node:assert/strict'
import { after, before, it } from 'node:test'
import { createPartner, createTestApp, OPS_TOKEN, setMarket, type TestApp } from '../support/app.ts'
import { describeEachDialect } from '../support/databases.ts'
import { execute, expectError, fund, get, quoteOk } from '../trading/support.ts'
import {
  advance,
  checksummed,
  coolWallets,
  DAY_S,
  deposit,
  depositOk,
  eventsOf,
  HOUR_MS,
  HOUR_S,
  idrx,
  ledgerOk,
  pendingDepositOf,
  positionOf,
  readyLp,
  reserveOf,
  runPendingFiller,
  runWithdrawalWorker,
  sandboxNow,
  sharesOf,
  treasuryOf,
  usdt,
  variantRow,
  walletAddress,
  withdrawOk,
  yieldOf,
} from './lp-support.ts'

const T = { timeout: 20_000 }

/** USDT Reserve at genesis: 90% of its $5M target; its max is the target. */
const USDT_RESERVE_GENESIS = usdt('4500000')
/** IDRX Reserve at genesis: 90% of $2M at 16,250 IDR per USD. */
const IDRX_RESERVE_GENESIS = idrx('29250000000')

describeEachDialect('LP deposit routing', ({ store }) => {
  let app: TestApp
  before(async () => {
    app = await createTestApp(store())
    await setMarket(app)
  })
  after(() => app.close())

  it(
    'class A: 100% to Reserve; overflow waits pending FIFO, never Yield, and fills in order',
    T,
    async () => {
      const [w1, w2, w3] = [walletAddress(1), walletAddress(2), walletAddress(3)]
      const a1 = await readyLp(app, { liquidityClass: 'A', wallet: w1, funds: { USDT: ['450000'] } })
      const a2 = await readyLp(app, { liquidityClass: 'A', wallet: w2, funds: { USDT: ['80000'] } })
      const a3 = await readyLp(app, { liquidityClass: 'A', wallet: w3, funds: { USDT: ['15000'] } })
      await coolWallets(app)
      assert.equal(await reserveOf(store(), 'USDT'), USDT_RESERVE_GENESIS)

      const first = await depositOk(app, a1, 'USDT', '450000', w1)
      assert.deepEqual(
        [first.ktoken, first.lp_class, first.to_reserve, first.to_yield, first.pending, first.status],
        ['kUSD-fx', 'A', '450000', '0', '0', 'CONFIRMED'],
      )
      // Minted at index 1: shares = amount in minor units.
      assert.equal(first.shares, '450000000000')
      assert.equal(first.ktoken_balance, '450000')
      // $50K of room is left: 50,000 enters, 30,000 waits.
      const second = await depositOk(app, a2, 'USDT', '80000', w2)
      assert.deepEqual(
        [second.to_reserve, second.to_yield, second.pending, second.shares, second.status],
        ['50000', '0', '30000', '50000000000', 'PARTLY_PENDING'],
      )
      const third = await depositOk(app, a3, 'USDT', '10000', w3)
      assert.deepEqual(
        [third.to_reserve, third.to_yield, third.pending, third.shares, third.ktoken_balance, third.status],
        ['0', '0', '10000', '0', '0', 'PENDING'],
      )
      assert.equal(await reserveOf(store(), 'USDT'), usdt('5000000'))
      assert.equal(await yieldOf(store(), 'USDT'), 0n)
      assert.equal(await pendingDepositOf(store(), 'USDT'), usdt('40000'))
      assert.equal((await positionOf(app, a2, 'kUSD-fx')).pending_deposits, '30000')
      assert.equal((await positionOf(app, a3, 'kUSD-fx')).pending_deposits, '10000')
      assert.equal(await runPendingFiller(app), 0)

      await advance(app, DAY_S)
      const out = { asset: 'USDT', variant: 'fx', to_address: w1 }
      // 20,000 of room: not enough for the head (30,000), and the later 10,000 may not pass it.
      await withdrawOk(app, a1, { ...out, amount: '20000' })
      assert.equal(await runPendingFiller(app), 0)
      assert.equal(await sharesOf(store(), a3, 'USDT', 'fx'), 0n)
      // Nor may a new deposit: the room is owed to the queue (FIFO), so it waits behind it.
      const fourth = await depositOk(app, a3, 'USDT', '5000', w3)
      assert.deepEqual([fourth.to_reserve, fourth.pending, fourth.status], ['0', '5000', 'PENDING'])
      // 30,000 of room: the head fills, the next one still waits.
      await withdrawOk(app, a1, { ...out, amount: '10000' })
      assert.equal(await runPendingFiller(app), 1)
      assert.equal(await sharesOf(store(), a2, 'USDT', 'fx'), 80_000_000_000n)
      assert.equal(await sharesOf(store(), a3, 'USDT', 'fx'), 0n)
      await withdrawOk(app, a1, { ...out, amount: '10000' })
      assert.equal(await runPendingFiller(app), 1)
      assert.equal(await sharesOf(store(), a3, 'USDT', 'fx'), 10_000_000_000n)
      await withdrawOk(app, a1, { ...out, amount: '5000' })
      assert.equal(await runPendingFiller(app), 1)
      const filled = await positionOf(app, a3, 'kUSD-fx')
      assert.deepEqual(
        [filled.shares, filled.balance, filled.deposited, filled.pending_deposits],
        ['15000000000', '15000', '15000', '0'],
      )
      assert.equal(await reserveOf(store(), 'USDT'), usdt('5000000'))
      assert.equal(await pendingDepositOf(store(), 'USDT'), 0n)
      assert.equal(await yieldOf(store(), 'USDT'), 0n)
      await ledgerOk(store())
    },
  )

  it('class B: IDRX split 60/40; Reserve overflow goes to Yield, tagged for priority recall', T, async () => {
    const [w1, w2] = [walletAddress(11), walletAddress(12)]
    const b1 = await readyLp(app, { liquidityClass: 'B', wallet: w1, funds: { IDRX: ['10000000'] } })
    const b2 = await readyLp(app, { liquidityClass: 'B', wallet: w2, funds: { IDRX: ['6000000000'] } })
    await coolWallets(app)
    const reserveBefore = await reserveOf(store(), 'IDRX')
    assert.equal(reserveBefore, IDRX_RESERVE_GENESIS)
    const split = await depositOk(app, b1, 'IDRX', '10000000', w1)
    assert.deepEqual(
      [split.ktoken, split.to_reserve, split.to_yield, split.yield_overflow_tagged, split.shares],
      ['kIDR-full', '6000000', '4000000', '0', '1000000000'],
    )
    // Reserve room: 32,500,000,000 − 29,256,000,000 = 3,244,000,000 IDR; the 60% share is 3,600,000,000.
    const over = await depositOk(app, b2, 'IDRX', '6000000000', w2)
    assert.deepEqual(
      [over.to_reserve, over.to_yield, over.yield_overflow_tagged, over.pending, over.status],
      ['3244000000', '2756000000', '356000000', '0', 'CONFIRMED'],
    )
    assert.equal(over.shares, '600000000000')
    const row = await store()
      .kysely.selectFrom('lp_deposits')
      .select('routing')
      .where('deposit_id', '=', over.deposit_id)
      .executeTakeFirstOrThrow()
    assert.equal(JSON.parse(row.routing).yieldOverflowTaggedMinor, '35600000000')
    assert.equal(await reserveOf(store(), 'IDRX'), idrx('32500000000'))
    assert.equal(await yieldOf(store(), 'IDRX'), idrx('2760000000'))
    const [confirmed] = await eventsOf(store(), b2.id, 'deposit.confirmed')
    assert.equal(confirmed?.data.deposit_id, over.deposit_id)
    assert.equal(confirmed?.data.yield_overflow_tagged, '356000000')
    await ledgerOk(store())
  })
})

describeEachDialect('LP fee distribution and reporting', ({ store }) => {
  let app: TestApp
  before(async () => {
    app = await createTestApp(store())
    await setMarket(app)
  })
  after(() => app.close())

  it('a swap’s fee raises both variants’ indexes; positions and pools show it', T, async () => {
    const [wa, wb] = [walletAddress(21), walletAddress(22)]
    const a = await readyLp(app, { liquidityClass: 'A', wallet: wa, funds: { USDT: ['100000'] } })
    const b = await readyLp(app, { liquidityClass: 'B', wallet: wb, funds: { USDT: ['100000'] } })
    await coolWallets(app)
    const fx = await depositOk(app, a, 'USDT', '100000', wa)
    assert.equal(fx.shares, '100000000000')
    // USDT class B: 50/50.
    const full = await depositOk(app, b, 'USDT', '100000', wb)
    assert.deepEqual([full.to_reserve, full.to_yield, full.shares], ['50000', '50000', '100000000000'])
    assert.equal((await eventsOf(store(), a.id, 'deposit.confirmed')).length, 1)
    await advance(app, DAY_S)

    const trader = await createPartner(app, { name: 'Swapper' })
    await fund(app, trader, 'USDT', '10000')
    const quote = await quoteOk(app, trader, { pair: 'USD-IDR', side: 'SELL', amount: '2500' })
    const executed = await execute(app, trader, { quote_id: quote.quote_id, destination_address: wa })
    assert.equal(executed.statusCode, 200, executed.body)
    // Fee F = 30,308.39 IDRX (10,000 fixed + 5 bips of the gross); the corridor 30% is 909,251 minor.
    assert.equal(executed.json().platform_fee, '30308.39')
    // SPEC §15: the protocol's capital weighs too. Corridor TVL: the two vaults $100,000 each, the
    // protocol's USDT Reserve $4,500,000 and IDRX Reserve $1,800,000 (sandbox genesis, 90% of target):
    // $6,500,000. Each vault gets floor(909,251 / 65) = 13,988 IDRX-minor = 8,608 USDT-minor exactly
    // (13,988 × 10^6 / 1,625,000); index += 8,608 × 10^27 / 10^11. The protocol's parts and the global
    // 20% (no LP vaults there) stay with the treasury: 3,030,839 − 2 × 13,988 = 3,002,863.
    const index = 1_000000086080000000000000000n
    assert.equal((await variantRow(store(), 'USDT', 'fx')).indexRay, index)
    assert.equal((await variantRow(store(), 'USDT', 'full')).indexRay, index)
    assert.equal(await treasuryOf(store(), 'IDRX'), 3_002_863n)

    for (const [partner, ktoken, multiplier] of [
      [a, 'kUSD-fx', '1'],
      [b, 'kUSD-full', null],
    ] as const) {
      const position = await positionOf(app, partner, ktoken)
      assert.deepEqual(position, {
        asset: 'USDT',
        ktoken,
        class_a_multiplier: multiplier,
        shares: '100000000000',
        balance: '100000.008608',
        index: '1.00000008608',
        deposited: '100000',
        withdrawn: '0',
        earned: '0.008608',
        // Locks are over (24 h for USDT).
        locks: [],
        pending_deposits: '0',
        pending_withdrawals: [],
      })
    }
    const pools = (await get(app, a, '/v1/lp/pools')).json().pools
    const usd = pools.find((p: { asset: string }) => p.asset === 'USDT')
    const vault = (name: string, ktoken: string) => ({
      index: '1.00000008608',
      total_shares: '100000000000',
      tvl: '100000.008608',
      // (1.00000008608 − 1) × 36,500 % over the day since the deposit.
      growth_24h_pct: '0.0031',
      growth_7d_pct: null,
      growth_30d_pct: null,
      ...(name === '' ? {} : { vault: name, ktoken, multiplier: '1' }),
    })
    assert.deepEqual(usd, {
      asset: 'USDT',
      // The protocol's 4,500,000, class A's 100,000 and class B's 50,000, each class with its credit
      // (paid from Active USDT into the class's own Reserve account).
      reserve: '4650000.017216',
      yield: '50000',
      ownership: {
        reserve: { protocol: '4500000', class_a: '100000.008608', class_b: '50000.008608' },
        yield: { protocol: '0', class_b: '50000' },
      },
      tvl: { class_a: '100000.008608', class_b: '100000.008608' },
      variants: { 'kUSD-fx': vault('', ''), 'kUSD-full': vault('', '') },
      vaults: [vault('full', 'kUSD-full'), vault('fx', 'kUSD-fx')],
      // Issue 12: the venue's APY (null until its products are synced), what it paid, and the split.
      venue: {
        apy: null,
        earned: '0',
        split: [
          { entity: 'lending', product_id: 'lend-usdt', pct: 50 },
          { entity: 'defi', product_id: 'defi-usdt', pct: 50 },
        ],
      },
    })
    const idr = pools.find((p: { asset: string }) => p.asset === 'IDRX')
    assert.deepEqual(idr.tvl, { class_a: '0', class_b: '0' })
    assert.equal(idr.variants['kIDR-fx'].index, '1')
    await ledgerOk(store())
  })
})

describeEachDialect('LP yield events', ({ store }) => {
  let app: TestApp
  before(async () => {
    app = await createTestApp(store())
    await setMarket(app)
  })
  after(() => app.close())

  it('a profit raises only -full, a loss lowers only -full; class A unchanged; audited', T, async () => {
    const [wa, wb] = [walletAddress(31), walletAddress(32)]
    const a = await readyLp(app, { liquidityClass: 'A', wallet: wa, funds: { USDT: ['100000'] } })
    const b = await readyLp(app, { liquidityClass: 'B', wallet: wb, funds: { USDT: ['100100'] } })
    await coolWallets(app)
    await depositOk(app, a, 'USDT', '100000', wa)
    await depositOk(app, b, 'USDT', '100000', wb)
    const yieldEvent = (amount: string, asset = 'USDT') =>
      app.admin('POST', '/admin/v1/yield/events', { asset, amount, reason: `venue report ${amount}` })

    // +1,000 USDT over 10^11 shares: index 1.01 exactly.
    const profit = await yieldEvent('1000')
    assert.equal(profit.statusCode, 200, profit.body)
    const applied = profit.json() as Record<string, string>
    assert.deepEqual(
      { ...applied, entry_id: 'e' },
      // All the venue holds is class B's: all the profit is class B's (SPEC §15: shared by venue capital).
      {
        asset: 'USDT',
        ktoken: 'kUSD-full',
        amount: '1000',
        class_b: '1000',
        protocol: '0',
        index: '1.01',
        entry_id: 'e',
      },
    )
    assert.match(applied.entry_id as string, /^[0-9]+$/)
    assert.equal((await positionOf(app, b, 'kUSD-full')).balance, '101000')
    assert.equal((await positionOf(app, b, 'kUSD-full')).earned, '1000')
    assert.equal((await positionOf(app, a, 'kUSD-fx')).balance, '100000')
    assert.equal((await variantRow(store(), 'USDT', 'fx')).indexRay, 10n ** 27n)
    assert.equal(await yieldOf(store(), 'USDT'), usdt('51000'))

    // At index 1.01 one minor unit is worth less than a share: refused rather than taken for nothing.
    expectError(
      await deposit(app, b, { asset: 'USDT', amount: '0.000001', from_address: wb }),
      400,
      'DEPOSIT_TOO_SMALL',
    )
    // 100 USDT: floor(10^8 / 1.01) = 99,009,900 shares, worth ceil(99,999,999) → 0.000001 stays with the LP.
    const more = await depositOk(app, b, 'USDT', '100', wb)
    assert.deepEqual(
      [more.shares, more.amount, more.change, more.to_reserve, more.to_yield, more.ktoken_balance],
      ['99009900', '99.999999', '0.000001', '49.999999', '50', '101099.999999'],
    )

    // −2,000 USDT: index −= ceil(2·10^9 × 10^27 / 100,099,009,900) → 0.990019782393472005760568466.
    const loss = await yieldEvent('-2000')
    assert.equal(loss.statusCode, 200, loss.body)
    assert.equal(loss.json().index, '0.990019782393472005760568466')
    assert.deepEqual([loss.json().class_b, loss.json().protocol], ['-2000', '0'])
    const hit = await positionOf(app, b, 'kUSD-full')
    // The claim falls by 2,000.000001: the loss rounds against the holders, never against the pool.
    assert.deepEqual(
      [hit.balance, hit.deposited, hit.earned],
      ['99099.999998', '100099.999999', '-1000.000001'],
    )
    assert.equal((await positionOf(app, a, 'kUSD-fx')).balance, '100000')
    assert.equal((await variantRow(store(), 'USDT', 'fx')).indexRay, 10n ** 27n)
    assert.equal(await yieldOf(store(), 'USDT'), usdt('49050'))

    // Nothing of MYRC is at the venue: nobody to gain or lose (SPEC §7.2: no update on an empty variant).
    const empty = await yieldEvent('10', 'MYRC')
    assert.match(expectError(empty, 422, 'KTOKEN_EMPTY_VARIANT').message, /MYRC Yield pool holds nothing/)
    // A loss the Yield pool cannot cover is refused; nothing moved.
    expectError(await yieldEvent('-49050.000001'), 422, 'INSUFFICIENT_FUNDS')
    expectError(await yieldEvent('0'), 400, 'VALIDATION_ERROR')
    assert.equal(await yieldOf(store(), 'USDT'), usdt('49050'))

    const audit = await app.admin('GET', '/admin/v1/audit?action=yield.event')
    const items = audit.json().items as { actor: string; target_id: string; after: Record<string, string> }[]
    assert.deepEqual(
      items.map((i) => [i.target_id, i.after.amount, i.after.reason, i.after.index]),
      [
        ['sandbox:kUSD-full', '-2000', 'venue report -2000', '0.990019782393472005760568466'],
        ['sandbox:kUSD-full', '1000', 'venue report 1000', '1.01'],
      ],
    )
    assert.ok(items.every((i) => i.actor.startsWith('admin')))
    await ledgerOk(store())
  })
})

describeEachDialect('LP withdrawals through the queue', ({ store }) => {
  let app: TestApp
  before(async () => {
    app = await createTestApp(store())
    await setMarket(app)
  })
  after(() => app.close())

  it('standard in NORMAL: COMPLETED at once, paid from Reserve; events queued and completed', T, async () => {
    const wallet = walletAddress(41)
    const lp = await readyLp(app, { liquidityClass: 'A', wallet, funds: { USDT: ['300000'] } })
    await coolWallets(app)
    await depositOk(app, lp, 'USDT', '300000', wallet)
    await advance(app, DAY_S)
    const reserve = await reserveOf(store(), 'USDT')
    const done = await withdrawOk(app, lp, {
      asset: 'USDT',
      variant: 'fx',
      amount: '10000',
      to_address: wallet,
    })
    assert.deepEqual(
      [done.tier, done.status, done.paid, done.shares, done.position, done.completed_at],
      ['STANDARD', 'COMPLETED', '10000', '10000000000', null, done.requested_at],
    )
    assert.equal(done.tranches.length, 1)
    assert.equal(done.tranches[0].pool, 'RESERVE')
    assert.match(done.tranches[0].tx_hash, /^0x[0-9a-f]{64}$/)
    assert.equal(await reserveOf(store(), 'USDT'), reserve - usdt('10000'))
    const listed = (await get(app, lp, '/v1/lp/withdrawals')).json().withdrawals
    assert.deepEqual(
      listed.map((w: { withdrawal_id: string; status: string; position: number | null }) => [
        w.withdrawal_id,
        w.status,
        w.position,
      ]),
      [[done.withdrawal_id, 'COMPLETED', null]],
    )
    const queued = await eventsOf(store(), lp.id, 'withdrawal.queued')
    const completed = await eventsOf(store(), lp.id, 'withdrawal.completed')
    assert.deepEqual(
      [
        queued.map((e) => e.data.status),
        completed.map((e) => [e.data.withdrawal_id, e.data.status, e.data.paid]),
      ],
      [['QUEUED'], [[done.withdrawal_id, 'COMPLETED', '10000']]],
    )
    const position = await positionOf(app, lp, 'kUSD-fx')
    assert.deepEqual([position.balance, position.withdrawn, position.earned], ['290000', '10000', '0'])
    await ledgerOk(store())
  })

  it(
    'large (class B): QUEUED with 24 h notice, tranches paid from Yield then Reserve as the clock moves',
    T,
    async () => {
      const wallet = walletAddress(42)
      const lp = await readyLp(app, { liquidityClass: 'B', wallet, funds: { USDT: ['200000'] } })
      await coolWallets(app)
      await depositOk(app, lp, 'USDT', '200000', wallet)
      await advance(app, DAY_S)
      const requestedAt = sandboxNow(app)
      const at = (hours: number) => new Date(requestedAt + hours * HOUR_MS).toISOString()
      const queued = await withdrawOk(app, lp, {
        asset: 'USDT',
        variant: 'full',
        amount: '120000',
        to_address: wallet,
      })
      assert.deepEqual(
        [queued.tier, queued.status, queued.paid, queued.position],
        ['LARGE', 'QUEUED', '0', 1],
      )
      const reserve = await reserveOf(store(), 'USDT')
      assert.equal(await yieldOf(store(), 'USDT'), usdt('100000'))
      const view = async () => {
        const all = (await get(app, lp, '/v1/lp/withdrawals')).json().withdrawals
        return all.find((w: { withdrawal_id: string }) => w.withdrawal_id === queued.withdrawal_id)
      }
      // The notice runs: nothing is due a second before 24 h.
      assert.equal(await runWithdrawalWorker(app), 0)
      await advance(app, DAY_S - 1)
      assert.equal(await runWithdrawalWorker(app), 0)
      assert.equal((await positionOf(app, lp, 'kUSD-full')).pending_withdrawals[0]?.owed, '120000')

      await advance(app, 1)
      assert.equal(await runWithdrawalWorker(app), 1)
      let now = await view()
      assert.deepEqual([now.status, now.paid, now.position], ['PROCESSING', '50000', 1])
      assert.deepEqual(
        now.tranches.map((t: { pool: string | null; paid_at: string | null }) => [t.pool, t.paid_at]),
        [
          ['YIELD', at(24)],
          [null, null],
          [null, null],
        ],
      )
      assert.equal(await yieldOf(store(), 'USDT'), usdt('50000'))
      // The second tranche is not due before 12 h more.
      await advance(app, 12 * HOUR_S - 1)
      assert.equal(await runWithdrawalWorker(app), 0)
      await advance(app, 1)
      assert.equal(await runWithdrawalWorker(app), 1)
      assert.equal(await yieldOf(store(), 'USDT'), 0n)
      // Yield is empty: the third tranche comes from Reserve.
      await advance(app, 12 * HOUR_S)
      assert.equal(await runWithdrawalWorker(app), 1)
      now = await view()
      assert.deepEqual(
        [now.status, now.paid, now.position, now.completed_at],
        ['COMPLETED', '120000', null, at(48)],
      )
      assert.deepEqual(
        now.tranches.map((t: { n: number; amount: string; pool: string; paid_at: string }) => [
          t.n,
          t.amount,
          t.pool,
          t.paid_at,
        ]),
        [
          [1, '50000', 'YIELD', at(24)],
          [2, '50000', 'YIELD', at(36)],
          [3, '20000', 'RESERVE', at(48)],
        ],
      )
      assert.equal(await reserveOf(store(), 'USDT'), reserve - usdt('20000'))
      const [completed] = await eventsOf(store(), lp.id, 'withdrawal.completed')
      assert.equal(completed?.data.withdrawal_id, queued.withdrawal_id)
      assert.equal(completed?.data.to_address, checksummed(wallet))
      assert.equal((await positionOf(app, lp, 'kUSD-full')).pending_withdrawals.length, 0)
      await ledgerOk(store())
    },
  )

  it(
    'a queued withdrawal whose wallet left the whitelist is REJECTED and its shares come back',
    T,
    async () => {
      const wallet = walletAddress(43)
      const lp = await readyLp(app, { liquidityClass: 'A', wallet, funds: { tnSGD: ['100000'] } })
      await coolWallets(app)
      await depositOk(app, lp, 'tnSGD', '100000', wallet)
      await advance(app, 2 * DAY_S)
      // 70,000 tnSGD at 1.3 per USD is $53,846: LARGE.
      const queued = await withdrawOk(app, lp, {
        asset: 'tnSGD',
        variant: 'fx',
        amount: '70000',
        to_address: wallet,
      })
      assert.equal(queued.tier, 'LARGE')
      assert.equal((await positionOf(app, lp, 'kSGD-fx')).balance, '30000')
      const removed = await app.admin('DELETE', `/admin/v1/partners/${lp.id}/wallets/${wallet}`)
      assert.equal(removed.statusCode, 200, removed.body)
      await advance(app, DAY_S)
      assert.equal(await runWithdrawalWorker(app), 0)
      const [rejected] = (await get(app, lp, '/v1/lp/withdrawals')).json().withdrawals
      assert.deepEqual(
        [rejected.withdrawal_id, rejected.status, rejected.paid, rejected.position],
        [queued.withdrawal_id, 'REJECTED', '0', null],
      )
      assert.match(rejected.reason, /whitelist/)
      const back = await positionOf(app, lp, 'kSGD-fx')
      assert.deepEqual([back.shares, back.balance, back.withdrawn], ['100000000000', '100000', '0'])
      await ledgerOk(store())
    },
  )

  it('corridor RESTRICT → SLOW: at most $10K per hour from the pool, the rest an hour later', T, async () => {
    const wallet = walletAddress(46)
    const lp = await readyLp(app, { liquidityClass: 'A', wallet, funds: { tnSGD: ['40000'] } })
    await coolWallets(app)
    await depositOk(app, lp, 'tnSGD', '40000', wallet)
    await advance(app, 2 * DAY_S)
    const override = await app.inject({
      method: 'POST',
      url: '/v1/reserve/state-override',
      headers: { authorization: `Bearer ${OPS_TOKEN}` },
      payload: {
        corridor: 'USD-SGD',
        state: 'RESTRICT',
        reason: 'LP SLOW test',
        expires_at: new Date(sandboxNow(app) + 2 * HOUR_MS).toISOString(),
        environment: 'sandbox',
      },
    })
    assert.equal(override.statusCode, 200, override.body)
    const requestedAt = sandboxNow(app)
    const at = (ms: number) => new Date(requestedAt + ms).toISOString()
    // 26,000 tnSGD = $20,000: standard, but SLOW pays $10,000 = 13,000 tnSGD now and the rest in an hour.
    const slow = await withdrawOk(app, lp, {
      asset: 'tnSGD',
      variant: 'fx',
      amount: '26000',
      to_address: wallet,
    })
    assert.deepEqual(
      [slow.tier, slow.status, slow.paid, slow.position],
      ['STANDARD', 'PROCESSING', '13000', 1],
    )
    assert.deepEqual(
      slow.tranches.map((t: { n: number; due_at: string; amount: string; pool: string | null }) => [
        t.n,
        t.due_at,
        t.amount,
        t.pool,
      ]),
      [
        [1, at(0), '13000', 'RESERVE'],
        [2, at(HOUR_MS), '13000', null],
      ],
    )
    await advance(app, HOUR_S - 1)
    assert.equal(await runWithdrawalWorker(app), 0)
    await advance(app, 1)
    assert.equal(await runWithdrawalWorker(app), 1)
    const [done] = (await get(app, lp, '/v1/lp/withdrawals')).json().withdrawals
    assert.deepEqual([done.status, done.paid, done.completed_at], ['COMPLETED', '26000', at(HOUR_MS)])
    // The override runs out; the queue is NORMAL again.
    await advance(app, HOUR_S)
    await ledgerOk(store())
  })

  it('a standard withdrawal in NORMAL is not held behind another LP’s large one', T, async () => {
    const [wa, wb] = [walletAddress(44), walletAddress(45)]
    const big = await readyLp(app, { liquidityClass: 'B', wallet: wb, funds: { IDRX: ['2000000000'] } })
    const small = await readyLp(app, { liquidityClass: 'A', wallet: wa, funds: { IDRX: ['100000000'] } })
    await coolWallets(app)
    await depositOk(app, big, 'IDRX', '2000000000', wb)
    await depositOk(app, small, 'IDRX', '100000000', wa)
    await advance(app, 3 * DAY_S)
    // 1,000,000,000 IDR ≈ $61,538: LARGE, 24 h notice.
    const large = await withdrawOk(app, big, {
      asset: 'IDRX',
      variant: 'full',
      amount: '1000000000',
      to_address: wb,
    })
    assert.equal(large.status, 'QUEUED')
    // 10,000,000 IDR ≈ $615: standard, paid from Reserve at once in NORMAL (SPEC §7.5).
    const standard = await withdrawOk(app, small, {
      asset: 'IDRX',
      variant: 'fx',
      amount: '10000000',
      to_address: wa,
    })
    // Another LP's large withdrawal waiting out its own notice does not hold a later standard one that
    // is due now: the FIFO orders what is due.
    assert.equal(standard.status, 'COMPLETED')
  })
})

describeEachDialect('LP first deposit into an empty variant', ({ store }) => {
  let app: TestApp
  before(async () => {
    app = await createTestApp(store())
    await setMarket(app)
  })
  after(() => app.close())

  it('cannot be front-run into a share-inflation attack: a later depositor loses nothing', T, async () => {
    const [wa, wv] = [walletAddress(51), walletAddress(52)]
    const attacker = await readyLp(app, { liquidityClass: 'B', wallet: wa, funds: { tnSGD: ['1'] } })
    const victim = await readyLp(app, { liquidityClass: 'B', wallet: wv, funds: { tnSGD: ['1000'] } })
    await coolWallets(app)
    // One share of kSGD-full, the only tnSGD LP, in the global scope of a USD-IDR swap.
    const dust = await depositOk(app, attacker, 'tnSGD', '0.000001', wa)
    assert.deepEqual([dust.shares, dust.to_reserve, dust.to_yield], ['1', '0', '0.000001'])
    const trader = await createPartner(app, { name: 'Swapper' })
    await fund(app, trader, 'USDT', '10000')
    const quote = await quoteOk(app, trader, { pair: 'USD-IDR', side: 'SELL', amount: '2500' })
    const executed = await execute(app, trader, { quote_id: quote.quote_id, destination_address: wv })
    assert.equal(executed.json().platform_fee, '30308.39')
    // SPEC §15: the protocol's capital weighs in the scope (tnSGD $1.8M, MYRC $0.9M of Reserve), so one
    // share worth 0.000001 tnSGD earns floor(606,167 × 0.00000077 / 2,700,000.00000077) = 0: the index
    // cannot be pumped by being alone in a pool. (The index maths refuses the donation attack on its own
    // too: test/liquidity/ktoken.test.ts.)
    assert.equal((await variantRow(store(), 'tnSGD', 'full')).indexRay, 10n ** 27n)
    const made = await depositOk(app, victim, 'tnSGD', '1000', wv)
    assert.deepEqual(
      [made.shares, made.amount, made.change, made.ktoken_balance],
      ['1000000000', '1000', '0', '1000'],
    )
    const position = await positionOf(app, victim, 'kSGD-full')
    assert.deepEqual([position.balance, position.deposited, position.earned], ['1000', '1000', '0'])
    await ledgerOk(store())
  })
})
