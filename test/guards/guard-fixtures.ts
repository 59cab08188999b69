/** What the guard tests share: the seed job files, a run that ends with numbers, and a sink that records. */
import type { Incident, Recovery, IncidentSink } from '../../src/incidents/index.ts';
import type { ResolvedJob } from '../../src/config/index.ts';
import type { RunRecord, RunStatus, Store } from '../../src/store/index.ts';
import type { Clock } from '../../src/clock/index.ts';
import { configOf } from '../support/engine-harness.ts';

export const T0 = Date.UTC(2026, 2, 1, 2, 0, 0);
export const HOUR = 3_600_000;

/** Seed 000 (AI-MKT): per-tenant refusal spike and citation drop, over the last 10 runs, 24 h apart. */
export const seed000 = configOf(
  `version: 1
jobs:
  ai-mkt-eval:
    schedule: '*-*-* 02:00:00'
    for_each: { tenant_id: '\${TENANTS}' }
    run: 'true'
    guards:
      refusal_spike:
        metric: refusal_rate
        rise_by: \${REFUSAL_SPIKE_ABS:-0.05}
        lookback: \${LOOKBACK_RUNS:-10}
        per_key: true
        cooldown: '\${EVENT_COOLDOWN_HOURS:-24}h'
      citation_drop:
        metric: citation_rate
        drop_by: \${CITATION_DROP_ABS:-0.1}
        lookback: \${LOOKBACK_RUNS:-10}
        per_key: true
        cooldown: '\${EVENT_COOLDOWN_HOURS:-24}h'
`,
  { TENANTS: 'tenant_a,tenant_b' },
);

/** Seed 001 (SigmaK): agreement below 75 % is critical; no cool-down given (24 h by default). */
export const seed001 = configOf(`version: 1
jobs:
  sigmak-drift-review:
    schedule: '02:00'
    run: 'true'
    exit_codes: { 0: success, 1: critical }
    guards:
      agreement_rate_low: { metric: agreement_rate, below: 0.75, severity: critical }
`);

/** Shapes the tests compare with beyond the seeds: median baseline, a short lookback, a shared history. */
export const shapes = configOf(`version: 1
jobs:
  median-job:
    schedule: hourly
    run: 'true'
    guards:
      latency: { metric: latency_ms, rise_by: 100, baseline: median, lookback: 3, cooldown: 1h }
  shared:
    schedule: hourly
    for_each: { tenant_id: [a, b] }
    run: 'true'
    guards:
      errors: { metric: errors, rise_by: 5 }
`);

export function jobOf(config: { readonly jobs: readonly ResolvedJob[] }, name: string): ResolvedJob {
  const job = config.jobs.find((candidate) => candidate.name === name);
  if (job === undefined) throw new Error(`no job ${name} in the test config`);
  return job;
}

/** Queues, claims and ends one run at the clock's time with `status`, recording `metrics` as the worker does. */
export async function endRun(
  store: Store,
  clock: Clock,
  job: string,
  metrics: Readonly<Record<string, number>>,
  options: { readonly fanKey?: string; readonly status?: RunStatus } = {},
): Promise<RunRecord> {
  const now = clock.now();
  const { inserted } = await store.insertRuns([
    { job, fanKey: options.fanKey ?? '', trigger: 'api', scheduledAt: now, queuedAt: now },
  ]);
  const id = inserted[0]!.id;
  const [claimed] = await store.claimRuns({ node: 'n1', now, limit: 1, leaseMs: 60_000, runIds: [id] });
  if (claimed === undefined) throw new Error(`run ${id} was not claimed`);
  await store.finishRun(id, 'n1', { status: options.status ?? 'succeeded', finishedAt: now });
  if (Object.keys(metrics).length > 0) await store.recordMetrics(id, metrics, now);
  return claimed;
}

/** Records incidents as events (a real store) and keeps what it was handed, to tell "raised" from "nothing new". */
export class RecordingIncidents implements IncidentSink {
  readonly raised: Incident[] = [];
  readonly resolved: Recovery[] = [];
  readonly #store: Store;
  readonly #clock: Clock;

  constructor(store: Store, clock: Clock) {
    this.#store = store;
    this.#clock = clock;
  }

  async raise(incident: Incident): Promise<void> {
    this.raised.push(incident);
    await this.#store.recordEvent({
      kind: incident.kind,
      dedupKey: incident.dedupKey,
      severity: incident.severity,
      at: this.#clock.now(),
      job: incident.job ?? null,
      runId: incident.runId ?? null,
      details: { ...incident.details },
    });
  }

  async resolve(recovery: Recovery): Promise<void> {
    this.resolved.push(recovery);
    await this.#store.resolveEvent(recovery.dedupKey, this.#clock.now());
  }
}
