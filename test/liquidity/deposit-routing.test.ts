import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { ASSET_CODES } from '../../src/config/assets.ts'
import { type DepositRoutingInput, lockUntilMs, routeDeposit } from '../../src/liquidity/deposit-routing.ts'
import { r } from '../../src/money/ratio.ts'
import { poolTargetMinor } from '../../src/pools/model.ts'

function deposit(overrides: Partial<DepositRoutingInput>): DepositRoutingInput {
  return {
    lpClass: 'A',
    asset: 'USDT',
    amountMinor: 1_000n,
    reserveBalanceMinor: 0n,
    reserveMaxMinor: 10_000n,
    yieldBalanceMinor: 0n,
    yieldMaxMinor: 10_000n,
    reserveQueuedAheadMinor: 0n,
    yieldQueuedAheadMinor: 0n,
    ...overrides,
  }
}

function parts(input: DepositRoutingInput): [bigint, bigint, bigint, bigint] {
  const routed = routeDeposit(input)
  return [routed.toReserveMinor, routed.toYieldMinor, routed.yieldOverflowTaggedMinor, routed.pendingMinor]
}

describe('routeDeposit (SPEC §7.1, §2.2)', () => {
  // label, input overrides, [toReserve, toYield, of which tagged, pending]
  const table: [string, Partial<DepositRoutingInput>, [bigint, bigint, bigint, bigint]][] = [
    ['A: all to Reserve', {}, [1_000n, 0n, 0n, 0n]],
    ['A: Reserve overflow waits, never Yield', { reserveBalanceMinor: 9_400n }, [600n, 0n, 0n, 400n]],
    ['A: Reserve full', { reserveBalanceMinor: 10_000n }, [0n, 0n, 0n, 1_000n]],
    ['A: Reserve above max', { reserveBalanceMinor: 12_000n }, [0n, 0n, 0n, 1_000n]],
    [
      'A: FIFO behind queued deposits',
      { reserveBalanceMinor: 9_000n, reserveQueuedAheadMinor: 700n },
      [300n, 0n, 0n, 700n],
    ],
    ['B USDT 50/50', { lpClass: 'B' }, [500n, 500n, 0n, 0n]],
    ['B IDRX 60/40', { lpClass: 'B', asset: 'IDRX' }, [600n, 400n, 0n, 0n]],
    ['B 60/40 rounds Reserve down', { lpClass: 'B', asset: 'MYRC', amountMinor: 7n }, [4n, 3n, 0n, 0n]],
    ['B explicit ratio', { lpClass: 'B', classBReservePct: 100n }, [1_000n, 0n, 0n, 0n]],
    [
      'B Reserve overflow to Yield, tagged',
      { lpClass: 'B', reserveBalanceMinor: 9_800n },
      [200n, 800n, 300n, 0n],
    ],
    [
      'B Yield fills with its own share first, then overflow; rest pending',
      { lpClass: 'B', reserveBalanceMinor: 9_800n, yieldBalanceMinor: 9_400n },
      [200n, 600n, 100n, 200n],
    ],
    ['B Yield full: its share waits', { lpClass: 'B', yieldBalanceMinor: 10_000n }, [500n, 0n, 0n, 500n]],
    [
      'B behind queued Yield deposits',
      { lpClass: 'B', yieldBalanceMinor: 9_000n, yieldQueuedAheadMinor: 800n },
      [500n, 200n, 0n, 300n],
    ],
  ]
  for (const [label, overrides, expected] of table) {
    it(label, () => assert.deepEqual(parts(deposit(overrides)), expected))
  }

  it('throws on a non-positive amount or a negative balance (bugs: validated upstream)', () => {
    assert.throws(() => routeDeposit(deposit({ amountMinor: 0n })), RangeError)
    assert.throws(() => routeDeposit(deposit({ reserveBalanceMinor: -1n })), RangeError)
    assert.throws(() => routeDeposit(deposit({ lpClass: 'B', classBReservePct: 101n })), RangeError)
  })

  it('parts always sum to the amount, class A never reaches Yield, no pool passes its max', () => {
    const minor = fc.bigInt({ min: 0n, max: 10n ** 20n })
    fc.assert(
      fc.property(
        fc.record({
          lpClass: fc.constantFrom('A' as const, 'B' as const),
          asset: fc.constantFrom(...ASSET_CODES),
          amountMinor: fc.bigInt({ min: 1n, max: 10n ** 20n }),
          reserveBalanceMinor: minor,
          reserveMaxMinor: minor,
          yieldBalanceMinor: minor,
          yieldMaxMinor: minor,
          reserveQueuedAheadMinor: minor,
          yieldQueuedAheadMinor: minor,
          classBReservePct: fc.option(fc.bigInt({ min: 0n, max: 100n }), { nil: undefined }),
        }),
        (input) => {
          const routed = routeDeposit(input)
          const { toReserveMinor, toYieldMinor, yieldOverflowTaggedMinor, pendingMinor } = routed
          assert.equal(toReserveMinor + toYieldMinor + pendingMinor, input.amountMinor)
          for (const part of [toReserveMinor, toYieldMinor, yieldOverflowTaggedMinor, pendingMinor])
            assert.ok(part >= 0n)
          assert.ok(yieldOverflowTaggedMinor <= toYieldMinor)
          if (input.lpClass === 'A') assert.equal(toYieldMinor, 0n)
          if (toReserveMinor > 0n)
            assert.ok(
              input.reserveBalanceMinor + input.reserveQueuedAheadMinor + toReserveMinor <=
                input.reserveMaxMinor,
            )
          if (toYieldMinor > 0n)
            assert.ok(
              input.yieldBalanceMinor + input.yieldQueuedAheadMinor + toYieldMinor <= input.yieldMaxMinor,
            )
        },
      ),
    )
  })
})

describe('deposit lock and pool capacity', () => {
  const hour = 3_600_000
  const table: [(typeof ASSET_CODES)[number], number][] = [
    ['USDT', 24],
    ['tnSGD', 48],
    ['IDRX', 72],
    ['MYRC', 72],
  ]
  for (const [asset, hours] of table) {
    it(`locks a ${asset} deposit for ${hours} h (SPEC §7.1)`, () => {
      assert.equal(lockUntilMs(1_000, asset), 1_000 + hours * hour)
    })
  }

  it('turns a pool max in USD into minor units, rounded down', () => {
    const at = (fiatPerUsd: string) => ({ fiatPerUsd: () => r(fiatPerUsd) })
    assert.equal(poolTargetMinor('USDT', 'RESERVE', at('1')), 5_000_000n * 10n ** 6n)
    assert.equal(poolTargetMinor('IDRX', 'YIELD', at('16250')), 3_000_000n * 16_250n * 100n)
    assert.equal(poolTargetMinor('tnSGD', 'RESERVE', at('1.3333333')), 2_666_666_600_000n)
  })
})
