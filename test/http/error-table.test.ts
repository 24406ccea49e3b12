/** Issue 15 "Errors": every error code is documented, with its HTTP status, in the README's one table. */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { it } from 'node:test'
import { HTTP_STATUS } from '../../src/http/errors.ts'

it('the README error table lists every code with its status, and nothing else', () => {
  const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8')
  const start = readme.indexOf('### Error codes')
  assert.ok(start >= 0)
  const rows = readme
    .slice(start)
    .split('\n')
    .filter((line) => /^\| `[A-Z_]+` \| \d{3} \|/.test(line))
  const documented = Object.fromEntries(
    rows.map((line) => {
      const [, code, status] = /^\| `([A-Z_]+)` \| (\d{3}) \|/.exec(line) as RegExpExecArray
      return [code, Number(status)]
    }),
  )
  assert.deepEqual(documented, { ...HTTP_STATUS })
})
