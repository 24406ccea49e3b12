import { randomUUID } from 'node:crypto'
import type { Beneficiary, FieldError, Rail } from './beneficiary.ts'
import { type AnswerStatus, REASON_CODES } from './model.ts'

/**
 * Issue 13 message templates (SPEC §11), modelled on ISO 20022: JSON with
 * the ISO element names in snake case. Every message carries a header with
 * its own id, the payment's UETR (a UUID v4, as SWIFT gpi's Unique End-to-end
 * Transaction Reference), the execution it belongs to, and its creation
 * time; the rest is the message's own. The README lists one example each.
 *
 * | message_type | ISO 20022 model | what it says |
 * |---|---|---|
 * | beneficiary_validation_request | acmt.023 IdentificationVerificationRequest | please verify this party and account |
 * | beneficiary_validation_result | acmt.024 IdentificationVerificationReport | verified, or the field-level errors |
 * | deposit_confirmation | camt.054 BankToCustomerDebitCreditNotification | the stablecoin of the execution was booked |
 * | payment_instruction | pacs.008 FIToFICustomerCreditTransfer | pay this beneficiary this amount |
 * | payment_status | pacs.002 FIToFIPaymentStatusReport | ACCP / ACSP / ACSC / RJCT with a reason |
 * | rollback_signal | camt.056 FIToFIPaymentCancellationRequest | the payment is off; what happened to the funds |
 */
export const MESSAGE_TYPES = [
  'beneficiary_validation_request',
  'beneficiary_validation_result',
  'deposit_confirmation',
  'payment_instruction',
  'payment_status',
  'rollback_signal',
] as const
export type MessageType = (typeof MESSAGE_TYPES)[number]

export const ISO_MODEL: Readonly<Record<MessageType, string>> = {
  beneficiary_validation_request: 'acmt.023',
  beneficiary_validation_result: 'acmt.024',
  deposit_confirmation: 'camt.054',
  payment_instruction: 'pacs.008',
  payment_status: 'pacs.002',
  rollback_signal: 'camt.056',
}

export type Header = {
  readonly message_type: MessageType
  readonly iso_model: string
  readonly message_id: string
  readonly uetr: string | null
  readonly execution_id: string | null
  readonly payment_id: string | null
  readonly creation_date_time: string
}

export type Message = Header & Record<string, unknown>

export type Party = { readonly partner_id: string; readonly name: string }

/** What the messages of one payment share. */
export type PaymentContext = {
  readonly paymentId: string
  readonly executionId: string
  readonly uetr: string
  readonly endToEndId: string
  readonly originator: Party
  readonly offRamp: Party
}

const iso = (ms: number) => new Date(ms).toISOString()

function header(
  type: MessageType,
  context: Partial<Pick<PaymentContext, 'paymentId' | 'executionId' | 'uetr'>>,
  atMs: number,
): Header {
  return {
    message_type: type,
    iso_model: ISO_MODEL[type],
    message_id: randomUUID(),
    uetr: context.uetr ?? null,
    execution_id: context.executionId ?? null,
    payment_id: context.paymentId ?? null,
    creation_date_time: iso(atMs),
  }
}

/** The creditor account as ISO names it: an IBAN, or another identification with its scheme. */
function creditorAccount(beneficiary: Beneficiary) {
  if (beneficiary.iban !== undefined) return { iban: beneficiary.iban }
  if (beneficiary.account_number !== undefined) {
    return { other: { identification: beneficiary.account_number, scheme_name: 'BBAN' } }
  }
  if (beneficiary.wallet_id !== undefined) {
    return {
      proxy: { identification: beneficiary.wallet_id, type: beneficiary.wallet_provider ?? null },
    }
  }
  return { other: { identification: beneficiary.card_token ?? null, scheme_name: 'CARD_TOKEN' } }
}

function creditor(beneficiary: Beneficiary) {
  return {
    name: beneficiary.name,
    postal_address: {
      country: beneficiary.country,
      ...(beneficiary.address === undefined ? {} : { address_line: [beneficiary.address] }),
    },
  }
}

export function validationRequest(
  input: { rail: Rail; beneficiary: Record<string, unknown> },
  context: Partial<PaymentContext>,
  atMs: number,
): Message {
  return {
    ...header('beneficiary_validation_request', context, atMs),
    local_instrument: input.rail,
    party: { name: input.beneficiary.name ?? null, country: input.beneficiary.country ?? null },
    account: input.beneficiary,
  }
}

export function validationResult(
  request: Header,
  outcome: { valid: boolean; errors: readonly FieldError[] },
  atMs: number,
): Message {
  return {
    ...header(
      'beneficiary_validation_result',
      {
        ...(request.payment_id === null ? {} : { paymentId: request.payment_id }),
        ...(request.execution_id === null ? {} : { executionId: request.execution_id }),
        ...(request.uetr === null ? {} : { uetr: request.uetr }),
      },
      atMs,
    ),
    original_message_id: request.message_id,
    verification: outcome.valid,
    errors: outcome.errors,
  }
}

export function depositConfirmation(
  context: PaymentContext,
  deposit: { asset: string; amount: string; txHash: string; settledAtMs: number },
  atMs: number,
): Message {
  return {
    ...header('deposit_confirmation', context, atMs),
    account_owner: context.offRamp,
    entry: {
      amount: { value: deposit.amount, currency: deposit.asset },
      credit_debit_indicator: 'CRDT',
      status: 'BOOK',
      booking_date_time: iso(deposit.settledAtMs),
      account_servicer_reference: deposit.txHash,
    },
  }
}

export function paymentInstruction(
  context: PaymentContext,
  payment: {
    rail: Rail
    beneficiary: Beneficiary
    asset: string
    fiat: string
    amount: string
    remittanceInformation: string | null
    travelRuleIncluded: boolean
  },
  atMs: number,
): Message {
  const { beneficiary } = payment
  return {
    ...header('payment_instruction', context, atMs),
    payment_identification: { end_to_end_id: context.endToEndId, uetr: context.uetr },
    payment_type_information: { local_instrument: payment.rail },
    // The payout in fiat, 1:1 against the stablecoin the execution delivered (SPEC §2.1 pegs).
    instructed_amount: { value: payment.amount, currency: payment.fiat },
    interbank_settlement_amount: { value: payment.amount, currency: payment.asset },
    debtor: context.originator,
    debtor_agent: context.originator,
    creditor_agent: {
      ...context.offRamp,
      ...(beneficiary.bic === undefined ? {} : { bicfi: beneficiary.bic }),
      ...(beneficiary.bank_name === undefined ? {} : { bank_name: beneficiary.bank_name }),
    },
    creditor: creditor(beneficiary),
    creditor_account: creditorAccount(beneficiary),
    remittance_information:
      payment.remittanceInformation === null ? null : { unstructured: payment.remittanceInformation },
    // The IVMS101 data itself never travels in a message (the outbox is not encrypted): the parties read it
    // from GET /v1/payments/{id}.
    travel_rule: { included: payment.travelRuleIncluded },
  }
}

export function paymentStatus(
  context: Pick<PaymentContext, 'paymentId' | 'executionId' | 'uetr' | 'endToEndId'>,
  instruction: { messageId: string },
  answer: { status: AnswerStatus; reason?: string | undefined; additionalInformation?: string | undefined },
  from: Party,
  atMs: number,
): Message {
  return {
    ...header('payment_status', context, atMs),
    original_message_id: instruction.messageId,
    original_end_to_end_id: context.endToEndId,
    transaction_status: answer.status,
    status_reason_information:
      answer.reason === undefined
        ? null
        : {
            reason: answer.reason,
            description: REASON_CODES[answer.reason] ?? null,
            additional_information: answer.additionalInformation ?? null,
          },
    instructing_agent: from,
  }
}

export type RollbackOutcome =
  | {
      readonly status: 'REVERSED'
      readonly reversalEntryId: string
      readonly returnedAsset: string
      readonly returnedAmount: string
    }
  | { readonly status: 'NOT_REVERSIBLE'; readonly detail: string }
  | { readonly status: 'ALREADY_REVERSED'; readonly detail: string }

export function rollbackSignal(
  context: Pick<PaymentContext, 'paymentId' | 'executionId' | 'uetr' | 'endToEndId'>,
  cause: { reason: string; statusMessageId: string },
  outcome: RollbackOutcome,
  atMs: number,
): Message {
  return {
    ...header('rollback_signal', context, atMs),
    original_end_to_end_id: context.endToEndId,
    original_message_id: cause.statusMessageId,
    cancellation_reason: { reason: cause.reason, description: REASON_CODES[cause.reason] ?? null },
    execution_reversal:
      outcome.status === 'REVERSED'
        ? {
            status: 'REVERSED',
            reversal_entry_id: outcome.reversalEntryId,
            returned_asset: outcome.returnedAsset,
            returned_amount: outcome.returnedAmount,
          }
        : { status: outcome.status, detail: outcome.detail },
  }
}
