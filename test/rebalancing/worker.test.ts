/**
 * The rebalancer worker (SPEC §8, §15) on both databases, driven by hand as
 * the runner would: a soft deviation's cooldown is persisted, so another node
 * (a fresh worker on the same database) fires it when it ends; a stale
 * oracle moves nothing and is reported once; the operations route answers
 * the list shape and refuses bad cursors and limits.
 *
 * Monday 23 November 2026 00:00 UTC is peak for USD-IDR: a cooldown of 4 h.
 */
import assert from 'node:assert/strict'
import { it } from 'node:test'
import {
  type RebalancerDeps,
  rebalancerWorker,
  rebalancerWorkerName,
  runRebalancer,
} from '../../src/rebalancing/worker.ts'
import { readActivePositions } from '../../src/risk/positions.ts'
import { advanceWithFreshPrices, openApp, T, trade } from '../risk/engine-support.ts'
import { createPartner, OPS_TOKEN, setMarket, T0, type TestApp } from '../support/app.ts'
import { describeEachDialect } from '../support/databases.ts'
import { fund } from '../trading/support.ts'

const HOUR = 3_600_000

function deps(app: TestApp, log?: RebalancerDeps['log']): RebalancerDeps {
  const s = app.stablefx.services
  return {
    store: s.store,
    oracle: s.oracle,
    clocks: s.clocks,
    engine: s.risk,
    pools: s.pools,
    ...(log ? { log } : {}),
  }
}

async function cooldowns(app: TestApp) {
  return app.store.kysely.selectFrom('rebalance_cooldowns').selectAll().execute()
}

/** The workers whose leases this (only) node holds: start() returns after its first renewal. */
async function workerNames(app: TestApp): Promise<string[]> {
  const rows = await app.store.kysely
    .selectFrom('worker_leases')
    .select('name')
    .where('holder', '=', app.stablefx.services.nodeId)
    .orderBy('name')
    .execute()
  return rows.map((row) => row.name)
}

async function waitForSweep(app: TestApp): Promise<void> {
  for (let i = 0; i < 200; i++) {
    const row = await app.store.kysely
      .selectFrom('rebalance_sweeps')
      .select('hour_start')
      .where('environment', '=', 'sandbox')
      .executeTakeFirst()
    if (row !== undefined) return
    await new Promise((resolve) => setTimeout(resolve, 50))
  }
  assert.fail('the rebalancer never ran its first sweep')
}

/** The rebalances stored, once `count` of them are there or `withinMs` has passed. */
async function waitForRebalances(app: TestApp, count: number, withinMs: number) {
  const read = () =>
    app.store.kysely
      .selectFrom('rebalances')
      .select(['corridor', 'direction', 'trigger', 'base_amount'])
      .orderBy('id')
      .execute()
  const until = Date.now() + withinMs
  let rows = await read()
  while (Date.now() < until && (count === 0 || rows.length < count)) {
    await new Promise((resolve) => setTimeout(resolve, 100))
    rows = await read()
  }
  return rows
}

const kinds = (run: Awaited<ReturnType<typeof runRebalancer>>) =>
  run.outcomes.map((o) => `${o.corridor} ${o.kind}`)

describeEachDialect('rebalancer worker', ({ dialect }) => {
  it('a soft deviation waits out its persisted cooldown, then another node fires it', T, async (t) => {
    const app = await openApp(t, dialect)
    await setMarket(app)
    const partner = await createPartner(app)
    await fund(app, partner, 'USDT', '50000')
    // One $50,000 SELL: exactly soft for USD-IDR.
    await trade(app, partner, { pair: 'USD-IDR', side: 'SELL', amount: '50000' })
    const first = await runRebalancer(deps(app), 'sandbox', () => true)
    assert.deepEqual(kinds(first), ['USD-IDR wait'])
    assert.deepEqual(
      (await cooldowns(app)).map((c) => ({ ...c })),
      [
        {
          environment: 'sandbox',
          corridor: 'USD-IDR',
          direction: 'LONG_BASE',
          started_at: BigInt(T0),
          ends_at: BigInt(T0 + 4 * HOUR),
        },
      ],
    )
    // Runs during the cooldown keep it as it was.
    await advanceWithFreshPrices(app, 2 * HOUR, HOUR)
    assert.deepEqual(kinds(await runRebalancer(deps(app), 'sandbox', () => true)), ['USD-IDR wait'])
    assert.equal((await cooldowns(app))[0]?.ends_at, BigInt(T0 + 4 * HOUR))
    // Another worker (a node that took the lease over) finds the cooldown ended and fires: $50,000 − $15,000.
    await advanceWithFreshPrices(app, 2 * HOUR, HOUR)
    const fired = await runRebalancer(deps(app), 'sandbox', () => true)
    const outcome = fired.outcomes[0]
    assert.equal(outcome?.kind, 'rebalance')
    assert.equal(
      outcome.kind === 'rebalance' && outcome.decision.kind === 'rebalance' && outcome.decision.trigger,
      'cooldown_elapsed',
    )
    assert.deepEqual(await cooldowns(app), [])
    const position = (await readActivePositions(app.store, 'sandbox')).get('USD-IDR')
    assert.equal(position?.baseUnits, 15_000_000_000n)
    // Within the residual: later runs have nothing to do and open no transaction for it.
    assert.deepEqual(kinds(await runRebalancer(deps(app), 'sandbox', () => true)), [])
    // A lease lost before the first corridor: nothing is planned.
    assert.deepEqual(kinds(await runRebalancer(deps(app), 'sandbox', () => false)), [])
  })

  it(
    'a stale oracle moves nothing; the worker reports it once, and once more when it clears',
    T,
    async (t) => {
      const app = await openApp(t, dialect)
      await setMarket(app)
      const partner = await createPartner(app)
      await fund(app, partner, 'USDT', '50000')
      await trade(app, partner, { pair: 'USD-IDR', side: 'SELL', amount: '50000' })
      const lines: string[] = []
      const log = {
        warn: (_: object, msg: string) => lines.push(`warn ${msg}`),
        info: (_: object, msg: string) => lines.push(`info ${msg}`),
      }
      const worker = rebalancerWorker(deps(app, log), 'sandbox')
      assert.equal(worker.name, rebalancerWorkerName('sandbox'))
      assert.equal(worker.name, 'rebalancer.sandbox')
      assert.equal(worker.everyMs, 1_000)
      // Six minutes without prices: no current mid, and the last good one is older than 5 minutes.
      app.clock.advance(6 * 60_000)
      for (let i = 0; i < 3; i++) {
        const run = (await worker.run({ stillHeld: () => true })) as Awaited<ReturnType<typeof runRebalancer>>
        assert.deepEqual(kinds(run), ['USD-IDR oracle_stale'])
      }
      assert.deepEqual(lines, ['warn rebalancer cannot act'])
      assert.deepEqual(await cooldowns(app), [])
      await advanceWithFreshPrices(app, 1_000)
      await worker.run({ stillHeld: () => true })
      assert.deepEqual(lines, ['warn rebalancer cannot act', 'info rebalancer problems cleared'])
      assert.equal((await cooldowns(app)).length, 1)
    },
  )

  for (const on of [true, false]) {
    it(
      on
        ? 'a running node rebalances once an execution crosses the hard threshold, woken by it'
        : 'STABLEFX_REBALANCER=off: a running node never rebalances',
      T,
      async (t) => {
        const app = await openApp(t, dialect, { rebalancer: on })
        await setMarket(app)
        const partner = await createPartner(app)
        await fund(app, partner, 'USDT', '100000')
        await app.stablefx.start()
        const names = await workerNames(app)
        assert.equal(names.includes('rebalancer.sandbox'), on, names.join(','))
        // The first run is the hour's sweep, on flat pools: let it pass before trading.
        if (on) await waitForSweep(app)
        for (let i = 0; i < 5; i++) {
          await trade(app, partner, { pair: 'USD-IDR', side: 'SELL', amount: '20000' })
        }
        // The manual clock stands still; only the wake (or the 1 s period) can run the worker.
        const rows = await waitForRebalances(app, on ? 1 : 0, on ? 10_000 : 2_500)
        assert.deepEqual(
          rows.map((row) => [row.corridor, row.direction, row.trigger, row.base_amount]),
          on ? [['USD-IDR', 'LONG_BASE', 'hard', '85000000000']] : [],
        )
      },
    )
  }

  it(
    'GET /v1/reserve/batches: the list shape, live by default, bad cursors and limits refused',
    T,
    async (t) => {
      const app = await openApp(t, dialect)
      await setMarket(app)
      const partner = await createPartner(app)
      await fund(app, partner, 'USDT', '100000')
      // Five $20,000 SELLs (PROTECT halves the max size): the hard threshold, one batch in sandbox.
      for (let i = 0; i < 5; i++) {
        await trade(app, partner, { pair: 'USD-IDR', side: 'SELL', amount: '20000' })
      }
      assert.deepEqual(kinds(await runRebalancer(deps(app), 'sandbox', () => true)), ['USD-IDR rebalance'])
      const get = (query: string) =>
        app.inject({
          method: 'GET',
          url: `/v1/reserve/batches${query}`,
          headers: { authorization: `Bearer ${OPS_TOKEN}` },
        })
      // Behind the ops token (SPEC §13): no token is 401, a partner's key 403.
      assert.equal((await app.inject({ method: 'GET', url: '/v1/reserve/batches' })).statusCode, 401)
      assert.equal(
        (
          await app.inject({
            method: 'GET',
            url: '/v1/reserve/batches',
            headers: { authorization: `Bearer ${partner.apiKey}` },
          })
        ).statusCode,
        403,
      )
      // Live by default, like the other operations routes: the sandbox batch is not there.
      const live = await get('')
      assert.equal(live.statusCode, 200)
      assert.deepEqual(live.json(), { items: [], next_cursor: null })
      const sandbox = (await get('?environment=sandbox&limit=1')).json()
      assert.deepEqual(
        sandbox.items.map((b: { volume: string; waop: string; status: string }) => [
          b.volume,
          b.waop,
          b.status,
        ]),
        [['85000', '16250', 'OPEN']],
      )
      assert.equal(sandbox.next_cursor, null)
      assert.deepEqual((await get('?environment=sandbox&corridor=USD-SGD')).json(), {
        items: [],
        next_cursor: null,
      })
      assert.deepEqual((await get('?environment=sandbox&status=CLOSED')).json(), {
        items: [],
        next_cursor: null,
      })
      for (const query of [
        '?cursor=99999999999999999999',
        '?cursor=9999999999999999999',
        '?limit=0',
        '?limit=101',
      ]) {
        const refused = await get(query)
        assert.equal(refused.statusCode, 400, `${query}: ${refused.body}`)
        assert.equal(refused.json().error.code, 'VALIDATION_ERROR')
      }
      for (const query of ['?corridor=USD-EUR', '?status=PENDING', '?environment=staging', '?extra=1']) {
        assert.equal((await get(query)).statusCode, 400, query)
      }
    },
  )
})
