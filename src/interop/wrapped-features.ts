import type { ResolvedJob } from '../config/index.ts';

/** What a job asks of the daemon that an exported command can only get through `cronplane exec --monitor`. */
export const WrappedFeature = {
  guards: 'guards',
  retries: 'retries',
  timeout: 'timeout',
  maxRuntime: 'maxRuntime',
  startDeadline: 'startDeadline',
  condition: 'condition',
  exitCodes: 'exitCodes',
  notify: 'notify',
  watch: 'watch',
  queue: 'queue',
  concurrency: 'concurrency',
  params: 'params',
} as const;
export type WrappedFeature = keyof typeof WrappedFeature;

/**
 * The one place that decides whether an exporter wraps a job's command in `cronplane exec
 * --monitor JOB` (wrapped when the list is not empty), and names what the wrap is for. `carried`
 * are the features the platform says itself (systemd has retries, time limits, conditions and
 * exit codes); the rest are listed as the warning names them. A wrapped job needs the monitor
 * `monitorsFile` declares.
 */
export function wrappedFeatures(
  job: ResolvedJob,
  carried: ReadonlySet<WrappedFeature> = new Set(),
): string[] {
  const found: [WrappedFeature, string][] = [];
  if (job.guards.size > 0) found.push(['guards', `metric guards (${[...job.guards.keys()].join(', ')})`]);
  if (job.retry.attempts > 1) found.push(['retries', `retries (${job.retry.attempts} attempts)`]);
  if (job.timeoutMs !== undefined) found.push(['timeout', 'timeout']);
  if (job.maxRuntimeMs !== undefined) found.push(['maxRuntime', 'max_runtime']);
  if (job.startDeadlineMs !== undefined) found.push(['startDeadline', 'start_deadline']);
  if (job.condition !== undefined) found.push(['condition', 'condition']);
  if (job.exitCodes.size > 0) found.push(['exitCodes', 'exit_codes']);
  if (Object.values(job.notify).some((channels) => channels.length > 0))
    found.push(['notify', 'alert routing (notify)']);
  if (Object.keys(job.watch).length > 0) found.push(['watch', 'watch rules']);
  if (job.queue !== undefined) found.push(['queue', 'queue limits']);
  if (job.concurrency === 'queue' || job.concurrency === 'replace')
    found.push(['concurrency', `concurrency: ${job.concurrency}`]);
  if (Object.keys(job.params).length > 0) found.push(['params', 'parameters']);
  return found.filter(([feature]) => !carried.has(feature)).map(([, label]) => label);
}
