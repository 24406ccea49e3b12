/**
 * Free text that reaches this API (JSON strings and keys, query strings,
 * path parameters) never holds control characters or broken UTF-16: a NUL
 * truncates the text in C libraries and some databases, a newline or an
 * escape sequence forges log lines and terminal output, and a lone
 * surrogate cannot be encoded as UTF-8 at all. No field of the API needs
 * any of them, so they are refused once, at the edge, for every route.
 */

function codePointText(code: number): string {
  return `U+${code.toString(16).toUpperCase().padStart(4, '0')}`
}

const isHighSurrogate = (code: number) => code >= 0xd800 && code <= 0xdbff
const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff

/**
 * What makes `text` unacceptable, as words for an error message, or
 * undefined when it is fine: a C0 control (U+0000–U+001F), DEL (U+007F), a
 * C1 control (U+0080–U+009F), or a UTF-16 surrogate without its pair.
 */
export function forbiddenCharacter(text: string): string | undefined {
  for (let index = 0; index < text.length; index++) {
    const code = text.charCodeAt(index)
    if (code < 0x20 || (code >= 0x7f && code <= 0x9f)) return `a control character (${codePointText(code)})`
    if (isHighSurrogate(code) && isLowSurrogate(text.charCodeAt(index + 1))) {
      index++
      continue
    }
    if (isHighSurrogate(code) || isLowSurrogate(code)) {
      return `a lone UTF-16 surrogate (${codePointText(code)})`
    }
  }
  return undefined
}

/**
 * Checks every key and string value of a parsed query string or path
 * parameters (values are strings, or arrays of them for a repeated query
 * parameter); returns the message naming the first bad one.
 */
export function forbiddenInFields(fields: unknown, root: string): string | undefined {
  if (typeof fields !== 'object' || fields === null) return undefined
  for (const [key, value] of Object.entries(fields)) {
    const inKey = forbiddenCharacter(key)
    if (inKey !== undefined) return `${root} has a parameter name with ${inKey}`
    for (const item of Array.isArray(value) ? value : [value]) {
      const inValue = typeof item === 'string' ? forbiddenCharacter(item) : undefined
      if (inValue !== undefined) return `${root}/${key} contains ${inValue}`
    }
  }
  return undefined
}
