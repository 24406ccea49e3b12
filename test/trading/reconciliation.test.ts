/**
 * Issue 15 "Reconciliation": a quote's client_ref carries to its execution,
 * and GET /v1/executions filters by status, client_ref and creation time.
 */
import assert from 'node:assert/strict'
import { after, before, it } from 'node:test'
import { createPartner, createTestApp, setMarket, type TestApp, type TestPartner } from '../support/app.ts'
import { describeEachDialect } from '../support/databases.ts'
import { ADDRESS, execute, expectError, fund, get, quoteOk } from './support.ts'

describeEachDialect('execution client_ref and filters', ({ store }) => {
  let app: TestApp
  let partner: TestPartner

  before(async () => {
    app = await createTestApp(store())
    await setMarket(app)
    partner = await createPartner(app, { name: 'Reconciling Ramp' })
    await fund(app, partner, 'USDT', '1000')
  })
  after(() => app.close())

  async function swap(quoteRef: string | undefined, executeRef: string | undefined) {
    const quote = await quoteOk(app, partner, {
      pair: 'USD-IDR',
      side: 'SELL',
      amount: '10',
      ...(quoteRef === undefined ? {} : { client_ref: quoteRef }),
    })
    const done = await execute(app, partner, {
      quote_id: quote.quote_id,
      destination_address: ADDRESS,
      ...(executeRef === undefined ? {} : { client_ref: executeRef }),
    })
    assert.equal(done.statusCode, 200, done.body)
    return done.json()
  }

  it('the quote’s client_ref is the execution’s, unless the execute call names its own', async () => {
    assert.equal((await swap('order-1', undefined)).client_ref, 'order-1')
    assert.equal((await swap('order-2', 'payout-2')).client_ref, 'payout-2')
    assert.equal((await swap(undefined, undefined)).client_ref, null)
  })

  it('filters: status, client_ref, from (inclusive) and to (exclusive)', async () => {
    const list = async (query: string) => {
      const response = await get(app, partner, `/v1/executions?${query}`)
      assert.equal(response.statusCode, 200, response.body)
      return (response.json().items as { client_ref: string | null; status: string }[]).map(
        (e) => e.client_ref,
      )
    }
    assert.deepEqual(await list('client_ref=order-1'), ['order-1'])
    assert.deepEqual(await list('status=SETTLED'), [null, 'payout-2', 'order-1'])
    assert.deepEqual(await list('status=FAILED'), [])
    const now = new Date(app.stablefx.services.clocks.sandbox.now())
    assert.deepEqual(await list(`to=${now.toISOString()}`), [])
    assert.deepEqual(await list(`from=${now.toISOString()}&client_ref=payout-2`), ['payout-2'])
    const bad = await get(app, partner, '/v1/executions?from=yesterday')
    expectError(bad, 400, 'VALIDATION_ERROR')
    assert.match(bad.json().error.message, /from must be an ISO 8601 date and time/)
    expectError(await get(app, partner, '/v1/executions?status=DONE'), 400, 'VALIDATION_ERROR')
  })
})
