import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { it } from 'node:test'

/**
 * SPEC §14.1: no floating point in amounts, rates used for settlement, fees
 * or indexes. These are the folders where that maths lives; none of them may
 * convert to a float (a method named Number, like TypeBox's Type.Number, is
 * not a conversion).
 */
const ROOT = join(import.meta.dirname, '..')
const FOLDERS = ['src/money', 'src/pricing', 'src/risk', 'src/liquidity']
const FILES = ['src/config/risk.ts', 'src/config/fees.ts', 'src/config/pricing.ts', 'src/config/exposure.ts']
const FORBIDDEN = [/parseFloat\s*\(/, /(?<![.\w])Number\s*\(/, /\bMath\./, /toFixed\s*\(/, /parseInt\s*\(/]

function sources(): string[] {
  const inFolders = FOLDERS.flatMap((folder) =>
    readdirSync(join(ROOT, folder), { recursive: true, encoding: 'utf8' })
      .filter((name) => name.endsWith('.ts'))
      .map((name) => join(folder, name)),
  )
  return [...inFolders, ...FILES]
}

it('the money, pricing, risk and liquidity code uses no float: no parseFloat, Number(), Math., toFixed or parseInt', () => {
  const files = sources()
  assert.ok(files.length >= 30, `expected the sources, found ${files.length}`)
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
