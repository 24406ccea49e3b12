/**
 * SPEC §9 production ramp-up through the API and the database, on SQLite and
 * PostgreSQL: the admin view and actions (audited), the ramped live limits at
 * exact USD boundaries on the manual clock (sandbox unaffected), the
 * RAMP_UP_PAUSED refusals, and the automatic pause on real live executions
 * that fail on the simulated chain.
 */
import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { after, before, beforeEach, it } from 'node:test'
import { SIMULATED_REVERT_ADDRESS } from '../../src/chain/adapter.ts'
import { createManualClock } from '../../src/clock/clock.ts'
import { ASSET_CODES } from '../../src/config/assets.ts'
import { POOL_TIERS, SANDBOX_GENESIS_PCT } from '../../src/config/pools.ts'
import { poolAccount, prefundedAccount, protocolAccount } from '../../src/ledger/accounts.ts'
import { type Posting, postEntry } from '../../src/ledger/journal.ts'
import { percent, scale } from '../../src/money/ratio.ts'
import { pauseOnErrorRate, RAMP_UP_ACTOR } from '../../src/partners/ramp-up-watch.ts'
import { poolTargetMinor } from '../../src/pools/model.ts'
import { referenceUsdRates } from '../../src/pools/usd-rates.ts'
import {
  createPartner,
  createTestApp,
  setMarket,
  T0,
  type TestApp,
  type TestPartner,
} from '../support/app.ts'
import { describeEachDialect } from '../support/databases.ts'
import { ADDRESS, type Body, execute, expectError, firmQuote } from '../trading/support.ts'

const T = { timeout: 30_000 }
const DAY = 86_400_000
const HOUR = 3_600_000
const LIVE = { environment: 'live' } as const
const usdIdr = (amount: string) => ({ pair: 'USD-IDR', side: 'SELL', amount })
const usdSgd = (amount: string) => ({ pair: 'USD-SGD', side: 'SELL', amount })

/** Live pools start empty (src/pools/service.ts); the tests fund them as the sandbox genesis does. */
async function fundLivePools(app: TestApp): Promise<void> {
  const rates = referenceUsdRates()
  const postings: Posting[] = []
  for (const asset of ASSET_CODES) {
    let funded = 0n
    for (const tier of POOL_TIERS) {
      const amount = scale(poolTargetMinor(asset, tier, rates), percent(SANDBOX_GENESIS_PCT[tier]), 'floor')
      if (amount === 0n) continue
      postings.push({ account: poolAccount('live', asset, tier), amount })
      funded += amount
    }
    postings.push({ account: protocolAccount('live', asset, 'protocol_liquidity'), amount: -funded })
  }
  await app.store.transaction((tx) =>
    postEntry(tx, { environment: 'live', kind: 'test_genesis', reference: randomUUID(), postings, atMs: T0 }),
  )
}

/** Stands for an observed live deposit (SPEC §3 funding model): USDT on the partner's live prefunded balance. */
async function fundLivePartner(app: TestApp, partner: TestPartner, usdtMinor: bigint): Promise<void> {
  await app.store.transaction((tx) =>
    postEntry(tx, {
      environment: 'live',
      kind: 'test_deposit',
      reference: randomUUID(),
      postings: [
        { account: prefundedAccount('live', 'USDT', partner.id), amount: usdtMinor },
        { account: protocolAccount('live', 'USDT', 'chain'), amount: -usdtMinor },
      ],
      atMs: app.clock.now(),
    }),
  )
}

async function rampUp(app: TestApp, id: string) {
  const response = await app.admin('GET', `/admin/v1/partners/${id}/ramp-up`)
  assert.equal(response.statusCode, 200, response.body)
  return response.json()
}

async function act(app: TestApp, id: string, body: Record<string, unknown>, status = 200) {
  const response = await app.admin('POST', `/admin/v1/partners/${id}/ramp-up`, body)
  assert.equal(response.statusCode, status, response.body)
  return response.json()
}

async function quoteStatus(app: TestApp, partner: TestPartner, body: Body, live = true): Promise<number> {
  return (await firmQuote(app, partner, body, live ? LIVE : {})).statusCode
}

/** One live USD-SGD trade of 10 USDT, settled or reverted on the simulated chain. */
async function liveTrade(app: TestApp, partner: TestPartner, outcome: 'SETTLED' | 'FAILED'): Promise<void> {
  const quote = await firmQuote(app, partner, usdSgd('10'), LIVE)
  assert.equal(quote.statusCode, 200, quote.body)
  const address = outcome === 'SETTLED' ? ADDRESS : SIMULATED_REVERT_ADDRESS
  const executed = await execute(
    app,
    partner,
    { quote_id: quote.json().quote_id, destination_address: address },
    LIVE,
  )
  assert.equal(executed.statusCode, 200, executed.body)
  assert.equal(executed.json().status, outcome)
}

async function trades(app: TestApp, partner: TestPartner, settled: number, failed: number): Promise<void> {
  for (let i = 0; i < settled; i++) await liveTrade(app, partner, 'SETTLED')
  for (let i = 0; i < failed; i++) await liveTrade(app, partner, 'FAILED')
}

describeEachDialect('production ramp-up (SPEC §9)', ({ store }) => {
  let app: TestApp
  before(async () => {
    app = await createTestApp(store())
    await fundLivePools(app)
  })
  after(() => app.close())
  beforeEach(() => setMarket(app))

  it('a new partner starts at step 1, 25%, from its creation', T, async () => {
    const own = await createTestApp(store(), { clock: createManualClock(T0) })
    try {
      const partner = await createPartner(own)
      assert.deepEqual(await rampUp(own, partner.id), {
        partner_id: partner.id,
        environment: 'live',
        go_live_at: '2026-11-23T00:00:00.000Z',
        step: 1,
        step_pct: '25',
        limit_pct: '25',
        next_step_at: '2026-12-07T00:00:00.000Z',
        override: null,
        paused: false,
        paused_at: null,
        paused_reason: null,
        schedule: [
          { step: 1, starts_at: '2026-11-23T00:00:00.000Z', limit_pct: '25' },
          { step: 2, starts_at: '2026-12-07T00:00:00.000Z', limit_pct: '50' },
          { step: 3, starts_at: '2026-12-21T00:00:00.000Z', limit_pct: '75' },
          { step: 4, starts_at: '2027-01-18T00:00:00.000Z', limit_pct: '100' },
        ],
        error_rate: {
          window_start: '2026-11-22T00:00:00.000Z',
          finished_executions: 0,
          failed_executions: 0,
          min_executions: 20,
          max_error_pct: '5',
          watching: true,
        },
      })
    } finally {
      await own.close()
    }
  })

  it(
    'steps at day 0, 14, 28 and 56: the live daily limit is 25%, 50%, 75%, 100% to the cent',
    T,
    async () => {
      const own = await createTestApp(store(), { clock: createManualClock(T0) })
      try {
        await setMarket(own)
        const partner = await createPartner(own, { limits: { daily_per_corridor_usd: '1000' } })
        const steps: [number, number, string, string, string][] = [
          [0, 1, '25', '250', '250.01'],
          [14, 2, '50', '500', '500.01'],
          [28, 3, '75', '750', '750.01'],
          [56, 4, '100', '1000', '1000.01'],
        ]
        for (const [day, step, pct, atLimit, over] of steps) {
          own.clock.set(T0 + day * DAY)
          await setMarket(own)
          const view = await rampUp(own, partner.id)
          assert.deepEqual([view.step, view.limit_pct], [step, pct], `day ${day}`)
          const refused = expectError(
            await firmQuote(own, partner, usdIdr(over), LIVE),
            422,
            'VOLUME_LIMIT_EXCEEDED',
            'USD-IDR',
          )
          assert.equal(
            refused.message,
            pct === '100'
              ? 'the daily limit for USD-IDR would be exceeded'
              : `the daily limit for USD-IDR would be exceeded (${pct}% of the agreed limit during the production ramp-up)`,
          )
          assert.equal(await quoteStatus(own, partner, usdIdr(atLimit)), 200, `day ${day}`)
        }
        // The last millisecond of day 55 is still month 2.
        own.clock.set(T0 + 56 * DAY - 1)
        assert.deepEqual((await rampUp(own, partner.id)).limit_pct, '75')
      } finally {
        await own.close()
      }
    },
  )

  it('the monthly limit is ramped too; sandbox keeps the agreed limits', T, async () => {
    const partner = await createPartner(app, {
      limits: { daily_per_corridor_usd: '1000', monthly_usd: '1000' },
    })
    // Live at 25%: $250 a day per corridor, $250 a month in all.
    assert.equal(await quoteStatus(app, partner, usdIdr('150')), 200)
    const over = expectError(
      await firmQuote(app, partner, usdSgd('100.01'), LIVE),
      422,
      'VOLUME_LIMIT_EXCEEDED',
      'USD-SGD',
    )
    assert.equal(
      over.message,
      'the monthly limit would be exceeded (25% of the agreed limit during the production ramp-up)',
    )
    assert.equal(await quoteStatus(app, partner, usdSgd('100')), 200)
    // Sandbox: the agreed $1,000, with its own usage.
    assert.equal(await quoteStatus(app, partner, usdIdr('600'), false), 200)
    assert.equal(await quoteStatus(app, partner, usdIdr('400'), false), 200)
    const sandboxOver = expectError(
      await firmQuote(app, partner, usdSgd('10')),
      422,
      'VOLUME_LIMIT_EXCEEDED',
      'USD-SGD',
    )
    assert.equal(sandboxOver.message, 'the monthly limit would be exceeded')
  })

  it('a live partner is warned at 80% of its ramped limit, not of the agreed one', T, async () => {
    const partner = await createPartner(app, {
      limits: { daily_per_corridor_usd: '100', monthly_usd: '100000' },
    })
    await fundLivePartner(app, partner, 100_000_000n)
    // Live at 25%: $25 a day per corridor; two $10 trades are 80% of it (20% of the agreed $100).
    await trades(app, partner, 2, 0)
    const warnings = await store()
      .kysely.selectFrom('events')
      .select(['environment', 'data'])
      .where('partner_id', '=', partner.id)
      .where('type', '=', 'partner.limit_warning')
      .execute()
    assert.deepEqual(
      warnings.map((w) => ({ environment: w.environment, ...JSON.parse(w.data) })),
      [
        {
          environment: 'live',
          limit: 'DAILY_CORRIDOR',
          corridor: 'USD-SGD',
          period: '2026-11-23',
          threshold_pct: 80,
          limit_usd: '25',
          used_usd: '20',
        },
      ],
    )
  })

  it('advance, override, pause, resume and set_go_live act on live trading and are audited', T, async () => {
    const partner = await createPartner(app, { limits: { daily_per_corridor_usd: '1000' } })
    const advanced = await act(app, partner.id, { action: 'advance' })
    assert.deepEqual([advanced.step, advanced.limit_pct], [2, '50'])
    assert.equal(await quoteStatus(app, partner, usdIdr('500.01')), 422)
    assert.equal(await quoteStatus(app, partner, usdIdr('500')), 200)

    const overridden = await act(app, partner.id, { action: 'override', limit_pct: '60' })
    assert.deepEqual(
      [overridden.step, overridden.limit_pct, overridden.override],
      [2, '60', { limit_pct: '60' }],
    )
    assert.equal(await quoteStatus(app, partner, usdIdr('100.01')), 422)
    assert.equal(await quoteStatus(app, partner, usdIdr('100')), 200)
    const cleared = await act(app, partner.id, { action: 'override', limit_pct: null })
    assert.deepEqual([cleared.limit_pct, cleared.override], ['50', null])

    const quote = await firmQuote(app, partner, usdSgd('10'), LIVE)
    assert.equal(quote.statusCode, 200, quote.body)
    const paused = await act(app, partner.id, { action: 'pause', reason: 'integration review' })
    assert.deepEqual([paused.paused, paused.paused_reason], [true, 'integration review'])
    const refusal = expectError(await firmQuote(app, partner, usdSgd('10'), LIVE), 403, 'RAMP_UP_PAUSED')
    assert.equal(
      refusal.message,
      'live trading is paused during the production ramp-up (integration review); the operator resumes it',
    )
    const executeRefused = await execute(
      app,
      partner,
      { quote_id: quote.json().quote_id, destination_address: ADDRESS },
      LIVE,
    )
    expectError(executeRefused, 403, 'RAMP_UP_PAUSED')
    assert.equal(await quoteStatus(app, partner, usdSgd('10'), false), 200, 'sandbox is not paused')

    const resumed = await act(app, partner.id, { action: 'resume' })
    assert.deepEqual(
      [resumed.paused, resumed.paused_reason, resumed.error_rate.window_start],
      [false, null, new Date(app.clock.now() + 1).toISOString()],
    )
    assert.equal(await quoteStatus(app, partner, usdSgd('10')), 200)

    const moved = await act(app, partner.id, { action: 'set_go_live', go_live_at: '2026-09-01T00:00:00Z' })
    assert.deepEqual([moved.go_live_at, moved.step, moved.limit_pct], ['2026-09-01T00:00:00.000Z', 4, '100'])

    const audit = (await app.admin('GET', `/admin/v1/audit?target_id=${partner.id}`)).json().items
    assert.deepEqual(
      audit.map((item: { action: string; actor: string }) => [item.action, item.actor]),
      [
        ['partner.ramp_up.set_go_live', 'admin'],
        ['partner.ramp_up.resume', 'admin'],
        ['partner.ramp_up.pause', 'admin'],
        ['partner.ramp_up.override', 'admin'],
        ['partner.ramp_up.override', 'admin'],
        ['partner.ramp_up.advance', 'admin'],
        ['partner.create', 'admin'],
      ],
    )
    const advance = audit[5]
    assert.deepEqual(
      [advance.before.step, advance.before.limit_pct, advance.after.step, advance.after.limit_pct],
      [1, '25', 2, '50'],
    )
    assert.deepEqual([audit[4].before.override, audit[4].after.override], [null, { limit_pct: '60' }])
    assert.equal(audit[1].before.paused_reason, 'integration review')
    assert.equal(audit[1].after.paused, false)
  })

  it(
    'refuses bad bodies (400), unknown partners (404) and no-op actions (409), changing nothing',
    T,
    async () => {
      const partner = await createPartner(app)
      const bodies: [Record<string, unknown>, RegExp][] = [
        [{}, /action/],
        [{ action: 'jump' }, /action/],
        [{ action: 'override' }, /^override needs limit_pct/],
        [{ action: 'override', limit_pct: '0' }, /^limit_pct must be above 0 and at most 100$/],
        [{ action: 'override', limit_pct: '100.01' }, /^limit_pct must be above 0 and at most 100$/],
        [{ action: 'override', limit_pct: '-5' }, /limit_pct/],
        [{ action: 'override', limit_pct: '1.234' }, /limit_pct/],
        [
          { action: 'set_go_live', go_live_at: '2026-13-01T00:00:00Z' },
          /^go_live_at must be an ISO 8601 UTC instant/,
        ],
        [{ action: 'advance', limit_pct: '50' }, /^limit_pct does not go with action advance$/],
        [{ action: 'advance', step: 3 }, /additional properties/],
      ]
      for (const [body, message] of bodies) {
        const response = await app.admin('POST', `/admin/v1/partners/${partner.id}/ramp-up`, body)
        const error = expectError(response, 400, 'VALIDATION_ERROR')
        assert.match(error.message, message, JSON.stringify(body))
      }
      for (const id of [randomUUID(), 'not-a-partner']) {
        expectError(await app.admin('GET', `/admin/v1/partners/${id}/ramp-up`), 404, 'NOT_FOUND')
        expectError(
          await app.admin('POST', `/admin/v1/partners/${id}/ramp-up`, { action: 'advance' }),
          404,
          'NOT_FOUND',
        )
      }
      expectError(
        await app.admin('POST', `/admin/v1/partners/${partner.id}/ramp-up`, { action: 'resume' }),
        409,
        'CONFLICT',
      )
      await act(app, partner.id, { action: 'override', limit_pct: 100 })
      for (let i = 0; i < 3; i++) await act(app, partner.id, { action: 'advance' })
      const last = await app.admin('POST', `/admin/v1/partners/${partner.id}/ramp-up`, { action: 'advance' })
      assert.equal(
        expectError(last, 409, 'CONFLICT').message,
        'the ramp-up is already at its last step (100%)',
      )
      const audit = (await app.admin('GET', `/admin/v1/audit?target_id=${partner.id}`)).json().items
      assert.equal(audit.length, 5, 'create, override and three advances: nothing for the refusals')
      // A partner key is not an admin token.
      const asPartner = await app.inject({
        method: 'GET',
        url: `/admin/v1/partners/${partner.id}/ramp-up`,
        headers: { authorization: `Bearer ${partner.apiKey}` },
      })
      expectError(asPartner, 403, 'FORBIDDEN')
    },
  )

  it(
    'auto-pause: 1 failure in 20 (5%) does not pause, 2 in 21 does; resume restarts the window',
    T,
    async () => {
      const partner = await createPartner(app)
      await fundLivePartner(app, partner, 1_000_000_000n)
      await trades(app, partner, 19, 1)
      assert.equal(await pauseOnErrorRate(app.store, app.clock.now()), 0)
      const calm = await rampUp(app, partner.id)
      assert.deepEqual(
        [calm.paused, calm.error_rate.finished_executions, calm.error_rate.failed_executions],
        [false, 20, 1],
      )

      await trades(app, partner, 0, 1)
      assert.equal(await pauseOnErrorRate(app.store, app.clock.now()), 1)
      assert.equal(await pauseOnErrorRate(app.store, app.clock.now()), 0, 'paused once')
      const paused = await rampUp(app, partner.id)
      assert.deepEqual(
        [paused.paused, paused.paused_reason, paused.error_rate.watching],
        [true, 'error rate above 5%: 2 of 21 live executions failed', false],
      )
      expectError(await firmQuote(app, partner, usdSgd('10'), LIVE), 403, 'RAMP_UP_PAUSED')
      assert.equal(await quoteStatus(app, partner, usdSgd('10'), false), 200, 'sandbox is not paused')
      const [entry] = (
        await app.admin('GET', `/admin/v1/audit?target_id=${partner.id}&action=partner.ramp_up.auto_pause`)
      ).json().items
      assert.deepEqual(
        [
          entry.actor,
          entry.before.paused,
          entry.after.paused,
          entry.after.failed_executions,
          entry.after.finished_executions,
        ],
        [RAMP_UP_ACTOR, false, true, 2, 21],
      )

      const resumed = await act(app, partner.id, { action: 'resume' })
      assert.deepEqual([resumed.paused, resumed.error_rate.finished_executions], [false, 0])
      assert.equal(
        await pauseOnErrorRate(app.store, app.clock.now()),
        0,
        'the failures before the resume no longer count',
      )
      await liveTrade(app, partner, 'SETTLED')
    },
  )

  it(
    'auto-pause: below 20 finished executions nothing pauses; failures older than 24 h leave the window',
    T,
    async () => {
      const own = await createTestApp(store(), { clock: createManualClock(T0 + 100 * DAY) })
      try {
        await setMarket(own)
        const partner = await createPartner(own)
        await fundLivePartner(own, partner, 1_000_000_000n)
        await trades(own, partner, 17, 2)
        assert.equal(
          await pauseOnErrorRate(own.store, own.clock.now()),
          0,
          '2 of 19 (10.5%), below the minimum',
        )
        // Exactly 24 h later the trades are still in the window; a millisecond more and they are not.
        own.clock.advance(24 * HOUR)
        assert.deepEqual((await rampUp(own, partner.id)).error_rate.finished_executions, 19)
        own.clock.advance(1)
        const later = await rampUp(own, partner.id)
        assert.deepEqual([later.error_rate.finished_executions, later.error_rate.failed_executions], [0, 0])
        await setMarket(own)
        await trades(own, partner, 0, 1)
        assert.equal(await pauseOnErrorRate(own.store, own.clock.now()), 0, '1 of 1, below the minimum')
        assert.equal((await rampUp(own, partner.id)).paused, false)
      } finally {
        await own.close()
      }
    },
  )

  it('a partner past the ramp-up (100%) is not watched, whatever its error rate', T, async () => {
    const partner = await createPartner(app)
    await act(app, partner.id, { action: 'set_go_live', go_live_at: '2026-01-01T00:00:00Z' })
    await fundLivePartner(app, partner, 1_000_000_000n)
    await trades(app, partner, 0, 20)
    assert.equal(await pauseOnErrorRate(app.store, app.clock.now()), 0)
    const view = await rampUp(app, partner.id)
    assert.deepEqual(
      [view.paused, view.error_rate.failed_executions, view.error_rate.watching],
      [false, 20, false],
    )
  })
})
