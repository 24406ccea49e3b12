/**
 * What each panel of the operations dashboard reads (issue 15 scope 6). Read
 * only: every figure comes from the same functions the admin and ops routes
 * answer with (pools, risk status, batches, buy-backs, LP report), or from a
 * grouped read of the tables those routes page through (executions, state
 * changes, webhook attempts).
 */
import { sql } from 'kysely'
import type { Environment } from '../config/environment.ts'
import { withVenueYield } from '../integrations/earn/bookings.ts'
import { poolsReport } from '../liquidity/reporting.ts'
import { add, formatRatio, parseRatio, ZERO } from '../money/ratio.ts'
import { listPools } from '../pools/service.ts'
import { listBatches } from '../rebalancing/batches.ts'
import { batchView } from '../rebalancing/views.ts'
import type { RiskEngine } from '../risk/engine.ts'
import { gatherInputs } from '../risk/inputs.ts'
import { riskStatus } from '../risk/risk-status.ts'
import type { RiskState } from '../risk/states.ts'
import { systemState } from '../risk/system-state.ts'
import type { AppServices } from '../routes.ts'
import { msOf } from '../store/columns.ts'
import { FLOW_WINDOWS, type FlowWindow, flowSeries, stateTimeline, windowBounds } from './model.ts'

export type DashboardDeps = Pick<
  AppServices,
  'store' | 'oracle' | 'pools' | 'risk' | 'riskConfig' | 'clocks' | 'phase2'
>

/** How many state changes, batches, buy-backs and webhook attempts a panel lists. */
export const RECENT = { transitions: 30, batches: 20, closes: 10, attempts: 25 } as const
/** The corridor timeline covers the last 24 hours of the environment's clock. */
const TIMELINE_MS = 86_400_000

const iso = (ms: number) => new Date(ms).toISOString()
const big = (value: string | number | bigint | null | undefined) =>
  value === null || value === undefined ? 0n : BigInt(value)

export function createDashboardService(deps: DashboardDeps) {
  const { store, clocks } = deps
  const nowOf = (environment: Environment) => clocks[environment].now()

  async function corridors(environment: Environment) {
    const nowMs = nowOf(environment)
    const engine: RiskEngine = deps.risk
    const snapshot = await systemState(
      { states: engine, oracle: deps.oracle, pools: deps.pools, riskConfig: deps.riskConfig },
      environment,
      nowMs,
    )
    const inputs = await gatherInputs(
      store,
      deps.oracle,
      environment,
      nowMs,
      deps.riskConfig.volatility.windowMs,
    )
    const since = await store.kysely
      .selectFrom('risk_states')
      .select(['corridor', 'since_at'])
      .where('environment', '=', environment)
      .execute()
    const fromMs = nowMs - TIMELINE_MS
    const inWindow = await store.kysely
      .selectFrom('risk_transitions')
      .select(['corridor', 'previous_state', 'state', 'at'])
      .where('environment', '=', environment)
      .where('at', '>=', BigInt(fromMs))
      .orderBy('id')
      .execute()
    const recent = await store.kysely
      .selectFrom('risk_transitions')
      .selectAll()
      .where('environment', '=', environment)
      .orderBy('id', 'desc')
      .limit(RECENT.transitions)
      .execute()
    const current = Object.fromEntries(
      Object.entries(snapshot.corridors).map(([corridor, view]) => [corridor, view.state]),
    ) as Record<keyof typeof snapshot.corridors, RiskState>
    return {
      environment,
      system_state: snapshot.system_state,
      timestamp: snapshot.timestamp,
      corridors: Object.fromEntries(
        Object.entries(snapshot.corridors).map(([corridor, view]) => {
          const row = since.find((s) => s.corridor === corridor)
          return [corridor, { ...view, since: row === undefined ? null : iso(msOf(row.since_at)) }]
        }),
      ),
      risk: {
        ...riskStatus(engine, inputs, environment, deps.riskConfig),
        last_emergency_rfq: await deps.phase2.lastEmergencyRfq(environment),
      },
      timeline: {
        from: iso(fromMs),
        to: iso(nowMs),
        corridors: stateTimeline(
          inWindow.map((t) => ({
            corridor: t.corridor,
            previousState: t.previous_state as RiskState,
            state: t.state as RiskState,
            atMs: msOf(t.at),
          })),
          current,
          fromMs,
          nowMs,
        ),
      },
      history: recent.map((t) => ({
        corridor: t.corridor,
        previous_state: t.previous_state,
        state: t.state,
        reasons: JSON.parse(t.reasons) as string[],
        trigger: t.trigger,
        timestamp: iso(msOf(t.at)),
      })),
    }
  }

  async function flows(environment: Environment, window: FlowWindow) {
    const nowMs = nowOf(environment)
    const { bucketMs } = FLOW_WINDOWS[window]
    const { fromMs, toMs } = windowBounds(window, nowMs)
    // The bucket width is ours (a safe integer), written as a literal so both databases divide int8 by int8.
    const bucket = sql<string | number | bigint>`created_at / ${sql.lit(bucketMs)}`
    const rows = await store.kysely
      .selectFrom('executions')
      .select(({ fn }) => [
        bucket.as('bucket'),
        'corridor',
        'status',
        fn.countAll<string | number | bigint>().as('count'),
        fn.sum<string | number | bigint | null>('usd_micros').as('micros'),
      ])
      .where('environment', '=', environment)
      .where('created_at', '>=', BigInt(fromMs))
      .where('created_at', '<', BigInt(toMs))
      .groupBy([bucket, 'corridor', 'status'])
      .execute()
    return {
      environment,
      ...flowSeries(
        rows.map((row) => ({
          bucket: big(row.bucket),
          corridor: row.corridor,
          status: row.status,
          count: big(row.count),
          usdMicros: big(row.micros),
        })),
        window,
        nowMs,
      ),
    }
  }

  async function batches(environment: Environment) {
    const page = await listBatches(store, { environment, limit: RECENT.batches })
    const rates = deps.oracle.moneyRates(environment)
    // Realised PnL over every batch of the environment, exact, then to the cent (rounded down).
    const realised = await store.kysely
      .selectFrom('rebalance_batches')
      .select('realised_pnl_usd')
      .where('environment', '=', environment)
      .execute()
    const total = realised.reduce((sum, row) => add(sum, parseRatio(row.realised_pnl_usd) ?? ZERO), ZERO)
    const counts = await store.kysely
      .selectFrom('rebalance_batches')
      .select(({ fn }) => ['status', fn.countAll<string | number | bigint>().as('count')])
      .where('environment', '=', environment)
      .groupBy('status')
      .execute()
    const rebalances = await store.kysely
      .selectFrom('rebalances')
      .select(({ fn }) => [
        fn.countAll<string | number | bigint>().as('count'),
        fn.max('created_at').as('last'),
      ])
      .where('environment', '=', environment)
      .executeTakeFirst()
    return {
      environment,
      realised_pnl_usd: formatRatio(total, 2, 'floor'),
      by_status: Object.fromEntries(counts.map((c) => [c.status, Number(c.count)])),
      rebalances: {
        count: Number(rebalances?.count ?? 0),
        last_at:
          rebalances?.last === null || rebalances?.last === undefined ? null : iso(Number(rebalances.last)),
      },
      items: page.batches.map((b) =>
        batchView(b, page.fills.get(b.batchId) ?? [], rates.ok ? rates.value : undefined),
      ),
      closes: await deps.phase2.closes(environment, undefined, RECENT.closes),
    }
  }

  async function liquidity(environment: Environment) {
    return {
      environment,
      ...(await withVenueYield(
        store,
        environment,
        await poolsReport(store, environment, nowOf(environment)),
      )),
    }
  }

  async function webhooks(environment: Environment) {
    // Webhook attempts are stamped on the wall clock (the live clock) in both environments (SPEC §10).
    const fromMs = clocks.live.now() - TIMELINE_MS
    const outcomes = await store.kysely
      .selectFrom('webhook_attempts')
      .select(({ fn }) => ['outcome', fn.countAll<string | number | bigint>().as('count')])
      .where('environment', '=', environment)
      .where('at', '>=', BigInt(fromMs))
      .groupBy('outcome')
      .execute()
    const queue = await store.kysely
      .selectFrom('webhook_deliveries')
      .select(({ fn }) => ['status', fn.countAll<string | number | bigint>().as('count')])
      .where('environment', '=', environment)
      .groupBy('status')
      .execute()
    const endpoints = await store.kysely
      .selectFrom('webhook_endpoints')
      .innerJoin('partners', 'partners.id', 'webhook_endpoints.partner_id')
      .select([
        'webhook_endpoints.partner_id',
        'partners.name',
        'webhook_endpoints.url',
        'webhook_endpoints.status',
        'webhook_endpoints.status_reason',
      ])
      .where('webhook_endpoints.environment', '=', environment)
      .orderBy('partners.name')
      .execute()
    const attempts = await store.kysely
      .selectFrom('webhook_attempts')
      .innerJoin('partners', 'partners.id', 'webhook_attempts.partner_id')
      .select([
        'webhook_attempts.partner_id',
        'partners.name',
        'webhook_attempts.event_id',
        'webhook_attempts.event_type',
        'webhook_attempts.attempt',
        'webhook_attempts.outcome',
        'webhook_attempts.status_code',
        'webhook_attempts.latency_ms',
        'webhook_attempts.error',
        'webhook_attempts.at',
      ])
      .where('webhook_attempts.environment', '=', environment)
      .orderBy('webhook_attempts.id', 'desc')
      .limit(RECENT.attempts)
      .execute()
    return {
      environment,
      last_24h: Object.fromEntries(outcomes.map((o) => [o.outcome, Number(o.count)])),
      deliveries: Object.fromEntries(queue.map((q) => [q.status, Number(q.count)])),
      endpoints: endpoints.map((e) => ({
        partner_id: e.partner_id,
        partner: e.name,
        url: e.url,
        status: e.status,
        status_reason: e.status_reason,
      })),
      attempts: attempts.map((a) => ({
        partner_id: a.partner_id,
        partner: a.name,
        event_id: a.event_id,
        event: a.event_type,
        attempt: Number(a.attempt),
        status: a.outcome,
        status_code: a.status_code === null ? null : Number(a.status_code),
        latency_ms: Number(a.latency_ms),
        error: a.error,
        at: iso(msOf(a.at)),
      })),
    }
  }

  return {
    pools: async (environment: Environment) => ({
      environment,
      pools: await listPools(store, environment, deps.oracle.usdRates(environment)),
    }),
    corridors,
    flows,
    batches,
    liquidity,
    webhooks,
    clock: () => ({
      sandbox: {
        now: iso(clocks.sandbox.now()),
        offset_seconds: Math.floor(clocks.sandbox.offsetMs() / 1000),
      },
      live: { now: iso(clocks.live.now()) },
    }),
  }
}

export type DashboardService = ReturnType<typeof createDashboardService>
