/**
 * The issue 9 scenario (SPEC §7.1–§7.3, §15): two class A LPs (class A
 * multipliers 0.3 and 1.0) and one class B LP deposit USDT; a day of
 * two-sided USD-IDR swaps runs at fixed mids on the manual clock; class B
 * withdraws twice; then the venue loses more than class B's remaining
 * claim. Every balance is asserted to the smallest unit against values
 * computed independently, with exact fractions, from SPEC §7.2, §7.3 and
 * §15 (the derivation is below): class A is untouched by the loss, class B
 * absorbs it down to zero, and the treasury absorbs the rest.
 */
import assert from 'node:assert/strict'
import { after, before, it } from 'node:test'
import { ownedPoolAccount, protocolAccount } from '../../src/ledger/accounts.ts'
import { postEntry } from '../../src/ledger/journal.ts'
import { createPartner, createTestApp, setMarket, type TestApp, type TestPartner } from '../support/app.ts'
import { describeEachDialect } from '../support/databases.ts'
import { execute, fund, quoteOk } from '../trading/support.ts'
import {
  accountBalance,
  advance,
  coolWallets,
  depositOk,
  ledgerOk,
  ownedOf,
  positionOf,
  readyLp,
  treasuryOf,
  variantRow,
  walletAddress,
  withdrawOk,
} from './lp-support.ts'

const T = { timeout: 30_000 }

/*
 * Derivation (a short script with Python's fractions.Fraction, following SPEC §7.2, §7.3 and §15;
 * every division rounds as named):
 *
 *   RAY = 10^27; mid 1 USD = 16,250 IDR (setMarket). Deposits mint at index 1: shares = minor units.
 *   Corridor scope of a USD-IDR swap = the USDT and IDRX pools. Its TVL (USD at mid) = every vault's
 *   claim floor(shares × index / RAY) + the protocol's own Reserve and Yield capital (SPEC §15): USDT
 *   4,500,000 and IDRX 1,800,000 (sandbox genesis, 90% of target) — $6,600,000 and change.
 *   Each vault's weight = its claim × its multiplier (fx@0.3: 0.3; fx and full: 1).
 *   For each swap's fee F (platform_fee, destination asset): corridor share C = floor(F × 30 / 100);
 *   credit = floor(C × weight / TVL), converted to USDT at mid (floor(x × 10^6 / 1,625,000) for IDRX);
 *   index += floor(credit × RAY / shares). The global 20% has no LP vaults (only protocol capital):
 *   treasury = F − Σ credits.
 *
 *   Swap 1 (SELL 2,500 USDT, F = 3,030,839 IDRX-minor, C = 909,251, TVL $6,600,000): credits
 *   fx@0.3 floor(909,251 × 30,000 / 6,600,000) = 4,132 IDRX-minor → 2,542 USDT-minor; fx and full
 *   13,776 → 8,477 each. Seven more swaps, two-sided (SWAPS), the same way.
 *   After the day: fx@0.3 index 1.00000037967, fx and full 1.00000126573; the 0.3× LP earned
 *   0.037967 and the 1× LP 0.126573 (0.3 × 0.126573 = 0.0379719: the floors of eight credits).
 *   Treasury: USDT 13,585,093, IDRX 22,702,634 minor.
 *
 *   Withdrawals of class B, at index 1.00000126573: 20,000 USDT escrows ceil(2·10^10 × RAY / index)
 *   = 19,999,974,686 shares, paid floor(shares × index / RAY) = 20,000.000000; 25,000 escrows
 *   24,999,968,357 shares, paid 25,000.000000. Class B keeps 55,000,056,957 shares, a claim of
 *   55,000.126572; its capital is its Reserve 50,000 + 0.126573 − 45,000 = 5,000.126573 and its Yield
 *   50,000.
 *   The treasury's own 30,000 USDT are at the venue too (booked below). The venue loses 70,000:
 *   class B's 50,000 there, then 20,000 of the treasury's; class B absorbs its whole claim
 *   (55,000.126572: its index goes to its floor, every balance 0), so its Reserve makes the treasury
 *   whole for 5,000.126572; the treasury absorbs 70,000 − 55,000.126572 = 14,999.873428.
 *   Class B's Reserve keeps 0.000001 (rounding, in the pools' favour); treasury USDT 13.585093 +
 *   5,000.126572 = 5,013.711665; the protocol's Yield 10,000.
 */

/** Each swap: side, source amount, the quote's rate and fee tier, the settled platform fee. */
const SWAPS = [
  { side: 'SELL', amount: '2500', rate: '16246.709375', tier: 'SMALL', fee: '30308.39', feeAsset: 'IDRX' },
  {
    side: 'BUY',
    amount: '65000000',
    rate: '16253.28241896',
    tier: 'SMALL',
    fee: '2.614982',
    feeAsset: 'USDT',
  },
  {
    side: 'SELL',
    amount: '12000',
    rate: '16246.55558345',
    tier: 'MEDIUM',
    fee: '74737.61',
    feeAsset: 'IDRX',
  },
  {
    side: 'BUY',
    amount: '243750000',
    rate: '16253.37060853',
    tier: 'MEDIUM',
    fee: '5.499067',
    feeAsset: 'USDT',
  },
  { side: 'SELL', amount: '800', rate: '16246.73711603', tier: 'MICRO', fee: '20397.92', feeAsset: 'IDRX' },
  {
    side: 'BUY',
    amount: '8125000',
    rate: '16253.25407758',
    tier: 'MICRO',
    fee: '1.015305',
    feeAsset: 'USDT',
  },
  {
    side: 'SELL',
    amount: '18000',
    rate: '16246.45993842',
    tier: 'MEDIUM',
    fee: '103980.89',
    feeAsset: 'IDRX',
  },
  {
    side: 'BUY',
    amount: '195000000',
    rate: '16253.34617245',
    tier: 'MEDIUM',
    fee: '4.599259',
    feeAsset: 'USDT',
  },
] as const

describeEachDialect(
  'LP scenario: class A at 0.3× and 1×, class B, two withdrawals, a venue loss beyond class B',
  ({ store }) => {
    let app: TestApp
    const lp: Record<'A03' | 'A10' | 'B', TestPartner> = {} as never
    before(async () => {
      app = await createTestApp(store())
      await setMarket(app)
    })
    after(() => app.close())

    it('every LP balance to the smallest unit', T, async () => {
      lp.A03 = await readyLp(app, {
        name: 'Issuer (class A, 0.3×)',
        liquidityClass: 'A',
        classAMultiplier: '0.3',
        wallet: walletAddress(1),
        funds: { USDT: ['100000'] },
      })
      lp.A10 = await readyLp(app, {
        name: 'Retail (class A, 1.0×)',
        liquidityClass: 'A',
        wallet: walletAddress(2),
        funds: { USDT: ['100000'] },
      })
      lp.B = await readyLp(app, {
        name: 'Fund (class B)',
        liquidityClass: 'B',
        wallet: walletAddress(3),
        funds: { USDT: ['100000'] },
      })
      await coolWallets(app)
      for (const [who, wallet] of [
        ['A03', 1],
        ['A10', 2],
        ['B', 3],
      ] as const) {
        await depositOk(app, lp[who], 'USDT', '100000', walletAddress(wallet))
      }
      // Class A capital is class A's own Reserve account; class B's splits 50/50 into its own accounts.
      assert.equal(await ownedOf(store(), 'USDT', 'RESERVE', 'class_a'), 200_000_000_000n)
      assert.equal(await ownedOf(store(), 'USDT', 'RESERVE', 'class_b'), 50_000_000_000n)
      assert.equal(await ownedOf(store(), 'USDT', 'YIELD', 'class_b'), 50_000_000_000n)

      const trader = await createPartner(app, { name: 'Day trader' })
      await fund(app, trader, 'USDT', '100000')
      await fund(app, trader, 'IDRX', '1000000000')
      for (const swap of SWAPS) {
        await advance(app, 3 * 3600)
        const quote = await quoteOk(app, trader, { pair: 'USD-IDR', side: swap.side, amount: swap.amount })
        assert.equal(quote.state_flag, 'NORMAL')
        assert.equal(quote.rate, swap.rate)
        assert.equal(quote.fee_breakdown.tier, swap.tier)
        const executed = await execute(app, trader, {
          quote_id: quote.quote_id,
          destination_address: walletAddress(99),
        })
        assert.equal(executed.statusCode, 200, executed.body)
        assert.equal(executed.json().status, 'SETTLED')
        assert.equal(executed.json().platform_fee, swap.fee)
        assert.equal(executed.json().platform_fee_currency, swap.feeAsset)
      }

      // After the day: each class A LP at its own multiplier (SPEC §15), to the unit derived above.
      assert.equal((await variantRow(store(), 'USDT', 'fx@0.3')).indexRay, 1_000000379670000000000000000n)
      assert.equal((await variantRow(store(), 'USDT', 'fx')).indexRay, 1_000001265730000000000000000n)
      assert.equal((await variantRow(store(), 'USDT', 'full')).indexRay, 1_000001265730000000000000000n)
      const earned = async (who: 'A03' | 'A10' | 'B') => {
        const position = await positionOf(app, lp[who], who === 'B' ? 'kUSD-full' : 'kUSD-fx')
        return [position.balance, position.earned]
      }
      assert.deepEqual(await earned('A03'), ['100000.037967', '0.037967'])
      assert.deepEqual(await earned('A10'), ['100000.126573', '0.126573'])
      assert.deepEqual(await earned('B'), ['100000.126573', '0.126573'])
      assert.equal(await treasuryOf(store(), 'USDT'), 13_585_093n)
      assert.equal(await treasuryOf(store(), 'IDRX'), 22_702_634n)
      for (const asset of ['USDT', 'IDRX'] as const) {
        assert.equal(await accountBalance(store(), protocolAccount('sandbox', asset, 'fee_escrow')), 0n)
      }

      // Two class B withdrawals, each escrowed and burned at the index of its payment.
      const out = { asset: 'USDT', variant: 'full', to_address: walletAddress(3) }
      const first = await withdrawOk(app, lp.B, { ...out, amount: '20000' })
      const second = await withdrawOk(app, lp.B, { ...out, amount: '25000' })
      assert.deepEqual(
        [first.status, first.shares, first.shares_paid, first.paid],
        ['COMPLETED', '19999974686', '19999974686', '20000'],
      )
      assert.deepEqual(
        [second.status, second.shares, second.shares_paid, second.paid],
        ['COMPLETED', '24999968357', '24999968357', '25000'],
      )
      // Paid from class B's own Reserve (SPEC §15): class A's account did not move.
      assert.equal(await ownedOf(store(), 'USDT', 'RESERVE', 'class_b'), 5_000_126_573n)
      assert.equal(await ownedOf(store(), 'USDT', 'RESERVE', 'class_a'), 200_000_164_540n)
      assert.deepEqual(await earned('B'), ['55000.126572', '0.126572'])

      // The treasury's own capital at the venue: 30,000 USDT (an operator deploys it; the venue
      // integration of a later issue books such moves — here one ledger entry stands for it).
      const seeded = await store().transaction((tx) =>
        postEntry(tx, {
          environment: 'sandbox',
          kind: 'treasury_deployment',
          reference: 'scenario-venue-capital',
          postings: [
            { account: protocolAccount('sandbox', 'USDT', 'protocol_liquidity'), amount: -30_000_000_000n },
            { account: ownedPoolAccount('sandbox', 'USDT', 'YIELD', 'protocol'), amount: 30_000_000_000n },
          ],
          atMs: app.stablefx.services.clocks.sandbox.now(),
        }),
      )
      assert.ok(seeded.ok)

      // The venue loses 70,000: more than class B's remaining claim of 55,000.126572.
      const loss = await app.admin('POST', '/admin/v1/yield/events', {
        asset: 'USDT',
        amount: '-70000',
        reason: 'venue insolvency',
      })
      assert.equal(loss.statusCode, 200, loss.body)
      assert.deepEqual([loss.json().class_b, loss.json().protocol], ['-55000.126572', '-14999.873428'])
      assert.equal((await variantRow(store(), 'USDT', 'full')).indexRay, 1n)
      assert.deepEqual(await earned('B'), ['0', '-55000'])
      // Class A untouched, to the unit.
      assert.deepEqual(await earned('A03'), ['100000.037967', '0.037967'])
      assert.deepEqual(await earned('A10'), ['100000.126573', '0.126573'])
      assert.equal(await ownedOf(store(), 'USDT', 'RESERVE', 'class_a'), 200_000_164_540n)
      // The treasury's absorption: its Yield capital lost 20,000 of the 70,000, class B's Reserve made it
      // whole for 5,000.126572 (what class B's claim exceeded its venue capital by), 0.000001 of rounding
      // stays with class B's account.
      assert.equal(await ownedOf(store(), 'USDT', 'YIELD', 'protocol'), 10_000_000_000n)
      assert.equal(await ownedOf(store(), 'USDT', 'YIELD', 'class_b'), 0n)
      assert.equal(await ownedOf(store(), 'USDT', 'RESERVE', 'class_b'), 1n)
      assert.equal(await treasuryOf(store(), 'USDT'), 5_013_711_665n)
      await ledgerOk(store())
    })
  },
)
