/**
 * Crashes at random points (issue 8): 8 clients quote and execute, deposit
 * and withdraw as LPs, each retrying with the same Idempotency-Key until it
 * hears an answer, while nodes are killed with SIGKILL and started again:
 * one node on SQLite, two on PostgreSQL. Afterwards every acknowledged
 * operation is there exactly once, nothing is half-booked, and the ledger
 * verifies. CRASH_KILLS sets the kills per database (15 by default).
 */
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { promisify } from 'node:util'
import { type Dialect, openStore, type Store } from '../../src/store/store.ts'
import {
  type Answer,
  adminHeaders,
  type ClusterNode,
  type ClusterPartner,
  call,
  clusterNode,
  freePort,
  opsHeaders,
  provisionPartner,
  sleep,
  within,
} from '../support/cluster.ts'
import { createTestDatabase, postgresProblem, type TestDatabase } from '../support/databases.ts'

const KILLS = Number(process.env.CRASH_KILLS ?? 15)
const ADDRESS = '0x52908400098527886E0F7030069857D2E4169EE7'
const problem = await postgresProblem()
const pgSkip = problem !== undefined && process.env.REQUIRE_POSTGRES !== '1'
if (pgSkip)
  console.log(`# PostgreSQL not reachable (${problem}); the crash suite's PostgreSQL half is skipped`)

/** Codes that mean "ask again": the request did not finish, or its first attempt is still running. */
function retryable(answer: Answer): boolean {
  if (answer.status === 409 && answer.body?.error?.code === 'IDEMPOTENCY_KEY_IN_USE') return true
  return answer.status >= 500 && ['INTERNAL_ERROR', 'NOT_READY', undefined].includes(answer.body?.error?.code)
}

type Outcome = { answer: Answer; attempts: number }

/**
 * Sends one request until it is answered, as a careful client would: on a
 * network failure, a 5xx that is not a business refusal, or 409 IN_USE, the
 * same request with the same key again, on the next node.
 */
async function untilAnswered(nodes: () => ClusterNode[], send: (node: ClusterNode) => Promise<Answer>) {
  const deadline = Date.now() + 90_000
  for (let attempts = 1; ; attempts++) {
    const all = nodes()
    const node = all[attempts % all.length] as ClusterNode
    try {
      const answer = await send(node)
      if (!retryable(answer)) return { answer, attempts } satisfies Outcome
    } catch {
      // The node is down or the connection was cut: the outcome is unknown, so ask again.
    }
    if (Date.now() > deadline) throw new Error('no answer within 90 s')
    await sleep(100 + Math.floor(Math.random() * 200))
  }
}

type Ledger = {
  executions: Map<string, string>
  deposits: Set<string>
  withdrawals: Set<string>
  refusals: Map<string, number>
  retried: number
  replayed: number
}

function crashSuite(dialect: Dialect, nodeCount: number) {
  const skip = dialect === 'postgres' ? pgSkip : false
  describe(`SIGKILL under load [${dialect}, ${nodeCount} node${nodeCount > 1 ? 's' : ''}]`, {
    skip,
    timeout: 300_000,
  }, () => {
    let database: TestDatabase
    let store: Store
    const nodes: ClusterNode[] = []

    before(async () => {
      if (dialect === 'postgres' && problem !== undefined)
        throw new Error(`REQUIRE_POSTGRES=1 but PostgreSQL is not reachable: ${problem}`)
      database = await createTestDatabase(dialect)
      const env = { STABLEFX_ORACLE: 'sim', STABLEFX_RATE_LIMIT: 'off', STABLEFX_LEASE_MS: '2000' }
      for (let i = 0; i < nodeCount; i++) {
        nodes.push(
          clusterNode({ name: `${dialect}-${i}`, port: await freePort(), databaseUrl: database.url, env }),
        )
      }
      for (const node of nodes) await node.start()
      store = await openStore(database.url, { migrate: false })
    })

    after(async () => {
      await Promise.all(nodes.map((node) => node.stop('SIGKILL')))
      await store?.close()
      await database?.drop()
    })

    it(`${KILLS} kills: every acknowledged operation once, nothing half-booked, the ledger verifies`, async () => {
      const first = nodes[0] as ClusterNode
      const live = () => nodes
      const ramps: ClusterPartner[] = []
      for (let i = 0; i < 5; i++) {
        const ramp = await provisionPartner(first, {
          name: `Ramp ${i}`,
          type: 'ON_OFF_RAMP',
          corridors: ['USD-IDR'],
          limits: { daily_per_corridor_usd: '100000000', monthly_usd: '1000000000' },
        })
        for (const [asset, amount] of [
          ['USDT', '100000'],
          ['IDRX', '1600000000'],
        ] as const) {
          assert.equal(
            (await call('POST', `${first.url}/v1/sandbox/faucet`, ramp.headers, { asset, amount })).status,
            200,
          )
        }
        ramps.push(ramp)
      }
      const lps: ClusterPartner[] = []
      const wallets = new Map<string, string>()
      for (let i = 0; i < 3; i++) {
        const lp = await provisionPartner(first, {
          name: `LP ${i}`,
          type: 'LP',
          corridors: [],
          liquidity_class: 'A',
          deposit_acceptance: true,
        })
        const address = `0x${(i + 1).toString(16).padStart(40, '0')}`
        const added = await call('POST', `${first.url}/admin/v1/partners/${lp.id}/wallets`, adminHeaders, {
          address,
          label: 'w',
        })
        assert.equal(added.status, 201, added.text)
        assert.equal(
          (
            await call('POST', `${first.url}/v1/sandbox/faucet`, lp.headers, {
              asset: 'USDT',
              amount: '100000',
            })
          ).status,
          200,
        )
        lps.push(lp)
        wallets.set(lp.id, address)
      }
      // Cooling (24 h), a first deposit each, then its lock (USDT 24 h): the sandbox clock moves, prices follow.
      const advance = async () => {
        const moved = await call('POST', `${first.url}/admin/v1/sandbox/clock/advance`, adminHeaders, {
          seconds: 25 * 3600,
        })
        assert.equal(moved.status, 200, moved.text)
        const recovered = await call('POST', `${first.url}/v1/risk/evaluate`, opsHeaders, {
          environment: 'sandbox',
        })
        assert.equal(recovered.status, 200, recovered.text)
      }
      const ledger: Ledger = {
        executions: new Map(),
        deposits: new Set(),
        withdrawals: new Set(),
        refusals: new Map(),
        retried: 0,
        replayed: 0,
      }
      const note = (kind: string, outcome: Outcome) => {
        if (outcome.attempts > 1) ledger.retried++
        if (outcome.answer.headers.get('idempotent-replayed') === 'true') ledger.replayed++
        if (outcome.answer.status >= 400) {
          const key = `${kind} ${outcome.answer.status} ${outcome.answer.body?.error?.code}`
          ledger.refusals.set(key, (ledger.refusals.get(key) ?? 0) + 1)
        }
      }
      let seq = 0
      const keyed = (partner: ClusterPartner) => ({
        ...partner.headers,
        'idempotency-key': `crash-${dialect}-${++seq}-${Date.now()}`,
      })
      const lpDeposit = async (lp: ClusterPartner, amount: string) => {
        const headers = keyed(lp)
        const body = { asset: 'USDT', amount, from_address: wallets.get(lp.id) }
        const outcome = await untilAnswered(live, (node) =>
          call('POST', `${node.url}/v1/lp/deposits`, headers, body),
        )
        note('deposit', outcome)
        if (outcome.answer.status === 200) ledger.deposits.add(outcome.answer.body.deposit_id)
      }
      await advance()
      for (const lp of lps) await lpDeposit(lp, '5000')
      await advance()

      let running = true
      const swapClient = async (ramp: ClusterPartner, id: number) => {
        for (let i = 0; running; i++) {
          const side = (i + id) % 2 === 0 ? { side: 'SELL', amount: '50' } : { side: 'BUY', amount: '812500' }
          const quoteHeaders = keyed(ramp)
          const quote = await untilAnswered(live, (node) =>
            call('POST', `${node.url}/v1/quote`, quoteHeaders, { pair: 'USD-IDR', ...side }),
          )
          note('quote', quote)
          if (quote.answer.status !== 200) {
            await sleep(200)
            continue
          }
          const headers = keyed(ramp)
          const body = { quote_id: quote.answer.body.quote_id, destination_address: ADDRESS }
          const executed = await untilAnswered(live, (node) =>
            call('POST', `${node.url}/v1/execute`, headers, body),
          )
          note('execute', executed)
          if (executed.answer.status === 200) {
            ledger.executions.set(executed.answer.body.execution_id, quote.answer.body.quote_id)
          }
        }
      }
      const lpClient = async (lp: ClusterPartner, id: number) => {
        for (let i = 0; running; i++) {
          if ((i + id) % 2 === 0) {
            await lpDeposit(lp, '5')
            continue
          }
          const headers = keyed(lp)
          const body = { asset: 'USDT', variant: 'fx', amount: '10', to_address: wallets.get(lp.id) }
          const outcome = await untilAnswered(live, (node) =>
            call('POST', `${node.url}/v1/lp/withdrawals`, headers, body),
          )
          note('withdrawal', outcome)
          if (outcome.answer.status === 201) ledger.withdrawals.add(outcome.answer.body.withdrawal_id)
        }
      }
      const clients = [...ramps.map((ramp, i) => swapClient(ramp, i)), ...lps.map((lp, i) => lpClient(lp, i))]
      let kills = 0
      while (kills < KILLS) {
        await sleep(300 + Math.floor(Math.random() * 900))
        const victim = nodes[Math.floor(Math.random() * nodes.length)] as ClusterNode
        await victim.stop('SIGKILL')
        kills++
        await victim.start()
      }
      running = false
      await Promise.all(clients)

      // Quiescence: recovery settles what the kills left pending, the queue pays what it holds.
      await within(30_000, 'nothing pending', async () => {
        const pending = await store.kysely
          .selectFrom('executions')
          .select((eb) => eb.fn.countAll<bigint>().as('n'))
          .where('status', '=', 'PENDING')
          .executeTakeFirstOrThrow()
        const open = await store.kysely
          .selectFrom('lp_withdrawals')
          .select((eb) => eb.fn.countAll<bigint>().as('n'))
          .where('status', 'in', ['QUEUED', 'PROCESSING'])
          .executeTakeFirstOrThrow()
        const unsent = await store.kysely
          .selectFrom('lp_withdrawal_tranches')
          .select((eb) => eb.fn.countAll<bigint>().as('n'))
          .where('paid_at', 'is not', null)
          .where('tx_hash', 'is', null)
          .executeTakeFirstOrThrow()
        return Number(pending.n) + Number(open.n) + Number(unsent.n) === 0
      })

      // Every acknowledged execution is there, settled, and there are no others.
      const executions = await store.kysely
        .selectFrom('executions')
        .select(['execution_id', 'quote_id', 'status'])
        .execute()
      assert.deepEqual(
        new Map(executions.map((row) => [row.execution_id, row.quote_id])),
        ledger.executions,
        'executions in the database = executions acknowledged',
      )
      assert.deepEqual([...new Set(executions.map((row) => row.status))], ['SETTLED'])
      const deposits = await store.kysely.selectFrom('lp_deposits').select('deposit_id').execute()
      assert.deepEqual(new Set(deposits.map((row) => row.deposit_id)), ledger.deposits)
      const withdrawals = await store.kysely
        .selectFrom('lp_withdrawals')
        .select(['withdrawal_id', 'status', 'amount', 'paid', 'shares', 'shares_paid'])
        .execute()
      assert.deepEqual(new Set(withdrawals.map((row) => row.withdrawal_id)), ledger.withdrawals)
      for (const row of withdrawals) {
        // Every escrowed share paid, at the index of its payment: the swaps' fees earned while queued add to it.
        assert.deepEqual([row.status, row.shares_paid], ['COMPLETED', row.shares])
        assert.ok(BigInt(row.paid) >= BigInt(row.amount), `${row.withdrawal_id}: ${row.paid} < ${row.amount}`)
      }
      // One chain transfer per execution and per tranche: nothing paid twice, whatever was re-sent.
      const transfers = await store.kysely
        .selectFrom('chain_transfers')
        .select(['reference', 'sends'])
        .execute()
      assert.equal(transfers.length, executions.length + withdrawals.length)
      // No key left holding: every retried request was answered with its outcome.
      const open = await store.kysely
        .selectFrom('idempotency_keys')
        .select('status')
        .where('status', '!=', 'DONE')
        .execute()
      assert.deepEqual(open, [])
      // Business refusals only; never a quote executed twice or a key that lost its outcome.
      for (const refusal of ledger.refusals.keys()) {
        assert.match(refusal, /^(quote|withdrawal|deposit|execute) (400|422|503) /, refusal)
        assert.doesNotMatch(refusal, /QUOTE_ALREADY_EXECUTED|IDEMPOTENCY_KEY_REUSED/, refusal)
      }
      for (const node of nodes) await node.stop()
      const verify = await promisify(execFile)(
        process.execPath,
        [join(import.meta.dirname, '..', '..', 'bin', 'stablefx.js'), 'ledger', 'verify'],
        { env: { PATH: process.env.PATH ?? '', DATABASE_URL: database.url } },
      )
      assert.match(verify.stdout, /^ledger OK: /)
      const resent = transfers.filter((t) => t.sends > 1n).length
      console.log(
        `# crash [${dialect}]: ${kills} kills, ${ledger.executions.size} executions, ${ledger.deposits.size} deposits, ` +
          `${ledger.withdrawals.size} withdrawals acknowledged; ${ledger.retried} requests retried ` +
          `(${ledger.replayed} answered from the record); ${resent} chain transfers re-sent and deduplicated; ` +
          `refusals ${JSON.stringify([...ledger.refusals])}; lost 0, duplicates 0`,
      )
    })
  })
}

crashSuite('sqlite', 1)
crashSuite('postgres', 2)
