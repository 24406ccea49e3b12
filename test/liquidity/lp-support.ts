/**
 * Helpers for the LP tests over HTTP (test/liquidity/lp-*.test.ts): LP
 * partners, wallets, deposits and withdrawals by name, the ledger and
 * kToken tables read straight from the store, and the withdrawal worker
 * driven by hand with the services src/app.ts builds.
 */
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import type { LightMyRequestResponse } from 'fastify'
import { toChecksumAddress } from '../../src/chain/address.ts'
import type { AssetCode } from '../../src/config/assets.ts'
import { accountId, ownedPoolAccount, type PoolOwner, protocolAccount } from '../../src/ledger/accounts.ts'
import { verifyLedger } from '../../src/ledger/verify.ts'
import { fillPendingDeposits } from '../../src/liquidity/pending.ts'
import { processWithdrawals } from '../../src/liquidity/withdrawal-worker.ts'
import type { WithdrawalDeps } from '../../src/liquidity/withdrawals.ts'
import { parseDecimal } from '../../src/money/decimal.ts'
import { poolTotal } from '../../src/pools/holdings.ts'
import type { Store } from '../../src/store/store.ts'
import { createPartner, setMarket, type TestApp, type TestPartner } from '../support/app.ts'
import { advanceSandbox, type Body, fund, get, post } from '../trading/support.ts'

export const HOUR_S = 3600
export const DAY_S = 24 * HOUR_S
export const HOUR_MS = HOUR_S * 1000

/**
 * A distinct, valid, all-lowercase EVM address per number (hex of a hash, so
 * it has letters for EIP-55 to capitalise); the API answers with its EIP-55 form.
 */
export function walletAddress(n: number): string {
  return `0x${createHash('sha256').update(`lp-wallet-${n}`).digest('hex').slice(0, 40)}`
}

export const checksummed = (address: string) => toChecksumAddress(address)

export function minor(text: string, decimals: number): bigint {
  const parsed = parseDecimal(text, decimals)
  assert.ok(parsed.ok, `${text} is not a ${decimals}-decimal amount`)
  return parsed.minor
}

export const usdt = (text: string) => minor(text, 6)
export const idrx = (text: string) => minor(text, 2)

type LpOptions = {
  name?: string
  liquidityClass: 'A' | 'B' | null
  depositAcceptance?: boolean
  feeTierMultiplier?: string
  /** SPEC §7.3, §15: a class A LP's own multiplier (its vault). */
  classAMultiplier?: string
}

/** An LP partner provisioned by the admin, with its class and deposit acceptance. */
export function createLp(app: TestApp, options: LpOptions): Promise<TestPartner> {
  return createPartner(app, {
    name: options.name ?? `LP ${options.liquidityClass ?? 'none'}`,
    type: 'LP',
    corridors: [],
    liquidity_class: options.liquidityClass,
    deposit_acceptance: options.depositAcceptance ?? true,
    ...(options.feeTierMultiplier === undefined ? {} : { fee_tier_multiplier: options.feeTierMultiplier }),
    ...(options.classAMultiplier === undefined ? {} : { class_a_multiplier: options.classAMultiplier }),
  })
}

export function addWallet(
  app: TestApp,
  partner: TestPartner,
  address: string,
  label = 'treasury wallet',
): Promise<LightMyRequestResponse> {
  return app.admin('POST', `/admin/v1/partners/${partner.id}/wallets`, { address, label })
}

/** Whitelists a wallet and checks the admin API said 201. */
export async function whitelist(app: TestApp, partner: TestPartner, address: string): Promise<void> {
  const response = await addWallet(app, partner, address)
  assert.equal(response.statusCode, 201, response.body)
}

/**
 * Moves the sandbox clock past a period and re-prices every pair (prices
 * stamped before the move are stale after it, which would HALT the
 * corridors and pause the withdrawal queue), then runs recovery.
 */
export async function advance(app: TestApp, seconds: number): Promise<void> {
  await advanceSandbox(app, seconds)
  await setMarket(app)
}

/** SPEC §9: a wallet is usable 24 h after it was whitelisted; this waits that out on the sandbox clock. */
export const coolWallets = (app: TestApp) => advance(app, DAY_S)

/** An LP ready to deposit: class, one whitelisted and cooled wallet, faucet funds per asset. */
export async function readyLp(
  app: TestApp,
  options: LpOptions & { wallet: string; funds?: Record<string, string[]> },
): Promise<TestPartner> {
  const partner = await createLp(app, options)
  await whitelist(app, partner, options.wallet)
  for (const [asset, amounts] of Object.entries(options.funds ?? {})) {
    for (const amount of amounts) await fund(app, partner, asset, amount)
  }
  return partner
}

export function deposit(
  app: TestApp,
  partner: TestPartner,
  body: { asset: string; amount: string; from_address: string } & Body,
): Promise<LightMyRequestResponse> {
  return post(app, partner, '/v1/lp/deposits', body)
}

export async function depositOk(
  app: TestApp,
  partner: TestPartner,
  asset: string,
  amount: string,
  from: string,
) {
  const response = await deposit(app, partner, { asset, amount, from_address: from })
  assert.equal(response.statusCode, 200, response.body)
  return response.json()
}

export function withdraw(
  app: TestApp,
  partner: TestPartner,
  body: { asset: string; variant: string; to_address: string; amount?: string; shares?: string },
): Promise<LightMyRequestResponse> {
  return post(app, partner, '/v1/lp/withdrawals', body)
}

/**
 * POST /v1/lp/withdrawals, checked for 201 QUEUED (the route only queues),
 * then one pass of the withdrawal worker (a running server wakes it at once);
 * returns the withdrawal as GET /v1/lp/withdrawals shows it after that pass.
 */
export async function withdrawOk(
  app: TestApp,
  partner: TestPartner,
  body: { asset: string; variant: string; to_address: string; amount?: string; shares?: string },
) {
  const response = await withdraw(app, partner, body)
  assert.equal(response.statusCode, 201, response.body)
  assert.equal(response.json().status, 'QUEUED', response.body)
  await runWithdrawalWorker(app)
  const listed = await get(app, partner, '/v1/lp/withdrawals')
  const id = response.json().withdrawal_id
  const found = listed.json().withdrawals.find((w: { withdrawal_id: string }) => w.withdrawal_id === id)
  assert.ok(found, listed.body)
  return found
}

type Position = {
  asset: string
  ktoken: string
  shares: string
  balance: string
  deposited: string
  withdrawn: string
  earned: string
  locks: { deposit_id: string; shares: string; locked_until: string }[]
  pending_deposits: string
  pending_withdrawals: { withdrawal_id: string; status: string; shares: string; owed: string }[]
}

/** GET /v1/lp/positions, one position by kToken symbol (`kUSD-fx`). */
export async function positionOf(app: TestApp, partner: TestPartner, ktoken: string): Promise<Position> {
  const response = await get(app, partner, '/v1/lp/positions')
  assert.equal(response.statusCode, 200, response.body)
  const found = (response.json().positions as Position[]).find((p) => p.ktoken === ktoken)
  assert.ok(found, `no ${ktoken} position in ${response.body}`)
  return found
}

/** The services src/app.ts hands the withdrawal worker, for driving it by hand. */
export function withdrawalDeps(app: TestApp): WithdrawalDeps {
  const services = app.stablefx.services
  return {
    store: services.store,
    wallets: services.wallets,
    engine: services.risk,
    riskConfig: services.riskConfig,
    clocks: services.clocks,
    moneyRates: (environment) => services.oracle.moneyRates(environment),
  }
}

/** One pass of the withdrawal worker on the sandbox queue (the started app runs it every second). */
export function runWithdrawalWorker(app: TestApp): Promise<number> {
  return processWithdrawals(withdrawalDeps(app), app.stablefx.services.chain, 'sandbox')
}

/** One pass of the pending-deposit filler on the sandbox queue. */
export function runPendingFiller(app: TestApp): Promise<number> {
  const services = app.stablefx.services
  const rates = services.oracle.moneyRates('sandbox')
  assert.ok(rates.ok, 'the sandbox oracle has a usable mid')
  return fillPendingDeposits(services.store, 'sandbox', rates.value, () => services.clocks.sandbox.now())
}

/** A sandbox ledger account's balance, read straight from the store. */
export async function accountBalance(store: Store, key: Parameters<typeof accountId>[0]): Promise<bigint> {
  const row = await store.kysely
    .selectFrom('ledger_accounts')
    .select('balance')
    .where('id', '=', accountId(key))
    .executeTakeFirst()
  return row === undefined ? 0n : BigInt(row.balance)
}

/** A pool's total: every owner's account summed (SPEC §15 ownership). */
export const reserveOf = (store: Store, asset: AssetCode) => poolTotal(store, 'sandbox', asset, 'RESERVE')
export const yieldOf = (store: Store, asset: AssetCode) => poolTotal(store, 'sandbox', asset, 'YIELD')
/** One owner's part of a pool. */
export const ownedOf = (store: Store, asset: AssetCode, tier: 'RESERVE' | 'YIELD', owner: PoolOwner) =>
  accountBalance(store, ownedPoolAccount('sandbox', asset, tier, owner))
export const treasuryOf = (store: Store, asset: AssetCode) =>
  accountBalance(store, protocolAccount('sandbox', asset, 'treasury'))
export const pendingDepositOf = (store: Store, asset: AssetCode) =>
  accountBalance(store, protocolAccount('sandbox', asset, 'pending_deposit'))

/** A kToken variant as stored: index (RAY) and total shares. */
export async function variantRow(
  store: Store,
  asset: AssetCode,
  variant: 'fx' | 'full' | `fx@${string}`,
): Promise<{ indexRay: bigint; totalShares: bigint }> {
  const row = await store.kysely
    .selectFrom('ktoken_variants')
    .select(['index_ray', 'total_shares'])
    .where('environment', '=', 'sandbox')
    .where('asset', '=', asset)
    .where('variant', '=', variant)
    .executeTakeFirst()
  return row === undefined
    ? { indexRay: 10n ** 27n, totalShares: 0n }
    : { indexRay: BigInt(row.index_ray), totalShares: BigInt(row.total_shares) }
}

/** An LP's shares of a variant, read straight from lp_holdings. */
export async function sharesOf(
  store: Store,
  partner: TestPartner,
  asset: AssetCode,
  variant: 'fx' | 'full',
): Promise<bigint> {
  const row = await store.kysely
    .selectFrom('lp_holdings')
    .select('shares')
    .where('environment', '=', 'sandbox')
    .where('partner_id', '=', partner.id)
    .where('asset', '=', asset)
    .where('variant', '=', variant)
    .executeTakeFirst()
  return row === undefined ? 0n : BigInt(row.shares)
}

/** The events of one type for a partner, oldest first, with `data` parsed. */
export async function eventsOf(store: Store, partnerId: string, type: string) {
  const rows = await store.kysely
    .selectFrom('events')
    .selectAll()
    .where('partner_id', '=', partnerId)
    .where('type', '=', type)
    .orderBy('id')
    .execute()
  return rows.map((row) => ({ ...row, data: JSON.parse(row.data) }))
}

/** `stablefx verify`: every ledger invariant, inside a snapshot. */
export async function ledgerOk(store: Store): Promise<void> {
  const report = await store.snapshot((db) => verifyLedger(db))
  assert.deepEqual(report.violations, [])
  assert.equal(report.ok, true)
}

/** The sandbox clock now, in ms, as the app reads it. */
export const sandboxNow = (app: TestApp) => app.stablefx.services.clocks.sandbox.now()

/** ISO text of the sandbox clock plus an offset in ms. */
export const sandboxIso = (app: TestApp, offsetMs = 0) => new Date(sandboxNow(app) + offsetMs).toISOString()
