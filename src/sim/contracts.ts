import { readdirSync, readFileSync, writeFileSync } from 'node:fs'
import { createRequire } from 'node:module'
import { dirname, join } from 'node:path'
import { fileURLToPath } from 'node:url'

/**
 * Issue 14: compiles contracts/*.sol with the `solc` npm package (a WebAssembly
 * build, no download) and OpenZeppelin from node_modules. That takes 2 s on
 * an idle machine and 5 s on a busy one, so the output is committed as
 * contracts/build/contracts.json (`npm run build:contracts` writes it; a test
 * compiles again and checks it matches), and the local chain deploys from
 * it. `solc` and OpenZeppelin are development dependencies; the running
 * service needs only the ABIs in src/chain/evm/abi.ts.
 */
export type CompiledContract = { readonly abi: readonly unknown[]; readonly bytecode: `0x${string}` }

export const CONTRACTS_DIR = join(dirname(fileURLToPath(import.meta.url)), '..', '..', 'contracts')
export const ARTIFACTS_FILE = join(CONTRACTS_DIR, 'build', 'contracts.json')
/** Kaia supports the Cancun opcodes; so does every current EVM chain. */
export const EVM_VERSION = 'cancun'

let compiled: Promise<Readonly<Record<string, CompiledContract>>> | undefined

/** Every contract of contracts/, by name, compiled once per process. */
export function compileContracts(): Promise<Readonly<Record<string, CompiledContract>>> {
  compiled ??= (async () => {
    const require = createRequire(import.meta.url)
    const solc = (await import('solc')).default as { compile(input: string, callbacks: object): string }
    const sources: Record<string, { content: string }> = {}
    for (const file of readdirSync(CONTRACTS_DIR)
      .filter((name) => name.endsWith('.sol'))
      .sort()) {
      sources[file] = { content: readFileSync(join(CONTRACTS_DIR, file), 'utf8') }
    }
    const input = {
      language: 'Solidity',
      sources,
      settings: {
        optimizer: { enabled: true, runs: 200 },
        evmVersion: EVM_VERSION,
        outputSelection: { '*': { '*': ['abi', 'evm.bytecode.object'] } },
      },
    }
    const findImport = (path: string) => {
      try {
        return { contents: readFileSync(require.resolve(path), 'utf8') }
      } catch {
        return { error: `not found: ${path}` }
      }
    }
    const output = JSON.parse(solc.compile(JSON.stringify(input), { import: findImport })) as {
      errors?: { severity: string; formattedMessage: string }[]
      contracts?: Record<string, Record<string, { abi: unknown[]; evm: { bytecode: { object: string } } }>>
    }
    const errors = (output.errors ?? []).filter((error) => error.severity === 'error')
    if (errors.length > 0)
      throw new Error(`contracts do not compile:\n${errors.map((e) => e.formattedMessage).join('\n')}`)
    const result: Record<string, CompiledContract> = {}
    for (const file of Object.keys(sources)) {
      for (const [name, contract] of Object.entries(output.contracts?.[file] ?? {})) {
        result[name] = { abi: contract.abi, bytecode: `0x${contract.evm.bytecode.object}` }
      }
    }
    return result
  })()
  return compiled
}

/** The committed build output (what the local chain deploys). */
export function loadContracts(): Readonly<Record<string, CompiledContract>> {
  return JSON.parse(readFileSync(ARTIFACTS_FILE, 'utf8')) as Record<string, CompiledContract>
}

/** The build output as committed: contracts by name, sorted, two-space JSON with a final newline. */
export function artifactsText(contracts: Readonly<Record<string, CompiledContract>>): string {
  const sorted = Object.fromEntries(
    Object.keys(contracts)
      .sort()
      .map((name) => [name, contracts[name]]),
  )
  return `${JSON.stringify(sorted, null, 2)}\n`
}

/** `npm run build:contracts`: compiles and writes contracts/build/contracts.json. */
export async function buildContracts(): Promise<string> {
  const text = artifactsText(await compileContracts())
  writeFileSync(ARTIFACTS_FILE, text)
  return ARTIFACTS_FILE
}
