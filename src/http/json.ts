import type { FastifyInstance } from 'fastify'

/**
 * JSON body parsing that never coerces. A JSON number is kept only when its
 * text is exactly what JavaScript prints for it and it is a safe magnitude:
 * `1e3`, `1.0000000000000001` or `9007199254740993` would otherwise arrive as
 * a different value than the partner wrote. Such numbers become a marker that
 * no schema accepts, so the request fails validation with a 400.
 */
export const UNREADABLE_NUMBER = Symbol('unreadable number')

function canonicalNumberText(source: string): string {
  return source.includes('.') ? source.replace(/\.?0+$/, '') : source
}

function reviver(key: string, value: unknown, context?: { source?: string }): unknown {
  if (key === '__proto__' || key === 'constructor') throw new SyntaxError(`forbidden key ${key}`)
  if (typeof value !== 'number') return value
  const source = context?.source
  if (source === undefined) return value
  const exact = canonicalNumberText(source) === String(value) || (source === '-0' && Object.is(value, -0))
  if (!exact || Math.abs(value) > Number.MAX_SAFE_INTEGER) return UNREADABLE_NUMBER
  return value
}

export function parseJsonStrict(text: string): unknown {
  return JSON.parse(text, reviver as (key: string, value: unknown) => unknown)
}

export function registerJsonParser(app: FastifyInstance): void {
  // JSON is the only body this API takes (SPEC §3); anything else is 415, not parsed as text.
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('application/json', { parseAs: 'string' }, (_request, body, done) => {
    try {
      done(null, parseJsonStrict(body as string))
    } catch (error) {
      const failure = new Error(`body is not valid JSON: ${(error as Error).message}`) as Error & {
        statusCode: number
      }
      failure.statusCode = 400
      done(failure, undefined)
    }
  })
}
