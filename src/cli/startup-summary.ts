import { ASSETS, type AssetCode } from '../config/assets.ts'
import { ENVIRONMENTS } from '../config/environment.ts'
import type { Settings } from '../config/settings.ts'
import { formatDecimal } from '../money/decimal.ts'
import type { Store } from '../store/store.ts'

/**
 * Issue 15: what `npm start` says it runs with, in plain lines beside the log:
 * the oracle mode, the chain of each environment, the rebalancer, the rates
 * endpoint, and each environment's pools (Active / Reserve / Yield, whole
 * units of each asset, all owners), read from the database.
 */
export async function startupSummary(store: Store, settings: Settings): Promise<string[]> {
  const oracle =
    settings.oracleFeeds.length > 0
      ? `feeds (${settings.oracleFeeds.length} sources)`
      : settings.oracle === 'sim'
        ? `sim (seed ${settings.oracleSeed})`
        : 'manual (POST /admin/v1/oracle/prices)'
  const chainOf = (environment: string) =>
    settings.evm !== undefined && settings.evm.environment === environment
      ? `evm chain ${settings.evm.chainId} (${settings.evm.network})`
      : 'simulated chain'
  const rows = await store.kysely
    .selectFrom('ledger_accounts')
    .select(['environment', 'asset', 'purpose', 'balance'])
    .where('purpose', 'in', ['pool.ACTIVE', 'pool.RESERVE', 'pool.YIELD'])
    .execute()
  const sum = (environment: string, asset: AssetCode, purpose: string) =>
    rows
      .filter((r) => r.environment === environment && r.asset === asset && r.purpose === purpose)
      .reduce((total, r) => total + BigInt(r.balance), 0n)
  const lines = [
    `oracle: ${oracle}; rebalancer: ${settings.rebalancer}; /rates serves ${settings.ratesEnvironment} (${settings.ratesMode})`,
  ]
  for (const environment of ENVIRONMENTS) {
    const pools = (Object.keys(ASSETS) as AssetCode[]).map((asset) => {
      const [a, r, y] = ['pool.ACTIVE', 'pool.RESERVE', 'pool.YIELD'].map((p) =>
        formatDecimal(sum(environment, asset, p), ASSETS[asset].decimals),
      )
      return `${asset} ${a}/${r}/${y}`
    })
    lines.push(`${environment} (${chainOf(environment)}) pools Active/Reserve/Yield: ${pools.join(', ')}`)
  }
  return lines
}
