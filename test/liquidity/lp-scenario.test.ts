/**
 * The issue 5 scenario (SPEC §7.1–§7.3): two class A LPs (fee tier
 * multipliers 0.3 and 1.0) and two class B LPs deposit into USDT and IDRX
 * (and two of them into tnSGD, so the global 20% has holders), a day of
 * USD-IDR swaps runs at fixed mids on the manual clock, then a USDT yield
 * profit and a USDT yield loss arrive. Every LP balance is asserted to the
 * smallest unit against values computed independently, with exact fractions,
 * from SPEC §7.3 and the rounding rules of §7.2 (the derivation is below).
 */
import assert from 'node:assert/strict'
import { after, before, it } from 'node:test'
import { protocolAccount } from '../../src/ledger/accounts.ts'
import { createPartner, createTestApp, setMarket, type TestApp, type TestPartner } from '../support/app.ts'
import { describeEachDialect } from '../support/databases.ts'
import { execute, fund, get, quoteOk } from '../trading/support.ts'
import {
  accountBalance,
  advance,
  coolWallets,
  depositOk,
  ledgerOk,
  positionOf,
  readyLp,
  treasuryOf,
  variantRow,
  walletAddress,
} from './lp-support.ts'

const T = { timeout: 30_000 }

/*
 * Derivation (a short script with Python's fractions.Fraction, following
 * SPEC §7.2/§7.3; every division rounds as named):
 *
 *   RAY = 10^27; mids: 1 USD = 16,250 IDR = 1.3 SGD (setMarket). Deposits mint
 *   at index 1, so shares = amount in minor units.
 *   For each swap's fee F (platform_fee, in the destination asset):
 *     corridor share C = floor(F × 30 / 100)   (TXN_LP_SHARE_PCT)
 *     global share   G = floor(F × 20 / 100)   (GLOBAL_LP_SHARE_PCT)
 *     corridor scope = USDT and IDRX pools, global scope = tnSGD and MYRC pools.
 *     In a scope, TVL_total = Σ (every holder's floor(shares × index / RAY)) in USD at mid.
 *     class A weight of an asset = Σ holder TVL × its fee_tier_multiplier; class B weight = its TVL.
 *     credit(asset, variant) = floor(share × weight / TVL_total), in the fee asset,
 *       converted to the credited asset at mid, floor(x × to_per_usd × 10^to_dec / (from_per_usd × 10^from_dec)).
 *     index += floor(credit × RAY / total_shares); treasury = F − Σ credits (in fee-asset units)
 *       = the 50% KF share + what the 0.3 multiplier withholds + every rounding remainder.
 *   Yield: profit P → index += floor(P × RAY / S); loss L → index −= ceil(L × RAY / S) (kUSD-full only).
 *   Balance = floor(shares × index / RAY).
 *
 * Class weights at swap 1 (USD): USDT class A TVL 250,000, weight 0.3 × 100,000 + 1.0 × 150,000 = 180,000;
 *   USDT class B 280,000; IDRX class A TVL 130,000, weight 0.3 × 50,000 + 1.0 × 80,000 = 95,000;
 *   IDRX class B 100,000; corridor TVL_total 760,000. tnSGD class A 10,000 (weight 10,000), class B 50,000:
 *   global TVL_total 60,000.
 * Swap 1 worked through: F = 3,030,839 IDRX-minor (30,308.39 IDR); C = 909,251; G = 606,167.
 *   kUSD-fx   floor(909,251 × 180,000 / 760,000) = 215,348 → floor(215,348 × 10^6 / (16,250 × 10^2)) = 132,521 USDT-minor
 *   kUSD-full floor(909,251 × 280,000 / 760,000) = 334,987 → 206,145 USDT-minor
 *   kIDR-fx   floor(909,251 ×  95,000 / 760,000) = 113,656 IDRX-minor
 *   kIDR-full floor(909,251 × 100,000 / 760,000) = 119,638 IDRX-minor
 *   kSGD-fx   floor(606,167 ×  10,000 /  60,000) = 101,027 → floor(101,027 × 1.3 × 10^6 / (16,250 × 10^2)) = 80,821
 *   kSGD-full floor(606,167 ×  50,000 /  60,000) = 505,139 → 404,111 tnSGD-minor
 *   treasury  3,030,839 − 1,389,795 = 1,641,044 IDRX-minor (KF 1,515,419.5 + withheld + remainders)
 *   kUSD-fx index 1 + floor(132,521 × 10^27 / 250,000,000,000) / 10^27 = 1.000000530084
 *
 *   swap  side  source amount        fee F (minor)       C (30%)     G (20%)   treasury (minor)
 *   1     SELL  2,500 USDT         3,030,839 IDRX       909,251     606,167   1,641,044 IDRX
 *   2     BUY   65,000,000 IDR     2,614,982 USDT       784,494     522,996   1,415,879 USDT
 *   3     SELL  12,000 USDT        7,473,761 IDRX     2,242,128   1,494,752   4,046,652 IDRX
 *   4     BUY   243,750,000 IDR    5,499,067 USDT     1,649,720   1,099,813   2,977,460 USDT
 *   5     SELL  800 USDT           2,039,792 IDRX       611,937     407,958   1,104,443 IDRX
 *   6     BUY   8,125,000 IDR      1,015,305 USDT       304,591     203,061     549,739 USDT
 *   7     SELL  18,000 USDT       10,398,089 IDRX     3,119,426   2,079,617   5,630,022 IDRX
 *   8     BUY   195,000,000 IDR    4,599,259 USDT     1,379,777     919,851   2,490,262 USDT
 *   treasury totals: USDT 7,433,340 (7.43334), IDRX 12,422,161 (124,221.61), tnSGD 0.
 *   LP credits into Reserve: USDT 5,056,426, IDRX 3,483,154, tnSGD 7,240,218 (minor).
 *
 * Note: both class A LPs hold the one kUSD-fx index, so the 0.3 LP's balance grows at the same
 * rate as the 1.0 LP's: the multipliers set the class A total, not each class A LP's part.
 */

/** Each swap: side, source amount, the quote's rate and fee breakdown, the settled platform fee. */
const SWAPS = [
  { side: 'SELL', amount: '2500', rate: '16246.709375', tier: 'SMALL', fee: '30308.39', feeAsset: 'IDRX' },
  {
    side: 'BUY',
    amount: '65000000',
    rate: '16253.28241897',
    tier: 'SMALL',
    fee: '2.614982',
    feeAsset: 'USDT',
  },
  {
    side: 'SELL',
    amount: '12000',
    rate: '16246.55558364',
    tier: 'MEDIUM',
    fee: '74737.61',
    feeAsset: 'IDRX',
  },
  {
    side: 'BUY',
    amount: '243750000',
    rate: '16253.37060857',
    tier: 'MEDIUM',
    fee: '5.499067',
    feeAsset: 'USDT',
  },
  { side: 'SELL', amount: '800', rate: '16246.73711608', tier: 'MICRO', fee: '20397.92', feeAsset: 'IDRX' },
  {
    side: 'BUY',
    amount: '8125000',
    rate: '16253.25407757',
    tier: 'MICRO',
    fee: '1.015305',
    feeAsset: 'USDT',
  },
  {
    side: 'SELL',
    amount: '18000',
    rate: '16246.45993967',
    tier: 'MEDIUM',
    fee: '103980.89',
    feeAsset: 'IDRX',
  },
  {
    side: 'BUY',
    amount: '195000000',
    rate: '16253.34617244',
    tier: 'MEDIUM',
    fee: '4.599259',
    feeAsset: 'USDT',
  },
] as const

describeEachDialect(
  'LP scenario: two class A, two class B, a day of swaps, yield up then down',
  ({ store }) => {
    let app: TestApp
    const lp: Record<'A1' | 'A2' | 'B1' | 'B2', TestPartner> = {} as never
    before(async () => {
      app = await createTestApp(store())
      await setMarket(app)
    })
    after(() => app.close())

    it('every LP balance to the smallest unit', T, async () => {
      lp.A1 = await readyLp(app, {
        name: 'Issuer (class A, 0.3×)',
        liquidityClass: 'A',
        feeTierMultiplier: '0.3',
        wallet: walletAddress(1),
        funds: { USDT: ['100000'], IDRX: ['812500000'] },
      })
      lp.A2 = await readyLp(app, {
        name: 'Institution (class A, 1.0×)',
        liquidityClass: 'A',
        feeTierMultiplier: '1.0',
        wallet: walletAddress(2),
        funds: { USDT: ['150000'], IDRX: ['1300000000'], tnSGD: ['13000'] },
      })
      lp.B1 = await readyLp(app, {
        name: 'Fund (class B)',
        liquidityClass: 'B',
        wallet: walletAddress(3),
        funds: { USDT: ['200000'], IDRX: ['975000000'], tnSGD: ['65000'] },
      })
      lp.B2 = await readyLp(app, {
        name: 'Aggregator (class B)',
        liquidityClass: 'B',
        wallet: walletAddress(4),
        funds: { USDT: ['80000'], IDRX: ['650000000'] },
      })
      await coolWallets(app)
      // All of it enters the pools (Reserve rooms: USDT $500K, IDRX $200K, tnSGD $200K; Yield is empty).
      const deposits = [
        ['A1', 'USDT', '100000', 1, '100000', '0'],
        ['A2', 'USDT', '150000', 2, '150000', '0'],
        ['B1', 'USDT', '200000', 3, '100000', '100000'],
        ['B2', 'USDT', '80000', 4, '40000', '40000'],
        ['A1', 'IDRX', '812500000', 1, '812500000', '0'],
        ['A2', 'IDRX', '1300000000', 2, '1300000000', '0'],
        ['B1', 'IDRX', '975000000', 3, '585000000', '390000000'],
        ['B2', 'IDRX', '650000000', 4, '390000000', '260000000'],
        ['A2', 'tnSGD', '13000', 2, '13000', '0'],
        ['B1', 'tnSGD', '65000', 3, '32500', '32500'],
      ] as const
      for (const [who, asset, amount, wallet, toReserve, toYield] of deposits) {
        const made = await depositOk(app, lp[who], asset, amount, walletAddress(wallet))
        assert.deepEqual(
          [made.to_reserve, made.to_yield, made.pending, made.change, made.status],
          [toReserve, toYield, '0', '0', 'CONFIRMED'],
          `${who} ${asset}`,
        )
      }

      const trader = await createPartner(app, { name: 'Day trader' })
      await fund(app, trader, 'USDT', '100000')
      await fund(app, trader, 'IDRX', '1000000000')
      for (const swap of SWAPS) {
        await advance(app, 2 * 3600)
        const quote = await quoteOk(app, trader, { pair: 'USD-IDR', side: swap.side, amount: swap.amount })
        assert.equal(quote.state_flag, 'NORMAL')
        assert.equal(quote.rate, swap.rate)
        assert.equal(quote.fee_breakdown.tier, swap.tier)
        assert.equal(quote.fee_breakdown.total_fee, swap.fee)
        const executed = await execute(app, trader, {
          quote_id: quote.quote_id,
          destination_address: walletAddress(99),
        })
        assert.equal(executed.statusCode, 200, executed.body)
        assert.equal(executed.json().status, 'SETTLED')
        assert.equal(executed.json().platform_fee, swap.fee)
        assert.equal(executed.json().platform_fee_currency, swap.feeAsset)
      }

      // After the day of swaps: every index and every balance as derived above.
      const indexes = {
        'USDT fx': 1_000007914392000000000000000n,
        'USDT full': 1_000010992242857142857142854n,
        'IDRX fx': 1_000008032752662721893491121n,
        'IDRX full': 1_000010992215384615384615380n,
        'tnSGD fx': 1_000092822769230769230769228n,
        'tnSGD full': 1_000092823415384615384615382n,
      }
      for (const [key, indexRay] of Object.entries(indexes)) {
        const [asset, variant] = key.split(' ') as ['USDT' | 'IDRX' | 'tnSGD', 'fx' | 'full']
        assert.equal((await variantRow(store(), asset, variant)).indexRay, indexRay, key)
      }
      const afterSwaps = [
        ['A1', 'kUSD-fx', '100000.791439', '0.791439'],
        ['A1', 'kIDR-fx', '812506526.61', '6526.61'],
        ['A2', 'kUSD-fx', '150001.187158', '1.187158'],
        ['A2', 'kIDR-fx', '1300010442.57', '10442.57'],
        ['A2', 'kSGD-fx', '13001.206695', '1.206695'],
        ['B1', 'kUSD-full', '200002.198448', '2.198448'],
        ['B1', 'kIDR-full', '975010717.4', '10717.4'],
        ['B1', 'kSGD-full', '65006.033521', '6.033521'],
        ['B2', 'kUSD-full', '80000.879379', '0.879379'],
        ['B2', 'kIDR-full', '650007144.93', '7144.93'],
      ] as const
      for (const [who, ktoken, balance, earned] of afterSwaps) {
        const position = await positionOf(app, lp[who], ktoken)
        assert.deepEqual([position.balance, position.earned], [balance, earned], `${who} ${ktoken}`)
      }
      assert.equal(await treasuryOf(store(), 'USDT'), 7_433_340n)
      assert.equal(await treasuryOf(store(), 'IDRX'), 12_422_161n)
      assert.equal(await treasuryOf(store(), 'tnSGD'), 0n)
      for (const asset of ['USDT', 'IDRX'] as const) {
        assert.equal(await accountBalance(store(), protocolAccount('sandbox', asset, 'fee_escrow')), 0n)
      }

      // A yield profit of 1,500 USDT, then a loss of 2,345.678901 USDT: kUSD-full only.
      // Profit: S = 280,000,000,000 shares; index += floor(1,500,000,000 × 10^27 / S) = 5,357,142,857,142,857,142,857,142.
      await advance(app, 2 * 3600)
      const profit = await app.admin('POST', '/admin/v1/yield/events', {
        asset: 'USDT',
        amount: '1500',
        reason: 'venue interest',
      })
      assert.equal(profit.statusCode, 200, profit.body)
      assert.equal(profit.json().index, '1.005368135099999999999999996')
      assert.equal((await positionOf(app, lp.B1, 'kUSD-full')).balance, '201073.627019')
      assert.equal((await positionOf(app, lp.B2, 'kUSD-full')).balance, '80429.450807')
      // Loss: index −= ceil(2,345,678,901 × 10^27 / S) = 8,377,424,646,428,571,428,571,429.
      await advance(app, 2 * 3600)
      const loss = await app.admin('POST', '/admin/v1/yield/events', {
        asset: 'USDT',
        amount: '-2345.678901',
        reason: 'venue loss',
      })
      assert.equal(loss.statusCode, 200, loss.body)
      assert.equal(loss.json().index, '0.996990710453571428571428567')

      const final = [
        ['A1', 'kUSD-fx', '100000.791439'],
        ['A1', 'kIDR-fx', '812506526.61'],
        ['A2', 'kUSD-fx', '150001.187158'],
        ['A2', 'kIDR-fx', '1300010442.57'],
        ['A2', 'kSGD-fx', '13001.206695'],
        ['B1', 'kUSD-full', '199398.14209'],
        ['B1', 'kIDR-full', '975010717.4'],
        ['B1', 'kSGD-full', '65006.033521'],
        ['B2', 'kUSD-full', '79759.256836'],
        ['B2', 'kIDR-full', '650007144.93'],
      ] as const
      for (const [who, ktoken, balance] of final) {
        assert.equal((await positionOf(app, lp[who], ktoken)).balance, balance, `${who} ${ktoken}`)
      }
      // Class A never sees yield: A1 and A2 earned exactly what the swaps gave them.
      assert.equal((await positionOf(app, lp.A1, 'kUSD-fx')).earned, '0.791439')
      assert.equal((await positionOf(app, lp.B2, 'kUSD-full')).earned, '-240.743164')

      // What the pools hold: genesis (Reserve 90% of target) + deposits + LP fee credits ± yield.
      const pools = (await get(app, lp.A1, '/v1/lp/pools')).json().pools as {
        asset: string
        reserve: string
        yield: string
        tvl: { class_a: string; class_b: string }
      }[]
      const byAsset = Object.fromEntries(pools.map((p) => [p.asset, p]))
      // USDT Reserve 4,500,000 + 390,000 + 5.056426; Yield 140,000 + 1,500 − 2,345.678901.
      assert.equal(byAsset.USDT?.reserve, '4890005.056426')
      assert.equal(byAsset.USDT?.yield, '139154.321099')
      assert.deepEqual(byAsset.USDT?.tvl, { class_a: '250001.978598', class_b: '279157.398926' })
      // IDRX Reserve 29,250,000,000 + 3,087,500,000 + 34,831.54; Yield 650,000,000.
      assert.equal(byAsset.IDRX?.reserve, '32337534831.54')
      assert.equal(byAsset.IDRX?.yield, '650000000')
      // tnSGD Reserve 2,340,000 + 45,500 + 7.240218; Yield 32,500.
      assert.equal(byAsset.tnSGD?.reserve, '2385507.240218')
      assert.equal(byAsset.tnSGD?.yield, '32500')
      await ledgerOk(store())
    })
  },
)
