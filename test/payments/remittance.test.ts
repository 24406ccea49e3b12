/**
 * Issue 13 over HTTP, on SQLite and PostgreSQL: a remittance between two
 * sandbox partners. The Singapore on-ramp swaps USDT → IDRX to the Jakarta
 * off-ramp's wallet and attaches a payment instruction (beneficiary, rail,
 * IVMS101 Travel Rule data); stablefx validates, stores and relays it as a
 * signed `payment.instruction` webhook (verified here with the
 * `standardwebhooks` package); the off-ramp answers pacs.002 statuses that
 * reach the originator as `payment.status`. A rejection after execution sends
 * the rollback signal and reverses the execution where its funds are still
 * on the platform. The Travel Rule data is seen by the two partners only,
 * sealed at rest, and in no log line, event or webhook.
 */
import assert from 'node:assert/strict'
import { it } from 'node:test'
import { verifyLedger } from '../../src/ledger/verify.ts'
import { validateTravelRule } from '../../src/payments/travel-rule.ts'
import { describeEachDialect } from '../support/databases.ts'
import { balanceOf } from '../trading/support.ts'
import type { Receiver } from '../webhooks/support.ts'
import { runWorker } from '../webhooks/support.ts'
import { TRAVEL_RULE } from './fixtures.ts'
import {
  call,
  OFF_RAMP_WALLET,
  openRemittance,
  type Remittance,
  STALL_ADDRESS,
  swapToIdrx,
} from './support.ts'

const T = { timeout: 60_000 }

const BANK = { name: 'Budi Santoso', country: 'ID', account_number: '1234567890', bic: 'CENAIDJA' }
/** Strings of the Travel Rule payload that must never appear outside the two partners' views. */
const SECRET_TEXTS = ['Mei Ling', 'Orchard Road', '238872', '1988-04-12']

function paymentEvents(receiver: Receiver, type: string) {
  return receiver
    .events()
    .filter((r) => JSON.parse(r.body).event === type)
    .map((r) => {
      assert.ok(r.verified.ok, `a ${type} delivery failed Standard Webhooks verification`)
      return r.verified.payload
    })
}

const types = (messages: { message_type: string }[]) => messages.map((m) => m.message_type)

async function deliverAll(remittance: Remittance) {
  await runWorker(remittance.app)
}

describeEachDialect('payments between partners', ({ store }) => {
  it('a full remittance: validated, relayed signed, answered ACCP → ACSP → ACSC', T, async (t) => {
    const r = await openRemittance(store())
    t.after(() => r.close())
    const { app, originator, offRamp, third } = r
    const execution = await swapToIdrx(app, originator, '1500')
    assert.equal(execution.status, 'SETTLED')
    const body = {
      execution_id: execution.execution_id,
      off_ramp_partner_id: offRamp.id,
      rail: 'BANK_TRANSFER',
      beneficiary: BANK,
      remittance_information: 'Family support November',
    }

    // $1,500 is above the Travel Rule threshold: refused without it, with the field named, nothing written.
    const missing = await call(app, originator, 'POST', '/v1/payments', body)
    assert.equal(missing.statusCode, 400, missing.body)
    assert.equal(missing.json().error.code, 'VALIDATION_ERROR')
    assert.deepEqual(
      missing.json().error.errors.map((e: { field: string; code: string }) => `${e.field}:${e.code}`),
      ['travel_rule:REQUIRED'],
    )
    const badBeneficiary = await call(app, originator, 'POST', '/v1/payments', {
      ...body,
      beneficiary: { ...BANK, account_number: '12AB', bic: 'CENAXXJA' },
      travel_rule: TRAVEL_RULE,
    })
    assert.equal(badBeneficiary.statusCode, 400)
    assert.deepEqual(
      badBeneficiary.json().error.errors.map((e: { field: string; code: string }) => `${e.field}:${e.code}`),
      ['beneficiary.bic:BIC_COUNTRY', 'beneficiary.account_number:ACCOUNT_FORMAT'],
    )
    const count = await store()
      .kysely.selectFrom('payments')
      .select('payment_id')
      .where('execution_id', '=', execution.execution_id)
      .execute()
    assert.equal(count.length, 0)

    const created = await call(
      app,
      originator,
      'POST',
      '/v1/payments',
      { ...body, travel_rule: TRAVEL_RULE },
      {
        'idempotency-key': `remit-${execution.execution_id}`,
      },
    )
    assert.equal(created.statusCode, 201, created.body)
    const payment = created.json()
    assert.equal(payment.status, 'RCVD')
    assert.equal(payment.off_ramp_partner_id, offRamp.id)
    assert.deepEqual(payment.amount, { value: execution.destination_amount, currency: 'IDR' })
    assert.deepEqual(payment.settlement_amount, { value: execution.destination_amount, asset: 'IDRX' })
    assert.deepEqual(payment.beneficiary, BANK)
    assert.deepEqual(payment.travel_rule, TRAVEL_RULE)
    assert.match(payment.uetr, /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    assert.deepEqual(types(payment.messages), [
      'beneficiary_validation_request',
      'beneficiary_validation_result',
      'deposit_confirmation',
      'payment_instruction',
    ])
    for (const message of payment.messages) {
      assert.equal(message.execution_id, execution.execution_id)
      assert.equal(message.uetr, payment.uetr)
      assert.equal(message.creation_date_time, '2026-11-23T00:00:00.000Z')
    }
    const instruction = payment.messages[3]
    assert.equal(instruction.iso_model, 'pacs.008')
    assert.deepEqual(instruction.creditor_account, {
      other: { identification: '1234567890', scheme_name: 'BBAN' },
    })
    assert.equal(instruction.creditor_agent.bicfi, 'CENAIDJA')
    assert.deepEqual(instruction.remittance_information, { unstructured: 'Family support November' })
    assert.equal(payment.messages[2].entry.account_servicer_reference.length, 66)

    // A retry with the same key answers the same payment; without one the execution is taken.
    const replay = await call(
      app,
      originator,
      'POST',
      '/v1/payments',
      { ...body, travel_rule: TRAVEL_RULE },
      {
        'idempotency-key': `remit-${execution.execution_id}`,
      },
    )
    assert.equal(replay.statusCode, 201)
    assert.equal(replay.json().payment_id, payment.payment_id)
    const again = await call(app, originator, 'POST', '/v1/payments', { ...body, travel_rule: TRAVEL_RULE })
    assert.equal(again.statusCode, 409)
    assert.equal(again.json().error.code, 'CONFLICT')

    // The off-ramp receives the instruction signed; the Travel Rule data is not in it, only that it is attached.
    await deliverAll(r)
    const [relayed, ...more] = paymentEvents(r.offRampHooks, 'payment.instruction')
    assert.equal(more.length, 0)
    assert.ok(relayed)
    assert.equal(relayed.data.payment_id, payment.payment_id)
    assert.equal(relayed.data.travel_rule_included, true)
    assert.deepEqual(relayed.data.instruction, instruction)
    assert.deepEqual(relayed.data.deposit_confirmation, payment.messages[2])
    assert.equal(paymentEvents(r.originatorHooks, 'payment.instruction').length, 0)

    // The off-ramp reads the instruction with the Travel Rule data; a third partner learns nothing.
    const seen = await call(app, offRamp, 'GET', `/v1/payments/${payment.payment_id}`)
    assert.equal(seen.statusCode, 200)
    assert.deepEqual(seen.json().travel_rule, TRAVEL_RULE)
    for (const [method, url, payload] of [
      ['GET', `/v1/payments/${payment.payment_id}`, undefined],
      ['POST', `/v1/payments/${payment.payment_id}/status`, { status: 'ACCP' }],
    ] as const) {
      const refused = await call(app, third, method, url, payload)
      assert.equal(refused.statusCode, 404, refused.body)
      assert.equal(refused.json().error.code, 'NOT_FOUND')
      assert.ok(!SECRET_TEXTS.some((text) => refused.body.includes(text)))
    }
    const byOriginator = await call(app, originator, 'POST', `/v1/payments/${payment.payment_id}/status`, {
      status: 'ACSC',
    })
    assert.equal(byOriginator.statusCode, 403)

    for (const status of ['ACCP', 'ACSP', 'ACSC']) {
      const answered = await call(app, offRamp, 'POST', `/v1/payments/${payment.payment_id}/status`, {
        status,
      })
      assert.equal(answered.statusCode, 200, answered.body)
      assert.equal(answered.json().status, status)
    }
    const late = await call(app, offRamp, 'POST', `/v1/payments/${payment.payment_id}/status`, {
      status: 'RJCT',
      reason: 'AC04',
    })
    assert.equal(late.statusCode, 409)

    await deliverAll(r)
    const statuses = paymentEvents(r.originatorHooks, 'payment.status')
    assert.deepEqual(
      statuses.map((e) => [e.data.status, e.data.reason]),
      [
        ['ACCP', null],
        ['ACSP', null],
        ['ACSC', null],
      ],
    )
    assert.equal(paymentEvents(r.offRampHooks, 'payment.status').length, 0)
    const final = await call(app, originator, 'GET', `/v1/payments/${payment.payment_id}`)
    assert.equal(final.json().status, 'ACSC')
    assert.equal(final.json().answer_by, null)
    assert.deepEqual(types(final.json().messages).slice(4), [
      'payment_status',
      'payment_status',
      'payment_status',
    ])
    const report = final.json().messages[6]
    assert.equal(report.iso_model, 'pacs.002')
    assert.equal(report.original_message_id, instruction.message_id)
    assert.deepEqual(report.instructing_agent, { partner_id: offRamp.id, name: 'Jakarta Payout' })
  })

  it(
    'a rejection with a reason code rolls the execution back while its funds are on the platform',
    T,
    async (t) => {
      const r = await openRemittance(store())
      t.after(() => r.close())
      const { app, originator, offRamp } = r
      // The settling node stalls: the swap is booked, nothing was sent, the execution stays PENDING.
      const execution = await swapToIdrx(app, originator, '500', STALL_ADDRESS)
      assert.equal(execution.status, 'PENDING')
      assert.equal(await balanceOf(app, originator, 'USDT'), '0')
      // Its settlement claim ran out (the node is gone): recovery could take it, and so can a rollback.
      await store()
        .kysely.updateTable('executions')
        .set({ claim_until: 0n })
        .where('execution_id', '=', execution.execution_id)
        .execute()

      // $500 is below the Travel Rule threshold: no travel_rule needed.
      const created = await call(app, originator, 'POST', '/v1/payments', {
        execution_id: execution.execution_id,
        off_ramp_partner_id: offRamp.id,
        rail: 'E_WALLET',
        beneficiary: {
          name: 'Budi Santoso',
          country: 'ID',
          wallet_provider: 'GOPAY',
          wallet_id: '081234567890',
        },
      })
      assert.equal(created.statusCode, 201, created.body)
      const payment = created.json()
      assert.equal(payment.travel_rule, null)
      // Nothing settled yet: no deposit confirmation.
      assert.deepEqual(types(payment.messages), [
        'beneficiary_validation_request',
        'beneficiary_validation_result',
        'payment_instruction',
      ])

      const rejected = await call(app, offRamp, 'POST', `/v1/payments/${payment.payment_id}/status`, {
        status: 'RJCT',
        reason: 'AC04',
      })
      assert.equal(rejected.statusCode, 200, rejected.body)
      const after = rejected.json()
      assert.equal(after.status, 'RJCT')
      assert.equal(after.reason, 'AC04')
      assert.equal(after.rollback, 'REVERSED')
      assert.deepEqual(types(after.messages).slice(3), ['payment_status', 'rollback_signal'])
      const [status, signal] = after.messages.slice(3)
      assert.deepEqual(status.status_reason_information, {
        reason: 'AC04',
        description: 'ClosedAccountNumber: the account is closed',
        additional_information: null,
      })
      assert.equal(signal.iso_model, 'camt.056')
      assert.equal(signal.original_message_id, status.message_id)
      assert.equal(signal.execution_reversal.status, 'REVERSED')
      assert.equal(signal.execution_reversal.returned_asset, 'USDT')
      assert.equal(signal.execution_reversal.returned_amount, '500')

      // The reversal: the USDT is back, the execution ROLLED_BACK, the ledger consistent.
      assert.equal(await balanceOf(app, originator, 'USDT'), '500')
      const executionNow = await call(app, originator, 'GET', `/v1/executions/${execution.execution_id}`)
      assert.equal(executionNow.json().status, 'ROLLED_BACK')
      assert.equal(executionNow.json().failure_reason, 'PAYMENT_REJECTED_AC04')
      assert.equal((await verifyLedger(store())).ok, true)
      // Recovery never settles it afterwards: it claims PENDING executions only.
      assert.equal(await app.stablefx.services.executions.recoverPending('sandbox', () => true), 0)

      await deliverAll(r)
      const [statusEvent] = paymentEvents(r.originatorHooks, 'payment.status')
      assert.deepEqual([statusEvent?.data.status, statusEvent?.data.reason], ['RJCT', 'AC04'])
      for (const hooks of [r.originatorHooks, r.offRampHooks]) {
        const rollbacks = paymentEvents(hooks, 'payment.rollback')
        assert.deepEqual(
          rollbacks.map((e) => [e.data.reason, e.data.execution_reversal]),
          [['AC04', 'REVERSED']],
        )
      }
      const [rolledBack] = paymentEvents(r.originatorHooks, 'execution.rolled_back')
      assert.equal(rolledBack?.data.execution_id, execution.execution_id)
      assert.equal(rolledBack?.data.returned_amount, '500')
      assert.equal(paymentEvents(r.offRampHooks, 'execution.rolled_back').length, 0)
    },
  )

  it('a rejection after settlement on chain signals the rollback and books nothing', T, async (t) => {
    const r = await openRemittance(store())
    t.after(() => r.close())
    const { app, originator, offRamp } = r
    const execution = await swapToIdrx(app, originator, '200')
    const created = await call(app, originator, 'POST', '/v1/payments', {
      execution_id: execution.execution_id,
      off_ramp_partner_id: offRamp.id,
      rail: 'BANK_TRANSFER',
      beneficiary: BANK,
    })
    assert.equal(created.statusCode, 201, created.body)
    const rejected = await call(app, offRamp, 'POST', `/v1/payments/${created.json().payment_id}/status`, {
      status: 'RJCT',
      reason: 'BE01',
    })
    assert.equal(rejected.statusCode, 200, rejected.body)
    assert.equal(rejected.json().rollback, 'NOT_REVERSIBLE')
    const signal = rejected.json().messages.at(-1)
    assert.deepEqual(signal.execution_reversal.status, 'NOT_REVERSIBLE')
    assert.match(signal.execution_reversal.detail, new RegExp(`settled on chain to ${OFF_RAMP_WALLET}`, 'i'))
    assert.equal(await balanceOf(app, originator, 'USDT'), '0')
    const executionNow = await call(app, originator, 'GET', `/v1/executions/${execution.execution_id}`)
    assert.equal(executionNow.json().status, 'SETTLED')
  })

  it('an unanswered instruction is rejected AB05 after 24 hours', T, async (t) => {
    const r = await openRemittance(store())
    t.after(() => r.close())
    const { app, originator, offRamp } = r
    const execution = await swapToIdrx(app, originator, '100')
    const created = await call(app, originator, 'POST', '/v1/payments', {
      execution_id: execution.execution_id,
      off_ramp_partner_id: offRamp.id,
      rail: 'BANK_TRANSFER',
      beneficiary: BANK,
    })
    const payment = created.json()
    assert.equal(payment.answer_by, '2026-11-24T00:00:00.000Z')
    const payments = app.stablefx.services.payments
    app.clock.advance(24 * 3600 * 1000 - 1)
    assert.equal(await payments.expireUnanswered('sandbox'), 0)
    app.clock.advance(1)
    assert.equal(await payments.expireUnanswered('sandbox'), 1)
    assert.equal(await payments.expireUnanswered('sandbox'), 0)
    const after = await call(app, offRamp, 'GET', `/v1/payments/${payment.payment_id}`)
    assert.equal(after.json().status, 'RJCT')
    assert.equal(after.json().reason, 'AB05')
    assert.deepEqual(after.json().messages.at(-2).instructing_agent, {
      partner_id: 'stablefx',
      name: 'stablefx',
    })
    const late = await call(app, offRamp, 'POST', `/v1/payments/${payment.payment_id}/status`, {
      status: 'ACCP',
    })
    assert.equal(late.statusCode, 409)
  })

  it('the off-ramp configuration routes: rails, countries, settlement currency', T, async (t) => {
    const r = await openRemittance(store())
    t.after(() => r.close())
    const { app, originator, offRamp } = r
    const patched = await app.admin('PATCH', `/admin/v1/partners/${offRamp.id}`, {
      payout_rails: ['E_WALLET'],
      payout_countries: ['ID'],
      settlement_currencies: [{ corridor: 'USD-IDR', asset: 'IDRX' }],
    })
    assert.equal(patched.statusCode, 200, patched.body)
    assert.deepEqual(patched.json().payout_rails, ['E_WALLET'])
    assert.deepEqual(patched.json().settlement_currencies, [{ corridor: 'USD-IDR', asset: 'IDRX' }])
    const execution = await swapToIdrx(app, originator, '100')
    const body = { execution_id: execution.execution_id, off_ramp_partner_id: offRamp.id }
    const byBank = await call(app, originator, 'POST', '/v1/payments', {
      ...body,
      rail: 'BANK_TRANSFER',
      beneficiary: BANK,
    })
    assert.equal(byBank.statusCode, 400)
    assert.match(byBank.json().error.message, /does not pay out by BANK_TRANSFER/)
    const wallet = { name: 'Budi Santoso', country: 'ID', wallet_provider: 'OVO', wallet_id: '081234567890' }
    // Two instructions for one execution at once: one is taken, the other finds it taken (never a 5xx).
    const both = await Promise.all(
      [0, 1].map(() =>
        call(app, originator, 'POST', '/v1/payments', { ...body, rail: 'E_WALLET', beneficiary: wallet }),
      ),
    )
    assert.deepEqual(both.map((response) => response.statusCode).sort(), [201, 409])
    const unknown = await call(app, originator, 'POST', '/v1/payments', {
      ...body,
      off_ramp_partner_id: '00000000-0000-4000-8000-000000000000',
      rail: 'E_WALLET',
      beneficiary: wallet,
    })
    assert.equal(unknown.statusCode, 404)
  })

  it(
    'the Travel Rule data is sealed at rest, redacted for the operator, absent from events and logs',
    T,
    async (t) => {
      const r = await openRemittance(store())
      t.after(() => r.close())
      const { app, originator, offRamp } = r
      const execution = await swapToIdrx(app, originator, '1200')
      const created = await call(app, originator, 'POST', '/v1/payments', {
        execution_id: execution.execution_id,
        off_ramp_partner_id: offRamp.id,
        rail: 'BANK_TRANSFER',
        beneficiary: BANK,
        travel_rule: TRAVEL_RULE,
      })
      assert.equal(created.statusCode, 201, created.body)
      const id = created.json().payment_id
      await call(app, offRamp, 'POST', `/v1/payments/${id}/status`, { status: 'RJCT', reason: 'RR04' })
      await deliverAll(r)

      const operator = await app.admin('GET', `/admin/v1/payments/${id}?environment=sandbox`)
      assert.equal(operator.statusCode, 200)
      assert.deepEqual(operator.json().travel_rule, { redacted: true })
      const row = await store()
        .kysely.selectFrom('payments')
        .select('travel_rule')
        .where('payment_id', '=', id)
        .executeTakeFirstOrThrow()
      assert.match(row.travel_rule ?? '', /^v1\./)
      const stored = [
        row.travel_rule ?? '',
        ...(await store().kysely.selectFrom('events').select('data').execute()).map((e) => e.data),
        ...(await store().kysely.selectFrom('payment_messages').select('body').execute()).map((m) => m.body),
        ...[...r.originatorHooks.received, ...r.offRampHooks.received].map((d) => d.body),
        operator.body,
      ]
      // The capture works: the requests of this test were logged (at debug), their routes named.
      assert.ok(
        app.logs.some((line) => line.includes('/v1/payments/:id/status')),
        'the log capture saw the requests',
      )
      for (const text of SECRET_TEXTS) {
        assert.ok(!stored.some((s) => s.includes(text)), `${text} stored or sent in clear`)
        assert.ok(!app.logs.some((line) => line.includes(text)), `${text} in a log line`)
      }
    },
  )

  it('POST /v1/beneficiaries/validate answers {valid, errors} with the acmt messages', T, async (t) => {
    const r = await openRemittance(store())
    t.after(() => r.close())
    const good = await call(r.app, r.originator, 'POST', '/v1/beneficiaries/validate', {
      beneficiary: {
        name: 'Anna Schmidt',
        country: 'DE',
        iban: 'de89 3704 0044 0532 0130 00',
        bic: 'deutdeff',
      },
    })
    assert.equal(good.statusCode, 200, good.body)
    assert.equal(good.json().valid, true)
    assert.deepEqual(good.json().errors, [])
    assert.deepEqual(good.json().beneficiary, {
      name: 'Anna Schmidt',
      country: 'DE',
      bic: 'DEUTDEFF',
      iban: 'DE89370400440532013000',
    })
    assert.deepEqual(types(good.json().messages), [
      'beneficiary_validation_request',
      'beneficiary_validation_result',
    ])
    const bad = await call(r.app, r.originator, 'POST', '/v1/beneficiaries/validate', {
      beneficiary: { name: 'Anna Schmidt', country: 'DE', iban: 'DE89370400440532013001' },
    })
    assert.equal(bad.statusCode, 200)
    assert.deepEqual(bad.json().valid, false)
    assert.deepEqual(bad.json().errors, [
      { field: 'iban', code: 'IBAN_CHECKSUM', message: 'the IBAN check digits are wrong (mod-97)' },
    ])
    assert.equal(bad.json().messages[1].verification, false)
    const wallet = await call(r.app, r.originator, 'POST', '/v1/beneficiaries/validate', {
      beneficiary: { name: 'Tan', country: 'SG', wallet_provider: 'PAYNOW', wallet_id: 'S1234567D' },
    })
    assert.equal(wallet.json().rail, 'E_WALLET')
    assert.equal(wallet.json().valid, true)
    const card = await call(r.app, r.originator, 'POST', '/v1/beneficiaries/validate', {
      beneficiary: { name: 'Ali', country: 'MY', card_number: '4111111111111111' },
      rail: 'CARD',
    })
    assert.equal(card.statusCode, 200)
    assert.deepEqual(
      card.json().errors.map((e: { field: string; code: string }) => `${e.field}:${e.code}`),
      ['card_number:NOT_ALLOWED', 'card_token:REQUIRED'],
    )
    assert.ok(!card.body.includes('4111111111111111'), 'a card number is never echoed')

    // The OpenAPI document carries the routes with examples: an instruction, statuses, one message of each type.
    const spec = (await r.app.inject({ method: 'GET', url: '/openapi.json' })).json()
    const create = spec.paths['/v1/payments'].post
    const example = create.requestBody.content['application/json'].example
    assert.equal(example.rail, 'BANK_TRANSFER')
    assert.ok(
      validateTravelRule(example.travel_rule).ok,
      'the documented Travel Rule example is valid IVMS101',
    )
    const messages =
      create.responses['201'].content['application/json'].schema.properties.messages.examples[0]
    assert.deepEqual(types(messages), [
      'beneficiary_validation_request',
      'beneficiary_validation_result',
      'deposit_confirmation',
      'payment_instruction',
      'payment_status',
      'rollback_signal',
    ])
    assert.ok(spec.paths['/v1/payments/{id}/status'].post)
    assert.ok(spec.paths['/v1/beneficiaries/validate'].post)
  })
})
