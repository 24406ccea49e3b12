import type { Environment } from '../config/environment.ts'

/** Every component reads time through a clock it was given, never `Date.now()` directly. */
export type Clock = { now(): number }

export const systemClock: Clock = { now: () => Date.now() }

/** A clock a test moves by hand. */
export type ManualClock = Clock & { advance(ms: number): void; set(ms: number): void }

export function createManualClock(startMs: number): ManualClock {
  let current = startMs
  return {
    now: () => current,
    advance: (ms) => {
      current += ms
    },
    set: (ms) => {
      current = ms
    },
  }
}

/** One clock per environment: live follows real time, sandbox runs on its test clock. */
export type Clocks = Readonly<Record<Environment, Clock>>

/** The UTC day of an instant on an environment's clock, as YYYY-MM-DD. */
export function utcDay(nowMs: number): string {
  return new Date(nowMs).toISOString().slice(0, 10)
}
