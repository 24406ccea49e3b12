import { randomUUID } from 'node:crypto'
import type { Clocks } from '../clock/clock.ts'
import { ASSET_BY_FIAT, ASSETS, type AssetCode } from '../config/assets.ts'
import { CORRIDORS, type CorridorId } from '../config/corridors.ts'
import type { Environment } from '../config/environment.ts'
import type { Result } from '../errors.ts'
import type { IssuerService } from '../issuers/service.ts'
import { ownedPoolAccount } from '../ledger/accounts.ts'
import { balancesOf, postEntry } from '../ledger/journal.ts'
import { formatDecimal } from '../money/decimal.ts'
import { mul, type Ratio, scale } from '../money/ratio.ts'
import { pow10 } from '../money/rounding.ts'
import { minorToUsd } from '../pools/model.ts'
import type { UsdRates } from '../pools/usd-rates.ts'
import type { RfqOrder, RfqService } from '../rfq/service.ts'
import type { ReserveEscalationStepsTable } from '../store/schema.ts'
import type { Store } from '../store/store.ts'
import { buybackPostings } from './buyback.ts'
import {
  DEFAULT_ESCALATION_CONFIG,
  deficitMinor,
  type EscalationConfig,
  type EscalationStep,
  fundingAsset,
  planRecall,
  type ReserveFacts,
  reserveMinMinor,
  type StepOutcome,
} from './escalation.ts'
import { corridorRate } from './planner.ts'

/**
 * SPEC §8 smart rebalancing escalation, the shell: for each asset whose
 * Reserve is below its minimum, recall Yield, then ask the asset's issuer
 * for an emergency mint, then buy the rest from the RFQ counterparties,
 * stopping as soon as the deficit is covered (or a mint is on its way).
 * Each step is a row with its outcome, amount and timing
 * (`GET /v1/reserve/escalations`).
 */

export type EscalationDeps = {
  readonly store: Store
  readonly clocks: Clocks
  readonly moneyRates: (environment: Environment) => Result<UsdRates>
  readonly rfq: Pick<RfqService, 'request'>
  readonly issuers: Pick<IssuerService, 'requestMint'>
  readonly config?: EscalationConfig
  /** Where Yield moves are told to the yield venue's bookings, when there is one. */
  readonly onYieldRecall?: (
    tx: Parameters<Parameters<Store['transaction']>[0]>[0],
    recall: {
      environment: Environment
      asset: AssetCode
      owner: 'class_b' | 'protocol'
      minor: bigint
      reference: string
    },
  ) => Promise<void>
}

export type EscalationStepView = {
  step: number
  kind: EscalationStep
  outcome: StepOutcome
  amount: string
  reference: string | null
  detail: string | null
  started_at: string
  duration_ms: number
}

export type EscalationView = {
  escalation_id: string
  environment: string
  asset: string
  deficit: string
  status: string
  started_at: string
  updated_at: string
  steps: EscalationStepView[]
}

async function factsOf(store: Store, environment: Environment, asset: AssetCode): Promise<ReserveFacts> {
  const keys = {
    rp: ownedPoolAccount(environment, asset, 'RESERVE', 'protocol'),
    ra: ownedPoolAccount(environment, asset, 'RESERVE', 'class_a'),
    rb: ownedPoolAccount(environment, asset, 'RESERVE', 'class_b'),
    yp: ownedPoolAccount(environment, asset, 'YIELD', 'protocol'),
    yb: ownedPoolAccount(environment, asset, 'YIELD', 'class_b'),
  }
  const of = await balancesOf(store, Object.values(keys))
  return {
    asset,
    reserve: { protocol: of(keys.rp), classA: of(keys.ra), classB: of(keys.rb) },
    yield: { protocol: of(keys.yp), classB: of(keys.yb) },
    classBReservePct: ASSETS[asset].classBReservePct,
  }
}

/** Each asset's protocol Reserve above its own minimum, USD at mid (what may pay for a mint or an RFQ). */
async function surplusUsd(store: Store, environment: Environment, rates: UsdRates) {
  const surplus = new Map<AssetCode, Ratio>()
  for (const asset of Object.keys(ASSETS) as AssetCode[]) {
    const facts = await factsOf(store, environment, asset)
    const above = facts.reserve.protocol - deficitFloor(facts, reserveMinMinor(asset, rates))
    surplus.set(asset, minorToUsd(above > 0n ? above : 0n, asset, rates))
  }
  return surplus
}

/** What the protocol Reserve must keep so the pool stays at its minimum (the LPs' parts count toward it). */
function deficitFloor(facts: ReserveFacts, minMinor: bigint): bigint {
  const lp = facts.reserve.classA + facts.reserve.classB
  return minMinor > lp ? minMinor - lp : 0n
}

type StepRecord = {
  kind: EscalationStep
  outcome: StepOutcome
  amountMinor: bigint
  reference: string | null
  detail: string | null
  startedAtMs: number
  elapsedMs: number
}

async function recordStep(
  store: Store,
  escalationId: string,
  step: number,
  record: StepRecord,
): Promise<void> {
  await store.kysely
    .insertInto('reserve_escalation_steps')
    .values({
      escalation_id: escalationId,
      step,
      kind: record.kind,
      outcome: record.outcome,
      amount: record.amountMinor.toString(),
      reference: record.reference,
      detail: record.detail?.slice(0, 300) ?? null,
      started_at: BigInt(record.startedAtMs),
      finished_at: BigInt(record.startedAtMs + record.elapsedMs),
    })
    .execute()
}

/** Times one step: its start on the environment's clock, its duration in real milliseconds. */
async function timed(
  deps: EscalationDeps,
  environment: Environment,
  kind: EscalationStep,
  run: () => Promise<Omit<StepRecord, 'kind' | 'startedAtMs' | 'elapsedMs'>>,
): Promise<StepRecord> {
  const startedAtMs = deps.clocks[environment].now()
  const t0 = performance.now()
  const result = await run()
  return { kind, startedAtMs, elapsedMs: Math.round(performance.now() - t0), ...result }
}

/** Step 1: Yield back into the Reserve, one entry (class B's tagged part first, then the protocol's). */
async function recallYield(
  deps: EscalationDeps,
  environment: Environment,
  facts: ReserveFacts,
  deficit: bigint,
  escalationId: string,
) {
  return timed(deps, environment, 'YIELD_RECALL', async () => {
    const recalls = planRecall(facts, deficit)
    const total = recalls.reduce((sum, r) => sum + r.minor, 0n)
    if (total === 0n)
      return { outcome: 'SKIPPED', amountMinor: 0n, reference: null, detail: 'no Yield to recall' }
    const reference = `${escalationId}:recall`
    const nowMs = deps.clocks[environment].now()
    await deps.store.transaction(async (tx) => {
      const posted = await postEntry(tx, {
        environment,
        kind: 'yield_recall',
        reference,
        postings: recalls.flatMap((r) => [
          { account: ownedPoolAccount(environment, facts.asset, 'YIELD', r.owner), amount: -r.minor },
          { account: ownedPoolAccount(environment, facts.asset, 'RESERVE', r.owner), amount: r.minor },
        ]),
        memo: {
          escalation_id: escalationId,
          recalls: recalls.map((r) => ({ owner: r.owner, minor: r.minor.toString() })),
        },
        atMs: nowMs,
      })
      if (!posted.ok) throw new Error(`yield recall refused: ${posted.reason}`)
      for (const r of recalls)
        await deps.onYieldRecall?.(tx, {
          environment,
          asset: facts.asset,
          owner: r.owner,
          minor: r.minor,
          reference,
        })
    })
    const decimals = ASSETS[facts.asset].decimals
    return {
      outcome: total >= deficit ? 'DONE' : 'PARTIAL',
      amountMinor: total,
      reference,
      detail: recalls.map((r) => `${r.owner} ${formatDecimal(r.minor, decimals)}`).join(', '),
    }
  })
}

/** What `minor` of `asset` costs in `payAsset` at the oracle mid, rounded as the Reserve pays (down). */
function atMid(minor: bigint, asset: AssetCode, payAsset: AssetCode, rates: UsdRates): bigint {
  const usd = minorToUsd(minor, asset, rates)
  return scale(pow10(ASSETS[payAsset].decimals), mul(usd, rates.fiatPerUsd(ASSETS[payAsset].fiat)), 'floor')
}

/** Step 2: the asset's issuer mints the rest into the Reserve, paid from the funding asset at mid. */
async function emergencyMint(
  deps: EscalationDeps,
  environment: Environment,
  asset: AssetCode,
  remaining: bigint,
  rates: UsdRates,
  funding: AssetCode | undefined,
) {
  return timed(deps, environment, 'ISSUER_MINT', async () => {
    if (funding === undefined)
      return { outcome: 'SKIPPED', amountMinor: 0n, reference: null, detail: 'no Reserve can pay for a mint' }
    const requested = await deps.issuers.requestMint({
      environment,
      asset,
      amountMinor: remaining,
      payWith: { asset: funding, amountMinor: atMid(remaining, asset, funding, rates) },
      purpose: 'EMERGENCY',
    })
    if (!requested.ok) {
      const skipped = requested.code === 'NOT_FOUND'
      return {
        outcome: skipped ? 'SKIPPED' : 'FAILED',
        amountMinor: 0n,
        reference: null,
        detail: requested.message,
      }
    }
    const failed = requested.value.status === 'FAILED'
    return {
      outcome: failed ? 'FAILED' : 'REQUESTED',
      amountMinor: failed ? 0n : remaining,
      reference: requested.value.request_id,
      detail: failed
        ? requested.value.error
        : `mint ${requested.value.mint_id ?? ''} requested from ${requested.value.issuer_id}`,
    }
  })
}

/** Step 3: buy the rest from the RFQ counterparties (purpose EMERGENCY), booked between the Reserve and their balances. */
async function rfqStep(
  deps: EscalationDeps,
  environment: Environment,
  asset: AssetCode,
  remaining: bigint,
  rates: UsdRates,
  funding: { asset: AssetCode; corridor: CorridorId } | undefined,
  escalationId: string,
) {
  return timed(deps, environment, 'RFQ', async () => {
    if (funding === undefined)
      return { outcome: 'SKIPPED', amountMinor: 0n, reference: null, detail: 'no Reserve can pay for an RFQ' }
    const { corridor } = funding
    const base = ASSET_BY_FIAT[CORRIDORS[corridor].base]
    const buyingBase = base.code === asset
    const source = ASSETS[funding.asset]
    const destination = ASSETS[asset]
    const answered = await deps.rfq.request({
      environment,
      corridor,
      side: buyingBase ? 'BUY' : 'SELL',
      source,
      destination,
      size: { kind: 'destination', minor: remaining },
      sizeUsd: minorToUsd(remaining, asset, rates),
      mid: corridorRate(corridor, rates),
      purpose: 'EMERGENCY',
      nowMs: deps.clocks[environment].now(),
    })
    if (!answered.ok) return { outcome: 'FAILED', amountMinor: 0n, reference: null, detail: answered.message }
    const order: RfqOrder = answered.value
    const reference = `${escalationId}:rfq`
    const booked = await deps.store.transaction(async (tx) => {
      const posted = await postEntry(tx, {
        environment,
        kind: 'rfq_buyback',
        reference,
        postings: buybackPostings(environment, source.code, destination.code, order),
        memo: { escalation_id: escalationId, corridor, parent_order_id: order.parentOrderId },
        atMs: deps.clocks[environment].now(),
      })
      return posted.ok ? undefined : posted.reason
    })
    if (booked !== undefined)
      return { outcome: 'FAILED', amountMinor: 0n, reference: null, detail: `fill refused: ${booked}` }
    return {
      outcome: 'DONE',
      amountMinor: order.destinationMinor,
      reference: order.parentOrderId ?? order.tranches[0]?.rfqId ?? reference,
      detail: order.tranches.map((t) => `${t.counterpartyId} @ ${t.rateText}`).join(', '),
    }
  })
}

type Latest = { escalation_id: string; status: string; updated_at: bigint } | undefined

async function latestEscalation(store: Store, environment: Environment, asset: AssetCode): Promise<Latest> {
  return store.kysely
    .selectFrom('reserve_escalations')
    .select(['escalation_id', 'status', 'updated_at'])
    .where('environment', '=', environment)
    .where('asset', '=', asset)
    .orderBy('started_at', 'desc')
    .limit(1)
    .executeTakeFirst()
}

/** Whether a mint the escalation waits for is still worth waiting for. */
async function mintStillExpected(
  deps: EscalationDeps,
  escalationId: string,
  nowMs: number,
  config: EscalationConfig,
) {
  const step = await deps.store.kysely
    .selectFrom('reserve_escalation_steps')
    .select(['reference', 'started_at'])
    .where('escalation_id', '=', escalationId)
    .where('kind', '=', 'ISSUER_MINT')
    .executeTakeFirst()
  if (step?.reference == null) return false
  const request = await deps.store.kysely
    .selectFrom('issuer_requests')
    .select('status')
    .where('id', '=', step.reference)
    .executeTakeFirst()
  return request?.status === 'REQUESTED' && nowMs - Number(step.started_at) < config.mintWaitMs
}

/**
 * One escalation pass for an environment. An asset waits while its last
 * escalation's mint is on its way, and `retryMs` after one that could not
 * cover its deficit; a mint that failed or took too long lets the RFQ step
 * run in the same escalation.
 */
export async function runEscalations(
  deps: EscalationDeps,
  environment: Environment,
): Promise<EscalationView[]> {
  const config = deps.config ?? DEFAULT_ESCALATION_CONFIG
  const rates = deps.moneyRates(environment)
  if (!rates.ok) return []
  const touched: string[] = []
  for (const asset of Object.keys(ASSETS) as AssetCode[]) {
    const facts = await factsOf(deps.store, environment, asset)
    const deficit = deficitMinor(facts, reserveMinMinor(asset, rates.value))
    const nowMs = deps.clocks[environment].now()
    const latest = await latestEscalation(deps.store, environment, asset)
    if (deficit === 0n) {
      if (latest?.status === 'WAITING_FOR_MINT')
        await setStatus(deps.store, latest.escalation_id, 'COVERED', nowMs)
      continue
    }
    if (latest?.status === 'WAITING_FOR_MINT') {
      if (await mintStillExpected(deps, latest.escalation_id, nowMs, config)) continue
      // The mint failed or is late: the escalation goes on to its RFQ step.
      const funding = fundingAsset(asset, await surplusUsd(deps.store, environment, rates.value))
      const step = await rfqStep(
        deps,
        environment,
        asset,
        deficit,
        rates.value,
        funding,
        latest.escalation_id,
      )
      await recordStep(deps.store, latest.escalation_id, 3, step)
      await setStatus(
        deps.store,
        latest.escalation_id,
        step.outcome === 'DONE' ? 'COVERED' : 'EXHAUSTED',
        nowMs,
      )
      touched.push(latest.escalation_id)
      continue
    }
    if (
      latest !== undefined &&
      latest.status === 'EXHAUSTED' &&
      nowMs - Number(latest.updated_at) < config.retryMs
    )
      continue
    touched.push(await escalate(deps, environment, facts, deficit, rates.value))
  }
  return Promise.all(touched.map((id) => escalationView(deps.store, id) as Promise<EscalationView>))
}

async function setStatus(store: Store, escalationId: string, status: string, atMs: number) {
  await store.kysely
    .updateTable('reserve_escalations')
    .set({ status, updated_at: BigInt(atMs) })
    .where('escalation_id', '=', escalationId)
    .execute()
}

/** One new escalation: the steps in SPEC §8 order until the deficit is covered or a mint is on its way. */
async function escalate(
  deps: EscalationDeps,
  environment: Environment,
  facts: ReserveFacts,
  deficit: bigint,
  rates: UsdRates,
): Promise<string> {
  const escalationId = randomUUID()
  const startedAtMs = deps.clocks[environment].now()
  await deps.store.kysely
    .insertInto('reserve_escalations')
    .values({
      escalation_id: escalationId,
      environment,
      asset: facts.asset,
      deficit: deficit.toString(),
      status: 'IN_PROGRESS',
      started_at: BigInt(startedAtMs),
      updated_at: BigInt(startedAtMs),
    })
    .execute()
  let remaining = deficit
  const recall = await recallYield(deps, environment, facts, deficit, escalationId)
  await recordStep(deps.store, escalationId, 1, recall)
  remaining -= recall.amountMinor
  let status = 'COVERED'
  if (remaining > 0n) {
    const funding = fundingAsset(facts.asset, await surplusUsd(deps.store, environment, rates))
    const mint = await emergencyMint(deps, environment, facts.asset, remaining, rates, funding?.asset)
    await recordStep(deps.store, escalationId, 2, mint)
    if (mint.outcome === 'REQUESTED') status = 'WAITING_FOR_MINT'
    else {
      const rfq = await rfqStep(deps, environment, facts.asset, remaining, rates, funding, escalationId)
      await recordStep(deps.store, escalationId, 3, rfq)
      status = rfq.outcome === 'DONE' ? 'COVERED' : 'EXHAUSTED'
    }
  }
  await setStatus(deps.store, escalationId, status, deps.clocks[environment].now())
  return escalationId
}

function stepView(row: ReserveEscalationStepsTable, decimals: number): EscalationStepView {
  return {
    step: Number(row.step),
    kind: row.kind as EscalationStep,
    outcome: row.outcome as StepOutcome,
    amount: formatDecimal(BigInt(row.amount), decimals),
    reference: row.reference,
    detail: row.detail,
    started_at: new Date(Number(row.started_at)).toISOString(),
    duration_ms: Number(row.finished_at) - Number(row.started_at),
  }
}

export async function escalationView(
  store: Store,
  escalationId: string,
): Promise<EscalationView | undefined> {
  const row = await store.kysely
    .selectFrom('reserve_escalations')
    .selectAll()
    .where('escalation_id', '=', escalationId)
    .executeTakeFirst()
  if (row === undefined) return undefined
  const steps = await store.kysely
    .selectFrom('reserve_escalation_steps')
    .selectAll()
    .where('escalation_id', '=', escalationId)
    .orderBy('step')
    .execute()
  const decimals = ASSETS[row.asset as AssetCode].decimals
  return {
    escalation_id: row.escalation_id,
    environment: row.environment,
    asset: row.asset,
    deficit: formatDecimal(BigInt(row.deficit), decimals),
    status: row.status,
    started_at: new Date(Number(row.started_at)).toISOString(),
    updated_at: new Date(Number(row.updated_at)).toISOString(),
    steps: steps.map((s) => stepView(s, decimals)),
  }
}

/** The environment's escalations, newest first (the operator's view). */
export async function listEscalations(
  store: Store,
  query: { environment: Environment; asset?: AssetCode; limit: number },
): Promise<EscalationView[]> {
  const rows = await store.kysely
    .selectFrom('reserve_escalations')
    .select('escalation_id')
    .where('environment', '=', query.environment)
    .$if(query.asset !== undefined, (q) => q.where('asset', '=', query.asset as AssetCode))
    .orderBy('started_at', 'desc')
    .orderBy('escalation_id')
    .limit(query.limit)
    .execute()
  const views = await Promise.all(rows.map((r) => escalationView(store, r.escalation_id)))
  return views.filter((v): v is EscalationView => v !== undefined)
}
