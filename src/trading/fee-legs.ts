import { DEFAULT_FEE_SPLIT } from '../liquidity/fee-split.ts'

/**
 * SPEC §7.3: of a swap's fee revenue, the LP shares (corridor and global)
 * go to the LP fee account, rounded down, and the treasury keeps the rest
 * (it absorbs rounding, and the class A withholding once kTokens distribute).
 */
export function splitPlatformFee(feeMinor: bigint): { treasuryMinor: bigint; lpMinor: bigint } {
  const lpPct = DEFAULT_FEE_SPLIT.txnLpSharePct + DEFAULT_FEE_SPLIT.globalLpSharePct
  const lpMinor = (feeMinor * lpPct) / 100n
  return { treasuryMinor: feeMinor - lpMinor, lpMinor }
}
