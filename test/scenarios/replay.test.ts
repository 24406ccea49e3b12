/**
 * Issue 16: the same seed gives the same report byte for byte (fast form of
 * idr-depeg, run twice on two fresh databases), another seed gives another
 * report; and the CLI: `scenario list` prints the names and nothing else,
 * `scenario run` writes report.html and summary.json into --out and exits 0
 * only when every assertion passed. SQLite only: the engine always replays
 * on a fresh SQLite database of its own (PostgreSQL is not one of its inputs).
 */
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { scenarioNamed } from '../../src/scenarios/catalog.ts'
import { scenarioCommand } from '../../src/scenarios/cli.ts'
import { reportHtml, summaryJson, uplotSources } from '../../src/scenarios/report.ts'
import { runScenario } from '../../src/scenarios/runner.ts'

const T = { timeout: 120_000 }
const ROOT = join(import.meta.dirname, '..', '..')

describe('scenario replay', () => {
  it(
    'the same seed twice: identical report.html and summary.json; another seed: another report',
    T,
    async () => {
      const scenario = scenarioNamed('idr-depeg')
      assert.ok(scenario)
      const first = await runScenario(scenario, { fast: true })
      const second = await runScenario(scenario, { fast: true })
      const html = reportHtml(first)
      assert.equal(reportHtml(second), html)
      assert.equal(summaryJson(second), summaryJson(first))
      assert.deepEqual(second.steps, first.steps)
      // Self-contained: uPlot and its CSS are inlined, nothing is fetched.
      const { js, css } = uplotSources()
      assert.ok(html.includes(js))
      assert.ok(html.includes(css))
      assert.doesNotMatch(html, /<script[^>]+src=|<link[^>]+href=|<img|url\(/)
      // The only address in the page is uPlot's own licence banner.
      assert.deepEqual(html.match(/https?:\/\/[^"' )]*/g), ['https://github.com/leeoniya/uPlot'])
      const other = await runScenario(scenario, { fast: true, seed: 1704 })
      assert.equal(other.seed, 1704)
      assert.notEqual(reportHtml(other), html)
      assert.notDeepEqual(
        other.steps.map((s) => s.mids['USD-IDR']),
        first.steps.map((s) => s.mids['USD-IDR']),
      )
    },
  )

  it('scenario list: one kebab-case name per line on stdout, nothing else', T, () => {
    const listed = spawnSync(process.execPath, [join(ROOT, 'bin', 'stablefx.js'), 'scenario', 'list'], {
      cwd: tmpdir(),
      encoding: 'utf8',
    })
    assert.equal(listed.status, 0, listed.stderr)
    assert.equal(
      listed.stdout,
      'idr-depeg\noracle-outage\nlp-run\none-sided-flow\nyield-venue-loss\nrfq-outage\n',
    )
  })

  it('scenario run: refusals of bad arguments exit 2 and write nothing', T, async () => {
    const out = mkdtempSync(join(tmpdir(), 'stablefx-scenario-out-'))
    try {
      for (const args of [
        ['nope', '--out', out],
        ['idr-depeg'],
        ['idr-depeg', '--seed', '-1', '--out', out],
        ['idr-depeg', '--seed', '4294967296', '--out', out],
        ['idr-depeg', '--colour', 'red', '--out', out],
        [],
      ]) {
        const done = await scenarioCommand('run', args)
        assert.equal(done.code, 2, args.join(' '))
        assert.equal(done.stdout, '')
        assert.match(done.stderr, /^stablefx: /)
      }
      assert.equal((await scenarioCommand('walk', [])).code, 2)
      assert.deepEqual(readdirSync(out), [])
    } finally {
      rmSync(out, { recursive: true, force: true })
    }
  })

  it(
    'scenario run --fast --seed: report.html and summary.json in --out, exit 0 (exit 1: scenarios.test.ts)',
    T,
    async () => {
      const out = mkdtempSync(join(tmpdir(), 'stablefx-scenario-out-'))
      try {
        const passed = await scenarioCommand('run', [
          'yield-venue-loss',
          '--fast',
          '--seed',
          '55',
          '--out',
          join(out, 'a'),
        ])
        assert.equal(passed.code, 0, passed.stderr)
        assert.equal(passed.stdout, '')
        assert.deepEqual(readdirSync(join(out, 'a')).sort(), ['report.html', 'summary.json'])
        const summary = JSON.parse(readFileSync(join(out, 'a', 'summary.json'), 'utf8'))
        assert.deepEqual(Object.keys(summary), ['scenario', 'seed', 'passed', 'assertions'])
        assert.deepEqual([summary.scenario, summary.seed, summary.passed], ['yield-venue-loss', 55, true])
        assert.match(readFileSync(join(out, 'a', 'report.html'), 'utf8'), /^<!doctype html>/)
      } finally {
        rmSync(out, { recursive: true, force: true })
      }
    },
  )
})
