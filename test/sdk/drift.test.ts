/**
 * Issue 15, SDK: the committed sdk/src/schema.d.ts is what the generator makes
 * from the current server's /openapi.json. A route or schema change without
 * regeneration fails here.
 */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { test } from 'node:test'
import { generateSchema, SCHEMA_PATH } from '../../sdk/scripts/generate.ts'

test('sdk/src/schema.d.ts matches the server’s /openapi.json', async () => {
  const generated = await generateSchema()
  const committed = readFileSync(SCHEMA_PATH, 'utf8')
  if (generated !== committed) {
    const at = [...generated].findIndex((char, i) => char !== committed[i])
    const line = generated.slice(0, at).split('\n').length
    assert.fail(
      `sdk/src/schema.d.ts is out of date with /openapi.json (first difference at line ${line}); ` +
        'run `node sdk/scripts/generate.ts` and commit the result',
    )
  }
})

test('the generated types carry the partner operations the example uses', () => {
  const committed = readFileSync(SCHEMA_PATH, 'utf8')
  for (const path of [
    '"/v1/sandbox/faucet": {',
    '"/v1/quote": {',
    '"/v1/execute": {',
    '"/v1/executions": {',
  ]) {
    assert.ok(committed.includes(path), `${path} missing from the generated types`)
  }
  assert.ok(committed.startsWith("/**\n * Generated from stablefx's /openapi.json"))
})
