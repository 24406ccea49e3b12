/**
 * `npx stablefx scenario list` and `npx stablefx scenario run <name> [--seed N]
 * [--fast] --out <dir>` (issue 16). `list` prints one name per line and
 * nothing else; `run` writes `<dir>/report.html` and `<dir>/summary.json`,
 * prints nothing on stdout, says what it did on stderr, and exits 0 only
 * when every assertion passed.
 */
import { mkdirSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { parseArgs } from 'node:util'
import { SCENARIOS, scenarioNamed } from './catalog.ts'
import { reportHtml, summaryJson } from './report.ts'
import { runScenario } from './runner.ts'

export const SCENARIO_USAGE = `  scenario list               the shipped stress scenarios, one name per line
  scenario run <name> [--seed N] [--fast] --out <dir>
                             replay a scenario in-process on a fresh database; writes
                             <dir>/report.html and <dir>/summary.json; exit 0 only when every assertion passed`

export type CommandOutcome = { readonly code: number; readonly stdout: string; readonly stderr: string }

export async function scenarioCommand(
  sub: string | undefined,
  args: readonly string[],
  progress: (line: string) => void = () => {},
): Promise<CommandOutcome> {
  if (sub === 'list') {
    if (args.length > 0) return usage('scenario list takes no arguments')
    return { code: 0, stdout: SCENARIOS.map((s) => `${s.name}\n`).join(''), stderr: '' }
  }
  if (sub !== 'run')
    return usage(sub === undefined ? 'scenario needs list or run' : `unknown scenario command ${sub}`)
  let parsed: ReturnType<typeof parse>
  try {
    parsed = parse(args)
  } catch (error) {
    return usage((error as Error).message)
  }
  const { values, positionals } = parsed
  if (positionals.length !== 1) return usage('scenario run needs exactly one scenario name')
  const name = positionals[0] as string
  const scenario = scenarioNamed(name)
  if (scenario === undefined)
    return usage(`no scenario named ${name} (npx stablefx scenario list shows them)`)
  if (values.out === undefined || values.out === '') return usage('scenario run needs --out <dir>')
  let seed: number | undefined
  if (values.seed !== undefined) {
    if (!/^\d{1,10}$/.test(values.seed) || Number(values.seed) > 4_294_967_295)
      return usage('--seed must be an integer from 0 to 4294967295')
    seed = Number(values.seed)
  }
  const result = await runScenario(scenario, {
    fast: values.fast ?? false,
    ...(seed === undefined ? {} : { seed }),
    log: progress,
  })
  mkdirSync(values.out, { recursive: true })
  writeFileSync(join(values.out, 'report.html'), reportHtml(result))
  writeFileSync(join(values.out, 'summary.json'), summaryJson(result))
  const lines = [
    `scenario ${scenario.name} (seed ${result.seed}${result.fast ? ', fast form' : ''}): ${result.passed ? 'PASSED' : 'FAILED'}`,
    ...result.assertions.map((a) => `  ${a.passed ? 'pass' : 'FAIL'}  ${a.name}: ${a.detail}`),
    `report: ${join(values.out, 'report.html')}`,
    `summary: ${join(values.out, 'summary.json')}`,
  ]
  return { code: result.passed ? 0 : 1, stdout: '', stderr: `${lines.join('\n')}\n` }
}

function parse(args: readonly string[]) {
  return parseArgs({
    args: [...args],
    allowPositionals: true,
    options: { seed: { type: 'string' }, fast: { type: 'boolean' }, out: { type: 'string' } },
  })
}

function usage(problem: string): CommandOutcome {
  return { code: 2, stdout: '', stderr: `stablefx: ${problem}\nusage:\n${SCENARIO_USAGE}\n` }
}
