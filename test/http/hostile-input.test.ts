/**
 * Hostile input through the in-memory app, on both databases: cursors
 * beyond a row id's range, control characters and lone surrogates in every
 * kind of free text (body strings and keys, query strings, path
 * parameters), and duplicate JSON keys. Each is a 400 VALIDATION_ERROR with
 * the SPEC §3 envelope, never a 500.
 */

import assert from 'node:assert/strict'
import { after, before, it } from 'node:test'
import type { LightMyRequestResponse } from 'fastify'
import {
  ADMIN_TOKEN,
  createPartner,
  createTestApp,
  OPS_TOKEN,
  type TestApp,
  type TestPartner,
} from '../support/app.ts'
import { describeEachDialect } from '../support/databases.ts'
import { ADDRESS, expectError, get } from '../trading/support.ts'

const ABOVE_MAX_ROW_ID = '9223372036854775808'
const MAX_ROW_ID = '9223372036854775807'

describeEachDialect('hostile input', ({ store }) => {
  let app: TestApp
  let partner: TestPartner
  before(async () => {
    app = await createTestApp(store())
    partner = await createPartner(app)
  })
  after(() => app.close())

  /** A JSON body sent as the exact text given (escapes and duplicates survive). */
  const send = (method: 'POST', url: string, text: string, headers: Record<string, string>) =>
    app.inject({ method, url, headers: { ...headers, 'content-type': 'application/json' }, payload: text })

  function refused(response: LightMyRequestResponse, message: string) {
    const error = expectError(response, 400, 'VALIDATION_ERROR')
    assert.equal(error.message, message)
  }

  it('refuses an executions cursor beyond 2^63-1 and takes the largest one', async () => {
    refused(
      await get(app, partner, `/v1/executions?cursor=${ABOVE_MAX_ROW_ID}`),
      'querystring/cursor must be at most 9223372036854775807',
    )
    refused(
      await get(app, partner, '/v1/executions?cursor=99999999999999999999'),
      'querystring/cursor must match pattern "^[0-9]{1,19}$"',
    )
    const largest = await get(app, partner, `/v1/executions?cursor=${MAX_ROW_ID}`)
    assert.equal(largest.statusCode, 200, largest.body)
    assert.deepEqual(largest.json(), { items: [], next_cursor: null })
  })

  it('refuses an audit cursor beyond 2^63-1 and takes the largest one', async () => {
    refused(
      await app.admin('GET', `/admin/v1/audit?cursor=${ABOVE_MAX_ROW_ID}`),
      'querystring/cursor must be at most 9223372036854775807',
    )
    const largest = await app.admin('GET', `/admin/v1/audit?cursor=${MAX_ROW_ID}&limit=1`)
    assert.equal(largest.statusCode, 200, largest.body)
    // The partner created above is the newest audit entry, and every entry is below the largest cursor.
    assert.equal(largest.json().items[0].action, 'partner.create')
  })

  const partnerHeaders = () => partner.headers()
  const adminHeaders = () => ({ authorization: `Bearer ${ADMIN_TOKEN}` })
  const opsHeaders = () => ({ authorization: `Bearer ${OPS_TOKEN}` })
  const bodies: {
    name: string
    url: string
    headers: () => Record<string, string>
    text: () => string
    message: string
  }[] = [
    {
      name: 'NUL in a client_ref',
      url: '/v1/quote',
      headers: partnerHeaders,
      text: () => '{"pair":"USD-IDR","side":"SELL","amount":"100","client_ref":"order\\u0000-7"}',
      message: 'body/client_ref contains a control character (U+0000)',
    },
    {
      name: 'DEL in a client_ref, raw',
      url: '/v1/execute',
      headers: partnerHeaders,
      text: () => `{"quote_id":"q","destination_address":"${ADDRESS}","client_ref":"a\u007f"}`,
      message: 'body/client_ref contains a control character (U+007F)',
    },
    {
      name: 'an escape sequence in a partner name',
      url: '/admin/v1/partners',
      headers: adminHeaders,
      text: () => '{"name":"Acme\\u001b[31m","type":"ON_OFF_RAMP","corridors":["USD-IDR"]}',
      message: 'body/name contains a control character (U+001B)',
    },
    {
      name: 'a C1 control in a wallet label',
      url: '/admin/v1/partners/PARTNER/wallets',
      headers: adminHeaders,
      text: () => `{"address":"${ADDRESS}","label":"cold\u0085"}`,
      message: 'body/label contains a control character (U+0085)',
    },
    {
      name: 'a newline in a yield reason',
      url: '/admin/v1/yield/events',
      headers: adminHeaders,
      text: () => '{"asset":"USDT","amount":"1","reason":"ok\\n{\\"level\\":50}"}',
      message: 'body/reason contains a control character (U+000A)',
    },
    {
      name: 'a lone surrogate in an override reason',
      url: '/v1/reserve/state-override',
      headers: opsHeaders,
      text: () =>
        '{"corridor":"USD-IDR","state":"PROTECT","reason":"\\ud800","expires_at":"2026-11-23T01:00:00Z"}',
      message: 'body/reason contains a lone UTF-16 surrogate (U+D800)',
    },
    {
      name: 'a control character in a key',
      url: '/v1/quote',
      headers: partnerHeaders,
      text: () => '{"pair":"USD-IDR","side":"SELL","amount":"100","x\\u0007":1}',
      message: 'body has a key with a control character (U+0007)',
    },
    {
      name: 'a duplicate amount',
      url: '/v1/quote',
      headers: partnerHeaders,
      text: () => '{"pair":"USD-IDR","side":"SELL","amount":"1","amount":"1000000"}',
      message: 'body has the key "amount" twice',
    },
    {
      name: 'a duplicate hidden behind an escape',
      url: '/v1/quote',
      headers: partnerHeaders,
      text: () => '{"pair":"USD-IDR","side":"SELL","amount":"1","\\u0061mount":"1000000"}',
      message: 'body has the key "amount" twice',
    },
    {
      name: 'a nested duplicate',
      url: '/admin/v1/partners',
      headers: adminHeaders,
      text: () => '{"name":"N","type":"LP","limits":{"monthly_usd":"1","monthly_usd":"2"}}',
      message: 'body/limits has the key "monthly_usd" twice',
    },
  ]
  for (const row of bodies) {
    it(`refuses ${row.name}`, async () => {
      const url = row.url.replace('PARTNER', partner.id)
      refused(await send('POST', url, row.text(), row.headers()), row.message)
    })
  }

  const urls: { name: string; url: string; message: string }[] = [
    {
      name: 'NUL in a query value',
      url: '/v1/quote?pair=USD-IDR&side=SELL&amount=1%00',
      message: 'querystring/amount contains a control character (U+0000)',
    },
    {
      name: 'a C1 control, UTF-8 encoded, in a query value',
      url: '/v1/executions?cursor=%C2%851',
      message: 'querystring/cursor contains a control character (U+0085)',
    },
    {
      name: 'a control character in a query name',
      url: '/v1/executions?a%01=1',
      message: 'querystring has a parameter name with a control character (U+0001)',
    },
    {
      name: 'a repeated query value with a control character',
      url: '/v1/executions?limit=1&limit=%1b',
      message: 'querystring/limit contains a control character (U+001B)',
    },
    {
      name: 'NUL in a path parameter',
      url: '/v1/executions/exe%00cute',
      message: 'params/id contains a control character (U+0000)',
    },
    {
      name: 'DEL in a path parameter',
      url: '/v1/executions/%7F',
      message: 'params/id contains a control character (U+007F)',
    },
    {
      name: 'a surrogate encoded as UTF-8 (invalid) in a path parameter',
      url: '/v1/executions/%ED%A0%80',
      message: 'the URL has a malformed percent-encoding',
    },
  ]
  for (const row of urls) {
    it(`refuses ${row.name}`, async () => refused(await get(app, partner, row.url), row.message))
  }

  it('refuses control characters in an admin query too', async () => {
    refused(
      await app.admin('GET', '/admin/v1/audit?target_id=abc%0D%0Aforged'),
      'querystring/target_id contains a control character (U+000D)',
    )
  })

  it('still takes ordinary text: accents, emoji, a tab-free label', async () => {
    const response = await send(
      'POST',
      `/admin/v1/partners/${partner.id}/wallets`,
      `{"address":"${ADDRESS}","label":"Trésorerie 🏦 \\u00e9"}`,
      adminHeaders(),
    )
    assert.equal(response.statusCode, 201, response.body)
    assert.equal(response.json().label, 'Trésorerie 🏦 é')
  })
})
