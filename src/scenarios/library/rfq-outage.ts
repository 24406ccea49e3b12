import { backgroundFlows, counterparties, quietMarket } from '../market.ts'
import type { Flow, Scenario } from '../model.ts'

/** A heavy USD→IDR push: $20,000 a minute for 40 minutes ($800,000), each trade inside the internal max. */
const push: Flow = {
  corridor: 'USD-IDR',
  side: 'SELL',
  amount: '20000',
  everyMin: 1,
  fromMin: 10,
  toMin: 50,
  jitterPct: 5,
}
/** Trades above the max internal size ($120,000) go to the counterparties (L3 EXTERNAL_RFQ). */
const large: Flow = {
  corridor: 'USD-IDR',
  side: 'SELL',
  amount: '120000',
  everyMin: 10,
  fromMin: 15,
  toMin: 50,
}

const spike = {
  keyframes: [
    { atMin: 20, bps: '0' },
    { atMin: 25, bps: '40' },
  ],
  noiseBps: 1,
}

/**
 * SPEC §6.2, §8, §12.3: an emergency (a USD-IDR spike of 40 bps in 5 minutes
 * on top of a heavy one-sided push that fills the Reserve with the bag)
 * while both RFQ counterparties stop answering (their servers are down,
 * connections refused) from minute 10 to 70. The operator asks for an
 * emergency RFQ at minute 30 and again at minute 80, after they are back;
 * Phase 2 tries its buy-backs every minute.
 */
export const scenario: Scenario = {
  name: 'rfq-outage',
  title: 'RFQ counterparty outage during an emergency',
  description:
    'Both RFQ counterparties stop answering from minute 10 to 70 while partners push $800K of USD→IDR (and $120K trades above the internal max) and USD-IDR spikes 40 bps; the operator calls an emergency RFQ at minute 30 (counterparties down) and at minute 80 (back).',
  seed: 911,
  durationMin: 150,
  fastDurationMin: 100,
  stress: { fromMin: 10, toMin: 70 },
  // IDR moves for both pairs that price it (a USD-IDR move alone would break the MYR-IDR arbitrage check).
  prices: quietMarket({ 'USD-IDR': spike, 'MYR-IDR': spike }),
  flows: [push, large, ...backgroundFlows(1, 150)],
  counterparties: counterparties([{ fromMin: 10, toMin: 70 }]),
  ops: [
    { atMin: 30, kind: 'emergency_rfq', corridor: 'USD-IDR' },
    { atMin: 80, kind: 'emergency_rfq', corridor: 'USD-IDR' },
  ],
  fast: { flows: [push, large, ...backgroundFlows(1, 100)] },
}
