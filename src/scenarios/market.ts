/**
 * The market every shipped scenario starts from (the mids of the test
 * market, SPEC §2), with a little seeded noise: a quiet market is ±1 bp a
 * minute, well inside the 5 bps NORMAL volatility band (SPEC §6.2).
 */
import type { Counterparty, Flow, Pair, PricePath } from './model.ts'

export const BASE_MIDS: Readonly<Record<Pair, string>> = {
  'USD-IDR': '16250',
  'USD-SGD': '1.3',
  'USD-MYR': '4.2',
  'MYR-IDR': '3869.04761905',
}

/** Every pair at its base mid with ±1 bp of noise; `overrides` replace a pair's path. */
export function quietMarket(
  overrides: Partial<Record<Pair, Omit<PricePath, 'pair' | 'base'>>> = {},
): PricePath[] {
  return (Object.keys(BASE_MIDS) as Pair[]).map((pair) => ({
    pair,
    base: BASE_MIDS[pair],
    noiseBps: 1,
    ...overrides[pair],
  }))
}

/** Two-sided background flow on USD-IDR and USD-SGD ($5,000 a side every 10 / 15 minutes): the market partners make anyway. */
export function backgroundFlows(fromMin: number, toMin: number): Flow[] {
  return [
    { corridor: 'USD-IDR', side: 'SELL', amount: '5000', everyMin: 10, fromMin, toMin, jitterPct: 20 },
    {
      corridor: 'USD-IDR',
      side: 'BUY',
      amount: '81250000',
      everyMin: 10,
      fromMin: fromMin + 5,
      toMin,
      jitterPct: 20,
    },
    {
      corridor: 'USD-SGD',
      side: 'SELL',
      amount: '5000',
      everyMin: 15,
      fromMin: fromMin + 3,
      toMin,
      jitterPct: 20,
    },
    {
      corridor: 'USD-SGD',
      side: 'BUY',
      amount: '6500',
      everyMin: 15,
      fromMin: fromMin + 10,
      toMin,
      jitterPct: 20,
    },
  ]
}

/** Two RFQ counterparties with IDRX and USDT to fill buy-backs (Phase 2) and trades above the max internal size. */
export function counterparties(down?: Counterparty['down']): Counterparty[] {
  return [
    {
      name: 'MM Jakarta',
      spreadBps: '8',
      idrx: '100000000000',
      usdt: '2000000',
      ...(down === undefined ? {} : { down }),
    },
    {
      name: 'MM Singapore',
      spreadBps: '12',
      idrx: '100000000000',
      usdt: '2000000',
      ...(down === undefined ? {} : { down }),
    },
  ]
}
