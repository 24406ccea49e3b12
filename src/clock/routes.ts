import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { actorOf } from '../http/auth.ts'
import { ERROR_RESPONSES } from '../http/errors.ts'
import { Strict } from '../http/schemas.ts'
import { MAX_ADVANCE_SECONDS, type SandboxClock } from './sandbox-clock.ts'

const ClockSchema = Type.Object({ now: Type.String(), offset_seconds: Type.Number() })

function view(clock: SandboxClock) {
  return { now: new Date(clock.now()).toISOString(), offset_seconds: Math.floor(clock.offsetMs() / 1000) }
}

/** SPEC §3: the sandbox runs on its own test clock, which an admin moves forward. Live has no such control. */
export const clockAdminRoutes: FastifyPluginAsyncTypebox<{ sandboxClock: SandboxClock }> = async (
  app,
  { sandboxClock },
) => {
  app.get(
    '/admin/v1/sandbox/clock',
    {
      schema: {
        tags: ['admin'],
        summary: 'The sandbox test clock: its time and its offset from the wall clock',
        response: { 200: ClockSchema, ...ERROR_RESPONSES },
      },
    },
    async () => view(sandboxClock),
  )

  app.post(
    '/admin/v1/sandbox/clock/advance',
    {
      schema: {
        tags: ['admin'],
        summary: 'Move the sandbox clock forward (expiries, cooling, locks, recovery timers follow it)',
        body: Strict({ seconds: Type.Integer({ minimum: 1, maximum: MAX_ADVANCE_SECONDS }) }),
        response: { 200: ClockSchema, ...ERROR_RESPONSES },
      },
    },
    async (request) => {
      await sandboxClock.advance(request.body.seconds, actorOf(request))
      return view(sandboxClock)
    },
  )
}
