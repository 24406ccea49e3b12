import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { it } from 'node:test'
import fc from 'fast-check'
import { type AccountKey, prefundedAccount, protocolAccount } from '../../src/ledger/accounts.ts'
import { balanceOf, postEntry, reverseEntry } from '../../src/ledger/journal.ts'
import { verifyLedger } from '../../src/ledger/verify.ts'
import type { Store } from '../../src/store/store.ts'
import { describeEachDialect } from '../support/databases.ts'

/**
 * Model-based test (fast-check commands): random sequences of fundings,
 * transfers and reversals against the real ledger and a plain Map model.
 * After every command the balances agree with the model; the ledger refuses
 * exactly the commands the model says would overdraw; verify passes at the end.
 */
type Model = {
  balances: Map<string, bigint>
  entries: { id: bigint; from: number; to: number; amount: bigint; reversed: boolean }[]
}
type Real = { store: Store; accounts: AccountKey[] }

const faucet = protocolAccount('sandbox', 'IDRX', 'faucet')
const key = (i: number) => String(i)

class Fund implements fc.AsyncCommand<Model, Real> {
  readonly to: number
  readonly amount: bigint
  constructor(to: number, amount: bigint) {
    this.to = to
    this.amount = amount
  }
  check() {
    return true
  }
  async run(model: Model, real: Real) {
    const result = await real.store.transaction((tx) =>
      postEntry(tx, {
        environment: 'sandbox',
        kind: 'fund',
        reference: randomUUID(),
        postings: [
          { account: faucet, amount: -this.amount },
          { account: real.accounts[this.to] as AccountKey, amount: this.amount },
        ],
        atMs: 1,
      }),
    )
    assert.equal(result.ok, true)
    model.balances.set(key(this.to), (model.balances.get(key(this.to)) ?? 0n) + this.amount)
    await agree(model, real)
  }
  toString() {
    return `fund(${this.to}, ${this.amount})`
  }
}

class Transfer implements fc.AsyncCommand<Model, Real> {
  readonly from: number
  readonly to: number
  readonly amount: bigint
  constructor(from: number, to: number, amount: bigint) {
    this.from = from
    this.to = to
    this.amount = amount
  }
  check() {
    return this.from !== this.to
  }
  async run(model: Model, real: Real) {
    const result = await real.store.transaction((tx) =>
      postEntry(tx, {
        environment: 'sandbox',
        kind: 'transfer',
        reference: randomUUID(),
        postings: [
          { account: real.accounts[this.from] as AccountKey, amount: -this.amount },
          { account: real.accounts[this.to] as AccountKey, amount: this.amount },
        ],
        atMs: 1,
      }),
    )
    const available = model.balances.get(key(this.from)) ?? 0n
    assert.equal(result.ok, available >= this.amount)
    if (result.ok) {
      model.balances.set(key(this.from), available - this.amount)
      model.balances.set(key(this.to), (model.balances.get(key(this.to)) ?? 0n) + this.amount)
      model.entries.push({
        id: result.value.entryId,
        from: this.from,
        to: this.to,
        amount: this.amount,
        reversed: false,
      })
    }
    await agree(model, real)
  }
  toString() {
    return `transfer(${this.from} → ${this.to}, ${this.amount})`
  }
}

class Reverse implements fc.AsyncCommand<Model, Real> {
  readonly pick: number
  constructor(pick: number) {
    this.pick = pick
  }
  check(model: Readonly<Model>) {
    return model.entries.length > 0
  }
  async run(model: Model, real: Real) {
    const entry = model.entries[this.pick % model.entries.length] as Model['entries'][number]
    const result = await real.store.transaction((tx) => reverseEntry(tx, entry.id, 'model test', 2))
    const available = model.balances.get(key(entry.to)) ?? 0n
    if (entry.reversed) assert.deepEqual(result, { ok: false, reason: 'already_reversed' })
    else assert.equal(result.ok, available >= entry.amount)
    if (result.ok) {
      entry.reversed = true
      model.balances.set(key(entry.to), available - entry.amount)
      model.balances.set(key(entry.from), (model.balances.get(key(entry.from)) ?? 0n) + entry.amount)
    }
    await agree(model, real)
  }
  toString() {
    return `reverse(#${this.pick})`
  }
}

async function agree(model: Model, real: Real) {
  for (const [index, account] of real.accounts.entries()) {
    assert.equal(await balanceOf(real.store, account), model.balances.get(key(index)) ?? 0n)
  }
}

const ACCOUNTS = 4
const commands = [
  fc.tuple(fc.nat(ACCOUNTS - 1), fc.bigInt({ min: 1n, max: 1_000n })).map(([to, a]) => new Fund(to, a)),
  fc
    .tuple(fc.nat(ACCOUNTS - 1), fc.nat(ACCOUNTS - 1), fc.bigInt({ min: 1n, max: 800n }))
    .map(([from, to, a]) => new Transfer(from, to, a)),
  fc.nat(50).map((pick) => new Reverse(pick)),
]

describeEachDialect('ledger model', ({ store }) => {
  it('agrees with a simple model over random command sequences', async () => {
    await fc.assert(
      fc.asyncProperty(fc.commands(commands, { maxCommands: 25 }), async (cmds) => {
        const run = randomUUID()
        const accounts = Array.from({ length: ACCOUNTS }, (_, i) =>
          prefundedAccount('sandbox', 'IDRX', `${run}-${i}`),
        )
        await fc.asyncModelRun(
          () => ({ model: { balances: new Map(), entries: [] }, real: { store: store(), accounts } }),
          cmds,
        )
      }),
      { numRuns: 15 },
    )
    const report = await store().snapshot((db) => verifyLedger(db))
    assert.deepEqual(report.violations, [])
    assert.equal(report.ok, true)
  })
})
