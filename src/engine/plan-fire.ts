import { createHash } from 'node:crypto';
import type { ResolvedJob } from '../config/index.ts';
import { paramDefaults } from '../config/index.ts';
import type { NewRun, RunTrigger } from '../store/index.ts';
import { makeFireKey } from '../store/index.ts';
import { splitSecretParams } from './split-secret-params.ts';

/** Why a fire is recorded skipped under `concurrency: forbid` (the watchers count these in a row). */
export const forbidSkipReason = 'concurrency forbid: the previous run is still active';

/**
 * The runs one fire of a job creates: one per fan-out entry, all due at the scheduled time
 * plus the job's randomized delay. The delay is drawn from a hash of (job, scheduled time), so
 * every node that plans the same fire plans the same start, and the fire key makes the second
 * insert a no-op.
 */
export function planFire(
  job: ResolvedJob,
  scheduledAt: number,
  options: {
    readonly now: number;
    readonly trigger: RunTrigger;
    readonly status?: 'pending' | 'skipped';
    readonly reason?: string;
    /** The parameters' values, checked (`checkTriggerParams`); their defaults when absent. */
    readonly params?: Readonly<Record<string, string>>;
  },
): NewRun[] {
  const runAfter = scheduledAt + randomizedDelay(job, scheduledAt);
  const params = options.params ?? paramDefaults(job.params);
  return job.fanOut.map((values): NewRun => {
    const fanKey = fanKeyOf(values);
    const split = splitSecretParams(job, { ...params, ...values });
    return {
      job: job.name,
      fanKey,
      params: split.params,
      ...(split.secretParams === undefined ? {} : { secretParams: split.secretParams }),
      trigger: options.trigger,
      scheduledAt,
      runAfter,
      priority: job.priority,
      queuedAt: options.now,
      attempt: 1,
      dryRun: job.dryRun,
      fireKey: makeFireKey(job.name, fanKey, scheduledAt, 1),
      // A run of a job with a cooldown is what the next run's cooldown is measured from.
      ...(job.cooldownMs === undefined || job.cooldownMs <= 0 ? {} : { cooldownMs: job.cooldownMs }),
      ...(options.status === undefined ? {} : { status: options.status }),
      ...(options.reason === undefined ? {} : { reason: options.reason }),
    };
  });
}

/** The fan-out key of a run: the value for one placeholder, `k=v,k2=v2` for several, '' for none. */
export function fanKeyOf(values: Readonly<Record<string, string>>): string {
  const keys = Object.keys(values);
  if (keys.length === 0) return '';
  if (keys.length === 1) return values[keys[0] as string] as string;
  return keys.map((key) => `${key}=${values[key]}`).join(',');
}

export function randomizedDelay(job: ResolvedJob, scheduledAt: number): number {
  if (job.randomizedDelayMs <= 0) return 0;
  const digest = createHash('sha1').update(`${job.name}|${scheduledAt}`).digest();
  return Math.floor((digest.readUInt32BE(0) / 0x1_0000_0000) * job.randomizedDelayMs);
}
