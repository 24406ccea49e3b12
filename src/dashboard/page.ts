import { createHash } from 'node:crypto'
import { readFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { join } from 'node:path'

const require = createRequire(import.meta.url)

export type DashboardPage = {
  readonly html: string
  /** Only this page's own script and styles run; it talks to its own origin only, and no site may frame it. */
  readonly contentSecurityPolicy: string
}

const sha256 = (text: string) => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`

/**
 * The dashboard as one self-contained page, built once at start: its styles
 * and script (src/dashboard/style.css, client.js) and the uPlot chart
 * library (the `uplot` package's minified build) inlined, so it loads with
 * no other request than its data.
 */
export function dashboardPage(): DashboardPage {
  const here = import.meta.dirname
  const uplotJs = readFileSync(require.resolve('uplot/dist/uPlot.iife.min.js'), 'utf8')
  const uplotCss = readFileSync(require.resolve('uplot/dist/uPlot.min.css'), 'utf8')
  const style = `${uplotCss}\n${readFileSync(join(here, 'style.css'), 'utf8')}`
  const script = `${uplotJs}\n${readFileSync(join(here, 'client.js'), 'utf8')}`
  if (/<\/(script|style)/i.test(script + style))
    throw new Error('dashboard assets may not close their own tag')
  const html = `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>stablefx operations</title>
<link rel="icon" href="data:,">
<style>${style}</style>
</head>
<body>
<header>
  <h1>stablefx operations</h1>
  <div class="seg" id="environments" role="group" aria-label="Environment">
    <button type="button" data-value="sandbox" aria-pressed="true">sandbox</button>
    <button type="button" data-value="live" aria-pressed="false">live</button>
  </div>
  <span>System <span id="system-state">–</span></span>
  <span id="clock">–</span>
  <span class="spacer"></span>
  <span id="updated" class="muted"></span>
  <button type="button" id="signout">Sign out</button>
</header>
<main>
  <section class="panel" id="panel-pools"><h2>Pools <span class="note">balance, target, health</span></h2><div id="pools"></div></section>
  <section class="panel" id="panel-corridors"><h2>Corridors <span class="note">state, reasons, last 24 h</span></h2><div id="corridors"></div></section>
  <section class="panel" id="panel-flows"><h2>Executions and volume
    <span class="seg" id="windows" role="group" aria-label="Window">
      <button type="button" data-value="1h" aria-pressed="false">1 h</button>
      <button type="button" data-value="24h" aria-pressed="true">24 h</button>
      <button type="button" data-value="7d" aria-pressed="false">7 d</button>
    </span></h2><div class="kpis" id="flow-totals"></div><div id="chart"></div></section>
  <section class="panel" id="panel-batches"><h2>Batches and PnL <span class="note">the Reserve’s bag</span></h2><div class="kpis" id="batch-kpis"></div><div id="batches"></div></section>
  <section class="panel" id="panel-liquidity"><h2>Liquidity providers <span class="note">TVL by class, kToken indexes</span></h2><div id="liquidity"></div></section>
  <section class="panel" id="panel-webhooks"><h2>Webhook deliveries</h2><div class="kpis" id="webhook-kpis"></div><div id="webhooks"></div></section>
  <section class="panel" id="panel-history"><h2>State changes <span class="note">newest first</span></h2><div id="history"></div></section>
</main>
<div id="login">
  <form id="login-form" autocomplete="off">
    <strong>stablefx operations dashboard</strong>
    <label for="token">Admin or ops token (kept for this tab only)</label>
    <input id="token" name="token" type="password" spellcheck="false" autocomplete="off" required>
    <button type="submit">Open</button>
    <div class="error" id="login-error" role="alert"></div>
  </form>
</div>
<script>${script}</script>
</body>
</html>
`
  return {
    html,
    contentSecurityPolicy: [
      "default-src 'none'",
      `script-src ${sha256(script)}`,
      `style-src ${sha256(style)}`,
      "connect-src 'self'",
      "img-src 'self' data:",
      "base-uri 'none'",
      "form-action 'none'",
      "frame-ancestors 'none'",
    ].join('; '),
  }
}
