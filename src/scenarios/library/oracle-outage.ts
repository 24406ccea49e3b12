import { backgroundFlows, counterparties, quietMarket } from '../market.ts'
import type { Scenario } from '../model.ts'

/**
 * SPEC §6.2 oracle health: primary_a goes silent for every pair from minute
 * 30 to 60 (one primary left, the reference as tie-breaker), then both
 * primaries from minute 90 to 105 (only the web2 reference, which is never a
 * source of its own: stale → HALT, no quotes). Two-sided flow keeps asking
 * throughout.
 */
export const scenario: Scenario = {
  name: 'oracle-outage',
  title: 'Oracle outage: one primary, then both',
  description:
    'primary_a sends nothing from minute 30 to 60; primary_a and primary_b send nothing from minute 90 to 105; the reference source keeps pricing. Background two-sided flow asks for quotes all along.',
  seed: 4242,
  durationMin: 180,
  fastDurationMin: 125,
  stress: { fromMin: 30, toMin: 105 },
  prices: quietMarket(),
  outages: [
    { source: 'primary_a', fromMin: 30, toMin: 60 },
    { source: 'primary_a', fromMin: 90, toMin: 105 },
    { source: 'primary_b', fromMin: 90, toMin: 105 },
  ],
  flows: backgroundFlows(1, 180),
  counterparties: counterparties(),
  fast: { flows: backgroundFlows(1, 125) },
}
