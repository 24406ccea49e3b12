import { Counter, collectDefaultMetrics, Histogram, Registry } from 'prom-client'
import { droppedLogLines } from './log-destination.ts'

/** Prometheus metrics, one registry per app so tests can build several apps in one process. */
export type Metrics = {
  readonly registry: Registry
  readonly httpRequests: Counter<'method' | 'route' | 'status'>
  readonly httpDuration: Histogram<'method' | 'route'>
}

export function createMetrics(options: { processMetrics: boolean }): Metrics {
  const registry = new Registry()
  if (options.processMetrics) collectDefaultMetrics({ register: registry, prefix: 'stablefx_' })
  // Log lines are dropped by the process's log destination, not by an app: the counter reads the
  // process-wide count when scraped (src/http/log-destination.ts), so every registry reports the same.
  new Counter({
    name: 'stablefx_log_lines_dropped_total',
    help: 'Log lines dropped because stdout was not being read fast enough, or its reader was gone',
    registers: [registry],
    collect() {
      this.reset()
      this.inc(droppedLogLines())
    },
  })
  return {
    registry,
    httpRequests: new Counter({
      name: 'stablefx_http_requests_total',
      help: 'HTTP requests by route and status',
      labelNames: ['method', 'route', 'status'],
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: 'stablefx_http_request_duration_seconds',
      help: 'HTTP request duration',
      labelNames: ['method', 'route'],
      buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
      registers: [registry],
    }),
  }
}
