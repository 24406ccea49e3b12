import { recordAudit } from '../audit/audit.ts'
import { ASSET_BY_FIAT, type AssetCode } from '../config/assets.ts'
import { CORRIDOR_IDS, CORRIDORS, type CorridorId } from '../config/corridors.ts'
import { ENVIRONMENTS, type Environment } from '../config/environment.ts'
import type { RiskConfig } from '../config/risk.ts'
import { fail, type Result } from '../errors.ts'
import { issuerFor } from '../issuers/requests.ts'
import { add, cmp, percent, type Ratio, ZERO } from '../money/ratio.ts'
import { minorToUsd, usdToMinor } from '../pools/model.ts'
import type { RiskEngine } from '../risk/engine.ts'
import type { Worker } from '../workers/runner.ts'
import { openMinorOf, readOpenBatches } from './batches.ts'
import {
  type BuybackDeps,
  buyBack,
  type CloseView,
  lastEmergencyRfq,
  listCloses,
  releaseStaleCloses,
} from './buyback.ts'
import {
  type BagBatch,
  type CloseMethod,
  DEFAULT_PHASE2_CONFIG,
  type Phase2Config,
  planPhase2,
  varLevel,
} from './phase2.ts'
import {
  type EscalationDeps,
  type EscalationView,
  listEscalations,
  runEscalations,
} from './reserve-escalation.ts'

/**
 * SPEC §8 Phase 2, the SPEC §6.2 exposure actions and the smart rebalancing
 * escalation, as one service: the `phase2.<environment>` worker's pass, the
 * operator's emergency RFQ, and what the operator reads.
 */
export type Phase2Deps = BuybackDeps &
  EscalationDeps & {
    readonly engine: Pick<RiskEngine, 'poke' | 'varPctOfLimit'>
    readonly riskConfig: RiskConfig
    readonly config?: Phase2Config
    readonly log?: { warn(obj: object, msg: string): void; info?(obj: object, msg: string): void }
  }

export type Phase2Pass = {
  readonly environment: Environment
  readonly released: number
  readonly closeEarly: { batchId: string; dueAtMs: number } | null
  readonly closes: readonly CloseView[]
  readonly escalations: readonly EscalationView[]
}

export type EmergencyRfqInput = {
  readonly environment: Environment
  readonly corridor: CorridorId
  /** USD worth of the bag to buy back, at the oracle mid; the whole bag when absent. */
  readonly amountUsd?: Ratio
}

export type Phase2Service = {
  run(environment: Environment, stillHeld?: () => boolean): Promise<Phase2Pass>
  /** SPEC §13 POST /v1/reserve/emergency-rfq: buys back the corridor's bag now (audited). */
  emergencyRfq(input: EmergencyRfqInput, actor: string): Promise<Result<CloseView>>
  closes(environment: Environment, corridor: CorridorId | undefined, limit: number): Promise<CloseView[]>
  escalations(
    environment: Environment,
    asset: AssetCode | undefined,
    limit: number,
  ): Promise<EscalationView[]>
  lastEmergencyRfq(environment: Environment): Promise<CloseView | null>
}

export const phase2WorkerName = (environment: Environment) => `phase2.${environment}`

export function createPhase2Service(deps: Phase2Deps): Phase2Service {
  const config = deps.config ?? DEFAULT_PHASE2_CONFIG

  /** Each batch's last failed buy-back within the retry window. */
  async function lastFailures(environment: Environment, nowMs: number) {
    const rows = await deps.store.kysely
      .selectFrom('batch_closes')
      .select(['batches', 'method', 'updated_at'])
      .where('environment', '=', environment)
      .where('status', '=', 'FAILED')
      .where('updated_at', '>=', BigInt(nowMs - Math.max(config.retryMs, config.emergencyRetryMs)))
      .orderBy('updated_at')
      .execute()
    const failures = new Map<string, { atMs: number; method: CloseMethod }>()
    for (const row of rows)
      for (const b of JSON.parse(row.batches) as { batch_id: string }[])
        failures.set(b.batch_id, { atMs: Number(row.updated_at), method: row.method as CloseMethod })
    return failures
  }

  /** Corridors whose Phase 1 fired an emergency rebalance after their last emergency RFQ (SPEC §8). */
  async function emergencies(environment: Environment) {
    const lastEmergencyMs = new Map<CorridorId, number>()
    const corridors: CorridorId[] = []
    for (const corridor of CORRIDOR_IDS) {
      const last = await deps.store.kysely
        .selectFrom('batch_closes')
        .select('created_at')
        .where('environment', '=', environment)
        .where('corridor', '=', corridor)
        .where('purpose', '=', 'EMERGENCY')
        .orderBy('created_at', 'desc')
        .limit(1)
        .executeTakeFirst()
      if (last !== undefined) lastEmergencyMs.set(corridor, Number(last.created_at))
      const fired = await deps.store.kysely
        .selectFrom('rebalances')
        .select('created_at')
        .where('environment', '=', environment)
        .where('corridor', '=', corridor)
        .where('emergency', '=', 1n)
        .orderBy('created_at', 'desc')
        .limit(1)
        .executeTakeFirst()
      if (fired !== undefined && (last === undefined || Number(fired.created_at) > Number(last.created_at)))
        corridors.push(corridor)
    }
    return { corridors, lastEmergencyMs }
  }

  async function redeemableAssets(): Promise<Set<string>> {
    const assets = new Set<string>()
    for (const code of ['USDT', 'IDRX', 'tnSGD', 'MYRC'] as AssetCode[])
      if ((await issuerFor(deps.store, code, 'REDEEM')) !== undefined) assets.add(code)
    return assets
  }

  async function run(environment: Environment, stillHeld: () => boolean = () => true): Promise<Phase2Pass> {
    const released = await releaseStaleCloses(deps, environment, config)
    const nowMs = deps.clocks[environment].now()
    const open = await readOpenBatches(deps.store, environment)
    const rates = deps.moneyRates(environment)
    const bagUsd = new Map<CorridorId, Ratio>()
    if (rates.ok) {
      for (const batch of open) {
        const base = ASSET_BY_FIAT[CORRIDORS[batch.corridor].base].code
        bagUsd.set(
          batch.corridor,
          add(bagUsd.get(batch.corridor) ?? ZERO, minorToUsd(openMinorOf(batch), base, rates.value)),
        )
      }
    }
    const failures = await lastFailures(environment, nowMs)
    const { corridors, lastEmergencyMs } = await emergencies(environment)
    const redeemable = await redeemableAssets()
    const e = deps.riskConfig.exposure
    const level =
      open.length === 0
        ? 'NORMAL'
        : varLevel(
            await deps.engine.varPctOfLimit(environment),
            percent(e.varWarnAtPctOfCapital),
            percent(e.varBreachAtPctOfCapital),
          )
    const batches: BagBatch[] = open.map((b) => ({
      batchId: b.batchId,
      corridor: b.corridor,
      direction: b.direction,
      status: b.status as BagBatch['status'],
      openMinor: openMinorOf(b),
      openedAtMs: b.openedAtMs,
      closeDueAtMs: b.closeDueAtMs,
      closing: b.closingId !== null,
      lastFailure: failures.get(b.batchId) ?? null,
    }))
    const plan = planPhase2(
      {
        nowMs,
        batches,
        varLevel: level,
        emergencyCorridors: corridors,
        bagUsd,
        lastEmergencyMs,
        redeemable: (asset) => redeemable.has(asset),
      },
      config,
    )
    if (plan.closeEarly !== null) {
      const { batchId, dueAtMs } = plan.closeEarly
      // SPEC §6.2 VaR warning: the batch stops taking fills now; its buy-back is due in the 1–4 h window.
      await deps.store.kysely
        .updateTable('rebalance_batches')
        .set({ status: 'SETTLED_INTERNALLY', close_due_at: BigInt(dueAtMs), updated_at: BigInt(nowMs) })
        .where('batch_id', '=', batchId)
        .where('status', 'in', ['OPEN', 'SETTLED_INTERNALLY'])
        .execute()
      await deps.store.kysely
        .updateTable('rebalance_batches')
        .set({ settled_at: BigInt(nowMs) })
        .where('batch_id', '=', batchId)
        .where('settled_at', 'is', null)
        .execute()
      deps.log?.warn(
        { environment, batch_id: batchId, due_at: new Date(dueAtMs).toISOString() },
        'VaR warning: batch closed early, buy-back scheduled',
      )
    }
    const closes: CloseView[] = []
    for (const planned of plan.closes) {
      if (!stillHeld()) break
      const request = {
        environment,
        corridor: planned.corridor,
        batchIds: planned.batchIds,
        purpose: planned.purpose,
        trigger: planned.trigger,
      }
      const done = await buyBack(deps, { ...request, method: planned.method })
      if (!done.ok) continue
      closes.push(done.value)
      // Issue 11 "RFQ or issuer redemption": a redemption the issuer refused goes to the RFQ counterparties at once.
      if (done.value.status === 'FAILED' && planned.method === 'ISSUER_REDEEM') {
        const again = await buyBack(deps, { ...request, method: 'RFQ' })
        if (again.ok) closes.push(again.value)
      }
    }
    for (const close of closes.filter((c) => c.status === 'FAILED'))
      deps.log?.warn(
        { environment, close_id: close.close_id, corridor: close.corridor, error: close.error },
        'buy-back failed',
      )
    const escalations = stillHeld() ? await runEscalations(deps, environment) : []
    if (closes.some((c) => c.status === 'FILLED') || escalations.length > 0)
      deps.engine.poke(environment, 'rebalance')
    return { environment, released, closeEarly: plan.closeEarly, closes, escalations }
  }

  return {
    run,
    async emergencyRfq(input, actor) {
      const rates = deps.moneyRates(input.environment)
      let volumeMinor: bigint | undefined
      if (input.amountUsd !== undefined) {
        if (!rates.ok) return rates
        const base = ASSET_BY_FIAT[CORRIDORS[input.corridor].base].code
        volumeMinor = usdToMinor(input.amountUsd, base, rates.value)
        if (volumeMinor === 0n || cmp(input.amountUsd, ZERO) <= 0)
          return fail(
            'VALIDATION_ERROR',
            'amount is worth less than the smallest unit of the corridor’s BASE',
          )
      }
      const done = await buyBack(deps, {
        environment: input.environment,
        corridor: input.corridor,
        ...(volumeMinor === undefined ? {} : { volumeMinor }),
        method: 'RFQ',
        purpose: 'EMERGENCY',
        trigger: 'OPERATOR',
        actor,
      })
      await deps.store.transaction((tx) =>
        recordAudit(tx, {
          actor,
          action: 'reserve.emergency_rfq',
          targetType: 'corridor',
          targetId: input.corridor,
          before: null,
          after: done.ok ? done.value : { error: done.code, message: done.message },
          atMs: deps.clocks.live.now(),
        }),
      )
      if (!done.ok) return done
      if (done.value.status === 'FILLED') deps.engine.poke(input.environment, 'rebalance')
      return done
    },
    closes: (environment, corridor, limit) =>
      listCloses(deps.store, { environment, ...(corridor === undefined ? {} : { corridor }), limit }),
    escalations: (environment, asset, limit) =>
      listEscalations(deps.store, { environment, ...(asset === undefined ? {} : { asset }), limit }),
    lastEmergencyRfq: (environment) => lastEmergencyRfq(deps.store, environment),
  }
}

/** One Phase 2 worker per environment, every 5 s [ours]: RFQs and issuers are slow; Phase 1 runs apart. */
export function phase2Workers(service: Phase2Service): Worker[] {
  return ENVIRONMENTS.map((environment) => ({
    name: phase2WorkerName(environment),
    everyMs: 5_000,
    run: ({ stillHeld }) => service.run(environment, stillHeld),
  }))
}
