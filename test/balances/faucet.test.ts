import assert from 'node:assert/strict'
import { after, before, it } from 'node:test'
import { verifyLedger } from '../../src/ledger/verify.ts'
import { createPartner, createTestApp, type TestApp, type TestPartner } from '../support/app.ts'
import { describeEachDialect } from '../support/databases.ts'

describeEachDialect('sandbox faucet and balances', ({ store }) => {
  let app: TestApp
  let partner: TestPartner
  before(async () => {
    app = await createTestApp(store())
    partner = await createPartner(app)
  })
  after(() => app.close())

  const faucet = (body: unknown, environment: 'sandbox' | 'live' = 'sandbox') =>
    app.inject({
      method: 'POST',
      url: '/v1/sandbox/faucet',
      headers: partner.headers(environment),
      payload: body as object,
    })

  it('credits the prefunded balance through the ledger', async () => {
    const first = await faucet({ asset: 'USDT', amount: '2500.5' })
    assert.equal(first.statusCode, 200)
    assert.deepEqual(
      { ...(first.json() as object), entry_id: undefined },
      {
        asset: 'USDT',
        amount: '2500.5',
        available: '2500.5',
        entry_id: undefined,
      },
    )
    const second = await faucet({ asset: 'USDT', amount: 0.25 })
    assert.equal(second.json().available, '2500.75')
    const myrc = await faucet({ asset: 'MYRC', amount: '1000.000000000000000001' })
    assert.equal(myrc.json().available, '1000.000000000000000001')
    const balances = await app.inject({ method: 'GET', url: '/v1/balances', headers: partner.headers() })
    assert.deepEqual(balances.json().balances, [
      { asset: 'USDT', available: '2500.75' },
      { asset: 'IDRX', available: '0' },
      { asset: 'tnSGD', available: '0' },
      { asset: 'MYRC', available: '1000.000000000000000001' },
    ])
    const report = await store().snapshot((db) => verifyLedger(db))
    assert.equal(report.ok, true)
  })

  it('refuses live keys with 403, and live balances stay apart from sandbox ones', async () => {
    const response = await faucet({ asset: 'USDT', amount: '1' }, 'live')
    assert.equal(response.statusCode, 403)
    assert.equal(response.json().error.code, 'FORBIDDEN')
    const live = await app.inject({ method: 'GET', url: '/v1/balances', headers: partner.headers('live') })
    assert.deepEqual(
      live.json().balances.map((b: { available: string }) => b.available),
      ['0', '0', '0', '0'],
    )
  })

  it('caps one call at $1,000,000 equivalent', async () => {
    assert.equal((await faucet({ asset: 'USDT', amount: '1000000' })).statusCode, 200)
    const over = await faucet({ asset: 'USDT', amount: '1000000.000001' })
    assert.equal(over.statusCode, 400)
    assert.equal(over.json().error.message, 'amount is above the faucet cap of 1000000 USDT per call')
    const idr = await faucet({ asset: 'IDRX', amount: '16250000000.01' })
    assert.equal(idr.json().error.message, 'amount is above the faucet cap of 16250000000 IDRX per call')
  })
})
