import type { Bus } from '../cluster/bus.ts'
import { ensureLeases, LEASE_MS, releaseLeases, renewLeases } from '../cluster/leases.ts'
import { HEARTBEAT_MS, heartbeat } from '../cluster/nodes.ts'
import type { Store } from '../store/store.ts'

/**
 * A piece of background work. It runs on the node that holds the lease of
 * its name, every `everyMs` and whenever it is woken; one run at a time.
 * `stillHeld()` turns false once the lease may have passed to another node:
 * a long run checks it between items and stops.
 */
export type Worker = {
  readonly name: string
  readonly everyMs: number
  run(context: { stillHeld(): boolean }): Promise<unknown>
}

export type WorkerRunner = {
  start(): Promise<void>
  /** Runs the worker soon wherever its lease is held (this node, or another one through the bus). */
  wake(name: string): void
  /** The workers whose lease this node holds now. */
  held(): readonly string[]
  /** Stops scheduling, waits for runs in progress (bounded by the caller's drain), gives the leases up. */
  stop(): Promise<void>
}

type Log = { warn(obj: object, msg: string): void; error(obj: object, msg: string): void }

/** A renewal must leave this much of the lease: a run stops believing it holds a lease before it can expire. */
const SAFETY_MS = 1_000

export function createWorkerRunner(deps: {
  store: Store
  bus: Bus
  nodeId: string
  workers: readonly Worker[]
  log: Log
  leaseMs?: number
  tickMs?: number
  onRun?: (name: string, outcome: 'ok' | 'failed') => void
}): WorkerRunner {
  const leaseMs = deps.leaseMs ?? LEASE_MS
  const tickMs = deps.tickMs ?? HEARTBEAT_MS
  const names = deps.workers.map((w) => w.name)
  const byName = new Map(deps.workers.map((w) => [w.name, w]))
  const running = new Map<string, Promise<void>>()
  const lastRunAt = new Map<string, number>()
  const woken = new Set<string>()
  let heldNames = new Set<string>()
  let heldUntil = 0
  let timer: NodeJS.Timeout | undefined
  let ticking = false
  let stopped = false
  const stillHeld = () => !stopped && performance.now() < heldUntil

  function launch(worker: Worker): void {
    if (running.has(worker.name) || stopped) return
    woken.delete(worker.name)
    lastRunAt.set(worker.name, performance.now())
    const run = worker
      .run({ stillHeld: () => stillHeld() && heldNames.has(worker.name) })
      .then(
        () => deps.onRun?.(worker.name, 'ok'),
        (error) => {
          deps.onRun?.(worker.name, 'failed')
          deps.log.warn({ err: error, worker: worker.name }, 'worker run failed')
        },
      )
      .finally(() => {
        running.delete(worker.name)
        // Woken while it ran: the wake may concern work the run had already passed.
        if (woken.has(worker.name) && stillHeld() && heldNames.has(worker.name)) launch(worker)
      })
    running.set(worker.name, run)
  }

  function schedule(): void {
    if (!stillHeld()) return
    const now = performance.now()
    for (const name of heldNames) {
      const worker = byName.get(name) as Worker
      const due = now - (lastRunAt.get(name) ?? Number.NEGATIVE_INFINITY) >= worker.everyMs
      if (due || woken.has(name)) launch(worker)
    }
  }

  async function tick(): Promise<void> {
    if (ticking || stopped) return
    ticking = true
    try {
      const askedAt = performance.now()
      heldNames = await deps.store.transaction(async (tx) => {
        await heartbeat(tx, deps.nodeId)
        return renewLeases(tx, deps.nodeId, names, leaseMs)
      })
      heldUntil = askedAt + leaseMs - SAFETY_MS
      schedule()
    } catch (error) {
      deps.log.warn({ err: error }, 'heartbeat and lease renewal failed')
    } finally {
      ticking = false
    }
  }

  for (const worker of deps.workers) {
    deps.bus.on(`wake:${worker.name}`, async () => {
      woken.add(worker.name)
      schedule()
    })
  }

  return {
    async start() {
      await ensureLeases(deps.store, names)
      await tick()
      timer = setInterval(() => void tick(), tickMs)
      timer.unref()
    },
    wake(name) {
      woken.add(name)
      if (heldNames.has(name) && stillHeld()) {
        schedule()
        return
      }
      void deps.bus
        .announce(`wake:${name}`)
        .catch((error) => deps.log.warn({ err: error, worker: name }, 'wake failed'))
    },
    held: () => (stillHeld() ? [...heldNames] : []),
    async stop() {
      stopped = true
      clearInterval(timer)
      await Promise.allSettled(running.values())
      await releaseLeases(deps.store, deps.nodeId).catch((error) =>
        deps.log.warn({ err: error }, 'could not release worker leases'),
      )
    },
  }
}
