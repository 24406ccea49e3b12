/**
 * Regenerates sdk/src/schema.d.ts from the server's /openapi.json (issue 15):
 * builds stablefx in-process on a temporary SQLite database, reads the
 * document through the router (no port is opened), and turns it into types
 * with openapi-typescript. The output is committed; test/sdk/drift.test.ts
 * fails when it no longer matches the server.
 *
 *   node sdk/scripts/generate.ts
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import openapiTS, { astToString } from 'openapi-typescript'
import { createStablefx } from '../../src/app.ts'
import { createManualClock } from '../../src/clock/clock.ts'
import { openStore } from '../../src/store/store.ts'

/** Where the generated types live, committed. */
export const SCHEMA_PATH = fileURLToPath(new URL('../src/schema.d.ts', import.meta.url))

const BANNER = `/**
 * Generated from stablefx's /openapi.json by sdk/scripts/generate.ts
 * (openapi-typescript). Do not edit: run \`node sdk/scripts/generate.ts\`.
 */

`

/** The OpenAPI document a fresh server serves at /openapi.json. */
export async function fetchOpenApiDocument(): Promise<Record<string, unknown>> {
  const dir = mkdtempSync(join(tmpdir(), 'stablefx-sdk-'))
  const store = await openStore(`file:${join(dir, 'openapi.db')}`)
  try {
    const stablefx = await createStablefx({
      store,
      adminToken: 'adm_sdk_generate_0123456789abcdefghijklmnop',
      opsToken: 'ops_sdk_generate_0123456789abcdefghijklmnop',
      liveClock: createManualClock(Date.UTC(2026, 0, 1)),
      logLevel: 'silent',
      rateLimit: false,
      processMetrics: false,
      oracleMode: 'manual',
    })
    try {
      const response = await stablefx.app.inject({ method: 'GET', url: '/openapi.json' })
      if (response.statusCode !== 200) throw new Error(`/openapi.json answered ${response.statusCode}`)
      return response.json()
    } finally {
      await stablefx.close()
    }
  } finally {
    await store.close()
    rmSync(dir, { recursive: true, force: true })
  }
}

/** The text of sdk/src/schema.d.ts for the current server. */
export async function generateSchema(): Promise<string> {
  const document = await fetchOpenApiDocument()
  // openapi-typescript takes the document as a JSON string or object; a copy keeps the original intact.
  const ast = await openapiTS(JSON.stringify(document), { alphabetize: true })
  return BANNER + astToString(ast)
}

if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const text = await generateSchema()
  writeFileSync(SCHEMA_PATH, text)
  console.log(`wrote ${SCHEMA_PATH} (${text.length} characters)`)
}
