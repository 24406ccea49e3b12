import { utcDay } from '../clock/clock.ts'
import { ASSET_CODES, ASSETS, type AssetCode } from '../config/assets.ts'
import type { Environment } from '../config/environment.ts'
import { formatDecimal } from '../money/decimal.ts'
import { formatRatio, mul, ratio, sub } from '../money/ratio.ts'
import { readPoolHoldings } from '../pools/holdings.ts'
import { msOf } from '../store/columns.ts'
import type { Reader } from '../store/store.ts'
import { classClaimMinor, readVaults } from './holdings.ts'
import { balanceOf, totalClaimOf, type VariantState } from './ktoken.ts'
import { KTOKEN_VARIANTS, kTokenSymbol, multiplierOfVault, type VaultId, variantOfVault } from './model.ts'
import { loadVariant } from './vaults.ts'

const DAY_MS = 24 * 3600 * 1000
const fmt = (minor: bigint, asset: AssetCode) => formatDecimal(minor, ASSETS[asset].decimals)

/** SPEC §7 reporting: a partner's holdings per kToken variant, with locks and queued money. */
export async function positionsOf(db: Reader, environment: Environment, partnerId: string, nowMs: number) {
  const holdings = await db.kysely
    .selectFrom('lp_holdings')
    .selectAll()
    .where('environment', '=', environment)
    .where('partner_id', '=', partnerId)
    .execute()
  const deposits = await db.kysely
    .selectFrom('lp_deposits')
    .selectAll()
    .where('environment', '=', environment)
    .where('partner_id', '=', partnerId)
    .orderBy('id')
    .execute()
  const withdrawals = await db.kysely
    .selectFrom('lp_withdrawals')
    .selectAll()
    .where('environment', '=', environment)
    .where('partner_id', '=', partnerId)
    .where('status', 'in', ['QUEUED', 'PROCESSING'])
    .orderBy('id')
    .execute()
  const positions = []
  for (const h of holdings) {
    const asset = h.asset as AssetCode
    const vault = h.variant as VaultId
    const state = await loadVariant(db, { environment, asset, variant: vault })
    const balance = balanceOf(BigInt(h.shares), state.indexRay)
    const mine = deposits.filter((d) => d.asset === asset && d.variant === vault)
    const queued = withdrawals.filter((w) => w.asset === asset && w.variant === vault)
    // Shares in escrow are still the LP's until paid: they earn and lose with the vault (SPEC §15).
    const escrowed = queued.reduce((sum, w) => sum + BigInt(w.shares) - BigInt(w.shares_paid ?? '0'), 0n)
    const owedMinor = balanceOf(escrowed, state.indexRay)
    positions.push({
      asset,
      ktoken: kTokenSymbol(asset, variantOfVault(vault)),
      class_a_multiplier:
        variantOfVault(vault) === 'fx' ? formatRatio(multiplierOfVault(vault), 36, 'floor') : null,
      shares: h.shares,
      balance: fmt(balance, asset),
      index: formatDecimal(state.indexRay, 27),
      deposited: fmt(BigInt(h.deposited), asset),
      withdrawn: fmt(BigInt(h.withdrawn), asset),
      // Fees and yield so far: what the position is worth, in escrow or not, plus what came out, less what went in.
      earned: fmt(balance + owedMinor + BigInt(h.withdrawn) - BigInt(h.deposited), asset),
      locks: mine
        .filter((d) => msOf(d.locked_until) > nowMs)
        .map((d) => ({
          deposit_id: d.deposit_id,
          shares: d.shares,
          locked_until: new Date(msOf(d.locked_until)).toISOString(),
        })),
      pending_deposits: fmt(
        mine.reduce((sum, d) => sum + BigInt(d.pending), 0n),
        asset,
      ),
      pending_withdrawals: queued.map((w) => {
        const shares = BigInt(w.shares) - BigInt(w.shares_paid ?? '0')
        return {
          withdrawal_id: w.withdrawal_id,
          status: w.status,
          shares: shares.toString(),
          owed: fmt(balanceOf(shares, state.indexRay), asset),
        }
      }),
    })
  }
  return { positions }
}

/** Annualised growth of an index over `days`, in percent, or null without history that old. */
function growth(
  history: readonly { day: string; index_ray: string }[],
  nowMs: number,
  days: number,
  currentRay: bigint,
): string | null {
  const then = utcDay(nowMs - days * DAY_MS)
  const past = history.filter((h) => h.day <= then).at(-1)
  if (past === undefined) return null
  const change = sub(ratio(currentRay, BigInt(past.index_ray)), ratio(1n))
  return formatRatio(mul(change, ratio(36_500n, BigInt(days))), 4, 'floor')
}

/**
 * SPEC §7 reporting: per asset, what Reserve and Yield hold and who owns
 * it (SPEC §15), TVL by class, each variant's index and growth (`-fx` is
 * the 1× vault's), and every vault with its multiplier.
 */
export async function poolsReport(db: Reader, environment: Environment, nowMs: number) {
  const pools = await readPoolHoldings(db, environment)
  const vaults = await readVaults(db, environment)
  const history = await db.kysely
    .selectFrom('ktoken_index_days')
    .selectAll()
    .where('environment', '=', environment)
    .orderBy('day')
    .execute()
  const report = []
  for (const asset of ASSET_CODES) {
    const pool = pools.get(asset)
    const mine = vaults.get(asset) ?? {}
    const entries = (Object.entries(mine) as [VaultId, VariantState][]).sort(([x], [y]) =>
      x < y ? -1 : x > y ? 1 : 0,
    )
    const vaultViews = entries.map(([vault, state]) => {
      const days = history.filter((h) => h.asset === asset && h.variant === vault)
      return {
        vault,
        ktoken: kTokenSymbol(asset, variantOfVault(vault)),
        multiplier: formatRatio(multiplierOfVault(vault), 36, 'floor'),
        index: formatDecimal(state.indexRay, 27),
        total_shares: state.totalShares.toString(),
        tvl: fmt(totalClaimOf(state), asset),
        growth_24h_pct: growth(days, nowMs, 1, state.indexRay),
        growth_7d_pct: growth(days, nowMs, 7, state.indexRay),
        growth_30d_pct: growth(days, nowMs, 30, state.indexRay),
      }
    })
    const variants: Record<string, unknown> = {}
    for (const variant of KTOKEN_VARIANTS) {
      const view = vaultViews.find((v) => v.vault === variant)
      const {
        vault: _vault,
        ktoken: _ktoken,
        multiplier: _multiplier,
        ...rest
      } = view ?? {
        vault: variant,
        ktoken: '',
        multiplier: '1',
        index: formatDecimal(10n ** 27n, 27),
        total_shares: '0',
        tvl: fmt(0n, asset),
        growth_24h_pct: null,
        growth_7d_pct: null,
        growth_30d_pct: null,
      }
      variants[kTokenSymbol(asset, variant)] = rest
    }
    const owners = (tier: 'RESERVE' | 'YIELD') =>
      Object.fromEntries(
        Object.entries(pool?.[tier].byOwner ?? {}).map(([owner, amount]) => [
          owner,
          fmt(amount as bigint, asset),
        ]),
      )
    report.push({
      asset,
      reserve: fmt(pool?.RESERVE.total ?? 0n, asset),
      yield: fmt(pool?.YIELD.total ?? 0n, asset),
      ownership: { reserve: owners('RESERVE'), yield: owners('YIELD') },
      tvl: {
        class_a: fmt(classClaimMinor(mine, 'A'), asset),
        class_b: fmt(classClaimMinor(mine, 'B'), asset),
      },
      variants,
      vaults: vaultViews,
    })
  }
  return { pools: report }
}
