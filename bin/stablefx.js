#!/usr/bin/env node
// The stablefx command. Node 24 runs the TypeScript sources directly (type stripping).
import { main } from '../src/cli/main.ts'

main(process.argv.slice(2)).catch((error) => {
  process.stderr.write(`stablefx: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exit(1)
})
