import type { Environment } from '../config/environment.ts'
import type { Store } from '../store/store.ts'
import { type FeedCursor, type FeedRow, feedHead, readFeed } from './feed.ts'

/** How often a node reads new events while someone follows them [ours]: the stream's latency, plus commit order. */
export const TAIL_POLL_MS = 200
const TAIL_PAGE = 500

export type TailSubscriber = {
  /** The partner whose events (and broadcasts) this subscriber gets. */
  readonly partnerId: string
  deliver(row: FeedRow): void
}

export type EventTail = {
  /**
   * Follows the environment's feed from now on. Resolves once the tail knows
   * where it stands, so every event that becomes readable afterwards reaches
   * `subscriber`, in feed order. Returns the unsubscribe function.
   */
  subscribe(environment: Environment, subscriber: TailSubscriber): Promise<() => void>
  stop(): void
}

type Follow = {
  readonly subscribers: Set<TailSubscriber>
  head: Promise<FeedCursor> | undefined
  timer: NodeJS.Timeout | undefined
  /** A read is under way: the loop schedules the next one when it ends. */
  polling: boolean
}

/**
 * One reader of the event feed per environment on this node, shared by
 * every open event stream: it reads what became readable after its position
 * every `pollMs` while anyone follows, and hands each row to the streams of
 * its partner (a broadcast to all of them). A row that commits late sorts
 * after everything already read (src/events/feed.ts), so nothing is skipped.
 */
export function createEventTail(deps: {
  store: Store
  pollMs?: number
  log?: { warn(obj: object, msg: string): void }
}): EventTail {
  const pollMs = deps.pollMs ?? TAIL_POLL_MS
  const follows = new Map<Environment, Follow>()
  let stopped = false

  async function poll(environment: Environment, follow: Follow): Promise<void> {
    let started = follow.head
    if (started === undefined) return
    let head = await started
    for (;;) {
      const rows = await readFeed(deps.store, { environment, after: head, limit: TAIL_PAGE })
      for (const row of rows) {
        for (const subscriber of follow.subscribers) {
          if (row.partnerId === null || row.partnerId === subscriber.partnerId) subscriber.deliver(row)
        }
        head = row.cursor
      }
      // Everyone left (and maybe came back from a new head) meanwhile: this read's position is stale.
      if (follow.head !== started) return
      started = Promise.resolve(head)
      follow.head = started
      if (rows.length < TAIL_PAGE) return
    }
  }

  function schedule(environment: Environment, follow: Follow): void {
    if (stopped || follow.subscribers.size === 0) return
    follow.timer = setTimeout(() => {
      follow.timer = undefined
      follow.polling = true
      poll(environment, follow)
        .catch((error) => deps.log?.warn({ err: error, environment }, 'event tail read failed'))
        .finally(() => {
          follow.polling = false
          schedule(environment, follow)
        })
    }, pollMs)
    follow.timer.unref()
  }

  return {
    async subscribe(environment, subscriber) {
      let follow = follows.get(environment)
      if (follow === undefined) {
        follow = { subscribers: new Set(), head: undefined, timer: undefined, polling: false }
        follows.set(environment, follow)
      }
      const current = follow
      current.subscribers.add(subscriber)
      if (current.head === undefined) {
        current.head = feedHead(deps.store, environment)
        // A failed first read leaves no position: the next subscriber tries again.
        current.head.catch(() => {
          current.head = undefined
        })
      }
      if (current.timer === undefined && !current.polling) schedule(environment, current)
      try {
        await current.head
      } catch (error) {
        current.subscribers.delete(subscriber)
        throw error
      }
      return () => {
        current.subscribers.delete(subscriber)
        if (current.subscribers.size > 0) return
        // Nobody follows: stop reading, and start from the head again next time.
        if (current.timer !== undefined) clearTimeout(current.timer)
        current.timer = undefined
        current.head = undefined
      }
    },
    stop() {
      stopped = true
      for (const follow of follows.values()) {
        if (follow.timer !== undefined) clearTimeout(follow.timer)
        follow.timer = undefined
      }
    },
  }
}
