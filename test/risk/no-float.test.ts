import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { it } from 'node:test'

/** SPEC §14.1 and the conventions: risk maths is exact; no float conversions in the risk core or its config. */
const ROOT = join(import.meta.dirname, '../..')
const FORBIDDEN = [/parseFloat\s*\(/, /Number\s*\(/, /\bMath\./, /toFixed\s*\(/, /parseInt\s*\(/]

function sources(): string[] {
  const risk = readdirSync(join(ROOT, 'src/risk'), { recursive: true, encoding: 'utf8' })
    .filter((name) => name.endsWith('.ts'))
    .map((name) => join('src/risk', name))
  return [...risk, 'src/config/risk.ts']
}

it('src/risk and src/config/risk.ts use no float: no parseFloat, Number(), Math., toFixed or parseInt', () => {
  const files = sources()
  assert.ok(files.length >= 9, `expected the risk sources, found ${files.join(', ')}`)
  const offences: string[] = []
  for (const file of files) {
    readFileSync(join(ROOT, file), 'utf8')
      .split('\n')
      .forEach((line, index) => {
        const code = line.replace(/\/\/.*$/, '')
        for (const pattern of FORBIDDEN)
          if (pattern.test(code)) offences.push(`${file}:${index + 1}: ${line.trim()}`)
      })
  }
  assert.deepEqual(offences, [])
})
