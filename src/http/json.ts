import type { FastifyInstance } from 'fastify'
import { fail, ok, type Result } from '../errors.ts'
import { forbiddenCharacter } from './text.ts'

/**
 * The strict JSON reader every request body goes through. It accepts only
 * what JSON.parse accepts, returns the same value, and also refuses:
 *
 * - a number whose text is not exactly what JavaScript prints for it, or
 *   beyond the safe integers: `1e3`, `1.0000000000000001` or
 *   `9007199254740993` would arrive as a different value than the partner
 *   wrote. Such a number becomes a marker no schema accepts (a 400 that
 *   names the field);
 * - a key given twice in one object, however it is written (`"a"` and
 *   `"\u0061"` are the same key): JSON.parse keeps the last silently, so two
 *   readers of one body could see two different requests;
 * - control characters and lone surrogates in any string or key
 *   (src/http/text.ts);
 * - the keys `__proto__` and `constructor`, and nesting deeper than
 *   MAX_JSON_DEPTH.
 *
 * Every refusal names where it happened as a path (`body/meta/client_ref`),
 * as schema errors do. One pass over the text, linear in its length.
 */
export const UNREADABLE_NUMBER = Symbol('unreadable number')

/** No body of this API nests beyond a few levels; the bound keeps the recursion shallow. */
export const MAX_JSON_DEPTH = 32
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor'])
const NUMBER = /-?(?:0|[1-9][0-9]*)(?:\.[0-9]+)?(?:[eE][+-]?[0-9]+)?/y
const HEX4 = /^[0-9a-fA-F]{4}$/
const ESCAPES: Readonly<Record<string, string>> = {
  '"': '"',
  '\\': '\\',
  '/': '/',
  b: '\b',
  f: '\f',
  n: '\n',
  r: '\r',
  t: '\t',
}

/** Trailing zeros of a fraction are dropped; an exponent is left whole (`1.5e-10` must not lose its 0). */
function canonicalNumberText(source: string): string {
  return source.includes('.') && !/[eE]/.test(source) ? source.replace(/\.?0+$/, '') : source
}

function exactNumber(source: string): number | typeof UNREADABLE_NUMBER {
  const value = Number(source)
  const exact = canonicalNumberText(source) === String(value) || (source === '-0' && Object.is(value, -0))
  return exact && Math.abs(value) <= Number.MAX_SAFE_INTEGER ? value : UNREADABLE_NUMBER
}

/** A key as it appears in a message: quoted, escaped, and cut after 64 characters. */
function quoteKey(key: string): string {
  const characters = [...key]
  return JSON.stringify(characters.length > 64 ? `${characters.slice(0, 64).join('')}…` : key)
}

/** A key as a path segment (JSON Pointer escaping, as in schema error paths). */
function segment(key: string): string {
  return key.replaceAll('~', '~0').replaceAll('/', '~1')
}

/** Thrown inside the reader only, and turned into a Failure at its edge. */
class Refusal extends Error {}

/** Parses `text` as one JSON document; `root` names it in messages (`body`). */
export function parseJsonStrict(text: string, root = 'body'): Result<unknown> {
  try {
    return ok(readDocument(text, root))
  } catch (error) {
    if (error instanceof Refusal) return fail('VALIDATION_ERROR', error.message)
    throw error
  }
}

function readDocument(text: string, root: string): unknown {
  let at = 0

  const refuse = (message: string): never => {
    throw new Refusal(message)
  }
  const unexpected = (): never =>
    refuse(
      at >= text.length
        ? `${root} is not valid JSON: it ends too early`
        : `${root} is not valid JSON: unexpected ${JSON.stringify(text[at])} at position ${at}`,
    )

  function skipSpace(): void {
    for (; at < text.length; at++) {
      const code = text.charCodeAt(at)
      if (code !== 0x20 && code !== 0x0a && code !== 0x0d && code !== 0x09) return
    }
  }

  function readValue(path: string, depth: number): unknown {
    skipSpace()
    switch (text[at]) {
      case '{':
        return readObject(path, depth + 1)
      case '[':
        return readArray(path, depth + 1)
      case '"': {
        const value = readString()
        const problem = forbiddenCharacter(value)
        return problem === undefined ? value : refuse(`${path} contains ${problem}`)
      }
      case 't':
        return readLiteral('true', true)
      case 'f':
        return readLiteral('false', false)
      case 'n':
        return readLiteral('null', null)
      default:
        return readNumber()
    }
  }

  function readObject(path: string, depth: number): Record<string, unknown> {
    if (depth > MAX_JSON_DEPTH) refuse(`${path} is nested deeper than ${MAX_JSON_DEPTH} levels`)
    at++
    const result: Record<string, unknown> = {}
    skipSpace()
    if (text[at] === '}') {
      at++
      return result
    }
    for (;;) {
      skipSpace()
      if (text[at] !== '"') unexpected()
      const key = readString()
      const problem = forbiddenCharacter(key)
      if (problem !== undefined) refuse(`${path} has a key with ${problem}`)
      if (FORBIDDEN_KEYS.has(key)) refuse(`${path} has the forbidden key ${quoteKey(key)}`)
      if (Object.hasOwn(result, key)) refuse(`${path} has the key ${quoteKey(key)} twice`)
      skipSpace()
      if (text[at] !== ':') unexpected()
      at++
      result[key] = readValue(`${path}/${segment(key)}`, depth)
      skipSpace()
      if (text[at] === ',') at++
      else if (text[at] === '}') {
        at++
        return result
      } else unexpected()
    }
  }

  function readArray(path: string, depth: number): unknown[] {
    if (depth > MAX_JSON_DEPTH) refuse(`${path} is nested deeper than ${MAX_JSON_DEPTH} levels`)
    at++
    const result: unknown[] = []
    skipSpace()
    if (text[at] === ']') {
      at++
      return result
    }
    for (;;) {
      result.push(readValue(`${path}/${result.length}`, depth))
      skipSpace()
      if (text[at] === ',') at++
      else if (text[at] === ']') {
        at++
        return result
      } else unexpected()
    }
  }

  /** Reads a string from its opening quote and decodes its escapes; raw control characters are left for the caller's check. */
  function readString(): string {
    at++
    let decoded = ''
    let start = at
    for (; at < text.length; at++) {
      const code = text.charCodeAt(at)
      if (code === 0x22) {
        decoded += text.slice(start, at)
        at++
        return decoded
      }
      if (code !== 0x5c) continue
      decoded += text.slice(start, at) + readEscape()
      start = at + 1
    }
    return unexpected()
  }

  /** Decodes the escape at `at` (its backslash) and leaves `at` on its last character. */
  function readEscape(): string {
    const letter = text[at + 1] ?? ''
    const simple = ESCAPES[letter]
    if (simple !== undefined) {
      at += 1
      return simple
    }
    at += 1
    if (letter !== 'u') return unexpected()
    const hex = text.slice(at + 1, at + 5)
    if (!HEX4.test(hex)) return unexpected()
    at += 4
    return String.fromCharCode(Number.parseInt(hex, 16))
  }

  function readLiteral<T>(word: string, value: T): T {
    if (!text.startsWith(word, at)) unexpected()
    at += word.length
    return value
  }

  function readNumber(): number | typeof UNREADABLE_NUMBER {
    NUMBER.lastIndex = at
    const match = NUMBER.exec(text)
    if (match === null) return unexpected()
    at = NUMBER.lastIndex
    return exactNumber(match[0])
  }

  skipSpace()
  if (at === text.length) refuse(`${root} is empty`)
  const value = readValue(root, 0)
  skipSpace()
  if (at !== text.length) unexpected()
  return value
}

const UTF8 = new TextDecoder('utf-8', { fatal: true })

function badRequest(message: string): Error & { statusCode: number } {
  return Object.assign(new Error(message), { statusCode: 400 })
}

export function registerJsonParser(app: FastifyInstance): void {
  // JSON is the only body this API takes (SPEC §3); anything else is 415, not parsed as text.
  app.removeAllContentTypeParsers()
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (_request, body, done) => {
    let text: string
    try {
      text = UTF8.decode(body as Buffer)
    } catch {
      return done(badRequest('body is not valid UTF-8'), undefined)
    }
    const parsed = parseJsonStrict(text)
    if (parsed.ok) done(null, parsed.value)
    else done(badRequest(parsed.message), undefined)
  })
}
