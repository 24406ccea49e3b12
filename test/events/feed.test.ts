/**
 * The event feed store reads (src/events/feed.ts, SPEC §10): commit order,
 * cursors that never skip a row committed late on PostgreSQL, filters,
 * pagination, the head, and cursor parsing.
 */
import assert from 'node:assert/strict'
import { it } from 'node:test'
import type { EventType } from '../../src/events/events.ts'
import { recordEvent } from '../../src/events/events.ts'
import {
  compareCursors,
  type FeedCursor,
  feedHead,
  findEvent,
  formatCursor,
  parseFeedCursor,
  readFeed,
} from '../../src/events/feed.ts'
import type { Store, Tx } from '../../src/store/store.ts'
import { describeEachDialect } from '../support/databases.ts'
import { feedSettled } from '../webhooks/support.ts'

const T = { timeout: 20_000 }
const AT = Date.UTC(2026, 10, 23, 10, 0, 0)

function record(tx: Tx, partnerId: string | null, type: EventType, n: number, environment = 'sandbox') {
  return recordEvent(tx, {
    environment: environment as 'sandbox',
    partnerId,
    type,
    data: { n },
    atMs: AT + n,
  })
}

async function recordOne(
  store: Store,
  partnerId: string | null,
  type: EventType,
  n: number,
  env = 'sandbox',
) {
  return store.transaction((tx) => record(tx, partnerId, type, n, env))
}

async function ns(store: Store, query: Parameters<typeof readFeed>[1]) {
  return (await readFeed(store, query)).map((row) => (row.envelope.data as { n: number }).n)
}

/** A promise and the function that resolves it: holds a transaction open until the test says. */
function gate() {
  let open: () => void = () => {}
  const closed = new Promise<void>((resolve) => {
    open = resolve
  })
  return { closed, open }
}

describeEachDialect('event feed', ({ store, dialect }) => {
  it('reads a partner’s own events and the broadcasts, in commit order, in pages', T, async () => {
    const s = store()
    const partner = `p-${dialect}-order`
    await recordOne(s, partner, 'execution.settled', 1)
    await recordOne(s, 'someone-else', 'execution.settled', 2)
    await recordOne(s, null, 'system.state_change', 3)
    await recordOne(s, partner, 'quote.expired', 4, 'live')
    await recordOne(s, partner, 'quote.expired', 5)
    // On PostgreSQL other suites' transactions on the same server hold the feed back a moment.
    await feedSettled(s)
    const start = await feedHead(s, 'sandbox')
    assert.ok(compareCursors(start, { xid: 0n, id: 0n }) > 0)
    await recordOne(s, partner, 'partner.limit_warning', 6)
    await recordOne(s, null, 'rebalance.executed', 7)
    await feedSettled(s)

    const all = await readFeed(s, { environment: 'sandbox', partnerId: partner, limit: 100 })
    const mine = all.filter((row) => [1, 3, 5, 6, 7].includes((row.envelope.data as { n: number }).n))
    assert.deepEqual(
      mine.map((row) => (row.envelope.data as { n: number }).n),
      [1, 3, 5, 6, 7],
    )
    assert.ok(all.every((row) => row.partnerId === partner || row.partnerId === null))
    assert.deepEqual(mine[0]?.envelope, {
      id: mine[0]?.envelope.id,
      event: 'execution.settled',
      timestamp: '2026-11-23T10:00:00.001Z',
      environment: 'sandbox',
      data: { n: 1 },
    })
    // Pages of two, each after the last cursor of the one before: the same rows, none twice.
    const paged: number[] = []
    let after: FeedCursor | undefined
    for (;;) {
      const page = await readFeed(s, { environment: 'sandbox', partnerId: partner, after, limit: 2 })
      if (page.length === 0) break
      paged.push(...page.map((row) => (row.envelope.data as { n: number }).n))
      after = page.at(-1)?.cursor
    }
    assert.deepEqual(paged, [1, 3, 5, 6, 7])
    // After the head taken before 6: only what came later.
    assert.deepEqual(
      await ns(s, { environment: 'sandbox', partnerId: partner, after: start, limit: 100 }),
      [6, 7],
    )
    // Type filter.
    assert.deepEqual(
      await ns(s, {
        environment: 'sandbox',
        partnerId: partner,
        types: ['quote.expired', 'rebalance.executed'],
        limit: 100,
      }),
      [5, 7],
    )
    // Lookup by id: the partner's own and broadcasts; another partner's is not found.
    const other = (await readFeed(s, { environment: 'sandbox', limit: 100 })).find(
      (row) => row.partnerId === 'someone-else',
    )
    assert.ok(other)
    const broadcast = mine[1]
    assert.ok(broadcast)
    assert.equal(
      (await findEvent(s, { environment: 'sandbox', partnerId: partner, eventId: broadcast.envelope.id })).ok,
      true,
    )
    const hidden = await findEvent(s, {
      environment: 'sandbox',
      partnerId: partner,
      eventId: other.envelope.id,
    })
    assert.equal(hidden.ok, false)
    const wrongEnv = await findEvent(s, {
      environment: 'live',
      partnerId: partner,
      eventId: broadcast.envelope.id,
    })
    assert.equal(wrongEnv.ok, false)
  })

  it('parses only the cursors it formats', () => {
    const cursor = { xid: 123n, id: 45n }
    const parsed = parseFeedCursor(formatCursor(cursor), 'after')
    assert.deepEqual(parsed, { ok: true, value: cursor })
    assert.deepEqual(parseFeedCursor(undefined, 'after'), { ok: true, value: undefined })
    for (const bad of [
      '',
      '12',
      '1-',
      '-1',
      'a-1',
      '1-2-3',
      '1 -2',
      '9223372036854775808-1',
      '1-9999999999999999999',
    ]) {
      const result = parseFeedCursor(bad, 'after')
      assert.equal(result.ok, false, bad)
      assert.equal(result.ok ? undefined : result.code, 'VALIDATION_ERROR')
    }
  })

  if (dialect === 'postgres') {
    it('a transaction that commits late is read after what was read, never skipped', T, async () => {
      const s = store()
      const partner = 'p-late-commit'
      const before = await feedHead(s, 'sandbox')
      const sWrote = gate()
      const sMayFinish = gate()
      // S: a first write (so it holds a transaction id), then it waits before writing its event.
      const slow = s.transaction(async (tx) => {
        await tx.kysely
          .insertInto('partner_volume')
          .values({
            partner_id: partner,
            environment: 'sandbox',
            corridor: 'USD-IDR',
            day: '2026-11-23',
            usd_micros: 0n,
          })
          .execute()
        sWrote.open()
        await sMayFinish.closed
        return record(tx, partner, 'execution.settled', 100)
      })
      await sWrote.closed
      // R starts after S's first write, writes its event and commits first.
      const rId = await recordOne(s, partner, 'execution.failed', 200)
      const rRow = await s.kysely
        .selectFrom('events')
        .selectAll()
        .where('event_id', '=', rId)
        .executeTakeFirstOrThrow()
      assert.notEqual(rRow.commit_xid, null)
      // R is committed, but S is still running with an older transaction id: R is not readable yet.
      assert.deepEqual(
        await ns(s, { environment: 'sandbox', partnerId: partner, after: before, limit: 100 }),
        [],
      )
      assert.deepEqual(await feedHead(s, 'sandbox'), before)
      sMayFinish.open()
      const sId = await slow
      const sRow = await s.kysely
        .selectFrom('events')
        .selectAll()
        .where('event_id', '=', sId)
        .executeTakeFirstOrThrow()
      // S's row id is the larger (written last), its transaction id the smaller (began writing first).
      assert.ok(BigInt(sRow.id) > BigInt(rRow.id))
      assert.ok(BigInt(sRow.commit_xid as bigint) < BigInt(rRow.commit_xid as bigint))
      // The next read from the old cursor returns both, S first (commit order by transaction), nothing skipped
      // (once any other suite's transaction on this server that began before S's commit has ended too).
      await feedSettled(s)
      const rows = await readFeed(s, {
        environment: 'sandbox',
        partnerId: partner,
        after: before,
        limit: 100,
      })
      assert.deepEqual(
        rows.map((row) => row.envelope.id),
        [sId, rId],
      )
      // A reader that had taken R alone (had it been visible) would have been behind S: compare the cursors.
      assert.ok(compareCursors(rows[0]?.cursor as FeedCursor, rows[1]?.cursor as FeedCursor) < 0)
      assert.ok(compareCursors(rows[0]?.cursor as FeedCursor, before) > 0)
    })
  }
})
