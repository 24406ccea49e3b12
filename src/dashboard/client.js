// The stablefx operations dashboard, in the browser (served inline by GET /dashboard with uPlot).
// It asks once for the admin or the ops token (kept in sessionStorage for this tab), then reads the
// read-only routes under /admin/v1/dashboard/ every 5 seconds. No HTML is built from strings: every
// value reaches the page as text.
;(() => {
  const TOKEN_KEY = 'stablefx.dashboard.token'
  const REFRESH_MS = 5000
  const CORRIDORS = ['USD-IDR', 'USD-SGD', 'MYR-IDR']
  const COLOURS = { 'USD-IDR': '#2857c5', 'USD-SGD': '#1f8a4c', 'MYR-IDR': '#c98a00' }
  const STATE_COLOURS = { NORMAL: '#1f8a4c', PROTECT: '#c98a00', RESTRICT: '#d2571f', HALT: '#b3192c' }

  const state = { environment: 'sandbox', window: '24h', chart: null, chartKey: '', timer: null }

  const $ = (id) => document.getElementById(id)

  /** An element with attributes and children (strings become text nodes). */
  function h(tag, attrs, ...children) {
    const node = document.createElement(tag)
    for (const [key, value] of Object.entries(attrs ?? {})) {
      if (value === undefined || value === null || value === false) continue
      if (key === 'class') node.className = value
      else if (key === 'style') Object.assign(node.style, value)
      else node.setAttribute(key, String(value))
    }
    for (const child of children.flat()) {
      if (child === undefined || child === null || child === false) continue
      node.append(child instanceof Node ? child : document.createTextNode(String(child)))
    }
    return node
  }

  const badge = (text) => h('span', { class: `badge s-${/^[A-Z_]+$/.test(text) ? text : 'unknown'}` }, text)

  /** "1234567.891" → "1,234,567.89" (2 fraction digits at most, from the string: no float). */
  function amount(text, digits = 2) {
    if (text === null || text === undefined) return '–'
    const match = /^(-?)(\d+)(?:\.(\d+))?$/.exec(String(text))
    if (match === null) return String(text)
    const [, sign, whole, fraction = ''] = match
    const grouped = whole.replace(/\B(?=(\d{3})+(?!\d))/g, ',')
    const cut = fraction.slice(0, digits).replace(/0+$/, '')
    return `${sign}${grouped}${cut.length > 0 ? `.${cut}` : ''}`
  }
  const signClass = (text) => (String(text).startsWith('-') ? 'num neg' : 'num')
  const time = (iso) => (iso ? iso.replace('T', ' ').replace(/\.\d{3}Z$/, 'Z') : '–')
  const shortTime = (iso) => (iso ? iso.slice(11, 19) : '–')

  function table(head, rows) {
    return h(
      'table',
      {},
      h(
        'thead',
        {},
        h(
          'tr',
          {},
          head.map((c) => h('th', { class: c.num ? 'num' : undefined }, c.label ?? c)),
        ),
      ),
      h('tbody', {}, rows),
    )
  }

  function replace(id, ...children) {
    const node = $(id)
    node.replaceChildren(...children.flat().filter((c) => c !== null && c !== undefined))
  }

  // ---- access ----------------------------------------------------------------------------------

  const token = () => sessionStorage.getItem(TOKEN_KEY)

  function askForToken(message) {
    sessionStorage.removeItem(TOKEN_KEY)
    if (state.timer !== null) clearTimeout(state.timer)
    state.timer = null
    $('login-error').textContent = message ?? ''
    $('login').hidden = false
    $('token').focus()
  }

  class Refused extends Error {}

  async function read(path) {
    const response = await fetch(path, {
      headers: { authorization: `Bearer ${token()}`, accept: 'application/json' },
      cache: 'no-store',
    })
    const body = await response.json().catch(() => ({}))
    if (response.status === 401 || response.status === 403) {
      throw new Refused(body?.error?.message ?? `HTTP ${response.status}`)
    }
    if (!response.ok) throw new Error(body?.error?.message ?? `HTTP ${response.status}`)
    return body
  }

  // ---- panels ----------------------------------------------------------------------------------

  function renderPools(data) {
    const rows = data.pools.map((p) => {
      const health = Number(p.health_pct)
      return h(
        'tr',
        { 'data-pool': `${p.asset}-${p.tier}` },
        h('td', {}, p.asset),
        h('td', {}, p.tier),
        h('td', { class: 'num', 'data-field': 'balance' }, amount(p.balance, 0)),
        h('td', { class: 'num' }, amount(p.target, 0)),
        h(
          'td',
          { class: 'num' },
          h(
            'span',
            { class: 'bar', title: `${p.status}: ${p.health_pct}% of target; min ${amount(p.min, 0)}` },
            h('i', { class: `s-${p.status}`, style: { width: `${Math.max(0, Math.min(100, health))}%` } }),
          ),
          ` ${amount(p.health_pct, 1)}%`,
        ),
        h('td', { 'data-field': 'status' }, p.status),
      )
    })
    replace(
      'pools',
      table(
        [
          'Asset',
          'Tier',
          { label: 'Balance', num: true },
          { label: 'Target', num: true },
          { label: 'Health', num: true },
          'Status',
        ],
        rows,
      ),
    )
  }

  function timeline(segments, from, to) {
    const start = Date.parse(from)
    const span = Math.max(1, Date.parse(to) - start)
    return h(
      'div',
      { class: 'timeline', title: 'last 24 h' },
      segments.map((s) =>
        h('span', {
          title: `${s.state} ${time(s.from)} → ${time(s.to)}`,
          style: {
            width: `${((Date.parse(s.to) - Date.parse(s.from)) / span) * 100}%`,
            background: STATE_COLOURS[s.state] ?? '#888',
          },
        }),
      ),
    )
  }

  function renderCorridors(data) {
    $('system-state').replaceChildren(badge(data.system_state))
    const risk = data.risk
    const kpis = h(
      'div',
      { class: 'kpis' },
      h('span', {}, 'Reserve capital $', h('b', {}, amount(risk.reserve_capital_usd))),
      h(
        'span',
        {},
        'VaR $',
        h('b', {}, amount(risk.portfolio_var_usd)),
        ` (${amount(risk.portfolio_var_pct, 4)}%)`,
      ),
      h('span', {}, 'Overall ', badge(risk.overall_status)),
    )
    const cards = CORRIDORS.filter((c) => data.corridors[c]).map((c) => {
      const view = data.corridors[c]
      const exposure = risk.corridors?.[c]
      return h(
        'div',
        { class: 'corridor', 'data-corridor': c },
        h(
          'div',
          { class: 'head' },
          h('span', { class: 'name' }, c),
          h('span', { 'data-field': 'state' }, badge(view.state)),
          h('span', { class: 'muted' }, `allows ${view.allowed_directions.join(' / ') || 'nothing'}`),
          h('span', { class: 'muted' }, `max $${amount(view.max_size, 0)}`),
          h(
            'span',
            { class: 'muted' },
            view.oracle_age_ms === null ? 'no price' : `oracle ${view.oracle_age_ms} ms`,
          ),
        ),
        exposure
          ? h(
              'div',
              { class: 'muted' },
              `exposure $${amount(exposure.gross_exposure_usd)} · VaR $${amount(exposure.var_1d_usd)} · ` +
                `unrealised $${amount(exposure.unrealised_pnl_usd)}` +
                (exposure.breach_type ? ` · ${exposure.breach_type}` : ''),
            )
          : null,
        view.reasons.length > 0
          ? h(
              'ul',
              {},
              view.reasons.map((r) => h('li', {}, r)),
            )
          : null,
        view.since ? h('div', { class: 'muted' }, `since ${time(view.since)}`) : null,
        timeline(data.timeline.corridors[c] ?? [], data.timeline.from, data.timeline.to),
      )
    })
    replace('corridors', kpis, cards)
    const rows = data.history.map((t) =>
      h(
        'tr',
        {},
        h('td', {}, time(t.timestamp)),
        h('td', {}, t.corridor),
        h('td', {}, badge(t.previous_state), ' → ', badge(t.state)),
        h('td', {}, t.trigger),
        h('td', { class: 'wrap' }, t.reasons.join('; ') || '–'),
      ),
    )
    replace(
      'history',
      rows.length === 0
        ? h('p', { class: 'muted' }, 'No state change recorded yet.')
        : table(['When', 'Corridor', 'Change', 'Trigger', 'Reasons'], rows),
    )
  }

  function renderFlows(data) {
    const t = data.totals
    replace(
      'flow-totals',
      h('span', {}, 'Executions ', h('b', { 'data-field': 'executions' }, String(t.executions))),
      h('span', {}, 'settled ', h('b', {}, String(t.settled))),
      h('span', {}, 'failed ', h('b', {}, String(t.failed))),
      CORRIDORS.map((c) => h('span', {}, `${c} $`, h('b', {}, amount(t.volume_usd[c])))),
    )
    const xs = data.buckets.map((b) => Date.parse(b.start) / 1000)
    const series = CORRIDORS.map((c) => data.buckets.map((b) => Number(b.volume_usd[c])))
    const counts = data.buckets.map((b) => b.executions)
    const plotData = [xs, ...series, counts]
    const holder = $('chart')
    const width = Math.max(300, holder.clientWidth)
    const key = `${data.window}|${width}`
    if (state.chart !== null && state.chartKey === key) {
      state.chart.setData(plotData)
      return
    }
    if (state.chart !== null) state.chart.destroy()
    holder.replaceChildren()
    state.chartKey = key
    state.chart = new uPlot(
      {
        width,
        height: 175,
        cursor: { drag: { x: false, y: false } },
        scales: { x: { time: true }, usd: { auto: true }, n: { auto: true } },
        axes: [
          {},
          {
            scale: 'usd',
            label: 'Settled USD',
            size: 60,
            values: (_u, v) => v.map((x) => x.toLocaleString('en-US')),
          },
          { scale: 'n', side: 1, label: 'Executions', grid: { show: false }, size: 40 },
        ],
        series: [
          {},
          ...CORRIDORS.map((c) => ({
            label: c,
            scale: 'usd',
            stroke: COLOURS[c],
            fill: `${COLOURS[c]}33`,
            width: 1.5,
            paths: uPlot.paths.stepped({ align: 1 }),
            points: { show: false },
          })),
          {
            label: 'Executions',
            scale: 'n',
            stroke: '#66707c',
            width: 1,
            dash: [4, 3],
            paths: uPlot.paths.stepped({ align: 1 }),
            points: { show: false },
          },
        ],
        legend: { live: false },
      },
      plotData,
      holder,
    )
  }

  function renderBatches(data, corridors) {
    replace(
      'batch-kpis',
      h(
        'span',
        {},
        'Realised PnL $',
        h('b', { class: signClass(data.realised_pnl_usd) }, amount(data.realised_pnl_usd)),
      ),
      CORRIDORS.map((c) => {
        const u = corridors?.risk.corridors?.[c]?.unrealised_pnl_usd
        return u === undefined
          ? null
          : h('span', {}, `${c} unrealised $`, h('b', { class: signClass(u) }, amount(u)))
      }),
      h('span', {}, 'Rebalances ', h('b', { 'data-field': 'rebalances' }, String(data.rebalances.count))),
      Object.entries(data.by_status).map(([s, n]) => h('span', {}, `${s} `, h('b', {}, String(n)))),
    )
    const rows = data.items.map((b) =>
      h(
        'tr',
        { 'data-batch': b.batch_id },
        h('td', { title: `opened ${time(b.opened_at)}` }, b.corridor),
        h('td', { title: b.direction }, b.direction === 'LONG_BASE' ? 'long' : 'short'),
        h('td', { title: b.status }, badge(b.status === 'SETTLED_INTERNALLY' ? 'SETTLED' : b.status)),
        h(
          'td',
          { class: 'num', title: `open ${b.open_volume} of ${b.volume} ${b.volume_asset}` },
          b.open_volume === b.volume
            ? `${amount(b.volume, 0)} ${b.volume_asset}`
            : `${amount(b.open_volume, 0)} / ${amount(b.volume, 0)} ${b.volume_asset}`,
        ),
        h('td', { class: 'num' }, amount(b.waop, 4)),
        h('td', { class: signClass(b.realised_pnl_usd) }, amount(b.realised_pnl_usd)),
        h('td', { class: signClass(b.unrealised_pnl_usd ?? '') }, amount(b.unrealised_pnl_usd)),
      ),
    )
    const closes = data.closes.map((c) =>
      h(
        'tr',
        {},
        h('td', {}, c.corridor ?? '–'),
        h('td', {}, c.method ?? '–'),
        h('td', {}, badge(c.status ?? 'unknown')),
        h('td', { class: signClass(c.realised_pnl_usd ?? '') }, amount(c.realised_pnl_usd)),
        h('td', {}, time(c.created_at ?? c.requested_at ?? null)),
      ),
    )
    replace(
      'batches',
      rows.length === 0
        ? h('p', { class: 'muted' }, 'No batch yet: the Reserve holds no bag.')
        : table(
            [
              'Corridor',
              'Direction',
              'Status',
              { label: 'Open volume', num: true },
              { label: 'WAOP', num: true },
              { label: 'Real. $', num: true },
              { label: 'Unreal. $', num: true },
            ],
            rows,
          ),
      closes.length === 0
        ? null
        : [
            h('h3', { class: 'muted' }, 'Buy-backs'),
            table(['Corridor', 'Method', 'Status', { label: 'PnL $', num: true }, 'When'], closes),
          ],
    )
  }

  const growth = (variant) =>
    variant?.growth_24h_pct == null ? '–' : `${amount(variant.growth_24h_pct, 4)}%`

  function renderLiquidity(data) {
    const rows = data.pools.map((p) => {
      const variants = Object.entries(p.variants)
      const fx = variants.find(([k]) => k.endsWith('-fx'))?.[1]
      const full = variants.find(([k]) => k.endsWith('-full'))?.[1]
      return h(
        'tr',
        { 'data-asset': p.asset },
        h('td', {}, p.asset),
        h('td', { class: 'num' }, amount(p.reserve, 0)),
        h('td', { class: 'num' }, amount(p.yield, 0)),
        h('td', { class: 'num', 'data-field': 'tvl-a' }, amount(p.tvl.class_a, 0)),
        h('td', { class: 'num', 'data-field': 'tvl-b' }, amount(p.tvl.class_b, 0)),
        h(
          'td',
          { class: 'num' },
          `${fx ? amount(fx.index, 6) : '–'} · ${full ? amount(full.index, 6) : '–'}`,
        ),
        h('td', { class: 'num' }, `${growth(fx)} · ${growth(full)}`),
      )
    })
    replace(
      'liquidity',
      table(
        [
          'Asset',
          { label: 'Reserve', num: true },
          { label: 'Yield', num: true },
          { label: 'TVL A', num: true },
          { label: 'TVL B', num: true },
          { label: 'Index fx · full', num: true },
          { label: '24 h', num: true },
        ],
        rows,
      ),
    )
  }

  function renderWebhooks(data) {
    const outcomes = ['DELIVERED', 'FAILED', 'DEAD_LETTERED']
    replace(
      'webhook-kpis',
      h('span', {}, 'Last 24 h: '),
      outcomes.map((o) =>
        h('span', {}, badge(o), ' ', h('b', { 'data-field': o }, String(data.last_24h[o] ?? 0))),
      ),
      h('span', {}, 'Queued ', h('b', {}, String(data.deliveries.PENDING ?? 0))),
    )
    const endpoints = data.endpoints.map((e) =>
      h(
        'tr',
        {},
        h('td', {}, e.partner),
        h('td', { class: 'wrap url' }, e.url),
        h('td', {}, badge(e.status)),
        h('td', { class: 'wrap' }, e.status_reason ?? ''),
      ),
    )
    const attempts = data.attempts.map((a) =>
      h(
        'tr',
        {},
        h('td', {}, shortTime(a.at)),
        h('td', {}, a.partner),
        h('td', {}, a.event),
        h('td', { class: 'num' }, String(a.attempt)),
        h('td', { title: `${a.latency_ms} ms` }, badge(a.status)),
        h('td', { class: 'num' }, a.status_code === null ? '–' : String(a.status_code)),
        h('td', { class: 'wrap' }, a.error ?? ''),
      ),
    )
    replace(
      'webhooks',
      endpoints.length === 0
        ? h('p', { class: 'muted' }, 'No partner has a webhook endpoint in this environment.')
        : table(['Partner', 'URL', 'Status', 'Reason'], endpoints),
      attempts.length === 0
        ? null
        : table(
            [
              'At',
              'Partner',
              'Event',
              { label: '#', num: true },
              'Outcome',
              { label: 'HTTP', num: true },
              'Error',
            ],
            attempts,
          ),
    )
  }

  function renderClock(data) {
    const s = data.sandbox
    $('clock').textContent =
      state.environment === 'sandbox'
        ? `Sandbox clock ${time(s.now)} (${s.offset_seconds >= 0 ? '+' : ''}${s.offset_seconds} s)`
        : `Live clock ${time(data.live.now)}`
  }

  // ---- refresh loop ----------------------------------------------------------------------------

  function showError(id, error) {
    replace(id, h('p', { class: 'neg' }, `Could not load: ${error.message}`))
  }

  async function refresh() {
    if (token() === null) return askForToken()
    const env = encodeURIComponent(state.environment)
    const load = (path) => read(`/admin/v1/dashboard/${path}`)
    const results = await Promise.allSettled([
      load(`pools?environment=${env}`),
      load(`corridors?environment=${env}`),
      load(`flows?environment=${env}&window=${encodeURIComponent(state.window)}`),
      load(`batches?environment=${env}`),
      load(`liquidity?environment=${env}`),
      load(`webhooks?environment=${env}`),
      load('clock'),
    ])
    const refused = results.find((r) => r.status === 'rejected' && r.reason instanceof Refused)
    if (refused) return askForToken(`The token was refused: ${refused.reason.message}`)
    const [pools, corridors, flows, batches, liquidity, webhooks, clock] = results
    const draw = (result, id, render) => {
      if (result.status === 'rejected') return showError(id, result.reason)
      try {
        render(result.value)
      } catch (error) {
        showError(id, error)
      }
    }
    draw(pools, 'pools', renderPools)
    draw(corridors, 'corridors', renderCorridors)
    draw(flows, 'chart', renderFlows)
    draw(batches, 'batches', (b) =>
      renderBatches(b, corridors.status === 'fulfilled' ? corridors.value : null),
    )
    draw(liquidity, 'liquidity', renderLiquidity)
    draw(webhooks, 'webhooks', renderWebhooks)
    if (clock.status === 'fulfilled') renderClock(clock.value)
    $('updated').textContent = `updated ${new Date().toLocaleTimeString()}`
    document.body.dataset.loaded = 'true'
    state.timer = setTimeout(refresh, REFRESH_MS)
  }

  function restart() {
    if (state.timer !== null) clearTimeout(state.timer)
    state.timer = null
    refresh()
  }

  function segmented(id, key) {
    for (const button of $(id).querySelectorAll('button')) {
      button.addEventListener('click', () => {
        state[key] = button.dataset.value
        for (const b of $(id).querySelectorAll('button')) b.setAttribute('aria-pressed', String(b === button))
        restart()
      })
    }
  }

  $('login-form').addEventListener('submit', (event) => {
    event.preventDefault()
    const value = $('token').value.trim()
    if (value.length === 0) return
    sessionStorage.setItem(TOKEN_KEY, value)
    $('token').value = ''
    $('login').hidden = true
    restart()
  })
  $('signout').addEventListener('click', () => askForToken('Signed out.'))
  segmented('environments', 'environment')
  segmented('windows', 'window')
  let resizing = null
  window.addEventListener('resize', () => {
    clearTimeout(resizing)
    resizing = setTimeout(() => {
      state.chartKey = ''
      if (token() !== null) restart()
    }, 250)
  })

  if (token() === null) askForToken()
  else {
    $('login').hidden = true
    refresh()
  }
})()
