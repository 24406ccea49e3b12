/**
 * The partner event feed over HTTP (SPEC §10, §15): GET /v1/events pages in
 * commit order with filters and cursors; GET /v1/events/{id} answers the
 * partner's own events and broadcasts, 404 otherwise; GET /v1/events/stream
 * sends headers at once, follows live, resumes from Last-Event-ID with no gap
 * and no repeat, and is capped per partner. Also: the state stream answers
 * its headers at once on a resume (issue 10).
 */
import assert from 'node:assert/strict'
import { after, before, it } from 'node:test'
import { recordEvent } from '../../src/events/events.ts'
import { createPartner, createTestApp, type TestApp, type TestPartner } from '../support/app.ts'
import { describeEachDialect } from '../support/databases.ts'
import { expectError, get } from '../trading/support.ts'
import { feedSettled } from '../webhooks/support.ts'

const T = { timeout: 30_000 }
const AT = Date.UTC(2026, 10, 23, 9, 30, 0)

type Envelope = { id: string; event: string; timestamp: string; environment: string; data: { n: number } }
type Frame = { id: string | undefined; event: string; data: string }

/** Writes one event (partner null: a broadcast) in its own transaction. */
async function emit(app: TestApp, partnerId: string | null, n: number, type = 'execution.settled') {
  return app.store.transaction((tx) =>
    recordEvent(tx, {
      environment: 'sandbox',
      partnerId,
      type: type as 'execution.settled',
      data: { n },
      atMs: AT + n * 1000,
    }),
  )
}

/**
 * Repeats a read until `done` accepts it (at most 5 s): on PostgreSQL an
 * event is readable once every older transaction of the cluster has ended.
 */
async function eventually<R>(read: () => Promise<R>, done: (value: R) => boolean): Promise<R> {
  const deadline = performance.now() + 5_000
  for (;;) {
    const value = await read()
    if (done(value) || performance.now() > deadline) return value
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

async function listen(app: TestApp): Promise<string> {
  await app.stablefx.app.listen({ port: 0, host: '127.0.0.1' })
  const address = app.stablefx.app.server.address()
  assert.ok(address !== null && typeof address === 'object')
  return `http://127.0.0.1:${address.port}`
}

/** An SSE client: the time its headers took, and the frames as they come (comments skipped). */
async function openSse(url: string, headers: Record<string, string>) {
  const controller = new AbortController()
  const startedAt = performance.now()
  const response = await fetch(url, { headers, signal: controller.signal })
  const headersMs = performance.now() - startedAt
  const frames: Frame[] = []
  let wake: (() => void) | undefined
  let ended = false
  const pump = (async () => {
    if (response.body === null) return
    const reader = response.body.getReader()
    const decoder = new TextDecoder()
    let buffer = ''
    try {
      for (;;) {
        const { value, done } = await reader.read()
        if (done) break
        buffer += decoder.decode(value, { stream: true })
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const lines = buffer.slice(0, end).split('\n')
          buffer = buffer.slice(end + 2)
          const field = (name: string) => lines.find((l) => l.startsWith(`${name}: `))?.slice(name.length + 2)
          const data = field('data')
          if (data !== undefined) frames.push({ id: field('id'), event: field('event') ?? 'message', data })
        }
        wake?.()
      }
    } catch {
      // Aborted by close().
    } finally {
      ended = true
      wake?.()
    }
  })()
  return {
    response,
    headersMs,
    /** The next `count` frames; fails after 5 s so a test never hangs. */
    async take(count: number): Promise<Frame[]> {
      const deadline = performance.now() + 5_000
      while (frames.length < count) {
        if (ended) throw new Error(`the stream ended after ${frames.length} frames`)
        const left = deadline - performance.now()
        if (left <= 0) throw new Error(`${frames.length} of ${count} frames within 5 s`)
        await new Promise<void>((resolve) => {
          const timer = setTimeout(resolve, left)
          wake = () => {
            clearTimeout(timer)
            resolve()
          }
        })
        wake = undefined
      }
      return frames.splice(0, count)
    },
    pending: () => frames.length,
    async close() {
      controller.abort()
      await pump
    },
  }
}

const ns = (items: Envelope[]) => items.map((item) => item.data.n)

describeEachDialect('event feed over HTTP', ({ store }) => {
  let app: TestApp
  let partner: TestPartner
  let other: TestPartner
  let baseUrl: string
  before(async () => {
    app = await createTestApp(store())
    partner = await createPartner(app, { name: 'Listens' })
    other = await createPartner(app, { name: 'Someone else' })
    baseUrl = await listen(app)
  })
  after(() => app.close())

  const list = async (query: string, who = partner) => {
    const response = await get(app, who, `/v1/events${query}`)
    assert.equal(response.statusCode, 200, response.body)
    return response.json() as { items: Envelope[]; next_cursor: string | null }
  }

  it('lists the partner’s events and broadcasts in order, page by page, with type filters', T, async () => {
    const start = await list('?limit=100')
    const from = start.next_cursor
    const suffix = from === null ? '' : `&after=${from}`
    const mine = await emit(app, partner.id, 1)
    await emit(app, other.id, 2)
    await emit(app, null, 3, 'system.state_change')
    await emit(app, partner.id, 4, 'quote.expired')
    await emit(app, partner.id, 5, 'partner.limit_warning')
    const all = await eventually(
      () => list(`?limit=100${suffix}`),
      (page) => page.items.length === 4,
    )
    assert.deepEqual(ns(all.items), [1, 3, 4, 5])
    assert.deepEqual(all.items[0], {
      id: mine,
      event: 'execution.settled',
      timestamp: '2026-11-23T09:30:01.000Z',
      environment: 'sandbox',
      data: { n: 1 },
    })
    // Pages of two: next_cursor leads on, an empty page at the end keeps the cursor.
    const first = await list(`?limit=2${suffix}`)
    assert.deepEqual(ns(first.items), [1, 3])
    const second = await list(`?limit=2&after=${first.next_cursor}`)
    assert.deepEqual(ns(second.items), [4, 5])
    const third = await list(`?limit=2&after=${second.next_cursor}`)
    assert.deepEqual(third, { items: [], next_cursor: second.next_cursor })
    // Types: repeated, comma-separated, or both.
    assert.deepEqual(ns((await list(`?type=quote.expired&type=system.state_change${suffix}`)).items), [3, 4])
    assert.deepEqual(ns((await list(`?type=quote.expired,partner.limit_warning${suffix}`)).items), [4, 5])
    assert.deepEqual(ns((await list(`?type=execution.settled${suffix}`)).items), [1])
    // The other partner sees its own event and the broadcast only.
    const theirs = await list(`?limit=100${suffix}`, other)
    assert.deepEqual(ns(theirs.items), [2, 3])
  })

  it('refuses an unknown type and a cursor it did not issue with 400', T, async () => {
    const unknown = await get(app, partner, '/v1/events?type=execution.settled,execution.exploded')
    const error = expectError(unknown, 400, 'VALIDATION_ERROR')
    assert.equal(error.message, 'querystring/type: unknown event type "execution.exploded"')
    for (const cursor of ['abc', '12', '1-2-3', '1-99999999999999999999', '9223372036854775808-1']) {
      expectError(await get(app, partner, `/v1/events?after=${cursor}`), 400, 'VALIDATION_ERROR')
    }
    expectError(await get(app, partner, '/v1/events?limit=0'), 400, 'VALIDATION_ERROR')
    expectError(await get(app, partner, '/v1/events?limit=101'), 400, 'VALIDATION_ERROR')
  })

  it('GET /v1/events/{id}: own events and broadcasts; another partner’s or unknown is 404', T, async () => {
    const own = await emit(app, partner.id, 10)
    const broadcast = await emit(app, null, 11, 'rebalance.executed')
    const theirs = await emit(app, other.id, 12)
    const response = await get(app, partner, `/v1/events/${own}`)
    assert.equal(response.statusCode, 200, response.body)
    assert.deepEqual(response.json(), {
      id: own,
      event: 'execution.settled',
      timestamp: '2026-11-23T09:30:10.000Z',
      environment: 'sandbox',
      data: { n: 10 },
    })
    assert.equal((await get(app, partner, `/v1/events/${broadcast}`)).json().event, 'rebalance.executed')
    expectError(await get(app, partner, `/v1/events/${theirs}`), 404, 'NOT_FOUND')
    expectError(await get(app, partner, `/v1/events/${own}`, { environment: 'live' }), 404, 'NOT_FOUND')
    expectError(await get(app, partner, '/v1/events/not-an-id'), 404, 'NOT_FOUND')
    expectError(await get(app, partner, '/v1/events/00000000-0000-4000-8000-000000000000'), 404, 'NOT_FOUND')
  })

  it(
    'the stream: headers at once, live events, then a resume from Last-Event-ID with no gap',
    T,
    async () => {
      const url = `${baseUrl}/v1/events/stream`
      // A fresh stream starts after the newest readable event: wait until the earlier events are readable.
      const marker = await emit(app, partner.id, 19)
      await eventually(
        () => list('?limit=100&type=execution.settled'),
        (page) => page.items.some((item) => item.id === marker),
      )
      const live = await openSse(url, partner.headers('sandbox'))
      assert.equal(live.response.status, 200)
      assert.equal(live.response.headers.get('content-type'), 'text/event-stream; charset=utf-8')
      assert.ok(live.headersMs < 1_000, `headers after ${live.headersMs.toFixed(0)} ms`)
      await emit(app, partner.id, 20)
      await emit(app, other.id, 21)
      await emit(app, null, 22, 'system.state_change')
      // On PostgreSQL other suites' transactions on the server hold the feed back a moment.
      await feedSettled(app.store)
      const seen = await live.take(2)
      assert.deepEqual(
        seen.map((f) => [f.event, (JSON.parse(f.data) as Envelope).data.n]),
        [
          ['execution.settled', 20],
          ['system.state_change', 22],
        ],
      )
      const lastId = seen[1]?.id
      assert.ok(lastId !== undefined && /^[0-9]+-[0-9]+$/.test(lastId))
      await live.close()
      // Missed while away: 23 and 25 (24 is someone else's).
      await emit(app, partner.id, 23)
      await emit(app, other.id, 24)
      await emit(app, null, 25, 'rebalance.executed')
      const resumed = await openSse(url, { ...partner.headers('sandbox'), 'last-event-id': lastId })
      assert.equal(resumed.response.status, 200)
      assert.ok(resumed.headersMs < 1_000, `headers after ${resumed.headersMs.toFixed(0)} ms`)
      await feedSettled(app.store)
      const replayed = await resumed.take(2)
      await emit(app, partner.id, 26, 'quote.expired')
      await feedSettled(app.store)
      const next = await resumed.take(1)
      const frames = [...replayed, ...next]
      assert.deepEqual(
        frames.map((f) => (JSON.parse(f.data) as Envelope).data.n),
        [23, 25, 26],
      )
      assert.equal(next[0]?.event, 'quote.expired')
      // Ids increase along the stream (feed order).
      const ids = frames.map((f) => f.id as string)
      assert.equal(new Set(ids).size, 3)
      assert.equal(resumed.pending(), 0)
      await resumed.close()
    },
  )

  it('a resume with nothing to replay answers its headers at once', T, async (t) => {
    const id = await emit(app, partner.id, 30)
    const page = await eventually(
      () => list('?limit=100'),
      (p) => p.items.some((item) => item.id === id),
    )
    const cursor = page.next_cursor as string
    const resumed = await openSse(`${baseUrl}/v1/events/stream`, {
      ...partner.headers('sandbox'),
      'last-event-id': cursor,
    })
    assert.equal(resumed.response.status, 200)
    assert.ok(resumed.headersMs < 1_000, `headers after ${resumed.headersMs.toFixed(0)} ms`)
    t.diagnostic(`headers after ${resumed.headersMs.toFixed(1)} ms`)
    await resumed.close()
  })

  it('the state stream, resumed with Last-Event-ID, answers its headers at once', T, async (t) => {
    const latest = await app.store.kysely
      .selectFrom('risk_transitions')
      .select('id')
      .where('environment', '=', 'sandbox')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirst()
    const resumed = await openSse(`${baseUrl}/v1/system/state/stream`, {
      ...partner.headers('sandbox'),
      'last-event-id': (latest?.id ?? 0n).toString(),
    })
    assert.equal(resumed.response.status, 200)
    assert.equal(resumed.response.headers.get('content-type'), 'text/event-stream; charset=utf-8')
    assert.ok(resumed.headersMs < 1_000, `headers after ${resumed.headersMs.toFixed(0)} ms`)
    t.diagnostic(`headers after ${resumed.headersMs.toFixed(1)} ms`)
    await resumed.close()
  })

  it('a Last-Event-ID that is not a cursor is 400; a partner holds at most 5 event streams', T, async () => {
    const bad = await fetch(`${baseUrl}/v1/events/stream`, {
      headers: { ...partner.headers('sandbox'), 'last-event-id': 'yesterday' },
    })
    assert.equal(bad.status, 400)
    assert.equal(((await bad.json()) as { error: { code: string } }).error.code, 'VALIDATION_ERROR')
    const capped = await createPartner(app, { name: 'Many tabs' })
    const open = []
    for (let i = 0; i < 5; i++) {
      const stream = await openSse(`${baseUrl}/v1/events/stream`, capped.headers('sandbox'))
      assert.equal(stream.response.status, 200)
      open.push(stream)
    }
    const refused = await fetch(`${baseUrl}/v1/events/stream`, { headers: capped.headers('sandbox') })
    assert.equal(refused.status, 429)
    assert.equal(refused.headers.get('retry-after'), '5')
    assert.equal(((await refused.json()) as { error: { code: string } }).error.code, 'RATE_LIMITED')
    for (const stream of open) await stream.close()
  })
})
