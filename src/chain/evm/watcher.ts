import { randomUUID } from 'node:crypto'
import { getAddress, type Hex, type PublicClient, parseAbiItem } from 'viem'
import { recordAudit } from '../../audit/audit.ts'
import type { Clocks } from '../../clock/clock.ts'
import { ASSET_CODES, ASSETS, type AssetCode } from '../../config/assets.ts'
import type { Environment } from '../../config/environment.ts'
import type { Result } from '../../errors.ts'
import { recordEvent } from '../../events/events.ts'
import { prefundedAccount, protocolAccount } from '../../ledger/accounts.ts'
import { postEntry } from '../../ledger/journal.ts'
import { confirmDeposit } from '../../liquidity/deposits.ts'
import { formatDecimal } from '../../money/decimal.ts'
import { fromRow } from '../../partners/model.ts'
import type { WalletService } from '../../partners/wallets.ts'
import type { UsdRates } from '../../pools/usd-rates.ts'
import type { Store, Tx } from '../../store/store.ts'
import type { EvmSettings } from './settings.ts'

/**
 * Issue 14, the deposit watcher: every stablecoin `Transfer` to the deposit
 * address, read from a cursor in `evm_deposits`' sibling `evm_cursors`, is
 * credited once it has STABLEFX_EVM_CONFIRMATIONS confirmations, never
 * before: a log is read only from blocks at least that deep, so a deposit
 * reorged away while unconfirmed is never seen, let alone credited.
 *
 * One deposit address for all partners, matched by sender: the transfer's
 * `from` must be exactly one partner's whitelisted wallet, past its 24 h
 * cooling (SPEC §9). Then an LP partner's deposit goes through
 * `confirmDeposit` (routed by its class, kTokens minted), and any other
 * partner's is credited to its prefunded balance (SPEC §3). A transfer from
 * an unknown, ambiguous or cooling wallet goes to the suspense account and
 * raises an alert (an error log and an audit record), never to a balance.
 * Every credit writes `deposit.confirmed`. Each batch of blocks commits in
 * one transaction with the cursor, so a crash re-reads the batch and the
 * (tx hash, log index) key credits each transfer once.
 *
 * Reorgs deeper than the confirmations: the cursor keeps the hash of the
 * last block read; if the chain's block at that height has another hash the
 * watcher stops, logs an error and waits for an operator (deposits already
 * credited are not taken back automatically).
 */
export type DepositOutcome = 'PREFUNDING' | 'LP_DEPOSIT' | 'SUSPENSE'

export type DepositWatcher = {
  /** Reads what is confirmed since the cursor, credits it; returns how many transfers it recorded. */
  run(stillHeld: () => boolean): Promise<number>
  readonly depositAddress: Hex
}

type Log = { error(obj: object, msg: string): void; warn(obj: object, msg: string): void }

const TRANSFER = parseAbiItem('event Transfer(address indexed from, address indexed to, uint256 value)')

export function createDepositWatcher(deps: {
  settings: EvmSettings
  store: Store
  client: PublicClient
  depositAddress: Hex
  wallets: WalletService
  clocks: Clocks
  moneyRates: (environment: Environment) => Result<UsdRates>
  log?: Log
}): DepositWatcher {
  const { settings, store, client } = deps
  const environment = settings.environment
  const assetOf = new Map<string, AssetCode>(
    ASSET_CODES.map((asset) => [settings.tokens[asset].toLowerCase(), asset]),
  )
  const confirmations = BigInt(settings.confirmations)

  async function cursor(safe: bigint): Promise<{ next: bigint; lastHash: string | null }> {
    const row = await store.kysely
      .selectFrom('evm_cursors')
      .selectAll()
      .where('environment', '=', environment)
      .executeTakeFirst()
    if (row !== undefined) return { next: row.next_block, lastHash: row.last_hash }
    // No cursor yet: from STABLEFX_EVM_START_BLOCK, else from the first block not yet confirmed; kept at once.
    const next = settings.startBlock ?? (safe + 1n > 0n ? safe + 1n : 0n)
    await store.kysely
      .insertInto('evm_cursors')
      .values({
        environment,
        next_block: next,
        last_hash: null,
        updated_at: BigInt(deps.clocks[environment].now()),
      })
      .onConflict((oc) => oc.column('environment').doNothing())
      .execute()
    return cursor(safe)
  }

  async function suspense(
    tx: Tx,
    log: { txHash: string; logIndex: bigint; from: string; asset: AssetCode; amount: bigint },
    reason: string,
    partnerId: string | null,
    nowMs: number,
  ) {
    const posted = await postEntry(tx, {
      environment,
      kind: 'chain_suspense',
      reference: `${log.txHash}:${log.logIndex}`,
      postings: [
        { account: protocolAccount(environment, log.asset, 'chain'), amount: -log.amount },
        {
          account: { environment, asset: log.asset, owner: 'protocol', purpose: 'suspense' },
          amount: log.amount,
        },
      ],
      memo: { tx_hash: log.txHash, from: log.from, reason },
      atMs: nowMs,
    })
    if (!posted.ok) throw new Error(`suspense entry refused: ${posted.reason}`)
    const detail = {
      tx_hash: log.txHash,
      log_index: log.logIndex.toString(),
      from_address: log.from,
      asset: log.asset,
      amount: formatDecimal(log.amount, ASSETS[log.asset].decimals),
      reason,
      partner_id: partnerId,
    }
    await recordAudit(tx, {
      actor: 'deposit-watcher',
      action: 'deposit.suspense',
      targetType: 'chain_deposit',
      targetId: `${log.txHash}:${log.logIndex}`,
      before: null,
      after: detail,
      atMs: nowMs,
    })
    deps.log?.error({ environment, ...detail }, 'on-chain deposit put in suspense')
    return posted.value.entryId
  }

  /** Credits one confirmed transfer; returns how it was booked. */
  async function credit(
    tx: Tx,
    log: { txHash: string; logIndex: bigint; from: string; asset: AssetCode; amount: bigint },
    rates: Result<UsdRates>,
    nowMs: number,
  ): Promise<{
    outcome: DepositOutcome
    partnerId: string | null
    reason: string | null
    entryId: bigint | null
    depositId: string | null
  }> {
    const owners = await tx.kysely
      .selectFrom('wallets')
      .select('partner_id')
      .where('address', '=', log.from)
      .where('removed_at', 'is', null)
      .execute()
    const toSuspense = async (reason: string, partnerId: string | null) => ({
      outcome: 'SUSPENSE' as const,
      partnerId,
      reason,
      entryId: await suspense(tx, log, reason, partnerId, nowMs),
      depositId: null,
    })
    if (owners.length === 0) return toSuspense('WALLET_NOT_WHITELISTED', null)
    if (owners.length > 1) return toSuspense('WALLET_AMBIGUOUS', null)
    const partnerId = (owners[0] as { partner_id: string }).partner_id
    const usable = await deps.wallets.usable(tx, partnerId, log.from, environment)
    if (!usable.ok) return toSuspense(usable.code, partnerId)
    const row = await tx.kysely
      .selectFrom('partners')
      .selectAll()
      .where('id', '=', partnerId)
      .executeTakeFirstOrThrow()
    const partner = fromRow(row)
    if (partner.config.liquidity_class !== null) {
      if (!partner.config.deposit_acceptance) return toSuspense('DEPOSITS_DISABLED', partnerId)
      if (!rates.ok) throw new NoRates()
      const confirmed = await confirmDeposit(
        tx,
        {
          environment,
          partner,
          asset: log.asset,
          amountMinor: log.amount,
          fromAddress: log.from,
          txHash: log.txHash,
          source: 'chain',
        },
        rates.value,
        nowMs,
      )
      if (!confirmed.ok) return toSuspense(confirmed.code, partnerId)
      return {
        outcome: 'LP_DEPOSIT',
        partnerId,
        reason: null,
        entryId: null,
        depositId: confirmed.value.deposit_id,
      }
    }
    const depositId = randomUUID()
    const posted = await postEntry(tx, {
      environment,
      kind: 'chain_deposit',
      reference: depositId,
      postings: [
        { account: protocolAccount(environment, log.asset, 'chain'), amount: -log.amount },
        { account: prefundedAccount(environment, log.asset, partnerId), amount: log.amount },
      ],
      memo: { partner_id: partnerId, tx_hash: log.txHash },
      atMs: nowMs,
    })
    if (!posted.ok) throw new Error(`deposit entry refused: ${posted.reason}`)
    await recordEvent(tx, {
      environment,
      partnerId,
      type: 'deposit.confirmed',
      data: {
        deposit_id: depositId,
        kind: 'PREFUNDING',
        asset: log.asset,
        amount: formatDecimal(log.amount, ASSETS[log.asset].decimals),
        status: 'CONFIRMED',
        from_address: log.from,
        tx_hash: log.txHash,
      },
      atMs: nowMs,
    })
    return { outcome: 'PREFUNDING', partnerId, reason: null, entryId: posted.value.entryId, depositId }
  }

  return {
    depositAddress: deps.depositAddress,

    async run(stillHeld) {
      let recorded = 0
      while (stillHeld()) {
        const head = await client.getBlockNumber()
        const safe = head - confirmations + 1n
        const at = await cursor(safe)
        if (at.lastHash !== null && at.next > 0n) {
          const previous = await client.getBlock({ blockNumber: at.next - 1n })
          if (previous.hash !== at.lastHash) {
            deps.log?.error(
              { environment, block: (at.next - 1n).toString(), recorded: at.lastHash, chain: previous.hash },
              'chain reorganised below the confirmed depth; the deposit watcher stopped',
            )
            return recorded
          }
        }
        if (at.next > safe) return recorded
        const to = at.next + settings.logRange - 1n < safe ? at.next + settings.logRange - 1n : safe
        const logs = await client.getLogs({
          address: ASSET_CODES.map((asset) => settings.tokens[asset]),
          event: TRANSFER,
          args: { to: deps.depositAddress },
          fromBlock: at.next,
          toBlock: to,
        })
        const last = await client.getBlock({ blockNumber: to })
        // A log of the last block from another fork than the block read: the chain moved, read again.
        if (logs.some((log) => log.blockNumber === to && log.blockHash !== last.hash)) continue
        const rates = deps.moneyRates(environment)
        const nowMs = deps.clocks[environment].now()
        let stalled = false
        const count = await store.transaction(async (tx) => {
          let n = 0
          for (const log of logs) {
            const asset = assetOf.get(log.address.toLowerCase())
            if (asset === undefined || log.args.from === undefined || log.args.value === undefined) continue
            if (log.transactionHash === null || log.logIndex === null || log.blockNumber === null) continue
            const transfer = {
              txHash: log.transactionHash,
              logIndex: BigInt(log.logIndex),
              from: getAddress(log.args.from),
              asset,
              amount: log.args.value,
            }
            if (transfer.amount === 0n) continue
            const seen = await tx.kysely
              .selectFrom('evm_deposits')
              .select('outcome')
              .where('environment', '=', environment)
              .where('tx_hash', '=', transfer.txHash)
              .where('log_index', '=', transfer.logIndex)
              .executeTakeFirst()
            if (seen !== undefined) continue
            let booked: Awaited<ReturnType<typeof credit>>
            try {
              booked = await credit(tx, transfer, rates, nowMs)
            } catch (error) {
              if (error instanceof NoRates) {
                stalled = true
                return n
              }
              throw error
            }
            await tx.kysely
              .insertInto('evm_deposits')
              .values({
                environment,
                tx_hash: transfer.txHash,
                log_index: transfer.logIndex,
                block_number: log.blockNumber,
                block_hash: log.blockHash as string,
                asset,
                from_address: transfer.from,
                to_address: deps.depositAddress,
                amount: transfer.amount.toString(),
                outcome: booked.outcome,
                partner_id: booked.partnerId,
                reason: booked.reason,
                entry_id: booked.entryId,
                deposit_id: booked.depositId,
                created_at: BigInt(nowMs),
              })
              .execute()
            n++
          }
          await tx.kysely
            .insertInto('evm_cursors')
            .values({ environment, next_block: to + 1n, last_hash: last.hash, updated_at: BigInt(nowMs) })
            .onConflict((oc) =>
              oc
                .column('environment')
                .doUpdateSet({ next_block: to + 1n, last_hash: last.hash, updated_at: BigInt(nowMs) }),
            )
            .execute()
          return n
        })
        // An LP deposit waits for a usable oracle mid (pool targets): nothing of the batch was kept.
        if (stalled) {
          deps.log?.warn({ environment }, 'LP deposit on chain waits for a usable oracle mid')
          return recorded
        }
        recorded += count
      }
      return recorded
    },
  }
}

class NoRates extends Error {}
