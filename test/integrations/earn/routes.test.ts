/**
 * Issue 12 over the admin and LP APIs: the split per asset (validated,
 * audited), the venue view per entity, products synced, and the venue's APY
 * and earned yield in GET /v1/lp/pools.
 */
import assert from 'node:assert/strict'
import { it } from 'node:test'
import { advance, DAY_S, depositOk } from '../../liquidity/lp-support.ts'
import { describeEachDialect } from '../../support/databases.ts'
import { classBLp, createEarnApp, earn, outbox } from './support.ts'

describeEachDialect('yield venue: admin and LP views', ({ store }) => {
  it('split configuration, venue view, APY and earned yield', async () => {
    const app = await createEarnApp(store(), {
      products: {
        lending: [{ id: 'lend-usdt', currency: 'USDT', apy: '0.05', marginApy: '0.01' }],
        defi: [{ id: 'defi-usdt', currency: 'USDT', apy: '0.08' }],
      },
    })
    try {
      for (const bad of [
        { split: [{ entity: 'lending', product_id: 'lend-usdt', pct: 60 }] },
        {
          split: [
            { entity: 'lending', product_id: 'lend-usdt', pct: 50 },
            { entity: 'lending', product_id: 'x', pct: 50 },
          ],
        },
        { split: [{ entity: 'cefi', product_id: 'x', pct: 100 }] },
        { split: [] },
        { split: [{ entity: 'lending', product_id: 'lend-usdt', pct: 100.5 }] },
      ]) {
        const refused = await app.admin('PUT', '/admin/v1/yield/venue/splits/USDT', bad)
        assert.equal(refused.statusCode, 400, refused.body)
        assert.equal(refused.json().error.code, 'VALIDATION_ERROR')
      }
      const set = await app.admin('PUT', '/admin/v1/yield/venue/splits/USDT', {
        environment: 'sandbox',
        split: [
          { entity: 'lending', product_id: 'lend-usdt', pct: 75 },
          { entity: 'defi', product_id: 'defi-usdt', pct: 25 },
        ],
      })
      assert.equal(set.statusCode, 200, set.body)
      const audit = await store()
        .kysely.selectFrom('audit_log')
        .select(['action', 'target_id'])
        .where('action', '=', 'yield.venue.split')
        .execute()
      assert.deepEqual(audit, [{ action: 'yield.venue.split', target_id: 'sandbox:USDT' }])

      const { lp, wallet } = await classBLp(app, 7, ['1000'])
      await depositOk(app, lp, 'USDT', '1000', wallet)
      const rows = await outbox(store())
      assert.deepEqual(
        rows.map((r) => [r.entity, r.product_id, r.amount, r.status]),
        [
          ['lending', 'lend-usdt', '375000000', 'PENDING'],
          ['defi', 'defi-usdt', '125000000', 'PENDING'],
        ],
      )
      const before = (await app.admin('GET', '/admin/v1/yield/venue?environment=sandbox')).json()
      assert.equal(before.venue, 'simulator')
      assert.deepEqual(
        before.entities.map((e: { entity: string; pending_bookings: number }) => [
          e.entity,
          e.pending_bookings,
        ]),
        [
          ['lending', 1],
          ['defi', 1],
        ],
      )
      await earn(app).tick('sandbox')
      await advance(app, DAY_S)
      await advance(app, DAY_S)
      const ran = await app.admin('POST', '/admin/v1/yield/venue/run', { environment: 'sandbox' })
      assert.equal(ran.statusCode, 200, ran.body)
      assert.equal(ran.json().reports_ingested, 4)
      const view = (await app.admin('GET', '/admin/v1/yield/venue?environment=sandbox')).json()
      const lending = view.entities[0]
      assert.equal(lending.entity, 'lending')
      assert.equal(lending.token.status, 'OK')
      assert.equal(lending.reconciliation_status, 'OK')
      assert.equal(lending.pending_bookings, 0)
      // 375 USDT at 5% for one day: 375 × 0.000133680617113440 = 0.050130231417540 → 0.050130, the dust carried.
      assert.deepEqual(lending.balances, [
        {
          asset: 'USDT',
          booked: '375.050130',
          // The ledger's own account of money at lending (issue 12 item 3) holds the same.
          ledger: '375.050130',
          reported: '375.050130231417540000',
          interest_credited: '0.050130',
          dust: '0.000000231417540000',
          // The partner margin at 1%: 375 × 0.000027261552008994 = 0.010223082… → 0.010223 to the treasury.
          margin_credited: '0.010223',
          // What we owe for the booking, less the margin the venue owes us.
          outstanding: '-374.989776917996627250',
        },
      ])
      // Below the $1,000 threshold nothing is paid: the debt is carried.
      assert.deepEqual(lending.outstanding_settlements, [])
      const products = await store()
        .kysely.selectFrom('earn_products')
        .select(['entity', 'product_id', 'apy'])
        .orderBy('entity')
        .execute()
      assert.deepEqual(products, [
        { entity: 'defi', product_id: 'defi-usdt', apy: '0.08' },
        { entity: 'lending', product_id: 'lend-usdt', apy: '0.05' },
      ])
      const pools = await app.inject({ method: 'GET', url: '/v1/lp/pools', headers: lp.headers() })
      const usdt = pools.json().pools.find((p: { asset: string }) => p.asset === 'USDT')
      assert.equal(usdt.venue.apy, '0.0575')
      // And defi: 125 × 0.000210874398376959 = 0.026359 (rounded down).
      assert.equal(usdt.venue.earned, '0.076489')
      const margins = await store()
        .kysely.selectFrom('journal_entries')
        .select('kind')
        .where('kind', '=', 'earn_margin')
        .execute()
      assert.equal(margins.length, 1)
      const bad = await app.admin('GET', '/admin/v1/yield/venue?environment=mars')
      assert.equal(bad.statusCode, 400)
    } finally {
      await app.close()
    }
  })
})
