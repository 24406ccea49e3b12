/**
 * Issue 14: contracts/build/contracts.json is what solc (from npm) makes of
 * contracts/*.sol today, and the ABIs stablefx calls by hand match it.
 */
import assert from 'node:assert/strict'
import { readFileSync } from 'node:fs'
import { it } from 'node:test'
import { KTOKEN_ABI, TEST_TOKEN_ABI } from '../../src/chain/evm/abi.ts'
import { ARTIFACTS_FILE, artifactsText, compileContracts } from '../../src/sim/contracts.ts'

it('the committed build matches a fresh compile (npm run build:contracts rewrites it)', {
  timeout: 60_000,
}, async () => {
  const compiled = await compileContracts()
  assert.deepEqual(Object.keys(compiled).sort(), ['KToken', 'RefusingToken', 'StablefxToken'])
  assert.equal(readFileSync(ARTIFACTS_FILE, 'utf8'), artifactsText(compiled))

  const signatures = (abi: readonly unknown[]) =>
    new Set(
      (abi as { type: string; name?: string; inputs?: { type: string }[] }[])
        .filter((item) => item.type === 'function' || item.type === 'event')
        .map(
          (item) => `${item.type} ${item.name}(${(item.inputs ?? []).map((input) => input.type).join(',')})`,
        ),
    )
  const kToken = signatures(compiled.KToken?.abi ?? [])
  for (const item of signatures(KTOKEN_ABI)) assert.ok(kToken.has(item), `KToken has ${item}`)
  const refusing = signatures(compiled.RefusingToken?.abi ?? [])
  for (const item of signatures(TEST_TOKEN_ABI)) assert.ok(refusing.has(item), `RefusingToken has ${item}`)
})
