/**
 * GET /v1/system/state/stream (issue 4, SPEC §3 [ours]) over a real socket:
 * a `snapshot` first, then one `system.state_change` event per transition,
 * carrying the transition's id; delivered within 100 ms of the transition
 * (the one timed assertion the issue asks for); resumable with
 * `Last-Event-ID`; one stream per environment. Transitions are made with the
 * operator override, which changes a state at once and says which ids it
 * stored.
 */
import assert from 'node:assert/strict'
import { it } from 'node:test'
import type { StateChange } from '../../src/risk/engine.ts'
import { createPartner, setMarket } from '../support/app.ts'
import { describeEachDialect } from '../support/databases.ts'
import {
  iso,
  lastTransitionId,
  listen,
  openApp,
  openStream,
  override,
  systemState,
  T,
} from './engine-support.ts'

describeEachDialect('risk state stream (SSE)', ({ dialect }) => {
  it('starts with a snapshot and delivers a change within 100 ms of the transition', T, async (t) => {
    const app = await openApp(t, dialect)
    await setMarket(app)
    const partner = await createPartner(app)
    const baseUrl = await listen(app)
    // The engine's own listeners, subscribed first, mark the moment of each transition.
    const transitionAt = new Map<string, number>()
    app.stablefx.services.risk.subscribe('sandbox', (change: StateChange) => {
      transitionAt.set(change.id, performance.now())
    })
    const latest = await app.store.kysely
      .selectFrom('risk_transitions')
      .select('id')
      .where('environment', '=', 'sandbox')
      .orderBy('id', 'desc')
      .limit(1)
      .executeTakeFirstOrThrow()

    const stream = await openStream(baseUrl, partner.headers('sandbox'))
    t.after(() => stream.close())
    const snapshot = await stream.next()
    assert.equal(snapshot.event, 'snapshot')
    assert.equal(snapshot.id, latest.id.toString())
    assert.deepEqual(JSON.parse(snapshot.data), await systemState(app, partner))
    assert.equal(JSON.parse(snapshot.data).system_state, 'NORMAL')

    const expiresAt = iso(app.clock.now() + 600_000)
    const response = await override(app, {
      corridor: 'USD-SGD',
      state: 'PROTECT',
      reason: 'stream check',
      expires_at: expiresAt,
      environment: 'sandbox',
    })
    assert.equal(response.changes.length, 1)
    const changeId = response.changes[0].id
    const event = await stream.next()
    const at = transitionAt.get(changeId)
    assert.ok(at !== undefined)
    assert.ok(
      event.receivedAt - at < 100,
      `delivered ${(event.receivedAt - at).toFixed(1)} ms after the transition`,
    )
    assert.equal(event.event, 'system.state_change')
    assert.equal(event.id, changeId)
    assert.ok(BigInt(changeId) > BigInt(latest.id))
    assert.deepEqual(JSON.parse(event.data), {
      id: changeId,
      corridor: 'USD-SGD',
      previous_state: 'NORMAL',
      state: 'PROTECT',
      reasons: [`override: PROTECT until ${expiresAt}: stream check`],
      trigger: 'override',
      timestamp: iso(app.clock.now()),
    })
  })

  it('a client resuming with Last-Event-ID gets exactly the events it missed, in order', T, async (t) => {
    const app = await openApp(t, dialect)
    await setMarket(app)
    const partner = await createPartner(app)
    const baseUrl = await listen(app)
    const expiresAt = iso(app.clock.now() + 600_000)
    const change = async (corridor: string, state: string) => {
      const body = await override(app, {
        corridor,
        state,
        reason: `${corridor} to ${state}`,
        expires_at: expiresAt,
        environment: 'sandbox',
      })
      assert.equal(body.changes.length, 1)
      return body.changes[0].id as string
    }

    const first = await openStream(baseUrl, partner.headers('sandbox'))
    assert.equal((await first.next()).event, 'snapshot')
    const ids = [
      await change('USD-SGD', 'PROTECT'),
      await change('MYR-IDR', 'RESTRICT'),
      await change('USD-IDR', 'HALT'),
    ]
    const seen = [await first.next(), await first.next(), await first.next()]
    assert.deepEqual(
      seen.map((e) => e.id),
      ids,
    )
    await first.close()

    // Back after the first event: the second and third are replayed from the store, no snapshot.
    const resumed = await openStream(baseUrl, partner.headers('sandbox'), ids[0])
    t.after(() => resumed.close())
    const replayed = [await resumed.next(), await resumed.next()]
    assert.deepEqual(
      replayed.map((e) => ({ id: e.id, event: e.event, data: JSON.parse(e.data) })),
      [
        {
          id: ids[1],
          event: 'system.state_change',
          data: {
            id: ids[1],
            corridor: 'MYR-IDR',
            previous_state: 'NORMAL',
            state: 'RESTRICT',
            reasons: [`override: RESTRICT until ${expiresAt}: MYR-IDR to RESTRICT`],
            trigger: 'override',
            timestamp: iso(app.clock.now()),
          },
        },
        {
          id: ids[2],
          event: 'system.state_change',
          data: {
            id: ids[2],
            corridor: 'USD-IDR',
            previous_state: 'NORMAL',
            state: 'HALT',
            reasons: [`override: HALT until ${expiresAt}: USD-IDR to HALT`],
            trigger: 'override',
            timestamp: iso(app.clock.now()),
          },
        },
      ],
    )
    // Nothing else was queued: the next event is the next change, live.
    const fourth = await change('USD-SGD', 'NORMAL')
    const live = await resumed.next()
    assert.equal(live.id, fourth)
    assert.deepEqual(
      { corridor: JSON.parse(live.data).corridor, state: JSON.parse(live.data).state },
      { corridor: 'USD-SGD', state: 'NORMAL' },
    )
  })

  it('a stream carries its own environment only', T, async (t) => {
    const app = await openApp(t, dialect)
    await setMarket(app)
    const partner = await createPartner(app)
    const baseUrl = await listen(app)
    const sandbox = await openStream(baseUrl, partner.headers('sandbox'))
    t.after(() => sandbox.close())
    const live = await openStream(baseUrl, partner.headers('live'))
    t.after(() => live.close())
    assert.equal(JSON.parse((await sandbox.next()).data).system_state, 'NORMAL')
    // Live starts with empty pools: every live corridor is halted by the inventory signal.
    assert.equal(JSON.parse((await live.next()).data).system_state, 'HALT')

    const expiresAt = iso(app.clock.now() + 600_000)
    const liveChange = await override(app, {
      corridor: 'USD-IDR',
      state: 'NORMAL',
      reason: 'live only',
      expires_at: expiresAt,
    })
    const sandboxChange = await override(app, {
      corridor: 'USD-SGD',
      state: 'PROTECT',
      reason: 'sandbox only',
      expires_at: expiresAt,
      environment: 'sandbox',
    })
    const onLive = await live.next()
    assert.equal(onLive.id, liveChange.changes[0].id)
    assert.deepEqual(
      { corridor: JSON.parse(onLive.data).corridor, from: JSON.parse(onLive.data).previous_state },
      { corridor: 'USD-IDR', from: 'HALT' },
    )
    // The live change was sent first, yet the sandbox stream's next event is the sandbox one.
    const onSandbox = await sandbox.next()
    assert.equal(onSandbox.id, sandboxChange.changes[0].id)
    assert.equal(JSON.parse(onSandbox.data).corridor, 'USD-SGD')
    assert.notEqual(onSandbox.id, onLive.id)
  })

  it(
    'a partner holds at most 5 streams on a node; the sixth is 429 RATE_LIMITED with Retry-After',
    T,
    async (t) => {
      const app = await openApp(t, dialect)
      await setMarket(app)
      const partner = await createPartner(app)
      const other = await createPartner(app, { name: 'Other Ramp' })
      const baseUrl = await listen(app)
      const streams = []
      for (let i = 0; i < 5; i++) {
        const stream = await openStream(baseUrl, partner.headers(i % 2 === 0 ? 'sandbox' : 'live'))
        t.after(() => stream.close())
        assert.equal((await stream.next()).event, 'snapshot')
        streams.push(stream)
      }
      const refused = await fetch(`${baseUrl}/v1/system/state/stream`, {
        headers: { ...partner.headers('sandbox'), 'x-request-id': 'sixth-stream' },
      })
      assert.equal(refused.status, 429)
      assert.equal(refused.headers.get('retry-after'), '5')
      assert.equal(refused.headers.get('x-request-id'), 'sixth-stream')
      const body = (await refused.json()) as { error: Record<string, unknown> }
      assert.deepEqual(
        { ...body.error, timestamp: typeof body.error.timestamp },
        {
          code: 'RATE_LIMITED',
          message: 'at most 5 state streams per partner on one node',
          timestamp: 'string',
          request_id: 'sixth-stream',
        },
      )
      // The limit is per partner: another partner still gets a stream.
      const others = await openStream(baseUrl, other.headers('sandbox'))
      t.after(() => others.close())
      assert.equal((await others.next()).event, 'snapshot')
      // A closed stream gives its slot back once the server sees the close.
      await streams[0]?.close()
      const deadline = performance.now() + 2_000
      let status = 429
      while (status === 429 && performance.now() < deadline) {
        const controller = new AbortController()
        const retry = await fetch(`${baseUrl}/v1/system/state/stream`, {
          headers: partner.headers('sandbox'),
          signal: controller.signal,
        })
        status = retry.status
        controller.abort()
        if (status === 429) await new Promise((resolve) => setTimeout(resolve, 20))
      }
      assert.equal(status, 200)
    },
  )

  it('a stream resumed with nothing missed sends its headers at once', T, async (t) => {
    const app = await openApp(t, dialect)
    await setMarket(app)
    const partner = await createPartner(app)
    const baseUrl = await listen(app)
    const latest = await lastTransitionId(app)
    const started = performance.now()
    // Nothing was missed, so no event is written; the headers must not wait for the 15 s heartbeat.
    const stream = await openStream(baseUrl, partner.headers('sandbox'), latest.toString())
    t.after(() => stream.close())
    const elapsedMs = performance.now() - started
    assert.ok(elapsedMs < 1_000, `headers after ${elapsedMs.toFixed(0)} ms`)
    const response = await override(app, {
      corridor: 'USD-SGD',
      state: 'PROTECT',
      reason: 'after resume',
      expires_at: iso(app.clock.now() + 600_000),
      environment: 'sandbox',
    })
    assert.equal((await stream.next()).id, response.changes[0].id)
  })

  it('a Last-Event-ID beyond 2^63-1 is ignored: the stream starts with a snapshot', T, async (t) => {
    const app = await openApp(t, dialect)
    await setMarket(app)
    const partner = await createPartner(app)
    const baseUrl = await listen(app)
    const stream = await openStream(baseUrl, partner.headers('sandbox'), '9223372036854775808')
    t.after(() => stream.close())
    const first = await stream.next()
    assert.equal(first.event, 'snapshot')
    assert.equal(first.id, (await lastTransitionId(app)).toString())
  })
})
