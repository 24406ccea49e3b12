/**
 * Issue 16: each shipped scenario in its fast form, through the CLI command
 * (`scenario run <name> --fast --out <tmp>`), its summary.json asserted in
 * full. SQLite only: the engine replays on a fresh SQLite database of its
 * own whatever DATABASE_URL says.
 *
 * one-sided-flow FAILS its recovery assertion, and the test says so rather
 * than tuning the scenario: after six hours of $2M-a-day USD→IDR, the IDRX
 * Active pool sits outside its 5 % dead zone (PROTECT, SPEC §5/§6.2) with a
 * deviation below the $50K soft threshold or inside the soft cooldown (4 h at
 * peak, SPEC §8), so nothing refills it within the volatility window plus one
 * 5-minute recovery cycle: corridors stay PROTECT until the next hourly sweep
 * or cooldown fires. USD-SGD and MYR-IDR are PROTECT from the same cause
 * (their USDT / IDRX Active pools, shared with USD-IDR, are off target).
 */
import assert from 'node:assert/strict'
import { mkdtempSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { scenarioNamed } from '../../src/scenarios/catalog.ts'
import { scenarioCommand } from '../../src/scenarios/cli.ts'
import type { StepRecord } from '../../src/scenarios/model.ts'
import { summaryOf } from '../../src/scenarios/report.ts'
import { runScenario } from '../../src/scenarios/runner.ts'

const T = { timeout: 120_000 }
const out = mkdtempSync(join(tmpdir(), 'stablefx-scenarios-'))
after(() => rmSync(out, { recursive: true, force: true }))

const NAMES = [
  'no Active pool below its min while the corridor trades',
  'class A LPs never lose principal',
  'no withdrawal paid beyond its claim',
  'ledger verify clean at every step',
  'each corridor back in NORMAL within one recovery cycle after the stress ends',
] as const

/** Through the CLI command: exit code and the summary.json it wrote. */
async function runCli(name: string) {
  const dir = join(out, name)
  const done = await scenarioCommand('run', [name, '--fast', '--out', dir])
  assert.equal(done.stdout, '')
  const summary = JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8'))
  return { code: done.code, summary }
}

/** In-process, to look at the recorded steps too. */
async function runFast(name: string) {
  const scenario = scenarioNamed(name)
  assert.ok(scenario)
  const result = await runScenario(scenario, { fast: true })
  return { summary: summaryOf(result), steps: result.steps, totals: result.totals }
}

/** Every change of a corridor's state, as "minute corridor state". */
function transitions(steps: readonly StepRecord[]): string[] {
  const seen = new Map<string, string>()
  const changes: string[] = []
  for (const step of steps)
    for (const c of step.corridors) {
      if ((seen.get(c.corridor) ?? 'NORMAL') !== c.state)
        changes.push(`${step.minute} ${c.corridor} ${c.state}`)
      seen.set(c.corridor, c.state)
    }
  return changes
}

/** Every change of an asset's withdrawal queue state. */
function queueChanges(steps: readonly StepRecord[]): string[] {
  const seen = new Map<string, string>()
  const changes: string[] = []
  for (const step of steps)
    for (const [asset, state] of Object.entries(step.queues)) {
      if ((seen.get(asset) ?? 'NORMAL') !== state) changes.push(`${step.minute} ${asset} ${state}`)
      seen.set(asset, state)
    }
  return changes
}

const at = (steps: readonly StepRecord[], minute: number) => {
  const step = steps.find((s) => s.minute === minute)
  assert.ok(step, `no minute ${minute}`)
  return step
}

function expected(scenario: string, seed: number, details: readonly [boolean, string][]) {
  return {
    scenario,
    seed,
    passed: details.every(([passed]) => passed),
    assertions: details.map(([passed, detail], i) => ({ name: NAMES[i], passed, detail })),
  }
}

describe('shipped scenarios, fast form', () => {
  it(
    'idr-depeg: USD-IDR and MYR-IDR halt on the 3 % move and are NORMAL again 5 minutes after it',
    T,
    async () => {
      const { summary, steps } = await runFast('idr-depeg')
      assert.deepEqual(transitions(steps), [
        '31 USD-IDR RESTRICT',
        '31 MYR-IDR RESTRICT',
        '32 USD-IDR HALT',
        '32 MYR-IDR HALT',
        '45 USD-IDR NORMAL',
        '45 MYR-IDR NORMAL',
      ])
      // SPEC §7.5: RESTRICT → SLOW, HALT → PAUSED for the assets the halted corridors trade; USD-SGD's tnSGD goes on.
      assert.deepEqual(queueChanges(steps), [
        '31 USDT SLOW',
        '31 IDRX SLOW',
        '31 MYRC SLOW',
        '32 USDT PAUSED',
        '32 IDRX PAUSED',
        '32 MYRC PAUSED',
        '45 USDT NORMAL',
        '45 IDRX NORMAL',
        '45 MYRC NORMAL',
      ])
      assert.equal(at(steps, 40).mids['USD-IDR'], '16737.15')
      assert.deepEqual(
        summary,
        expected('idr-depeg', 1703, [
          [true, '23 executions, every debited Active pool at or above its min'],
          [true, '2 class A position(s) whole; fx indexes never fell over 75 steps'],
          [true, '0 withdrawal(s), 0 paid, none beyond its claim'],
          [true, 'verified clean at 5 of 75 steps (every few steps, and the last)'],
          [true, 'stress ended at minute 40; every corridor NORMAL from minute 50 to the end'],
        ]),
      )
    },
  )

  it(
    'oracle-outage: one primary left → PROTECT, both gone → HALT; NORMAL when they are back',
    T,
    async () => {
      const { summary, steps } = await runFast('oracle-outage')
      assert.deepEqual(transitions(steps), [
        '30 USD-IDR PROTECT',
        '30 USD-SGD PROTECT',
        '30 MYR-IDR PROTECT',
        '60 USD-IDR NORMAL',
        '60 USD-SGD NORMAL',
        '60 MYR-IDR NORMAL',
        '90 USD-IDR HALT',
        '90 USD-SGD HALT',
        '90 MYR-IDR HALT',
        '105 USD-IDR NORMAL',
        '105 USD-SGD NORMAL',
        '105 MYR-IDR NORMAL',
      ])
      // Both primaries out: HALT pauses every queue; 5 minutes on, no usable mid is left to value anything.
      assert.deepEqual(queueChanges(steps), [
        '90 USDT PAUSED',
        '90 IDRX PAUSED',
        '90 tnSGD PAUSED',
        '90 MYRC PAUSED',
        '95 USDT NO_MID',
        '95 IDRX NO_MID',
        '95 tnSGD NO_MID',
        '95 MYRC NO_MID',
        '105 USDT NORMAL',
        '105 IDRX NORMAL',
        '105 tnSGD NORMAL',
        '105 MYRC NORMAL',
      ])
      assert.deepEqual(
        summary,
        expected('oracle-outage', 4242, [
          [true, '37 executions, every debited Active pool at or above its min'],
          [true, '0 class A position(s) whole; fx indexes never fell over 125 steps'],
          [true, '0 withdrawal(s), 0 paid, none beyond its claim'],
          [true, 'verified clean at 9 of 125 steps (every few steps, and the last)'],
          [true, 'stress ended at minute 105; every corridor NORMAL from minute 115 to the end'],
        ]),
      )
    },
  )

  it(
    'lp-run: standard requests are paid, the rest become large (24 h notice) or are refused; none overpaid',
    T,
    async () => {
      const { summary, steps, totals } = await runFast('lp-run')
      // SPEC §7.5 tiers count an LP's withdrawals over 24 h: an LP's second $40K makes $80K, a large withdrawal
      // (24 h notice, tranches); its third is refused while that one is open.
      assert.deepEqual(
        steps.flatMap((s) => s.notes.map((n) => `${s.minute} ${n}`)),
        [
          '130 LP A1 withdraw 40000 USDT refused: WITHDRAWAL_TIER_LIMIT',
          '170 LP A2 withdraw 40000 USDT refused: WITHDRAWAL_TIER_LIMIT',
        ],
      )
      assert.deepEqual(
        [totals['LP withdrawals queued'], totals['withdrawals paid in full'], totals['LP actions refused']],
        ['8', '4', '2'],
      )
      assert.deepEqual(queueChanges(steps), [])
      assert.deepEqual(
        summary,
        expected('lp-run', 777, [
          [true, '87 executions, every debited Active pool at or above its min'],
          [true, '2 class A position(s) whole; fx indexes never fell over 260 steps'],
          [true, '8 withdrawal(s), 4 paid, none beyond its claim'],
          [true, 'verified clean at 18 of 260 steps (every few steps, and the last)'],
          [true, 'stress ended at minute 240; every corridor NORMAL from minute 250 to the end'],
        ]),
      )
    },
  )

  it(
    'one-sided-flow: the pools hold, but the corridors stay PROTECT after the flow stops (a real finding)',
    T,
    async () => {
      const { code, summary } = await runCli('one-sided-flow')
      assert.deepEqual(
        summary,
        expected('one-sided-flow', 2026, [
          [true, '39 executions, every debited Active pool at or above its min'],
          [true, '0 class A position(s) whole; fx indexes never fell over 380 steps'],
          [true, '0 withdrawal(s), 0 paid, none beyond its claim'],
          [true, 'verified clean at 26 of 380 steps (every few steps, and the last)'],
          [
            false,
            'stress ended at minute 360; not NORMAL from minute 370: USD-IDR PROTECT at minute 370; USD-SGD PROTECT at minute 370; MYR-IDR PROTECT at minute 370',
          ],
        ]),
      )
      assert.equal(code, 1)
    },
  )

  it(
    'yield-venue-loss: class B absorbs the 5 % loss, class A is whole; both withdrawals paid',
    T,
    async () => {
      const { summary, steps } = await runFast('yield-venue-loss')
      // The loss at minute 20 takes 5 % off kUSD-full's index; kUSD-fx (class A) does not move.
      assert.deepEqual(at(steps, 19).indexes, { 'USDT:full': '1.00000098', 'USDT:fx': '1.00000098' })
      assert.deepEqual(at(steps, 20).indexes, { 'USDT:full': '0.950000931', 'USDT:fx': '1.00000098' })
      assert.deepEqual(at(steps, 20).notes, ['yield event USDT -20000.019604: 200 ok'])
      assert.deepEqual(
        summary,
        expected('yield-venue-loss', 55, [
          [true, '20 executions, every debited Active pool at or above its min'],
          [true, '1 class A position(s) whole; fx indexes never fell over 60 steps'],
          [true, '2 withdrawal(s), 2 paid, none beyond its claim'],
          [true, 'verified clean at 4 of 60 steps (every few steps, and the last)'],
          [true, 'stress ended at minute 21; every corridor NORMAL from minute 31 to the end'],
        ]),
      )
    },
  )

  it(
    'rfq-outage: trades above the internal max and the emergency RFQ fail while counterparties are down, then recover',
    T,
    async () => {
      const { summary, steps, totals } = await runFast('rfq-outage')
      assert.ok(at(steps, 30).notes.includes('emergency RFQ USD-IDR: 422 NO_VIABLE_RFQ_QUOTE'))
      assert.ok(at(steps, 80).notes.includes('emergency RFQ USD-IDR: 200 ok'))
      // The $120K trades above the internal max find no counterparty while they are down, or meet a halted corridor.
      assert.equal(totals['refusals by code'], 'NO_VIABLE_RFQ_QUOTE 7, QUOTE_HALTED 8')
      assert.deepEqual(transitions(steps).slice(-3), [
        '65 USD-IDR NORMAL',
        '65 USD-SGD NORMAL',
        '65 MYR-IDR NORMAL',
      ])
      assert.deepEqual(
        summary,
        expected('rfq-outage', 911, [
          [true, '62 executions, every debited Active pool at or above its min'],
          [true, '0 class A position(s) whole; fx indexes never fell over 100 steps'],
          [true, '0 withdrawal(s), 0 paid, none beyond its claim'],
          [true, 'verified clean at 7 of 100 steps (every few steps, and the last)'],
          [true, 'stress ended at minute 70; every corridor NORMAL from minute 80 to the end'],
        ]),
      )
    },
  )
})
