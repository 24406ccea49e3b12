import assert from 'node:assert/strict'
import { createServer, type Server } from 'node:http'
import type { AddressInfo } from 'node:net'
import { after, before, describe, it } from 'node:test'
import { createManualClock } from '../../src/clock/clock.ts'
import { r, ratio } from '../../src/money/ratio.ts'
import { createHttpFeed, type FeedConfig, parseFeedConfig, redactUrl } from '../../src/oracle/http-feed.ts'
import { parseJsonNumberText, readPriceAt } from '../../src/oracle/json-price.ts'
import { type AcceptedPrice, createOracleService } from '../../src/oracle/service.ts'

const T0 = Date.UTC(2026, 10, 23)

describe('parseFeedConfig (STABLEFX_ORACLE_FEEDS)', () => {
  it('reads a valid array, with intervalMs defaulting to 5 s', () => {
    const text = JSON.stringify([
      {
        source: 'primary_a',
        pair: 'USD-IDR',
        url: 'https://a.example/rate',
        path: 'data.rate',
        intervalMs: 2000,
      },
      { source: 'primary_b', pair: 'USD-IDR', url: 'http://b.example/', path: 'rate', environment: 'live' },
    ])
    assert.deepEqual(parseFeedConfig(text), {
      ok: true,
      value: [
        {
          source: 'primary_a',
          pair: 'USD-IDR',
          url: 'https://a.example/rate',
          path: 'data.rate',
          intervalMs: 2000,
        },
        {
          source: 'primary_b',
          pair: 'USD-IDR',
          url: 'http://b.example/',
          path: 'rate',
          intervalMs: 5000,
          environment: 'live',
        },
      ],
    })
    assert.deepEqual(parseFeedConfig('[]'), { ok: true, value: [] })
  })

  const good = { source: 'reference', pair: 'MYR-IDR', url: 'https://r.example/', path: 'data.rate' }
  const rows: { name: string; text: string; message: string }[] = [
    { name: 'not JSON', text: '[{', message: 'STABLEFX_ORACLE_FEEDS is not JSON' },
    { name: 'not an array', text: '{}', message: 'STABLEFX_ORACLE_FEEDS must be a JSON array' },
    { name: 'entry not an object', text: '[1]', message: 'oracle feed 0: must be an object' },
    {
      name: 'unknown field',
      text: JSON.stringify([{ ...good, weight: 1 }]),
      message: 'oracle feed 0: unknown field weight',
    },
    {
      name: 'bad source',
      text: JSON.stringify([{ ...good, source: 'primary_c' }]),
      message: 'oracle feed 0: source must be primary_a, primary_b or reference',
    },
    {
      name: 'bad pair',
      text: JSON.stringify([{ ...good, pair: 'USD-EUR' }]),
      message: 'oracle feed 0: pair must be USD-IDR, USD-SGD, USD-MYR or MYR-IDR',
    },
    {
      name: 'not an http URL',
      text: JSON.stringify([{ ...good, url: 'ftp://r.example/' }]),
      message: 'oracle feed 0: url must be an http(s) URL',
    },
    {
      name: 'missing path',
      text: JSON.stringify([{ source: 'reference', pair: 'MYR-IDR', url: 'https://r.example/' }]),
      message: 'oracle feed 0: path must be a dot path such as data.rate',
    },
    {
      name: 'empty path segment',
      text: JSON.stringify([{ ...good, path: 'data..rate' }]),
      message: 'oracle feed 0: path must be a dot path such as data.rate',
    },
    {
      name: 'interval too short',
      text: JSON.stringify([{ ...good, intervalMs: 10 }]),
      message: 'oracle feed 0: intervalMs must be a whole number from 250',
    },
    {
      name: 'interval as text',
      text: JSON.stringify([{ ...good, intervalMs: '1000' }]),
      message: 'oracle feed 0: intervalMs must be a whole number from 250',
    },
    {
      name: 'bad environment',
      text: JSON.stringify([{ ...good, environment: 'prod' }]),
      message: 'oracle feed 0: environment must be sandbox or live',
    },
    {
      name: 'the same source and pair twice in one environment',
      text: JSON.stringify([good, { ...good, url: 'https://other.example/', environment: 'sandbox' }]),
      message: 'oracle feed 1: reference MYR-IDR is configured twice',
    },
  ]
  for (const row of rows) {
    it(`rejects ${row.name}`, () => {
      const result = parseFeedConfig(row.text)
      assert.equal(result.ok, false)
      assert.ok(!result.ok && result.code === 'VALIDATION_ERROR')
      assert.ok(!result.ok && result.message.startsWith(row.message), !result.ok ? result.message : '')
    })
  }

  it('accepts one source and pair per environment', () => {
    const text = JSON.stringify([
      { ...good, environment: 'sandbox' },
      { ...good, environment: 'live' },
    ])
    assert.equal(parseFeedConfig(text).ok, true)
  })
})

describe('readPriceAt: exact prices from JSON text', () => {
  const rows: { name: string; body: string; path: string; price: ReturnType<typeof r> }[] = [
    {
      name: 'a number with more digits than a float holds',
      body: '{"data":{"rate":16250.123456789012345678}}',
      path: 'data.rate',
      price: r('16250.123456789012345678'),
    },
    { name: 'a decimal string', body: '{"data":{"rate":"1.30065"}}', path: 'data.rate', price: r('1.30065') },
    { name: 'an exponent', body: '{"rate":1.625e4}', path: 'rate', price: r('16250') },
    { name: 'a negative exponent', body: '{"rate":42E-1}', path: 'rate', price: r('4.2') },
    { name: 'an array index', body: '{"rates":[{"v":3869.5}]}', path: 'rates.0.v', price: r('3869.5') },
  ]
  for (const row of rows) {
    it(row.name, () => {
      assert.deepEqual(readPriceAt(row.body, row.path), { ok: true, value: row.price })
    })
  }

  const refusals: { body: string; path: string; message: string }[] = [
    { body: '{"data":', path: 'data.rate', message: 'response is not JSON' },
    { body: '{"data":{}}', path: 'data.rate', message: 'response has no data.rate' },
    { body: '{"data":{"rate":true}}', path: 'data.rate', message: 'data.rate is not a decimal number' },
    { body: '{"data":{"rate":"1e3"}}', path: 'data.rate', message: 'data.rate is not a decimal number' },
    { body: '{"data":{"rate":0}}', path: 'data.rate', message: 'data.rate is not positive' },
    { body: '{"data":{"rate":-1.5}}', path: 'data.rate', message: 'data.rate is not positive' },
    { body: '{"data":{"rate":1e999}}', path: 'data.rate', message: 'data.rate is not a decimal number' },
    { body: '{"data":"16250"}', path: 'data.length', message: 'response has no data.length' },
  ]
  for (const row of refusals) {
    it(`refuses ${row.body} at ${row.path}`, () => {
      const result = readPriceAt(row.body, row.path)
      assert.ok(!result.ok && result.message.startsWith(row.message), JSON.stringify(result))
    })
  }

  it('parseJsonNumberText is exact', () => {
    assert.deepEqual(parseJsonNumberText('0.1'), ratio(1n, 10n))
    assert.deepEqual(parseJsonNumberText('-12.5e-2'), ratio(-1n, 8n))
    assert.deepEqual(parseJsonNumberText('2E+3'), r('2000'))
    assert.equal(parseJsonNumberText('01'), undefined)
    assert.equal(parseJsonNumberText('1e41'), undefined)
  })
})

describe('HTTP feed against a local server', () => {
  const bodies: Record<string, { status: number; body: string }> = {
    '/exact': { status: 200, body: '{"data":{"rate":16250.123456789012345678,"ts":1}}' },
    '/text': { status: 200, body: '{"data":{"rate":"16251.5"}}' },
    '/broken': { status: 200, body: '{"data":{"rate":' },
    '/error': { status: 500, body: '{"error":"down"}' },
  }
  let server: Server
  let base: string
  /** Every path the local server was asked for, query included. */
  const requested: string[] = []

  before(async () => {
    server = createServer((request, response) => {
      requested.push(request.url ?? '')
      if (request.url === '/hang') return // never answers: the client's timeout must end the request
      if (request.url === '/moved') {
        response.writeHead(302, { location: `${base}/text?via=redirect` }).end()
        return
      }
      const answer = bodies[(request.url ?? '').split('?')[0] as string] ?? { status: 404, body: '{}' }
      response.writeHead(answer.status, { 'content-type': 'application/json' }).end(answer.body)
    })
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`
  })

  after(async () => {
    server.closeAllConnections()
    await new Promise((resolve) => server.close(resolve))
  })

  /** `urls` are paths on the local server, or whole URLs. */
  function setup(feeds: Omit<FeedConfig, 'url' | 'intervalMs'>[], urls: string[]) {
    const clocks = { live: createManualClock(T0), sandbox: createManualClock(T0 + 60_000) }
    const oracle = createOracleService({ clocks })
    const heard: AcceptedPrice[] = []
    oracle.onPrice((accepted) => heard.push(accepted))
    const warnings: { obj: object; msg: string }[] = []
    const logger = { warn: (obj: object, msg: string) => warnings.push({ obj, msg }) }
    const configs = feeds.map((feed, index) => {
      const url = urls[index] as string
      return { ...feed, url: url.startsWith('/') ? `${base}${url}` : url, intervalMs: 1000 }
    })
    const http = createHttpFeed({ oracle, clocks, logger, timeoutMs: 200 }, configs)
    return { clocks, oracle, heard, warnings, http }
  }

  it('submits the exact decimal to both environments, stamped by each clock', async () => {
    const s = setup([{ source: 'primary_a', pair: 'USD-IDR', path: 'data.rate' }], ['/exact'])
    await s.http.pollAll()
    assert.deepEqual(s.warnings, [])
    assert.deepEqual(
      s.heard.map((accepted) => [accepted.environment, accepted.price, accepted.atMs]),
      [
        ['sandbox', r('16250.123456789012345678'), T0 + 60_000],
        ['live', r('16250.123456789012345678'), T0],
      ],
    )
  })

  it('feeds only the configured environment, and reads a decimal string', async () => {
    const s = setup(
      [{ source: 'primary_b', pair: 'USD-IDR', path: 'data.rate', environment: 'live' }],
      ['/text'],
    )
    await s.http.pollAll()
    assert.deepEqual(
      s.heard.map((accepted) => [accepted.environment, accepted.price]),
      [['live', r('16251.5')]],
    )
  })

  it('two primaries from two URLs make an OK reading', async () => {
    const s = setup(
      [
        { source: 'primary_a', pair: 'USD-IDR', path: 'data.rate' },
        { source: 'primary_b', pair: 'USD-IDR', path: 'data.rate' },
      ],
      ['/exact', '/text'],
    )
    await s.http.pollAll()
    assert.equal(s.oracle.reading('live', 'USD-IDR').status, 'OK')
    assert.deepEqual(s.oracle.reading('live', 'USD-IDR').mid, r('16250.811728394506172839'))
  })

  it('logs bad JSON, an HTTP error, a missing field and a timeout, and never throws', async () => {
    const s = setup(
      [
        { source: 'primary_a', pair: 'USD-IDR', path: 'data.rate' },
        { source: 'primary_b', pair: 'USD-IDR', path: 'data.rate' },
        { source: 'reference', pair: 'USD-IDR', path: 'data.missing' },
        { source: 'primary_a', pair: 'USD-SGD', path: 'data.rate' },
      ],
      ['/broken', '/error', '/text', '/hang'],
    )
    await s.http.pollAll()
    assert.deepEqual(s.heard, [])
    const messages = s.warnings.map((warning) => warning.msg).sort()
    assert.equal(messages.length, 4)
    assert.match(messages[0] as string, /^oracle feed failed: HTTP 500$/)
    assert.match(messages[1] as string, /^oracle feed failed: response has no data.missing$/)
    assert.match(messages[2] as string, /^oracle feed failed: response is not JSON/)
    assert.equal(messages[3], 'oracle feed request failed')
    assert.deepEqual(s.warnings.map((warning) => (warning.obj as { pair: string }).pair).sort(), [
      'USD-IDR',
      'USD-IDR',
      'USD-IDR',
      'USD-SGD',
    ])
  })

  it('logs a refused connection', async () => {
    const probe = createServer()
    await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve))
    const port = (probe.address() as AddressInfo).port
    await new Promise((resolve) => probe.close(resolve))
    const s = setup([{ source: 'primary_a', pair: 'USD-IDR', path: 'rate' }], [`http://127.0.0.1:${port}/`])
    await s.http.pollAll()
    assert.deepEqual(
      s.warnings.map((warning) => warning.msg),
      ['oracle feed request failed'],
    )
  })

  it('refuses a redirect: nothing is submitted and its target is never fetched', async () => {
    const s = setup([{ source: 'primary_a', pair: 'USD-IDR', path: 'data.rate' }], ['/moved'])
    await s.http.pollAll()
    assert.deepEqual(s.heard, [])
    assert.deepEqual(s.warnings, [
      {
        obj: { source: 'primary_a', pair: 'USD-IDR', url: `${base}/moved` },
        msg: 'oracle feed failed: redirect refused (HTTP 302)',
      },
    ])
    assert.ok(requested.includes('/moved'))
    assert.deepEqual(
      requested.filter((path) => path.includes('via=redirect')),
      [],
    )
  })

  it('logs a feed URL without its query, fragment or credentials', async () => {
    const withKey = `${base}/error?apikey=SECRET-KEY-1#frag`
    const withUser = base.replace('http://', 'http://feeduser:SECRET-PASS-2@')
    const s = setup(
      [
        { source: 'primary_a', pair: 'USD-IDR', path: 'data.rate' },
        { source: 'primary_b', pair: 'USD-IDR', path: 'data.rate' },
      ],
      [withKey, `${withUser}/text?token=SECRET-KEY-3`],
    )
    await s.http.pollAll()
    assert.deepEqual(s.heard, [])
    const byMessage = [...s.warnings].sort((a, b) => a.msg.localeCompare(b.msg))
    assert.deepEqual(
      byMessage.map((warning) => [warning.msg, (warning.obj as { url: string }).url]),
      [
        ['oracle feed failed: HTTP 500', `${base}/error`],
        // fetch refuses a URL with credentials; its error message quotes the URL, redacted here too.
        ['oracle feed request failed', `${base}/text`],
      ],
    )
    const logged = JSON.stringify(s.warnings)
    for (const secret of ['SECRET-KEY-1', 'SECRET-PASS-2', 'SECRET-KEY-3', 'feeduser', 'frag']) {
      assert.ok(!logged.includes(secret), `${secret} logged: ${logged}`)
    }
  })

  it('redactUrl keeps the origin and the path only', () => {
    assert.equal(
      redactUrl('https://u:p@feed.example:8443/v1/rate?apikey=k#x'),
      'https://feed.example:8443/v1/rate',
    )
    assert.equal(redactUrl('http://feed.example'), 'http://feed.example/')
    assert.equal(redactUrl('not a url'), '(unparseable URL)')
  })

  it('start polls at once and stop ends the schedule', async () => {
    const s = setup([{ source: 'primary_a', pair: 'USD-IDR', path: 'data.rate' }], ['/text'])
    const heard = new Promise<void>((resolve) => s.oracle.onPrice(() => resolve()))
    s.http.start()
    await heard
    s.http.stop()
    assert.deepEqual(s.heard[0]?.price, r('16251.5'))
  })
})
