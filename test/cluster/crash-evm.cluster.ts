/**
 * Crashes on a real EVM chain (issue 14): two stablefx processes settle the
 * sandbox on a local Anvil node (started by the helper `stablefx sim chain`
 * uses, with the settings it prints) and share one PostgreSQL database; 3
 * clients quote and execute, each retrying with the same Idempotency-Key
 * until it hears an answer, while the nodes are killed with SIGKILL and
 * started again. Mining is driven here: a block every 250 ms, and before
 * every other kill mining stops, so the kill lands while payouts are
 * broadcast and unmined (and, stopped long enough, replaced at a higher fee).
 *
 * Afterwards the chain itself is the judge: each execution pays to an
 * address of its own, so its ERC-20 Transfer logs are counted exactly; no
 * execution has more than one, a SETTLED one has exactly one (its amount,
 * its token, its hash), a FAILED one none; the sum sent equals the SETTLED
 * executions' destination amounts (and the hot wallet's loss); nothing is
 * left PENDING; the ledger verifies. CRASH_EVM_ROUNDS sets the kills (6).
 */
import assert from 'node:assert/strict'
import { execFile } from 'node:child_process'
import { randomBytes } from 'node:crypto'
import { join } from 'node:path'
import { after, before, describe, it } from 'node:test'
import { promisify } from 'node:util'
import { getAddress, type Hex, parseAbi, parseAbiItem } from 'viem'
import { ASSETS } from '../../src/config/assets.ts'
import type { LocalChain } from '../../src/sim/chain.ts'
import { openStore, type Store } from '../../src/store/store.ts'
import { startChain, tokenBalance } from '../chain/evm/support.ts'
import {
  type Answer,
  type ClusterNode,
  type ClusterPartner,
  call,
  clusterNode,
  freePort,
  provisionPartner,
  sleep,
  within,
} from '../support/cluster.ts'
import { createTestDatabase, postgresProblem, type TestDatabase } from '../support/databases.ts'

const ROUNDS = Number(process.env.CRASH_EVM_ROUNDS ?? 6)
const NODES = 2
const BLOCK_MS = 250
const MINT = parseAbi(['function mint(address to, uint256 amount)'])
const TRANSFER = parseAbiItem('event Transfer(address indexed from, address indexed to, uint256 value)')

const problem = await postgresProblem()
const pgSkip = problem !== undefined && process.env.REQUIRE_POSTGRES !== '1'
let skip: string | false = false
let chain: LocalChain | undefined
if (pgSkip) {
  // test/support/databases.ts has printed the one line already.
  skip = `PostgreSQL not reachable (${problem}); the EVM crash suite is skipped`
} else if (problem === undefined) {
  const started = await startChain()
  if (typeof started === 'string') {
    skip = started.replace('EVM suites skipped', 'the EVM crash suite is skipped')
    console.log(`# ${skip}`)
  } else chain = started
}

/** Codes that mean "ask again": the request did not finish, or its first attempt is still running. */
function retryable(answer: Answer): boolean {
  if (answer.status === 409 && answer.body?.error?.code === 'IDEMPOTENCY_KEY_IN_USE') return true
  return answer.status >= 500 && ['INTERNAL_ERROR', 'NOT_READY', undefined].includes(answer.body?.error?.code)
}

type Outcome = { answer: Answer; attempts: number }

/** Sends one request until it is answered: on a network failure or a retryable answer, the same request again, on the next node. */
async function untilAnswered(nodes: readonly ClusterNode[], send: (node: ClusterNode) => Promise<Answer>) {
  const deadline = Date.now() + 90_000
  for (let attempts = 1; ; attempts++) {
    const node = nodes[attempts % nodes.length] as ClusterNode
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

const count = async (store: Store, table: 'executions' | 'evm_transactions', status: string) =>
  Number(
    (
      await store.kysely
        .selectFrom(table)
        .select((eb) => eb.fn.countAll<bigint>().as('n'))
        .where('status', '=', status)
        .executeTakeFirstOrThrow()
    ).n,
  )

describe(`SIGKILL between broadcast and receipt [EVM, postgres, ${NODES} nodes]`, {
  skip,
  timeout: 300_000,
}, () => {
  let database: TestDatabase
  let store: Store
  const nodes: ClusterNode[] = []
  const local = chain as LocalChain
  /** Mining: a block every BLOCK_MS unless paused; the kills pause it. */
  const miner = { on: true, paused: false, loop: Promise.resolve() }

  before(async () => {
    if (problem !== undefined)
      throw new Error(`REQUIRE_POSTGRES=1 but PostgreSQL is not reachable: ${problem}`)
    if (chain === undefined) throw new Error('the local chain did not start')
    // The hot wallet's 10 million IDRX would pay a dozen swaps: enough of both for any run, so no payout reverts.
    const hotWallet = local.wallet(0)
    for (const asset of ['USDT', 'IDRX'] as const) {
      const hash = await hotWallet.writeContract({
        address: local.tokens[asset],
        abi: MINT,
        functionName: 'mint',
        args: [local.hotWallet.address, 10n ** BigInt(12 + ASSETS[asset].decimals)],
        account: hotWallet.account ?? null,
        chain: hotWallet.chain,
      })
      await local.publicClient.waitForTransactionReceipt({ hash, pollingInterval: 10 })
    }
    await local.rpc('evm_setAutomine', [false])
    miner.loop = (async () => {
      while (miner.on) {
        if (!miner.paused) await local.rpc('anvil_mine', ['0x1'])
        await sleep(BLOCK_MS)
      }
    })()
    database = await createTestDatabase('postgres')
    const env = {
      ...local.env,
      STABLEFX_ORACLE: 'sim',
      STABLEFX_RATE_LIMIT: 'off',
      STABLEFX_LEASE_MS: '2000',
      STABLEFX_EVM_POLL_MS: '100',
      STABLEFX_EVM_SEND_WAIT_MS: '8000',
      // A transaction unmined for 1.5 s is replaced at a higher fee: the paused rounds make some.
      STABLEFX_EVM_STUCK_MS: '1500',
    }
    for (let i = 0; i < NODES; i++)
      nodes.push(clusterNode({ name: `evm-${i}`, port: await freePort(), databaseUrl: database.url, env }))
    for (const node of nodes) await node.start()
    store = await openStore(database.url, { migrate: false })
  })

  after(async () => {
    miner.on = false
    await miner.loop
    await Promise.all(nodes.map((node) => node.stop('SIGKILL')))
    await store?.close()
    await database?.drop()
    await chain?.stop()
  })

  it(`${ROUNDS} kills: at most one Transfer per execution, chain sum = SETTLED sum, none PENDING, ledger verifies`, async () => {
    const first = nodes[0] as ClusterNode
    const hot = local.hotWallet.address
    const before = {
      USDT: await tokenBalance(local, 'USDT', hot),
      IDRX: await tokenBalance(local, 'IDRX', hot),
    }
    const ramps: ClusterPartner[] = []
    for (let i = 0; i < 3; i++) {
      const ramp = await provisionPartner(first, {
        name: `EVM ramp ${i}`,
        type: 'ON_OFF_RAMP',
        corridors: ['USD-IDR'],
        limits: { daily_per_corridor_usd: '100000000', monthly_usd: '1000000000' },
      })
      for (const [asset, amount] of [
        ['USDT', '100000'],
        ['IDRX', '1600000000'],
      ] as const) {
        const funded = await call('POST', `${first.url}/v1/sandbox/faucet`, ramp.headers, { asset, amount })
        assert.equal(funded.status, 200, funded.text)
      }
      ramps.push(ramp)
    }

    /** execution_id → the address it pays to (one of its own). */
    const acknowledged = new Map<string, string>()
    const answered = new Map<string, number>()
    const refusals = new Map<string, number>()
    let retried = 0
    let seq = 0
    const keyed = (ramp: ClusterPartner) => ({
      ...ramp.headers,
      'idempotency-key': `crash-evm-${++seq}-${Date.now()}`,
    })
    const note = (kind: string, outcome: Outcome) => {
      if (outcome.attempts > 1) retried++
      if (outcome.answer.status >= 400) {
        const key = `${kind} ${outcome.answer.status} ${outcome.answer.body?.error?.code}`
        refusals.set(key, (refusals.get(key) ?? 0) + 1)
      }
    }
    let running = true
    const client = async (ramp: ClusterPartner, id: number) => {
      for (let i = 0; running; i++) {
        const side = (i + id) % 2 === 0 ? { side: 'SELL', amount: '50' } : { side: 'BUY', amount: '812500' }
        const quoteHeaders = keyed(ramp)
        const quote = await untilAnswered(nodes, (node) =>
          call('POST', `${node.url}/v1/quote`, quoteHeaders, { pair: 'USD-IDR', ...side }),
        )
        note('quote', quote)
        if (quote.answer.status !== 200) {
          await sleep(200)
          continue
        }
        const headers = keyed(ramp)
        const destination = getAddress(`0x${randomBytes(20).toString('hex')}`)
        const body = { quote_id: quote.answer.body.quote_id, destination_address: destination }
        const executed = await untilAnswered(nodes, (node) =>
          call('POST', `${node.url}/v1/execute`, headers, body),
        )
        note('execute', executed)
        if (executed.answer.status === 200) {
          acknowledged.set(executed.answer.body.execution_id, destination)
          const status = executed.answer.body.status as string
          answered.set(status, (answered.get(status) ?? 0) + 1)
        }
      }
    }
    const clients = ramps.map((ramp, i) => client(ramp, i))

    const killsStarted = performance.now()
    let kills = 0
    let inFlight = 0
    let signedAtKill = 0
    while (kills < ROUNDS) {
      const paused = kills % 2 === 1
      if (paused) miner.paused = true
      await sleep((paused ? 600 : 300) + Math.floor(Math.random() * 900))
      const pool = (await local.rpc('txpool_status')) as { pending: string }
      const unmined = Number(pool.pending)
      const signed = await count(store, 'evm_transactions', 'SIGNED')
      const victim = nodes[Math.floor(Math.random() * nodes.length)] as ClusterNode
      await victim.stop('SIGKILL')
      kills++
      if (unmined > 0) inFlight++
      if (signed > 0) signedAtKill++
      await victim.start()
      miner.paused = false
    }
    running = false
    await Promise.all(clients)
    const killMs = performance.now() - killsStarted

    // Recovery: every execution ends, every recorded transaction is settled one way or the other.
    const recoveryMs = await within(60_000, 'nothing pending', async () => {
      return (
        (await count(store, 'executions', 'PENDING')) + (await count(store, 'evm_transactions', 'SIGNED')) ===
        0
      )
    })

    const executions = await store.kysely
      .selectFrom('executions')
      .select(['execution_id', 'side', 'status', 'destination_amount', 'destination_address', 'tx_hash'])
      .execute()
    assert.deepEqual(
      new Map(executions.map((row) => [row.execution_id, getAddress(row.destination_address)])),
      acknowledged,
      'executions in the database = executions acknowledged, each to its own address',
    )
    assert.deepEqual(
      executions.filter((row) => row.status !== 'SETTLED' && row.status !== 'FAILED'),
      [],
      'every execution SETTLED or FAILED',
    )

    // The chain: every Transfer the hot wallet made of either stablecoin.
    const logs = await local.publicClient.getLogs({
      address: [local.tokens.USDT, local.tokens.IDRX],
      event: TRANSFER,
      args: { from: hot },
      fromBlock: 0n,
      toBlock: 'latest',
    })
    const byAddress = new Map<string, { token: Hex; value: bigint; hash: Hex }[]>()
    for (const log of logs) {
      const to = getAddress(log.args.to as Hex)
      byAddress.set(to, [
        ...(byAddress.get(to) ?? []),
        { token: getAddress(log.address), value: log.args.value as bigint, hash: log.transactionHash },
      ])
    }
    const destinations = new Set(executions.map((row) => getAddress(row.destination_address)))
    assert.deepEqual(
      [...byAddress.keys()].filter((to) => !destinations.has(to as Hex)),
      [],
      'no transfer to an address no execution names',
    )
    const settledSum = { USDT: 0n, IDRX: 0n }
    const chainSum = { USDT: 0n, IDRX: 0n }
    let duplicates = 0
    for (const row of executions) {
      const transfers = byAddress.get(getAddress(row.destination_address)) ?? []
      if (transfers.length > 1) duplicates++
      // SELL USD-IDR pays IDRX, BUY pays USDT.
      const asset = row.side === 'SELL' ? 'IDRX' : 'USDT'
      for (const transfer of transfers) chainSum[asset] += transfer.value
      if (row.status === 'SETTLED') {
        settledSum[asset] += BigInt(row.destination_amount)
        assert.equal(transfers.length, 1, `${row.execution_id}: ${transfers.length} transfers`)
        const [transfer] = transfers
        assert.deepEqual(
          [transfer?.token, transfer?.value, transfer?.hash],
          [getAddress(local.tokens[asset]), BigInt(row.destination_amount), row.tx_hash],
          row.execution_id,
        )
      } else {
        assert.equal(transfers.length, 0, `${row.execution_id} is ${row.status} but paid`)
      }
    }
    assert.equal(duplicates, 0)
    assert.deepEqual(chainSum, settledSum, 'sent on chain = SETTLED destination amounts')
    const afterwards = {
      USDT: await tokenBalance(local, 'USDT', hot),
      IDRX: await tokenBalance(local, 'IDRX', hot),
    }
    assert.deepEqual(
      { USDT: before.USDT - afterwards.USDT, IDRX: before.IDRX - afterwards.IDRX },
      settledSum,
      "the hot wallet's loss = SETTLED destination amounts",
    )
    // Every transfer a single recorded transaction; the ones replaced at a higher fee kept all their hashes.
    const transactions = await store.kysely
      .selectFrom('evm_transactions')
      .select(['reference', 'status', 'tx_hashes'])
      .execute()
    const replaced = transactions.filter((row) => (JSON.parse(row.tx_hashes) as string[]).length > 1).length
    const open = await store.kysely
      .selectFrom('idempotency_keys')
      .select('status')
      .where('status', '!=', 'DONE')
      .execute()
    assert.deepEqual(open, [], 'no idempotency key left holding')
    for (const refusal of refusals.keys()) {
      assert.match(refusal, /^(quote|execute) (400|422|503) /, refusal)
      assert.doesNotMatch(refusal, /QUOTE_ALREADY_EXECUTED|IDEMPOTENCY_KEY_REUSED/, refusal)
    }

    for (const node of nodes) await node.stop()
    const verify = await promisify(execFile)(
      process.execPath,
      [join(import.meta.dirname, '..', '..', 'bin', 'stablefx.js'), 'ledger', 'verify'],
      { env: { PATH: process.env.PATH ?? '', DATABASE_URL: database.url } },
    )
    assert.match(verify.stdout, /^ledger OK: /)
    const settled = executions.filter((row) => row.status === 'SETTLED').length
    console.log(
      `# crash [evm]: ${kills} kills and restarts in ${Math.round(killMs / 1000)} s, recovery ${Math.round(recoveryMs / 1000)} s (${inFlight} with a transaction broadcast and unmined, ` +
        `${signedAtKill} with one recorded and unsettled); ${executions.length} executions ` +
        `(${settled} SETTLED, ${executions.length - settled} FAILED; first answers ${JSON.stringify([...answered])}); ` +
        `${retried} requests retried; ${logs.length} transfers on chain, ${transactions.length} recorded transactions, ` +
        `${replaced} replaced at a higher fee; refusals ${JSON.stringify([...refusals])}; duplicates ${duplicates}`,
    )
  })
})
