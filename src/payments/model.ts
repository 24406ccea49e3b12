import { fail, ok, type Result } from '../errors.ts'

/**
 * Issue 13 payment lifecycle, pure. A payment instruction is relayed to the
 * off-ramp partner with status RCVD (received by stablefx, not yet
 * answered); the off-ramp answers with pacs.002 transaction status codes
 * (ISO 20022 ExternalPaymentTransactionStatus1Code), and the payment's
 * status is the last code received:
 *
 * - ACCP AcceptedCustomerProfile: the off-ramp accepted the instruction (beneficiary checked)
 * - ACSP AcceptedSettlementInProcess: the payout is under way
 * - ACSC AcceptedSettlementCompleted: the beneficiary was paid (final)
 * - RJCT Rejected: with a reason code (final)
 *
 * A step may be skipped (RCVD → ACSC); a status never goes back, and a final
 * status is never left.
 */
export const PAYMENT_STATUSES = ['RCVD', 'ACCP', 'ACSP', 'ACSC', 'RJCT'] as const
export type PaymentStatus = (typeof PAYMENT_STATUSES)[number]
export const ANSWER_STATUSES = ['ACCP', 'ACSP', 'ACSC', 'RJCT'] as const
export type AnswerStatus = (typeof ANSWER_STATUSES)[number]

const ORDER: Readonly<Record<PaymentStatus, number>> = { RCVD: 0, ACCP: 1, ACSP: 2, ACSC: 3, RJCT: 3 }

export function isFinal(status: PaymentStatus): boolean {
  return status === 'ACSC' || status === 'RJCT'
}

/**
 * ISO 20022 ExternalStatusReason1Code values an off-ramp may give for a
 * status (required with RJCT). The codes a payout to a bank account or
 * wallet can meet; AB05 is also the one stablefx gives an unanswered
 * instruction (PAYMENT_TIMEOUT_MS).
 */
export const REASON_CODES: Readonly<Record<string, string>> = {
  AB05: 'TimeoutCreditorAgent: the creditor agent did not answer in time',
  AC01: 'IncorrectAccountNumber: the account number is invalid or missing',
  AC03: 'InvalidCreditorAccountNumber: wrong IBAN or account number of the creditor',
  AC04: 'ClosedAccountNumber: the account is closed',
  AC06: 'BlockedAccount: the account is blocked',
  AG01: 'TransactionForbidden: not allowed on this type of account',
  AG03: 'TransactionNotSupported: this type of transaction is not supported by the creditor agent',
  AM04: 'InsufficientFunds: the off-ramp cannot cover the payout',
  AM05: 'Duplication: this payment was already made',
  AM09: 'WrongAmount: the amount is not the one agreed or expected',
  BE01: 'InconsistenWithEndCustomer: the beneficiary name does not match the account',
  BE04: 'MissingCreditorAddress: the creditor address is missing or incorrect',
  BE05: 'UnrecognisedInitiatingParty',
  CNOR: 'CreditorBankIsNotRegistered under this BIC in the payment system',
  FF01: 'InvalidFileFormat: the instruction could not be read',
  MS02: 'NotSpecifiedReasonCustomerGenerated',
  MS03: 'NotSpecifiedReasonAgentGenerated',
  NARR: 'Narrative: the reason is in additional_information',
  RC01: 'BankIdentifierIncorrect: the BIC or bank code is wrong',
  RR01: 'MissingDebtorAccountOrIdentification (regulatory)',
  RR02: 'MissingDebtorNameOrAddress (regulatory)',
  RR03: 'MissingCreditorNameOrAddress (regulatory)',
  RR04: 'RegulatoryReason: e.g. sanctions or Travel Rule screening',
}

export type StatusAnswer = {
  readonly status: AnswerStatus
  readonly reason?: string | undefined
  readonly additionalInformation?: string | undefined
}

/** Checks an off-ramp's answer against the payment's current status; the failure says why it cannot apply. */
export function checkAnswer(current: PaymentStatus, answer: StatusAnswer): Result<StatusAnswer> {
  if (answer.reason !== undefined && REASON_CODES[answer.reason] === undefined) {
    return fail(
      'VALIDATION_ERROR',
      `reason must be an ISO 20022 status reason code: ${Object.keys(REASON_CODES).join(', ')}`,
    )
  }
  if (answer.status === 'RJCT' && answer.reason === undefined) {
    return fail('VALIDATION_ERROR', 'a RJCT status needs a reason code (e.g. AC01, AC04, AM04, BE01)')
  }
  if (answer.reason === 'NARR' && answer.additionalInformation === undefined) {
    return fail('VALIDATION_ERROR', 'reason NARR needs additional_information')
  }
  if (isFinal(current)) return fail('CONFLICT', `the payment is ${current}, which is final`)
  if (ORDER[answer.status] <= ORDER[current]) {
    return fail('CONFLICT', `the payment is ${current}; ${answer.status} would go back or repeat it`)
  }
  return ok(answer)
}

/**
 * [ours] How long an off-ramp has to answer an instruction (any status)
 * before stablefx rejects it on its behalf with AB05: 24 hours, a banking
 * day with margin. A payment that was accepted (ACCP or ACSP) has no timeout:
 * the payout is the off-ramp's to finish.
 */
export const PAYMENT_TIMEOUT_MS = 24 * 3600 * 1000

/**
 * [ours] Travel Rule threshold (FATF Recommendation 16): a payment whose
 * execution is worth this many USD or more must carry IVMS101 data of its
 * originator and beneficiary.
 */
export const TRAVEL_RULE_THRESHOLD_USD = 1000n
