import assert from 'node:assert/strict'
import { it } from 'node:test'
import { sql } from 'kysely'
import { fail, ok } from '../../src/errors.ts'
import { migrate } from '../../src/store/migrations.ts'
import { openStore, redactUrl, type Store } from '../../src/store/store.ts'
import { createTestDatabase, describeEachDialect, describeOnPostgres } from '../support/databases.ts'

describeEachDialect('store', ({ store, dialect }) => {
  it('migrations are applied once and re-running them changes nothing', async () => {
    const rerun = await migrate(store().kysely as never, store().dialect)
    assert.deepEqual(rerun, [])
    const rows = await store().kysely.selectFrom('settings').selectAll().execute()
    assert.ok(Array.isArray(rows))
  })

  it('a failure result rolls the transaction back and is returned as is', async () => {
    const result = await store().transaction(async (tx) => {
      await tx.kysely.insertInto('settings').values({ key: 'rolled-back', value: '1' }).execute()
      return fail('CONFLICT', 'changed my mind')
    })
    assert.deepEqual(result, { ok: false, code: 'CONFLICT', message: 'changed my mind' })
    const row = await store()
      .kysely.selectFrom('settings')
      .selectAll()
      .where('key', '=', 'rolled-back')
      .executeTakeFirst()
    assert.equal(row, undefined)
  })

  it('a success result commits', async () => {
    const result = await store().transaction(async (tx) => {
      await tx.kysely.insertInto('settings').values({ key: 'committed', value: '1' }).execute()
      return ok(1)
    })
    assert.deepEqual(result, { ok: true, value: 1 })
    const row = await store()
      .kysely.selectFrom('settings')
      .selectAll()
      .where('key', '=', 'committed')
      .executeTakeFirst()
    assert.deepEqual(row, { key: 'committed', value: '1' })
  })

  it('a thrown error rolls back and propagates', async () => {
    await assert.rejects(
      store().transaction(async (tx) => {
        await tx.kysely.insertInto('settings').values({ key: 'thrown', value: '1' }).execute()
        throw new Error('boom')
      }),
      /boom/,
    )
    const row = await store()
      .kysely.selectFrom('settings')
      .selectAll()
      .where('key', '=', 'thrown')
      .executeTakeFirst()
    assert.equal(row, undefined)
  })

  it('int8 columns read back as bigint', async () => {
    const row = await store()
      .kysely.insertInto('audit_log')
      .values({
        actor: 't',
        action: 'a',
        target_type: 't',
        target_id: 'x',
        before: null,
        after: null,
        at: 2n ** 62n,
      })
      .returning(['id', 'at'])
      .executeTakeFirstOrThrow()
    assert.equal(typeof row.id, 'bigint')
    assert.equal(row.at, 2n ** 62n)
  })

  it(`reports where its data lives without credentials (${dialect})`, async () => {
    assert.equal(redactUrl('postgres://user:secret@db:5432/x'), 'postgres://user:***@db:5432/x')
    assert.ok(!store().location.includes('secret'))
    await store().ping()
  })
})

it('a second store on the same SQLite file sees the first one’s migrations', async () => {
  const database = await createTestDatabase('sqlite')
  const first = await openStore(database.url)
  await first.close()
  const second = await openStore(database.url)
  const journal = await second.kysely.selectFrom('journal_entries').selectAll().execute()
  assert.deepEqual(journal, [])
  const mode = second.sqlite?.pragma('journal_mode', { simple: true })
  const sync = second.sqlite?.pragma('synchronous', { simple: true })
  assert.equal(mode, 'wal')
  assert.equal(sync, 2n) // FULL
  await second.close()
  await database.drop()
})

describeOnPostgres('prepared statements', ({ open }) => {
  it('a statement prepared before another node adds a column to its table still answers (its transaction is retried unprepared)', async () => {
    const database = await open()
    const node = await database.store()
    const other = await database.store()
    const read = (store: Store) =>
      store.transaction(async (tx) =>
        tx.kysely.selectFrom('settings').selectAll().where('key', '=', 'prepared').execute(),
      )
    await node.kysely.insertInto('settings').values({ key: 'prepared', value: '1' }).execute()
    // Executed on every pooled connection, so each has the statement prepared.
    await Promise.all(Array.from({ length: 20 }, () => read(node)))
    await sql`alter table settings add column note text`.execute(other.kysely)
    const rows = await Promise.all(Array.from({ length: 20 }, () => read(node)))
    for (const answer of rows) assert.deepEqual(answer, [{ key: 'prepared', value: '1', note: null }])
  })

  it('data statements are prepared on their connection once the store migrated, and never with prepare: false', async () => {
    const database = await open()
    const preparedOn = (store: Store) =>
      store.transaction(async (tx) => {
        await tx.kysely.selectFrom('settings').selectAll().where('key', '=', 'x').execute()
        const row = await sql<{
          n: string
        }>`select count(*)::text as n from pg_prepared_statements where name like 'sfx_%'`.execute(tx.kysely)
        return Number(row.rows[0]?.n)
      })
    const prepared = await database.store()
    // The select, and the count itself (a data statement too).
    assert.equal(await preparedOn(prepared), 2)
    const unprepared = await openStore(database.url, { prepare: false })
    try {
      assert.equal(await preparedOn(unprepared), 0)
    } finally {
      await unprepared.close()
    }
  })
})
