/**
 * SPEC §8 smart rebalancing escalation for a Reserve deficit, over real
 * HTTP: recall Yield (class B's tagged part first, then the protocol's) →
 * the issuer's emergency mint → the RFQ counterparties, each step recorded
 * with its outcome and timing (GET /v1/reserve/escalations).
 *
 * The sandbox genesis holds the IDRX Reserve at 90% of its $2,000,000 target
 * (all protocol capital). Each test takes $400,000 out of it: 70%, $200,000
 * = 3,250,000,000 IDRX below the 80% minimum at 16,250 IDR per USD.
 */
import assert from 'node:assert/strict'
import { it, type TestContext } from 'node:test'
import { ownedPoolAccount, protocolAccount } from '../../src/ledger/accounts.ts'
import { balanceOf, postEntry } from '../../src/ledger/journal.ts'
import { verifyLedger } from '../../src/ledger/verify.ts'
import { startIssuerSim } from '../../src/sim/issuer.ts'
import { startMarketMaker } from '../../src/sim/market-makers.ts'
import { openApp, ops, T } from '../risk/engine-support.ts'
import { createPartner, setMarket, type TestApp } from '../support/app.ts'
import { describeEachDialect } from '../support/databases.ts'
import { fund } from '../trading/support.ts'

const IDRX = 100n
const USD_IN_IDRX = 16_250n * IDRX

async function post(
  app: TestApp,
  reference: string,
  postings: { account: Parameters<typeof balanceOf>[1]; amount: bigint }[],
) {
  const posted = await app.store.transaction((tx) =>
    postEntry(tx, {
      environment: 'sandbox',
      kind: 'test_funding',
      reference,
      postings,
      atMs: app.clock.now(),
    }),
  )
  assert.equal(posted.ok, true)
}

/** $400,000 of protocol Reserve IDRX leaves; class B holds $50,000 in Yield only, the protocol $100,000. */
async function deficit(app: TestApp) {
  const chain = protocolAccount('sandbox', 'IDRX', 'chain')
  await post(app, 'drain', [
    { account: ownedPoolAccount('sandbox', 'IDRX', 'RESERVE', 'protocol'), amount: -400_000n * USD_IN_IDRX },
    { account: chain, amount: 400_000n * USD_IN_IDRX },
  ])
  await post(app, 'yield', [
    { account: ownedPoolAccount('sandbox', 'IDRX', 'YIELD', 'class_b'), amount: 50_000n * USD_IN_IDRX },
    { account: ownedPoolAccount('sandbox', 'IDRX', 'YIELD', 'protocol'), amount: 100_000n * USD_IN_IDRX },
    { account: chain, amount: -150_000n * USD_IN_IDRX },
  ])
}

async function issuer(t: TestContext, app: TestApp, failureRate: number) {
  const partner = await createPartner(app, {
    name: 'IDRX Issuer',
    type: 'ISSUER',
    corridors: [],
    issued_asset: 'IDRX',
  })
  const sim = await startIssuerSim({ asset: 'IDRX', failureRate })
  t.after(() => sim.close())
  const patched = await app.admin('PATCH', `/admin/v1/partners/${partner.id}`, { mint_url: sim.mintUrl })
  assert.equal(patched.statusCode, 200, patched.body)
  return { partner, sim }
}

async function marketMaker(t: TestContext, app: TestApp) {
  const mm = await startMarketMaker({
    name: 'MM',
    spreadBps: '5',
    mids: { 'USD-IDR': '16250' },
    nowMs: () => app.clock.now(),
  })
  t.after(() => mm.close())
  const partner = await createPartner(app, {
    name: 'MM',
    type: 'RFQ_COUNTERPARTY',
    corridors: ['USD-IDR'],
    rfq_url: mm.url,
  })
  mm.config.secret = partner.webhookSecret
  await fund(app, partner, 'IDRX', '5000000000')
  return { mm, partner }
}

const reserveIdrx = async (app: TestApp) =>
  (await balanceOf(app.store, ownedPoolAccount('sandbox', 'IDRX', 'RESERVE', 'protocol'))) +
  (await balanceOf(app.store, ownedPoolAccount('sandbox', 'IDRX', 'RESERVE', 'class_b')))

const steps = (view: { steps: { kind: string; outcome: string; amount: string }[] }) =>
  view.steps.map((s) => [s.kind, s.outcome, s.amount])

describeEachDialect('Reserve deficit escalation (SPEC §8)', ({ dialect }) => {
  it(
    'recall Yield, then the issuer (refusing), then RFQ: in that order, until the minimum is back',
    T,
    async (t) => {
      const app = await openApp(t, dialect, { rebalancer: false })
      await setMarket(app)
      await deficit(app)
      const { sim } = await issuer(t, app, 1)
      const { mm } = await marketMaker(t, app)
      const pass = await app.stablefx.services.phase2.run('sandbox')
      assert.equal(pass.escalations.length, 1)
      const escalation = pass.escalations[0]
      assert.ok(escalation !== undefined)
      assert.equal(escalation.asset, 'IDRX')
      assert.equal(escalation.deficit, '3250000000')
      assert.equal(escalation.status, 'COVERED')
      // Class B should hold 60% of its $50,000 in Reserve: $30,000 (487,500,000 IDRX) comes back first, then the
      // protocol's $100,000: $130,000 in all. The issuer answers 500; the RFQ buys the last $70,000.
      assert.deepEqual(steps(escalation), [
        ['YIELD_RECALL', 'PARTIAL', '2112500000'],
        ['ISSUER_MINT', 'FAILED', '0'],
        ['RFQ', 'DONE', '1137500000'],
      ])
      assert.equal(escalation.steps[0]?.detail, 'class_b 487500000, protocol 1625000000')
      // The simulator keeps only the requests it accepted.
      assert.equal(sim.received.length, 0)
      assert.match(escalation.steps[1]?.detail ?? '', /HTTP 500/)
      assert.equal((mm.requests[0] as Record<string, unknown>).purpose, 'EMERGENCY')
      assert.equal((mm.requests[0] as Record<string, unknown>).amount, '1137500000')
      // The Reserve is at its minimum again: 80% of $2,000,000 = $1,600,000 = 26,000,000,000 IDRX.
      assert.equal(await reserveIdrx(app), 26_000_000_000n * IDRX)
      const listed = await ops(app, 'GET', '/v1/reserve/escalations?environment=sandbox&asset=IDRX')
      assert.equal(listed.statusCode, 200, listed.body)
      assert.equal(listed.json().items[0].escalation_id, escalation.escalation_id)
      // Nothing more to do.
      assert.deepEqual((await app.stablefx.services.phase2.run('sandbox')).escalations, [])
      assert.equal((await verifyLedger(app.store)).violationCount, 0)
    },
  )

  it(
    'an emergency mint on its way is waited for; its completion covers the deficit and no RFQ is sent',
    T,
    async (t) => {
      const app = await openApp(t, dialect, { rebalancer: false })
      await setMarket(app)
      await deficit(app)
      const { partner, sim } = await issuer(t, app, 0)
      const { mm } = await marketMaker(t, app)
      const phase2 = app.stablefx.services.phase2
      const first = (await phase2.run('sandbox')).escalations[0]
      assert.equal(first?.status, 'WAITING_FOR_MINT')
      assert.deepEqual(steps(first as never), [
        ['YIELD_RECALL', 'PARTIAL', '2112500000'],
        ['ISSUER_MINT', 'REQUESTED', '1137500000'],
      ])
      // $70,000 of IDRX paid with 70,000 USDT at the mid.
      assert.deepEqual(JSON.parse(sim.received[0]?.body as string).pay_with, {
        asset: 'USDT',
        amount: '70000',
      })
      assert.deepEqual((await phase2.run('sandbox')).escalations, [])
      const completed = await app.inject({
        method: 'POST',
        url: `/v1/issuer/mints/${sim.received[0]?.id}/complete`,
        headers: partner.headers(),
        payload: { tx_hash: `0x${'ef'.repeat(32)}` },
      })
      assert.equal(completed.statusCode, 200, completed.body)
      assert.equal(await reserveIdrx(app), 26_000_000_000n * IDRX)
      await phase2.run('sandbox')
      const listed = (await ops(app, 'GET', '/v1/reserve/escalations?environment=sandbox')).json().items
      assert.equal(listed.length, 1)
      assert.equal(listed[0].status, 'COVERED')
      assert.equal(mm.requests.length, 0)
    },
  )

  it(
    'nothing can help: EXHAUSTED, every step says why, and it is tried again only after 15 minutes',
    T,
    async (t) => {
      const app = await openApp(t, dialect, { rebalancer: false })
      await setMarket(app)
      const drained = ownedPoolAccount('sandbox', 'IDRX', 'RESERVE', 'protocol')
      await post(app, 'drain', [
        { account: drained, amount: -400_000n * USD_IN_IDRX },
        { account: protocolAccount('sandbox', 'IDRX', 'chain'), amount: 400_000n * USD_IN_IDRX },
      ])
      const phase2 = app.stablefx.services.phase2
      const first = (await phase2.run('sandbox')).escalations[0]
      assert.equal(first?.status, 'EXHAUSTED')
      assert.deepEqual(
        first?.steps.map((s) => [s.kind, s.outcome, s.detail]),
        [
          ['YIELD_RECALL', 'SKIPPED', 'no Yield to recall'],
          ['ISSUER_MINT', 'SKIPPED', 'no active issuer of IDRX with a mint_url'],
          ['RFQ', 'FAILED', 'no RFQ counterparty serves this corridor'],
        ],
      )
      app.clock.advance(14 * 60_000)
      await setMarket(app)
      assert.deepEqual((await phase2.run('sandbox')).escalations, [])
      app.clock.advance(60_000)
      await setMarket(app)
      assert.equal((await phase2.run('sandbox')).escalations.length, 1)
    },
  )
})
