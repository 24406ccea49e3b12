import type { ServerResponse } from 'node:http'
import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Environment } from '../config/environment.ts'
import { sendFailure } from '../http/errors.ts'
import { parseCursor } from '../http/schemas.ts'
import type { Store } from '../store/store.ts'
import { changeView, type RiskEngine, type StateChange } from './engine.ts'
import { changesAfter, lastChangeId } from './memory.ts'

/** SPEC §3 [ours]: a comment line every 15 s keeps proxies from closing a quiet stream. */
export const HEARTBEAT_MS = 15_000
/**
 * Default of STABLEFX_SSE_MAX_PER_PARTNER: state streams one partner may
 * hold open on one node. Each is an open socket and a subscription; a
 * client needs one per environment, and a few more cover reconnects racing
 * their predecessor's close.
 */
export const SSE_MAX_PER_PARTNER = 5
/** Retry-After of a refused stream: one of the partner's own streams has usually closed by then. */
export const SSE_RETRY_AFTER_S = 5

export type StreamRegistry = {
  readonly open: Set<FastifyReply>
  /** Streams open per partner id on this node. */
  readonly perPartner: Map<string, number>
  readonly maxPerPartner: number
}

export function createStreamRegistry(maxPerPartner = SSE_MAX_PER_PARTNER): StreamRegistry {
  return { open: new Set(), perPartner: new Map(), maxPerPartner }
}

/** Takes one of the partner's stream slots; false when all are in use. */
export function takeSlot(registry: StreamRegistry, partnerId: string): boolean {
  const open = registry.perPartner.get(partnerId) ?? 0
  if (open >= registry.maxPerPartner) return false
  registry.perPartner.set(partnerId, open + 1)
  return true
}

export function releaseSlot(registry: StreamRegistry, partnerId: string): void {
  const open = (registry.perPartner.get(partnerId) ?? 1) - 1
  if (open <= 0) registry.perPartner.delete(partnerId)
  else registry.perPartner.set(partnerId, open)
}

/** Writes the event-stream headers and sends them at once. */
function startEventStream(raw: ServerResponse, requestId: string): void {
  raw.writeHead(200, {
    'content-type': 'text/event-stream; charset=utf-8',
    'cache-control': 'no-cache, no-transform',
    connection: 'keep-alive',
    'x-accel-buffering': 'no',
    'x-request-id': requestId,
  })
  // Headers go out now, not with the first event: a client resuming with nothing missed would
  // otherwise see no response until the first heartbeat, 15 s later.
  raw.flushHeaders()
}

/**
 * GET /v1/system/state/stream: one `system.state_change` event per change of
 * a corridor's state, each with its transition id. A client that reconnects
 * with `Last-Event-ID` gets what it missed, from the stored transitions; a new
 * client starts with a `snapshot` event. Live changes that arrive while the
 * missed ones are replayed are held back and sent after them, so none is lost
 * or sent twice. A partner holds at most `registry.maxPerPartner` streams on
 * one node; one more is refused with 429 RATE_LIMITED and Retry-After.
 */
export function streamStates(deps: {
  store: Store
  engine: RiskEngine
  registry: StreamRegistry
  snapshot: (environment: Environment) => Promise<unknown>
}) {
  return async (
    request: FastifyRequest,
    reply: FastifyReply,
    caller: { partnerId: string; environment: Environment },
  ) => {
    const { environment } = caller
    if (!takeSlot(deps.registry, caller.partnerId)) {
      reply.header('retry-after', String(SSE_RETRY_AFTER_S))
      return sendFailure(reply, {
        code: 'RATE_LIMITED',
        message: `at most ${deps.registry.maxPerPartner} state streams per partner on one node`,
      })
    }
    // The slot is given back when the response closes, however it ends (the client left, shutdown).
    reply.raw.on('close', () => releaseSlot(deps.registry, caller.partnerId))
    // An id that is not a row id (not digits, beyond 2^63-1) is ignored: the client starts afresh.
    const header = request.headers['last-event-id']
    const parsed = typeof header === 'string' ? parseCursor(header, 'Last-Event-ID') : undefined
    const resumeFrom = parsed?.ok === true ? parsed.value : undefined
    reply.hijack()
    const raw = reply.raw
    startEventStream(raw, request.id)
    let lastSent = resumeFrom ?? -1n
    const held: StateChange[] = []
    let replaying = true
    const send = (change: StateChange) => {
      if (BigInt(change.id) <= lastSent) return
      lastSent = BigInt(change.id)
      raw.write(
        `id: ${change.id}\nevent: system.state_change\ndata: ${JSON.stringify(changeView(change))}\n\n`,
      )
    }
    const unsubscribe = deps.engine.subscribe(environment, (change) => {
      if (replaying) held.push(change)
      else send(change)
    })
    const heartbeat = setInterval(() => raw.write(': heartbeat\n\n'), HEARTBEAT_MS)
    heartbeat.unref()
    deps.registry.open.add(reply)
    raw.on('close', () => {
      clearInterval(heartbeat)
      unsubscribe()
      deps.registry.open.delete(reply)
    })
    if (resumeFrom !== undefined) {
      for (const change of await changesAfter(deps.store, environment, resumeFrom)) send(change)
    } else {
      lastSent = await lastChangeId(deps.store, environment)
      raw.write(
        `id: ${lastSent}\nevent: snapshot\ndata: ${JSON.stringify(await deps.snapshot(environment))}\n\n`,
      )
    }
    replaying = false
    for (const change of held.splice(0)) send(change)
  }
}
