/**
 * Issue 16: stress scenarios as data, and the pure parts of replaying them
 * (a seeded integer PRNG, price paths, trade schedules, the safety
 * assertions over what a run recorded). The runner (runner.ts) is the
 * imperative shell that drives the real services minute by minute.
 *
 * Every number that reaches money is a decimal string or a bigint; the PRNG
 * yields integers only (no Math.random, no float on a money path).
 */
import { add, div, formatRatio, mul, type Ratio, r, ratio } from '../money/ratio.ts'

export const SOURCES = ['primary_a', 'primary_b', 'reference'] as const
export type Source = (typeof SOURCES)[number]
export const PAIRS = ['USD-IDR', 'USD-SGD', 'USD-MYR', 'MYR-IDR'] as const
export type Pair = (typeof PAIRS)[number]
export const SCENARIO_CORRIDORS = ['USD-IDR', 'USD-SGD', 'MYR-IDR'] as const
export type ScenarioCorridor = (typeof SCENARIO_CORRIDORS)[number]
export type ScenarioAsset = 'USDT' | 'IDRX' | 'tnSGD' | 'MYRC'

/** A point of a price path: at `atMin` the mid is `bps` basis points off the pair's base (linear in between). */
export type Keyframe = { readonly atMin: number; readonly bps: string }

export type PricePath = {
  readonly pair: Pair
  /** The mid at minute 0 (decimal string). */
  readonly base: string
  /** Moves off the base; before the first and after the last keyframe the mid holds. */
  readonly keyframes?: readonly Keyframe[]
  /** Seeded noise per minute, uniform in ±noiseBps (hundredths of a bp resolution); shared by the sources. */
  readonly noiseBps?: number
  /** One source quoting off the others (bps), e.g. a primary drifting. */
  readonly sourceOffsetBps?: Partial<Record<Source, string>>
}

/** A source that sends nothing for the pairs given (all pairs when absent) from `fromMin` until `toMin`. */
export type SourceOutage = {
  readonly source: Source
  readonly pairs?: readonly Pair[]
  readonly fromMin: number
  readonly toMin: number
}

/** A simulated partner's trades: one firm quote + execute of about `amount` (base units) every `everyMin`. */
export type Flow = {
  readonly corridor: ScenarioCorridor
  readonly side: 'BUY' | 'SELL'
  /** Base-currency amount per trade (decimal string, whole units). */
  readonly amount: string
  readonly everyMin: number
  readonly fromMin: number
  readonly toMin: number
  /** Seeded size jitter, ± this percent (integer), per trade. */
  readonly jitterPct?: number
}

export type LpSpec = {
  readonly name: string
  readonly lpClass: 'A' | 'B'
  /** Deposits made during set-up, unlocked before minute 0 (asset → whole units). */
  readonly initial: Partial<Record<ScenarioAsset, string>>
}

export type LpAction =
  | {
      readonly atMin: number
      readonly kind: 'deposit'
      readonly lp: string
      readonly asset: ScenarioAsset
      readonly amount: string
    }
  | {
      readonly atMin: number
      readonly kind: 'withdraw'
      readonly lp: string
      readonly asset: ScenarioAsset
      readonly amount: string
    }

/** A simulated RFQ counterparty (src/sim/market-makers.ts), with its windows of silence. */
export type Counterparty = {
  readonly name: string
  readonly spreadBps: string
  /** IDRX it holds for fills (whole units). */
  readonly idrx: string
  readonly usdt: string
  /** Windows where its server is down (connections refused): it does not answer. */
  readonly down?: readonly { readonly fromMin: number; readonly toMin: number }[]
}

/** Operator and venue actions at a minute. */
export type OpsAction =
  | {
      readonly atMin: number
      readonly kind: 'yield_event'
      readonly asset: ScenarioAsset
      /** Signed decimal string: negative is a loss on the asset's -full kToken. */
      readonly amount: string
      readonly reason: string
    }
  | {
      readonly atMin: number
      readonly kind: 'yield_loss_pct'
      readonly asset: ScenarioAsset
      /** Percent of class B's capital (its claim) lost at the venue. */
      readonly pct: string
      readonly reason: string
    }
  | { readonly atMin: number; readonly kind: 'emergency_rfq'; readonly corridor: ScenarioCorridor }

export type Scenario = {
  readonly name: string
  readonly title: string
  readonly description: string
  readonly seed: number
  /** Minutes simulated in the default run. */
  readonly durationMin: number
  /** Minutes simulated in the fast form (`--fast`, CI). */
  readonly fastDurationMin: number
  /** What the fast form changes besides its duration. */
  readonly fast?: Partial<
    Pick<
      Scenario,
      'stress' | 'prices' | 'outages' | 'flows' | 'lpActions' | 'counterparties' | 'ops' | 'verifyEvery'
    >
  >
  /** The stress window: the "back to NORMAL" assertion counts from its end. */
  readonly stress: { readonly fromMin: number; readonly toMin: number }
  readonly prices: readonly PricePath[]
  readonly outages?: readonly SourceOutage[]
  readonly flows?: readonly Flow[]
  readonly lps?: readonly LpSpec[]
  readonly lpActions?: readonly LpAction[]
  readonly counterparties?: readonly Counterparty[]
  readonly ops?: readonly OpsAction[]
  /** Ledger verify every this many steps (and at the end); 1 = every step. */
  readonly verifyEvery?: number
}

// ---------------------------------------------------------------------------------------------- PRNG

/** xorshift32 on a uint32 state: integers only, the same sequence for the same seed everywhere. */
export type Prng = { nextU32(): number; int(maxExclusive: number): number }

export function createPrng(seed: number): Prng {
  let state = seed >>> 0 || 0x9e3779b9
  const nextU32 = () => {
    state ^= state << 13
    state >>>= 0
    state ^= state >>> 17
    state ^= state << 5
    state >>>= 0
    return state
  }
  return {
    nextU32,
    int: (maxExclusive) => (maxExclusive <= 1 ? 0 : nextU32() % maxExclusive),
  }
}

/** A sub-stream per purpose, so adding a flow does not shift the prices. */
export function forkSeed(seed: number, label: string): number {
  let h = (seed ^ 0x811c9dc5) >>> 0
  for (let i = 0; i < label.length; i++) {
    h ^= label.charCodeAt(i)
    h = Math.imul(h, 0x01000193) >>> 0
  }
  return h
}

// ---------------------------------------------------------------------------------------------- scaling

/**
 * The scenario in its fast form (`--fast`, CI): the same market and the same
 * rates of flow, over `fastDurationMin`, with the scenario's own `fast`
 * overrides (a shorter stress window, fewer LP actions…). Nothing is scaled
 * behind the author's back: what the fast form changes is written in the file.
 */
export function fastForm(s: Scenario): Scenario {
  return { ...s, ...s.fast, durationMin: s.fastDurationMin }
}

// ---------------------------------------------------------------------------------------------- prices

/** Decimals the oracle receives per pair. */
export const PAIR_DECIMALS: Readonly<Record<Pair, number>> = {
  'USD-IDR': 2,
  'USD-SGD': 6,
  'USD-MYR': 6,
  'MYR-IDR': 8,
}

/** Basis points off base at `minute` along the keyframes, exact. */
export function pathBps(keyframes: readonly Keyframe[] | undefined, minute: number): Ratio {
  if (keyframes === undefined || keyframes.length === 0) return ratio(0n)
  const first = keyframes[0] as Keyframe
  if (minute <= first.atMin) return r(first.bps)
  for (let i = 1; i < keyframes.length; i++) {
    const a = keyframes[i - 1] as Keyframe
    const b = keyframes[i] as Keyframe
    if (minute <= b.atMin) {
      if (b.atMin === a.atMin) return r(b.bps)
      const t = ratio(BigInt(minute - a.atMin), BigInt(b.atMin - a.atMin))
      return add(r(a.bps), mul(t, add(r(b.bps), mul(r(a.bps), ratio(-1n)))))
    }
  }
  return r((keyframes[keyframes.length - 1] as Keyframe).bps)
}

/** The mid a source reports at `minute` (decimal string at the pair's decimals). */
export function sourcePrice(
  path: PricePath,
  source: Source,
  minute: number,
  noiseHundredthsBps: bigint,
): string {
  const offset = path.sourceOffsetBps?.[source]
  const bps = add(
    add(pathBps(path.keyframes, minute), ratio(noiseHundredthsBps, 100n)),
    offset === undefined ? ratio(0n) : r(offset),
  )
  const price = mul(r(path.base), add(ratio(1n), div(bps, ratio(10_000n))))
  return formatRatio(price, PAIR_DECIMALS[path.pair], 'floor')
}

export function sourceIsOut(
  outages: readonly SourceOutage[] | undefined,
  source: Source,
  pair: Pair,
  minute: number,
): boolean {
  return (outages ?? []).some(
    (o) =>
      o.source === source &&
      (o.pairs === undefined || o.pairs.includes(pair)) &&
      minute >= o.fromMin &&
      minute < o.toMin,
  )
}

/** Whole units ± jitter percent, from the flow's PRNG (integers only). */
export function jitteredAmount(amount: string, jitterPct: number, prng: Prng): string {
  const whole = BigInt(amount)
  if (jitterPct <= 0) return amount
  const span = 2 * jitterPct + 1
  const pct = BigInt(prng.int(span) - jitterPct)
  return ((whole * (100n + pct)) / 100n).toString()
}

/** The flows that trade at `minute`. */
export function flowsAt(flows: readonly Flow[] | undefined, minute: number): Flow[] {
  return (flows ?? []).filter(
    (f) => minute >= f.fromMin && minute < f.toMin && (minute - f.fromMin) % f.everyMin === 0,
  )
}

// ---------------------------------------------------------------------------------------------- records

export type PoolRecord = {
  readonly asset: string
  readonly tier: string
  /** Whole units, rounded down (for charts); the checks use `belowMin`. */
  readonly balance: string
  readonly healthPct: string
  readonly status: string
  readonly belowMin: boolean
}

export type CorridorRecord = {
  readonly corridor: ScenarioCorridor
  readonly state: string
  readonly directions: string
  /** Total spread of an indicative $1,000 SELL, bps (empty when no quote). */
  readonly spreadBps: string
  /** Skew of that quote, bps, signed. */
  readonly skewBps: string
  readonly executed: number
  readonly refused: number
  /** The Active pools an execution here debited, for the min check (asset → below its min after the step). */
  readonly debited: readonly string[]
}

export type StepRecord = {
  readonly minute: number
  readonly mids: Readonly<Partial<Record<Pair, string>>>
  readonly pools: readonly PoolRecord[]
  readonly corridors: readonly CorridorRecord[]
  /** Portfolio VaR as % of its breach limit (2 decimals). */
  readonly varPct: string
  readonly queues: Readonly<Record<string, string>>
  /** kToken indexes (asset:variant → decimal, 9 places). */
  readonly indexes: Readonly<Record<string, string>>
  /** Raw RAY index per fx variant, to check class A never goes down. */
  readonly fxIndexRay: Readonly<Record<string, string>>
  readonly ledger: 'ok' | 'violated' | 'skipped'
  readonly ledgerDetail: string
  readonly notes: readonly string[]
}

export type AssertionResult = { readonly name: string; readonly passed: boolean; readonly detail: string }

export const ASSERTIONS = {
  activeMin: 'no Active pool below its min while the corridor trades',
  classA: 'class A LPs never lose principal',
  claims: 'no withdrawal paid beyond its claim',
  ledger: 'ledger verify clean at every step',
  recovery: 'each corridor back in NORMAL within one recovery cycle after the stress ends',
} as const

/** The first violation of the Active-min rule: a step where a corridor executed and a pool it debited is below min. */
export function checkActiveMin(steps: readonly StepRecord[]): AssertionResult {
  let executions = 0
  for (const step of steps) {
    for (const c of step.corridors) {
      executions += c.executed
      for (const asset of c.debited) {
        const pool = step.pools.find((p) => p.asset === asset && p.tier === 'ACTIVE')
        if (pool?.belowMin === true)
          return {
            name: ASSERTIONS.activeMin,
            passed: false,
            detail: `minute ${step.minute}: ${c.corridor} executed with Active ${asset} at ${pool.healthPct}% of target, below its min`,
          }
      }
    }
  }
  return {
    name: ASSERTIONS.activeMin,
    passed: true,
    detail: `${executions} executions, every debited Active pool at or above its min`,
  }
}

/** Class A: the fx indexes never fall, and every class A position ends with balance + withdrawn ≥ deposited. */
export function checkClassA(
  steps: readonly StepRecord[],
  positions: readonly { lp: string; asset: string; deposited: bigint; withdrawn: bigint; balance: bigint }[],
): AssertionResult {
  const last = new Map<string, bigint>()
  for (const step of steps) {
    for (const [key, text] of Object.entries(step.fxIndexRay)) {
      const value = BigInt(text)
      const before = last.get(key)
      if (before !== undefined && value < before)
        return { name: ASSERTIONS.classA, passed: false, detail: `minute ${step.minute}: ${key} index fell` }
      last.set(key, value)
    }
  }
  for (const p of positions) {
    if (p.balance + p.withdrawn < p.deposited)
      return {
        name: ASSERTIONS.classA,
        passed: false,
        detail: `${p.lp} ${p.asset}: balance ${p.balance} + withdrawn ${p.withdrawn} < deposited ${p.deposited} (minor units)`,
      }
  }
  return {
    name: ASSERTIONS.classA,
    passed: true,
    detail: `${positions.length} class A position(s) whole; fx indexes never fell over ${steps.length} steps`,
  }
}

export function checkClaims(
  withdrawals: readonly { id: string; owed: bigint; paid: bigint; tranchesPaid: bigint }[],
): AssertionResult {
  for (const w of withdrawals) {
    if (w.paid > w.owed || w.tranchesPaid > w.owed)
      return {
        name: ASSERTIONS.claims,
        passed: false,
        detail: `${w.id}: paid ${w.paid} (tranches ${w.tranchesPaid}) beyond its claim ${w.owed} (minor units)`,
      }
  }
  const paid = withdrawals.filter((w) => w.paid > 0n).length
  return {
    name: ASSERTIONS.claims,
    passed: true,
    detail: `${withdrawals.length} withdrawal(s), ${paid} paid, none beyond its claim`,
  }
}

export function checkLedger(steps: readonly StepRecord[]): AssertionResult {
  const checked = steps.filter((s) => s.ledger !== 'skipped')
  const bad = checked.find((s) => s.ledger === 'violated')
  if (bad !== undefined)
    return { name: ASSERTIONS.ledger, passed: false, detail: `minute ${bad.minute}: ${bad.ledgerDetail}` }
  return {
    name: ASSERTIONS.ledger,
    passed: true,
    detail: `verified clean at ${checked.length} of ${steps.length} steps (every ${checked.length === steps.length ? 'step' : 'few steps, and the last'})`,
  }
}

/**
 * SPEC §6.3: after the stress window ends, each corridor must be NORMAL again
 * within `allowanceMin` (the volatility window, which must first forget the
 * last move, plus one 5-minute recovery cycle) and stay NORMAL to the end.
 */
export function checkRecovery(
  steps: readonly StepRecord[],
  stressEndMin: number,
  allowanceMin: number,
): AssertionResult {
  const deadline = stressEndMin + allowanceMin
  const last = steps[steps.length - 1]
  if (last === undefined || last.minute < deadline)
    return {
      name: ASSERTIONS.recovery,
      passed: false,
      detail: `the run ends at minute ${last?.minute ?? 0}, before the deadline (minute ${deadline})`,
    }
  const late: string[] = []
  for (const corridor of SCENARIO_CORRIDORS) {
    const bad = steps.filter(
      (s) => s.minute >= deadline && s.corridors.find((c) => c.corridor === corridor)?.state !== 'NORMAL',
    )
    if (bad.length > 0) {
      const first = bad[0] as StepRecord
      late.push(
        `${corridor} ${first.corridors.find((c) => c.corridor === corridor)?.state} at minute ${first.minute}`,
      )
    }
  }
  if (late.length > 0)
    return {
      name: ASSERTIONS.recovery,
      passed: false,
      detail: `stress ended at minute ${stressEndMin}; not NORMAL from minute ${deadline}: ${late.join('; ')}`,
    }
  return {
    name: ASSERTIONS.recovery,
    passed: true,
    detail: `stress ended at minute ${stressEndMin}; every corridor NORMAL from minute ${deadline} to the end`,
  }
}
