/**
 * Two stablefx nodes in one process, each with its own connection pool on
 * one PostgreSQL database (SPEC §15 "Several nodes"): what decides prices and
 * states is in the database, so what one node is told the other sees once
 * it has caught up (`sync`, which the bus runs on each notification and
 * every second). The real-process suite (multi-node.cluster.ts) measures
 * the timing; these tests pin the behaviour on manual clocks.
 */
import assert from 'node:assert/strict'
import { it } from 'node:test'
import { createManualClock } from '../../src/clock/clock.ts'
import { createStoreRateLimiter, RATE_LIMITS } from '../../src/http/rate-limit.ts'
import type { StateChange } from '../../src/risk/engine.ts'
import { MARKET, override } from '../risk/engine-support.ts'
import { createPartner, createTestApp, setMarket, setPrice, T0, type TestApp } from '../support/app.ts'
import { describeOnPostgres } from '../support/databases.ts'
import { get } from '../trading/support.ts'

const T = { timeout: 30_000 }

describeOnPostgres('two nodes share prices, states, overrides and the sandbox clock', ({ open }) => {
  async function twoNodes(): Promise<[TestApp, TestApp]> {
    const database = await open()
    // One wall clock for both, as two machines with synchronised clocks.
    const clock = createManualClock(T0)
    const one = await createTestApp(await database.store(), { clock })
    const two = await createTestApp(await database.store(), { clock })
    return [one, two]
  }

  const sync = async (app: TestApp) => {
    const { clocks, oracle, risk } = app.stablefx.services
    await clocks.sandbox.refresh()
    await oracle.sync()
    await risk.sync()
  }

  it('a price accepted by one node is the other’s reading, mid history included', T, async () => {
    const [one, two] = await twoNodes()
    try {
      await setMarket(one)
      one.clock.advance(60_000)
      const submitted = await one.stablefx.services.oracle.submitMany(
        (['primary_a', 'primary_b', 'reference'] as const).map((source) => ({
          environment: 'sandbox' as const,
          source,
          pair: 'USD-IDR' as const,
          price: { num: 16258n, den: 1n },
          atMs: one.stablefx.services.clocks.sandbox.now(),
        })),
      )
      assert.ok(submitted.ok)
      await sync(two)
      for (const app of [one, two]) {
        const { oracle } = app.stablefx.services
        assert.deepEqual(oracle.reading('sandbox', 'USD-IDR').mid, { num: 16258n, den: 1n })
        // 8 bps over the window on both nodes: the history is replayed from the same log.
        assert.deepEqual(oracle.midMoveBps('sandbox', 'USD-IDR', 300_000), { num: 64n, den: 13n })
      }
    } finally {
      await one.close()
      await two.close()
    }
  })

  it('an override on one node is the other’s state and stream, recorded once', T, async () => {
    const [one, two] = await twoNodes()
    try {
      await setMarket(one)
      await sync(two)
      const partner = await createPartner(two)
      const heard: StateChange[] = []
      two.stablefx.services.risk.subscribe('sandbox', (change) => heard.push(change))
      await override(one, {
        corridor: 'USD-SGD',
        state: 'HALT',
        reason: 'drill',
        expires_at: new Date(T0 + 3_600_000).toISOString(),
        environment: 'sandbox',
      })
      assert.equal((await get(two, partner, '/v1/quote?pair=USD-SGD&side=SELL&amount=100')).statusCode, 200)
      await sync(two)
      const refused = await get(two, partner, '/v1/quote?pair=USD-SGD&side=SELL&amount=100')
      assert.equal(refused.statusCode, 503)
      assert.equal(refused.json().error.code, 'QUOTE_HALTED')
      assert.deepEqual(
        heard.map((change) => [change.corridor, change.previousState, change.state, change.trigger]),
        [['USD-SGD', 'NORMAL', 'HALT', 'override']],
      )
      // Both nodes evaluate again: nothing changed, so nothing more is recorded.
      await one.stablefx.services.risk.evaluateNow('sandbox', 'degrade', 'timer')
      await two.stablefx.services.risk.evaluateNow('sandbox', 'degrade', 'timer')
      const rows = await one.store.kysely
        .selectFrom('risk_transitions')
        .select(['corridor', 'state', 'trigger'])
        .where('environment', '=', 'sandbox')
        .where('trigger', '=', 'override')
        .execute()
      assert.deepEqual(rows, [{ corridor: 'USD-SGD', state: 'HALT', trigger: 'override' }])
    } finally {
      await one.close()
      await two.close()
    }
  })

  it('a sandbox clock advance on one node moves the other’s clock', T, async () => {
    const [one, two] = await twoNodes()
    try {
      const moved = await one.admin('POST', '/admin/v1/sandbox/clock/advance', { seconds: 7200 })
      assert.equal(moved.statusCode, 200, moved.body)
      assert.equal(two.stablefx.services.clocks.sandbox.offsetMs(), 0)
      await sync(two)
      assert.equal(two.stablefx.services.clocks.sandbox.offsetMs(), 7_200_000)
      assert.equal(two.stablefx.services.clocks.sandbox.now(), T0 + 7_200_000)
    } finally {
      await one.close()
      await two.close()
    }
  })

  it('a restarted node keeps the recorded states and the 5-minute recovery rule', T, async () => {
    const database = await open()
    const clock = createManualClock(T0)
    const first = await createTestApp(await database.store(), { clock })
    await setMarket(first) // recovery evaluated at T0
    clock.advance(100_000)
    // Every price is 100 s old: the timer's evaluation degrades every corridor to HALT.
    await first.stablefx.services.risk.tick('sandbox')
    assert.equal(first.stablefx.services.risk.view('sandbox', 'USD-SGD').state, 'HALT')
    await first.close()
    const again = await createTestApp(await database.store(), { clock })
    try {
      const { risk } = again.stablefx.services
      const freshPrices = async () => {
        for (const [pair, price] of Object.entries(MARKET)) await setPrice(again, pair, price)
      }
      await freshPrices()
      assert.equal(risk.view('sandbox', 'USD-SGD').state, 'HALT')
      // Every signal is clear now, but recovery is due only 5 minutes after the last one, restart or not.
      await risk.tick('sandbox')
      assert.equal(risk.view('sandbox', 'USD-SGD').state, 'HALT')
      clock.advance(200_000)
      await freshPrices()
      await risk.tick('sandbox')
      assert.equal(risk.view('sandbox', 'USD-SGD').state, 'NORMAL')
      const transitions = await again.store.kysely
        .selectFrom('risk_transitions')
        .select(['previous_state', 'state', 'trigger'])
        .where('environment', '=', 'sandbox')
        .where('corridor', '=', 'USD-SGD')
        .orderBy('id', 'desc')
        .limit(2)
        .execute()
      assert.deepEqual(transitions.reverse(), [
        { previous_state: 'NORMAL', state: 'HALT', trigger: 'timer' },
        { previous_state: 'HALT', state: 'NORMAL', trigger: 'timer' },
      ])
    } finally {
      await again.close()
    }
  })

  it('a partner’s bucket is one for every node, and a purged bucket starts full again', T, async () => {
    const database = await open()
    const [one, two] = [
      createStoreRateLimiter(await database.store()),
      createStoreRateLimiter(await database.store()),
    ]
    const key = 'partner:shared-bucket'
    const allowed: boolean[] = []
    for (let i = 0; i < 24; i++)
      allowed.push((await (i % 2 === 0 ? one : two).take(key, RATE_LIMITS.standard)).allowed)
    // 20 at once, then one every 100 ms: a few more may refill while the 24 run, never 20 per node.
    const taken = allowed.filter(Boolean).length
    assert.ok(taken >= 20 && taken <= 22, `${taken} allowed`)
    assert.deepEqual(allowed.slice(0, 20), Array(20).fill(true))
    const refused = await one.take(key, RATE_LIMITS.standard)
    if (!refused.allowed) assert.equal(refused.retryAfterSeconds, 1)
    const store = await database.store()
    await store.kysely.deleteFrom('rate_limit_buckets').where('key', '=', key).execute()
    const fresh = await two.take(key, RATE_LIMITS.standard)
    assert.deepEqual([fresh.allowed, fresh.remaining], [true, 19])
  })
})
