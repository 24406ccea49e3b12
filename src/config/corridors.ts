import type { Fiat } from './assets.ts'

/** SPEC §2.3: the Phase 1 corridors, written BASE-QUOTE in fiat codes. */
export const CORRIDOR_IDS = ['USD-IDR', 'USD-SGD', 'MYR-IDR'] as const
export type CorridorId = (typeof CORRIDOR_IDS)[number]

export type CorridorConfig = {
  readonly id: CorridorId
  readonly base: Fiat
  readonly quote: Fiat
  /** SPEC §2.1 and §4 L1: the smallest transaction, in `minTransactionFiat`. */
  readonly minTransaction: string
  readonly minTransactionFiat: Fiat
  /** SPEC §5: base spread in bps. */
  readonly baseSpreadBps: string
  /** SPEC §5 inventory skew: dead zone (percent off target), k, and MaxSkew in bps. */
  readonly skewDeadZonePct: string
  readonly skewK: string
  readonly maxSkewBps: string
  /** SPEC §8: rebalancing thresholds, USD deviation of the corridor's position. */
  readonly rebalanceUsd: { readonly soft: bigint; readonly hard: bigint; readonly emergency: bigint }
}

export const CORRIDORS: Readonly<Record<CorridorId, CorridorConfig>> = {
  'USD-IDR': {
    id: 'USD-IDR',
    base: 'USD',
    quote: 'IDR',
    minTransaction: '10',
    minTransactionFiat: 'USD',
    baseSpreadBps: '4',
    skewDeadZonePct: '5',
    skewK: '15',
    maxSkewBps: '8',
    rebalanceUsd: { soft: 50_000n, hard: 100_000n, emergency: 150_000n },
  },
  'USD-SGD': {
    id: 'USD-SGD',
    base: 'USD',
    quote: 'SGD',
    minTransaction: '10',
    minTransactionFiat: 'USD',
    baseSpreadBps: '2',
    skewDeadZonePct: '3',
    skewK: '12',
    maxSkewBps: '5',
    rebalanceUsd: { soft: 100_000n, hard: 200_000n, emergency: 300_000n },
  },
  'MYR-IDR': {
    id: 'MYR-IDR',
    base: 'MYR',
    quote: 'IDR',
    minTransaction: '50',
    minTransactionFiat: 'MYR',
    baseSpreadBps: '6',
    skewDeadZonePct: '7',
    skewK: '20',
    maxSkewBps: '12',
    rebalanceUsd: { soft: 30_000n, hard: 60_000n, emergency: 90_000n },
  },
}

export function isCorridorId(value: string): value is CorridorId {
  return (CORRIDOR_IDS as readonly string[]).includes(value)
}
