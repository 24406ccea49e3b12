import { backgroundFlows, counterparties, quietMarket } from '../market.ts'
import type { LpAction, Scenario } from '../model.ts'

const DAY = 1_440

/** Who withdraws, in order: six class A requests and four class B, $40,000 each (standard tier, < $50K). */
const ORDER = [
  'LP A1',
  'LP B1',
  'LP A2',
  'LP A1',
  'LP B2',
  'LP A2',
  'LP A1',
  'LP B1',
  'LP A2',
  'LP B2',
] as const

function run(firstMin: number, everyMin: number): LpAction[] {
  return ORDER.map((lp, i) => ({
    atMin: firstMin + i * everyMin,
    kind: 'withdraw',
    lp,
    asset: 'USDT',
    amount: '40000',
  }))
}

/**
 * SPEC §7.5: LPs hold $1,000,000 of USDT capital (two class A LPs with
 * $200,000 each, two class B LPs with $300,000 each, class B split 50/50
 * Reserve/Yield, its overflow beyond the Reserve max to Yield); in one day
 * they withdraw 40 % of it, $400,000, in ten $40,000 requests two hours
 * apart, while two-sided partner flow goes on. Fast form: the same ten
 * requests 20 minutes apart over four hours.
 */
export const scenario: Scenario = {
  name: 'lp-run',
  title: 'LP run: 40 % of the USDT LP capital withdrawn in a day',
  description:
    'Four LPs hold $1M of USDT (class A 2 × $200K, class B 2 × $300K); ten $40K withdrawals two hours apart take $400K (40 %) out in one day; background two-sided flow continues.',
  seed: 777,
  durationMin: DAY + 30,
  fastDurationMin: 4 * 60 + 20,
  stress: { fromMin: 0, toMin: DAY },
  prices: quietMarket(),
  flows: backgroundFlows(1, DAY + 30),
  lps: [
    { name: 'LP A1', lpClass: 'A', initial: { USDT: '200000' } },
    { name: 'LP A2', lpClass: 'A', initial: { USDT: '200000' } },
    { name: 'LP B1', lpClass: 'B', initial: { USDT: '300000' } },
    { name: 'LP B2', lpClass: 'B', initial: { USDT: '300000' } },
  ],
  lpActions: run(60, 120),
  counterparties: counterparties(),
  verifyEvery: 30,
  fast: {
    stress: { fromMin: 0, toMin: 4 * 60 },
    flows: backgroundFlows(1, 4 * 60 + 20),
    lpActions: run(10, 20),
    verifyEvery: 15,
  },
}
