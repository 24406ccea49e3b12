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
import { iso, listen, openApp, openStream, override, systemState, T } from './engine-support.ts'

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
})
