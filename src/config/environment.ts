/** SPEC §1: sandbox (simulated chain, test funds) and live never share state. */
export const ENVIRONMENTS = ['sandbox', 'live'] as const
export type Environment = (typeof ENVIRONMENTS)[number]
