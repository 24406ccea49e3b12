import { recordAudit } from '../audit/audit.ts'
import type { Bus } from '../cluster/bus.ts'
import type { Store } from '../store/store.ts'
import type { Clock } from './clock.ts'

const OFFSET_KEY = 'sandbox_clock_offset_ms'
/** Longest single move of the sandbox clock: a year covers every lock, notice period and limit window. */
export const MAX_ADVANCE_SECONDS = 366 * 24 * 3600

/**
 * The sandbox test clock (SPEC §3): real time plus an offset that only moves
 * forward. The offset is kept in the database so a restart, or another API
 * node, sees the same sandbox time: an advance tells every node (the bus),
 * and `refresh` re-reads it.
 */
export type SandboxClock = Clock & {
  offsetMs(): number
  /**
   * Subscribes to forward moves made on this node (the simulated oracle
   * re-prices at once, so a move alone does not look stale); `advance`
   * resolves after the listeners.
   */
  onAdvance(listener: () => Promise<void>): void
  /** Moves the clock forward and records who did it in the audit log, in one transaction. */
  advance(seconds: number, actor: string): Promise<number>
  refresh(): Promise<void>
}

export async function createSandboxClock(store: Store, base: Clock, bus?: Bus): Promise<SandboxClock> {
  let offset = await readOffset(store)
  const listeners: (() => Promise<void>)[] = []
  return {
    onAdvance: (listener) => {
      listeners.push(listener)
    },
    now: () => base.now() + offset,
    offsetMs: () => offset,
    async advance(seconds, actor) {
      if (!Number.isInteger(seconds) || seconds <= 0 || seconds > MAX_ADVANCE_SECONDS) {
        throw new RangeError(`advance takes 1 to ${MAX_ADVANCE_SECONDS} whole seconds`)
      }
      offset = await store.transaction(async (tx) => {
        const current = await readOffset(tx)
        const next = current + seconds * 1000
        await tx.kysely
          .insertInto('settings')
          .values({ key: OFFSET_KEY, value: String(next) })
          .onConflict((oc) => oc.column('key').doUpdateSet({ value: String(next) }))
          .execute()
        const atMs = base.now()
        await recordAudit(tx, {
          actor,
          action: 'sandbox.clock.advance',
          targetType: 'sandbox_clock',
          targetId: 'sandbox',
          before: { offset_seconds: current / 1000, now: new Date(atMs + current).toISOString() },
          after: { offset_seconds: next / 1000, now: new Date(atMs + next).toISOString() },
          atMs,
        })
        await bus?.publish(tx, 'clock')
        return next
      })
      for (const listener of listeners) await listener()
      return offset
    },
    async refresh() {
      // The offset only moves forward: a read that raced an advance on this node never moves it back.
      const stored = await readOffset(store)
      if (stored > offset) offset = stored
    },
  }
}

async function readOffset(db: Pick<Store, 'kysely'>): Promise<number> {
  const row = await db.kysely
    .selectFrom('settings')
    .select('value')
    .where('key', '=', OFFSET_KEY)
    .executeTakeFirst()
  return row === undefined ? 0 : Number(row.value)
}
