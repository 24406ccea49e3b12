import assert from 'node:assert/strict'
import { after, before, it } from 'node:test'
import { createTestApp, T0, type TestApp } from '../support/app.ts'
import { describeEachDialect } from '../support/databases.ts'

describeEachDialect('sandbox test clock', ({ store }) => {
  let app: TestApp
  before(async () => {
    app = await createTestApp(store())
  })
  after(() => app.close())

  it('starts at real time and moves only forward, by an admin', async () => {
    assert.deepEqual((await app.admin('GET', '/admin/v1/sandbox/clock')).json(), {
      now: '2026-11-23T00:00:00.000Z',
      offset_seconds: 0,
    })
    const advanced = await app.admin('POST', '/admin/v1/sandbox/clock/advance', { seconds: 3600 })
    assert.equal(advanced.statusCode, 200)
    assert.deepEqual(advanced.json(), { now: '2026-11-23T01:00:00.000Z', offset_seconds: 3600 })
    assert.equal(app.stablefx.services.clocks.sandbox.now(), T0 + 3_600_000)
    assert.equal(app.stablefx.services.clocks.live.now(), T0)
  })

  it('refuses to go backwards or by fractions', async () => {
    for (const seconds of [0, -5, 1.5, '60', 400 * 86_400]) {
      const response = await app.admin('POST', '/admin/v1/sandbox/clock/advance', { seconds })
      assert.equal(response.statusCode, 400, `seconds ${seconds}`)
    }
  })

  it('keeps its offset across a restart, and audits every move', async () => {
    const restarted = await createTestApp(store())
    try {
      assert.equal(restarted.stablefx.services.clocks.sandbox.now(), T0 + 3_600_000)
    } finally {
      await restarted.close()
    }
    const audit = (await app.admin('GET', '/admin/v1/audit?action=sandbox.clock.advance')).json()
    assert.equal(audit.items.length, 1)
    assert.deepEqual(audit.items[0].after, { offset_seconds: 3600, now: '2026-11-23T01:00:00.000Z' })
  })

  it('cannot be moved with a partner key', async () => {
    const response = await app.inject({
      method: 'POST',
      url: '/admin/v1/sandbox/clock/advance',
      payload: { seconds: 1 },
    })
    assert.equal(response.statusCode, 401)
  })
})
