import { type TSchema, Type } from 'typebox'
import { ExecutionSchema } from '../trading/routes.ts'
import type { EventType } from './events.ts'

/**
 * The SPEC §10 event catalogue as data: when each type is written and the
 * shape of its `data`, for the OpenAPI document and the README. Every event
 * is written in the transaction of the change that caused it (the outbox).
 * Amounts are decimal strings in the asset's units; instants are ISO 8601 UTC.
 */
const Str = (description?: string) => Type.String(description === undefined ? {} : { description })
const NullableStr = (description?: string) =>
  Type.Union([Type.String(), Type.Null()], description === undefined ? {} : { description })

/** Extra fields may be added to a type's data later; a receiver ignores what it does not know. */
const Data = (properties: Record<string, TSchema>, description: string) =>
  Type.Object(properties, { additionalProperties: true, description })

const Transfer = {
  execution_id: Str(),
  quote_id: Str(),
  asset: Str('the destination asset sent'),
  amount: Str('the net destination amount'),
  destination_address: Str(),
}

/**
 * Issue 12: a settlement with the yield venue (netted per entity and
 * currency after its daily report), an operator event that no partner
 * receives (GET /admin/v1/events).
 */
const VenueSettlement = {
  source: Type.Literal('yield_venue'),
  settlement_id: Str(),
  entity: Type.Union([Type.Literal('lending'), Type.Literal('defi')], { description: 'the legal entity' }),
  asset: Str(),
  direction: Type.Union([Type.Literal('TO_VENUE'), Type.Literal('FROM_VENUE')], {
    description: 'TO_VENUE: stablefx pays what it owes; FROM_VENUE: the venue pays stablefx',
  }),
  amount: Str('in smallest units of the asset, rounded down from amount_wad'),
  amount_wad: Str('exact, 18 decimals as an integer'),
  tx_hash: NullableStr(),
}

export const EVENT_DATA: Readonly<Record<EventType, { readonly when: string; readonly data: TSchema }>> = {
  'execution.settled': {
    when: 'an execution settled: its transfer confirmed on chain (after settlement.confirmed)',
    data: Data(
      ExecutionSchema.properties,
      'the execution, as GET /v1/executions/{id} answers, status SETTLED',
    ),
  },
  'execution.failed': {
    when: 'an execution ended FAILED: the chain refused its transfer and its booking was reversed (after execution.rolled_back)',
    data: Data(
      { ...ExecutionSchema.properties, reason: Str('e.g. ON_CHAIN_REVERT') },
      'the execution, status FAILED, and the reason',
    ),
  },
  'execution.rolled_back': {
    when: 'the booking of an execution was reversed: the source amount is back in the prefunded balance, nothing was paid out, no fee was charged',
    data: Data(
      {
        execution_id: Str(),
        quote_id: Str(),
        pair: Str(),
        side: Str(),
        reason: Str(),
        returned_asset: Str('the source asset credited back'),
        returned_amount: Str(),
        destination_asset: Str(),
        unsent_amount: Str('the net destination amount that was not sent'),
        reversal_entry_id: Str('the reversing journal entry'),
        rolled_back_at: Str(),
      },
      'what the reversal gave back',
    ),
  },
  'quote.expired': {
    when: 'a firm quote reached its expiry without being executed (announced by a sweeper within about a second; timestamp = the expiry)',
    data: Data(
      {
        quote_id: Str(),
        pair: Str(),
        side: Str(),
        source_asset: Str(),
        destination_asset: Str(),
        amount: Str(),
        destination_amount: Str(),
        client_ref: NullableStr(),
        expiry_timestamp: Str(),
      },
      'the quote as it was issued',
    ),
  },
  'system.state_change': {
    when: 'a corridor changed risk state (broadcast to every partner of the environment)',
    data: Data(
      { corridor: Str(), previous_state: Str(), state: Str(), reason: Str('the reasons, joined by "; "') },
      'SPEC §10 fields',
    ),
  },
  'deposit.confirmed': {
    when: 'an LP deposit was credited (kTokens minted, or queued as pending)',
    data: Data(
      { deposit_id: Str(), asset: Str(), amount: Str(), status: Str(), tx_hash: NullableStr() },
      'the deposit, as POST /v1/lp/deposits answers',
    ),
  },
  'withdrawal.queued': {
    when: 'an LP withdrawal was accepted and its tranches scheduled',
    data: Data(
      { withdrawal_id: Str(), status: Str() },
      'the withdrawal, as GET /v1/lp/withdrawals/{id} answers',
    ),
  },
  'withdrawal.completed': {
    when: 'every tranche of an LP withdrawal was paid',
    data: Data(
      { withdrawal_id: Str(), status: Str() },
      'the withdrawal, as GET /v1/lp/withdrawals/{id} answers',
    ),
  },
  'settlement.confirmed': {
    when: 'the chain confirmed the transfer of an execution; or (to operators only) a yield venue settlement was paid and confirmed, or an inbound one matched the expected amount',
    data: Type.Union([
      Data({ ...Transfer, tx_hash: Str(), confirmed_at: Str() }, 'the confirmed transfer'),
      Data(VenueSettlement, 'a yield venue settlement (operator event)'),
    ]),
  },
  'settlement.failed': {
    when: 'the chain refused the transfer of an execution (nothing moved on chain); or (to operators only) our payment of a yield venue settlement gave up after its attempts or was reverted on chain, or an inbound one did not match the expected amount',
    data: Type.Union([
      Data({ ...Transfer, reason: Str('e.g. ON_CHAIN_REVERT'), failed_at: Str() }, 'the refused transfer'),
      Data({ ...VenueSettlement, reason: Str() }, 'a yield venue settlement that failed (operator event)'),
    ]),
  },
  'rebalance.executed': {
    when: 'the rebalancer moved liquidity between the Active and Reserve pools of a corridor (broadcast)',
    data: Data(
      {
        rebalance_id: Str(),
        corridor: Str(),
        direction: Str(),
        trigger: Str(),
        rate: Str(),
        amount_usd: Str(),
      },
      'the movement, its legs (`moved`) and the batches it netted or filled',
    ),
  },
  'partner.limit_warning': {
    when: "the partner's executed volume reached 80% or 100% of its daily (per corridor, UTC day) or monthly (all corridors, UTC month) limit; once per threshold per period",
    data: Data(
      {
        limit: Type.Union([Type.Literal('DAILY_CORRIDOR'), Type.Literal('MONTHLY')]),
        corridor: NullableStr('the corridor of a daily limit; null for the monthly one'),
        period: Str('YYYY-MM-DD or YYYY-MM'),
        threshold_pct: Type.Union([Type.Literal(80), Type.Literal(100)]),
        limit_usd: Str(),
        used_usd: Str('executed volume in the period, at the booking that crossed the threshold'),
      },
      'which limit, which threshold',
    ),
  },
  'partner.credential_expiring': {
    when: "one of the partner's live API keys expires in 14, then 3 days (SPEC §9 rotation) [ours]",
    data: Data(
      {
        partner_id: Str(),
        key_id: Str(),
        prefix: Str(),
        environment: Str(),
        expires_at: Str(),
        days_before: Type.Number(),
      },
      'which key, and when it expires',
    ),
  },
  'rfq.filled': {
    when: "an RFQ counterparty's quote was filled: one event per tranche, to the counterparty (issue 11)",
    data: Data(
      {
        rfq_id: Str(),
        quote_id: Str("the counterparty's own quote id, from its answer"),
        execution_id: Str(),
        pair: Str(),
        side: Str('SPEC §1, from the taker’s view'),
        rate: Str('QUOTE per BASE, as the counterparty answered'),
        received: Str('what the counterparty received (the taker’s source asset)'),
        received_asset: Str(),
        paid: Str('what the counterparty paid (the taker’s destination asset)'),
        paid_asset: Str(),
        parent_order_id: NullableStr(),
        tranche_id: NullableStr(),
      },
      'which quote was filled, and the amounts booked on the prefunded balances',
    ),
  },
  'payment.instruction': {
    when: 'a payment instruction was validated and routed: to the off-ramp partner that pays it out (issue 13)',
    data: Data(
      {
        payment_id: Str(),
        execution_id: Str(),
        uetr: Str('UUID v4, the payment’s end-to-end reference'),
        instruction: Type.Object(
          {},
          { additionalProperties: true, description: 'the pacs.008-like payment_instruction message' },
        ),
        deposit_confirmation: Type.Union([Type.Object({}, { additionalProperties: true }), Type.Null()], {
          description:
            'the camt.054-like deposit_confirmation when the execution settled; null while it is PENDING',
        }),
        travel_rule_included: Type.Boolean({
          description: 'IVMS101 data is attached: read it from GET /v1/payments/{id}',
        }),
      },
      'the instruction; the Travel Rule data itself is never in an event',
    ),
  },
  'payment.status': {
    when: 'the off-ramp partner (or stablefx, for an unanswered instruction) reported a status: to the originating partner (issue 13)',
    data: Data(
      {
        payment_id: Str(),
        execution_id: Str(),
        uetr: Str(),
        status: Str('ACCP, ACSP, ACSC or RJCT'),
        reason: NullableStr('ISO 20022 status reason code, e.g. AC01'),
        message: Type.Object(
          {},
          { additionalProperties: true, description: 'the pacs.002-like payment_status message' },
        ),
      },
      'the status report',
    ),
  },
  'payment.rollback': {
    when: 'a payment was rejected: to both partners, with what happened to the execution (issue 13)',
    data: Data(
      {
        payment_id: Str(),
        execution_id: Str(),
        uetr: Str(),
        reason: Str('the rejection’s reason code'),
        execution_reversal: Str('REVERSED, NOT_REVERSIBLE or ALREADY_REVERSED'),
        message: Type.Object(
          {},
          { additionalProperties: true, description: 'the camt.056-like rollback_signal message' },
        ),
      },
      'the rollback signal',
    ),
  },
}

export const EVENT_TYPES = Object.keys(EVENT_DATA) as EventType[]

const Environment = Type.Union([Type.Literal('sandbox'), Type.Literal('live')])

/** SPEC §10 envelope, one alternative per type, then any other type (new types may appear: ignore them). */
export const EventEnvelopeSchema: TSchema = Type.Union(
  [
    ...EVENT_TYPES.map((type) =>
      Type.Object(
        {
          id: Str('the event id (UUID); also the webhook-id of its deliveries'),
          event: Type.Literal(type),
          timestamp: Str(),
          environment: Environment,
          data: EVENT_DATA[type].data,
        },
        { title: type, description: EVENT_DATA[type].when },
      ),
    ),
    Type.Object(
      {
        id: Str(),
        event: Str(),
        timestamp: Str(),
        environment: Environment,
        data: Type.Object({}, { additionalProperties: true }),
      },
      { title: 'other', description: 'a type added after this document' },
    ),
  ],
  { description: 'SPEC §10 event envelope {id, event, timestamp, environment, data}' },
)
