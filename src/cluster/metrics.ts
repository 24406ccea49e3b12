import { Counter, Gauge, type Registry } from 'prom-client'

/** Cluster health for Prometheus: is this node hearing the others, which workers it runs, how they end. */
export type ClusterMetrics = { readonly workerRuns: Counter<'worker' | 'outcome'> }

export function createClusterMetrics(
  registry: Registry,
  sources: { listening: () => boolean; held: () => readonly string[] },
): ClusterMetrics {
  new Gauge({
    name: 'stablefx_cluster_listen_up',
    help: '1 while this node receives cluster notifications (the 1 s poll covers the gaps)',
    registers: [registry],
    collect() {
      this.set(sources.listening() ? 1 : 0)
    },
  })
  new Gauge({
    name: 'stablefx_worker_leases_held',
    help: 'Background worker leases this node holds',
    registers: [registry],
    collect() {
      this.set(sources.held().length)
    },
  })
  return {
    workerRuns: new Counter({
      name: 'stablefx_worker_runs_total',
      help: 'Background worker runs on this node, by worker and outcome',
      labelNames: ['worker', 'outcome'],
      registers: [registry],
    }),
  }
}
