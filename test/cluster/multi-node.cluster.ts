/**
 * Several stablefx nodes on one PostgreSQL database behave as one system
 * (SPEC §15 "Several nodes", issue 8): three real server processes share a
 * fresh database; what one node is told, the others act on within 2 s; each
 * background worker runs on one node and moves when that node dies; limits
 * hold across nodes; a node restarted again and again under load starts
 * every time and nothing is paid twice.
 */
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { promisify } from 'node:util'
import pg from 'pg'
import {
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

const problem = await postgresProblem()
const skip = problem !== undefined && process.env.REQUIRE_POSTGRES !== '1'
if (skip) console.log(`# PostgreSQL not reachable (${problem}); the several-nodes suite is skipped`)

/** The prices the operator's feed posts (a test moves one and the feed follows). */
const MARKET: Record<string, string> = {
  'USD-IDR': '16250',
  'USD-SGD': '1.3',
  'USD-MYR': '4.2',
  'MYR-IDR': '3869.04761905',
}
const ADDRESS = '0x52908400098527886E0F7030069857D2E4169EE7'
const PROPAGATION_MS = 2_000
/** Lease and liveness window of the nodes in this suite (production default 5 s). */
const LEASE_MS = 2_000

/** Every source of every pair at the market mids, posted to one node (both environments). */
async function postMarket(node: ClusterNode, prices: Readonly<Record<string, string>> = MARKET) {
  for (const [pair, price] of Object.entries(prices)) {
    for (const source of ['primary_a', 'primary_b', 'reference']) {
      const posted = await call('POST', `${node.url}/admin/v1/oracle/prices`, adminHeaders, {
        source,
        pair,
        price,
      })
      assert.equal(posted.status, 200, posted.text)
    }
  }
}

async function recoverNow(node: ClusterNode) {
  const evaluated = await call('POST', `${node.url}/v1/risk/evaluate`, opsHeaders, { environment: 'sandbox' })
  assert.equal(evaluated.status, 200, evaluated.text)
}

async function faucet(node: ClusterNode, partner: ClusterPartner, asset: string, amount: string) {
  const funded = await call('POST', `${node.url}/v1/sandbox/faucet`, partner.headers, { asset, amount })
  assert.equal(funded.status, 200, funded.text)
}

async function advanceSandbox(node: ClusterNode, seconds: number) {
  const moved = await call('POST', `${node.url}/admin/v1/sandbox/clock/advance`, adminHeaders, { seconds })
  assert.equal(moved.status, 200, moved.text)
  return moved.body as { now: string; offset_seconds: number }
}

describe('several nodes on one PostgreSQL database [postgres]', { skip, timeout: 300_000 }, () => {
  let database: TestDatabase
  let db: pg.Pool
  let nodes: ClusterNode[] = []
  let feeder: NodeJS.Timeout | undefined
  const figures: Record<string, number> = {}

  before(async () => {
    if (problem !== undefined)
      throw new Error(`REQUIRE_POSTGRES=1 but PostgreSQL is not reachable: ${problem}`)
    database = await createTestDatabase('postgres')
    db = new pg.Pool({ connectionString: database.url, max: 2 })
    const env = { STABLEFX_ORACLE: 'manual', STABLEFX_RATE_LIMIT: 'on', STABLEFX_LEASE_MS: String(LEASE_MS) }
    const ports = [await freePort(), await freePort(), await freePort()]
    nodes = ['a', 'b', 'c'].map((name, i) =>
      clusterNode({ name, port: ports[i] as number, databaseUrl: database.url, env }),
    )
    // The first node migrates and seeds; the others join a running system together.
    await (nodes[0] as ClusterNode).start()
    await Promise.all(nodes.slice(1).map((node) => node.start()))
    await postMarket(nodes[0] as ClusterNode)
    await recoverNow(nodes[0] as ClusterNode)
    // An operator's feed keeps prices fresh, posted each time to another node.
    let turn = 0
    feeder = setInterval(() => {
      const alive = nodes.filter((node) => node.pid() !== undefined)
      const node = alive[turn++ % alive.length]
      if (node !== undefined) void postMarket(node).catch(() => {})
    }, 3_000)
  })

  after(async () => {
    clearInterval(feeder)
    await Promise.all(nodes.map((node) => node.stop()))
    await db?.end()
    await database?.drop()
    console.log(`# several nodes, measured: ${JSON.stringify(figures)}`)
  })

  const [a, b, c] = [0, 1, 2].map((i) => ({
    get node() {
      return nodes[i] as ClusterNode
    },
  })) as [{ node: ClusterNode }, { node: ClusterNode }, { node: ClusterNode }]

  it('a price posted on one node is every node’s price within 2 s', async () => {
    MARKET['USD-IDR'] = '16300'
    await postMarket(b.node)
    for (const other of [a.node, c.node]) {
      figures[`price_to_${other.name}_ms`] = await within(
        PROPAGATION_MS,
        `USD-IDR at 16300 on ${other.name}`,
        async () => {
          const oracle = await call('GET', `${other.url}/admin/v1/oracle`, adminHeaders)
          return oracle.body.sandbox.pairs['USD-IDR'].mid === '16300'
        },
      )
    }
    MARKET['USD-IDR'] = '16250'
    await postMarket(b.node)
  })

  it('an override on one node stops quotes on the others within 2 s, and is recorded once', async () => {
    const partner = await provisionPartner(a.node, {
      name: 'Override watcher',
      type: 'ON_OFF_RAMP',
      corridors: ['USD-SGD'],
      rate_limit_tier: 'premium',
    })
    const before = await db.query(`select coalesce(max(id), 0)::int as id from risk_transitions`)
    const until = new Date(Date.now() + 3_600_000).toISOString()
    const override = await call('POST', `${a.node.url}/v1/reserve/state-override`, opsHeaders, {
      corridor: 'USD-SGD',
      state: 'HALT',
      reason: 'cluster drill',
      expires_at: until,
      environment: 'sandbox',
    })
    assert.equal(override.status, 200, override.text)
    for (const other of [b.node, c.node]) {
      figures[`override_to_${other.name}_ms`] = await within(
        PROPAGATION_MS,
        `HALT on ${other.name}`,
        async () => {
          const quote = await call(
            'GET',
            `${other.url}/v1/quote?pair=USD-SGD&side=SELL&amount=100`,
            partner.headers,
          )
          return quote.status === 503 && quote.body.error.code === 'QUOTE_HALTED'
        },
      )
    }
    // Every node evaluates every second or so; the change is still one transition and one event.
    await sleep(1_500)
    const transitions = await db.query(
      `select previous_state, state, trigger from risk_transitions
        where environment = 'sandbox' and corridor = 'USD-SGD' and id > $1 order by id`,
      [before.rows[0].id],
    )
    assert.deepEqual(transitions.rows, [{ previous_state: 'NORMAL', state: 'HALT', trigger: 'override' }])
    const events = await db.query(
      `select count(*)::int as n from events
        where type = 'system.state_change' and environment = 'sandbox' and data like '%"USD-SGD"%' and data like '%override%'`,
    )
    assert.equal(events.rows[0].n, 1)
  })

  it('a sandbox clock advance on one node moves every node’s clock within 2 s', async () => {
    const moved = await advanceSandbox(c.node, 60)
    await postMarket(c.node)
    await recoverNow(c.node)
    for (const other of [a.node, b.node]) {
      figures[`clock_to_${other.name}_ms`] = await within(
        PROPAGATION_MS,
        `clock on ${other.name}`,
        async () => {
          const clock = await call('GET', `${other.url}/admin/v1/sandbox/clock`, adminHeaders)
          return clock.body.offset_seconds === moved.offset_seconds
        },
      )
    }
    assert.ok(moved.offset_seconds >= 60)
  })

  it('a standard partner’s limit (10/s, burst 20) holds across all nodes together', async () => {
    const partner = await provisionPartner(a.node, {
      name: 'Standard',
      type: 'ON_OFF_RAMP',
      corridors: ['USD-IDR'],
    })
    const started = performance.now()
    const statuses: number[] = []
    let retryAfter: string | null = null
    let policy: string | null = null
    // 24 requests a second for 3 s, spread over the three nodes.
    for (let i = 0; i < 72; i++) {
      const node = nodes[i % 3] as ClusterNode
      const answer = await call('GET', `${node.url}/v1/balances`, partner.headers)
      statuses.push(answer.status)
      if (answer.status === 429) retryAfter ??= answer.headers.get('retry-after')
      policy ??= answer.headers.get('ratelimit-policy')
      await sleep(Math.max(0, started + ((i + 1) * 1000) / 24 - performance.now()))
    }
    const seconds = (performance.now() - started) / 1000
    const allowed = statuses.filter((s) => s === 200).length
    figures.rate_limit_allowed = allowed
    figures.rate_limit_seconds = Math.round(seconds * 100) / 100
    assert.deepEqual([...new Set(statuses)].sort(), [200, 429])
    // One bucket for the partner whichever node answers: at most the burst plus 10 a second.
    assert.ok(allowed <= 20 + Math.ceil(10 * seconds) + 1, `${allowed} allowed in ${seconds} s`)
    assert.ok(allowed >= 20, `${allowed} allowed`)
    assert.equal(retryAfter, '1')
    assert.equal(policy, '"standard";q=20;w=2')
  })

  it('20 concurrent LP withdrawals over three nodes: 2xx each, one withdrawal per key, paid once', async () => {
    const lp = await provisionPartner(a.node, {
      name: 'LP',
      type: 'LP',
      corridors: [],
      liquidity_class: 'A',
      deposit_acceptance: true,
      rate_limit_tier: 'premium',
    })
    const wallet = await call('POST', `${a.node.url}/admin/v1/partners/${lp.id}/wallets`, adminHeaders, {
      address: ADDRESS,
      label: 'treasury',
    })
    assert.equal(wallet.status, 201, wallet.text)
    await advanceSandbox(a.node, 24 * 3600)
    await postMarket(a.node)
    await recoverNow(a.node)
    await faucet(b.node, lp, 'USDT', '1000')
    const deposited = await call('POST', `${b.node.url}/v1/lp/deposits`, lp.headers, {
      asset: 'USDT',
      amount: '1000',
      from_address: ADDRESS,
    })
    assert.equal(deposited.status, 200, deposited.text)
    await advanceSandbox(b.node, 24 * 3600 + 60)
    await postMarket(b.node)
    await recoverNow(b.node)
    const keys = Array.from({ length: 20 }, (_, i) => `lp-withdrawal-key-${i}-${Date.now()}`)
    const body = { asset: 'USDT', variant: 'fx', amount: '10', to_address: ADDRESS }
    const first = await Promise.all(
      keys.map((key, i) =>
        call(
          'POST',
          `${(nodes[i % 3] as ClusterNode).url}/v1/lp/withdrawals`,
          { ...lp.headers, 'idempotency-key': key },
          body,
        ),
      ),
    )
    assert.deepEqual(
      first.map((answer) => answer.status),
      keys.map(() => 201),
      first.map((answer) => answer.text).join('\n'),
    )
    // The same keys again, each on another node: the first answers, not new withdrawals.
    const again = await Promise.all(
      keys.map((key, i) =>
        call(
          'POST',
          `${(nodes[(i + 1) % 3] as ClusterNode).url}/v1/lp/withdrawals`,
          { ...lp.headers, 'idempotency-key': key },
          body,
        ),
      ),
    )
    assert.deepEqual(
      again.map((answer) => [
        answer.status,
        answer.headers.get('idempotent-replayed'),
        answer.body.withdrawal_id,
      ]),
      first.map((answer) => [201, 'true', answer.body.withdrawal_id]),
    )
    await within(10_000, 'every withdrawal paid', async () => {
      const done = await db.query(
        `select count(*)::int as n from lp_withdrawals where partner_id = $1 and status = 'COMPLETED'`,
        [lp.id],
      )
      return done.rows[0].n === 20
    })
    const rows = await db.query(
      `select count(*)::int as n, sum(paid)::text as paid from lp_withdrawals where partner_id = $1`,
      [lp.id],
    )
    assert.deepEqual(rows.rows[0], { n: 20, paid: '200000000' })
    const sends = await db.query(
      `select count(*)::int as n, max(sends)::int as most from chain_transfers
        where reference in (select withdrawal_id || ':1' from lp_withdrawals where partner_id = $1)`,
      [lp.id],
    )
    assert.deepEqual(sends.rows[0], { n: 20, most: 1 })
  })

  it('under load on two nodes, the third restarts 25 times and starts every time; nothing is paid twice', async () => {
    const ramp = await provisionPartner(a.node, {
      name: 'Busy Ramp',
      type: 'ON_OFF_RAMP',
      corridors: ['USD-IDR'],
      rate_limit_tier: 'premium',
      limits: { daily_per_corridor_usd: '100000000', monthly_usd: '1000000000' },
    })
    await faucet(a.node, ramp, 'USDT', '500000')
    await faucet(a.node, ramp, 'IDRX', '8000000000')
    let running = true
    const answers = new Map<number, number>()
    const count = (status: number) => answers.set(status, (answers.get(status) ?? 0) + 1)
    // Four clients at 5 pairs (10 requests) a second each: under the premium limit (50/s), so every answer is 200.
    const client = async (id: number) => {
      for (let i = 0; running; i++) {
        const paced = sleep(200)
        const node = [a.node, c.node][(id + i) % 2] as ClusterNode
        const side = i % 2 === 0 ? { side: 'SELL', amount: '100' } : { side: 'BUY', amount: '1625000' }
        const quote = await call('POST', `${node.url}/v1/quote`, ramp.headers, { pair: 'USD-IDR', ...side })
        count(quote.status)
        if (quote.status !== 200) continue
        const executed = await call(
          'POST',
          `${node.url}/v1/execute`,
          { ...ramp.headers, 'idempotency-key': `restart-${quote.body.quote_id}` },
          { quote_id: quote.body.quote_id, destination_address: ADDRESS },
        )
        count(executed.status)
        await paced
      }
    }
    const clients = [0, 1, 2, 3].map(client)
    const startMs: number[] = []
    for (let restart = 0; restart < 25; restart++) {
      const exit = await b.node.stop(restart % 5 === 4 ? 'SIGKILL' : 'SIGTERM')
      if (restart % 5 !== 4) assert.equal(exit, 0, b.node.logs())
      const started = performance.now()
      await b.node.start()
      startMs.push(performance.now() - started)
    }
    running = false
    await Promise.all(clients)
    figures.restarts = startMs.length
    figures.restart_ms_max = Math.round(Math.max(...startMs))
    figures.restart_ms_median = Math.round([...startMs].sort((x, y) => x - y)[12] as number)
    figures.load_executions = answers.get(200) ?? 0
    // Every request was answered 200: quotes and executions never saw the restarts.
    assert.deepEqual([...answers.keys()], [200], JSON.stringify([...answers]))
    await within(10_000, 'no execution left pending', async () => {
      const pending = await db.query(`select count(*)::int as n from executions where status = 'PENDING'`)
      return pending.rows[0].n === 0
    })
    const resent = await db.query(`select count(*)::int as n from chain_transfers where sends > 1`)
    assert.equal(resent.rows[0].n, 0)
    const settled = await db.query(
      `select count(*)::int as n from executions e join chain_transfers t on t.reference = e.execution_id
        where e.partner_id = $1 and e.status = 'SETTLED'`,
      [ramp.id],
    )
    assert.equal(settled.rows[0].n, (answers.get(200) ?? 0) / 2)
  })

  it('each worker lease has one live holder; when that node dies its leases move within seconds', async () => {
    // A node killed a moment ago still counts as alive until its last heartbeat is older than the lease.
    let view = await call('GET', `${c.node.url}/admin/v1/cluster`, adminHeaders)
    await within(LEASE_MS * 2, 'three live nodes', async () => {
      view = await call('GET', `${c.node.url}/admin/v1/cluster`, adminHeaders)
      return view.body.nodes.length === 3
    })
    const live = new Set((view.body.nodes as { id: string }[]).map((node) => node.id))
    const leases = view.body.leases as { name: string; holder: string; expires_in_ms: number }[]
    assert.deepEqual(
      leases.map((lease) => lease.name),
      [
        'cluster.maintenance',
        'credentials.expiry',
        'deposits.pending.live',
        'deposits.pending.sandbox',
        'earn.live',
        'earn.sandbox',
        'executions.recovery.live',
        'executions.recovery.sandbox',
        'fees.deferred.live',
        'fees.deferred.sandbox',
        'idempotency.purge',
        'payments.timeout.live',
        'payments.timeout.sandbox',
        'phase2.live',
        'phase2.sandbox',
        'por.live',
        'por.sandbox',
        'quotes.expiry.live',
        'quotes.expiry.sandbox',
        'rampup.live',
        'rebalancer.live',
        'rebalancer.sandbox',
        'risk.live',
        'risk.sandbox',
        'webhooks.live',
        'webhooks.sandbox',
        'withdrawals.live',
        'withdrawals.sandbox',
      ],
    )
    for (const lease of leases) assert.ok(live.has(lease.holder), `${lease.name} held by ${lease.holder}`)
    // Kill the node that runs the sandbox risk timer (the node that started first, unless it once stalled).
    const holder = (leases.find((lease) => lease.name === 'risk.sandbox') as { holder: string }).holder
    const moved = leases.filter((lease) => lease.holder === holder).map((lease) => lease.name)
    const views = await Promise.all(
      nodes.map((node) => call('GET', `${node.url}/admin/v1/cluster`, adminHeaders)),
    )
    const victim = nodes[views.findIndex((answer) => answer.body.node_id === holder)] as ClusterNode
    const survivor = nodes.find((node) => node !== victim) as ClusterNode
    await victim.stop('SIGKILL')
    const killedAt = performance.now()
    await within(LEASE_MS * 4, 'leases taken over', async () => {
      const now = await call('GET', `${survivor.url}/admin/v1/cluster`, adminHeaders)
      const after = now.body.leases as { name: string; holder: string; expires_in_ms: number }[]
      return after
        .filter((lease) => moved.includes(lease.name))
        .every((lease) => lease.holder !== holder && lease.expires_in_ms > 0)
    })
    figures.takeover_ms = Math.round(performance.now() - killedAt)
    assert.ok(figures.takeover_ms <= LEASE_MS + 2_000, `${figures.takeover_ms} ms`)
    await victim.start()
  })

  it('the ledger verifies after all of it', async () => {
    const verify = await promisify(execFile)(
      process.execPath,
      [join(import.meta.dirname, '..', '..', 'bin', 'stablefx.js'), 'ledger', 'verify'],
      { env: { PATH: process.env.PATH ?? '', DATABASE_URL: database.url } },
    )
    assert.match(verify.stdout, /^ledger OK: /)
  })
})
