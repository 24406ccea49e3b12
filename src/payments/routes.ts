import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import type { FastifyReply } from 'fastify'
import { Type } from 'typebox'
import { partnerOf } from '../http/auth.ts'
import { ERROR_RESPONSES, errorBody, sendFailure } from '../http/errors.ts'
import { EnvironmentSchema, OneOf, Strict, UuidText } from '../http/schemas.ts'
import type { Recorder } from '../store/outcome.ts'
import { RAILS } from './beneficiary.ts'
import { ANSWER_STATUSES } from './model.ts'
import type { PaymentFailure, PaymentService } from './service.ts'

/** Checked field by field by src/payments/beneficiary.ts, which reports every problem with its field. */
const BeneficiaryInput = Type.Object({}, { additionalProperties: true, maxProperties: 20 })
/** IVMS101, checked by src/payments/travel-rule.ts. */
const TravelRuleInput = Type.Object({}, { additionalProperties: true, maxProperties: 10 })
const Loose = Type.Object({}, { additionalProperties: true })

const IDS = {
  execution_id: 'b46c2bdc-e206-4461-9db7-c505b03fea91',
  payment_id: '4b69136e-0b94-4878-9481-01b0bcf8ebd7',
  uetr: 'd755ca25-2cb8-4e1e-a214-11a85a0a0e77',
}
const header = (message_type: string, iso_model: string, message_id: string) => ({
  message_type,
  iso_model,
  message_id,
  ...IDS,
  creation_date_time: '2026-12-03T09:00:00.000Z',
})
const BANK = { name: 'Budi Santoso', country: 'ID', account_number: '1234567890', bic: 'CENAIDJA' }
/** One of each message type, for the OpenAPI document (the README's catalogue has the same). */
const EXAMPLE_MESSAGES = [
  {
    ...header('beneficiary_validation_request', 'acmt.023', '6704fa0e-fe21-4469-95d2-d54beb8f06d8'),
    local_instrument: 'BANK_TRANSFER',
    party: { name: 'Budi Santoso', country: 'ID' },
    account: BANK,
  },
  {
    ...header('beneficiary_validation_result', 'acmt.024', '26f2c97e-4510-4148-82bc-6b71f135b331'),
    original_message_id: '6704fa0e-fe21-4469-95d2-d54beb8f06d8',
    verification: true,
    errors: [],
  },
  {
    ...header('deposit_confirmation', 'camt.054', 'c8b88897-d359-4916-b858-bf1948c36e3f'),
    account_owner: { partner_id: '06c95774-f409-4eef-bd3e-05b0a312c665', name: 'Jakarta Payout' },
    entry: {
      amount: { value: '24346989.83', currency: 'IDRX' },
      credit_debit_indicator: 'CRDT',
      status: 'BOOK',
      booking_date_time: '2026-12-03T08:59:58.000Z',
      account_servicer_reference: '0x42caa48342bca6189e16d25025182bab2d167ae9a2b9d7a22d16336ae745322f',
    },
  },
  {
    ...header('payment_instruction', 'pacs.008', '60d9174c-b051-4651-aaa3-4ceea60c9c89'),
    payment_identification: { end_to_end_id: 'REMIT-2026-0001', uetr: IDS.uetr },
    payment_type_information: { local_instrument: 'BANK_TRANSFER' },
    instructed_amount: { value: '24346989.83', currency: 'IDR' },
    interbank_settlement_amount: { value: '24346989.83', currency: 'IDRX' },
    debtor: { partner_id: '66dcee40-c143-4dee-a0cc-10e3f7e61cb1', name: 'Lion City Ramp' },
    debtor_agent: { partner_id: '66dcee40-c143-4dee-a0cc-10e3f7e61cb1', name: 'Lion City Ramp' },
    creditor_agent: {
      partner_id: '06c95774-f409-4eef-bd3e-05b0a312c665',
      name: 'Jakarta Payout',
      bicfi: 'CENAIDJA',
    },
    creditor: { name: 'Budi Santoso', postal_address: { country: 'ID' } },
    creditor_account: { other: { identification: '1234567890', scheme_name: 'BBAN' } },
    remittance_information: { unstructured: 'Family support December' },
    travel_rule: { included: true },
  },
  {
    ...header('payment_status', 'pacs.002', '9dce93d1-5729-44c2-bb3a-4a35f0808420'),
    original_message_id: '60d9174c-b051-4651-aaa3-4ceea60c9c89',
    original_end_to_end_id: 'REMIT-2026-0001',
    transaction_status: 'RJCT',
    status_reason_information: {
      reason: 'AC04',
      description: 'ClosedAccountNumber: the account is closed',
      additional_information: null,
    },
    instructing_agent: { partner_id: '06c95774-f409-4eef-bd3e-05b0a312c665', name: 'Jakarta Payout' },
  },
  {
    ...header('rollback_signal', 'camt.056', 'aefa23cd-cb2a-4445-bbd1-af9eaff885df'),
    original_end_to_end_id: 'REMIT-2026-0001',
    original_message_id: '9dce93d1-5729-44c2-bb3a-4a35f0808420',
    cancellation_reason: { reason: 'AC04', description: 'ClosedAccountNumber: the account is closed' },
    execution_reversal: {
      status: 'REVERSED',
      reversal_entry_id: '412',
      returned_asset: 'USDT',
      returned_amount: '1500',
    },
  },
]

const EXAMPLE_TRAVEL_RULE = {
  originator: {
    originatorPersons: [
      {
        naturalPerson: {
          name: {
            nameIdentifier: [
              { primaryIdentifier: 'Tan', secondaryIdentifier: 'Mei Ling', nameIdentifierType: 'LEGL' },
            ],
          },
          geographicAddress: [
            {
              addressType: 'HOME',
              streetName: 'Orchard Road',
              buildingNumber: '391',
              postCode: '238872',
              townName: 'Singapore',
              country: 'SG',
            },
          ],
        },
      },
    ],
    accountNumber: ['0x8ba1f109551bd432803012645ac136ddd64dba72'],
  },
  beneficiary: {
    beneficiaryPersons: [
      {
        naturalPerson: {
          name: {
            nameIdentifier: [
              { primaryIdentifier: 'Santoso', secondaryIdentifier: 'Budi', nameIdentifierType: 'LEGL' },
            ],
          },
        },
      },
    ],
    accountNumber: ['1234567890'],
  },
}

const FieldErrorSchema = Type.Object({ field: Type.String(), code: Type.String(), message: Type.String() })

/** SPEC §3 error body plus the field-level errors of an instruction (issue 13). */
const FieldErrorsBody = Type.Object({
  error: Type.Object({
    code: Type.String(),
    message: Type.String(),
    corridor: Type.Optional(Type.String()),
    timestamp: Type.String(),
    request_id: Type.String(),
    errors: Type.Optional(Type.Array(FieldErrorSchema)),
  }),
})

const RESPONSES = { ...ERROR_RESPONSES, 400: FieldErrorsBody }

const PaymentSchema = Type.Object({
  payment_id: Type.String(),
  execution_id: Type.String(),
  uetr: Type.String(),
  end_to_end_id: Type.String(),
  originator_partner_id: Type.String(),
  off_ramp_partner_id: Type.String(),
  rail: Type.String(),
  beneficiary: Loose,
  amount: Type.Object({ value: Type.String(), currency: Type.String() }),
  settlement_amount: Type.Object({ value: Type.String(), asset: Type.String() }),
  remittance_information: Type.Union([Type.String(), Type.Null()]),
  status: Type.String({ description: 'RCVD, then the last ISO status received: ACCP, ACSP, ACSC or RJCT' }),
  reason: Type.Union([Type.String(), Type.Null()]),
  rollback: Type.Union([Type.String(), Type.Null()]),
  answer_by: Type.Union([Type.String(), Type.Null()]),
  travel_rule: Type.Union([Loose, Type.Null()]),
  messages: Type.Array(Loose, {
    description: 'the message history, oldest first: one message per type shown',
    examples: [EXAMPLE_MESSAGES],
  }),
  created_at: Type.String(),
  updated_at: Type.String(),
})

const ValidationSchema = Type.Object({
  valid: Type.Boolean(),
  errors: Type.Array(FieldErrorSchema),
  rail: Type.String(),
  beneficiary: Type.Union([Loose, Type.Null()]),
  messages: Type.Array(Loose),
})

function sendPaymentFailure(reply: FastifyReply, failure: PaymentFailure) {
  if (failure.errors === undefined) return sendFailure(reply, failure)
  reply.failureCode = failure.code
  const body = errorBody(failure, reply.request.id)
  return reply.code(400).send({ error: { ...body.error, errors: failure.errors } })
}

/** Issue 13: beneficiary validation and payment instructions between partners (partner keys, idempotent POSTs). */
export const paymentRoutes: FastifyPluginAsyncTypebox<{
  payments: PaymentService
  recorder: Recorder
}> = async (app, { payments, recorder }) => {
  app.post(
    '/v1/beneficiaries/validate',
    {
      schema: {
        tags: ['payments'],
        summary: 'Validate a beneficiary (IBAN, BIC, local account and wallet formats): 200 {valid, errors}',
        body: Type.Object(
          { beneficiary: BeneficiaryInput, rail: Type.Optional(OneOf(RAILS)) },
          {
            additionalProperties: false,
            examples: [
              { beneficiary: BANK },
              {
                beneficiary: {
                  name: 'Anna Schmidt',
                  country: 'DE',
                  iban: 'DE89 3704 0044 0532 0130 00',
                  bic: 'DEUTDEFF',
                },
              },
              {
                beneficiary: {
                  name: 'Tan Mei Ling',
                  country: 'SG',
                  wallet_provider: 'PAYNOW',
                  wallet_id: '+6591234567',
                },
                rail: 'E_WALLET',
              },
            ],
          },
        ),
        response: { 200: ValidationSchema, ...RESPONSES },
      },
    },
    async (request) =>
      payments.validate(partnerOf(request).environment, {
        beneficiary: request.body.beneficiary,
        ...(request.body.rail === undefined ? {} : { rail: request.body.rail }),
      }),
  )

  app.post(
    '/v1/payments',
    {
      schema: {
        tags: ['payments'],
        summary:
          'Attach a payment instruction to an execution: validated, stored, relayed to the off-ramp partner',
        body: Type.Object(
          {
            execution_id: Type.String({ maxLength: 64 }),
            off_ramp_partner_id: Type.String({ maxLength: 64 }),
            rail: OneOf(RAILS),
            beneficiary: BeneficiaryInput,
            travel_rule: Type.Optional(TravelRuleInput),
            // ISO 20022 Max35Text and Max140Text.
            end_to_end_id: Type.Optional(
              Type.String({ minLength: 1, maxLength: 35, pattern: '^[A-Za-z0-9/\\-?:().,+ ]+$' }),
            ),
            remittance_information: Type.Optional(Type.String({ minLength: 1, maxLength: 140 })),
          },
          {
            additionalProperties: false,
            examples: [
              {
                execution_id: IDS.execution_id,
                off_ramp_partner_id: '06c95774-f409-4eef-bd3e-05b0a312c665',
                rail: 'BANK_TRANSFER',
                beneficiary: BANK,
                end_to_end_id: 'REMIT-2026-0001',
                remittance_information: 'Family support December',
                travel_rule: EXAMPLE_TRAVEL_RULE,
              },
            ],
          },
        ),
        response: { 201: PaymentSchema, ...RESPONSES },
      },
    },
    async (request, reply) => {
      const body = request.body
      const result = await payments.create(
        partnerOf(request),
        {
          executionId: body.execution_id,
          offRampPartnerId: body.off_ramp_partner_id,
          rail: body.rail,
          beneficiary: body.beneficiary,
          ...(body.travel_rule === undefined ? {} : { travelRule: body.travel_rule }),
          ...(body.end_to_end_id === undefined ? {} : { endToEndId: body.end_to_end_id }),
          ...(body.remittance_information === undefined
            ? {}
            : { remittanceInformation: body.remittance_information }),
        },
        recorder(request),
      )
      if (!result.ok) return sendPaymentFailure(reply, result)
      return reply.code(201).send(result.value)
    },
  )

  app.post(
    '/v1/payments/:id/status',
    {
      schema: {
        tags: ['payments'],
        summary:
          'The off-ramp partner reports a status (pacs.002: ACCP, ACSP, ACSC, RJCT with a reason code)',
        params: Strict({ id: Type.String({ maxLength: 64 }) }),
        body: Type.Object(
          {
            status: OneOf(ANSWER_STATUSES),
            reason: Type.Optional(Type.String({ pattern: '^[A-Z0-9]{4}$' })),
            additional_information: Type.Optional(Type.String({ minLength: 1, maxLength: 140 })),
          },
          { additionalProperties: false, examples: [{ status: 'ACSP' }, { status: 'RJCT', reason: 'AC04' }] },
        ),
        response: { 200: PaymentSchema, ...RESPONSES },
      },
    },
    async (request, reply) => {
      const result = await payments.answer(
        partnerOf(request),
        request.params.id,
        {
          status: request.body.status,
          reason: request.body.reason,
          additionalInformation: request.body.additional_information,
        },
        recorder(request),
      )
      if (!result.ok) return sendFailure(reply, result)
      return result.value
    },
  )

  app.get(
    '/v1/payments/:id',
    {
      schema: {
        tags: ['payments'],
        summary: 'A payment and its message history, for its two partners (anyone else: 404)',
        params: Strict({ id: Type.String({ maxLength: 64 }) }),
        response: { 200: PaymentSchema, ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const result = await payments.get(partnerOf(request), request.params.id)
      if (!result.ok) return sendFailure(reply, result)
      return result.value
    },
  )
}

/** Issue 13: the operator's view of a payment, its Travel Rule data redacted (admin token). */
export const paymentAdminRoutes: FastifyPluginAsyncTypebox<{ payments: PaymentService }> = async (
  app,
  { payments },
) => {
  app.get(
    '/admin/v1/payments/:id',
    {
      schema: {
        tags: ['admin'],
        summary: 'A payment and its message history; Travel Rule data redacted',
        params: Strict({ id: UuidText }),
        querystring: Strict({ environment: Type.Optional(EnvironmentSchema) }),
        response: { 200: PaymentSchema, ...ERROR_RESPONSES },
      },
    },
    async (request, reply) => {
      const result = await payments.getForOperator(request.query.environment ?? 'live', request.params.id)
      if (!result.ok) return sendFailure(reply, result)
      return result.value
    },
  )
}
