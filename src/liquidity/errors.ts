import type { Ok } from '../errors.ts'

/**
 * Expected outcomes of the liquidity core, returned as values (CONVENTIONS.md:
 * "expected failures are values; bugs throw"). The shell maps them to the
 * partner-facing codes of SPEC §3 when it exposes them over HTTP.
 */
export type LiquidityErrorCode =
  // SPEC §7.2: "a variant with no shares cannot receive index updates".
  | 'KTOKEN_EMPTY_VARIANT'
  // A loss larger than everything the variant's holders own would take the index to zero or below.
  | 'KTOKEN_INDEX_EXHAUSTED'
  // The amount is worth less than one share at the current index, so minting would give nothing.
  | 'KTOKEN_DEPOSIT_TOO_SMALL'
  // The holder does not own enough shares to cover the withdrawal.
  | 'KTOKEN_INSUFFICIENT_SHARES'
  // SPEC §7.3: the three fee percentages must each be non-negative and sum to exactly 100.
  | 'FEE_SPLIT_INVALID'
  // SPEC §7.3: a class A multiplier is a fraction of the class B weight, between 0 and 1.
  | 'CLASS_A_MULTIPLIER_INVALID'

export type LiquidityFailure = {
  readonly ok: false
  readonly code: LiquidityErrorCode
  readonly message: string
}

export type LiquidityResult<T> = Ok<T> | LiquidityFailure

export function liquidityFailure(code: LiquidityErrorCode, message: string): LiquidityFailure {
  return { ok: false, code, message }
}
