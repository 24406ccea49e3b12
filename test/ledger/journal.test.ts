import assert from 'node:assert/strict'
import { it } from 'node:test'
import { sql } from 'kysely'
import { poolAccount, prefundedAccount, protocolAccount } from '../../src/ledger/accounts.ts'
import { balanceOf, type EntryInput, postEntry, reverseEntry } from '../../src/ledger/journal.ts'
import { verifyLedger } from '../../src/ledger/verify.ts'
import type { Store } from '../../src/store/store.ts'
import { describeEachDialect } from '../support/databases.ts'

const PARTNER = '11111111-2222-4333-8444-555555555555'
const faucet = protocolAccount('sandbox', 'USDT', 'faucet')
const wallet = prefundedAccount('sandbox', 'USDT', PARTNER)
const active = poolAccount('sandbox', 'USDT', 'ACTIVE')

function transfer(reference: string, from = wallet, to = active, amount = 100n): EntryInput {
  return {
    environment: 'sandbox',
    kind: 'test',
    reference,
    postings: [
      { account: from, amount: -amount },
      { account: to, amount },
    ],
    atMs: 1,
  }
}

async function post(store: Store, input: EntryInput) {
  return store.transaction((tx) => postEntry(tx, input))
}

describeEachDialect('ledger journal', ({ store }) => {
  it('posts an entry and updates both balances in the same transaction', async () => {
    const result = await post(store(), transfer('fund-1', faucet, wallet, 1_000n))
    assert.equal(result.ok, true)
    assert.equal(await balanceOf(store(), wallet), 1_000n)
    assert.equal(await balanceOf(store(), faucet), -1_000n)
  })

  it('refuses to take an internal account below zero and writes nothing', async () => {
    const before = await store()
      .kysely.selectFrom('journal_entries')
      .select(sql<bigint>`count(*)`.as('n'))
      .executeTakeFirstOrThrow()
    const result = await post(store(), transfer('too-much', wallet, active, 1_001n))
    assert.deepEqual(result, {
      ok: false,
      reason: 'insufficient_balance',
      accountId: `sandbox:USDT:partner:${PARTNER}:prefunded`,
      asset: 'USDT',
      balance: 1_000n,
      debit: 1_001n,
    })
    const after = await store()
      .kysely.selectFrom('journal_entries')
      .select(sql<bigint>`count(*)`.as('n'))
      .executeTakeFirstOrThrow()
    assert.equal(BigInt(after.n), BigInt(before.n))
    assert.equal(await balanceOf(store(), wallet), 1_000n)
  })

  it('posts a business event once: the same reference is refused', async () => {
    assert.equal((await post(store(), transfer('once'))).ok, true)
    assert.deepEqual(await post(store(), transfer('once')), { ok: false, reason: 'duplicate_reference' })
    assert.equal(await balanceOf(store(), wallet), 900n)
  })

  it('a reference posted before is refused as such even when the balances would refuse it too', async () => {
    const first = await post(store(), transfer('twice-dry', faucet, wallet, 5n))
    assert.equal(first.ok, true)
    // The same reference again, now asking more than the wallet holds: the duplicate is the answer.
    const again = await post(store(), transfer('twice-dry', wallet, active, 1_000_000n))
    assert.deepEqual(again, { ok: false, reason: 'duplicate_reference' })
  })

  it('throws on an unbalanced entry, a zero posting or two environments (bugs, not outcomes)', async () => {
    const unbalanced: EntryInput = {
      ...transfer('bad-1'),
      postings: [
        { account: wallet, amount: -5n },
        { account: active, amount: 4n },
      ],
    }
    await assert.rejects(post(store(), unbalanced), /unbalanced in USDT by -1/)
    const zero: EntryInput = {
      ...transfer('bad-2'),
      postings: [
        { account: wallet, amount: 0n },
        { account: active, amount: 0n },
      ],
    }
    await assert.rejects(post(store(), zero), /zero posting/)
    const mixed: EntryInput = {
      ...transfer('bad-3'),
      postings: [
        { account: wallet, amount: -5n },
        { account: poolAccount('live', 'USDT', 'ACTIVE'), amount: 5n },
      ],
    }
    await assert.rejects(post(store(), mixed), /mixes environments/)
  })

  it('keeps amounts beyond 2^64 exact (18-decimal assets)', async () => {
    const huge = 2n ** 127n + 12_345n
    const myrcPool = poolAccount('sandbox', 'MYRC', 'RESERVE')
    const result = await post(store(), {
      environment: 'sandbox',
      kind: 'test',
      reference: 'huge',
      postings: [
        { account: protocolAccount('sandbox', 'MYRC', 'protocol_liquidity'), amount: -huge },
        { account: myrcPool, amount: huge },
      ],
      atMs: 1,
    })
    assert.equal(result.ok, true)
    assert.equal(await balanceOf(store(), myrcPool), huge)
  })

  it('reverses an entry exactly, once', async () => {
    const original = await post(store(), transfer('to-reverse', wallet, active, 50n))
    assert.ok(original.ok)
    const walletBefore = await balanceOf(store(), wallet)
    const reversal = await store().transaction((tx) => reverseEntry(tx, original.value.entryId, 'test', 2))
    assert.equal(reversal.ok, true)
    assert.equal(await balanceOf(store(), wallet), walletBefore + 50n)
    const again = await store().transaction((tx) => reverseEntry(tx, original.value.entryId, 'test', 3))
    assert.deepEqual(again, { ok: false, reason: 'already_reversed' })
    const missing = await store().transaction((tx) => reverseEntry(tx, 999_999n, 'test', 3))
    assert.deepEqual(missing, { ok: false, reason: 'unknown_entry' })
  })

  it('the database refuses to change or delete entries and postings', async () => {
    await assert.rejects(store().kysely.updateTable('postings').set({ amount: '1' }).execute(), /immutable/)
    await assert.rejects(store().kysely.deleteFrom('postings').execute(), /immutable/)
    await assert.rejects(
      store().kysely.updateTable('journal_entries').set({ kind: 'x' }).execute(),
      /immutable/,
    )
    await assert.rejects(store().kysely.deleteFrom('journal_entries').execute(), /immutable/)
  })

  it('verify passes on a sound ledger', async () => {
    const report = await store().snapshot((db) => verifyLedger(db))
    assert.equal(report.ok, true)
    assert.equal(report.violationCount, 0)
    assert.ok(report.entries >= 5)
  })
})

describeEachDialect('ledger verify finds every kind of violation', ({ store }) => {
  it('reports a tampered balance, a negative internal account, an unbalanced entry and a mixed environment', async () => {
    assert.equal((await post(store(), transfer('seed', faucet, wallet, 10n))).ok, true)
    assert.equal((await post(store(), transfer('spend', wallet, active, 5n))).ok, true)
    // Corrupt the data behind the ledger's back, as a bad migration or a manual edit would.
    await store()
      .kysely.updateTable('ledger_accounts')
      .set({ balance: '11' })
      .where('owner', '=', `partner:${PARTNER}`)
      .execute()
    await store()
      .kysely.updateTable('ledger_accounts')
      .set({ balance: '-3' })
      .where('purpose', '=', 'pool.ACTIVE')
      .execute()
    const entry = await store()
      .kysely.insertInto('journal_entries')
      .values({
        environment: 'live',
        kind: 'forged',
        reference: 'x',
        reverses_entry_id: null,
        memo: null,
        created_at: 1n,
      })
      .returning('id')
      .executeTakeFirstOrThrow()
    await store()
      .kysely.insertInto('postings')
      .values([
        { entry_id: entry.id, account_id: `sandbox:USDT:protocol:faucet`, amount: '-3' },
        { entry_id: entry.id, account_id: `sandbox:USDT:protocol:pool.ACTIVE`, amount: '4' },
      ])
      .execute()
    const report = await store().snapshot((db) => verifyLedger(db))
    assert.equal(report.ok, false)
    const rules = report.violations.map((v) => v.rule).sort()
    assert.deepEqual(rules, [
      'balance_matches_postings',
      'balance_matches_postings',
      'balance_matches_postings',
      'entry_balances',
      'no_negative_balance',
      'one_environment',
      'one_environment',
    ])
    assert.ok(
      report.violations.some(
        (v) => v.detail === `sandbox:USDT:partner:${PARTNER}:prefunded: stored 11, postings sum to 5`,
      ),
    )
  })
})
