import type { ResolvedJob } from '../../config/index.ts';

/**
 * What a job asks of cronplane that a crontab line cannot say, each named as the warning lists it:
 * guards, retries, time limits, run conditions, exit-code rules, alert routing, watches and queues.
 */
export function wrappedFeatures(job: ResolvedJob): string[] {
  const features: string[] = [];
  if (job.guards.size > 0) features.push(`guards (${[...job.guards.keys()].join(', ')})`);
  if (job.retry.attempts > 1) features.push(`retries (${job.retry.attempts} attempts)`);
  if (job.timeoutMs !== undefined) features.push('timeout');
  if (job.maxRuntimeMs !== undefined) features.push('max_runtime');
  if (job.startDeadlineMs !== undefined) features.push('start_deadline');
  if (job.condition !== undefined) features.push('condition');
  if (job.exitCodes.size > 0) features.push('exit_codes');
  if (Object.keys(job.notify).length > 0) features.push('alert routing (notify)');
  if (Object.keys(job.watch).length > 0) features.push('watch');
  if (job.queue !== undefined) features.push('queue limits');
  if (job.concurrency === 'queue' || job.concurrency === 'replace')
    features.push(`concurrency: ${job.concurrency}`);
  return features;
}
