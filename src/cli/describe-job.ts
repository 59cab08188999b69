import type { ResolvedJob } from '../config/index.ts';
import { compileJobCalendar, nextFires } from '../config/index.ts';
import { formatDuration } from '../calendar/index.ts';
import type { ExecutorKindDefinition } from '../executors/index.ts';
import { executorKindOrThrow, executorKinds } from '../executors/index.ts';

/** One line about a job for `validate`: name, when, what, fan-out and limits. Never shows secrets. */
export function describeJob(
  job: ResolvedJob,
  now: number,
  kinds: readonly ExecutorKindDefinition[] = executorKinds,
): string {
  const parts = [job.name];
  if (!job.enabled) parts.push('disabled');
  if (job.schedules.length > 0) {
    parts.push(
      job.schedules
        .map((schedule) => `${JSON.stringify(schedule.text)} (${schedule.spec.syntax})`)
        .join(' + '),
    );
    const [next] = nextFires(compileJobCalendar(job.schedules, job.timezone), now, 1);
    parts.push(next === undefined ? 'never fires' : `next ${new Date(next).toISOString()}`);
  } else if (job.after.length > 0) {
    parts.push(`after ${job.after.join(', ')}`);
  } else {
    parts.push('on demand');
  }
  parts.push(executorKindOrThrow(job.target, kinds).describe(job.target));
  if (job.fanOut.length > 1) parts.push(`fan-out ${job.fanOut.length}`);
  if (job.timezone !== 'UTC') parts.push(`tz ${job.timezone}`);
  if (job.timeoutMs !== undefined) parts.push(`timeout ${formatDuration(job.timeoutMs)}`);
  if (job.retry.attempts > 1) parts.push(`${job.retry.attempts} attempts`);
  parts.push(job.concurrency);
  return parts.join('  ');
}
