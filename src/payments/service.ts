import { randomUUID } from 'node:crypto'
import type { Selectable } from 'kysely'
import type { Clocks } from '../clock/clock.ts'
import { ASSETS, type AssetCode } from '../config/assets.ts'
import type { Environment } from '../config/environment.ts'
import { type Failure, fail, ok, type Result } from '../errors.ts'
import { recordEvent } from '../events/events.ts'
import { formatDecimal } from '../money/decimal.ts'
import { USD_MICROS } from '../money/usd-micros.ts'
import { fromRow, type Partner } from '../partners/model.ts'
import type { SecretBox } from '../partners/secret-box.ts'
import type { Authenticated } from '../partners/service.ts'
import type { RecordOutcome } from '../store/outcome.ts'
import type { ExecutionsTable } from '../store/schema.ts'
import type { Reader, Store, Tx } from '../store/store.ts'
import {
  type Beneficiary,
  type BeneficiaryInput,
  type FieldError,
  RAIL_FIELDS,
  type Rail,
  validateBeneficiary,
} from './beneficiary.ts'
import {
  depositConfirmation,
  type Message,
  type Party,
  type PaymentContext,
  paymentInstruction,
  paymentStatus,
  rollbackSignal,
  validationRequest,
  validationResult,
} from './messages.ts'
import {
  type AnswerStatus,
  checkAnswer,
  PAYMENT_TIMEOUT_MS,
  type PaymentStatus,
  type StatusAnswer,
  TRAVEL_RULE_THRESHOLD_USD,
} from './model.ts'
import { checkRouting, offRampFieldsOf } from './off-ramp-config.ts'
import { rollBackExecution } from './rollback.ts'
import type { PaymentsTable } from './tables.ts'
import { type TravelRule, validateTravelRule } from './travel-rule.ts'

/** A refusal that may carry field-level errors (beneficiary, Travel Rule): answered 400 with them. */
export type PaymentFailure = Failure & { readonly errors?: readonly FieldError[] }
export type PaymentResult<T> = { readonly ok: true; readonly value: T } | PaymentFailure

export type PaymentInput = {
  readonly executionId: string
  readonly offRampPartnerId: string
  readonly rail: Rail
  readonly beneficiary: BeneficiaryInput
  readonly travelRule?: unknown
  readonly endToEndId?: string
  readonly remittanceInformation?: string
}

export type PaymentView = {
  payment_id: string
  execution_id: string
  uetr: string
  end_to_end_id: string
  originator_partner_id: string
  off_ramp_partner_id: string
  rail: string
  beneficiary: Beneficiary
  amount: { value: string; currency: string }
  settlement_amount: { value: string; asset: string }
  remittance_information: string | null
  status: PaymentStatus
  reason: string | null
  rollback: string | null
  answer_by: string | null
  /** IVMS101 originator and beneficiary for the two partners; `{redacted: true}` for anyone else; null when none. */
  travel_rule: TravelRule | { redacted: true } | null
  messages: Message[]
  created_at: string
  updated_at: string
}

export type ValidationView = {
  valid: boolean
  errors: FieldError[]
  rail: Rail
  beneficiary: Beneficiary | null
  messages: Message[]
}

export type PaymentService = {
  validate(environment: Environment, input: { beneficiary: BeneficiaryInput; rail?: Rail }): ValidationView
  create(
    auth: Authenticated,
    input: PaymentInput,
    record?: RecordOutcome,
  ): Promise<PaymentResult<PaymentView>>
  answer(
    auth: Authenticated,
    paymentId: string,
    answer: StatusAnswer,
    record?: RecordOutcome,
  ): Promise<Result<PaymentView>>
  get(auth: Authenticated, paymentId: string): Promise<Result<PaymentView>>
  /** The operator's view: every payment of the environment, its Travel Rule data redacted. */
  getForOperator(environment: Environment, paymentId: string): Promise<Result<PaymentView>>
  /** The `payments.timeout.<environment>` worker: rejects unanswered instructions (AB05). Returns how many. */
  expireUnanswered(environment: Environment, stillHeld?: () => boolean): Promise<number>
}

type Row = Selectable<PaymentsTable>

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/
/** stablefx itself, as the agent of a status it gives (a timeout). */
const STABLEFX: Party = { partner_id: 'stablefx', name: 'stablefx' }
const TIMEOUT_BATCH = 50

/** Which rail a beneficiary is for when the caller does not say: by the fields it has. */
export function railOf(beneficiary: BeneficiaryInput): Rail {
  if (beneficiary.wallet_provider !== undefined || beneficiary.wallet_id !== undefined) return 'E_WALLET'
  if (beneficiary.card_token !== undefined) return 'CARD'
  return 'BANK_TRANSFER'
}

export function createPaymentService(deps: {
  store: Store
  clocks: Clocks
  secrets: SecretBox
  nodeTtlMs?: number
  /** [ours] The Travel Rule threshold in USD (TRAVEL_RULE_THRESHOLD_USD by default). */
  travelRuleThresholdUsd?: bigint
  /** How long an instruction may stay unanswered (PAYMENT_TIMEOUT_MS by default). */
  timeoutMs?: number
  /** Told after an execution was reversed (pools and risk read the ledger again). */
  afterReversal?: (environment: Environment) => void
}): PaymentService {
  const { store, clocks, secrets } = deps
  const thresholdMicros = (deps.travelRuleThresholdUsd ?? TRAVEL_RULE_THRESHOLD_USD) * USD_MICROS
  const timeoutMs = deps.timeoutMs ?? PAYMENT_TIMEOUT_MS
  const travelContext = (paymentId: string) => `payment:${paymentId}`

  async function messagesOf(db: Reader, paymentId: string): Promise<Message[]> {
    const rows = await db.kysely
      .selectFrom('payment_messages')
      .select('body')
      .where('payment_id', '=', paymentId)
      .orderBy('id')
      .execute()
    return rows.map((row) => JSON.parse(row.body) as Message)
  }

  async function addMessage(tx: Tx, paymentId: string, message: Message, atMs: number): Promise<void> {
    await tx.kysely
      .insertInto('payment_messages')
      .values({
        payment_id: paymentId,
        message_id: message.message_id,
        message_type: message.message_type,
        body: JSON.stringify(message),
        created_at: BigInt(atMs),
      })
      .execute()
  }

  async function view(db: Reader, row: Row, travelRule: 'open' | 'redact'): Promise<PaymentView> {
    const asset = ASSETS[row.asset as AssetCode]
    const value = formatDecimal(BigInt(row.amount), asset.decimals)
    let travel: PaymentView['travel_rule'] = null
    if (row.travel_rule !== null) {
      travel =
        travelRule === 'open'
          ? (JSON.parse(secrets.open(row.travel_rule, travelContext(row.payment_id))) as TravelRule)
          : { redacted: true }
    }
    return {
      payment_id: row.payment_id,
      execution_id: row.execution_id,
      uetr: row.uetr,
      end_to_end_id: row.end_to_end_id,
      originator_partner_id: row.originator_id,
      off_ramp_partner_id: row.off_ramp_id,
      rail: row.rail,
      beneficiary: JSON.parse(row.beneficiary) as Beneficiary,
      amount: { value, currency: asset.fiat },
      settlement_amount: { value, asset: asset.code },
      remittance_information: row.remittance_information,
      status: row.status as PaymentStatus,
      reason: row.reason,
      rollback: row.rollback,
      answer_by: row.answer_by === null ? null : new Date(Number(row.answer_by)).toISOString(),
      travel_rule: travel,
      messages: await messagesOf(db, row.payment_id),
      created_at: new Date(Number(row.created_at)).toISOString(),
      updated_at: new Date(Number(row.updated_at)).toISOString(),
    }
  }

  /** The instruction's checks that need no database: beneficiary and Travel Rule, every field error at once. */
  function checkInput(
    input: PaymentInput,
  ): PaymentResult<{ beneficiary: Beneficiary; travelRule: TravelRule | undefined }> {
    const errors: FieldError[] = []
    const beneficiary = validateBeneficiary(input.beneficiary, input.rail)
    if (!beneficiary.valid)
      errors.push(...beneficiary.errors.map((e) => ({ ...e, field: `beneficiary.${e.field}` })))
    let travelRule: TravelRule | undefined
    if (input.travelRule !== undefined) {
      const checked = validateTravelRule(input.travelRule)
      if (checked.ok) travelRule = checked.value
      else errors.push(...checked.errors)
    }
    if (errors.length > 0 || !beneficiary.valid) {
      return { ok: false, code: 'VALIDATION_ERROR', message: 'the payment instruction is not valid', errors }
    }
    return ok({ beneficiary: beneficiary.beneficiary, travelRule })
  }

  async function offRampOf(tx: Tx, auth: Authenticated, partnerId: string) {
    if (!UUID.test(partnerId)) return fail('NOT_FOUND', 'no such off-ramp partner')
    const row = await tx.kysely
      .selectFrom('partners')
      .selectAll()
      .where('id', '=', partnerId)
      .executeTakeFirst()
    const partner = row === undefined ? undefined : fromRow(row)
    if (partner === undefined || partner.status !== 'ACTIVE' || partner.type !== 'ON_OFF_RAMP') {
      return fail('NOT_FOUND', 'no such off-ramp partner (an active ON_OFF_RAMP partner)')
    }
    if (partner.id === auth.partner.id) {
      return fail('VALIDATION_ERROR', 'off_ramp_partner_id must be another partner than the originator')
    }
    return ok(partner)
  }

  type Admitted = { execution: Selectable<ExecutionsTable>; offRamp: Partner; destination: AssetCode }

  /** The checks that read the database: the originator's execution (locked), the threshold, the off-ramp, routing. */
  async function admit(
    tx: Tx,
    auth: Authenticated,
    input: PaymentInput,
    checked: { beneficiary: Beneficiary; travelRule: TravelRule | undefined },
  ): Promise<PaymentResult<Admitted>> {
    const execution = await tx.kysely
      .selectFrom('executions')
      .selectAll()
      .where('execution_id', '=', input.executionId)
      .where('partner_id', '=', auth.partner.id)
      .where('environment', '=', auth.environment)
      // Two instructions for one execution at once: the second waits here, then finds the first.
      .$if(tx.dialect === 'postgres', (q) => q.forUpdate())
      .executeTakeFirst()
    if (execution === undefined) return fail('NOT_FOUND', 'no such execution')
    if (execution.status === 'FAILED' || execution.status === 'ROLLED_BACK') {
      return fail('CONFLICT', `the execution is ${execution.status}: nothing was delivered to pay out`)
    }
    // [ours] Travel Rule threshold (FATF R.16): the execution's USD size at booking.
    if (checked.travelRule === undefined && execution.usd_micros >= thresholdMicros) {
      return {
        ok: false,
        code: 'VALIDATION_ERROR',
        message: `travel_rule is required from ${thresholdMicros / USD_MICROS} USD`,
        errors: [
          {
            field: 'travel_rule',
            code: 'REQUIRED',
            message: 'IVMS101 originator and beneficiary are required at this amount',
          },
        ],
      }
    }
    const offRamp = await offRampOf(tx, auth, input.offRampPartnerId)
    if (!offRamp.ok) return offRamp
    const destination = (JSON.parse(execution.details) as { destination_asset: AssetCode }).destination_asset
    const routed = checkRouting(offRampFieldsOf(offRamp.value.config), {
      rail: input.rail,
      beneficiary: checked.beneficiary,
      corridor: execution.corridor,
      asset: destination,
    })
    if (!routed.ok) return routed
    const taken = await tx.kysely
      .selectFrom('payments')
      .select('payment_id')
      .where('execution_id', '=', execution.execution_id)
      .executeTakeFirst()
    if (taken !== undefined) return fail('CONFLICT', `the execution already has payment ${taken.payment_id}`)
    return ok({ execution, offRamp: offRamp.value, destination })
  }

  /** The instruction's messages, in order, and its `payment.instruction` event to the off-ramp. */
  async function relay(
    tx: Tx,
    row: Row,
    context: PaymentContext,
    execution: Selectable<ExecutionsTable>,
    beneficiary: Beneficiary,
    nowMs: number,
  ): Promise<void> {
    const asset = ASSETS[row.asset as AssetCode]
    const amount = formatDecimal(BigInt(row.amount), asset.decimals)
    const rail = row.rail as Rail
    const request = validationRequest({ rail, beneficiary: { ...beneficiary } }, context, nowMs)
    const result = validationResult(request, { valid: true, errors: [] }, nowMs)
    const deposit =
      execution.status === 'SETTLED' && execution.tx_hash !== null
        ? depositConfirmation(
            context,
            {
              asset: asset.code,
              amount,
              txHash: execution.tx_hash,
              settledAtMs: Number(execution.settled_at ?? nowMs),
            },
            nowMs,
          )
        : null
    const travelRuleIncluded = row.travel_rule !== null
    const instruction = paymentInstruction(
      context,
      {
        rail,
        beneficiary,
        asset: asset.code,
        fiat: asset.fiat,
        amount,
        remittanceInformation: row.remittance_information,
        travelRuleIncluded,
      },
      nowMs,
    )
    for (const message of [request, result, deposit, instruction]) {
      if (message !== null) await addMessage(tx, row.payment_id, message, nowMs)
    }
    await recordEvent(tx, {
      environment: row.environment as Environment,
      partnerId: row.off_ramp_id,
      type: 'payment.instruction',
      data: {
        payment_id: row.payment_id,
        execution_id: row.execution_id,
        uetr: row.uetr,
        instruction,
        deposit_confirmation: deposit,
        travel_rule_included: travelRuleIncluded,
      },
      atMs: nowMs,
    })
  }

  async function create(
    auth: Authenticated,
    input: PaymentInput,
    record?: RecordOutcome,
  ): Promise<PaymentResult<PaymentView>> {
    const checked = checkInput(input)
    if (!checked.ok) return checked
    if (!UUID.test(input.executionId)) return fail('NOT_FOUND', 'no such execution')
    const { beneficiary, travelRule } = checked.value
    const { environment } = auth
    return store.transaction(async (tx): Promise<PaymentResult<PaymentView>> => {
      const admitted = await admit(tx, auth, input, checked.value)
      if (!admitted.ok) return admitted
      const { execution, offRamp, destination } = admitted.value
      const nowMs = clocks[environment].now()
      const paymentId = randomUUID()
      const context: PaymentContext = {
        paymentId,
        executionId: execution.execution_id,
        uetr: randomUUID(),
        endToEndId: input.endToEndId ?? paymentId.replaceAll('-', '').slice(0, 35),
        originator: { partner_id: auth.partner.id, name: auth.partner.name },
        offRamp: { partner_id: offRamp.id, name: offRamp.name },
      }
      const row: Row = {
        payment_id: paymentId,
        environment,
        execution_id: execution.execution_id,
        originator_id: auth.partner.id,
        off_ramp_id: offRamp.id,
        rail: input.rail,
        beneficiary: JSON.stringify(beneficiary),
        // SPEC §11 Travel Rule data is sealed at rest, bound to this payment (a copy onto another row does not open).
        travel_rule:
          travelRule === undefined
            ? null
            : secrets.seal(JSON.stringify(travelRule), travelContext(paymentId)),
        uetr: context.uetr,
        end_to_end_id: context.endToEndId,
        remittance_information: input.remittanceInformation ?? null,
        asset: destination,
        amount: execution.destination_amount,
        status: 'RCVD',
        reason: null,
        answer_by: BigInt(nowMs + timeoutMs),
        rollback: null,
        created_at: BigInt(nowMs),
        updated_at: BigInt(nowMs),
      }
      await tx.kysely.insertInto('payments').values(row).execute()
      await relay(tx, row, context, execution, beneficiary, nowMs)
      await record?.(tx, { resource: `payment:${paymentId}` })
      return ok(await view(tx, row, 'open'))
    })
  }

  /** A rejection: the execution rolled back where it can be, the camt.056 signal, `payment.rollback` to both. */
  async function signalRollback(
    tx: Tx,
    row: Row,
    reason: string,
    statusMessageId: string,
    nowMs: number,
  ): Promise<string> {
    const environment = row.environment as Environment
    const context = {
      paymentId: row.payment_id,
      executionId: row.execution_id,
      uetr: row.uetr,
      endToEndId: row.end_to_end_id,
    }
    const outcome = await rollBackExecution(tx, {
      executionId: row.execution_id,
      reason,
      ...(deps.nodeTtlMs === undefined ? {} : { nodeTtlMs: deps.nodeTtlMs }),
      atMs: nowMs,
    })
    const signal = rollbackSignal(context, { reason, statusMessageId }, outcome, nowMs)
    await addMessage(tx, row.payment_id, signal, nowMs)
    for (const partnerId of [row.originator_id, row.off_ramp_id]) {
      await recordEvent(tx, {
        environment,
        partnerId,
        type: 'payment.rollback',
        data: {
          payment_id: row.payment_id,
          execution_id: row.execution_id,
          uetr: row.uetr,
          reason,
          execution_reversal: outcome.status,
          message: signal,
        },
        atMs: nowMs,
      })
    }
    return outcome.status
  }

  /** Applies a status to a locked payment row: the pacs.002, its event, and on RJCT the rollback. */
  async function applyStatus(
    tx: Tx,
    row: Row,
    answer: StatusAnswer,
    from: Party,
    nowMs: number,
  ): Promise<Row> {
    const environment = row.environment as Environment
    const context = {
      paymentId: row.payment_id,
      executionId: row.execution_id,
      uetr: row.uetr,
      endToEndId: row.end_to_end_id,
    }
    const instruction = await tx.kysely
      .selectFrom('payment_messages')
      .select('message_id')
      .where('payment_id', '=', row.payment_id)
      .where('message_type', '=', 'payment_instruction')
      .executeTakeFirstOrThrow()
    const status = paymentStatus(context, { messageId: instruction.message_id }, answer, from, nowMs)
    await addMessage(tx, row.payment_id, status, nowMs)
    let updated: Row = {
      ...row,
      status: answer.status,
      reason: answer.reason ?? null,
      answer_by: null,
      updated_at: BigInt(nowMs),
    }
    await recordEvent(tx, {
      environment,
      partnerId: row.originator_id,
      type: 'payment.status',
      data: {
        payment_id: row.payment_id,
        execution_id: row.execution_id,
        uetr: row.uetr,
        status: answer.status,
        reason: answer.reason ?? null,
        message: status,
      },
      atMs: nowMs,
    })
    if (answer.status === 'RJCT') {
      const rollback = await signalRollback(tx, row, answer.reason ?? 'MS03', status.message_id, nowMs)
      updated = { ...updated, rollback }
    }
    await tx.kysely
      .updateTable('payments')
      .set({
        status: updated.status,
        reason: updated.reason,
        answer_by: null,
        rollback: updated.rollback,
        updated_at: updated.updated_at,
      })
      .where('payment_id', '=', row.payment_id)
      .execute()
    return updated
  }

  async function lockedPayment(tx: Tx, environment: Environment, paymentId: string) {
    return tx.kysely
      .selectFrom('payments')
      .selectAll()
      .where('payment_id', '=', paymentId)
      .where('environment', '=', environment)
      .$if(tx.dialect === 'postgres', (q) => q.forUpdate())
      .executeTakeFirst()
  }

  async function answer(auth: Authenticated, paymentId: string, given: StatusAnswer, record?: RecordOutcome) {
    if (!UUID.test(paymentId)) return fail('NOT_FOUND', 'no such payment')
    let reversedIn: Environment | undefined
    const result = await store.transaction(async (tx): Promise<Result<PaymentView>> => {
      const row = await lockedPayment(tx, auth.environment, paymentId)
      if (
        row === undefined ||
        (row.originator_id !== auth.partner.id && row.off_ramp_id !== auth.partner.id)
      ) {
        return fail('NOT_FOUND', 'no such payment')
      }
      if (row.off_ramp_id !== auth.partner.id) {
        return fail('FORBIDDEN', 'only the off-ramp partner of a payment reports its status')
      }
      const checked = checkAnswer(row.status as PaymentStatus, given)
      if (!checked.ok) return checked
      const nowMs = clocks[auth.environment].now()
      const updated = await applyStatus(
        tx,
        row,
        checked.value,
        { partner_id: auth.partner.id, name: auth.partner.name },
        nowMs,
      )
      if (updated.rollback === 'REVERSED') reversedIn = auth.environment
      await record?.(tx, { resource: `payment-status:${paymentId}` })
      return ok(await view(tx, updated, 'open'))
    })
    if (reversedIn !== undefined) deps.afterReversal?.(reversedIn)
    return result
  }

  return {
    validate(environment, input) {
      const rail = input.rail ?? railOf(input.beneficiary)
      const checked = validateBeneficiary(input.beneficiary, rail)
      const nowMs = clocks[environment].now()
      // Only the rail's own fields are echoed: a stray field (a card number) is reported, never repeated.
      const echoed = Object.fromEntries(
        Object.entries(input.beneficiary).filter(([field]) => RAIL_FIELDS[rail].includes(field)),
      )
      const request = validationRequest({ rail, beneficiary: echoed }, {}, nowMs)
      const errors = checked.valid ? [] : [...checked.errors]
      const result = validationResult(request, { valid: checked.valid, errors }, nowMs)
      return {
        valid: checked.valid,
        errors,
        rail,
        beneficiary: checked.valid ? checked.beneficiary : null,
        messages: [request, result],
      }
    },
    create,
    answer,
    async get(auth, paymentId) {
      if (!UUID.test(paymentId)) return fail('NOT_FOUND', 'no such payment')
      const row = await store.kysely
        .selectFrom('payments')
        .selectAll()
        .where('payment_id', '=', paymentId)
        .where('environment', '=', auth.environment)
        .executeTakeFirst()
      // A third partner learns nothing, not even that the payment exists (SPEC §3 NOT_FOUND).
      if (
        row === undefined ||
        (row.originator_id !== auth.partner.id && row.off_ramp_id !== auth.partner.id)
      ) {
        return fail('NOT_FOUND', 'no such payment')
      }
      return ok(await view(store, row, 'open'))
    },
    async getForOperator(environment, paymentId) {
      if (!UUID.test(paymentId)) return fail('NOT_FOUND', 'no such payment')
      const row = await store.kysely
        .selectFrom('payments')
        .selectAll()
        .where('payment_id', '=', paymentId)
        .where('environment', '=', environment)
        .executeTakeFirst()
      return row === undefined ? fail('NOT_FOUND', 'no such payment') : ok(await view(store, row, 'redact'))
    },
    async expireUnanswered(environment, stillHeld = () => true) {
      let expired = 0
      let reversed = false
      while (stillHeld()) {
        const nowMs = clocks[environment].now()
        const due = await store.kysely
          .selectFrom('payments')
          .select('payment_id')
          .where('environment', '=', environment)
          .where('status', '=', 'RCVD')
          .where('answer_by', '<=', BigInt(nowMs))
          .orderBy('answer_by')
          .limit(TIMEOUT_BATCH)
          .execute()
        for (const { payment_id } of due) {
          const done = await store.transaction(async (tx) => {
            const row = await lockedPayment(tx, environment, payment_id)
            // Answered meanwhile: the off-ramp's status won.
            if (
              row === undefined ||
              row.status !== 'RCVD' ||
              row.answer_by === null ||
              row.answer_by > BigInt(nowMs)
            ) {
              return undefined
            }
            const timeout: StatusAnswer = { status: 'RJCT' as AnswerStatus, reason: 'AB05' }
            return applyStatus(tx, row, timeout, STABLEFX, nowMs)
          })
          if (done !== undefined) expired++
          if (done?.rollback === 'REVERSED') reversed = true
        }
        if (due.length < TIMEOUT_BATCH) break
      }
      if (reversed) deps.afterReversal?.(environment)
      return expired
    },
  }
}
