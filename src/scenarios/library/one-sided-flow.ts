import { counterparties, quietMarket } from '../market.ts'
import type { Flow, Scenario } from '../model.ts'

const DAY = 1_440

const sell = (toMin: number): Flow => ({
  corridor: 'USD-IDR',
  side: 'SELL',
  amount: '12500',
  everyMin: 9,
  fromMin: 0,
  toMin,
  jitterPct: 10,
})

/**
 * SPEC §5, §8: $2,000,000 a day of USD→IDR (partners SELL USDT for IDRX,
 * $12,500 every 9 minutes, ±10 %) for three days in a quiet market. The IDRX
 * Active pool drains; Phase 1 refills it from the Reserve, which holds the
 * bag; Phase 2 buys the bag back from two RFQ counterparties. Fast form: the
 * same rate for six hours ($500,000).
 */
export const scenario: Scenario = {
  name: 'one-sided-flow',
  title: 'One-sided flow: $2M a day USD→IDR for three days',
  description:
    'Partners sell $12,500 of USDT for IDRX every 9 minutes (±10 %) for three days ($2M a day) in a quiet market; two RFQ counterparties stand ready for Phase 2 buy-backs.',
  seed: 2026,
  durationMin: 3 * DAY + 30,
  fastDurationMin: 6 * 60 + 20,
  stress: { fromMin: 0, toMin: 3 * DAY },
  prices: quietMarket(),
  flows: [sell(3 * DAY)],
  counterparties: counterparties(),
  verifyEvery: 30,
  fast: { stress: { fromMin: 0, toMin: 6 * 60 }, flows: [sell(6 * 60)], verifyEvery: 15 },
}
