/** Issue 15 "Errors": schema refusals say what was wrong and what is allowed, one sentence per field. */
import assert from 'node:assert/strict'
import { after, before, it } from 'node:test'
import { openStore, type Store } from '../../src/store/store.ts'
import { createPartner, createTestApp, type TestApp, type TestPartner } from '../support/app.ts'
import { createTestDatabase, type TestDatabase } from '../support/databases.ts'

let database: TestDatabase
let store: Store
let app: TestApp
let partner: TestPartner

before(async () => {
  database = await createTestDatabase('sqlite')
  store = await openStore(database.url)
  app = await createTestApp(store)
  partner = await createPartner(app, { name: 'Typo Ramp' })
})
after(async () => {
  await app.close()
  await store.close()
  await database.drop()
})

async function refusal(payload: Record<string, unknown>) {
  const response = await app.inject({ method: 'POST', url: '/v1/quote', headers: partner.headers(), payload })
  assert.equal(response.statusCode, 400, response.body)
  assert.equal(response.json().error.code, 'VALIDATION_ERROR')
  return response.json().error.message as string
}

it('an enum lists its allowed values', async () => {
  assert.equal(
    await refusal({ pair: 'USD-XXX', side: 'SELL', amount: '1' }),
    'body/pair must be one of: USD-IDR, USD-SGD, MYR-IDR',
  )
  assert.equal(
    await refusal({ pair: 'USD-IDR', side: 'sell', amount: '1' }),
    'body/side must be one of: BUY, SELL',
  )
})

it('an amount says its form and the assets’ decimals', async () => {
  const expected =
    'body/amount must be a decimal string such as "1000.50" with no more fraction digits than the asset has (USDT 6, IDRX 2, tnSGD 6, MYRC 18)'
  assert.equal(await refusal({ pair: 'USD-IDR', side: 'SELL', amount: '1,000' }), expected)
  assert.equal(await refusal({ pair: 'USD-IDR', side: 'SELL', amount: true }), expected)
})

it('an unknown field is named; the first refused field is the one named', async () => {
  assert.equal(
    await refusal({ pair: 'USD-IDR', side: 'SELL', amount: '1', colour: 'red' }),
    "body has an unknown field 'colour' (must NOT have additional properties)",
  )
  // The validator stops at the first field it refuses: one problem at a time.
  assert.equal(
    await refusal({ pair: 'EUR-USD', side: 'HOLD', amount: '1' }),
    'body/pair must be one of: USD-IDR, USD-SGD, MYR-IDR',
  )
})
