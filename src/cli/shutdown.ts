import type { FastifyBaseLogger } from 'fastify'

/** Longest a drain may take before the process gives up on in-flight requests. */
export const DRAIN_TIMEOUT_MS = 25_000

export type Closable = { close(): Promise<void> }

/**
 * Graceful shutdown (SPEC §14.6): stop accepting connections, let in-flight
 * requests finish, stop background work, close the database, then exit 0.
 * A second signal, or a drain longer than DRAIN_TIMEOUT_MS, exits 1.
 */
export function createShutdown(deps: {
  readonly steps: readonly Closable[]
  readonly log: FastifyBaseLogger
  readonly exit: (code: number) => void
}): (signal: string) => Promise<void> {
  let closing = false
  return async (signal) => {
    if (closing) {
      deps.log.warn({ signal }, 'second signal during shutdown; exiting now')
      deps.exit(1)
      return
    }
    closing = true
    deps.log.info({ signal }, 'shutting down: draining in-flight requests')
    const timer = setTimeout(() => {
      deps.log.error('drain timed out')
      deps.exit(1)
    }, DRAIN_TIMEOUT_MS)
    timer.unref()
    try {
      for (const step of deps.steps) await step.close()
      clearTimeout(timer)
      deps.log.info('shutdown complete')
      deps.exit(0)
    } catch (error) {
      clearTimeout(timer)
      deps.log.error({ err: error }, 'shutdown failed')
      deps.exit(1)
    }
  }
}
