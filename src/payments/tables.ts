import type { Generated } from 'kysely'

/**
 * Issue 13 (src/payments/): a payment instruction relayed from the partner
 * that executed a swap to the off-ramp partner that pays it out in fiat.
 */
export interface PaymentsTable {
  payment_id: string
  environment: string
  execution_id: string
  /** The partner that executed the swap and sent the instruction. */
  originator_id: string
  off_ramp_id: string
  rail: string
  /** The validated beneficiary (src/payments/beneficiary.ts), JSON. */
  beneficiary: string
  /** IVMS101 originator and beneficiary, sealed with the secrets key (bound to the payment id); null when none was given. */
  travel_rule: string | null
  uetr: string
  end_to_end_id: string
  remittance_information: string | null
  /** The destination asset and net amount of the execution (minor units, decimal text). */
  asset: string
  amount: string
  /** RCVD, ACCP, ACSP, ACSC, RJCT (src/payments/model.ts). */
  status: string
  reason: string | null
  /** When an unanswered instruction is rejected with AB05 (null once the off-ramp answered). */
  answer_by: bigint | null
  /** REVERSED, NOT_REVERSIBLE or ALREADY_REVERSED after a rejection; null before. */
  rollback: string | null
  created_at: bigint
  updated_at: bigint
}

/** One message of a payment's history (src/payments/messages.ts), in order. */
export interface PaymentMessagesTable {
  id: Generated<bigint>
  payment_id: string
  message_id: string
  message_type: string
  body: string
  created_at: bigint
}
