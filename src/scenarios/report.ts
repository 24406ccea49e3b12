/**
 * Issue 16: what a scenario run leaves behind. `summary.json` is the
 * pass/fail summary; `report.html` is one self-contained page: the summary,
 * the run's totals, charts drawn by uPlot (its minified build and CSS are
 * read from node_modules and inlined, so the page needs no network), and the
 * minute-by-minute log of what changed.
 *
 * Both are pure functions of the run: no wall-clock time, no path, no random
 * id, so the same seed gives the same bytes. The page carries the recorded
 * decimal strings; only the browser turns them into numbers, to draw.
 */
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { PAIRS, type Pair, SCENARIO_CORRIDORS, type StepRecord } from './model.ts'
import type { RunResult } from './runner.ts'

export type Summary = {
  readonly scenario: string
  readonly seed: number
  readonly passed: boolean
  readonly assertions: readonly { name: string; passed: boolean; detail: string }[]
}

export function summaryOf(result: RunResult): Summary {
  return {
    scenario: result.scenario.name,
    seed: result.seed,
    passed: result.passed,
    assertions: result.assertions.map((a) => ({ name: a.name, passed: a.passed, detail: a.detail })),
  }
}

export function summaryJson(result: RunResult): string {
  return `${JSON.stringify(summaryOf(result), null, 2)}\n`
}

let uplotAssets: { js: string; css: string } | undefined

/** uPlot's minified browser build and stylesheet, as shipped in its npm package. */
export function uplotSources(): { js: string; css: string } {
  if (uplotAssets === undefined) {
    const require = createRequire(import.meta.url)
    const dist = dirname(require.resolve('uplot/dist/uPlot.iife.min.js'))
    uplotAssets = {
      js: readFileSync(join(dist, 'uPlot.iife.min.js'), 'utf8'),
      css: readFileSync(join(dist, 'uPlot.min.css'), 'utf8'),
    }
  }
  return uplotAssets
}

const ASSETS = ['USDT', 'IDRX', 'tnSGD', 'MYRC'] as const
const STATE_LEVEL: Readonly<Record<string, string>> = { NORMAL: '0', PROTECT: '1', RESTRICT: '2', HALT: '3' }
const QUEUE_LEVEL: Readonly<Record<string, string>> = { NORMAL: '0', SLOW: '1', PAUSED: '2', NO_MID: '3' }

type Series = { readonly label: string; readonly values: readonly string[] }
type Chart = {
  readonly id: string
  readonly title: string
  readonly unit: string
  readonly series: readonly Series[]
  /** Stepped lines for states. */
  readonly stepped?: boolean
  /** Axis labels for levels (states). */
  readonly levels?: readonly string[]
}

/** Basis points of `text` off `first` (both decimal strings), as a decimal string with 2 places, exact. */
function bpsOff(text: string | undefined, first: string | undefined): string {
  if (text === undefined || first === undefined) return ''
  const [a, b] = [scaled(text), scaled(first)]
  if (b === 0n) return ''
  const hundredths = ((a - b) * 1_000_000n) / b
  const sign = hundredths < 0n ? '-' : ''
  const abs = hundredths < 0n ? -hundredths : hundredths
  return `${sign}${abs / 100n}.${String(abs % 100n).padStart(2, '0')}`
}

/** A decimal string as an integer of 10^-12 units. */
function scaled(text: string): bigint {
  const negative = text.startsWith('-')
  const [whole = '0', frac = ''] = (negative ? text.slice(1) : text).split('.')
  const value = BigInt(whole) * 10n ** 12n + BigInt((frac + '0'.repeat(12)).slice(0, 12))
  return negative ? -value : value
}

function charts(steps: readonly StepRecord[]): Chart[] {
  const pool = (tier: string, asset: string) =>
    steps.map((s) => s.pools.find((p) => p.tier === tier && p.asset === asset)?.healthPct ?? '')
  const corridor = (name: string, pick: (c: StepRecord['corridors'][number]) => string) =>
    steps.map((s) => {
      const c = s.corridors.find((x) => x.corridor === name)
      return c === undefined ? '' : pick(c)
    })
  const firstMid = (pair: Pair) => steps.find((s) => s.mids[pair] !== undefined)?.mids[pair]
  const indexKeys = [...new Set(steps.flatMap((s) => Object.keys(s.indexes)))].sort()
  let executed = 0
  let refused = 0
  const cumulative = steps.map((s) => {
    for (const c of s.corridors) {
      executed += c.executed
      refused += c.refused
    }
    return [String(executed), String(refused)] as const
  })
  return [
    {
      id: 'active',
      title: 'Active pools: balance, % of target (min 40 %)',
      unit: '%',
      series: [
        ...ASSETS.map((a) => ({ label: a, values: pool('ACTIVE', a) })),
        { label: 'min', values: steps.map(() => '40') },
      ],
    },
    {
      id: 'reserve',
      title: 'Reserve pools: balance, % of target (health gates 80 / 60 / 30 %)',
      unit: '%',
      series: ASSETS.map((a) => ({ label: a, values: pool('RESERVE', a) })),
    },
    {
      id: 'yield',
      title: 'Yield pools: balance, % of target',
      unit: '%',
      series: ASSETS.map((a) => ({ label: a, values: pool('YIELD', a) })),
    },
    {
      id: 'states',
      title: 'Corridor states',
      unit: '',
      stepped: true,
      levels: ['NORMAL', 'PROTECT', 'RESTRICT', 'HALT'],
      series: SCENARIO_CORRIDORS.map((c) => ({
        label: c,
        values: corridor(c, (x) => STATE_LEVEL[x.state] ?? ''),
      })),
    },
    {
      id: 'spreads',
      title: 'Spread of an indicative SELL quote (bps); empty while a corridor quotes nothing',
      unit: 'bps',
      series: SCENARIO_CORRIDORS.map((c) => ({ label: c, values: corridor(c, (x) => x.spreadBps) })),
    },
    {
      id: 'skew',
      title: 'Inventory skew of the firm quotes partners took (bps, signed)',
      unit: 'bps',
      series: SCENARIO_CORRIDORS.map((c) => ({ label: c, values: corridor(c, (x) => x.skewBps) })),
    },
    {
      id: 'mids',
      title: 'Oracle mids: bps off the first minute',
      unit: 'bps',
      series: PAIRS.map((p) => {
        const first = firstMid(p)
        return { label: p, values: steps.map((s) => bpsOff(s.mids[p], first)) }
      }),
    },
    {
      id: 'var',
      title: 'Portfolio VaR, % of its breach limit (withdrawals pause above 80 %)',
      unit: '%',
      series: [{ label: 'VaR', values: steps.map((s) => s.varPct) }],
    },
    {
      id: 'queues',
      title: 'Withdrawal queue state per asset',
      unit: '',
      stepped: true,
      levels: ['NORMAL', 'SLOW', 'PAUSED', 'NO MID'],
      series: ASSETS.map((a) => ({
        label: a,
        values: steps.map((s) => QUEUE_LEVEL[s.queues[a] ?? ''] ?? ''),
      })),
    },
    {
      id: 'indexes',
      title: 'kToken liquidity indexes (fx: class A, full: class B)',
      unit: '',
      series: indexKeys.map((k) => ({ label: k, values: steps.map((s) => s.indexes[k] ?? '') })),
    },
    {
      id: 'trades',
      title: 'Partner trades, cumulative',
      unit: '',
      series: [
        { label: 'executed', values: cumulative.map((c) => c[0]) },
        { label: 'refused', values: cumulative.map((c) => c[1]) },
      ],
    },
  ]
}

const escapeHtml = (text: string) =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')

/** JSON safe inside a <script> element. */
const scriptJson = (value: unknown) => JSON.stringify(value).replace(/</g, '\\u003c')

const PAGE_SCRIPT = `
(function () {
  var data = JSON.parse(document.getElementById('scenario-data').textContent);
  var colors = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#8c564b', '#e377c2', '#17becf'];
  var width = Math.min(1100, document.body.clientWidth - 40);
  data.charts.forEach(function (chart) {
    var holder = document.getElementById('chart-' + chart.id);
    // State charts: each series a little above the previous one, so equal states stay visible side by side.
    var columns = [data.minutes].concat(chart.series.map(function (s, i) {
      var lift = chart.levels ? i * 0.07 : 0;
      return s.values.map(function (v) { return v === '' ? null : Number(v) + lift; });
    }));
    var series = [{ label: 'minute' }].concat(chart.series.map(function (s, i) {
      var line = { label: s.label, stroke: s.label === 'min' ? '#999' : colors[i % colors.length], width: 1.5, spanGaps: false };
      if (s.label === 'min') line.dash = [6, 4];
      if (chart.stepped) line.paths = uPlot.paths.stepped({ align: 1 });
      return line;
    }));
    var y = { label: chart.unit };
    if (chart.levels) {
      y.values = function (u, splits) { return splits.map(function (v) { return chart.levels[Math.round(v)] || ''; }); };
      y.splits = function () { return chart.levels.map(function (_, i) { return i; }); };
      y.size = 80;
    }
    new uPlot({
      width: width, height: chart.levels ? 200 : 260,
      scales: {
        x: { time: false },
        // Percentages on a 0–100 scale at least, so noise in the last digit does not look like a move.
        y: chart.levels ? { range: [-0.2, chart.levels.length - 0.6] }
          : chart.unit === '%' ? { range: function (u, min, max) { return [Math.min(0, min), Math.max(100, max)]; } } : {}
      },
      axes: [{ label: 'minute' }, y],
      series: series
    }, columns, holder);
  });
})();
`

export function reportHtml(result: RunResult): string {
  const { scenario, steps } = result
  const { js, css } = uplotSources()
  const chartList = charts(steps)
  const data = { minutes: steps.map((s) => s.minute), charts: chartList }
  const verdict = result.passed ? 'PASSED' : 'FAILED'
  const assertionRows = result.assertions
    .map(
      (a) =>
        `<tr class="${a.passed ? 'pass' : 'fail'}"><td>${a.passed ? 'pass' : 'FAIL'}</td><td>${escapeHtml(a.name)}</td><td>${escapeHtml(a.detail)}</td></tr>`,
    )
    .join('\n')
  const totals = Object.entries(result.totals)
    .map(([k, v]) => `<tr><td>${escapeHtml(k)}</td><td>${escapeHtml(v === '' ? '—' : v)}</td></tr>`)
    .join('\n')
  const log = steps
    .filter((s) => s.notes.length > 0 || s.ledger === 'violated')
    .map(
      (s) =>
        `<tr><td>${s.minute}</td><td>${s.notes.map(escape).join('<br>')}${s.ledger === 'violated' ? `<br>ledger: ${escapeHtml(s.ledgerDetail)}` : ''}</td></tr>`,
    )
    .join('\n')
  const verified = steps.filter((s) => s.ledger !== 'skipped').map((s) => s.minute)
  const sections = chartList
    .map((c) => `<section><h3>${escapeHtml(c.title)}</h3><div id="chart-${c.id}"></div></section>`)
    .join('\n')
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>stablefx scenario ${escapeHtml(scenario.name)}: ${verdict}</title>
<style>${css}</style>
<style>
body { font: 14px/1.45 system-ui, sans-serif; margin: 20px; color: #222; }
h1 { font-size: 22px; margin-bottom: 4px; }
.verdict { display: inline-block; padding: 2px 10px; border-radius: 4px; color: #fff; font-weight: 600; }
.verdict.PASSED { background: #2e7d32; } .verdict.FAILED { background: #c62828; }
table { border-collapse: collapse; margin: 8px 0 16px; }
td, th { border: 1px solid #ddd; padding: 4px 8px; vertical-align: top; text-align: left; }
tr.fail td { background: #fdecea; } tr.pass td:first-child { color: #2e7d32; } tr.fail td:first-child { color: #c62828; font-weight: 600; }
section { margin: 18px 0; } h3 { font-size: 15px; margin: 0 0 4px; }
.meta { color: #555; }
</style>
</head>
<body>
<h1>${escapeHtml(scenario.title)} <span class="verdict ${verdict}">${verdict}</span></h1>
<p class="meta">scenario <code>${escapeHtml(scenario.name)}</code> · seed ${result.seed} · ${result.fast ? 'fast form' : 'default form'} · ${scenario.durationMin} simulated minutes from Monday 2026-11-23 00:00 UTC (sandbox) · stress window minutes ${scenario.stress.fromMin}–${scenario.stress.toMin}</p>
<p>${escapeHtml(scenario.description)}</p>
<h2>Assertions</h2>
<table><tr><th></th><th>assertion</th><th>detail</th></tr>
${assertionRows}
</table>
<h2>Run</h2>
<table>
${totals}
</table>
<p class="meta">Ledger verified at minute${verified.length === 1 ? '' : 's'} ${verified.join(', ')}.</p>
<h2>Charts</h2>
${sections}
<h2>What changed, minute by minute</h2>
<table><tr><th>minute</th><th>event</th></tr>
${log}
</table>
<script>${js}</script>
<script type="application/json" id="scenario-data">${scriptJson(data)}</script>
<script>${PAGE_SCRIPT}</script>
</body>
</html>
`
}
