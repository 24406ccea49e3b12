import type { FastifyPluginAsyncTypebox } from '@fastify/type-provider-typebox'
import { Type } from 'typebox'
import { recordAudit } from '../audit/audit.ts'
import type { Clocks } from '../clock/clock.ts'
import { ENVIRONMENTS, type Environment } from '../config/environment.ts'
import { PRICING } from '../config/pricing.ts'
import { actorOf } from '../http/auth.ts'
import { ERROR_RESPONSES, sendFailure } from '../http/errors.ts'
import { AmountInput, decimalText, EnvironmentSchema, OneOf, Strict } from '../http/schemas.ts'
import { formatRatio, mul, parseRatio, ratio } from '../money/ratio.ts'
import type { Store } from '../store/store.ts'
import type { OracleReading } from './aggregate.ts'
import { ORACLE_PAIRS, ORACLE_SOURCES, type OraclePair } from './pairs.ts'
import { checkSubmission, type OracleService } from './service.ts'

/** Mids are shown to 10 fraction digits: far below any spread, and enough for MYR-IDR's repeating decimals. */
const MID_DIGITS = 10
const BPS_DIGITS = 4

const ReadingSchema = Type.Object({
  status: Type.String(),
  mid: Type.Union([Type.String(), Type.Null()]),
  age_ms: Type.Union([Type.Integer(), Type.Null()]),
  deviation_bps: Type.String(),
  near_stale: Type.Boolean(),
  near_deviation: Type.Boolean(),
  tie_break: Type.Boolean(),
  sources: Type.Array(Type.String()),
})

const PairReadingsSchema = Type.Object({
  'USD-IDR': ReadingSchema,
  'USD-SGD': ReadingSchema,
  'USD-MYR': ReadingSchema,
  'MYR-IDR': ReadingSchema,
})

const EnvironmentViewSchema = Type.Object({
  now: Type.String(),
  pairs: PairReadingsSchema,
  mid_move_5m_bps: Type.Record(Type.String(), Type.String()),
})

/** ISO-8601 with seconds and an explicit zone (`Z` or ±hh:mm); fractions beyond milliseconds are cut. */
const TIMESTAMP_PATTERN =
  '^([0-9]{4})-([0-9]{2})-([0-9]{2})T([0-9]{2}):([0-9]{2}):([0-9]{2})(?:\\.([0-9]{1,9}))?(Z|([+-])([0-9]{2}):([0-9]{2}))$'

const PriceBody = Strict({
  source: OneOf(ORACLE_SOURCES),
  pair: OneOf(ORACLE_PAIRS),
  // A decimal string, or a JSON number the strict parser found exact (`1e3` never gets here).
  price: AmountInput,
  timestamp: Type.Optional(Type.String({ pattern: TIMESTAMP_PATTERN, maxLength: 40 })),
  environment: Type.Optional(EnvironmentSchema),
})

export function readingView(reading: OracleReading) {
  return {
    status: reading.status,
    mid: reading.mid === undefined ? null : formatRatio(reading.mid, MID_DIGITS, 'floor'),
    age_ms: reading.ageMs,
    deviation_bps: formatRatio(mul(reading.deviation, ratio(10_000n)), BPS_DIGITS, 'ceil'),
    near_stale: reading.nearStale,
    near_deviation: reading.nearDeviation,
    tie_break: reading.tieBreak,
    sources: [...reading.sources],
  }
}

/** Milliseconds since the epoch, or undefined for a date that does not exist (2026-02-30, 25:00). */
export function parseTimestamp(text: string): number | undefined {
  const match = new RegExp(TIMESTAMP_PATTERN).exec(text)
  if (match === null) return undefined
  const [year, month, day, hour, minute, second] = match.slice(1, 7).map((part) => Number.parseInt(part, 10))
  const millis = Number.parseInt((match[7] ?? '').padEnd(3, '0').slice(0, 3), 10)
  const offsetMinutes =
    match[8] === 'Z'
      ? 0
      : (match[9] === '-' ? -1 : 1) *
        (Number.parseInt(match[10] as string, 10) * 60 + Number.parseInt(match[11] as string, 10))
  const local = Date.UTC(year as number, (month as number) - 1, day, hour, minute, second, millis)
  const check = new Date(local)
  const exists =
    check.getUTCFullYear() === year &&
    check.getUTCMonth() === (month as number) - 1 &&
    check.getUTCDate() === day &&
    check.getUTCHours() === hour &&
    check.getUTCMinutes() === minute &&
    check.getUTCSeconds() === second
  return exists ? local - offsetMinutes * 60_000 : undefined
}

function environmentView(oracle: OracleService, clocks: Clocks, environment: Environment) {
  const pairs = {} as Record<OraclePair, ReturnType<typeof readingView>>
  const moves: Record<string, string> = {}
  for (const pair of ORACLE_PAIRS) {
    pairs[pair] = readingView(oracle.reading(environment, pair))
    const move = oracle.midMoveBps(environment, pair, PRICING.volatilityWindowMs)
    moves[pair] = formatRatio(move, BPS_DIGITS, 'ceil')
  }
  return { now: new Date(clocks[environment].now()).toISOString(), pairs, mid_move_5m_bps: moves }
}

/**
 * Issue 3, manual oracle mode: an operator (or a test) enters prices by hand
 * and reads the SPEC §6.2 aggregation back. Behind the admin token.
 */
export const oracleAdminRoutes: FastifyPluginAsyncTypebox<{
  oracle: OracleService
  clocks: Clocks
  store: Store
}> = async (app, { oracle, clocks, store }) => {
  app.post(
    '/admin/v1/oracle/prices',
    {
      schema: {
        tags: ['admin'],
        summary: 'Submit one source’s price for a pair (both environments unless one is named)',
        body: PriceBody,
        response: {
          200: Type.Object({
            pair: Type.String(),
            readings: Type.Object({
              sandbox: Type.Optional(ReadingSchema),
              live: Type.Optional(ReadingSchema),
            }),
          }),
          ...ERROR_RESPONSES,
        },
      },
    },
    async (request, reply) => {
      const { source, pair, price, timestamp, environment } = request.body
      const value = parseRatio(decimalText(price))
      if (value === undefined) {
        return sendFailure(reply, { code: 'VALIDATION_ERROR', message: 'price must be a plain decimal' })
      }
      const givenMs = timestamp === undefined ? undefined : parseTimestamp(timestamp)
      if (timestamp !== undefined && givenMs === undefined) {
        return sendFailure(reply, {
          code: 'VALIDATION_ERROR',
          message: 'timestamp is not a real date and time',
        })
      }
      const plan = (environment === undefined ? ENVIRONMENTS : [environment]).map((env) => ({
        environment: env,
        atMs: givenMs ?? clocks[env].now(),
      }))
      // All or nothing: the sandbox clock runs ahead of live, so one timestamp can be past for one and future for the other.
      for (const step of plan) {
        const refused = checkSubmission(value, step.atMs, clocks[step.environment].now())
        if (refused !== undefined) {
          return sendFailure(reply, { ...refused, message: `${refused.message} (${step.environment} clock)` })
        }
      }
      const accepted = await oracle.submitMany(
        plan.map((step) => ({ environment: step.environment, source, pair, price: value, atMs: step.atMs })),
      )
      if (!accepted.ok) return sendFailure(reply, accepted)
      const readings: Partial<Record<Environment, ReturnType<typeof readingView>>> = {}
      plan.forEach((step, i) => {
        readings[step.environment] = readingView(accepted.value[i] as OracleReading)
      })
      // SPEC §9: every admin change is audited; a hand-entered price moves every quote.
      await store.transaction((tx) =>
        recordAudit(tx, {
          actor: actorOf(request),
          action: 'oracle.price',
          targetType: 'oracle_pair',
          targetId: pair,
          before: null,
          after: { source, pair, price: decimalText(price), timestamp: timestamp ?? null, readings },
          atMs: clocks.live.now(),
        }),
      )
      return { pair, readings }
    },
  )

  app.get(
    '/admin/v1/oracle',
    {
      schema: {
        tags: ['admin'],
        summary: 'The SPEC §6.2 oracle reading of every pair, per environment',
        response: {
          200: Type.Object({ sandbox: EnvironmentViewSchema, live: EnvironmentViewSchema }),
          ...ERROR_RESPONSES,
        },
      },
    },
    async () => ({
      sandbox: environmentView(oracle, clocks, 'sandbox'),
      live: environmentView(oracle, clocks, 'live'),
    }),
  )
}
