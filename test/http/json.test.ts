/**
 * The strict JSON reader (src/http/json.ts): literal refusals, and
 * properties against JSON.parse as the reference. Generated documents are
 * written out by a serializer that may escape every character as \uXXXX and
 * pad between tokens, so a duplicate key can hide behind an escape.
 */
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { MAX_JSON_DEPTH, parseJsonStrict, UNREADABLE_NUMBER } from '../../src/http/json.ts'

const refused = (message: string) => ({ ok: false, code: 'VALIDATION_ERROR', message })

describe('parseJsonStrict: literal cases', () => {
  const rows: [string, string, ReturnType<typeof refused>][] = [
    ['a duplicate key', '{"a":1,"a":2}', refused('body has the key "a" twice')],
    ['a duplicate written as an escape', '{"a":1,"\\u0061":2}', refused('body has the key "a" twice')],
    [
      'a nested duplicate',
      '{"x":[{"ok":1},{"id":"1","i\\u0064":"2"}]}',
      refused('body/x/1 has the key "id" twice'),
    ],
    [
      'NUL as an escape',
      '{"client_ref":"a\\u0000b"}',
      refused('body/client_ref contains a control character (U+0000)'),
    ],
    ['a raw tab', '{"name":"a\tb"}', refused('body/name contains a control character (U+0009)')],
    ['an escaped newline', '{"name":"a\\nb"}', refused('body/name contains a control character (U+000A)')],
    ['DEL', '{"name":"a\u007fb"}', refused('body/name contains a control character (U+007F)')],
    ['a C1 control', '{"label":"\\u0085"}', refused('body/label contains a control character (U+0085)')],
    ['U+009F', '{"label":"\u009f"}', refused('body/label contains a control character (U+009F)')],
    [
      'a lone high surrogate',
      '{"r":["\\ud800"]}',
      refused('body/r/0 contains a lone UTF-16 surrogate (U+D800)'),
    ],
    ['a lone low surrogate', '{"r":"x\\udc00"}', refused('body/r contains a lone UTF-16 surrogate (U+DC00)')],
    [
      'reversed surrogates',
      '{"r":"\\udc00\\ud800"}',
      refused('body/r contains a lone UTF-16 surrogate (U+DC00)'),
    ],
    [
      'a control character in a key',
      '{"a\\u0007":1}',
      refused('body has a key with a control character (U+0007)'),
    ],
    [
      'a path segment with a slash',
      '{"a/b~c":{"d":"\\r"}}',
      refused('body/a~1b~0c/d contains a control character (U+000D)'),
    ],
    ['__proto__', '{"__proto__":{}}', refused('body has the forbidden key "__proto__"')],
    ['constructor, escaped', '{"\\u0063onstructor":1}', refused('body has the forbidden key "constructor"')],
    ['an empty body', '', refused('body is empty')],
    ['whitespace only', ' \n', refused('body is empty')],
    ['a truncated document', '{"a":[1,2', refused('body is not valid JSON: it ends too early')],
    ['a trailing comma', '[1,]', refused('body is not valid JSON: unexpected "]" at position 3')],
    ['a leading zero', '01', refused('body is not valid JSON: unexpected "1" at position 1')],
    ['an unknown escape', '"\\x"', refused('body is not valid JSON: unexpected "x" at position 2')],
    ['a short \\u escape', '"\\u12"', refused('body is not valid JSON: unexpected "u" at position 2')],
    ['text after the document', '{} {}', refused('body is not valid JSON: unexpected "{" at position 3')],
    ['single quotes', "{'a':1}", refused('body is not valid JSON: unexpected "\'" at position 1')],
    [
      'nesting beyond the bound',
      `${'['.repeat(MAX_JSON_DEPTH + 1)}${']'.repeat(MAX_JSON_DEPTH + 1)}`,
      refused(`body${'/0'.repeat(MAX_JSON_DEPTH)} is nested deeper than 32 levels`),
    ],
  ]
  for (const [name, text, expected] of rows) {
    it(`refuses ${name}`, () => assert.deepEqual(parseJsonStrict(text), expected))
  }

  it('keeps pairs of surrogates, escaped or not, and every other character', () => {
    assert.deepEqual(parseJsonStrict('{"e":"\\ud83d\\ude00 😀 é \\u00a0 \\u2028 /\\/"}'), {
      ok: true,
      value: { e: '😀 😀 é \u00a0 \u2028 //' },
    })
  })

  it('nests up to the bound', () => {
    const text = `${'['.repeat(MAX_JSON_DEPTH)}${']'.repeat(MAX_JSON_DEPTH)}`
    assert.equal(parseJsonStrict(text).ok, true)
  })

  it('marks numbers that would not arrive as written', () => {
    assert.deepEqual(
      parseJsonStrict('[1e3, 1.0000000000000001, 9007199254740993, 2.50, -0, 10, 1.5e-10, 1.50e-10]'),
      {
        ok: true,
        value: [
          UNREADABLE_NUMBER,
          UNREADABLE_NUMBER,
          UNREADABLE_NUMBER,
          2.5,
          -0,
          10,
          1.5e-10,
          UNREADABLE_NUMBER,
        ],
      },
    )
  })

  it('names a long key by its first 64 characters', () => {
    const key = 'k'.repeat(100)
    assert.deepEqual(
      parseJsonStrict(`{"${key}":1,"${key}":2}`),
      refused(`body has the key "${'k'.repeat(64)}…" twice`),
    )
  })
})

// --- properties ---------------------------------------------------------------

/** Independent of src/http/text.ts: code points, not UTF-16 units, so a lone surrogate shows as itself. */
function hasForbidden(text: string): boolean {
  return [...text].some((character) => {
    const code = character.codePointAt(0) as number
    return code < 0x20 || (code >= 0x7f && code <= 0x9f) || (code >= 0xd800 && code <= 0xdfff)
  })
}

const cleanText = fc.string({ unit: 'binary', maxLength: 8 }).filter((text) => !hasForbidden(text))
const key = fc
  .oneof(cleanText, fc.constantFrom('a', 'b', 'id', 'a/b', '~', 'é', '😀'))
  .filter((text) => text !== '__proto__' && text !== 'constructor')

type Json = null | boolean | number | string | Json[] | { [key: string]: Json }

const { json } = fc.letrec<{ json: Json }>((tie) => ({
  json: fc.oneof(
    { depthSize: 'small', withCrossShrink: true },
    fc.constant(null),
    fc.boolean(),
    fc.integer({ min: -Number.MAX_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER }),
    fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e15, max: 1e15 }),
    cleanText,
    fc.array(tie('json'), { maxLength: 4 }),
    fc
      .uniqueArray(fc.tuple(key, tie('json')), { selector: ([name]) => name, maxLength: 4 })
      .map((entries) => Object.fromEntries(entries)),
  ),
}))

type Style = { escapeAll: boolean; pad: string }
type Duplicate = { target: number; value: Json }

/** Every UTF-16 unit as \uXXXX: the same string to JSON.parse, different text to a naive comparison. */
function escapedFully(text: string): string {
  let out = ''
  for (let index = 0; index < text.length; index++) {
    out += `\\u${text.charCodeAt(index).toString(16).padStart(4, '0')}`
  }
  return `"${out}"`
}

/**
 * Writes `value` as JSON text in `style`. With `duplicate`, the objects with
 * at least one key are counted in document order, and the `target`-th gets
 * its first key once more, written the other way (escaped or plain).
 */
function write(value: Json, style: Style, duplicate?: Duplicate) {
  let seen = 0
  let injected: { path: string; key: string } | undefined
  const str = (text: string, asEscapes: boolean) => (asEscapes ? escapedFully(text) : JSON.stringify(text))
  const go = (node: Json, path: string): string => {
    const p = style.pad
    if (Array.isArray(node))
      return `[${p}${node.map((item, i) => go(item, `${path}/${i}`)).join(`${p},${p}`)}${p}]`
    if (node === null || typeof node !== 'object') {
      return typeof node === 'string' ? str(node, style.escapeAll) : JSON.stringify(node)
    }
    const names = Object.keys(node)
    const members = names.map(
      (name) => `${str(name, style.escapeAll)}${p}:${p}${go(node[name] as Json, `${path}/${pointer(name)}`)}`,
    )
    if (duplicate !== undefined && names.length > 0 && seen++ === duplicate.target) {
      const first = names[0] as string
      injected = { path, key: first }
      members.push(`${str(first, !style.escapeAll)}${p}:${p}${JSON.stringify(duplicate.value)}`)
    }
    return `{${p}${members.join(`${p},${p}`)}${p}}`
  }
  const text = go(value, 'body')
  return { text, injected }
}

function pointer(name: string): string {
  return name.replaceAll('~', '~0').replaceAll('/', '~1')
}

const style = fc.record({ escapeAll: fc.boolean(), pad: fc.constantFrom('', ' ', '\n\t ', '\r\n') })

describe('parseJsonStrict: properties against JSON.parse', () => {
  it('a document without duplicates is accepted and equals JSON.parse', () => {
    fc.assert(
      fc.property(json, style, (value, how) => {
        const { text } = write(value, how)
        assert.deepEqual(parseJsonStrict(text), { ok: true, value: JSON.parse(text) })
      }),
      { numRuns: 300 },
    )
  })

  it('a document with a duplicate key anywhere is refused, naming the key and where', () => {
    const withObject = json.filter((value) => countObjects(value) > 0)
    fc.assert(
      fc.property(withObject, style, fc.nat(), json, (value, how, pick, extra) => {
        const objects = countObjects(value)
        const { text, injected } = write(value, how, { target: pick % objects, value: extra })
        assert.ok(injected !== undefined)
        // JSON.parse takes the text, and silently keeps the last value.
        assert.doesNotThrow(() => JSON.parse(text))
        const name = JSON.stringify(injected.key)
        assert.deepEqual(parseJsonStrict(text), refused(`${injected.path} has the key ${name} twice`))
      }),
      { numRuns: 300 },
    )
  })

  it('a string is refused exactly when it holds a control character or a lone surrogate', () => {
    const anyText = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 12 }),
      fc.string({
        unit: fc.integer({ min: 0, max: 0xffff }).map((code) => String.fromCharCode(code)),
        maxLength: 6,
      }),
    )
    fc.assert(
      fc.property(anyText, fc.boolean(), (text, escapeAll) => {
        const result = parseJsonStrict(`{"field":${escapeAll ? escapedFully(text) : JSON.stringify(text)}}`)
        assert.equal(result.ok, !hasForbidden(text), JSON.stringify(text))
        if (result.ok) assert.deepEqual(result.value, { field: text })
        else
          assert.match(
            result.message,
            /^body\/field contains a (control character|lone UTF-16 surrogate) \(U\+[0-9A-F]{4}\)$/,
          )
      }),
      { numRuns: 500 },
    )
  })

  it('accepts nothing JSON.parse refuses', () => {
    const alphabet = fc.constantFrom(...'{}[]":,0123456789.eE+- \\u"abtrfnl'.split(''))
    fc.assert(
      fc.property(fc.string({ unit: alphabet, maxLength: 16 }), (text) => {
        let reference = true
        try {
          JSON.parse(text)
        } catch {
          reference = false
        }
        if (!reference) assert.equal(parseJsonStrict(text).ok, false, text)
      }),
      { numRuns: 2000 },
    )
  })
})

/** Objects with at least one key, the ones `write` can give a duplicate. */
function countObjects(value: Json): number {
  if (Array.isArray(value)) return value.reduce<number>((sum, item) => sum + countObjects(item), 0)
  if (value === null || typeof value !== 'object') return 0
  const own = Object.keys(value).length > 0 ? 1 : 0
  return Object.values(value).reduce<number>((sum, item) => sum + countObjects(item), own)
}
