import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { it } from 'node:test'

/** SPEC §14.1: no floating point in amounts, rates, fees or indexes. The money code is where it would start. */
const MONEY_DIR = join(import.meta.dirname, '../../src/money')
const FORBIDDEN = [/parseFloat\s*\(/, /Number\s*\(/, /\bMath\./, /toFixed\s*\(/, /parseInt\s*\(/]

it('src/money uses no float: no parseFloat, Number(), Math., toFixed or parseInt', () => {
  const files = readdirSync(MONEY_DIR).filter((name) => name.endsWith('.ts'))
  assert.ok(files.length >= 4, `expected the money sources, found ${files.join(', ')}`)
  const offences: string[] = []
  for (const file of files) {
    const lines = readFileSync(join(MONEY_DIR, file), 'utf8').split('\n')
    lines.forEach((line, index) => {
      const code = line.replace(/\/\/.*$/, '')
      for (const pattern of FORBIDDEN)
        if (pattern.test(code)) offences.push(`${file}:${index + 1}: ${line.trim()}`)
    })
  }
  assert.deepEqual(offences, [])
})
