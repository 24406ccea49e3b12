import { backgroundFlows, counterparties, quietMarket } from '../market.ts'
import type { Scenario } from '../model.ts'

/**
 * SPEC §7.2: the yield venue loses 5 % of class B's USDT capital at minute
 * 60. The loss is booked through the operator's yield event route (`POST
 * /admin/v1/yield/events`, a negative amount on kUSD-full): the issue 12
 * Earn venue is in the code, but driving its simulator into a loss is not
 * part of this engine yet. Class B's index falls by 5 %; class A's must not
 * move down; withdrawals after the loss are paid at the new index.
 */
export const scenario: Scenario = {
  name: 'yield-venue-loss',
  title: 'Yield venue loss: 5 % of class B capital',
  description:
    'Class A and class B LPs hold USDT; at minute 60 the venue loses 5 % of class B capital (booked with the admin yield event route); both classes withdraw afterwards; background two-sided flow.',
  seed: 55,
  durationMin: 180,
  fastDurationMin: 60,
  stress: { fromMin: 60, toMin: 61 },
  prices: quietMarket(),
  flows: backgroundFlows(1, 180),
  lps: [
    { name: 'LP Classic (A)', lpClass: 'A', initial: { USDT: '250000' } },
    { name: 'LP Yield (B)', lpClass: 'B', initial: { USDT: '400000' } },
  ],
  lpActions: [
    { atMin: 90, kind: 'withdraw', lp: 'LP Yield (B)', asset: 'USDT', amount: '30000' },
    { atMin: 95, kind: 'withdraw', lp: 'LP Classic (A)', asset: 'USDT', amount: '30000' },
  ],
  ops: [
    {
      atMin: 60,
      kind: 'yield_loss_pct',
      asset: 'USDT',
      pct: '5',
      reason: 'scenario: venue loss of 5 % of class B capital',
    },
  ],
  counterparties: counterparties(),
  fast: {
    stress: { fromMin: 20, toMin: 21 },
    flows: backgroundFlows(1, 60),
    ops: [
      {
        atMin: 20,
        kind: 'yield_loss_pct',
        asset: 'USDT',
        pct: '5',
        reason: 'scenario: venue loss of 5 % of class B capital',
      },
    ],
    lpActions: [
      { atMin: 30, kind: 'withdraw', lp: 'LP Yield (B)', asset: 'USDT', amount: '30000' },
      { atMin: 35, kind: 'withdraw', lp: 'LP Classic (A)', asset: 'USDT', amount: '30000' },
    ],
  },
}
