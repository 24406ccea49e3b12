import { sql } from 'kysely'
import type { Listener, Store, Tx } from '../store/store.ts'

/**
 * How a change made on one node reaches the others (SPEC §15 "Several
 * nodes"). The database holds the state; the bus only says which part of it
 * changed, so nodes re-read it: PostgreSQL NOTIFY, sent when the writing
 * transaction commits, and a poll every `pollMs` in case a notification was
 * lost (a LISTEN connection can drop; it is reopened, and every reader
 * catches up then too). On SQLite one process is the system: the writer
 * updates its own copy, and the bus is silent.
 */
export type Bus = {
  /** Tells every node that `topic` changed, when `tx` commits. */
  publish(tx: Tx, topic: string): Promise<void>
  /** Tells every node now, outside any transaction. */
  announce(topic: string): Promise<void>
  /** Runs `handler` when `topic` is published (by any node, this one included). Runs one at a time, coalesced. */
  on(topic: string, handler: () => Promise<void>): void
  /** Runs `handler` on every poll and after every (re)connection of the listener. */
  onResync(handler: () => Promise<void>): void
  start(): void
  stop(): Promise<void>
  /** False while the notification connection is down (the poll still propagates changes). */
  listening(): boolean
}

export const BUS_CHANNEL = 'stablefx'
export const POLL_MS = 1_000

type Log = { warn(obj: object, msg: string): void }

/** Runs an async handler one call at a time; calls that arrive while it runs fold into one more run. */
function coalesced(handler: () => Promise<void>, log: Log, name: string): () => void {
  let running = false
  let again = false
  const run = () => {
    if (running) {
      again = true
      return
    }
    running = true
    void handler()
      .catch((error) => log.warn({ err: error, topic: name }, 'bus handler failed'))
      .finally(() => {
        running = false
        if (again) {
          again = false
          run()
        }
      })
  }
  return run
}

export function createBus(deps: { store: Store; log: Log; pollMs?: number }): Bus {
  const { store } = deps
  const handlers = new Map<string, (() => void)[]>()
  const resyncs: (() => void)[] = []
  const shared = store.listen !== undefined
  let listener: Listener | undefined
  let poll: NodeJS.Timeout | undefined
  const resyncAll = () => {
    for (const run of resyncs) run()
  }
  return {
    async publish(tx, topic) {
      if (tx.dialect === 'postgres') await sql`select pg_notify(${BUS_CHANNEL}, ${topic})`.execute(tx.kysely)
    },
    async announce(topic) {
      if (shared) await sql`select pg_notify(${BUS_CHANNEL}, ${topic})`.execute(store.kysely)
    },
    on(topic, handler) {
      const list = handlers.get(topic) ?? []
      list.push(coalesced(handler, deps.log, topic))
      handlers.set(topic, list)
    },
    onResync(handler) {
      resyncs.push(coalesced(handler, deps.log, 'resync'))
    },
    start() {
      if (store.listen === undefined || listener !== undefined) return
      listener = store.listen(BUS_CHANNEL, {
        notify: (payload) => {
          for (const run of handlers.get(payload) ?? []) run()
        },
        connected: resyncAll,
        lost: (error) => deps.log.warn({ err: error }, 'cluster notifications lost; reconnecting'),
      })
      poll = setInterval(resyncAll, deps.pollMs ?? POLL_MS)
      poll.unref()
    },
    async stop() {
      clearInterval(poll)
      poll = undefined
      await listener?.close()
      listener = undefined
    },
    listening: () => !shared || (listener?.up() ?? false),
  }
}
