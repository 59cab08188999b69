import type { ResolvedJob } from '../config/index.ts';
import { planManualRuns } from '../engine/index.ts';
import { CronplaneError } from '../errors/index.ts';
import type { JsonValue, NewRun } from '../store/index.ts';

export interface QueueItemRequest {
  readonly payload: JsonValue;
  /** Who enqueued it (the API token's name). */
  readonly requestedBy: string;
  /** Higher items start first among items released together. */
  readonly priority?: number;
}

/** Longest rate key kept; a longer value is refused rather than cut. */
export const maxRateKeyLength = 200;

/**
 * The run one enqueued item becomes: an API run of the queue job in status `held`, carrying the
 * payload, with the payload's `queue.key` field as its rate key, until the drainer releases it.
 * Its `runAfter` is when it was enqueued; the release makes it due at the release.
 * Refuses a job without `queue:`, a queue job that fans out, and a payload without the key.
 */
export function planQueueItem(job: ResolvedJob, now: number, request: QueueItemRequest): NewRun {
  const queue = job.queue;
  if (queue === undefined) {
    throw new CronplaneError(
      'queue.not-a-queue',
      `job "${job.name}" has no queue: section, so it takes no enqueued items; trigger it instead`,
      { location: { path: 'job' } },
    );
  }
  if (job.fanOut.length > 1) {
    throw new CronplaneError(
      'queue.fan-out',
      `job "${job.name}" fans out (for_each) and has a queue; an item would not know which entry it is for`,
      { location: { path: 'job' } },
    );
  }
  const rateKey = queue.key === undefined ? null : rateKeyOf(request.payload, queue.key);
  const [run] = planManualRuns(job, now, {
    trigger: 'api',
    requestedBy: request.requestedBy,
    payload: request.payload,
  });
  if (run === undefined) throw new CronplaneError('queue.plan', `job "${job.name}" planned no run`);
  return {
    ...run,
    status: 'held',
    runAfter: now,
    rateKey,
    priority: request.priority ?? run.priority ?? 0,
  };
}

function rateKeyOf(payload: JsonValue, key: string): string {
  const path = `payload.${key}`;
  if (payload === null || typeof payload !== 'object' || Array.isArray(payload)) {
    throw new CronplaneError(
      'queue.key',
      `the payload must be a JSON object with a "${key}" field (the queue's key); found ${Array.isArray(payload) ? 'an array' : payload === null ? 'null' : `a ${typeof payload}`}`,
      { location: { path: 'payload' } },
    );
  }
  const value = (payload as { readonly [field: string]: JsonValue })[key];
  if (typeof value === 'number' && Number.isFinite(value)) return String(value);
  if (typeof value === 'string' && value !== '' && value.length <= maxRateKeyLength) return value;
  throw new CronplaneError(
    'queue.key',
    value === undefined
      ? `the payload has no "${key}" field; the queue limits work per ${key}, so every item needs one`
      : `the payload's "${key}" must be a non-empty string (at most ${maxRateKeyLength} characters) or a number; found ${JSON.stringify(value).slice(0, 60)}`,
    { location: { path } },
  );
}
