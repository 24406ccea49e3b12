/**
 * Issue 12 with SPEC §8's Reserve deficit escalation: a recall of class B's
 * Yield capital is booked as venue withdrawals, spread over the class B LPs
 * by what each has booked, once per recall reference; the protocol's part
 * books nothing.
 */
import assert from 'node:assert/strict'
import { it } from 'node:test'
import { enqueueYieldRecall } from '../../../src/integrations/earn/bookings.ts'
import { depositOk } from '../../liquidity/lp-support.ts'
import { describeEachDialect } from '../../support/databases.ts'
import { classBLp, createEarnApp, earn, outbox } from './support.ts'

describeEachDialect('yield venue: recall', ({ store }) => {
  it('books a class B recall as withdrawals at both entities, once', async () => {
    const app = await createEarnApp(store())
    try {
      const { lp, wallet } = await classBLp(app, 9, ['20000'])
      await depositOk(app, lp, 'USDT', '20000', wallet)
      assert.equal(await earn(app).sendBookings('sandbox'), 2)
      const recall = (owner: 'class_b' | 'protocol') =>
        store().transaction((tx) =>
          enqueueYieldRecall(tx, {
            environment: 'sandbox',
            asset: 'USDT',
            owner,
            minor: 3_000_000_001n,
            reference: 'esc-1:recall',
            atMs: app.stablefx.services.clocks.sandbox.now(),
          }),
        )
      await recall('class_b')
      await recall('class_b')
      await recall('protocol')
      const rows = (await outbox(store())).filter((r) => r.kind === 'WITHDRAWAL')
      assert.deepEqual(
        rows.map((r) => [r.reference, r.entity, r.amount, r.cause]),
        [
          // Equal bookings: half each, the odd unit on the first of the largest.
          [`esc-1:recall:${lp.id}:lending`, 'lending', '1500000001', 'yield_recall'],
          [`esc-1:recall:${lp.id}:defi`, 'defi', '1500000000', 'yield_recall'],
        ],
      )
      assert.equal(await earn(app).sendBookings('sandbox'), 2)
      const venue = await earn(app).simulator('sandbox')
      assert.deepEqual(await venue?.balances('lending'), { USDT: 3_499_999_999_000_000_000_000n })
      assert.deepEqual(await venue?.balances('defi'), { USDT: 3_500_000_000_000_000_000_000n })
    } finally {
      await app.close()
    }
  })
})
