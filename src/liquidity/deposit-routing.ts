import { ASSETS, type AssetCode } from '../config/assets.ts'
import { maxBig, minBig, mulDiv } from '../money/rounding.ts'
import type { LpClass } from './model.ts'

/**
 * Deposit routing (SPEC §7.1, §2.2). Deposits never touch the Active pool;
 * they go to Reserve, to Yield (class B only), or wait in the asset's FIFO
 * pending queue until a pool has room.
 */
export type DepositRoutingInput = {
  readonly lpClass: LpClass
  readonly asset: AssetCode
  readonly amountMinor: bigint
  readonly reserveBalanceMinor: bigint
  readonly reserveMaxMinor: bigint
  readonly yieldBalanceMinor: bigint
  readonly yieldMaxMinor: bigint
  /**
   * Deposits already queued ahead of this one that wait for room in Reserve
   * (class A) or in Yield (class B). Room they are owed is not room for a
   * newcomer: that is what FIFO means.
   */
  readonly reserveQueuedAheadMinor: bigint
  readonly yieldQueuedAheadMinor: bigint
  /** SPEC §2.2 class B Reserve share in percent; the asset's configured value when absent. */
  readonly classBReservePct?: bigint
}

export type DepositRouting = {
  readonly toReserveMinor: bigint
  /** Everything that goes to Yield, including `yieldOverflowTaggedMinor`. */
  readonly toYieldMinor: bigint
  /** The part of `toYieldMinor` that was meant for Reserve; tagged so a recall brings it back first. */
  readonly yieldOverflowTaggedMinor: bigint
  /** Waits in the FIFO pending queue: for Reserve room (class A) or Yield room (class B). */
  readonly pendingMinor: bigint
}

function roomMinor(maxMinor: bigint, balanceMinor: bigint, queuedAheadMinor: bigint): bigint {
  return maxBig(0n, maxMinor - balanceMinor - queuedAheadMinor)
}

function checkInput(input: DepositRoutingInput, reservePct: bigint): void {
  if (input.amountMinor <= 0n) throw new RangeError(`a deposit must be positive, got ${input.amountMinor}`)
  const quantities = [
    input.reserveBalanceMinor,
    input.reserveMaxMinor,
    input.yieldBalanceMinor,
    input.yieldMaxMinor,
    input.reserveQueuedAheadMinor,
    input.yieldQueuedAheadMinor,
  ]
  if (quantities.some((value) => value < 0n))
    throw new RangeError('pool balances, maxima and queues are never negative')
  if (reservePct < 0n || reservePct > 100n)
    throw new RangeError(`class B reserve share ${reservePct}% out of range`)
}

/**
 * Class A: 100% to Reserve up to its max, the rest pending — never Yield,
 * because class A chose not to carry yield risk.
 * Class B: the Reserve share (rounded down, so Yield takes the remainder) goes
 * to Reserve up to its max; the Reserve overflow joins the Yield share, tagged
 * for priority recall; what Yield cannot take is pending. Yield room is filled
 * by the plain Yield share first, then by the overflow, so the tag marks as
 * little as possible. The Yield share is not redirected to Reserve when Yield
 * is full [ours]: the LP's Reserve/Yield mix is the asset's policy, and
 * filling Reserve with it would crowd out class A deposits.
 */
export function routeDeposit(input: DepositRoutingInput): DepositRouting {
  const reservePct = input.classBReservePct ?? ASSETS[input.asset].classBReservePct
  checkInput(input, reservePct)
  const { amountMinor } = input
  const reserveRoom = roomMinor(
    input.reserveMaxMinor,
    input.reserveBalanceMinor,
    input.reserveQueuedAheadMinor,
  )
  if (input.lpClass === 'A') {
    const toReserveMinor = minBig(amountMinor, reserveRoom)
    return {
      toReserveMinor,
      toYieldMinor: 0n,
      yieldOverflowTaggedMinor: 0n,
      pendingMinor: amountMinor - toReserveMinor,
    }
  }
  const reserveShareMinor = mulDiv(amountMinor, reservePct, 100n, 'floor')
  const yieldShareMinor = amountMinor - reserveShareMinor
  const toReserveMinor = minBig(reserveShareMinor, reserveRoom)
  const reserveOverflowMinor = reserveShareMinor - toReserveMinor
  const yieldRoom = roomMinor(input.yieldMaxMinor, input.yieldBalanceMinor, input.yieldQueuedAheadMinor)
  const plainYieldMinor = minBig(yieldShareMinor, yieldRoom)
  const yieldOverflowTaggedMinor = minBig(reserveOverflowMinor, yieldRoom - plainYieldMinor)
  const toYieldMinor = plainYieldMinor + yieldOverflowTaggedMinor
  return {
    toReserveMinor,
    toYieldMinor,
    yieldOverflowTaggedMinor,
    pendingMinor: amountMinor - toReserveMinor - toYieldMinor,
  }
}

const MS_PER_HOUR = 3_600_000

/** SPEC §7.1: a deposit is locked for the asset's lock period (USDT 24 h, tnSGD 48 h, IDRX and MYRC 72 h). */
export function lockUntilMs(depositAtMs: number, asset: AssetCode): number {
  if (!Number.isSafeInteger(depositAtMs)) throw new RangeError(`not a time in ms: ${depositAtMs}`)
  return depositAtMs + ASSETS[asset].depositLockHours * MS_PER_HOUR
}
