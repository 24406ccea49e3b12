import { ASSET_BY_FIAT, type AssetConfig } from '../config/assets.ts'
import { CORRIDORS, type CorridorId } from '../config/corridors.ts'
import { cmp, type Ratio, ratio } from '../money/ratio.ts'
import { pow10 } from '../money/rounding.ts'
import type { Side } from '../risk/states.ts'
import { type Allocation, allocateFifo } from './batch-model.ts'
import type { Direction } from './planner.ts'

/**
 * SPEC §8 Phase 2 and the SPEC §6.2 exposure actions, as pure functions of
 * the bag, the portfolio VaR and the time: which batches the Reserve buys
 * back now, by which route, and why. The `phase2.<environment>` worker
 * gathers the inputs and carries the plan out (src/rebalancing/buyback.ts).
 *
 * A LONG_BASE batch is BASE the Reserve bought from the Active pools: it is
 * closed by selling that BASE for QUOTE. A SHORT_BASE batch is BASE the
 * Reserve sold: it is closed by buying BASE back with QUOTE. Either way the
 * Reserve buys back the asset it is short of.
 */

export const CLOSE_METHODS = ['RFQ', 'ISSUER_REDEEM'] as const
export type CloseMethod = (typeof CLOSE_METHODS)[number]

export const CLOSE_TRIGGERS = ['AGE', 'VAR_WARNING', 'VAR_BREACH', 'EMERGENCY_THRESHOLD', 'OPERATOR'] as const
export type CloseTrigger = (typeof CLOSE_TRIGGERS)[number]

export type Phase2Config = {
  /** [ours] A settled batch no opposite flow netted is bought back this long after it opened. */
  readonly closeAfterMs: number
  /** SPEC §6.2 "RFQ within 1–4 h" after a VaR warning: the buy-back is due at the start of that window… */
  readonly warnDelayMs: number
  /** …and retried until its end. */
  readonly warnWindowMs: number
  /** [ours] A buy-back that found no route is tried again after this long. */
  readonly retryMs: number
  /** [ours] An automatic emergency RFQ that found no quote is tried again after this long. */
  readonly emergencyRetryMs: number
  /** [ours] A buy-back claim older than this whose RFQ never came back (a node died mid-call) is released. */
  readonly rfqClaimMs: number
  /** [ours] An issuer redemption not completed within this long is given up (the issuer may still complete it). */
  readonly issuerClaimMs: number
}

export const DEFAULT_PHASE2_CONFIG: Phase2Config = {
  closeAfterMs: 24 * 3_600_000,
  warnDelayMs: 3_600_000,
  warnWindowMs: 4 * 3_600_000,
  retryMs: 15 * 60_000,
  emergencyRetryMs: 60_000,
  rfqClaimMs: 2 * 60_000,
  issuerClaimMs: 24 * 3_600_000,
}

/** A batch as Phase 2 sees it. */
export type BagBatch = {
  readonly batchId: string
  readonly corridor: CorridorId
  readonly direction: Direction
  readonly status: 'OPEN' | 'SETTLED_INTERNALLY'
  /** BASE smallest units still held or owed. */
  readonly openMinor: bigint
  readonly openedAtMs: number
  readonly closeDueAtMs: number | null
  /** A buy-back holds it now. */
  readonly closing: boolean
  /** Its last failed buy-back, and whether that one went to the issuer. */
  readonly lastFailure: { readonly atMs: number; readonly method: CloseMethod } | null
}

/** The portfolio VaR against SPEC §6.2's thresholds (5% and 10% of reserve capital). */
export type VarLevel = 'NORMAL' | 'WARNING' | 'BREACH'

export function varLevel(varPctOfLimit: Ratio, warnPctOfCapital: Ratio, breachPctOfCapital: Ratio): VarLevel {
  // varPctOfLimit is VaR in percent of the breach limit: the warning sits at warn / breach of it.
  if (cmp(varPctOfLimit, ratio(100n)) >= 0) return 'BREACH'
  const warnPctOfLimit = ratio(
    warnPctOfCapital.num * breachPctOfCapital.den * 100n,
    warnPctOfCapital.den * breachPctOfCapital.num,
  )
  return cmp(varPctOfLimit, warnPctOfLimit) >= 0 ? 'WARNING' : 'NORMAL'
}

export type Phase2Input = {
  readonly nowMs: number
  /** Open batches (OPEN and SETTLED_INTERNALLY), oldest first. */
  readonly batches: readonly BagBatch[]
  readonly varLevel: VarLevel
  /** Corridors whose Phase 1 fired an emergency rebalance since their last emergency RFQ (SPEC §8). */
  readonly emergencyCorridors: readonly CorridorId[]
  /** Each corridor's bag in USD at the mid: a VaR breach buys back the largest first. */
  readonly bagUsd: ReadonlyMap<CorridorId, Ratio>
  /** When each corridor's last emergency RFQ was tried. */
  readonly lastEmergencyMs: ReadonlyMap<CorridorId, number>
  /** Whether the issuer of an asset takes redemptions (`redeem_url`): issuer-heavy pools go there first. */
  readonly redeemable: (asset: AssetConfig['code']) => boolean
}

export type PlannedClose = {
  readonly corridor: CorridorId
  readonly batchIds: readonly string[]
  readonly method: CloseMethod
  readonly purpose: 'REBALANCE' | 'EMERGENCY'
  readonly trigger: CloseTrigger
}

export type Phase2Plan = {
  /** SPEC §6.2 VaR warning: the oldest batch stops taking fills now and is due at `dueAtMs`. */
  readonly closeEarly: { readonly batchId: string; readonly dueAtMs: number } | null
  readonly closes: readonly PlannedClose[]
}

/** The asset a batch leaves the Reserve holding too much of (what a redemption gives back). */
export function surplusAsset(corridor: CorridorId, direction: Direction): AssetConfig {
  const { base, quote } = CORRIDORS[corridor]
  return ASSET_BY_FIAT[direction === 'LONG_BASE' ? base : quote]
}

/** When a batch is due for its buy-back: its early date, else its age limit. */
export function dueAtMs(batch: BagBatch, config: Phase2Config): number {
  return batch.closeDueAtMs ?? batch.openedAtMs + config.closeAfterMs
}

function emergencyCorridors(input: Phase2Input, config: Phase2Config): PlannedClose[] {
  const wanted = new Map<CorridorId, CloseTrigger>()
  for (const corridor of input.emergencyCorridors) wanted.set(corridor, 'EMERGENCY_THRESHOLD')
  if (input.varLevel === 'BREACH') {
    // SPEC §6.2 breach → emergency RFQ: the corridor whose bag is worth most carries most of the VaR.
    const largest = [...input.bagUsd.entries()]
      .filter(([, usd]) => usd.num > 0n)
      .sort((a, b) => cmp(b[1], a[1]))[0]
    if (largest !== undefined && !wanted.has(largest[0])) wanted.set(largest[0], 'VAR_BREACH')
  }
  const closes: PlannedClose[] = []
  for (const [corridor, trigger] of wanted) {
    const last = input.lastEmergencyMs.get(corridor)
    if (last !== undefined && input.nowMs - last < config.emergencyRetryMs) continue
    const batchIds = input.batches.filter((b) => b.corridor === corridor && !b.closing).map((b) => b.batchId)
    if (batchIds.length === 0) continue
    closes.push({ corridor, batchIds, method: 'RFQ', purpose: 'EMERGENCY', trigger })
  }
  return closes
}

/**
 * One Phase 2 pass: emergency RFQs first (SPEC §8 emergency, SPEC §6.2 VaR
 * breach), then the VaR warning's early close of the oldest batch, then every
 * batch that is due: by issuer redemption when the asset it leaves in surplus
 * has an issuer taking redemptions (unless that route just failed for it),
 * else by RFQ. A batch that failed waits `retryMs` before its next try.
 */
export function planPhase2(input: Phase2Input, config: Phase2Config = DEFAULT_PHASE2_CONFIG): Phase2Plan {
  const closes = emergencyCorridors(input, config)
  const taken = new Set(closes.flatMap((c) => c.batchIds))
  let closeEarly: Phase2Plan['closeEarly'] = null
  if (input.varLevel === 'WARNING') {
    const scheduled = input.batches.some(
      (b) => b.closing || (b.closeDueAtMs !== null && b.closeDueAtMs > input.nowMs),
    )
    const oldest = input.batches.find((b) => !taken.has(b.batchId))
    if (!scheduled && oldest !== undefined && dueAtMs(oldest, config) > input.nowMs + config.warnDelayMs) {
      closeEarly = { batchId: oldest.batchId, dueAtMs: input.nowMs + config.warnDelayMs }
    }
  }
  for (const batch of input.batches) {
    if (batch.closing || taken.has(batch.batchId)) continue
    if (dueAtMs(batch, config) > input.nowMs) continue
    if (batch.lastFailure !== null && input.nowMs - batch.lastFailure.atMs < config.retryMs) continue
    const issuer =
      input.redeemable(surplusAsset(batch.corridor, batch.direction).code) &&
      batch.lastFailure?.method !== 'ISSUER_REDEEM'
    closes.push({
      corridor: batch.corridor,
      batchIds: [batch.batchId],
      method: issuer ? 'ISSUER_REDEEM' : 'RFQ',
      purpose: 'REBALANCE',
      trigger: batch.closeDueAtMs === null ? 'AGE' : 'VAR_WARNING',
    })
  }
  return { closeEarly, closes }
}

/** The RFQ a buy-back of `volumeMinor` BASE sends, from the Reserve's side as the taker (SPEC §1). */
export function buybackOrder(
  corridor: CorridorId,
  direction: Direction,
  volumeMinor: bigint,
): {
  side: Side
  source: AssetConfig
  destination: AssetConfig
  size: { kind: 'source' | 'destination'; minor: bigint }
} {
  const { base, quote } = CORRIDORS[corridor]
  const baseAsset = ASSET_BY_FIAT[base]
  const quoteAsset = ASSET_BY_FIAT[quote]
  return direction === 'LONG_BASE'
    ? // The Reserve sells the BASE it holds for QUOTE.
      {
        side: 'SELL',
        source: baseAsset,
        destination: quoteAsset,
        size: { kind: 'source', minor: volumeMinor },
      }
    : // The Reserve buys back the BASE it owes with QUOTE.
      {
        side: 'BUY',
        source: quoteAsset,
        destination: baseAsset,
        size: { kind: 'destination', minor: volumeMinor },
      }
}

/** R_executed of a buy-back: QUOTE per BASE in whole units, from what actually moved (exact). */
export function executedRate(corridor: CorridorId, baseMinor: bigint, quoteMinor: bigint): Ratio {
  const { base, quote } = CORRIDORS[corridor]
  if (baseMinor <= 0n) throw new RangeError('a buy-back moves some BASE')
  return ratio(
    quoteMinor * pow10(ASSET_BY_FIAT[base].decimals),
    baseMinor * pow10(ASSET_BY_FIAT[quote].decimals),
  )
}

/** The claimed batches a buy-back of `volumeMinor` closes, oldest first (an emergency amount may stop inside one). */
export function claimFifo(
  batches: readonly { readonly batchId: string; readonly openMinor: bigint }[],
  volumeMinor: bigint | undefined,
): Allocation[] {
  const total = batches.reduce((sum, b) => sum + b.openMinor, 0n)
  const wanted = volumeMinor === undefined || volumeMinor > total ? total : volumeMinor
  return allocateFifo(
    batches.map((b) => ({ batchId: b.batchId, openMinor: b.openMinor })),
    wanted,
  ).allocations
}
