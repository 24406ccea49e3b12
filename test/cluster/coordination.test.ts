/**
 * The pieces that make several nodes one system (SPEC §15), on both
 * databases: worker leases, the simulated chain's idempotency on the
 * reference, executions recovered once when their node died, idempotency
 * keys recovered after a crash, withdrawal tranches re-sent after a crash,
 * and the failed-authentication throttle.
 */
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { it } from 'node:test'
import { type ChainAdapter, createSimulatedChain } from '../../src/chain/adapter.ts'
import { ensureLeases, releaseLeases, renewLeases } from '../../src/cluster/leases.ts'
import { joinCluster } from '../../src/cluster/nodes.ts'
import { requestHash } from '../../src/http/idempotency.ts'
import { processWithdrawals } from '../../src/liquidity/withdrawal-worker.ts'
import {
  advance,
  coolWallets,
  depositOk,
  eventsOf,
  ledgerOk,
  readyLp,
  walletAddress,
  withdraw,
  withdrawalDeps,
} from '../liquidity/lp-support.ts'
import { createPartner, createTestApp, setMarket, type TestApp } from '../support/app.ts'
import { describeEachDialect } from '../support/databases.ts'
import { ADDRESS, execute, fund, quoteOk } from '../trading/support.ts'

const T = { timeout: 30_000 }
const DAY_S = 24 * 3600

/** The simulated chain, failing on demand: an RPC that is down, or a process that dies before the answer. */
function flakyChain(store: TestApp['store']): ChainAdapter & { fail: boolean; sends: number } {
  const real = createSimulatedChain({ store })
  const chain = {
    fail: false,
    sends: 0,
    async send(transfer: Parameters<ChainAdapter['send']>[0]) {
      chain.sends++
      if (chain.fail) throw new Error('chain unreachable')
      return real.send(transfer)
    },
  }
  return chain
}

describeEachDialect('several nodes: coordination', ({ store, dialect }) => {
  it(
    'a lease has one holder; another node takes it only once it has expired, and the fence grows',
    T,
    async () => {
      const [one, two] = [await joinCluster(store()), await joinCluster(store())]
      const name = `test.lease.${randomUUID()}`
      await ensureLeases(store(), [name])
      const renew = (node: string, leaseMs: number) =>
        store().transaction((tx) => renewLeases(tx, node, [name], leaseMs))
      assert.deepEqual([...(await renew(one, 300))], [name])
      assert.deepEqual([...(await renew(two, 300))], [])
      assert.deepEqual([...(await renew(one, 300))], [name])
      await new Promise((resolve) => setTimeout(resolve, 400))
      assert.deepEqual([...(await renew(two, 60_000))], [name])
      assert.deepEqual([...(await renew(one, 60_000))], [])
      const row = await store()
        .kysely.selectFrom('worker_leases')
        .selectAll()
        .where('name', '=', name)
        .executeTakeFirstOrThrow()
      assert.deepEqual([row.holder, row.fence], [two, 2n])
      // A node that stops gives its leases up at once.
      await releaseLeases(store(), two)
      assert.deepEqual([...(await renew(one, 300))], [name])
    },
  )

  it('the simulated chain is idempotent on the reference, whichever node sends', T, async () => {
    const [a, b] = [createSimulatedChain({ store: store() }), createSimulatedChain({ store: store() })]
    const transfer = {
      environment: 'sandbox' as const,
      asset: 'USDT' as const,
      to: ADDRESS,
      amountMinor: 5n,
      reference: randomUUID(),
    }
    const first = await a.send(transfer)
    assert.deepEqual(await b.send(transfer), first)
    const row = await store()
      .kysely.selectFrom('chain_transfers')
      .select(['sends', 'amount'])
      .where('reference', '=', transfer.reference)
      .executeTakeFirstOrThrow()
    assert.deepEqual([row.sends, String(row.amount)], [2n, '5'])
    await assert.rejects(b.send({ ...transfer, amountMinor: 6n }), /sent before with a different transfer/)
  })

  it(
    'an execution whose settlement failed answers PENDING, and another node settles it once',
    T,
    async () => {
      const flaky = flakyChain(store())
      // The booking node's claim lapses at once, as a dead node's would; two others run recovery together.
      const booking = await createTestApp(store(), { chain: flaky, cluster: { settleClaimMs: 0 } })
      const others = [await createTestApp(store()), await createTestApp(store())]
      try {
        await setMarket(booking)
        const partner = await createPartner(booking)
        await fund(booking, partner, 'USDT', '100')
        const quote = await quoteOk(booking, partner, { pair: 'USD-IDR', side: 'SELL', amount: '100' })
        flaky.fail = true
        const answer = await execute(booking, partner, {
          quote_id: quote.quote_id,
          destination_address: ADDRESS,
        })
        assert.equal(answer.statusCode, 200, answer.body)
        assert.deepEqual([answer.json().status, answer.json().tx_hash], ['PENDING', null])
        // The other nodes hear of the prices as the bus would tell them (fees need a usable mid).
        for (const app of others) await app.stablefx.services.oracle.sync()
        const recovered = await Promise.all(
          others.map((app) => app.stablefx.services.executions.recoverPending('sandbox', () => true)),
        )
        assert.deepEqual(recovered.sort(), [0, 1])
        const id = answer.json().execution_id
        const row = await store()
          .kysely.selectFrom('executions')
          .selectAll()
          .where('execution_id', '=', id)
          .executeTakeFirstOrThrow()
        assert.equal(row.status, 'SETTLED')
        assert.equal((await eventsOf(store(), partner.id, 'execution.settled')).length, 1)
        const entries = await store()
          .kysely.selectFrom('journal_entries')
          .select('kind')
          .where('reference', '=', id)
          .execute()
        assert.deepEqual(entries.map((entry) => entry.kind).sort(), ['fee_distribution', 'swap'])
        await ledgerOk(store())
      } finally {
        for (const app of [booking, ...others]) await app.close()
      }
    },
  )

  it(
    'a key held by a dead node: committed work is answered from the record, uncommitted work runs once',
    T,
    async () => {
      const app = await createTestApp(store())
      try {
        await setMarket(app)
        const partner = await createPartner(app)
        await fund(app, partner, 'USDT', '200')
        const quote = await quoteOk(app, partner, { pair: 'USD-IDR', side: 'SELL', amount: '100' })
        const key = `crash-${randomUUID()}`
        const body = { quote_id: quote.quote_id, destination_address: ADDRESS }
        const done = await execute(app, partner, body, { idempotencyKey: key })
        assert.equal(done.statusCode, 200, done.body)
        // As if the node had died after committing, before it stored the answer.
        const dead = randomUUID()
        await store()
          .kysely.updateTable('idempotency_keys')
          .set({ status: 'COMMITTED', holder: dead, response_status: null, response_body: null })
          .where('key', '=', key)
          .execute()
        const replayed = await execute(app, partner, body, { idempotencyKey: key })
        assert.equal(replayed.statusCode, 200, replayed.body)
        assert.equal(replayed.headers['idempotent-replayed'], 'true')
        assert.equal(replayed.json().execution_id, done.json().execution_id)
        assert.equal(replayed.json().status, 'SETTLED')
        // As if a node had died before committing anything: the retry takes the key over and runs.
        const second = await quoteOk(app, partner, { pair: 'USD-IDR', side: 'SELL', amount: '100' })
        const other = `crash-${randomUUID()}`
        const secondBody = { quote_id: second.quote_id, destination_address: ADDRESS }
        const hash = await holdKey(app, partner.id, other, '/v1/execute', secondBody, dead)
        assert.ok(hash)
        const ran = await execute(app, partner, secondBody, { idempotencyKey: other })
        assert.equal(ran.statusCode, 200, ran.body)
        assert.equal(ran.headers['idempotent-replayed'], undefined)
        assert.equal(ran.json().status, 'SETTLED')
        // Held by a live node (this one): still running, 409.
        const live = `live-${randomUUID()}`
        await holdKey(app, partner.id, live, '/v1/execute', secondBody, app.stablefx.services.nodeId)
        const busy = await execute(app, partner, secondBody, { idempotencyKey: live })
        assert.equal(busy.statusCode, 409, busy.body)
        assert.equal(busy.json().error.code, 'IDEMPOTENCY_KEY_IN_USE')
      } finally {
        await app.close()
      }
    },
  )

  it('a withdrawal tranche booked but never confirmed sent is sent again, once', T, async () => {
    const flaky = flakyChain(store())
    const app = await createTestApp(store(), { chain: flaky })
    try {
      await setMarket(app)
      const wallet = walletAddress(900 + (dialect === 'sqlite' ? 0 : 1))
      const lp = await readyLp(app, { liquidityClass: 'A', wallet, funds: { USDT: ['1000'] } })
      await coolWallets(app)
      await depositOk(app, lp, 'USDT', '1000', wallet)
      await setMarket(app)
      await advance(app, DAY_S)
      const queued = await withdraw(app, lp, {
        asset: 'USDT',
        variant: 'fx',
        amount: '10',
        to_address: wallet,
      })
      assert.equal(queued.statusCode, 201, queued.body)
      flaky.fail = true
      await assert.rejects(processWithdrawals(withdrawalDeps(app), flaky, 'sandbox'), /chain unreachable/)
      const tranche = await store()
        .kysely.selectFrom('lp_withdrawal_tranches')
        .selectAll()
        .where('withdrawal_id', '=', queued.json().withdrawal_id)
        .executeTakeFirstOrThrow()
      assert.notEqual(tranche.paid_at, null)
      assert.equal(tranche.tx_hash, null)
      flaky.fail = false
      assert.equal(await processWithdrawals(withdrawalDeps(app), flaky, 'sandbox'), 1)
      assert.equal(await processWithdrawals(withdrawalDeps(app), flaky, 'sandbox'), 0)
      const completed = await eventsOf(store(), lp.id, 'withdrawal.completed')
      assert.deepEqual(
        completed.map((event) => [event.data.withdrawal_id, event.data.status]),
        [[queued.json().withdrawal_id, 'COMPLETED']],
      )
      const sends = await store()
        .kysely.selectFrom('chain_transfers')
        .select('sends')
        .where('reference', '=', `${queued.json().withdrawal_id}:1`)
        .executeTakeFirstOrThrow()
      assert.equal(sends.sends, 1n)
      await ledgerOk(store())
    } finally {
      await app.close()
    }
  })

  it('failed authentications from one address are throttled: 429 with Retry-After after 20', T, async () => {
    const app = await createTestApp(store(), { rateLimit: true })
    try {
      const partner = await createPartner(app)
      const wrong = { authorization: `Bearer sk_test_${'x'.repeat(43)}`, 'x-partner-id': partner.id }
      const statuses: number[] = []
      for (let i = 0; i < 22; i++) {
        statuses.push((await app.inject({ method: 'GET', url: '/v1/balances', headers: wrong })).statusCode)
      }
      assert.deepEqual(statuses, [...Array(20).fill(401), 429, 429])
      // The address waits before even a valid key is looked at.
      const blocked = await app.inject({ method: 'GET', url: '/v1/balances', headers: partner.headers() })
      assert.equal(blocked.statusCode, 429)
      assert.equal(blocked.headers['retry-after'], '6')
      assert.equal(blocked.json().error.code, 'RATE_LIMITED')
    } finally {
      await app.close()
    }
  })
})

/** Writes an IN_PROGRESS key held by `holder`, as a request that node was serving would have left it. */
async function holdKey(
  app: TestApp,
  partnerId: string,
  key: string,
  path: string,
  body: unknown,
  holder: string,
) {
  const hash = requestHash('POST', path, body)
  const now = Date.now()
  await app.store.kysely
    .insertInto('idempotency_keys')
    .values({
      partner_id: partnerId,
      environment: 'sandbox',
      key,
      request_hash: hash,
      status: 'IN_PROGRESS',
      response_status: null,
      response_body: null,
      created_at: BigInt(app.clock.now()),
      expires_at: BigInt(app.clock.now() + 3_600_000),
      holder,
      claim: randomUUID(),
      lease_until: BigInt(now + 60_000),
      resource: null,
    })
    .execute()
  return hash
}
