/**
 * Issue 11 "Issuer" contract, mint and redeem, with the simulated issuer over
 * real HTTP on 127.0.0.1: the operator's trigger sends the contract body
 * signed like a webhook (verified here with the `standardwebhooks` package),
 * the issuer answers 202 {mint_id}, and its completion books one balanced
 * journal entry into the protocol Reserve, once.
 *
 * 1,625,000 IDRX (2 decimals) minted against 100 USDT (6 decimals).
 */
import assert from 'node:assert/strict'
import { it, type TestContext } from 'node:test'
import { Webhook } from 'standardwebhooks'
import type { ManualClock } from '../../src/clock/clock.ts'
import { reserveAddress } from '../../src/issuers/requests.ts'
import { ownedPoolAccount, protocolAccount } from '../../src/ledger/accounts.ts'
import { balanceOf } from '../../src/ledger/journal.ts'
import { verifyLedger } from '../../src/ledger/verify.ts'
import { startIssuerSim } from '../../src/sim/issuer.ts'
import { openApp, ops, T } from '../risk/engine-support.ts'
import { createPartner, setMarket, type TestApp, type TestPartner } from '../support/app.ts'
import { describeEachDialect } from '../support/databases.ts'

const TX = `0x${'ab'.repeat(32)}`

function verifyAt(clock: ManualClock, secret: string, body: string, headers: Record<string, string>) {
  const realNow = Date.now
  Date.now = () => clock.now()
  try {
    return new Webhook(secret).verify(body, headers)
  } finally {
    Date.now = realNow
  }
}

function complete(app: TestApp, partner: TestPartner, kind: 'mints' | 'redeems', id: string, body: unknown) {
  return app.inject({
    method: 'POST',
    url: `/v1/issuer/${kind}/${id}/complete`,
    headers: partner.headers(),
    payload: body as Record<string, unknown>,
  })
}

const reserve = (app: TestApp, asset: 'IDRX' | 'USDT') =>
  balanceOf(app.store, ownedPoolAccount('sandbox', asset, 'RESERVE', 'protocol'))
const chain = (app: TestApp, asset: 'IDRX' | 'USDT') =>
  balanceOf(app.store, protocolAccount('sandbox', asset, 'chain'))

async function setup(t: TestContext, dialect: 'sqlite' | 'postgres', callback = false) {
  const app = await openApp(t, dialect)
  await setMarket(app)
  const issuer = await createPartner(app, {
    name: 'IDRX Issuer',
    type: 'ISSUER',
    corridors: [],
    issued_asset: 'IDRX',
  })
  const sim = await startIssuerSim({
    asset: 'IDRX',
    ...(callback
      ? {
          callback: {
            baseUrl: await app.stablefx.app.listen({ port: 0, host: '127.0.0.1' }),
            apiKey: issuer.sandboxKey,
            partnerId: issuer.id,
            delayMs: 0,
          },
        }
      : {}),
  })
  t.after(() => sim.close())
  const patched = await app.admin('PATCH', `/admin/v1/partners/${issuer.id}`, {
    mint_url: sim.mintUrl,
    redeem_url: sim.redeemUrl,
  })
  assert.equal(patched.statusCode, 200, patched.body)
  return { app, sim, issuer }
}

const MINT = {
  asset: 'IDRX',
  amount: '1625000',
  pay_with: { asset: 'USDT', amount: '100' },
  environment: 'sandbox',
}

describeEachDialect('issuer mint and redeem', ({ dialect }) => {
  it('a mint is sent signed, completed once into the Reserve, idempotently', T, async (t) => {
    const { app, sim, issuer } = await setup(t, dialect)
    const [idrx, usdt] = [await reserve(app, 'IDRX'), await reserve(app, 'USDT')]
    const chainIdrx = await chain(app, 'IDRX')

    const requested = await ops(app, 'POST', '/v1/reserve/issuer-mint', MINT)
    assert.equal(requested.statusCode, 202, requested.body)
    const view = requested.json()
    assert.equal(view.status, 'REQUESTED')
    assert.equal(view.mint_id, 'sim_mint_1')
    assert.equal(sim.received.length, 1)
    const sent = sim.received[0]
    assert.ok(sent !== undefined)
    assert.deepEqual(verifyAt(app.clock, issuer.webhookSecret, sent.body, sent.headers), {
      request_id: view.request_id,
      asset: 'IDRX',
      amount: '1625000',
      destination: reserveAddress('sandbox'),
      pay_with: { asset: 'USDT', amount: '100' },
      purpose: 'EMERGENCY',
    })
    assert.equal(sent.headers['webhook-id'], view.request_id)
    assert.throws(() => verifyAt(app.clock, issuer.webhookSecret, `${sent.body} `, sent.headers))

    const done = await complete(app, issuer, 'mints', 'sim_mint_1', { tx_hash: TX })
    assert.equal(done.statusCode, 200, done.body)
    assert.equal(done.json().status, 'COMPLETED')
    assert.equal(done.json().tx_hash, TX)
    assert.equal(await reserve(app, 'IDRX'), idrx + 162_500_000n)
    assert.equal(await reserve(app, 'USDT'), usdt - 100_000_000n)
    assert.equal(await chain(app, 'IDRX'), chainIdrx - 162_500_000n)

    // One entry with four postings summing to zero per asset.
    const entries = await app.store.kysely
      .selectFrom('journal_entries')
      .innerJoin('postings', 'postings.entry_id', 'journal_entries.id')
      .select(['postings.account_id', 'postings.amount'])
      .where('journal_entries.kind', '=', 'issuer_mint')
      .where('journal_entries.reference', '=', view.request_id)
      .orderBy('postings.account_id')
      .execute()
    assert.deepEqual(
      entries.map((e) => [e.account_id, String(e.amount)]),
      [
        ['sandbox:IDRX:protocol:chain', '-162500000'],
        ['sandbox:IDRX:protocol:pool.RESERVE', '162500000'],
        ['sandbox:USDT:protocol:chain', '100000000'],
        ['sandbox:USDT:protocol:pool.RESERVE', '-100000000'],
      ],
    )

    // Twice is the same answer and no second entry; another tx_hash is a conflict.
    const again = await complete(app, issuer, 'mints', 'sim_mint_1', { tx_hash: TX })
    assert.equal(again.statusCode, 200, again.body)
    assert.deepEqual(again.json(), done.json())
    assert.equal(await reserve(app, 'IDRX'), idrx + 162_500_000n)
    const other = await complete(app, issuer, 'mints', 'sim_mint_1', { tx_hash: `0x${'cd'.repeat(32)}` })
    assert.equal(other.statusCode, 409, other.body)
    assert.equal((await verifyLedger(app.store)).ok, true)
  })

  it('another issuer’s mint is 404; bad input is 400; no issuer for an asset is 404', T, async (t) => {
    const { app, sim, issuer } = await setup(t, dialect)
    const requested = await ops(app, 'POST', '/v1/reserve/issuer-mint', MINT)
    assert.equal(requested.statusCode, 202, requested.body)
    const stranger = await createPartner(app, { name: 'Other Issuer', type: 'ISSUER', corridors: [] })
    const foreign = await complete(app, stranger, 'mints', 'sim_mint_1', { tx_hash: TX })
    assert.equal(foreign.statusCode, 404, foreign.body)
    assert.equal(foreign.json().error.code, 'NOT_FOUND')
    // A redeem id is not a mint id, and a live key does not see sandbox requests.
    assert.equal((await complete(app, issuer, 'redeems', 'sim_mint_1', { tx_hash: TX })).statusCode, 404)
    const live = await app.inject({
      method: 'POST',
      url: '/v1/issuer/mints/sim_mint_1/complete',
      headers: issuer.headers('live'),
      payload: { tx_hash: TX },
    })
    assert.equal(live.statusCode, 404, live.body)
    const ramp = await createPartner(app, { name: 'Ramp' })
    assert.equal((await complete(app, ramp, 'mints', 'sim_mint_1', { tx_hash: TX })).statusCode, 403)

    for (const body of [{ tx_hash: '0x12' }, {}, { tx_hash: TX, extra: 1 }]) {
      const bad = await complete(app, issuer, 'mints', 'sim_mint_1', body)
      assert.equal(bad.statusCode, 400, bad.body)
    }
    for (const body of [
      { ...MINT, asset: 'DOGE' },
      { ...MINT, amount: '-1' },
      { ...MINT, amount: '0' },
      { ...MINT, amount: '1.001' },
      { ...MINT, pay_with: { asset: 'IDRX', amount: '1' } },
      { asset: 'USDT', amount: '5', environment: 'sandbox' },
    ]) {
      const bad = await ops(app, 'POST', '/v1/reserve/issuer-mint', body)
      assert.equal(bad.statusCode, 400, `${JSON.stringify(body)}: ${bad.body}`)
    }
    const none = await ops(app, 'POST', '/v1/reserve/issuer-mint', { ...MINT, asset: 'tnSGD' })
    assert.equal(none.statusCode, 404, none.body)
    // Nothing was booked by any of it.
    const rows = await app.store.kysely.selectFrom('issuer_requests').select(['status']).execute()
    assert.deepEqual(rows, [{ status: 'REQUESTED' }])

    // Live applies the live URL policy: the simulator's http://127.0.0.1 is refused before any connection.
    const liveMint = await ops(app, 'POST', '/v1/reserve/issuer-mint', { ...MINT, environment: 'live' })
    assert.equal(liveMint.statusCode, 202, liveMint.body)
    assert.deepEqual(
      [liveMint.json().status, liveMint.json().error],
      ['FAILED', 'refused: http is not allowed here'],
    )
    // An issuer that fails to acknowledge leaves a FAILED request and nothing booked.
    sim.setFailureRate(1)
    const failed = await ops(app, 'POST', '/v1/reserve/issuer-mint', MINT)
    assert.equal(failed.statusCode, 202, failed.body)
    assert.deepEqual(
      [failed.json().status, failed.json().mint_id, failed.json().error],
      ['FAILED', null, 'HTTP 500'],
    )
    const entries = await app.store.kysely
      .selectFrom('journal_entries')
      .select('id')
      .where('kind', 'in', ['issuer_mint', 'issuer_redeem'])
      .execute()
    assert.deepEqual(entries, [])
  })

  it('the simulator completes a mint and a redeem by calling back over HTTP', T, async (t) => {
    const { app, sim } = await setup(t, dialect, true)
    const [idrx, usdt] = [await reserve(app, 'IDRX'), await reserve(app, 'USDT')]
    const mint = await ops(app, 'POST', '/v1/reserve/issuer-mint', { ...MINT, pay_with: undefined })
    assert.equal(mint.statusCode, 202, mint.body)
    // Without pay_with: USDT at the oracle mid, 1,625,000 / 16,250 = 100.
    assert.deepEqual(mint.json().pay_with, { asset: 'USDT', amount: '100' })
    await sim.settled()
    // A second later, so the list orders them by time.
    app.clock.advance(1_000)
    const redeem = await ops(app, 'POST', '/v1/reserve/issuer-redeem', {
      ...MINT,
      amount: '812500',
      pay_with: { asset: 'USDT', amount: '50' },
    })
    assert.equal(redeem.statusCode, 202, redeem.body)
    assert.equal(redeem.json().redeem_id, 'sim_redeem_2')
    await sim.settled()
    assert.deepEqual(
      sim.completions.map((c) => [c.id, c.status]),
      [
        ['sim_mint_1', 200],
        ['sim_redeem_2', 200],
      ],
    )
    const rows = await app.store.kysely
      .selectFrom('issuer_requests')
      .select(['kind', 'status'])
      .orderBy('created_at')
      .orderBy('kind')
      .execute()
    assert.deepEqual(rows, [
      { kind: 'MINT', status: 'COMPLETED' },
      { kind: 'REDEEM', status: 'COMPLETED' },
    ])
    const listed = await ops(app, 'GET', '/v1/reserve/issuer-requests?environment=sandbox')
    assert.equal(listed.statusCode, 200, listed.body)
    assert.deepEqual(
      listed
        .json()
        .requests.map((q: { kind: string; status: string; amount: string }) => [q.kind, q.status, q.amount]),
      [
        ['REDEEM', 'COMPLETED', '812500'],
        ['MINT', 'COMPLETED', '1625000'],
      ],
    )
    assert.equal(await reserve(app, 'IDRX'), idrx + 81_250_000n)
    assert.equal(await reserve(app, 'USDT'), usdt - 50_000_000n)
    const audit = await app.store.kysely
      .selectFrom('audit_log')
      .select('action')
      .where('action', 'like', 'issuer.%')
      .execute()
    assert.deepEqual(audit.map((a) => a.action).sort(), ['issuer.mint_requested', 'issuer.redeem_requested'])
  })
})
