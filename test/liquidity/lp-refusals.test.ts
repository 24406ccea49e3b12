/**
 * Every LP refusal over HTTP (issue 5 "Done when", SPEC §3 error style, §7,
 * §9): status, stable code and request id for a wallet that is not
 * whitelisted or still cooling, a lock period, deposit acceptance off, a
 * partner that is not an LP, the other class's kToken variant, more shares
 * than held, the withdrawal size tiers, a PAUSED queue and live deposits;
 * and the admin wallet whitelist API itself.
 */
import assert from 'node:assert/strict'
import { after, before, it } from 'node:test'
import { createManualClock } from '../../src/clock/clock.ts'
import { createTestApp, OPS_TOKEN, setMarket, T0, type TestApp } from '../support/app.ts'
import { describeEachDialect } from '../support/databases.ts'
import { balanceOf, expectError, get } from '../trading/support.ts'
import {
  addWallet,
  advance,
  checksummed,
  coolWallets,
  createLp,
  DAY_S,
  deposit,
  depositOk,
  eventsOf,
  HOUR_MS,
  ledgerOk,
  readyLp,
  sandboxIso,
  sandboxNow,
  walletAddress,
  whitelist,
  withdraw,
  withdrawOk,
} from './lp-support.ts'

const T = { timeout: 20_000 }

/** The admin's audit items for one action and partner, newest first. */
async function auditOf(app: TestApp, action: string, targetId: string) {
  const response = await app.admin('GET', `/admin/v1/audit?action=${action}&target_id=${targetId}`)
  assert.equal(response.statusCode, 200, response.body)
  return response.json().items as AuditItem[]
}

type AuditView = Record<string, unknown> & { address?: string; label?: string; deposit_acceptance?: boolean }
type AuditItem = {
  actor: string
  action: string
  before: AuditView | null
  after: AuditView | null
  at: string
}

describeEachDialect('LP refusals over HTTP', ({ store }) => {
  let app: TestApp
  let wallets = 100
  const nextWallet = () => walletAddress(wallets++)
  before(async () => {
    app = await createTestApp(store())
    await setMarket(app)
  })
  after(() => app.close())

  it(
    'admin wallet API: add (201, EIP-55), list, checksum refused, duplicate, delete, all audited',
    T,
    async () => {
      const lp = await createLp(app, { liquidityClass: 'A', name: 'Wallet owner' })
      const other = await createLp(app, { liquidityClass: 'A', name: 'Other LP' })
      const lower = nextWallet()
      const added = await addWallet(app, lp, lower, 'cold storage')
      assert.equal(added.statusCode, 201, added.body)
      const view = added.json()
      // The answer is the EIP-55 form of the all-lowercase address, stamped on the live clock (T0).
      assert.equal(view.address, checksummed(lower))
      assert.notEqual(view.address, lower)
      assert.equal(view.label, 'cold storage')
      assert.equal(view.added_at, new Date(T0).toISOString())
      assert.equal(view.usable_from, new Date(T0 + 24 * HOUR_MS).toISOString())
      assert.equal(view.usable, false)

      // A mixed-case address must carry a valid checksum: one flipped letter is refused.
      const good = checksummed(nextWallet())
      const flipped = good.replace(/[a-f]/, (c) => c.toUpperCase())
      assert.notEqual(flipped, good)
      const bad = await addWallet(app, lp, flipped)
      expectError(bad, 400, 'VALIDATION_ERROR')
      assert.match(bad.json().error.message, /EIP-55/)
      expectError(await addWallet(app, lp, '0x1234'), 400, 'VALIDATION_ERROR')
      // A correctly checksummed mixed-case address is accepted as is.
      const second = await addWallet(app, lp, good, 'hot wallet')
      assert.equal(second.statusCode, 201, second.body)
      assert.equal(second.json().address, good)
      // The same wallet twice is a conflict; an unknown partner is not found.
      expectError(await addWallet(app, lp, lower), 409, 'CONFLICT')
      const nobody = await app.admin(
        'POST',
        '/admin/v1/partners/00000000-0000-4000-8000-000000000000/wallets',
        {
          address: nextWallet(),
          label: 'x',
        },
      )
      expectError(nobody, 404, 'NOT_FOUND')
      // SPEC §14.4: a partner key on an admin route is refused with 403.
      const asPartner = await app.inject({
        method: 'POST',
        url: `/admin/v1/partners/${lp.id}/wallets`,
        headers: { authorization: `Bearer ${lp.sandboxKey}` },
        payload: { address: nextWallet(), label: 'mine' },
      })
      assert.equal(asPartner.statusCode, 403, asPartner.body)

      // GET /v1/wallets: the partner's own wallets only.
      const listed = await get(app, lp, '/v1/wallets')
      assert.equal(listed.statusCode, 200, listed.body)
      assert.deepEqual(
        listed.json().wallets.map((w: { address: string; label: string }) => [w.address, w.label]),
        [
          [checksummed(lower), 'cold storage'],
          [good, 'hot wallet'],
        ],
      )
      assert.deepEqual((await get(app, other, '/v1/wallets')).json().wallets, [])

      // Delete (by either spelling), then the wallet is gone and refused.
      const removed = await app.admin('DELETE', `/admin/v1/partners/${lp.id}/wallets/${lower}`)
      assert.equal(removed.statusCode, 200, removed.body)
      assert.deepEqual(removed.json(), { address: checksummed(lower) })
      expectError(await app.admin('DELETE', `/admin/v1/partners/${lp.id}/wallets/${lower}`), 404, 'NOT_FOUND')
      assert.deepEqual(
        (await get(app, lp, '/v1/wallets')).json().wallets.map((w: { address: string }) => w.address),
        [good],
      )
      await coolWallets(app)
      const refused = await deposit(app, lp, { asset: 'USDT', amount: '100', from_address: lower })
      const error = expectError(refused, 403, 'WALLET_NOT_WHITELISTED')
      assert.match(error.message, new RegExp(checksummed(lower)))

      // SPEC §9: every admin change is audited (who, what, before, after, when).
      const adds = await auditOf(app, 'wallet.add', lp.id)
      assert.equal(adds.length, 2)
      assert.deepEqual(
        adds.map((a) => [a.action, a.before, a.after?.address, a.after?.label]),
        [
          ['wallet.add', null, good, 'hot wallet'],
          ['wallet.add', null, checksummed(lower), 'cold storage'],
        ],
      )
      assert.ok(adds.every((a) => a.actor.startsWith('admin')))
      assert.equal(adds[1]?.at, new Date(T0).toISOString())
      const removes = await auditOf(app, 'wallet.remove', lp.id)
      assert.equal(removes.length, 1)
      assert.equal(removes[0]?.before?.address, checksummed(lower))
      assert.equal(removes[0]?.after, null)
    },
  )

  it(
    'a wallet not on the whitelist: 403 WALLET_NOT_WHITELISTED for deposits and withdrawals',
    T,
    async () => {
      const own = nextWallet()
      const stranger = nextWallet()
      const lp = await readyLp(app, { liquidityClass: 'A', wallet: own, funds: { USDT: ['1000'] } })
      // Another partner's wallet is not this partner's either.
      const other = await readyLp(app, { liquidityClass: 'A', wallet: stranger })
      await coolWallets(app)
      for (const from of [stranger, nextWallet()]) {
        const response = await deposit(app, lp, { asset: 'USDT', amount: '100', from_address: from })
        expectError(response, 403, 'WALLET_NOT_WHITELISTED')
      }
      await depositOk(app, lp, 'USDT', '100', own)
      await advance(app, DAY_S)
      const out = await withdraw(app, lp, {
        asset: 'USDT',
        variant: 'fx',
        amount: '10',
        to_address: stranger,
      })
      expectError(out, 403, 'WALLET_NOT_WHITELISTED')
      // A malformed address is a validation error, not a whitelist answer.
      expectError(
        await deposit(app, lp, { asset: 'USDT', amount: '100', from_address: '0xnot-an-address' }),
        400,
        'VALIDATION_ERROR',
      )
      // Nothing moved: the refused deposits took nothing from the faucet balance.
      assert.equal(await balanceOf(app, lp, 'USDT'), '900')
      const position = (await get(app, lp, '/v1/lp/positions')).json().positions
      assert.equal(position.length, 1)
      assert.equal(position[0].balance, '100')
      assert.equal((await get(app, other, '/v1/lp/positions')).json().positions.length, 0)
    },
  )

  it('deposit acceptance off: 403 DEPOSITS_DISABLED; on after an audited PATCH', T, async () => {
    const wallet = nextWallet()
    const lp = await readyLp(app, {
      liquidityClass: 'B',
      depositAcceptance: false,
      wallet,
      funds: { USDT: ['5000'] },
    })
    await coolWallets(app)
    const refused = await deposit(app, lp, { asset: 'USDT', amount: '1000', from_address: wallet })
    expectError(refused, 403, 'DEPOSITS_DISABLED')
    const patched = await app.admin('PATCH', `/admin/v1/partners/${lp.id}`, { deposit_acceptance: true })
    assert.equal(patched.statusCode, 200, patched.body)
    assert.equal(patched.json().deposit_acceptance, true)
    const [update] = await auditOf(app, 'partner.update', lp.id)
    assert.equal(update?.before?.deposit_acceptance, false)
    assert.equal(update?.after?.deposit_acceptance, true)
    const accepted = await depositOk(app, lp, 'USDT', '1000', wallet)
    assert.equal(accepted.status, 'CONFIRMED')
    assert.equal(accepted.ktoken, 'kUSD-full')
    // And off again: refused again.
    await app.admin('PATCH', `/admin/v1/partners/${lp.id}`, { deposit_acceptance: false })
    expectError(
      await deposit(app, lp, { asset: 'USDT', amount: '1000', from_address: wallet }),
      403,
      'DEPOSITS_DISABLED',
    )
  })

  it('a partner without a liquidity class is not an LP: 403 FORBIDDEN both ways', T, async () => {
    const wallet = nextWallet()
    const partner = await readyLp(app, { liquidityClass: null, wallet, funds: { USDT: ['1000'] } })
    await coolWallets(app)
    expectError(
      await deposit(app, partner, { asset: 'USDT', amount: '100', from_address: wallet }),
      403,
      'FORBIDDEN',
    )
    expectError(
      await withdraw(app, partner, { asset: 'USDT', variant: 'fx', amount: '10', to_address: wallet }),
      403,
      'FORBIDDEN',
    )
  })

  it('live deposits are refused in this version (403): they come from the chain watcher', T, async () => {
    const wallet = nextWallet()
    const lp = await readyLp(app, { liquidityClass: 'A', wallet })
    await coolWallets(app)
    app.clock.advance(24 * HOUR_MS)
    await setMarket(app)
    const response = await app.inject({
      method: 'POST',
      url: '/v1/lp/deposits',
      headers: lp.headers('live'),
      payload: { asset: 'USDT', amount: '100', from_address: wallet },
    })
    const error = expectError(response, 403, 'FORBIDDEN')
    assert.match(error.message, /live deposits/)
  })

  it('the other class’s variant: 400 WRONG_KTOKEN_VARIANT', T, async () => {
    const a = await createLp(app, { liquidityClass: 'A' })
    const b = await createLp(app, { liquidityClass: 'B' })
    const to = nextWallet()
    const wrongA = await withdraw(app, a, { asset: 'USDT', variant: 'full', amount: '10', to_address: to })
    assert.match(expectError(wrongA, 400, 'WRONG_KTOKEN_VARIANT').message, /kUSD-fx/)
    const wrongB = await withdraw(app, b, { asset: 'IDRX', variant: 'fx', amount: '10', to_address: to })
    assert.match(expectError(wrongB, 400, 'WRONG_KTOKEN_VARIANT').message, /kIDR-full/)
  })

  it('lock period (SPEC §7.1): USDT 24 h, IDRX 72 h from the deposit, then 201', T, async () => {
    const wallet = nextWallet()
    const lp = await readyLp(app, {
      liquidityClass: 'A',
      wallet,
      funds: { USDT: ['2000'], IDRX: ['20000000'] },
    })
    await coolWallets(app)
    const depositedAt = sandboxNow(app)
    const usd = await depositOk(app, lp, 'USDT', '1000', wallet)
    const idr = await depositOk(app, lp, 'IDRX', '10000000', wallet)
    assert.equal(usd.locked_until, new Date(depositedAt + 24 * HOUR_MS).toISOString())
    assert.equal(idr.locked_until, new Date(depositedAt + 72 * HOUR_MS).toISOString())
    const usdOut = { asset: 'USDT', variant: 'fx', amount: '100', to_address: wallet }
    const idrOut = { asset: 'IDRX', variant: 'fx', amount: '100000', to_address: wallet }

    const early = expectError(await withdraw(app, lp, usdOut), 409, 'LOCK_PERIOD_ACTIVE')
    assert.match(early.message, new RegExp(usd.locked_until))
    await advance(app, DAY_S - 1)
    expectError(await withdraw(app, lp, usdOut), 409, 'LOCK_PERIOD_ACTIVE')
    await advance(app, 1)
    const paid = await withdrawOk(app, lp, usdOut)
    assert.equal(paid.status, 'COMPLETED')
    assert.equal(paid.amount, '100')

    // IDRX is still locked at 24 h and a second before 72 h.
    expectError(await withdraw(app, lp, idrOut), 409, 'LOCK_PERIOD_ACTIVE')
    await advance(app, 2 * DAY_S - 1)
    expectError(await withdraw(app, lp, idrOut), 409, 'LOCK_PERIOD_ACTIVE')
    await advance(app, 1)
    assert.equal((await withdrawOk(app, lp, idrOut)).status, 'COMPLETED')

    // Each deposit has its own lock: a new deposit locks only its own shares.
    await depositOk(app, lp, 'USDT', '500', wallet)
    // 900 unlocked + 500 locked: 900 can go, 901 cannot.
    expectError(await withdraw(app, lp, { ...usdOut, amount: '900.000001' }), 409, 'LOCK_PERIOD_ACTIVE')
    assert.equal((await withdrawOk(app, lp, { ...usdOut, amount: '900' })).status, 'COMPLETED')
    await ledgerOk(store())
  })

  it('more than held: 422 INSUFFICIENT_SHARES, by amount and by shares', T, async () => {
    const wallet = nextWallet()
    const lp = await readyLp(app, { liquidityClass: 'B', wallet, funds: { USDT: ['1000'] } })
    await coolWallets(app)
    const made = await depositOk(app, lp, 'USDT', '1000', wallet)
    assert.equal(made.shares, '1000000000')
    await advance(app, DAY_S)
    const base = { asset: 'USDT', variant: 'full', to_address: wallet }
    expectError(await withdraw(app, lp, { ...base, amount: '1000.000001' }), 422, 'INSUFFICIENT_SHARES')
    expectError(await withdraw(app, lp, { ...base, shares: '1000000001' }), 422, 'INSUFFICIENT_SHARES')
    // An asset it never deposited holds no shares at all.
    expectError(await withdraw(app, lp, { ...base, asset: 'IDRX', amount: '1' }), 422, 'INSUFFICIENT_SHARES')
    // Exactly what it holds is fine.
    const all = await withdrawOk(app, lp, { ...base, shares: '1000000000' })
    assert.equal(all.status, 'COMPLETED')
    assert.equal(all.amount, '1000')
    expectError(await withdraw(app, lp, { ...base, shares: '1' }), 422, 'INSUFFICIENT_SHARES')
  })

  it(
    'queue PAUSED (corridor HALT by ops override): 503 WITHDRAWALS_PAUSED, open again after',
    T,
    async () => {
      const wallet = nextWallet()
      const a = await readyLp(app, { liquidityClass: 'A', wallet, funds: { USDT: ['1000'] } })
      const bWallet = nextWallet()
      const b = await readyLp(app, { liquidityClass: 'B', wallet: bWallet, funds: { IDRX: ['10000000'] } })
      await coolWallets(app)
      await depositOk(app, a, 'USDT', '1000', wallet)
      await depositOk(app, b, 'IDRX', '10000000', bWallet)
      await advance(app, 3 * DAY_S)
      const override = await app.inject({
        method: 'POST',
        url: '/v1/reserve/state-override',
        headers: { authorization: `Bearer ${OPS_TOKEN}` },
        payload: {
          corridor: 'USD-IDR',
          state: 'HALT',
          reason: 'LP queue test',
          expires_at: sandboxIso(app, 60_000),
          environment: 'sandbox',
        },
      })
      assert.equal(override.statusCode, 200, override.body)
      // SPEC §7.5: HALT → PAUSED, for both classes (a system pause wins over the class B Yield redirect).
      const usd = await withdraw(app, a, { asset: 'USDT', variant: 'fx', amount: '10', to_address: wallet })
      assert.match(expectError(usd, 503, 'WITHDRAWALS_PAUSED').message, /CORRIDOR_HALT/)
      const idr = await withdraw(app, b, {
        asset: 'IDRX',
        variant: 'full',
        amount: '1000',
        to_address: bWallet,
      })
      expectError(idr, 503, 'WITHDRAWALS_PAUSED')
      // Refused before anything was burned.
      const [position] = (await get(app, a, '/v1/lp/positions')).json().positions
      assert.equal(position.balance, '1000')
      assert.equal(position.pending_withdrawals.length, 0)
      // The override expires: the queue is NORMAL again and pays at once.
      await advance(app, 61)
      const done = await withdrawOk(app, a, {
        asset: 'USDT',
        variant: 'fx',
        amount: '10',
        to_address: wallet,
      })
      assert.equal(done.status, 'COMPLETED')
    },
  )
})

describeEachDialect('LP wallet cooling on the sandbox clock', ({ store }) => {
  let app: TestApp
  before(async () => {
    // Fresh database, fresh app: the sandbox clock has not moved yet.
    app = await createTestApp(store(), { clock: createManualClock(T0) })
    await setMarket(app)
  })
  after(() => app.close())

  it('whitelisted but < 24 h: 403 WALLET_COOLING; usable once the sandbox clock moved 24 h', T, async () => {
    const wallet = walletAddress(1)
    const lp = await readyLp(app, { liquidityClass: 'A', wallet, funds: { USDT: ['1000'] } })
    const body = { asset: 'USDT', amount: '100', from_address: wallet }
    const cooling = expectError(await deposit(app, lp, body), 403, 'WALLET_COOLING')
    assert.match(cooling.message, new RegExp(new Date(T0 + 24 * HOUR_MS).toISOString()))
    const listed = (await get(app, lp, '/v1/wallets')).json().wallets
    assert.equal(listed[0].usable, false)
    await advance(app, DAY_S - 1)
    expectError(await deposit(app, lp, body), 403, 'WALLET_COOLING')
    await advance(app, 1)
    const done = await depositOk(app, lp, 'USDT', '100', wallet)
    assert.equal(done.status, 'CONFIRMED')
    // Judged on each environment's clock: the live clock has not moved, so live still holds it back.
    assert.equal((await get(app, lp, '/v1/wallets')).json().wallets[0].usable, true)
    assert.equal((await get(app, lp, '/v1/wallets', { environment: 'live' })).json().wallets[0].usable, false)
  })

  it('a wallet whitelisted after the sandbox clock moved ahead still cools 24 h there', T, async () => {
    const wallet = walletAddress(2)
    const lp = await readyLp(app, { liquidityClass: 'A', wallet, funds: { USDT: ['1000'] } })
    await coolWallets(app)
    await depositOk(app, lp, 'USDT', '100', wallet)
    await advance(app, DAY_S)
    // The sandbox clock is now at least 48 h ahead of the live clock; the deposit's lock is over.
    const fresh = walletAddress(3)
    await whitelist(app, lp, fresh)
    // SPEC §3/§9: the sandbox exercises cooling however far its clock has moved (stamped on its own clock).
    const out = await withdraw(app, lp, { asset: 'USDT', variant: 'fx', amount: '10', to_address: fresh })
    expectError(out, 403, 'WALLET_COOLING')
    const fromFresh = await deposit(app, lp, { asset: 'USDT', amount: '100', from_address: fresh })
    expectError(fromFresh, 403, 'WALLET_COOLING')
    await advance(app, DAY_S)
    const cooled = await withdrawOk(app, lp, {
      asset: 'USDT',
      variant: 'fx',
      amount: '10',
      to_address: fresh,
    })
    assert.equal(cooled.status, 'COMPLETED')
  })
})

describeEachDialect('LP withdrawal size tiers', ({ store }) => {
  let app: TestApp
  before(async () => {
    app = await createTestApp(store())
    await setMarket(app)
  })
  after(() => app.close())

  it(
    'large: 24 h notice, ≤ $50K tranches every 12 h; a second large one → 409 WITHDRAWAL_TIER_LIMIT',
    T,
    async () => {
      const wallet = walletAddress(1)
      const lp = await readyLp(app, { liquidityClass: 'A', wallet, funds: { USDT: ['400000'] } })
      await coolWallets(app)
      await depositOk(app, lp, 'USDT', '400000', wallet)
      await advance(app, DAY_S)
      const requestedAt = sandboxNow(app)
      const at = (hours: number) => new Date(requestedAt + hours * HOUR_MS).toISOString()
      const large = await withdrawOk(app, lp, {
        asset: 'USDT',
        variant: 'fx',
        amount: '120000',
        to_address: wallet,
      })
      assert.deepEqual(
        { ...large, withdrawal_id: 'id' },
        {
          withdrawal_id: 'id',
          asset: 'USDT',
          ktoken: 'kUSD-fx',
          tier: 'LARGE',
          amount: '120000',
          // Escrowed now, burned tranche by tranche at the index of each payment (SPEC §15).
          shares: '120000000000',
          shares_paid: '0',
          paid: '0',
          to_address: checksummed(wallet),
          status: 'QUEUED',
          position: 1,
          otc_offered: false,
          reason: null,
          requested_at: at(0),
          completed_at: null,
          tranches: [
            {
              n: 1,
              due_at: at(24),
              amount: '50000',
              shares: '50000000000',
              pool: null,
              paid_at: null,
              tx_hash: null,
            },
            {
              n: 2,
              due_at: at(36),
              amount: '50000',
              shares: '50000000000',
              pool: null,
              paid_at: null,
              tx_hash: null,
            },
            {
              n: 3,
              due_at: at(48),
              amount: '20000',
              shares: '20000000000',
              pool: null,
              paid_at: null,
              tx_hash: null,
            },
          ],
        },
      )
      const [queued] = await eventsOf(store(), lp.id, 'withdrawal.queued')
      assert.equal(queued?.data.withdrawal_id, large.withdrawal_id)
      assert.equal(queued?.data.tier, 'LARGE')

      const second = await withdraw(app, lp, {
        asset: 'USDT',
        variant: 'fx',
        amount: '60000',
        to_address: wallet,
      })
      expectError(second, 409, 'WITHDRAWAL_TIER_LIMIT')
      // [ours] The 24 h total counts, so a large withdrawal cannot be split into standard ones either.
      const small = await withdraw(app, lp, {
        asset: 'USDT',
        variant: 'fx',
        amount: '1000',
        to_address: wallet,
      })
      expectError(small, 409, 'WITHDRAWAL_TIER_LIMIT')
      // Nothing escrowed for the refused ones: 400,000 − 120,000 left, 120,000 in escrow.
      const [position] = (await get(app, lp, '/v1/lp/positions')).json().positions
      assert.equal(position.balance, '280000')
      assert.deepEqual(position.pending_withdrawals, [
        { withdrawal_id: large.withdrawal_id, status: 'QUEUED', shares: '120000000000', owed: '120000' },
      ])
    },
  )

  it('whale (> $200K): 72 h notice, ≤ $100K a day, OTC offered', T, async () => {
    const wallet = walletAddress(2)
    const lp = await readyLp(app, { liquidityClass: 'B', wallet, funds: { IDRX: ['5000000000'] } })
    await coolWallets(app)
    // IDRX at 16,250 per USD: $100K = 1,625,000,000 IDR. 5,000,000,000 IDR (~$307.7K) in, 60% to Reserve.
    await depositOk(app, lp, 'IDRX', '5000000000', wallet)
    await advance(app, 3 * DAY_S)
    const requestedAt = sandboxNow(app)
    const at = (hours: number) => new Date(requestedAt + hours * HOUR_MS).toISOString()
    const whale = await withdrawOk(app, lp, {
      asset: 'IDRX',
      variant: 'full',
      amount: '4000000000',
      to_address: wallet,
    })
    assert.equal(whale.tier, 'WHALE')
    assert.equal(whale.otc_offered, true)
    assert.equal(whale.status, 'QUEUED')
    assert.deepEqual(
      whale.tranches.map((t: { n: number; due_at: string; amount: string }) => [t.n, t.due_at, t.amount]),
      [
        [1, at(72), '1625000000'],
        [2, at(96), '1625000000'],
        [3, at(120), '750000000'],
      ],
    )
    expectError(
      await withdraw(app, lp, { asset: 'IDRX', variant: 'full', amount: '900000000', to_address: wallet }),
      409,
      'WITHDRAWAL_TIER_LIMIT',
    )
  })
})
