import assert from 'node:assert/strict'
import { after, before, it } from 'node:test'
import { verifyLedger } from '../../src/ledger/verify.ts'
import { seedPools } from '../../src/pools/service.ts'
import { referenceUsdRates } from '../../src/pools/usd-rates.ts'
import { createTestApp, type TestApp } from '../support/app.ts'
import { describeEachDialect } from '../support/databases.ts'

describeEachDialect('pools at first start', ({ store }) => {
  let app: TestApp
  before(async () => {
    app = await createTestApp(store())
  })
  after(() => app.close())

  it('funds the sandbox pools: Active 100% of target, Reserve 90%, Yield empty', async () => {
    const response = await app.admin('GET', '/admin/v1/pools?environment=sandbox')
    assert.equal(response.statusCode, 200)
    const pools = response
      .json()
      .pools.map((p: Record<string, string>) => [
        p.asset,
        p.tier,
        p.balance,
        p.target,
        p.min,
        p.health_pct,
        p.status,
      ])
    assert.deepEqual(pools, [
      ['USDT', 'ACTIVE', '1000000', '1000000', '400000', '100', 'HEALTHY'],
      ['USDT', 'RESERVE', '4500000', '5000000', '4000000', '90', 'HEALTHY'],
      ['USDT', 'YIELD', '0', '10000000', '0', '0', 'OK'],
      ['IDRX', 'ACTIVE', '8125000000', '8125000000', '3250000000', '100', 'HEALTHY'],
      ['IDRX', 'RESERVE', '29250000000', '32500000000', '26000000000', '90', 'HEALTHY'],
      ['IDRX', 'YIELD', '0', '48750000000', '0', '0', 'OK'],
      ['tnSGD', 'ACTIVE', '650000', '650000', '260000', '100', 'HEALTHY'],
      ['tnSGD', 'RESERVE', '2340000', '2600000', '2080000', '90', 'HEALTHY'],
      ['tnSGD', 'YIELD', '0', '3900000', '0', '0', 'OK'],
      ['MYRC', 'ACTIVE', '1260000', '1260000', '504000', '100', 'HEALTHY'],
      ['MYRC', 'RESERVE', '3780000', '4200000', '3360000', '90', 'HEALTHY'],
      ['MYRC', 'YIELD', '0', '8400000', '0', '0', 'OK'],
    ])
  })

  it('leaves live empty', async () => {
    const response = await app.admin('GET', '/admin/v1/pools?environment=live')
    const live = response.json().pools
    assert.equal(live.length, 12)
    assert.ok(live.every((p: { balance: string }) => p.balance === '0'))
    assert.equal(live[0].status, 'CRITICAL')
    assert.equal(live[1].status, 'CRITICAL')
  })

  it('does not fund twice on restart', async () => {
    assert.equal(await seedPools(store(), referenceUsdRates(), 5), false)
    const again = await createTestApp(store())
    await again.close()
    const response = await app.admin('GET', '/admin/v1/pools?environment=sandbox')
    assert.equal(response.json().pools[0].balance, '1000000')
    const genesis = await store()
      .kysely.selectFrom('journal_entries')
      .selectAll()
      .where('kind', '=', 'genesis')
      .execute()
    assert.equal(genesis.length, 1)
    assert.equal((await store().snapshot((db) => verifyLedger(db))).ok, true)
  })

  it('refuses an unknown environment', async () => {
    const response = await app.admin('GET', '/admin/v1/pools?environment=staging')
    assert.equal(response.statusCode, 400)
  })
})
