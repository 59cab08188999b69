/**
 * A queue job's state (LocalControl's `getQueue` and `listQueues`): its items counted per key by
 * the store, the oldest waiting one, and the stuck ones. "Stuck" is a reading of the active runs
 * against the job's own limits, not a stored status:
 * - released (pending) and not claimed within the job's `start_deadline`, else 15 minutes;
 * - running with a lease that expired (its node stopped renewing it);
 * - running longer than the job's `max_runtime`, else its `timeout`.
 */
import { formatDuration } from '../calendar/index.ts';
import type { ResolvedJob } from '../config/index.ts';
import type { RunRecord, Store } from '../store/index.ts';
import { ControlError } from './control-error.ts';
import { iso, runView } from './views/run-view.ts';
import type { QueueSummaryView, QueueView, StuckItemView } from './views/queue-view.ts';

/** How long a released item may wait for a node when its job has no `start_deadline`. */
export const releasedStuckAfterMs = 15 * 60_000;
/** The next items shown, and the stuck items listed. */
const nextShown = 50;
const stuckListed = 100;
const stuckCounted = 1000;

export interface StuckLimits {
  readonly releasedMs: number;
  readonly runningMs: number | null;
}

export function stuckLimitsOf(job: ResolvedJob): StuckLimits {
  return {
    releasedMs: job.startDeadlineMs ?? releasedStuckAfterMs,
    runningMs: job.maxRuntimeMs ?? job.timeoutMs ?? null,
  };
}

function roughly(ms: number): string {
  return formatDuration(Math.max(0, Math.floor(ms / 1000) * 1000));
}

/** Why an active run of the job is stuck at `now`, or undefined when it is not. */
export function stuckItemOf(run: RunRecord, limits: StuckLimits, now: number): StuckItemView | undefined {
  const view = runView(run);
  if (run.status === 'pending' && now - run.runAfter > limits.releasedMs) {
    return {
      run: view,
      reason: 'unclaimed',
      detail: `released ${roughly(now - run.runAfter)} ago and not started (limit ${roughly(limits.releasedMs)})`,
    };
  }
  if (run.status !== 'running') return undefined;
  if (run.leaseExpiresAt !== null && run.leaseExpiresAt < now) {
    return {
      run: view,
      reason: 'lease-expired',
      detail: `its lease on node ${run.node ?? '?'} expired ${roughly(now - run.leaseExpiresAt)} ago`,
    };
  }
  const started = run.startedAt ?? run.runAfter;
  if (limits.runningMs !== null && now - started > limits.runningMs) {
    return {
      run: view,
      reason: 'over-runtime',
      detail: `running for ${roughly(now - started)} (limit ${roughly(limits.runningMs)})`,
    };
  }
  return undefined;
}

async function stuckItems(
  store: Store,
  job: ResolvedJob,
  now: number,
  limit: number,
): Promise<StuckItemView[]> {
  const limits = stuckLimitsOf(job);
  const overdue = await store.listOverdueRuns({
    job: job.name,
    pendingDueBefore: now - limits.releasedMs,
    leaseExpiredBefore: now,
    ...(limits.runningMs === null ? {} : { runningStartedBefore: now - limits.runningMs }),
    limit,
  });
  return overdue.flatMap((run) => stuckItemOf(run, limits, now) ?? []);
}

async function summaryOf(
  store: Store,
  job: ResolvedJob,
  now: number,
  next: readonly RunRecord[],
  stuckCount: number,
): Promise<QueueSummaryView> {
  const [counts, record] = await Promise.all([store.countActiveRunsByKey(job.name), store.getJob(job.name)]);
  const keys = counts.map((count) => ({
    key: count.rateKey,
    waiting: count.held,
    released: count.pending,
    running: count.running,
  }));
  const total = (field: 'waiting' | 'released' | 'running') => keys.reduce((sum, key) => sum + key[field], 0);
  const oldest = next[0];
  return {
    job: job.name,
    paused: record?.paused ?? false,
    limits: {
      key: job.queue?.key ?? null,
      perKey: job.queue?.perKey ?? null,
      maxPerRun: job.queue?.maxPerRun ?? null,
    },
    waiting: total('waiting'),
    released: total('released'),
    running: total('running'),
    keys,
    oldestWaitingAt: oldest === undefined ? null : iso(oldest.queuedAt),
    oldestWaitingAgeMs: oldest === undefined ? null : Math.max(0, now - oldest.queuedAt),
    stuckCount,
    stuckAfter: stuckLimitsOf(job),
  };
}

/** A queue job's summary: counts per key, the oldest waiting item, how many are stuck. */
export async function readQueueSummary(
  store: Store,
  job: ResolvedJob,
  now: number,
): Promise<QueueSummaryView> {
  const [oldest, stuck] = await Promise.all([
    store.listHeldRuns({ job: job.name, limit: 1 }),
    stuckItems(store, job, now, stuckCounted),
  ]);
  return summaryOf(store, job, now, oldest, stuck.length);
}

/** The summaries of the queue jobs among `jobs`, by name. */
export async function readQueueSummaries(
  store: Store,
  jobs: readonly ResolvedJob[],
  now: number,
): Promise<QueueSummaryView[]> {
  const queues = jobs.filter((job) => job.queue !== undefined).sort((a, b) => (a.name < b.name ? -1 : 1));
  return Promise.all(queues.map((job) => readQueueSummary(store, job, now)));
}

/** A queue job with its next items to drain and its stuck items; a conflict for a job without a queue. */
export async function readQueue(store: Store, job: ResolvedJob, now: number): Promise<QueueView> {
  if (job.queue === undefined) {
    throw new ControlError('conflict', 'queue.not-a-queue', `job "${job.name}" has no queue: section`, {
      path: 'path.job',
    });
  }
  const [next, stuck] = await Promise.all([
    store.listHeldRuns({ job: job.name, limit: nextShown }),
    stuckItems(store, job, now, stuckCounted),
  ]);
  return {
    ...(await summaryOf(store, job, now, next, stuck.length)),
    next: next.map((run) => ({ ...runView(run), priority: run.priority })),
    stuck: stuck.slice(0, stuckListed),
  };
}
