import assert from 'node:assert/strict'
import { it } from 'node:test'
import pino from 'pino'
import { createShutdown } from '../../src/cli/shutdown.ts'
import { openStore } from '../../src/store/store.ts'
import { createTestApp } from '../support/app.ts'
import { createTestDatabase } from '../support/databases.ts'

it('shutdown lets an in-flight request finish, then closes the store and exits 0', async () => {
  const database = await createTestDatabase('sqlite')
  const store = await openStore(database.url)
  const app = await createTestApp(store)
  let release: () => void = () => {}
  const gate = new Promise<void>((resolve) => {
    release = resolve
  })
  let started: () => void = () => {}
  const inFlight = new Promise<void>((resolve) => {
    started = resolve
  })
  app.stablefx.app.get('/slow', async () => {
    started()
    await gate
    return { done: true }
  })
  const address = await app.stablefx.app.listen({ port: 0, host: '127.0.0.1' })
  const response = fetch(`${address}/slow`).then((r) => r.json())
  await inFlight
  const exits: number[] = []
  const shutdown = createShutdown({
    steps: [app.stablefx, store],
    log: pino({ level: 'silent' }),
    exit: (code) => exits.push(code),
  })
  const closing = shutdown('SIGTERM')
  // The request is still running: nothing has exited yet.
  await new Promise((resolve) => setImmediate(resolve))
  assert.deepEqual(exits, [])
  release()
  assert.deepEqual(await response, { done: true })
  await closing
  assert.deepEqual(exits, [0])
  await assert.rejects(fetch(`${address}/health`))
  await database.drop()
})
