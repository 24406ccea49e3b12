import { ASSET_CODES, ASSETS, type AssetCode } from '../config/assets.ts'
import type { Environment } from '../config/environment.ts'
import { poolAccount } from '../ledger/accounts.ts'
import { balancesOf } from '../ledger/journal.ts'
import { formatDecimal } from '../money/decimal.ts'
import { formatRatio, mul, ratio, sub } from '../money/ratio.ts'
import { msOf } from '../store/columns.ts'
import type { Reader } from '../store/store.ts'
import { utcDay } from '../trading/volume.ts'
import { balanceOf } from './ktoken.ts'
import { KTOKEN_VARIANTS, type KTokenVariant, kTokenSymbol } from './model.ts'
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
    const variant = h.variant as KTokenVariant
    const state = await loadVariant(db, { environment, asset, variant })
    const balance = balanceOf(BigInt(h.shares), state.indexRay)
    const mine = deposits.filter((d) => d.asset === asset && d.variant === variant)
    positions.push({
      asset,
      ktoken: kTokenSymbol(asset, variant),
      shares: h.shares,
      balance: fmt(balance, asset),
      deposited: fmt(BigInt(h.deposited), asset),
      withdrawn: fmt(BigInt(h.withdrawn), asset),
      // Fees and yield so far: what the position is worth plus what came out, less what went in.
      earned: fmt(balance + BigInt(h.withdrawn) - BigInt(h.deposited), asset),
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
      pending_withdrawals: withdrawals
        .filter((w) => w.asset === asset && w.variant === variant)
        .map((w) => ({
          withdrawal_id: w.withdrawal_id,
          status: w.status,
          owed: fmt(BigInt(w.amount) - BigInt(w.paid), asset),
        })),
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

/** SPEC §7 reporting: per asset, what Reserve and Yield hold, TVL by class, each variant's index and growth. */
export async function poolsReport(db: Reader, environment: Environment, nowMs: number) {
  const poolBalance = await balancesOf(
    db,
    ASSET_CODES.flatMap((asset) => [
      poolAccount(environment, asset, 'RESERVE'),
      poolAccount(environment, asset, 'YIELD'),
    ]),
  )
  const history = await db.kysely
    .selectFrom('ktoken_index_days')
    .selectAll()
    .where('environment', '=', environment)
    .orderBy('day')
    .execute()
  const pools = []
  for (const asset of ASSET_CODES) {
    const variants: Record<string, unknown> = {}
    const tvl: Record<string, string> = {}
    for (const variant of KTOKEN_VARIANTS) {
      const state = await loadVariant(db, { environment, asset, variant })
      const mine = history.filter((h) => h.asset === asset && h.variant === variant)
      const total = balanceOf(state.totalShares, state.indexRay)
      tvl[variant === 'fx' ? 'class_a' : 'class_b'] = fmt(total, asset)
      variants[kTokenSymbol(asset, variant)] = {
        index: formatDecimal(state.indexRay, 27),
        total_shares: state.totalShares.toString(),
        tvl: fmt(total, asset),
        growth_24h_pct: growth(mine, nowMs, 1, state.indexRay),
        growth_7d_pct: growth(mine, nowMs, 7, state.indexRay),
        growth_30d_pct: growth(mine, nowMs, 30, state.indexRay),
      }
    }
    pools.push({
      asset,
      reserve: fmt(poolBalance(poolAccount(environment, asset, 'RESERVE')), asset),
      yield: fmt(poolBalance(poolAccount(environment, asset, 'YIELD')), asset),
      tvl,
      variants,
    })
  }
  return { pools }
}
