import { backgroundFlows, counterparties, quietMarket } from '../market.ts'
import type { Scenario } from '../model.ts'

/**
 * IDRX loses 3 % against the dollar in ten minutes and stays there: every
 * source prices USD-IDR (and MYR-IDR with it) 300 bps higher between minute
 * 30 and minute 40. SPEC §6.2: 30 bps a minute is far above the 0.30 %
 * volatility HALT; the corridors that trade IDR halt, then must come back
 * once the 5-minute window has forgotten the move. Two-sided partner flow
 * runs throughout; class A and class B LPs hold USDT and IDRX.
 */
const depeg = {
  keyframes: [
    { atMin: 30, bps: '0' },
    { atMin: 40, bps: '300' },
  ],
  noiseBps: 1,
}

export const scenario: Scenario = {
  name: 'idr-depeg',
  title: 'IDR depeg: USD-IDR +3 % in 10 minutes',
  description:
    'From minute 30 to 40 every source moves USD-IDR and MYR-IDR up 3 % (IDRX worth 3 % fewer dollars) and holds the new level; background two-sided flow on USD-IDR and USD-SGD; LPs of both classes in USDT and IDRX.',
  seed: 1703,
  durationMin: 6 * 60,
  fastDurationMin: 75,
  stress: { fromMin: 30, toMin: 40 },
  prices: quietMarket({ 'USD-IDR': depeg, 'MYR-IDR': depeg }),
  flows: backgroundFlows(1, 6 * 60),
  lps: [
    { name: 'LP Alpha (A)', lpClass: 'A', initial: { USDT: '150000', IDRX: '1000000000' } },
    { name: 'LP Beta (B)', lpClass: 'B', initial: { USDT: '100000', IDRX: '800000000' } },
  ],
  counterparties: counterparties(),
  fast: { flows: backgroundFlows(1, 75) },
}
