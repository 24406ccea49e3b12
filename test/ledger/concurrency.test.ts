import assert from 'node:assert/strict'
import { randomUUID } from 'node:crypto'
import { it } from 'node:test'
import fc from 'fast-check'
import { prefundedAccount, protocolAccount } from '../../src/ledger/accounts.ts'
import { balanceOf, postEntry } from '../../src/ledger/journal.ts'
import { verifyLedger } from '../../src/ledger/verify.ts'
import { describeEachDialect } from '../support/databases.ts'

/**
 * Many transfers race out of one account. On PostgreSQL they run on separate
 * connections, so only row locks keep the balance honest; on SQLite the one
 * writer serialises them. Either way: no overdraft, every refusal justified,
 * and every invariant holds afterwards.
 */
describeEachDialect('ledger under concurrency', ({ store }) => {
  it('parallel transfers out of one account never overdraw it', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.bigInt({ min: 1n, max: 120n }), { minLength: 20, maxLength: 60 }),
        async (amounts) => {
          const source = prefundedAccount('sandbox', 'USDT', randomUUID())
          const funded = await store().transaction((tx) =>
            postEntry(tx, {
              environment: 'sandbox',
              kind: 'test',
              reference: randomUUID(),
              postings: [
                { account: protocolAccount('sandbox', 'USDT', 'faucet'), amount: -1_000n },
                { account: source, amount: 1_000n },
              ],
              atMs: 1,
            }),
          )
          assert.equal(funded.ok, true)
          const results = await Promise.all(
            amounts.map((amount, index) =>
              store().transaction((tx) =>
                postEntry(tx, {
                  environment: 'sandbox',
                  kind: 'test',
                  reference: randomUUID(),
                  postings: [
                    { account: source, amount: -amount },
                    { account: prefundedAccount('sandbox', 'USDT', `sink-${index % 5}`), amount },
                  ],
                  atMs: 2,
                }),
              ),
            ),
          )
          const spent = amounts.filter((_, i) => results[i]?.ok).reduce((sum, a) => sum + a, 0n)
          const final = await balanceOf(store(), source)
          assert.ok(spent <= 1_000n, `spent ${spent} of 1000`)
          assert.equal(final, 1_000n - spent)
          // Balances only fall, so a refused transfer must exceed even the final balance.
          for (const [i, result] of results.entries()) {
            if (!result.ok) {
              assert.equal(result.reason, 'insufficient_balance')
              assert.ok((amounts[i] as bigint) > final)
            }
          }
        },
      ),
      { numRuns: 6 },
    )
    const report = await store().snapshot((db) => verifyLedger(db))
    assert.deepEqual(report.violations, [])
  })
})
