import { Gauge, type Registry } from 'prom-client'
import { ASSETS, type AssetCode } from '../config/assets.ts'
import { CORRIDOR_IDS } from '../config/corridors.ts'
import { ENVIRONMENTS } from '../config/environment.ts'
import { POOL_TIERS, POOLS, type PoolTier } from '../config/pools.ts'
import { div, ratio } from '../money/ratio.ts'
import type { OracleService } from '../oracle/service.ts'
import { minorToUsd } from '../pools/model.ts'
import type { CorridorStates } from '../risk/engine.ts'
import { RISK_STATES } from '../risk/states.ts'
import type { Store } from '../store/store.ts'

/**
 * Issue 15 "Reconciliation": business figures for Prometheus, per
 * environment, read from the database (the whole system's, whichever node
 * is scraped) and from this node's copy of the states and prices when
 * scraped. Figures here are for dashboards and alerts: the float a gauge
 * holds never feeds back into money (the ledger stays exact).
 */
export function registerBusinessMetrics(
  registry: Registry,
  deps: {
    store: Store
    states: Pick<CorridorStates, 'view'>
    oracle: Pick<OracleService, 'reading' | 'moneyRates'>
  },
): void {
  const units = (minor: bigint, asset: AssetCode) => Number(minor) / 10 ** ASSETS[asset].decimals

  /** Each pool's balance, all owners: `environment|asset|tier` → minor units. */
  async function poolSums(): Promise<Map<string, bigint>> {
    const rows = await deps.store.kysely
      .selectFrom('ledger_accounts')
      .select(['environment', 'asset', 'purpose', 'balance'])
      .where('purpose', 'like', 'pool.%')
      .execute()
    const sums = new Map<string, bigint>()
    for (const row of rows) {
      const key = `${row.environment}|${row.asset}|${row.purpose.slice('pool.'.length)}`
      sums.set(key, (sums.get(key) ?? 0n) + BigInt(row.balance))
    }
    return sums
  }

  new Gauge({
    name: 'stablefx_pool_balance',
    help: 'Pool balance (all owners) in whole units of its asset',
    labelNames: ['environment', 'asset', 'tier'],
    registers: [registry],
    async collect() {
      this.reset()
      for (const [key, minor] of await poolSums()) {
        const [environment, asset, tier] = key.split('|') as [string, AssetCode, string]
        this.set({ environment, asset, tier }, units(minor, asset))
      }
    },
  })

  new Gauge({
    name: 'stablefx_pool_health_ratio',
    help: 'Pool balance over its SPEC §2.2 target at the oracle mid (absent while the oracle is stale)',
    labelNames: ['environment', 'asset', 'tier'],
    registers: [registry],
    async collect() {
      this.reset()
      const sums = await poolSums()
      for (const environment of ENVIRONMENTS) {
        const rates = deps.oracle.moneyRates(environment)
        if (!rates.ok) continue
        for (const asset of Object.keys(ASSETS) as AssetCode[]) {
          for (const tier of POOL_TIERS) {
            const minor = sums.get(`${environment}|${asset}|${tier}`) ?? 0n
            const health = div(
              minorToUsd(minor, asset, rates.value),
              ratio(POOLS[asset][tier as PoolTier].targetUsd),
            )
            this.set({ environment, asset, tier }, Number((health.num * 10_000n) / health.den) / 10_000)
          }
        }
      }
    },
  })

  new Gauge({
    name: 'stablefx_corridor_state',
    help: 'Corridor state on this node: 1 for the current state, 0 for the others (SPEC §6.1)',
    labelNames: ['environment', 'corridor', 'state'],
    registers: [registry],
    collect() {
      for (const environment of ENVIRONMENTS)
        for (const corridor of CORRIDOR_IDS) {
          const current = deps.states.view(environment, corridor).state
          for (const state of RISK_STATES)
            this.set({ environment, corridor, state }, state === current ? 1 : 0)
        }
    },
  })

  new Gauge({
    name: 'stablefx_oracle_age_seconds',
    help: 'Age of the oracle price a corridor is priced at (absent before the first price)',
    labelNames: ['environment', 'corridor'],
    registers: [registry],
    collect() {
      this.reset()
      for (const environment of ENVIRONMENTS)
        for (const corridor of CORRIDOR_IDS) {
          const age = deps.oracle.reading(environment, corridor).ageMs
          if (age !== null) this.set({ environment, corridor }, age / 1000)
        }
    },
  })

  /** Executions grouped by environment, corridor and status: how many, and their USD micros. */
  async function executionTotals() {
    return deps.store.kysely
      .selectFrom('executions')
      .select(({ fn }) => [
        'environment',
        'corridor',
        'status',
        fn.countAll<string | number | bigint>().as('count'),
        fn.sum<string | number | bigint | null>('usd_micros').as('micros'),
      ])
      .groupBy(['environment', 'corridor', 'status'])
      .execute()
  }

  new Gauge({
    name: 'stablefx_executions',
    help: 'Executions so far, by corridor and status',
    labelNames: ['environment', 'corridor', 'status'],
    registers: [registry],
    async collect() {
      this.reset()
      for (const row of await executionTotals())
        this.set(
          { environment: row.environment, corridor: row.corridor, status: row.status },
          Number(row.count),
        )
    },
  })

  new Gauge({
    name: 'stablefx_execution_volume_usd',
    help: 'Executed volume so far in USD at the quote’s mid, by corridor and status',
    labelNames: ['environment', 'corridor', 'status'],
    registers: [registry],
    async collect() {
      this.reset()
      for (const row of await executionTotals())
        this.set(
          { environment: row.environment, corridor: row.corridor, status: row.status },
          Number(BigInt(row.micros ?? 0)) / 1_000_000,
        )
    },
  })

  new Gauge({
    name: 'stablefx_fee_balance',
    help: 'Fees held: the treasury and the LP fee escrow, in whole units of each asset',
    labelNames: ['environment', 'asset', 'account'],
    registers: [registry],
    async collect() {
      this.reset()
      const rows = await deps.store.kysely
        .selectFrom('ledger_accounts')
        .select(['environment', 'asset', 'purpose', 'balance'])
        .where('owner', '=', 'protocol')
        .where('purpose', 'in', ['treasury', 'fee_escrow'])
        .execute()
      for (const row of rows)
        this.set(
          { environment: row.environment, asset: row.asset, account: row.purpose },
          units(BigInt(row.balance), row.asset as AssetCode),
        )
    },
  })

  new Gauge({
    name: 'stablefx_webhook_deliveries',
    help: 'Webhook deliveries by status',
    labelNames: ['status'],
    registers: [registry],
    async collect() {
      this.reset()
      const rows = await deps.store.kysely
        .selectFrom('webhook_deliveries')
        .select(({ fn }) => ['status', fn.countAll<string | number | bigint>().as('count')])
        .groupBy('status')
        .execute()
      for (const row of rows) this.set({ status: row.status }, Number(row.count))
    },
  })

  new Gauge({
    name: 'stablefx_withdrawals',
    help: 'LP withdrawals by status (the queue depth is QUEUED and PROCESSING)',
    labelNames: ['environment', 'asset', 'status'],
    registers: [registry],
    async collect() {
      this.reset()
      const rows = await deps.store.kysely
        .selectFrom('lp_withdrawals')
        .select(({ fn }) => [
          'environment',
          'asset',
          'status',
          fn.countAll<string | number | bigint>().as('count'),
        ])
        .groupBy(['environment', 'asset', 'status'])
        .execute()
      for (const row of rows)
        this.set({ environment: row.environment, asset: row.asset, status: row.status }, Number(row.count))
    },
  })
}
