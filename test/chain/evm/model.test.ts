/** Issue 14: fee caps and replacement bumps (pure), and the kToken vault keys. */
import assert from 'node:assert/strict'
import { it } from 'node:test'
import fc from 'fast-check'
import { vaultKey } from '../../../src/chain/evm/ktokens.ts'
import { bumped, feesFor, replaceable } from '../../../src/chain/evm/model.ts'

const GWEI = 1_000_000_000n
const wei = fc.bigInt({ min: 1n, max: 10_000n * GWEI })

it('takes the estimate under the cap and the cap above it', () => {
  assert.deepEqual(feesFor({ maxFee: 50n * GWEI, priority: 2n * GWEI }, 100n * GWEI), {
    maxFee: 50n * GWEI,
    priority: 2n * GWEI,
  })
  assert.deepEqual(feesFor({ maxFee: 900n * GWEI, priority: 800n * GWEI }, 750n * GWEI), {
    maxFee: 750n * GWEI,
    priority: 750n * GWEI,
  })
})

it('bumps a replacement by 12.5% and one wei', () => {
  assert.equal(bumped(1000n), 1126n)
  assert.deepEqual(feesFor({ maxFee: 10n, priority: 1n }, 1_000_000n, { maxFee: 1000n, priority: 100n }), {
    maxFee: 1126n,
    priority: 113n,
  })
})

it('never pays above the cap, keeps the tip under the fee cap, and replaces whenever the cap leaves room', () => {
  fc.assert(
    fc.property(
      wei,
      wei,
      wei,
      fc.option(fc.record({ maxFee: wei, priority: wei }), { nil: undefined }),
      (fee, tip, cap, previous) => {
        const fees = feesFor({ maxFee: fee, priority: tip }, cap, previous)
        assert.ok(fees.maxFee <= cap)
        assert.ok(fees.priority <= fees.maxFee)
        assert.ok(fees.priority > 0n)
        if (
          previous !== undefined &&
          previous.priority <= previous.maxFee &&
          bumped(previous.maxFee) <= cap
        ) {
          assert.ok(replaceable(previous, fees), 'a replacement under the cap is accepted by the pool')
        }
      },
    ),
  )
})

it('keys the plain vaults 0 and a multiplier vault by its id', () => {
  assert.equal(vaultKey('fx'), `0x${'0'.repeat(64)}`)
  assert.equal(vaultKey('full'), `0x${'0'.repeat(64)}`)
  assert.equal(vaultKey('fx@0.3'), '0x39083e444c119108aabe261e6d76ad04b6b9aa5d0e33ee608d948b1ab6f11304')
})
