import assert from 'node:assert/strict'
import { after, before, it } from 'node:test'
import { createTestApp, type TestApp } from '../support/app.ts'
import { describeEachDialect } from '../support/databases.ts'

describeEachDialect('partner administration', ({ store }) => {
  let app: TestApp
  before(async () => {
    app = await createTestApp(store())
  })
  after(() => app.close())

  it('creates a partner with defaults and shows its secrets only once', async () => {
    const created = await app.admin('POST', '/admin/v1/partners', {
      name: 'Kopi Wallet',
      type: 'DISTRIBUTION',
      corridors: ['USD-IDR'],
    })
    assert.equal(created.statusCode, 201)
    const body = created.json()
    assert.deepEqual(Object.keys(body).sort(), [
      'api_key',
      'class_a_multiplier',
      'corridors',
      'created_at',
      'deposit_acceptance',
      'fee_overrides',
      'fee_tier_multiplier',
      'issued_asset',
      'limits',
      'liquidity_class',
      'mint_url',
      'name',
      'partner_id',
      'payout_countries',
      'payout_rails',
      'por_interval_s',
      'por_url',
      'rate_limit_tier',
      'redeem_url',
      'rfq_access_tier',
      'rfq_timeout_ms',
      'rfq_url',
      'sandbox_api_key',
      'settlement_currencies',
      'status',
      'type',
      'updated_at',
      'webhook_secret',
    ])
    assert.deepEqual(body.limits, { daily_per_corridor_usd: '500000', monthly_usd: '10000000' })
    // Counterparty and issuer fields are empty on other partners.
    assert.deepEqual(
      [body.rfq_url, body.rfq_timeout_ms, body.issued_asset, body.mint_url, body.redeem_url, body.por_url],
      [null, null, null, null, null, null],
    )
    assert.equal(body.fee_tier_multiplier, '1')
    assert.equal(body.rate_limit_tier, 'standard')
    assert.equal(body.status, 'ACTIVE')
    assert.match(body.webhook_secret, /^whsec_/)
    const shown = await app.admin('GET', `/admin/v1/partners/${body.partner_id}`)
    assert.equal(shown.statusCode, 200)
    const text = shown.body
    assert.ok(
      !text.includes(body.api_key) &&
        !text.includes(body.sandbox_api_key) &&
        !text.includes(body.webhook_secret),
    )
    const listed = await app.admin('GET', '/admin/v1/partners')
    assert.ok(!listed.body.includes(body.api_key))
    assert.ok(listed.json().partners.some((p: { partner_id: string }) => p.partner_id === body.partner_id))
  })

  it('accepts full configuration, with exact numbers or decimal strings', async () => {
    const created = await app.admin('POST', '/admin/v1/partners', {
      name: 'Issuer Co',
      type: 'ISSUER',
      corridors: ['USD-IDR', 'MYR-IDR'],
      limits: { daily_per_corridor_usd: 250000, monthly_usd: '5000000.50' },
      fee_tier_multiplier: 0.3,
      rate_limit_tier: 'premium',
    })
    assert.equal(created.statusCode, 201)
    const body = created.json()
    assert.deepEqual(body.limits, { daily_per_corridor_usd: '250000', monthly_usd: '5000000.50' })
    assert.equal(body.fee_tier_multiplier, '0.3')
    assert.equal(body.rate_limit_tier, 'premium')
  })

  const refusals: [string, Record<string, unknown>, RegExp][] = [
    ['an unknown field', { name: 'X', type: 'LP', colour: 'red' }, /must NOT have additional properties/],
    ['an unknown type', { name: 'X', type: 'BANK' }, /type/],
    ['an unknown corridor', { name: 'X', type: 'LP', corridors: ['USD-EUR'] }, /corridors/],
    ['a repeated corridor', { name: 'X', type: 'LP', corridors: ['USD-IDR', 'USD-IDR'] }, /corridors repeat/],
    ['an empty name', { name: '', type: 'LP' }, /name/],
    ['a negative limit', { name: 'X', type: 'LP', limits: { monthly_usd: '-5' } }, /monthly_usd/],
    ['a zero limit', { name: 'X', type: 'LP', limits: { monthly_usd: '0' } }, /must be positive/],
    [
      'a limit with three decimals',
      { name: 'X', type: 'LP', limits: { monthly_usd: '1.005' } },
      /more than 2 fraction digits/,
    ],
    [
      'a multiplier of 6',
      { name: 'X', type: 'LP', fee_tier_multiplier: '6' },
      /fee_tier_multiplier must be a decimal from 0 to 5/,
    ],
    ['a boolean multiplier', { name: 'X', type: 'LP', fee_tier_multiplier: true }, /fee_tier_multiplier/],
    ['a null name', { name: null, type: 'LP' }, /name/],
  ]
  for (const [what, body, message] of refusals) {
    it(`refuses ${what} with 400 VALIDATION_ERROR and creates nothing`, async () => {
      const before = (await app.admin('GET', '/admin/v1/partners')).json().partners.length
      const response = await app.admin('POST', '/admin/v1/partners', body)
      assert.equal(response.statusCode, 400)
      const error = response.json().error
      assert.equal(error.code, 'VALIDATION_ERROR')
      assert.match(error.message, message)
      assert.equal(typeof error.request_id, 'string')
      assert.equal((await app.admin('GET', '/admin/v1/partners')).json().partners.length, before)
    })
  }

  it('patches configuration and audits actor, before, after and time', async () => {
    const created = (
      await app.admin('POST', '/admin/v1/partners', { name: 'Patchy', type: 'ON_OFF_RAMP' })
    ).json()
    const patched = await app.inject({
      method: 'PATCH',
      url: `/admin/v1/partners/${created.partner_id}`,
      headers: {
        authorization: `Bearer ${(await import('../support/app.ts')).ADMIN_TOKEN}`,
        'x-actor': 'alice',
      },
      payload: { corridors: ['USD-SGD'], limits: { daily_per_corridor_usd: '1000' } },
    })
    assert.equal(patched.statusCode, 200)
    assert.deepEqual(patched.json().corridors, ['USD-SGD'])
    assert.deepEqual(patched.json().limits, { daily_per_corridor_usd: '1000', monthly_usd: '10000000' })
    const audit = (await app.admin('GET', `/admin/v1/audit?target_id=${created.partner_id}`)).json()
    assert.equal(audit.items.length, 2)
    const [update, create] = audit.items
    assert.equal(update.action, 'partner.update')
    assert.equal(update.actor, 'admin:alice')
    assert.deepEqual(update.before.corridors, [])
    assert.deepEqual(update.after.corridors, ['USD-SGD'])
    assert.equal(update.before.limits.daily_per_corridor_usd, '500000')
    assert.equal(update.after.limits.daily_per_corridor_usd, '1000')
    assert.equal(update.at, '2026-11-23T00:00:00.000Z')
    assert.equal(create.action, 'partner.create')
    assert.equal(create.before, null)
    assert.ok(!JSON.stringify(audit).includes('sk_'))
  })

  it('a refused patch changes nothing and audits nothing', async () => {
    const created = (await app.admin('POST', '/admin/v1/partners', { name: 'Stable', type: 'LP' })).json()
    const refused = await app.admin('PATCH', `/admin/v1/partners/${created.partner_id}`, {
      corridors: ['EUR-USD'],
    })
    assert.equal(refused.statusCode, 400)
    const audit = (await app.admin('GET', `/admin/v1/audit?target_id=${created.partner_id}`)).json()
    assert.equal(audit.items.length, 1)
    const missing = await app.admin('PATCH', '/admin/v1/partners/00000000-0000-4000-8000-000000000000', {
      name: 'x',
    })
    assert.equal(missing.statusCode, 404)
    assert.equal(missing.json().error.code, 'NOT_FOUND')
    const unknown = await app.admin('GET', '/admin/v1/partners/not-a-uuid')
    assert.equal(unknown.statusCode, 404)
  })

  it('pages through the audit log with a cursor', async () => {
    const first = (await app.admin('GET', '/admin/v1/audit?limit=2')).json()
    assert.equal(first.items.length, 2)
    assert.notEqual(first.next_cursor, null)
    const second = (await app.admin('GET', `/admin/v1/audit?limit=2&cursor=${first.next_cursor}`)).json()
    assert.ok(BigInt(second.items[0].id) < BigInt(first.items[1].id))
  })
})
