/**
 * Issue 16: replays a scenario (model.ts) against the real services,
 * in-process: `createStablefx` on a fresh SQLite database in a temporary
 * directory (removed afterwards), a manual clock, the oracle in `manual`
 * mode. Nothing runs on a timer: each simulated minute the runner moves the
 * clock, feeds the prices, and runs the background work itself in a fixed
 * order, so the same seed replays the same minutes.
 *
 * One step (one minute), in order:
 *   1. clock +60 s; counterparties go down or come back;
 *   2. every source not in an outage prices every pair (sandbox);
 *   3. the risk worker's tick (degradation; the SPEC §6.3 recovery every 5 min);
 *   4. operator / venue actions, then LP deposits and withdrawals (HTTP);
 *   5. the flows: firm quote + execute through the partner API, each
 *      execution followed by one rebalancer run (a server wakes it after
 *      every execution);
 *   6. rebalancer, Phase 2, quote expiry, withdrawal worker (when a
 *      withdrawal is open), pending-deposit filler (when there are LPs),
 *      oracle log pruning;
 *   7. the degradation checks the step asked for; then the record.
 * Ledger verify runs every `verifyEvery` steps (15 by default) and after the
 * last: it reads the whole journal, too costly for every step of a long run.
 * The SQLite file runs with synchronous=OFF (a throwaway database).
 *
 * Only the sandbox environment is driven (the faucet and LP set-up are sandbox features).
 */
import { createHash, randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { sql } from 'kysely'
import { createStablefx, type Stablefx } from '../app.ts'
import { createManualClock } from '../clock/clock.ts'
import type { AssetCode } from '../config/assets.ts'
import { CORRIDORS } from '../config/corridors.ts'
import { expireQuotes } from '../events/quote-expiry.ts'
import { verifyLedger } from '../ledger/verify.ts'
import { fillPendingDeposits } from '../liquidity/pending.ts'
import { withdrawalQueueState } from '../liquidity/queue-state.ts'
import { processWithdrawals } from '../liquidity/withdrawal-worker.ts'
import type { WithdrawalDeps } from '../liquidity/withdrawals.ts'
import { formatDecimal, parseDecimal } from '../money/decimal.ts'
import { div, formatRatio, mul, type Ratio, r, ratio } from '../money/ratio.ts'
import type { OraclePair } from '../oracle/pairs.ts'
import { listPools } from '../pools/service.ts'
import { type RebalancerDeps, runRebalancer } from '../rebalancing/worker.ts'
import { type MarketMaker, startMarketMaker } from '../sim/market-makers.ts'
import { openStore, type Store } from '../store/store.ts'
import {
  type AssertionResult,
  type CorridorRecord,
  checkActiveMin,
  checkClaims,
  checkClassA,
  checkLedger,
  checkRecovery,
  createPrng,
  fastForm,
  flowsAt,
  forkSeed,
  jitteredAmount,
  PAIRS,
  type Pair,
  type PoolRecord,
  SCENARIO_CORRIDORS,
  type Scenario,
  type ScenarioAsset,
  SOURCES,
  type StepRecord,
  sourceIsOut,
  sourcePrice,
} from './model.ts'

/** Minute 0 is Monday 23 November 2026 00:00 UTC; set-up (wallet cooling, deposit locks) runs the 4 days before. */
export const SCENARIO_START_MS = Date.UTC(2026, 10, 23)
const SETUP_MS = 4 * 24 * 3_600_000
const MINUTE_MS = 60_000
/** SPEC §6.2 volatility window (5 min) + one SPEC §6.3 recovery cycle (5 min). */
export const RECOVERY_ALLOWANCE_MIN = 10
const ADDRESS = `0x${'ab'.repeat(20)}`

export type RunOptions = {
  readonly seed?: number
  readonly fast?: boolean
  /** Progress lines (the CLI sends them to stderr). */
  readonly log?: (line: string) => void
}

export type RunResult = {
  readonly scenario: Scenario
  readonly seed: number
  readonly fast: boolean
  readonly steps: readonly StepRecord[]
  readonly assertions: readonly AssertionResult[]
  readonly passed: boolean
  /** Totals of the run (for the report). */
  readonly totals: Readonly<Record<string, string>>
}

type Partner = { id: string; headers: Record<string, string> }

/** USD per unit of each asset at the scenario's base mids (funding estimates only). */
function unitsPerUsd(scenario: Scenario, asset: ScenarioAsset): Ratio {
  const base = (pair: Pair) => r(scenario.prices.find((p) => p.pair === pair)?.base ?? '1')
  if (asset === 'USDT') return ratio(1n)
  if (asset === 'IDRX') return base('USD-IDR')
  if (asset === 'tnSGD') return base('USD-SGD')
  return base('USD-MYR')
}

const DECIMALS: Record<ScenarioAsset, number> = { USDT: 6, IDRX: 2, tnSGD: 6, MYRC: 18 }

function wallet(name: string): string {
  return `0x${createHash('sha256').update(`scenario-wallet-${name}`).digest('hex').slice(0, 40)}`
}

export async function runScenario(input: Scenario, options: RunOptions = {}): Promise<RunResult> {
  const fast = options.fast ?? false
  const scenario = fast ? fastForm(input) : input
  const seed = options.seed ?? scenario.seed
  const log = options.log ?? (() => {})
  const dir = mkdtempSync(join(tmpdir(), 'stablefx-scenario-'))
  const clock = createManualClock(SCENARIO_START_MS - SETUP_MS)
  let store: Store | undefined
  let stablefx: Stablefx | undefined
  const makers = new Map<string, { mm: MarketMaker; port: number; partner: Partner; up: boolean }>()
  try {
    store = await openStore(`file:${join(dir, 'scenario.db')}`)
    // A throwaway database: no fsync per commit (the replay is the same; only the crash-durability goes).
    await sql`pragma synchronous = OFF`.execute(store.kysely)
    const adminToken = `adm_${randomBytes(24).toString('hex')}`
    const opsToken = `ops_${randomBytes(24).toString('hex')}`
    stablefx = await createStablefx({
      store,
      adminToken,
      opsToken,
      liveClock: clock,
      logLevel: 'silent',
      rateLimit: false,
      processMetrics: false,
      oracleMode: 'manual',
      rebalancer: true,
    })
    const app = stablefx.app
    const services = stablefx.services
    const adminHeaders = { authorization: `Bearer ${adminToken}` }
    const opsHeaders = { authorization: `Bearer ${opsToken}` }
    const call = async (
      method: 'GET' | 'POST' | 'PATCH',
      url: string,
      headers: Record<string, string>,
      payload?: Record<string, unknown>,
    ) => {
      const response = await app.inject({
        method,
        url,
        headers,
        ...(payload === undefined ? {} : { payload }),
      })
      const body = response.body === '' ? {} : (JSON.parse(response.body) as Record<string, unknown>)
      return { status: response.statusCode, body }
    }
    const must = async (...args: Parameters<typeof call>) => {
      const response = await call(...args)
      if (response.status >= 300)
        throw new Error(`${args[0]} ${args[1]} answered ${response.status}: ${JSON.stringify(response.body)}`)
      return response.body
    }

    // ------------------------------------------------------------------ prices
    const pricePrng = createPrng(forkSeed(seed, 'prices'))
    const noiseAt = new Map<string, bigint>()
    let minute = 0
    const mids: Partial<Record<Pair, string>> = {}
    async function feedPrices(atMinute: number) {
      const submissions = []
      for (const pair of PAIRS) {
        const path = scenario.prices.find((p) => p.pair === pair)
        if (path === undefined) continue
        const key = `${pair}@${atMinute}`
        let noise = noiseAt.get(key)
        if (noise === undefined) {
          const span = BigInt(path.noiseBps ?? 0) * 100n
          noise = span === 0n ? 0n : BigInt(pricePrng.int(Number(span) * 2 + 1)) - span
          noiseAt.set(key, noise)
        }
        mids[pair] = sourcePrice({ ...path, sourceOffsetBps: {} }, 'primary_a', atMinute, noise)
        for (const source of SOURCES) {
          if (sourceIsOut(scenario.outages, source, pair, atMinute)) continue
          submissions.push({
            environment: 'sandbox' as const,
            source,
            pair: pair as OraclePair,
            price: r(sourcePrice(path, source, atMinute, noise)),
            atMs: services.clocks.sandbox.now(),
          })
        }
      }
      if (submissions.length === 0) return
      const accepted = await services.oracle.submitMany(submissions)
      if (!accepted.ok) throw new Error(`prices refused: ${accepted.message}`)
    }
    const settle = async () => {
      await new Promise((resolve) => setImmediate(resolve))
      await services.risk.evaluateNow('sandbox', 'degrade', 'timer')
    }
    const recoverNow = async () => {
      await settle()
      await services.risk.evaluateNow('sandbox', 'recover', 'operator')
    }

    // ------------------------------------------------------------------ set-up (4 days before minute 0)
    await feedPrices(0)
    await recoverNow()
    const partnerOf = (created: Record<string, unknown>): Partner => ({
      id: created.partner_id as string,
      headers: {
        authorization: `Bearer ${created.sandbox_api_key as string}`,
        'x-partner-id': created.partner_id as string,
      },
    })
    const ramp = partnerOf(
      await must('POST', '/admin/v1/partners', adminHeaders, {
        name: 'Scenario Ramp',
        type: 'ON_OFF_RAMP',
        corridors: [...SCENARIO_CORRIDORS],
        limits: { daily_per_corridor_usd: '100000000', monthly_usd: '1000000000' },
      }),
    )
    async function faucet(partner: Partner, asset: ScenarioAsset, units: bigint) {
      // The faucet credits at most $1,000,000 a call: chunks of $900,000 at the base mid.
      const chunk = (900_000n * unitsPerUsd(scenario, asset).num) / unitsPerUsd(scenario, asset).den
      for (let left = units; left > 0n; left -= chunk) {
        const amount = left < chunk ? left : chunk
        await must('POST', '/v1/sandbox/faucet', partner.headers, { asset, amount: amount.toString() })
      }
    }
    // The ramp's source balances: every flow's trades at their largest jitter, plus 10 %.
    const needs = new Map<ScenarioAsset, bigint>()
    for (const flow of scenario.flows ?? []) {
      const { base, quote } = CORRIDORS[flow.corridor]
      const asset = assetOfFiat(flow.side === 'SELL' ? base : quote)
      const trades = BigInt(Math.ceil((flow.toMin - flow.fromMin) / flow.everyMin))
      const most = (BigInt(flow.amount) * BigInt(100 + (flow.jitterPct ?? 0)) * 110n) / 10_000n
      needs.set(asset, (needs.get(asset) ?? 0n) + trades * most + 1n)
    }
    for (const [asset, units] of needs) await faucet(ramp, asset, units)

    const lps = new Map<string, Partner>()
    for (const spec of scenario.lps ?? []) {
      const lp = partnerOf(
        await must('POST', '/admin/v1/partners', adminHeaders, {
          name: spec.name,
          type: 'LP',
          corridors: [],
          liquidity_class: spec.lpClass,
          deposit_acceptance: true,
        }),
      )
      lps.set(spec.name, lp)
      await must('POST', `/admin/v1/partners/${lp.id}/wallets`, adminHeaders, {
        address: wallet(spec.name),
        label: 'scenario wallet',
      })
      const total = new Map<ScenarioAsset, bigint>()
      for (const [asset, amount] of Object.entries(spec.initial) as [ScenarioAsset, string][])
        total.set(asset, BigInt(amount))
      for (const action of scenario.lpActions ?? [])
        if (action.lp === spec.name && action.kind === 'deposit')
          total.set(action.asset, (total.get(action.asset) ?? 0n) + BigInt(action.amount))
      for (const [asset, units] of total) await faucet(lp, asset, units)
    }
    // SPEC §9: wallets are usable 24 h after whitelisting.
    clock.advance(24 * 3_600_000)
    await feedPrices(0)
    await recoverNow()
    for (const spec of scenario.lps ?? []) {
      const lp = lps.get(spec.name) as Partner
      for (const [asset, amount] of Object.entries(spec.initial) as [ScenarioAsset, string][])
        await must('POST', '/v1/lp/deposits', lp.headers, { asset, amount, from_address: wallet(spec.name) })
    }
    // SPEC §7.1 locks (IDRX and MYRC 72 h) have passed by minute 0.
    clock.advance(3 * 24 * 3_600_000)

    const counterpartyPrng = createPrng(forkSeed(seed, 'counterparties'))
    for (const spec of scenario.counterparties ?? []) {
      const mm = await startMarketMaker({
        name: spec.name,
        spreadBps: spec.spreadBps,
        latencyMs: 0,
        failureRate: 0,
        nowMs: () => services.clocks.sandbox.now(),
        random: () => counterpartyPrng.nextU32() / 4_294_967_296,
      })
      const created = await must('POST', '/admin/v1/partners', adminHeaders, {
        name: spec.name,
        type: 'RFQ_COUNTERPARTY',
        corridors: ['USD-IDR'],
        rfq_url: mm.url,
      })
      const partner = partnerOf(created)
      mm.config.secret = created.webhook_secret as string
      await faucet(partner, 'IDRX', BigInt(spec.idrx))
      await faucet(partner, 'USDT', BigInt(spec.usdt))
      const port = Number(new URL(mm.url).port)
      makers.set(spec.name, { mm, port, partner, up: true })
    }
    await feedPrices(0)
    await recoverNow()

    // ------------------------------------------------------------------ the minutes
    const rebalancerDeps: RebalancerDeps = {
      store: services.store,
      oracle: services.oracle,
      corridorRates: (environment, corridor) => services.pools.moneyRates(environment, corridor),
      clocks: services.clocks,
      engine: services.risk,
      pools: services.pools,
    }
    const withdrawalDeps: WithdrawalDeps = {
      store: services.store,
      wallets: services.wallets,
      engine: services.risk,
      riskConfig: services.riskConfig,
      clocks: services.clocks,
      moneyRates: (environment) => services.oracle.moneyRates(environment),
    }
    const flowPrng = createPrng(forkSeed(seed, 'flows'))
    const steps: StepRecord[] = []
    const verifyEvery = scenario.verifyEvery ?? 15
    const counts = { executed: 0, refused: 0, rebalances: 0, lpDeposits: 0, lpWithdrawals: 0, lpRefused: 0 }
    const refusals = new Map<string, number>()
    const phase2 = new Map<string, number>()
    let lastStates = new Map<string, string>()

    for (minute = 1; minute <= scenario.durationMin; minute++) {
      clock.advance(MINUTE_MS)
      const notes: string[] = []
      for (const spec of scenario.counterparties ?? []) {
        const maker = makers.get(spec.name)
        if (maker === undefined) continue
        const down = (spec.down ?? []).some((d) => minute >= d.fromMin && minute < d.toMin)
        if (down && maker.up) {
          await maker.mm.close()
          maker.up = false
          notes.push(`counterparty ${spec.name} stops answering`)
        } else if (!down && !maker.up) {
          const secret = maker.mm.config.secret
          maker.mm = await startMarketMaker(
            {
              name: spec.name,
              spreadBps: spec.spreadBps,
              latencyMs: 0,
              failureRate: 0,
              secret,
              nowMs: () => services.clocks.sandbox.now(),
              random: () => counterpartyPrng.nextU32() / 4_294_967_296,
            },
            maker.port,
          )
          maker.up = true
          notes.push(`counterparty ${spec.name} answers again`)
        }
      }
      await feedPrices(minute)
      // The tick queues behind the evaluation the prices asked for.
      await new Promise((resolve) => setImmediate(resolve))
      await services.risk.tick('sandbox')

      for (const action of (scenario.ops ?? []).filter((o) => o.atMin === minute)) {
        if (action.kind === 'emergency_rfq') {
          const response = await call('POST', '/v1/reserve/emergency-rfq', opsHeaders, {
            environment: 'sandbox',
            corridor: action.corridor,
          })
          notes.push(`emergency RFQ ${action.corridor}: ${response.status} ${codeOf(response.body) ?? 'ok'}`)
        } else {
          const amount =
            action.kind === 'yield_event'
              ? action.amount
              : await yieldLossAmount(services.store, action.asset, action.pct)
          const response = await call('POST', '/admin/v1/yield/events', adminHeaders, {
            asset: action.asset,
            amount,
            reason: action.reason,
            environment: 'sandbox',
          })
          notes.push(
            `yield event ${action.asset} ${amount}: ${response.status} ${codeOf(response.body) ?? 'ok'}`,
          )
        }
      }
      for (const action of (scenario.lpActions ?? []).filter((a) => a.atMin === minute)) {
        const lp = lps.get(action.lp)
        if (lp === undefined) throw new Error(`scenario ${scenario.name}: unknown LP ${action.lp}`)
        const response =
          action.kind === 'deposit'
            ? await call('POST', '/v1/lp/deposits', lp.headers, {
                asset: action.asset,
                amount: action.amount,
                from_address: wallet(action.lp),
              })
            : await call('POST', '/v1/lp/withdrawals', lp.headers, {
                asset: action.asset,
                variant:
                  (scenario.lps ?? []).find((l) => l.name === action.lp)?.lpClass === 'A' ? 'fx' : 'full',
                amount: action.amount,
                to_address: wallet(action.lp),
              })
        if (response.status >= 300) {
          counts.lpRefused++
          notes.push(
            `${action.lp} ${action.kind} ${action.amount} ${action.asset} refused: ${codeOf(response.body)}`,
          )
        } else if (action.kind === 'deposit') counts.lpDeposits++
        else counts.lpWithdrawals++
      }

      const executed = new Map<string, number>()
      const refused = new Map<string, number>()
      const debited = new Map<string, Set<string>>()
      const skew = new Map<string, string>()
      for (const flow of flowsAt(scenario.flows, minute)) {
        const amount = jitteredAmount(flow.amount, flow.jitterPct ?? 0, flowPrng)
        const quote = await call('POST', '/v1/quote', ramp.headers, {
          pair: flow.corridor,
          side: flow.side,
          amount,
        })
        let code: string | undefined
        if (quote.status === 200) {
          const breakdown = quote.body.fee_breakdown as { inventory_skew_bps?: string } | undefined
          if (breakdown?.inventory_skew_bps !== undefined)
            skew.set(flow.corridor, breakdown.inventory_skew_bps)
          const done = await call('POST', '/v1/execute', ramp.headers, {
            quote_id: quote.body.quote_id,
            destination_address: ADDRESS,
          })
          if (done.status === 200) {
            executed.set(flow.corridor, (executed.get(flow.corridor) ?? 0) + 1)
            const set = debited.get(flow.corridor) ?? new Set<string>()
            set.add(quote.body.destination_asset as string)
            debited.set(flow.corridor, set)
            counts.executed++
            const run = await runRebalancer(rebalancerDeps, 'sandbox', () => true)
            counts.rebalances += run.outcomes.filter((o) => o.kind === 'rebalance').length
          } else code = codeOf(done.body) ?? String(done.status)
        } else code = codeOf(quote.body) ?? String(quote.status)
        if (code !== undefined) {
          refused.set(flow.corridor, (refused.get(flow.corridor) ?? 0) + 1)
          counts.refused++
          refusals.set(code, (refusals.get(code) ?? 0) + 1)
        }
      }

      const run = await runRebalancer(rebalancerDeps, 'sandbox', () => true)
      counts.rebalances += run.outcomes.filter((o) => o.kind === 'rebalance').length
      const pass = await services.phase2.run('sandbox')
      for (const close of pass.closes) {
        const key = `${close.trigger} ${close.status}`
        phase2.set(key, (phase2.get(key) ?? 0) + 1)
      }
      // The quote-expiry worker: firm quotes past their expiry stop counting as open exposure.
      await expireQuotes(services.store, 'sandbox', services.clocks.sandbox.now())
      if (await openWithdrawals(services.store))
        await processWithdrawals(withdrawalDeps, services.chain, 'sandbox')
      const rates = services.oracle.moneyRates('sandbox')
      if (rates.ok && lps.size > 0)
        await fillPendingDeposits(services.store, 'sandbox', rates.value, () => services.clocks.sandbox.now())
      // The cluster maintenance worker's oracle log pruning (every minute on a server).
      await services.oracle.prune()
      await settle()

      // ---------------------------------------------------------------- the record
      const usdRates = services.oracle.usdRates('sandbox')
      const pools: PoolRecord[] = (await listPools(services.store, 'sandbox', usdRates)).map((p) => {
        const decimals = DECIMALS[p.asset as ScenarioAsset]
        const balance = minorOf(p.balance, decimals)
        return {
          asset: p.asset,
          tier: p.tier,
          balance: formatDecimal(
            (balance / 10n ** BigInt(decimals)) * 10n ** BigInt(decimals),
            decimals,
          ).split('.')[0] as string,
          healthPct: p.health_pct,
          status: p.status,
          belowMin: balance < minorOf(p.min, decimals),
        }
      })
      const corridors: CorridorRecord[] = []
      const states = new Map<string, string>()
      for (const corridor of SCENARIO_CORRIDORS) {
        const view = services.risk.view('sandbox', corridor)
        states.set(corridor, view.state)
        const indicative = await call(
          'GET',
          `/v1/quote?pair=${corridor}&side=SELL&amount=${corridor === 'MYR-IDR' ? '4000' : '1000'}`,
          ramp.headers,
        )
        corridors.push({
          corridor,
          state: view.state,
          directions: view.allowedDirections.join(','),
          spreadBps: indicative.status === 200 ? String(indicative.body.spread_bps) : '',
          skewBps: skew.get(corridor) ?? '',
          executed: executed.get(corridor) ?? 0,
          refused: refused.get(corridor) ?? 0,
          debited: [...(debited.get(corridor) ?? [])],
        })
      }
      for (const [corridor, state] of states)
        if ((lastStates.get(corridor) ?? 'NORMAL') !== state)
          notes.push(
            `${corridor} ${lastStates.get(corridor) ?? 'NORMAL'} → ${state}${reasonsOf(services.risk.view('sandbox', corridor as ScenarioCorridorId).reasons)}`,
          )
      lastStates = states
      const varPct = await services.risk.varPctOfLimit('sandbox')
      const queues: Record<string, string> = {}
      if (rates.ok) {
        for (const asset of ['USDT', 'IDRX', 'tnSGD', 'MYRC'] as const) {
          const decision = await withdrawalQueueState(
            services.store,
            services.risk,
            'sandbox',
            asset as AssetCode,
            rates.value,
            varPct,
          )
          queues[asset] = decision.state
        }
      } else for (const asset of ['USDT', 'IDRX', 'tnSGD', 'MYRC']) queues[asset] = 'NO_MID'
      const variantRows = await services.store.kysely
        .selectFrom('ktoken_variants')
        .select(['asset', 'variant', 'index_ray'])
        .where('environment', '=', 'sandbox')
        .orderBy('asset')
        .orderBy('variant')
        .execute()
      const indexes: Record<string, string> = {}
      const fxIndexRay: Record<string, string> = {}
      for (const row of variantRows) {
        const ray = BigInt(row.index_ray)
        indexes[`${row.asset}:${row.variant}`] = formatRatio(ratio(ray, 10n ** 27n), 9, 'floor')
        if (row.variant.startsWith('fx')) fxIndexRay[`${row.asset}:${row.variant}`] = ray.toString()
      }
      let ledger: StepRecord['ledger'] = 'skipped'
      let ledgerDetail = ''
      if (minute % verifyEvery === 0 || minute === scenario.durationMin) {
        const report = await services.store.snapshot((db) => verifyLedger(db))
        ledger = report.ok ? 'ok' : 'violated'
        ledgerDetail = report.violations
          .slice(0, 3)
          .map((v) => `${v.rule}: ${v.detail}`)
          .join('; ')
      }
      steps.push({
        minute,
        mids: { ...mids },
        pools,
        corridors,
        varPct: formatRatio(varPct, 2, 'floor'),
        queues,
        indexes,
        fxIndexRay,
        ledger,
        ledgerDetail,
        notes,
      })
      if (minute % 60 === 0) log(`${scenario.name}: minute ${minute}/${scenario.durationMin}`)
    }

    // ------------------------------------------------------------------ end-of-run facts
    const positions: { lp: string; asset: string; deposited: bigint; withdrawn: bigint; balance: bigint }[] =
      []
    for (const spec of scenario.lps ?? []) {
      if (spec.lpClass !== 'A') continue
      const lp = lps.get(spec.name) as Partner
      const listed = await must('GET', '/v1/lp/positions', lp.headers)
      for (const p of listed.positions as {
        asset: string
        ktoken: string
        balance: string
        deposited: string
        withdrawn: string
        pending_withdrawals: { owed: string }[]
      }[]) {
        const decimals = DECIMALS[p.asset as ScenarioAsset]
        const pending = p.pending_withdrawals.reduce((sum, w) => sum + minorOf(w.owed, decimals), 0n)
        positions.push({
          lp: spec.name,
          asset: p.asset,
          deposited: minorOf(p.deposited, decimals),
          // Queued withdrawals are owed, not lost: they count with what was paid.
          withdrawn: minorOf(p.withdrawn, decimals) + pending,
          balance: minorOf(p.balance, decimals),
        })
      }
    }
    const withdrawals = await services.store.kysely
      .selectFrom('lp_withdrawals')
      .select(['withdrawal_id', 'amount', 'paid'])
      .where('environment', '=', 'sandbox')
      .orderBy('id')
      .execute()
    const tranches = await services.store.kysely
      .selectFrom('lp_withdrawal_tranches')
      .select(['withdrawal_id', 'amount', 'paid_at'])
      .execute()
    const claims = withdrawals.map((w) => ({
      id: w.withdrawal_id,
      owed: BigInt(w.amount),
      paid: BigInt(w.paid),
      tranchesPaid: tranches
        .filter((t) => t.withdrawal_id === w.withdrawal_id && t.paid_at !== null)
        .reduce((sum, t) => sum + BigInt(t.amount), 0n),
    }))
    const assertions: AssertionResult[] = [
      checkActiveMin(steps),
      checkClassA(steps, positions),
      checkClaims(claims),
      checkLedger(steps),
      checkRecovery(steps, scenario.stress.toMin, RECOVERY_ALLOWANCE_MIN),
    ]
    const totals: Record<string, string> = {
      'simulated minutes': String(scenario.durationMin),
      'trades executed': String(counts.executed),
      'trades refused': String(counts.refused),
      'refusals by code': [...refusals.entries()]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([code, n]) => `${code} ${n}`)
        .join(', '),
      'rebalances (Phase 1)': String(counts.rebalances),
      'Phase 2 buy-backs (trigger status)': [...phase2.entries()]
        .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        .map(([key, n]) => `${key} ${n}`)
        .join(', '),
      'LP deposits': String(counts.lpDeposits),
      'LP withdrawals queued': String(counts.lpWithdrawals),
      'LP actions refused': String(counts.lpRefused),
      'withdrawals paid in full': String(claims.filter((c) => c.paid === c.owed && c.owed > 0n).length),
    }
    return {
      scenario,
      seed,
      fast,
      steps,
      assertions,
      passed: assertions.every((a) => a.passed),
      totals,
    }
  } finally {
    for (const maker of makers.values()) if (maker.up) await maker.mm.close()
    await stablefx?.close()
    await store?.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

type ScenarioCorridorId = (typeof SCENARIO_CORRIDORS)[number]

function reasonsOf(reasons: readonly string[]): string {
  return reasons.length === 0 ? '' : ` (${reasons.join('; ')})`
}

function assetOfFiat(fiat: string): ScenarioAsset {
  if (fiat === 'USD') return 'USDT'
  if (fiat === 'IDR') return 'IDRX'
  if (fiat === 'SGD') return 'tnSGD'
  return 'MYRC'
}

function minorOf(text: string, decimals: number): bigint {
  const parsed = parseDecimal(text.startsWith('-') ? text.slice(1) : text, decimals)
  if (!parsed.ok) throw new Error(`not an amount: ${text}`)
  return text.startsWith('-') ? -parsed.minor : parsed.minor
}

async function openWithdrawals(store: Store): Promise<boolean> {
  const row = await store.kysely
    .selectFrom('lp_withdrawals')
    .select('id')
    .where('environment', '=', 'sandbox')
    .where('status', 'in', ['QUEUED', 'PROCESSING'])
    .limit(1)
    .executeTakeFirst()
  return row !== undefined
}

function codeOf(body: Record<string, unknown>): string | undefined {
  const error = body.error as { code?: string } | undefined
  return error?.code
}

/** `pct` percent of class B's claim on `asset` (its -full vault: shares × index), as a negative decimal string. */
async function yieldLossAmount(store: Store, asset: ScenarioAsset, pct: string): Promise<string> {
  const row = await store.kysely
    .selectFrom('ktoken_variants')
    .select(['index_ray', 'total_shares'])
    .where('environment', '=', 'sandbox')
    .where('asset', '=', asset)
    .where('variant', '=', 'full')
    .executeTakeFirst()
  if (row === undefined) return '0'
  const claim = (BigInt(row.total_shares) * BigInt(row.index_ray)) / 10n ** 27n
  const loss = mul(ratio(claim), div(r(pct), ratio(100n)))
  const minor = (loss.num / loss.den) as bigint
  return `-${formatDecimal(minor, DECIMALS[asset])}`
}
