import { createHash, randomUUID } from 'node:crypto'
import type { Clocks } from '../clock/clock.ts'
import { ASSETS, type AssetCode } from '../config/assets.ts'
import type { Environment } from '../config/environment.ts'
import type { PoolTier } from '../config/pools.ts'
import { fail, ok, type Result } from '../errors.ts'
import { recordEvent } from '../events/events.ts'
import { enqueueYieldBooking } from '../integrations/earn/bookings.ts'
import { type AccountKey, ownedPoolAccount, prefundedAccount, protocolAccount } from '../ledger/accounts.ts'
import { jsonBigint, type Posting, postEntry } from '../ledger/journal.ts'
import { formatDecimal } from '../money/decimal.ts'
import type { Partner } from '../partners/model.ts'
import type { WalletService } from '../partners/wallets.ts'
import { poolTotal } from '../pools/holdings.ts'
import { poolTargetMinor } from '../pools/model.ts'
import type { UsdRates } from '../pools/usd-rates.ts'
import type { RecordOutcome } from '../store/outcome.ts'
import type { Reader, Store, Tx } from '../store/store.ts'
import { lockUntilMs, routeDeposit } from './deposit-routing.ts'
import { balanceOf, mint } from './ktoken.ts'
import { kTokenSymbol, type LpClass, variantOfVault, vaultFor } from './model.ts'
import { loadHolding, loadVariant, saveHolding, saveVariant, type VariantKey } from './vaults.ts'

/** Where a deposit's money comes from: the sandbox faucet balance, or the chain (a live deposit watcher). */
export type DepositSource = 'prefunded' | 'chain'

export type DepositInput = {
  readonly environment: Environment
  readonly partner: Partner
  readonly asset: AssetCode
  readonly amountMinor: bigint
  readonly fromAddress: string
  readonly txHash: string
  readonly source: DepositSource
}

export type DepositView = {
  deposit_id: string
  asset: AssetCode
  ktoken: string
  lp_class: LpClass
  amount: string
  to_reserve: string
  to_yield: string
  yield_overflow_tagged: string
  pending: string
  change: string
  shares: string
  ktoken_balance: string
  locked_until: string
  from_address: string
  tx_hash: string
  status: 'CONFIRMED' | 'PARTLY_PENDING' | 'PENDING'
}

/** The account a deposit's money comes from, and where the change of a later fill goes back. */
export function sourceAccount(
  environment: Environment,
  asset: AssetCode,
  partnerId: string,
  source: DepositSource,
): AccountKey {
  return source === 'prefunded'
    ? prefundedAccount(environment, asset, partnerId)
    : protocolAccount(environment, asset, 'chain')
}

/** What FIFO-earlier deposits are still owed of a pool's room (SPEC §7.1). */
async function queuedAhead(
  tx: Reader,
  environment: Environment,
  asset: AssetCode,
  pool: PoolTier,
): Promise<bigint> {
  const rows = await tx.kysely
    .selectFrom('lp_pending')
    .select('amount')
    .where('environment', '=', environment)
    .where('asset', '=', asset)
    .where('pool', '=', pool)
    .where('filled_at', 'is', null)
    .execute()
  return rows.reduce((sum, row) => sum + BigInt(row.amount), 0n)
}

/**
 * Confirms an LP deposit in one transaction (SPEC §7.1, §7.2): routes it by
 * the partner's class, mints kTokens for what enters the pools (shares rounded
 * down, and only what they are worth is taken: the change stays with the
 * depositor), queues the rest FIFO, and locks it for the asset's lock period.
 * Both the sandbox simulated chain and a live deposit watcher call this.
 */
export async function confirmDeposit(
  tx: Tx,
  input: DepositInput,
  rates: UsdRates,
  nowMs: number,
): Promise<Result<DepositView>> {
  const { environment, partner, asset } = input
  const lpClass = partner.config.liquidity_class as LpClass
  const owner = lpClass === 'A' ? 'class_a' : 'class_b'
  // Room is the pool's, whoever owns what is in it; the money goes to the depositor's class (SPEC §15).
  const reserve = ownedPoolAccount(environment, asset, 'RESERVE', owner)
  const yieldPool = ownedPoolAccount(environment, asset, 'YIELD', 'class_b')
  const routing = routeDeposit({
    lpClass,
    asset,
    amountMinor: input.amountMinor,
    reserveBalanceMinor: await poolTotal(tx, environment, asset, 'RESERVE'),
    reserveMaxMinor: poolTargetMinor(asset, 'RESERVE', rates),
    yieldBalanceMinor: await poolTotal(tx, environment, asset, 'YIELD'),
    yieldMaxMinor: poolTargetMinor(asset, 'YIELD', rates),
    reserveQueuedAheadMinor: await queuedAhead(tx, environment, asset, 'RESERVE'),
    yieldQueuedAheadMinor: await queuedAhead(tx, environment, asset, 'YIELD'),
  })
  const key: VariantKey = {
    environment,
    asset,
    variant: vaultFor(lpClass, partner.config.class_a_multiplier),
  }
  const entering = routing.toReserveMinor + routing.toYieldMinor
  const variant = await loadVariant(tx, key, true)
  const minted = entering === 0n ? undefined : mint(variant, entering)
  if (minted !== undefined && !minted.ok) return fail('DEPOSIT_TOO_SMALL', minted.message)
  const change = minted?.value.changeMinor ?? 0n
  // The change is what the minted shares are not worth: it comes off Reserve first, then Yield.
  const toReserve =
    routing.toReserveMinor - (change < routing.toReserveMinor ? change : routing.toReserveMinor)
  const toYield = routing.toYieldMinor - (change - (routing.toReserveMinor - toReserve))
  const taken = toReserve + toYield + routing.pendingMinor
  const depositId = randomUUID()
  const legs: Posting[] = [
    { account: sourceAccount(environment, asset, partner.id, input.source), amount: -taken },
    { account: reserve, amount: toReserve },
    { account: yieldPool, amount: toYield },
    { account: protocolAccount(environment, asset, 'pending_deposit'), amount: routing.pendingMinor },
  ].filter((leg) => leg.amount !== 0n)
  const posted = await postEntry(tx, {
    environment,
    kind: 'lp_deposit',
    reference: depositId,
    postings: legs,
    memo: { partner_id: partner.id, tx_hash: input.txHash },
    atMs: nowMs,
  })
  if (!posted.ok) {
    if (posted.reason === 'insufficient_balance')
      return fail('INSUFFICIENT_FUNDS', `the prefunded ${asset} balance is too low`)
    throw new Error(`deposit entry refused: ${posted.reason}`)
  }
  await enqueueYieldBooking(tx, {
    environment,
    asset,
    owner: partner.id,
    kind: 'DEPOSIT',
    amountMinor: toYield,
    reference: `deposit:${depositId}`,
    cause: 'class_b_deposit',
    atMs: nowMs,
  })
  const shares = minted?.value.sharesMinted ?? 0n
  const holding = await loadHolding(tx, key, partner.id, true)
  const after = {
    ...holding,
    shares: holding.shares + shares,
    deposited: holding.deposited + toReserve + toYield,
  }
  if (minted !== undefined) await saveVariant(tx, key, minted.value.variant, nowMs)
  await saveHolding(tx, key, partner.id, after, nowMs)
  const lockedUntil = lockUntilMs(nowMs, asset)
  const routed = { ...routing, toReserveMinor: toReserve, toYieldMinor: toYield }
  await tx.kysely
    .insertInto('lp_deposits')
    .values({
      deposit_id: depositId,
      environment,
      partner_id: partner.id,
      asset,
      variant: key.variant,
      from_address: input.fromAddress,
      tx_hash: input.txHash,
      source: input.source,
      amount: taken.toString(),
      shares: shares.toString(),
      pending: routing.pendingMinor.toString(),
      routing: JSON.stringify(routed, jsonBigint),
      locked_until: BigInt(lockedUntil),
      created_at: BigInt(nowMs),
    })
    .execute()
  if (routing.pendingMinor > 0n) {
    await tx.kysely
      .insertInto('lp_pending')
      .values({
        deposit_id: depositId,
        environment,
        asset,
        pool: lpClass === 'A' ? 'RESERVE' : 'YIELD',
        amount: routing.pendingMinor.toString(),
        created_at: BigInt(nowMs),
        filled_at: null,
      })
      .execute()
  }
  const decimals = ASSETS[asset].decimals
  const view: DepositView = {
    deposit_id: depositId,
    asset,
    ktoken: kTokenSymbol(asset, variantOfVault(key.variant)),
    lp_class: lpClass,
    amount: formatDecimal(taken, decimals),
    to_reserve: formatDecimal(toReserve, decimals),
    to_yield: formatDecimal(toYield, decimals),
    yield_overflow_tagged: formatDecimal(routing.yieldOverflowTaggedMinor, decimals),
    pending: formatDecimal(routing.pendingMinor, decimals),
    change: formatDecimal(change, decimals),
    shares: shares.toString(),
    ktoken_balance: formatDecimal(
      balanceOf(after.shares, minted?.value.variant.indexRay ?? variant.indexRay),
      decimals,
    ),
    locked_until: new Date(lockedUntil).toISOString(),
    from_address: input.fromAddress,
    tx_hash: input.txHash,
    status: routing.pendingMinor === 0n ? 'CONFIRMED' : entering === 0n ? 'PENDING' : 'PARTLY_PENDING',
  }
  await recordEvent(tx, {
    environment,
    partnerId: partner.id,
    type: 'deposit.confirmed',
    data: view,
    atMs: nowMs,
  })
  return ok(view)
}

export type DepositService = {
  /** SPEC §7.1 in sandbox: the simulated chain takes the deposit from the partner's faucet balance. */
  deposit(
    environment: Environment,
    partner: Partner,
    input: { asset: AssetCode; amountMinor: bigint; fromAddress: string },
    record?: RecordOutcome,
  ): Promise<Result<DepositView>>
}

export function createDepositService(deps: {
  store: Store
  wallets: WalletService
  clocks: Clocks
  /** SPEC §15: pool targets at a usable oracle mid, never a hard-coded fallback. */
  moneyRates: (environment: Environment) => Result<UsdRates>
}): DepositService {
  return {
    async deposit(environment, partner, input, record) {
      if (partner.config.liquidity_class === null)
        return fail('FORBIDDEN', 'this partner is not configured as a liquidity provider')
      if (environment === 'live') {
        return fail(
          'FORBIDDEN',
          'live deposits arrive on chain from a whitelisted wallet and are confirmed by the deposit watcher',
        )
      }
      if (!partner.config.deposit_acceptance)
        return fail('DEPOSITS_DISABLED', 'deposits are not accepted from this partner')
      if (input.amountMinor <= 0n) return fail('VALIDATION_ERROR', 'amount must be positive')
      const rates = deps.moneyRates(environment)
      if (!rates.ok) return rates
      return deps.store.transaction(async (tx): Promise<Result<DepositView>> => {
        const address = await deps.wallets.usable(tx, partner.id, input.fromAddress, environment)
        if (!address.ok) return address
        const nowMs = deps.clocks[environment].now()
        const txHash = `0x${createHash('sha256').update(`deposit|${environment}|${partner.id}|${input.asset}|${input.amountMinor}|${nowMs}|${randomUUID()}`).digest('hex')}`
        const confirmed = await confirmDeposit(
          tx,
          {
            environment,
            partner,
            asset: input.asset,
            amountMinor: input.amountMinor,
            fromAddress: address.value,
            txHash,
            source: 'prefunded',
          },
          rates.value,
          nowMs,
        )
        if (confirmed.ok) await record?.(tx, { status: 200, body: confirmed.value })
        return confirmed
      })
    },
  }
}
