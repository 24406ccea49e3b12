// `npm run build:contracts`: compiles contracts/*.sol with solc from npm into contracts/build/contracts.json.
import { buildContracts } from '../src/sim/contracts.ts'

process.stdout.write(`wrote ${await buildContracts()}\n`)
