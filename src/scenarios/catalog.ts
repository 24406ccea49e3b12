/** Every shipped scenario (issue 16), by its kebab-case name, in the order `scenario list` prints them. */
import { scenario as idrDepeg } from './library/idr-depeg.ts'
import { scenario as lpRun } from './library/lp-run.ts'
import { scenario as oneSidedFlow } from './library/one-sided-flow.ts'
import { scenario as oracleOutage } from './library/oracle-outage.ts'
import { scenario as rfqOutage } from './library/rfq-outage.ts'
import { scenario as yieldVenueLoss } from './library/yield-venue-loss.ts'
import type { Scenario } from './model.ts'

export const SCENARIOS: readonly Scenario[] = [
  idrDepeg,
  oracleOutage,
  lpRun,
  oneSidedFlow,
  yieldVenueLoss,
  rfqOutage,
]

export function scenarioNamed(name: string): Scenario | undefined {
  return SCENARIOS.find((s) => s.name === name)
}
