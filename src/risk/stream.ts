import type { FastifyReply, FastifyRequest } from 'fastify'
import type { Environment } from '../config/environment.ts'
import { msOf } from '../store/columns.ts'
import type { Store } from '../store/store.ts'
import { changeView, type RiskEngine, type StateChange } from './engine.ts'

/** SPEC §3 [ours]: a comment line every 15 s keeps proxies from closing a quiet stream. */
export const HEARTBEAT_MS = 15_000
const LAST_EVENT_ID = /^[0-9]{1,19}$/

async function changesAfter(store: Store, environment: Environment, afterId: bigint): Promise<StateChange[]> {
  const rows = await store.kysely
    .selectFrom('risk_transitions')
    .selectAll()
    .where('environment', '=', environment)
    .where('id', '>', afterId)
    .orderBy('id')
    .limit(1_000)
    .execute()
  return rows.map((row) => ({
    id: row.id.toString(),
    environment,
    corridor: row.corridor as StateChange['corridor'],
    previousState: row.previous_state as StateChange['state'],
    state: row.state as StateChange['state'],
    reasons: JSON.parse(row.reasons) as string[],
    trigger: row.trigger,
    atMs: msOf(row.at),
  }))
}

export type StreamRegistry = { readonly open: Set<FastifyReply> }

/**
 * GET /v1/system/state/stream: one `system.state_change` event per change of
 * a corridor's state, each with its transition id. A client that reconnects
 * with `Last-Event-ID` gets what it missed, from the stored transitions; a new
 * client starts with a `snapshot` event. Live changes that arrive while the
 * missed ones are replayed are held back and sent after them, so none is lost
 * or sent twice.
 */
export function streamStates(deps: {
  store: Store
  engine: RiskEngine
  registry: StreamRegistry
  snapshot: (environment: Environment) => Promise<unknown>
}) {
  return async (request: FastifyRequest, reply: FastifyReply, environment: Environment) => {
    const header = request.headers['last-event-id']
    const resumeFrom = typeof header === 'string' && LAST_EVENT_ID.test(header) ? BigInt(header) : undefined
    reply.hijack()
    const raw = reply.raw
    raw.writeHead(200, {
      'content-type': 'text/event-stream; charset=utf-8',
      'cache-control': 'no-cache, no-transform',
      connection: 'keep-alive',
      'x-accel-buffering': 'no',
      'x-request-id': request.id,
    })
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
    request.raw.on('close', () => {
      clearInterval(heartbeat)
      unsubscribe()
      deps.registry.open.delete(reply)
    })
    if (resumeFrom !== undefined) {
      for (const change of await changesAfter(deps.store, environment, resumeFrom)) send(change)
    } else {
      const latest = await deps.store.kysely
        .selectFrom('risk_transitions')
        .select('id')
        .where('environment', '=', environment)
        .orderBy('id', 'desc')
        .limit(1)
        .executeTakeFirst()
      lastSent = latest?.id ?? 0n
      raw.write(
        `id: ${lastSent}\nevent: snapshot\ndata: ${JSON.stringify(await deps.snapshot(environment))}\n\n`,
      )
    }
    replaying = false
    for (const change of held.splice(0)) send(change)
  }
}
