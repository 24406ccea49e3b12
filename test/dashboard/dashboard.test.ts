/**
 * The operations dashboard (issue 15 scope 6) without a browser: the page
 * loads with no token and only its own inline script and styles may run;
 * its data routes take the admin or the ops token (and nothing else), leave
 * the admin and ops guards as they were, and answer what the panels draw,
 * on both databases. The chart buckets and the state timeline are checked
 * as pure functions, with properties.
 */
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { CORRIDOR_IDS } from '../../src/config/corridors.ts'
import {
  FLOW_WINDOWS,
  type FlowRow,
  type FlowWindow,
  flowSeries,
  stateTimeline,
  type TransitionFact,
  windowBounds,
} from '../../src/dashboard/model.ts'
import type { RiskState } from '../../src/risk/states.ts'
import { openApp, T } from '../risk/engine-support.ts'
import { ADMIN_TOKEN, OPS_TOKEN, T0, type TestApp } from '../support/app.ts'
import { describeEachDialect } from '../support/databases.ts'
import { expectError } from '../trading/support.ts'
import { seedDashboard } from './support.ts'

const get = (app: TestApp, url: string, token?: string) =>
  app.inject({
    method: 'GET',
    url,
    ...(token === undefined ? {} : { headers: { authorization: `Bearer ${token}` } }),
  })

const ZERO_VOLUME = { 'USD-IDR': '0', 'USD-SGD': '0', 'MYR-IDR': '0' }

describeEachDialect('operations dashboard', ({ dialect }) => {
  it(
    'GET /dashboard: one self-contained page, no token needed, only its own script and styles run',
    T,
    async (t) => {
      const app = await openApp(t, dialect, { rebalancer: false })
      const response = await get(app, '/dashboard')
      assert.equal(response.statusCode, 200)
      assert.equal(response.headers['content-type'], 'text/html; charset=utf-8')
      assert.equal(response.headers['x-frame-options'], 'DENY')
      assert.equal(response.headers['cache-control'], 'no-store')
      const html = response.body
      assert.match(html, /<title>stablefx operations<\/title>/)
      // uPlot is inlined (no script or stylesheet is fetched from anywhere).
      assert.match(html, /uPlot/)
      assert.doesNotMatch(html, /<script[^>]+src=|<link[^>]+stylesheet/)
      const scripts = [...html.matchAll(/<script>([\s\S]*?)<\/script>/g)].map((m) => m[1] as string)
      const styles = [...html.matchAll(/<style>([\s\S]*?)<\/style>/g)].map((m) => m[1] as string)
      assert.equal(scripts.length, 1)
      assert.equal(styles.length, 1)
      const hash = (text: string) => `'sha256-${createHash('sha256').update(text).digest('base64')}'`
      assert.equal(
        response.headers['content-security-policy'],
        [
          "default-src 'none'",
          `script-src ${hash(scripts[0] as string)}`,
          `style-src ${hash(styles[0] as string)}`,
          "connect-src 'self'",
          "img-src 'self' data:",
          "base-uri 'none'",
          "form-action 'none'",
          "frame-ancestors 'none'",
        ].join('; '),
      )
      // The page builds no markup from strings.
      assert.doesNotMatch(
        scripts[0]?.slice(scripts[0].indexOf('stablefx.dashboard.token')) ?? '',
        /innerHTML/,
      )
    },
  )

  it(
    'the data routes take the admin or the ops token; the admin and ops guards stay as they were',
    T,
    async (t) => {
      const app = await openApp(t, dialect, { rebalancer: false })
      const partner = await seedDashboard(app)
      const routes = ['pools', 'corridors', 'flows', 'batches', 'liquidity', 'webhooks', 'clock']
      for (const route of routes) {
        const url = `/admin/v1/dashboard/${route}`
        expectError(await get(app, url), 401, 'UNAUTHORIZED')
        expectError(await get(app, url, 'not-a-token'), 401, 'UNAUTHORIZED')
        expectError(await get(app, url, partner.sandboxKey), 403, 'FORBIDDEN')
        const byAdmin = await get(app, url, ADMIN_TOKEN)
        const byOps = await get(app, url, OPS_TOKEN)
        assert.equal(byAdmin.statusCode, 200, `${url}: ${byAdmin.body}`)
        assert.equal(byOps.statusCode, 200, `${url}: ${byOps.body}`)
        if (route !== 'corridors' && route !== 'webhooks') assert.deepEqual(byOps.json(), byAdmin.json(), url)
      }
      // Read only: nothing but GET is served there.
      expectError(
        await app.inject({
          method: 'POST',
          url: '/admin/v1/dashboard/pools',
          headers: { authorization: `Bearer ${ADMIN_TOKEN}` },
        }),
        405,
        'METHOD_NOT_ALLOWED',
      )
      // The existing guards: the ops token still cannot read admin routes, nor the admin token ops routes.
      expectError(await get(app, '/admin/v1/pools', OPS_TOKEN), 401, 'UNAUTHORIZED')
      expectError(await get(app, '/admin/v1/sandbox/clock', OPS_TOKEN), 401, 'UNAUTHORIZED')
      expectError(await get(app, '/v1/reserve/risk-status', ADMIN_TOKEN), 401, 'UNAUTHORIZED')
      expectError(await get(app, '/v1/reserve/batches', ADMIN_TOKEN), 401, 'UNAUTHORIZED')
      // Bad input is a 400 with the SPEC §3 body.
      expectError(await get(app, '/admin/v1/dashboard/flows?window=1y', OPS_TOKEN), 400, 'VALIDATION_ERROR')
      expectError(
        await get(app, '/admin/v1/dashboard/pools?environment=prod', OPS_TOKEN),
        400,
        'VALIDATION_ERROR',
      )
      expectError(await get(app, '/admin/v1/dashboard/pools?extra=1', OPS_TOKEN), 400, 'VALIDATION_ERROR')
    },
  )

  it('the panels’ data: pools, corridors, flows, batches, LP, webhooks, clock', T, async (t) => {
    const app = await openApp(t, dialect, { rebalancer: false })
    await seedDashboard(app)
    const read = async (url: string) => {
      const response = await get(app, url, OPS_TOKEN)
      assert.equal(response.statusCode, 200, response.body)
      return response.json()
    }

    // Pools: what GET /admin/v1/pools answers, per environment.
    for (const environment of ['sandbox', 'live']) {
      const admin = (await get(app, `/admin/v1/pools?environment=${environment}`, ADMIN_TOKEN)).json()
      assert.deepEqual(await read(`/admin/v1/dashboard/pools?environment=${environment}`), admin)
    }
    const pools = await read('/admin/v1/dashboard/pools')
    assert.equal(pools.environment, 'sandbox')
    // $100,000 of USDT came in, $85,000 of it went to the Reserve's bag.
    assert.deepEqual(
      pools.pools.filter((p: { asset: string }) => p.asset === 'USDT'),
      [
        {
          asset: 'USDT',
          tier: 'ACTIVE',
          balance: '1015000',
          target: '1000000',
          min: '400000',
          health_pct: '101.5',
          status: 'HEALTHY',
        },
        {
          asset: 'USDT',
          tier: 'RESERVE',
          balance: '4585000',
          target: '5000000',
          min: '4000000',
          health_pct: '91.7',
          status: 'HEALTHY',
        },
        {
          asset: 'USDT',
          tier: 'YIELD',
          balance: '0',
          target: '10000000',
          min: '0',
          health_pct: '0',
          status: 'OK',
        },
      ],
    )

    // Corridors: state and reasons, the risk status, the timeline and the changes.
    const corridors = await read('/admin/v1/dashboard/corridors')
    assert.equal(corridors.system_state, 'PROTECT')
    // max_size (what GET /v1/system/state shows) moves by a cent between runs on PostgreSQL: only its form here.
    const { max_size: maxSize, ...usdIdr } = corridors.corridors['USD-IDR']
    assert.match(maxSize, /^24251\.9\d$/)
    assert.deepEqual(usdIdr, {
      state: 'PROTECT',
      allowed_directions: ['BUY', 'SELL'],
      max_size_currency: 'USD',
      oracle_age_ms: 0,
      reasons: ['inventory: USD-IDR IDRX Active pool at 80% of target (IR -20%), outside the 5% dead zone'],
      since: '2026-11-23T00:00:00.000Z',
    })
    assert.equal(corridors.risk.reserve_capital_usd, '9000000')
    assert.equal(corridors.risk.corridors['USD-IDR'].gross_exposure_usd, '100000')
    assert.deepEqual(Object.keys(corridors.timeline.corridors), [...CORRIDOR_IDS])
    assert.equal(corridors.timeline.to, '2026-11-23T00:00:00.000Z')
    // Every change happened at T0, the end of the window: before it, each corridor was NORMAL.
    for (const corridor of CORRIDOR_IDS)
      assert.deepEqual(corridors.timeline.corridors[corridor], [
        { from: '2026-11-22T00:00:00.000Z', to: '2026-11-23T00:00:00.000Z', state: 'NORMAL' },
      ])
    assert.ok(corridors.history.length >= 3)
    for (const change of corridors.history) {
      assert.equal(change.timestamp, '2026-11-23T00:00:00.000Z')
      assert.ok(Array.isArray(change.reasons))
    }
    const opsRisk = (await get(app, '/v1/reserve/risk-status?environment=sandbox', OPS_TOKEN)).json()
    assert.deepEqual(corridors.risk, opsRisk)

    // Flows: five $20,000 SELLs in the last one-minute bucket of the hour.
    const flows = await read('/admin/v1/dashboard/flows?window=1h')
    assert.equal(flows.bucket_seconds, 60)
    assert.equal(flows.from, '2026-11-22T23:01:00.000Z')
    assert.equal(flows.to, '2026-11-23T00:01:00.000Z')
    assert.equal(flows.buckets.length, 60)
    assert.deepEqual(flows.buckets[59], {
      start: '2026-11-23T00:00:00.000Z',
      executions: 5,
      failed: 0,
      volume_usd: { 'USD-IDR': '100000', 'USD-SGD': '0', 'MYR-IDR': '0' },
    })
    assert.deepEqual(flows.buckets[0], {
      start: '2026-11-22T23:01:00.000Z',
      executions: 0,
      failed: 0,
      volume_usd: ZERO_VOLUME,
    })
    assert.deepEqual(flows.totals, {
      executions: 5,
      settled: 5,
      failed: 0,
      volume_usd: { 'USD-IDR': '100000', 'USD-SGD': '0', 'MYR-IDR': '0' },
    })
    const week = await read('/admin/v1/dashboard/flows?window=7d')
    assert.equal(week.buckets.length, 84)
    assert.equal(week.totals.executions, 5)
    const live = await read('/admin/v1/dashboard/flows?environment=live')
    assert.equal(live.window, '24h')
    assert.equal(live.buckets.length, 96)
    assert.equal(live.totals.executions, 0)

    // Batches and PnL: the one rebalance, its batch at the mid, nothing realised yet.
    const batches = await read('/admin/v1/dashboard/batches')
    assert.equal(batches.realised_pnl_usd, '0')
    assert.deepEqual(batches.by_status, { OPEN: 1 })
    assert.deepEqual(batches.rebalances, { count: 1, last_at: '2026-11-23T00:00:00.000Z' })
    const opsBatches = (await get(app, '/v1/reserve/batches?environment=sandbox', OPS_TOKEN)).json()
    assert.deepEqual(batches.items, opsBatches.items)
    assert.deepEqual(
      batches.items.map((b: Record<string, unknown>) => [b.corridor, b.status, b.volume, b.waop]),
      [['USD-IDR', 'OPEN', '85000', '16250']],
    )
    assert.deepEqual(batches.closes, [])

    // LP: what GET /v1/lp/pools shows a partner, with no LP yet.
    const liquidity = await read('/admin/v1/dashboard/liquidity')
    assert.deepEqual(
      liquidity.pools.map((p: { asset: string; reserve: string; tvl: unknown }) => [
        p.asset,
        p.reserve,
        p.tvl,
      ]),
      [
        ['USDT', '4585000', { class_a: '0', class_b: '0' }],
        ['IDRX', '27868750000', { class_a: '0', class_b: '0' }],
        ['tnSGD', '2340000', { class_a: '0', class_b: '0' }],
        ['MYRC', '3780000', { class_a: '0', class_b: '0' }],
      ],
    )
    assert.equal(liquidity.pools[0].variants['kUSD-fx'].index, '1')

    // Webhooks: the endpoint waits for its verification (no worker runs here).
    const webhooks = await read('/admin/v1/dashboard/webhooks')
    assert.deepEqual(
      webhooks.endpoints.map((e: Record<string, unknown>) => [e.partner, e.url, e.status]),
      [['Acme Ramp', 'http://127.0.0.1:9/stablefx', 'PENDING_VERIFICATION']],
    )
    assert.deepEqual(webhooks.attempts, [])
    // Attempts as the delivery worker logs them (wall clock, which is the live clock): 24 h back from it.
    const partnerId = webhooks.endpoints[0].partner_id
    const attempt = (outcome: string, atMs: number, statusCode: bigint | null, error: string | null) => ({
      environment: 'sandbox',
      partner_id: partnerId,
      event_id: `evt-${atMs}`,
      event_type: 'execution.settled',
      attempt: 1n,
      outcome,
      status_code: statusCode,
      latency_ms: 12n,
      error,
      at: BigInt(atMs),
    })
    await app.store.kysely
      .insertInto('webhook_attempts')
      .values([
        attempt('FAILED', T0 - 25 * 3_600_000, 500n, 'HTTP 500'),
        attempt('DELIVERED', T0 - 3_600_000, 204n, null),
      ])
      .execute()
    const logged = await read('/admin/v1/dashboard/webhooks')
    assert.deepEqual(logged.last_24h, { DELIVERED: 1 })
    assert.deepEqual(
      logged.attempts.map((a: Record<string, unknown>) => [
        a.partner,
        a.event,
        a.status,
        a.status_code,
        a.at,
      ]),
      [
        ['Acme Ramp', 'execution.settled', 'DELIVERED', 204, '2026-11-22T23:00:00.000Z'],
        ['Acme Ramp', 'execution.settled', 'FAILED', 500, '2026-11-21T23:00:00.000Z'],
      ],
    )
    assert.deepEqual((await read('/admin/v1/dashboard/webhooks?environment=live')).endpoints, [])

    // The clocks: the sandbox one follows an admin's advance.
    assert.deepEqual(await read('/admin/v1/dashboard/clock'), {
      sandbox: { now: '2026-11-23T00:00:00.000Z', offset_seconds: 0 },
      live: { now: '2026-11-23T00:00:00.000Z' },
    })
    await app.admin('POST', '/admin/v1/sandbox/clock/advance', { seconds: 3600 })
    assert.deepEqual((await read('/admin/v1/dashboard/clock')).sandbox, {
      now: '2026-11-23T01:00:00.000Z',
      offset_seconds: 3600,
    })
    // An hour on, the executions are in the 24 h window's bucket of 00:00 and no longer in the last hour.
    const later = await read('/admin/v1/dashboard/flows?window=1h')
    assert.equal(later.totals.executions, 0)
  })
})

describe('dashboard model', () => {
  const WINDOWS = Object.keys(FLOW_WINDOWS) as FlowWindow[]

  it('window bounds: whole buckets, the last one holding now', () => {
    assert.deepEqual(windowBounds('1h', T0 + 30_500), { fromMs: T0 - 3_540_000, toMs: T0 + 60_000 })
    assert.deepEqual(windowBounds('24h', T0), { fromMs: T0 - 85_500_000, toMs: T0 + 900_000 })
    assert.deepEqual(windowBounds('7d', T0 + 7_199_999), { fromMs: T0 - 597_600_000, toMs: T0 + 7_200_000 })
  })

  it('flow series: failed and settled apart, volume to the cent rounded down, rows outside left out', () => {
    const first = BigInt((T0 - 3_540_000) / 60_000)
    const rows: FlowRow[] = [
      { bucket: first, corridor: 'USD-SGD', status: 'SETTLED', count: 2n, usdMicros: 1_234_567_891n },
      { bucket: first, corridor: 'USD-SGD', status: 'FAILED', count: 1n, usdMicros: 999_000_000n },
      { bucket: first + 59n, corridor: 'MYR-IDR', status: 'ROLLED_BACK', count: 1n, usdMicros: 5n },
      { bucket: first + 59n, corridor: 'MYR-IDR', status: 'PENDING', count: 3n, usdMicros: 7_000_000n },
      { bucket: first - 1n, corridor: 'USD-IDR', status: 'SETTLED', count: 9n, usdMicros: 9n },
      { bucket: first + 60n, corridor: 'USD-IDR', status: 'SETTLED', count: 9n, usdMicros: 9n },
    ]
    const series = flowSeries(rows, '1h', T0)
    assert.deepEqual(series.buckets[0], {
      start: '2026-11-22T23:01:00.000Z',
      executions: 3,
      failed: 1,
      volume_usd: { 'USD-IDR': '0', 'USD-SGD': '1234.56', 'MYR-IDR': '0' },
    })
    assert.deepEqual(series.buckets[59], {
      start: '2026-11-23T00:00:00.000Z',
      executions: 4,
      failed: 1,
      volume_usd: ZERO_VOLUME,
    })
    assert.deepEqual(series.totals, {
      executions: 7,
      settled: 2,
      failed: 2,
      volume_usd: { 'USD-IDR': '0', 'USD-SGD': '1234.56', 'MYR-IDR': '0' },
    })
  })

  it('property: every bucket of the window, in order; counts and micros add up to the rows inside', () => {
    fc.assert(
      fc.property(
        fc.constantFrom(...WINDOWS),
        fc.integer({ min: 0, max: 10 * 86_400_000 }),
        fc.array(
          fc.record({
            offset: fc.integer({ min: -5, max: 100 }),
            corridor: fc.constantFrom(...CORRIDOR_IDS),
            status: fc.constantFrom('SETTLED', 'FAILED', 'ROLLED_BACK', 'PENDING'),
            count: fc.bigInt({ min: 1n, max: 1000n }),
            usdMicros: fc.bigInt({ min: 0n, max: 10n ** 15n }),
          }),
          { maxLength: 30 },
        ),
        (window, shift, specs) => {
          const { spanMs, bucketMs } = FLOW_WINDOWS[window]
          const nowMs = T0 + shift
          const { fromMs, toMs } = windowBounds(window, nowMs)
          const first = BigInt(fromMs / bucketMs)
          const n = spanMs / bucketMs
          const rows = specs.map((s) => ({ ...s, bucket: first + BigInt(s.offset) }))
          const series = flowSeries(rows, window, nowMs)
          assert.ok(fromMs <= nowMs && nowMs < toMs)
          assert.equal(series.buckets.length, n)
          for (const [i, b] of series.buckets.entries())
            assert.equal(Date.parse(b.start), fromMs + i * bucketMs)
          const inside = rows.filter((r) => r.offset >= 0 && r.offset < n)
          const sum = (xs: readonly { count: bigint }[]) => xs.reduce((a, r) => a + Number(r.count), 0)
          assert.equal(series.totals.executions, sum(inside))
          assert.equal(
            series.buckets.reduce((a, b) => a + b.executions, 0),
            sum(inside),
          )
          for (const corridor of CORRIDOR_IDS) {
            const micros = inside
              .filter((r) => r.corridor === corridor && r.status === 'SETTLED')
              .reduce((a, r) => a + r.usdMicros, 0n)
            const cents = (text: string) => {
              const [whole, fraction = ''] = text.split('.')
              return BigInt(whole as string) * 100n + BigInt(fraction.padEnd(2, '0'))
            }
            assert.equal(cents(series.totals.volume_usd[corridor]), micros / 10_000n)
            // Per-bucket cents, each rounded down, never add up to more than the total.
            const perBucket = series.buckets.reduce((a, b) => a + cents(b.volume_usd[corridor]), 0n)
            assert.ok(perBucket <= micros / 10_000n)
          }
        },
      ),
    )
  })

  it('state timeline: segments between changes; no change in the window is the current state throughout', () => {
    const from = T0
    const to = T0 + 4 * 3_600_000
    const at = (h: number) => T0 + h * 3_600_000
    const changes: TransitionFact[] = [
      { corridor: 'USD-IDR', previousState: 'NORMAL', state: 'PROTECT', atMs: at(1) },
      { corridor: 'USD-IDR', previousState: 'PROTECT', state: 'HALT', atMs: at(2) },
      { corridor: 'USD-SGD', previousState: 'RESTRICT', state: 'NORMAL', atMs: from },
      { corridor: 'MYR-IDR', previousState: 'NORMAL', state: 'HALT', atMs: at(-1) },
    ]
    const timeline = stateTimeline(
      changes,
      { 'USD-IDR': 'HALT', 'USD-SGD': 'NORMAL', 'MYR-IDR': 'HALT' },
      from,
      to,
    )
    const iso = (ms: number) => new Date(ms).toISOString()
    assert.deepEqual(timeline['USD-IDR'], [
      { from: iso(from), to: iso(at(1)), state: 'NORMAL' },
      { from: iso(at(1)), to: iso(at(2)), state: 'PROTECT' },
      { from: iso(at(2)), to: iso(to), state: 'HALT' },
    ])
    assert.deepEqual(timeline['USD-SGD'], [{ from: iso(from), to: iso(to), state: 'NORMAL' }])
    assert.deepEqual(timeline['MYR-IDR'], [{ from: iso(from), to: iso(to), state: 'HALT' }])
  })

  it('property: the segments cover the window end to end, each change starting one, ending in the current state', () => {
    const STATES: RiskState[] = ['NORMAL', 'PROTECT', 'RESTRICT', 'HALT']
    fc.assert(
      fc.property(
        fc.array(fc.tuple(fc.integer({ min: 0, max: 1000 }), fc.constantFrom(...STATES)), { maxLength: 12 }),
        fc.constantFrom(...STATES),
        (steps, initial) => {
          // A consistent chain of changes for USD-IDR within [0, 1000].
          const sorted = [...steps].sort((a, b) => a[0] - b[0])
          let state = initial
          const changes: TransitionFact[] = sorted.map(([atMs, next]) => {
            const change = { corridor: 'USD-IDR', previousState: state, state: next, atMs }
            state = next
            return change
          })
          const current = { 'USD-IDR': state, 'USD-SGD': 'NORMAL', 'MYR-IDR': 'NORMAL' } as const
          const segments = stateTimeline(changes, current, 0, 1000)['USD-IDR']
          assert.ok(segments.length >= 1)
          assert.equal(segments[0]?.from, new Date(0).toISOString())
          assert.equal(segments.at(-1)?.to, new Date(1000).toISOString())
          for (let i = 1; i < segments.length; i++) assert.equal(segments[i]?.from, segments[i - 1]?.to)
          if ((changes[0]?.atMs ?? 1) > 0) assert.equal(segments[0]?.state, initial)
          const lastChange = changes.at(-1)
          if (lastChange === undefined || lastChange.atMs < 1000) assert.equal(segments.at(-1)?.state, state)
        },
      ),
    )
  })
})
