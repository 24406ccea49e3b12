/**
 * Issue 14, the pure part of sending: fee caps and the replacement bump.
 * A node's estimate is taken as is up to the cap; a replacement pays at least
 * 12.5% more than the transaction it replaces on both the fee cap and the tip
 * (geth and Anvil ask 10%), never above the cap, and the tip never above the
 * fee cap. At the cap a replacement is pointless: `replaceable` says so.
 */
export type Fees = { readonly maxFee: bigint; readonly priority: bigint }

const BUMP_NUM = 1125n
const BUMP_DEN = 1000n

export function bumped(value: bigint): bigint {
  return (value * BUMP_NUM) / BUMP_DEN + 1n
}

export function feesFor(estimate: Fees, capWei: bigint, replacing?: Fees): Fees {
  let maxFee = estimate.maxFee
  let priority = estimate.priority
  if (replacing !== undefined) {
    if (maxFee < bumped(replacing.maxFee)) maxFee = bumped(replacing.maxFee)
    if (priority < bumped(replacing.priority)) priority = bumped(replacing.priority)
  }
  if (maxFee > capWei) maxFee = capWei
  if (priority > maxFee) priority = maxFee
  return { maxFee, priority }
}

/** Whether `next` may replace `previous` in a node's pool (both fees raised by the bump). */
export function replaceable(previous: Fees, next: Fees): boolean {
  return next.maxFee >= bumped(previous.maxFee) && next.priority >= bumped(previous.priority)
}
