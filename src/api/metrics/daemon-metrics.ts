import { EventSeverity } from '../../store/index.ts';
import type { ApiContext } from '../api-context.ts';
import { pingStore } from '../health/ping-store.ts';
import type { StoreInstruments } from './instrument-store.ts';
import { MetricsRegistry } from './metrics-registry.ts';
import type { Sample } from './metrics-registry.ts';

/** Buckets for run durations, in seconds: a second to a day. */
const durationBuckets = [0.1, 0.5, 1, 5, 10, 30, 60, 300, 600, 1800, 3600, 7200, 21600, 86400];
/** Buckets for fire lag and store latency, in seconds: half a millisecond to five seconds. */
const latencyBuckets = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.1, 0.5, 1, 5];

export interface DaemonMetrics {
  readonly registry: MetricsRegistry;
  readonly instruments: StoreInstruments;
}

/** The counters and histograms the store instruments feed; gauges are added once the engine runs. */
export function createDaemonMetrics(): DaemonMetrics {
  const registry = new MetricsRegistry();
  const instruments: StoreInstruments = {
    runsStarted: registry.counter(
      'cronplane_runs_started_total',
      'Runs this node claimed and started, by job.',
      ['job'],
    ),
    runsFinished: registry.counter(
      'cronplane_runs_finished_total',
      'Runs this node recorded the end of, by job and status (lost: found by this node with an expired lease).',
      ['job', 'status'],
    ),
    runDurationSeconds: registry.histogram(
      'cronplane_run_duration_seconds',
      'How long runs this node ran took, by job.',
      durationBuckets,
      ['job'],
    ),
    fireLagSeconds: registry.histogram(
      'cronplane_fire_lag_seconds',
      'Seconds from a run being due (its earliest start) to this node claiming it.',
      latencyBuckets,
    ),
    operationSeconds: registry.histogram(
      'cronplane_store_operation_seconds',
      'Latency of store operations made by this node, by operation.',
      latencyBuckets,
      ['operation'],
    ),
  };
  return { registry, instruments };
}

/** The values read at each scrape: queue depth, active runs, the scheduler, the store. */
export function addScrapeGauges(registry: MetricsRegistry, context: ApiContext): void {
  const { store, engine } = context;
  registry.gauge(
    'cronplane_runs_active',
    'Held (queue items waiting), pending and running runs in the store, by job and status.',
    ['job', 'status'],
    async () => {
      const samples = (await store.countActiveRuns()).flatMap((count): Sample[] => [
        { labels: { job: count.job, status: 'pending' }, value: count.pending },
        { labels: { job: count.job, status: 'running' }, value: count.running },
      ]);
      // Only queue jobs have held runs.
      for (const job of context.jobs()) {
        if (job.queue === undefined) continue;
        const counts = await store.countActiveRunsByKey(job.name);
        const held = counts.reduce((total, count) => total + count.held, 0);
        if (held > 0) samples.push({ labels: { job: job.name, status: 'held' }, value: held });
      }
      return samples;
    },
  );
  registry.gauge(
    'cronplane_queue_items',
    'Items of queue jobs by state: waiting (not released yet), released (due, not claimed), running.',
    ['job', 'state'],
    async () => {
      const samples: Sample[] = [];
      for (const job of context.jobs()) {
        if (job.queue === undefined) continue;
        const counts = await store.countActiveRunsByKey(job.name);
        const sum = (field: 'held' | 'pending' | 'running') =>
          counts.reduce((total, count) => total + count[field], 0);
        samples.push(
          { labels: { job: job.name, state: 'waiting' }, value: sum('held') },
          { labels: { job: job.name, state: 'released' }, value: sum('pending') },
          { labels: { job: job.name, state: 'running' }, value: sum('running') },
        );
      }
      return samples;
    },
  );
  registry.gauge(
    'cronplane_events_open',
    'Unresolved events in the store (all nodes), by severity.',
    ['severity'],
    async () => {
      const counts = await store.countOpenEvents();
      return Object.keys(EventSeverity).map((severity) => ({
        labels: { severity },
        value: counts[severity as EventSeverity] ?? 0,
      }));
    },
  );
  registry.gauge('cronplane_worker_running', 'Runs this node is executing now.', [], () => [
    { labels: {}, value: engine.worker.activeCount },
  ]);
  registry.gauge('cronplane_scheduler_leader', '1 when this node holds the scheduler lease.', [], () => [
    { labels: {}, value: engine.scheduler.isLeader ? 1 : 0 },
  ]);
  registry.gauge(
    'cronplane_scheduler_last_tick_timestamp_seconds',
    'When the scheduler last ran its loop.',
    [],
    () => [{ labels: {}, value: engine.scheduler.lastTickAt / 1000 }],
  );
  registry.gauge('cronplane_jobs', 'Jobs in the job file in force.', [], () => [
    { labels: {}, value: context.jobs().length },
  ]);
  registry.gauge('cronplane_store_up', "1 when the store answered the scrape's ping.", [], async () => {
    const ping = await pingStore(store);
    return [{ labels: {}, value: ping.ok ? 1 : 0 }];
  });
  registry.gauge('process_start_time_seconds', 'Start time of the process since the epoch.', [], () => [
    { labels: {}, value: Math.floor(context.startedAt / 1000) },
  ]);
  registry.gauge('process_resident_memory_bytes', 'Resident memory of the process.', [], () => [
    { labels: {}, value: process.memoryUsage.rss() },
  ]);
  registry.gauge('cronplane_build_info', 'The running version.', ['version', 'node'], () => [
    { labels: { version: context.version, node: context.node }, value: 1 },
  ]);
}
