import {
  createPublicClient,
  defineChain,
  type Hex,
  http,
  keccak256,
  type PublicClient,
  type TransactionReceipt,
} from 'viem'
import { privateKeyToAccount } from 'viem/accounts'
import type { Environment } from '../../config/environment.ts'
import type { Store } from '../../store/store.ts'
import { type Fees, feesFor, replaceable } from './model.ts'
import type { EvmSettings } from './settings.ts'

/**
 * Issue 14: every transaction stablefx sends from the hot wallet, ERC-20
 * payouts and kToken calls alike, goes through here.
 *
 * Idempotent on the reference (SPEC §15): the transaction is signed and
 * recorded with its reference, nonce and hash in `evm_transactions` before it
 * is broadcast, in the transaction that takes the nonce. A second call for
 * the same reference, from any node, after any crash, never signs again: it
 * rebroadcasts the recorded transaction (same nonce, same hash: the chain
 * takes it once) and waits for the receipt of any hash recorded for it. So a
 * reference pays at most once.
 *
 * One nonce sequence per environment across nodes: the `evm_senders` row is
 * locked while a nonce is taken (and never less than the chain's pending
 * count, so transactions sent from the wallet by hand are stepped over).
 * Fees come from the node's estimate, capped at STABLEFX_EVM_MAX_FEE_GWEI; a
 * transaction without a receipt after STABLEFX_EVM_STUCK_MS is signed again
 * with the same nonce at a fee 12.5% higher (never above the cap), and every
 * hash is kept, so whichever the chain mines is found.
 */
export type EvmCall = {
  readonly reference: string
  readonly kind: 'transfer' | 'ktoken'
  readonly contract: Hex
  readonly data: Hex
  /** What the reference stands for; a resend with another fingerprint is a bug and throws. */
  readonly fingerprint: string
}

export type EvmOutcome =
  | { readonly status: 'CONFIRMED'; readonly txHash: Hex; readonly blockNumber: bigint }
  | { readonly status: 'REVERTED'; readonly txHash: Hex; readonly blockNumber: bigint }
  /** The nonce was used by a transaction that is not ours: nothing of this call happened on chain. */
  | { readonly status: 'DROPPED'; readonly txHash: Hex }

export type EvmSender = {
  readonly environment: Environment
  readonly address: Hex
  readonly client: PublicClient
  /** Signs and records (or finds), broadcasts, and waits for the confirmations; throws if they do not come in time. */
  submit(call: EvmCall): Promise<EvmOutcome>
  /** What the chain says of a recorded reference now, without waiting: undefined while it is open. */
  check(reference: string): Promise<EvmOutcome | undefined>
  /** Rebroadcasts, replaces and settles every open transaction once (the sender worker). */
  pump(stillHeld: () => boolean): Promise<number>
}

type Log = { warn(obj: object, msg: string): void }

export function evmChain(settings: EvmSettings) {
  return defineChain({
    id: settings.chainId,
    name: settings.network,
    nativeCurrency: {
      name: 'native',
      symbol: settings.chainId === 8217 || settings.chainId === 1001 ? 'KAIA' : 'ETH',
      decimals: 18,
    },
    rpcUrls: { default: { http: [settings.rpcUrl] } },
  })
}

export function createEvmClient(settings: EvmSettings): PublicClient {
  return createPublicClient({
    chain: evmChain(settings),
    transport: http(settings.rpcUrl, { retryCount: 2, timeout: 10_000 }),
    pollingInterval: settings.pollMs,
    // Every read is fresh: a cached head would hold confirmations (and the watcher) back.
    cacheTime: 0,
  }) as PublicClient
}

type Row = {
  reference: string
  nonce: bigint
  tx_hashes: string
  raw_tx: string
  max_fee_per_gas: string
  max_priority_fee_per_gas: string
  status: string
  mined_hash: string | null
  block_number: bigint | null
  fingerprint: string
  contract: string
  call_data: string
  signed_at: bigint
}

export function createEvmSender(deps: {
  settings: EvmSettings
  store: Store
  client?: PublicClient
  /** Wall-clock milliseconds (stuck detection, timestamps). */
  nowMs?: () => number
  log?: Log
}): EvmSender {
  const { settings, store } = deps
  const environment = settings.environment
  const client = deps.client ?? createEvmClient(settings)
  const account = privateKeyToAccount(settings.hotWalletKey.reveal())
  const nowMs = deps.nowMs ?? Date.now
  const chainId = BigInt(settings.chainId)

  async function fees(replacing?: Fees): Promise<Fees> {
    let estimate: Fees
    try {
      const estimated = await client.estimateFeesPerGas()
      estimate = { maxFee: estimated.maxFeePerGas, priority: estimated.maxPriorityFeePerGas }
    } catch {
      // A node without EIP-1559 fee history: the legacy gas price, twice over as the cap.
      const price = await client.getGasPrice()
      estimate = { maxFee: price * 2n, priority: price }
    }
    return feesFor(estimate, settings.maxFeeWei, replacing)
  }

  async function sign(
    call: { contract: string; data: string },
    nonce: bigint,
    fee: { maxFee: bigint; priority: bigint },
  ) {
    const raw = await account.signTransaction({
      type: 'eip1559',
      chainId: settings.chainId,
      nonce: Number(nonce),
      to: call.contract as Hex,
      data: call.data as Hex,
      gas: settings.gasLimit,
      maxFeePerGas: fee.maxFee,
      maxPriorityFeePerGas: fee.priority,
      value: 0n,
    })
    return { raw, hash: keccak256(raw) }
  }

  const load = (reference: string) =>
    store.kysely
      .selectFrom('evm_transactions')
      .selectAll()
      .where('environment', '=', environment)
      .where('reference', '=', reference)
      .executeTakeFirst() as Promise<Row | undefined>

  /** Takes the next nonce under the sender row's lock and records the signed transaction, unless the reference has one. */
  async function record(call: EvmCall): Promise<Row> {
    const chainNonce = BigInt(
      await client.getTransactionCount({ address: account.address, blockTag: 'pending' }),
    )
    const fee = await fees()
    return store.transaction(async (tx) => {
      const now = BigInt(nowMs())
      await tx.kysely
        .insertInto('evm_senders')
        .values({ environment, chain_id: chainId, address: account.address, next_nonce: 0n, updated_at: now })
        .onConflict((oc) => oc.column('environment').doNothing())
        .execute()
      const sender = await tx.kysely
        .selectFrom('evm_senders')
        .selectAll()
        .where('environment', '=', environment)
        .$if(tx.dialect === 'postgres', (q) => q.forUpdate())
        .executeTakeFirstOrThrow()
      // Under the lock: another node may have recorded this reference while this one waited for it.
      const existing = await tx.kysely
        .selectFrom('evm_transactions')
        .selectAll()
        .where('environment', '=', environment)
        .where('reference', '=', call.reference)
        .executeTakeFirst()
      if (existing !== undefined) return existing as Row
      const nonce = sender.next_nonce > chainNonce ? sender.next_nonce : chainNonce
      const signed = await sign(call, nonce, fee)
      const row: Row = {
        reference: call.reference,
        nonce,
        tx_hashes: JSON.stringify([signed.hash]),
        raw_tx: signed.raw,
        max_fee_per_gas: fee.maxFee.toString(),
        max_priority_fee_per_gas: fee.priority.toString(),
        status: 'SIGNED',
        mined_hash: null,
        block_number: null,
        fingerprint: call.fingerprint,
        contract: call.contract,
        call_data: call.data,
        signed_at: now,
      }
      await tx.kysely
        .insertInto('evm_transactions')
        .values({ ...row, environment, chain_id: chainId, kind: call.kind, updated_at: now })
        .execute()
      await tx.kysely
        .updateTable('evm_senders')
        .set({ next_nonce: nonce + 1n, address: account.address, chain_id: chainId, updated_at: now })
        .where('environment', '=', environment)
        .execute()
      return row
    })
  }

  async function broadcast(raw: string): Promise<void> {
    try {
      await client.sendRawTransaction({ serializedTransaction: raw as Hex })
    } catch (error) {
      // Known, already mined, or underpriced against our own replacement: the receipt decides.
      const message = (error as Error).message ?? ''
      if (
        !/already known|nonce too low|already imported|replacement transaction underpriced|known transaction/i.test(
          message,
        )
      )
        deps.log?.warn(
          { err: message.split('\n')[0] },
          'evm broadcast refused; waiting for a receipt or a replacement',
        )
    }
  }

  async function receiptOf(hash: Hex): Promise<TransactionReceipt | undefined> {
    try {
      return await client.getTransactionReceipt({ hash })
    } catch {
      return undefined
    }
  }

  function outcomeOf(row: Row): EvmOutcome | undefined {
    if (row.status === 'CONFIRMED' || row.status === 'REVERTED')
      return { status: row.status, txHash: row.mined_hash as Hex, blockNumber: row.block_number as bigint }
    if (row.status === 'DROPPED') return { status: 'DROPPED', txHash: row.mined_hash as Hex }
    return undefined
  }

  /**
   * Records the outcome once; whatever was recorded first (by any node) is the answer. Undefined when
   * a replacement was recorded meanwhile and is not settled yet: the caller looks again.
   */
  async function finish(row: Row, outcome: EvmOutcome): Promise<EvmOutcome | undefined> {
    await store.transaction((tx) =>
      tx.kysely
        .updateTable('evm_transactions')
        .set({
          status: outcome.status,
          mined_hash: outcome.txHash,
          block_number: 'blockNumber' in outcome ? outcome.blockNumber : null,
          updated_at: BigInt(nowMs()),
        })
        .where('environment', '=', environment)
        .where('reference', '=', row.reference)
        .where('status', '=', 'SIGNED')
        // Only the hashes looked at: a replacement recorded meanwhile is looked at first.
        .where('tx_hashes', '=', row.tx_hashes)
        .execute(),
    )
    const recorded = (await load(row.reference)) as Row
    return outcomeOf(recorded)
  }

  /** One look at the chain for an open transaction: its final outcome, or undefined (replacing it if stuck). */
  async function step(row: Row): Promise<EvmOutcome | undefined> {
    const hashes = JSON.parse(row.tx_hashes) as Hex[]
    const head = await client.getBlockNumber()
    for (const hash of hashes) {
      const receipt = await receiptOf(hash)
      if (receipt === undefined) continue
      if (head - receipt.blockNumber + 1n < BigInt(settings.confirmations)) return undefined
      return finish(row, {
        status: receipt.status === 'success' ? 'CONFIRMED' : 'REVERTED',
        txHash: hash,
        blockNumber: receipt.blockNumber,
      })
    }
    // No receipt for any of our hashes, and the nonce is used on chain: a transaction that is not ours took it.
    const mined = BigInt(await client.getTransactionCount({ address: account.address, blockTag: 'latest' }))
    if (mined > row.nonce) {
      // A receipt may have been missed between the two reads, or another node replaced the transaction
      // meanwhile: look again at every hash recorded now before calling it dropped.
      const fresh = (await load(row.reference)) as Row
      if (fresh.status !== 'SIGNED') return outcomeOf(fresh)
      const latest = JSON.parse(fresh.tx_hashes) as Hex[]
      for (const hash of latest) if ((await receiptOf(hash)) !== undefined) return undefined
      return finish(fresh, { status: 'DROPPED', txHash: latest[latest.length - 1] as Hex })
    }
    if (nowMs() - Number(row.signed_at) >= settings.stuckMs) return replace(row)
    return undefined
  }

  /** Signs the same call at the same nonce with a higher fee, records it, broadcasts it. */
  async function replace(row: Row): Promise<undefined> {
    const floor = { maxFee: BigInt(row.max_fee_per_gas), priority: BigInt(row.max_priority_fee_per_gas) }
    const fee = await fees(floor)
    const now = BigInt(nowMs())
    if (!replaceable(floor, fee)) {
      // At the cap already: the recorded transaction is broadcast again and waits for the fee to come down.
      await store.kysely
        .updateTable('evm_transactions')
        .set({ signed_at: now })
        .where('environment', '=', environment)
        .where('reference', '=', row.reference)
        .execute()
      await broadcast(row.raw_tx)
      return undefined
    }
    const signed = await sign({ contract: row.contract, data: row.call_data }, row.nonce, fee)
    const hashes = [...(JSON.parse(row.tx_hashes) as string[]), signed.hash]
    const updated = await store.kysely
      .updateTable('evm_transactions')
      .set({
        tx_hashes: JSON.stringify(hashes),
        raw_tx: signed.raw,
        max_fee_per_gas: fee.maxFee.toString(),
        max_priority_fee_per_gas: fee.priority.toString(),
        signed_at: now,
        updated_at: now,
      })
      // Another node replaced it meanwhile: its replacement stands.
      .where('environment', '=', environment)
      .where('reference', '=', row.reference)
      .where('tx_hashes', '=', row.tx_hashes)
      .where('status', '=', 'SIGNED')
      .executeTakeFirst()
    if (updated.numUpdatedRows === 1n) {
      deps.log?.warn(
        { reference: row.reference, nonce: row.nonce.toString() },
        'evm transaction stuck; replaced at a higher fee',
      )
      await broadcast(signed.raw)
    }
    return undefined
  }

  const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

  return {
    environment,
    address: account.address,
    client,

    async submit(call) {
      let row = await load(call.reference)
      if (row === undefined) row = await record(call)
      if (row.fingerprint !== call.fingerprint)
        throw new Error(`evm reference ${call.reference} was sent before with a different call`)
      const done = outcomeOf(row)
      if (done !== undefined) return done
      // After a crash the recorded transaction may never have left: sending it again is harmless.
      await broadcast(row.raw_tx)
      const deadline = nowMs() + settings.sendWaitMs
      for (;;) {
        const outcome = await step(row)
        if (outcome !== undefined) return outcome
        if (nowMs() >= deadline) throw new Error(`evm transaction ${call.reference} not confirmed yet`)
        await sleep(settings.pollMs)
        row = (await load(call.reference)) as Row
        const final = outcomeOf(row)
        if (final !== undefined) return final
      }
    },

    async check(reference) {
      const row = await load(reference)
      if (row === undefined) return undefined
      return outcomeOf(row) ?? step(row)
    },

    async pump(stillHeld) {
      const open = (await store.kysely
        .selectFrom('evm_transactions')
        .selectAll()
        .where('environment', '=', environment)
        .where('status', '=', 'SIGNED')
        .orderBy('nonce')
        .limit(100)
        .execute()) as Row[]
      let settled = 0
      for (const row of open) {
        if (!stillHeld()) break
        await broadcast(row.raw_tx)
        if ((await step(row)) !== undefined) settled++
      }
      return settled
    },
  }
}
