/**
 * Issue 14 against a local EVM node (Anvil, started as `stablefx sim chain`
 * starts it): on-chain prefunding after confirmations, suspense for unknown
 * and cooling wallets, a reorg dropping an unconfirmed deposit, payouts as
 * ERC-20 transfers with their hash, a refusing token ending FAILED with the
 * entry reversed, a crash between broadcast and receipt paying once, a stuck
 * transaction replaced at a higher fee, and LP deposits minting kTokens whose
 * balanceOf equals the API's before and after fee and yield index updates.
 */
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { encodeFunctionData, erc20Abi, type Hex, parseEventLogs } from 'viem'
import { createEvmSender } from '../../../src/chain/evm/sender.ts'
import { accountId } from '../../../src/ledger/accounts.ts'
import { verifyLedger } from '../../../src/ledger/verify.ts'
import type { LocalChain } from '../../../src/sim/chain.ts'
import {
  advance,
  createLp,
  DAY_S,
  positionOf,
  runWithdrawalWorker,
  usdt,
  whitelist,
  withdraw,
} from '../../liquidity/lp-support.ts'
import { createPartner, OPS_TOKEN, setMarket, type TestApp, type TestPartner } from '../../support/app.ts'
import { describeEachDialect } from '../../support/databases.ts'
import { balanceOf, execute, fund, get, quoteOk } from '../../trading/support.ts'
import {
  always,
  createEvmTestApp,
  evmOf,
  mine,
  mining,
  newWallet,
  refuse,
  sendToken,
  settingsOf,
  startChain,
  tokenBalance,
} from './support.ts'

const T = { timeout: 60_000 }
const started = await startChain({ refusing: 'IDRX' })
if (typeof started === 'string') console.log(`# ${started}`)

if (typeof started === 'string') {
  describe('EVM chain', { skip: started }, () => {})
} else {
  const chain: LocalChain = started
  after(() => chain.stop())
  const [wallet1, wallet2, wallet3] = chain.testWallets.map((w) => w.address) as [Hex, Hex, Hex]

  describeEachDialect('EVM chain', ({ store }) => {
    let app: TestApp
    let partner: TestPartner
    let depositAddress: Hex
    before(async () => {
      app = await createEvmTestApp(store(), settingsOf(chain))
      await setMarket(app)
      depositAddress = evmOf(app).watcher.depositAddress
      partner = await createPartner(app, { name: 'Ramp on chain' })
      await whitelist(app, partner, wallet1)
      await advance(app, DAY_S)
      // The cursor starts at the first block not yet confirmed.
      await evmOf(app).watcher.run(always)
    })
    after(() => app.close())

    async function ledgerOk(): Promise<void> {
      const report = await store().snapshot((db) => verifyLedger(db))
      assert.deepEqual(report.violations, [])
    }

    const watch = () => evmOf(app).watcher.run(always)

    it('answers where to deposit: the hot wallet on chain 31337, 2 confirmations', T, async () => {
      const response = await get(app, partner, '/v1/deposit-address?asset=USDT')
      assert.equal(response.statusCode, 200, response.body)
      assert.deepEqual(response.json(), {
        asset: 'USDT',
        address: chain.hotWallet.address,
        network: 'local',
        chain_id: 31337,
        confirmations: 2,
      })
      // The live environment stays on the simulated chain here, and answers its values.
      const live = await get(app, partner, '/v1/deposit-address?asset=IDRX', { environment: 'live' })
      assert.equal(live.statusCode, 200, live.body)
      assert.deepEqual(live.json(), {
        asset: 'IDRX',
        address: '0x000000000000000000000000000000000000d3e9',
        network: 'stablefx-simulated',
        chain_id: 0,
        confirmations: 0,
      })
      const bad = await get(app, partner, '/v1/deposit-address?asset=DOGE')
      assert.equal(bad.statusCode, 400, bad.body)
      assert.equal(bad.json().error.code, 'VALIDATION_ERROR')
    })

    it('credits a prefunding deposit from a whitelisted wallet after 2 confirmations, once', T, async () => {
      const hash = await sendToken(chain, 1, 'USDT', depositAddress, 250_000_000n)
      assert.equal(await watch(), 0, 'one confirmation is not enough')
      assert.equal(await balanceOf(app, partner, 'USDT'), '0')
      await mine(chain, 1)
      assert.equal(await watch(), 1)
      assert.equal(await balanceOf(app, partner, 'USDT'), '250')
      await mine(chain, 3)
      assert.equal(await watch(), 0, 'read once')
      assert.equal(await balanceOf(app, partner, 'USDT'), '250')
      const events = await store()
        .kysely.selectFrom('events')
        .select('data')
        .where('partner_id', '=', partner.id)
        .where('type', '=', 'deposit.confirmed')
        .execute()
      assert.equal(events.length, 1)
      const data = JSON.parse(events[0]?.data as string)
      assert.equal(data.tx_hash, hash)
      assert.equal(data.amount, '250')
      assert.equal(data.kind, 'PREFUNDING')
      assert.equal(data.from_address, wallet1)
      await ledgerOk()
    })

    it('puts a deposit from an unknown wallet, and one from a cooling wallet, in suspense', T, async () => {
      await whitelist(app, partner, wallet2) // added now: cooling for 24 h
      await sendToken(chain, 3, 'USDT', depositAddress, 7_000_000n)
      await sendToken(chain, 2, 'USDT', depositAddress, 5_000_000n)
      await mine(chain, 2)
      assert.equal(await watch(), 2)
      assert.equal(await balanceOf(app, partner, 'USDT'), '250')
      const rows = await store()
        .kysely.selectFrom('evm_deposits')
        .select(['from_address', 'outcome', 'reason', 'amount', 'partner_id'])
        .where('outcome', '=', 'SUSPENSE')
        .orderBy('block_number')
        .execute()
      assert.deepEqual(rows, [
        {
          from_address: wallet3,
          outcome: 'SUSPENSE',
          reason: 'WALLET_NOT_WHITELISTED',
          amount: '7000000',
          partner_id: null,
        },
        {
          from_address: wallet2,
          outcome: 'SUSPENSE',
          reason: 'WALLET_COOLING',
          amount: '5000000',
          partner_id: partner.id,
        },
      ])
      const suspense = await store()
        .kysely.selectFrom('ledger_accounts')
        .select('balance')
        .where(
          'id',
          '=',
          accountId({ environment: 'sandbox', asset: 'USDT', owner: 'protocol', purpose: 'suspense' }),
        )
        .executeTakeFirstOrThrow()
      assert.equal(BigInt(suspense.balance), 12_000_000n)
      const audits = await store()
        .kysely.selectFrom('audit_log')
        .select('action')
        .where('action', '=', 'deposit.suspense')
        .execute()
      assert.equal(audits.length, 2)
      const listed = await app.inject({
        method: 'GET',
        url: '/ops/v1/evm/deposits?outcome=SUSPENSE',
        headers: { authorization: `Bearer ${OPS_TOKEN}` },
      })
      assert.equal(listed.statusCode, 200, listed.body)
      assert.deepEqual(
        listed
          .json()
          .deposits.map((d: { from_address: string; reason: string; amount: string }) => [
            d.from_address,
            d.reason,
            d.amount,
          ]),
        [
          [wallet2, 'WALLET_COOLING', '5000000'],
          [wallet3, 'WALLET_NOT_WHITELISTED', '7000000'],
        ],
      )
      const refused = await app.inject({
        method: 'GET',
        url: '/ops/v1/evm/deposits?outcome=LOST',
        headers: { authorization: `Bearer ${OPS_TOKEN}` },
      })
      assert.equal(refused.statusCode, 400, refused.body)
      await ledgerOk()
    })

    it('never credits a deposit reorganised away before its confirmations', T, async () => {
      const hash = await sendToken(chain, 1, 'USDT', depositAddress, 40_000_000n)
      assert.equal(await watch(), 0)
      // The block holding the deposit is replaced by an empty one; the chain grows past the depth.
      await chain.rpc('anvil_reorg', [1, []])
      await mine(chain, 3)
      assert.equal(await watch(), 0)
      assert.equal(await balanceOf(app, partner, 'USDT'), '250')
      const receipt = await chain.publicClient.getTransactionReceipt({ hash }).catch(() => null)
      assert.equal(receipt, null)
      const seen = await store()
        .kysely.selectFrom('evm_deposits')
        .select('tx_hash')
        .where('tx_hash', '=', hash)
        .execute()
      assert.deepEqual(seen, [])
    })

    it('pays an execution out as an ERC-20 transfer and puts its hash on the execution', T, async () => {
      await fund(app, partner, 'USDT', '1000')
      const quote = await quoteOk(app, partner, { pair: 'USD-SGD', side: 'SELL', amount: '100' })
      const before = await tokenBalance(chain, 'tnSGD', wallet2)
      const response = await mining(chain, () =>
        execute(app, partner, { quote_id: quote.quote_id, destination_address: wallet2 }),
      )
      assert.equal(response.statusCode, 200, response.body)
      const execution = response.json()
      assert.equal(execution.status, 'SETTLED', response.body)
      const receipt = await chain.publicClient.getTransactionReceipt({ hash: execution.tx_hash })
      assert.equal(receipt.status, 'success')
      assert.equal(receipt.to?.toLowerCase(), chain.tokens.tnSGD.toLowerCase())
      const [transfer] = parseEventLogs({ abi: erc20Abi, logs: receipt.logs, eventName: 'Transfer' })
      assert.equal(transfer?.args.to, wallet2)
      assert.equal(transfer?.args.from, chain.hotWallet.address)
      const paid = (await tokenBalance(chain, 'tnSGD', wallet2)) - before
      assert.equal(paid, transfer?.args.value)
      assert.equal(paid.toString(), execution.destination_amount.replace('.', ''))
      await ledgerOk()
    })

    it('ends FAILED with the entry reversed when the token refuses the transfer', T, async () => {
      await refuse(chain, 'IDRX', true)
      try {
        const before = await balanceOf(app, partner, 'USDT')
        const quote = await quoteOk(app, partner, { pair: 'USD-IDR', side: 'SELL', amount: '10' })
        const response = await mining(chain, () =>
          execute(app, partner, { quote_id: quote.quote_id, destination_address: wallet2 }),
        )
        assert.equal(response.statusCode, 200, response.body)
        assert.equal(response.json().status, 'FAILED', response.body)
        assert.equal(await balanceOf(app, partner, 'USDT'), before)
        const row = await store()
          .kysely.selectFrom('evm_transactions')
          .select(['status', 'mined_hash'])
          .where('reference', '=', `transfer:${response.json().execution_id}`)
          .executeTakeFirstOrThrow()
        assert.equal(row.status, 'REVERTED')
        const receipt = await chain.publicClient.getTransactionReceipt({ hash: row.mined_hash as Hex })
        assert.equal(receipt.status, 'reverted')
      } finally {
        await refuse(chain, 'IDRX', false)
      }
      await ledgerOk()
    })

    it(
      'pays once when the sender dies between broadcast and receipt and a fresh one retries',
      T,
      async () => {
        const call = (reference: string, amount: bigint) => ({
          reference,
          kind: 'transfer' as const,
          contract: chain.tokens.MYRC,
          data: encodeFunctionData({ abi: erc20Abi, functionName: 'transfer', args: [wallet3, amount] }),
          fingerprint: `transfer|MYRC|${wallet3}|${amount}`,
        })
        const quick = settingsOf(chain, { STABLEFX_EVM_SEND_WAIT_MS: '1' })
        const fresh = () => createEvmSender({ settings: settingsOf(chain), store: store() })
        const before = await tokenBalance(chain, 'MYRC', wallet3)
        const nonceBefore = await chain.publicClient.getTransactionCount({ address: chain.hotWallet.address })

        // 1. Broadcast (mined, one confirmation), then the sender gives up before the receipt counts: it "dies".
        const broadcastThenDie = call(`crash-a-${store().dialect}`, 123n)
        await assert.rejects(
          createEvmSender({ settings: quick, store: store() }).submit(broadcastThenDie),
          /not confirmed yet/,
        )
        const a = await mining(chain, () => fresh().submit(broadcastThenDie))
        assert.equal(a.status, 'CONFIRMED')

        // 2. Recorded, but the broadcast never left the dying process: the retry sends the recorded transaction.
        const recordedThenDie = call(`crash-b-${store().dialect}`, 456n)
        const dying = createEvmSender({ settings: settingsOf(chain), store: store() })
        const mute = Object.assign(Object.create(dying.client), {
          sendRawTransaction: async () => {
            throw new Error('process died')
          },
        })
        await assert.rejects(
          createEvmSender({ settings: quick, store: store(), client: mute }).submit(recordedThenDie),
          /not confirmed yet/,
        )
        const b = await mining(chain, () => fresh().submit(recordedThenDie))
        assert.equal(b.status, 'CONFIRMED')

        // Any later retry answers from the record and sends nothing.
        assert.deepEqual(await fresh().submit(broadcastThenDie), a)
        assert.deepEqual(await fresh().submit(recordedThenDie), b)
        assert.equal((await tokenBalance(chain, 'MYRC', wallet3)) - before, 579n)
        assert.equal(
          await chain.publicClient.getTransactionCount({ address: chain.hotWallet.address }),
          nonceBefore + 2,
        )
        const rows = await store()
          .kysely.selectFrom('evm_transactions')
          .select(['reference', 'tx_hashes'])
          .where('reference', 'in', [broadcastThenDie.reference, recordedThenDie.reference])
          .orderBy('nonce')
          .execute()
        assert.deepEqual(
          rows.map((row) => JSON.parse(row.tx_hashes)),
          [[a.txHash], [b.txHash]],
        )
        await assert.rejects(
          fresh().submit({ ...broadcastThenDie, fingerprint: 'transfer|MYRC|other|1' }),
          /different call/,
        )
      },
    )

    it(
      'mints kTokens for an LP deposit on chain; balanceOf equals the API before and after fee and yield updates',
      T,
      async () => {
        const lp = await createLp(app, { name: 'LP on chain', liquidityClass: 'B' })
        const holder = await newWallet(chain, 'USDT', 1_000_000_000n)
        await whitelist(app, lp, holder.account.address)
        await advance(app, DAY_S)
        const hash = await sendToken(chain, holder, 'USDT', depositAddress, 1_000_000_000n)
        await mine(chain, 1)
        assert.equal(await watch(), 1)
        const row = await store()
          .kysely.selectFrom('evm_deposits')
          .select(['outcome', 'partner_id', 'deposit_id'])
          .where('tx_hash', '=', hash)
          .executeTakeFirstOrThrow()
        assert.equal(row.outcome, 'LP_DEPOSIT')
        assert.equal(row.partner_id, lp.id)
        const kTokens = evmOf(app).kTokens
        const onChain = () => kTokens.chainBalance('USDT', 'full', holder.account.address)
        const apiBalance = async () => usdt((await positionOf(app, lp, 'kUSD-full')).balance)

        const drift = await kTokens.reconcile()
        assert.equal(drift.ok, false)
        assert.ok(drift.differences.some((d) => d.kind === 'holding' && d.partner_id === lp.id))
        assert.equal((await mining(chain, () => kTokens.sync(always))) > 0, true)
        assert.equal(await onChain(), await apiBalance())
        assert.equal(await onChain(), 1_000_000_000n)
        assert.equal((await kTokens.reconcile()).ok, true)

        // A fee distribution: an execution's fee raises the index of the pools' kTokens.
        await fund(app, partner, 'tnSGD', '5000')
        const quote = await quoteOk(app, partner, { pair: 'USD-SGD', side: 'BUY', amount: '2000' })
        const executed = await mining(chain, () =>
          execute(app, partner, { quote_id: quote.quote_id, destination_address: wallet2 }),
        )
        assert.equal(executed.json().status, 'SETTLED', executed.body)
        const afterFee = await apiBalance()
        assert.ok(afterFee > 1_000_000_000n, `the fee raised the index: ${afterFee}`)
        assert.equal(await onChain(), 1_000_000_000n, 'the chain waits for the index to be published')
        await mining(chain, () => kTokens.sync(always))
        assert.equal(await onChain(), afterFee)
        // A yield profit on the -full kToken.
        const yielded = await app.admin('POST', '/admin/v1/yield/events', {
          asset: 'USDT',
          amount: '25',
          reason: 'venue interest',
        })
        assert.equal(yielded.statusCode, 200, yielded.body)
        const grown = await apiBalance()
        assert.ok(grown > afterFee, `the yield raised the index: ${grown}`)
        assert.equal(await onChain(), afterFee)
        await mining(chain, () => kTokens.sync(always))
        assert.equal(await onChain(), grown)
        const report = await app.inject({
          method: 'GET',
          url: '/ops/v1/evm/reconciliation',
          headers: { authorization: `Bearer ${OPS_TOKEN}` },
        })
        assert.equal(report.statusCode, 200, report.body)
        assert.equal(report.json().ok, true, report.body)

        // A withdrawal pays USDT out on chain and burns the shares.
        await advance(app, DAY_S)
        const paidBefore = await tokenBalance(chain, 'USDT', holder.account.address)
        const position = await positionOf(app, lp, 'kUSD-full')
        const half = (BigInt(position.shares) / 2n).toString()
        const queued = await withdraw(app, lp, {
          asset: 'USDT',
          variant: 'full',
          to_address: holder.account.address,
          shares: half,
        })
        assert.equal(queued.statusCode, 201, queued.body)
        await mining(chain, () => runWithdrawalWorker(app))
        const left = await positionOf(app, lp, 'kUSD-full')
        assert.equal(left.shares, (BigInt(position.shares) - BigInt(half)).toString())
        assert.ok(
          (await tokenBalance(chain, 'USDT', holder.account.address)) > paidBefore,
          'paid out on chain',
        )
        await mining(chain, () => kTokens.sync(always))
        assert.equal(await onChain(), usdt(left.balance))
        assert.equal((await kTokens.reconcile()).ok, true)
        await ledgerOk()
      },
    )

    it(
      'gives every concurrent send from two nodes its own nonce, and a repeated execution reference its first hash',
      T,
      async () => {
        const nodes = [0, 1].map(() => createEvmSender({ settings: settingsOf(chain), store: store() }))
        const before = await tokenBalance(chain, 'tnSGD', wallet1)
        const nonceBefore = await chain.publicClient.getTransactionCount({ address: chain.hotWallet.address })
        const outcomes = await mining(chain, () =>
          Promise.all(
            [1n, 2n, 3n, 4n, 5n, 6n].map((amount, i) =>
              (nodes[i % 2] as (typeof nodes)[number]).submit({
                reference: `multi-${store().dialect}-${amount}`,
                kind: 'transfer',
                contract: chain.tokens.tnSGD,
                data: encodeFunctionData({
                  abi: erc20Abi,
                  functionName: 'transfer',
                  args: [wallet1, amount],
                }),
                fingerprint: `transfer|tnSGD|${wallet1}|${amount}`,
              }),
            ),
          ),
        )
        assert.deepEqual(
          outcomes.map((o) => o.status),
          ['CONFIRMED', 'CONFIRMED', 'CONFIRMED', 'CONFIRMED', 'CONFIRMED', 'CONFIRMED'],
        )
        assert.equal((await tokenBalance(chain, 'tnSGD', wallet1)) - before, 21n)
        const nonces = await store()
          .kysely.selectFrom('evm_transactions')
          .select('nonce')
          .where('reference', 'like', `multi-${store().dialect}-%`)
          .orderBy('nonce')
          .execute()
        assert.deepEqual(
          nonces.map((row) => Number(row.nonce)),
          [0, 1, 2, 3, 4, 5].map((n) => nonceBefore + n),
        )
        // One reference sent by both nodes at once: one transaction, one answer.
        const same = {
          reference: `multi-${store().dialect}-same`,
          kind: 'transfer' as const,
          contract: chain.tokens.tnSGD,
          data: encodeFunctionData({ abi: erc20Abi, functionName: 'transfer', args: [wallet1, 100n] }),
          fingerprint: `transfer|tnSGD|${wallet1}|100`,
        }
        const [x, y] = await mining(chain, () => Promise.all(nodes.map((node) => node.submit(same))))
        assert.deepEqual(x, y)
        assert.equal((await tokenBalance(chain, 'tnSGD', wallet1)) - before, 121n)
        // The execution-facing adapter: a second send of one reference answers the first hash and moves nothing.
        const adapter = evmOf(app).chain
        const transfer = {
          environment: 'sandbox' as const,
          asset: 'tnSGD' as const,
          to: wallet1,
          amountMinor: 9n,
          reference: `exec-${store().dialect}`,
        }
        const first = await mining(chain, () => adapter.send(transfer))
        const again = await adapter.send(transfer)
        assert.deepEqual(again, first)
        assert.equal((await tokenBalance(chain, 'tnSGD', wallet1)) - before, 130n)
      },
    )

    it('stops reading when the chain reorganises below the confirmed depth', T, async () => {
      await mine(chain, 3)
      await watch()
      const cursor = await store().kysely.selectFrom('evm_cursors').selectAll().executeTakeFirstOrThrow()
      // The replacing blocks carry a transaction, so they differ from the ones they replace.
      await chain.rpc('anvil_reorg', [3, [[{ from: wallet3, to: wallet1, value: '0x1' }, 0]]])
      await mine(chain, 2)
      assert.equal(await watch(), 0)
      const after = await store().kysely.selectFrom('evm_cursors').selectAll().executeTakeFirstOrThrow()
      assert.equal(after.next_block, cursor.next_block)
      assert.equal(after.last_hash, cursor.last_hash)
      // An operator who checked the deposits of the replaced blocks re-points the cursor; reading resumes.
      const block = await chain.publicClient.getBlock({ blockNumber: cursor.next_block - 1n })
      await store().kysely.updateTable('evm_cursors').set({ last_hash: block.hash }).execute()
      await watch()
      const resumed = await store().kysely.selectFrom('evm_cursors').selectAll().executeTakeFirstOrThrow()
      assert.ok(resumed.next_block > cursor.next_block)
    })

    it(
      'calls a transfer DROPPED, nothing paid, when a transaction that is not ours takes its nonce',
      T,
      async () => {
        const settings = settingsOf(chain, { STABLEFX_EVM_SEND_WAIT_MS: '1' })
        const dying = createEvmSender({ settings, store: store() })
        const mute = Object.assign(Object.create(dying.client), {
          sendRawTransaction: async () => {
            throw new Error('process died')
          },
        })
        const call = {
          reference: `dropped-${store().dialect}`,
          kind: 'transfer' as const,
          contract: chain.tokens.USDT,
          data: encodeFunctionData({ abi: erc20Abi, functionName: 'transfer', args: [wallet3, 5n] }),
          fingerprint: `transfer|USDT|${wallet3}|5`,
        }
        const before = await tokenBalance(chain, 'USDT', wallet3)
        await assert.rejects(
          createEvmSender({ settings, store: store(), client: mute }).submit(call),
          /not confirmed yet/,
        )
        // Someone sends from the hot wallet by hand: the node gives that transaction the recorded nonce.
        const hot = chain.wallet(0)
        const manual = await hot.sendTransaction({
          to: wallet1,
          value: 1n,
          account: hot.account ?? null,
          chain: hot.chain,
        })
        await chain.publicClient.waitForTransactionReceipt({ hash: manual, pollingInterval: 10 })
        const outcome = await mining(chain, () =>
          createEvmSender({ settings: settingsOf(chain), store: store() }).submit(call),
        )
        assert.equal(outcome.status, 'DROPPED')
        assert.equal(await tokenBalance(chain, 'USDT', wallet3), before)
        // The next send steps over the taken nonce.
        const next = await mining(chain, () =>
          createEvmSender({ settings: settingsOf(chain), store: store() }).submit({
            ...call,
            reference: `after-dropped-${store().dialect}`,
          }),
        )
        assert.equal(next.status, 'CONFIRMED')
        assert.equal((await tokenBalance(chain, 'USDT', wallet3)) - before, 5n)
      },
    )

    it('replaces a stuck transaction at a higher fee and confirms one of its hashes', T, async () => {
      const settings = settingsOf(chain, { STABLEFX_EVM_STUCK_MS: '1' })
      const sender = createEvmSender({ settings, store: store() })
      const reference = `stuck-${store().dialect}`
      const before = await tokenBalance(chain, 'USDT', wallet3)
      await chain.rpc('evm_setAutomine', [false])
      let outcome: Awaited<ReturnType<typeof sender.submit>>
      try {
        const pending = sender.submit({
          reference,
          kind: 'transfer',
          contract: chain.tokens.USDT,
          data: encodeFunctionData({ abi: erc20Abi, functionName: 'transfer', args: [wallet3, 77n] }),
          fingerprint: `transfer|USDT|${wallet3}|77`,
        })
        // Wait until it was replaced at least once, then let blocks come.
        for (;;) {
          const row = await store()
            .kysely.selectFrom('evm_transactions')
            .select('tx_hashes')
            .where('reference', '=', reference)
            .executeTakeFirst()
          if (row !== undefined && JSON.parse(row.tx_hashes).length >= 2) break
          await new Promise((resolve) => setTimeout(resolve, 20))
        }
        outcome = await mining(chain, () => pending)
      } finally {
        await chain.rpc('evm_setAutomine', [true])
      }
      assert.equal(outcome.status, 'CONFIRMED')
      const row = await store()
        .kysely.selectFrom('evm_transactions')
        .selectAll()
        .where('reference', '=', reference)
        .executeTakeFirstOrThrow()
      const hashes = JSON.parse(row.tx_hashes) as string[]
      assert.ok(hashes.length >= 2)
      assert.ok(hashes.includes(outcome.txHash))
      const mined = await chain.publicClient.getTransaction({ hash: outcome.txHash })
      assert.equal(BigInt(mined.nonce), row.nonce)
      assert.equal((await tokenBalance(chain, 'USDT', wallet3)) - before, 77n)
    })
  })
}
