import type { ResolvedJob } from '../config/index.ts';
import { defaultAlertOutput } from '../config/index.ts';
import type { HttpTarget } from '../executors/index.ts';

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
  expectBody: 'expectBody',
  alert: 'alert',
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
  const watch = watchRulesLabel(job);
  if (watch !== undefined) found.push(['watch', watch]);
  if (job.queue !== undefined) found.push(['queue', 'queue limits']);
  if (job.concurrency === 'queue' || job.concurrency === 'replace')
    found.push(['concurrency', `concurrency: ${job.concurrency}`]);
  if (Object.keys(job.params).length > 0) found.push(['params', 'parameters']);
  if (job.target.kind === 'http' && (job.target as HttpTarget).expectBody.length > 0)
    found.push(['expectBody', 'response body checks (expect_body)']);
  if (setsAlert(job)) found.push(['alert', 'alert evidence (alert:)']);
  return found.filter(([feature]) => !carried.has(feature)).map(([, label]) => label);
}

const watchKeys = {
  expectSuccessWithinMs: 'expect_success_within',
  consecutiveFailures: 'consecutive_failures',
  minDurationMs: 'min_duration',
  slowerThan: 'slower_than',
  remindEveryMs: 'remind_every',
  recoverAfter: 'recover_after',
  skippedFires: 'skipped_fires',
} as const satisfies Record<keyof ResolvedJob['watch'], string>;

/** `watch rules (min_duration, skipped_fires)`: the job's `watch:` keys as the job file names them; undefined when it sets none. */
export function watchRulesLabel(job: ResolvedJob): string | undefined {
  const keys = (Object.keys(job.watch) as (keyof ResolvedJob['watch'])[]).map((key) => watchKeys[key]);
  return keys.length === 0 ? undefined : `watch rules (${keys.join(', ')})`;
}

/** Whether the job's `alert:` asks for more or less than a failure alert carries by default. */
export function setsAlert(job: ResolvedJob): boolean {
  const alert = job.alert;
  return (
    alert.include.length > 0 ||
    alert.message !== undefined ||
    alert.outputLines !== defaultAlertOutput.lines ||
    alert.outputBytes !== defaultAlertOutput.bytes
  );
}

/**
 * What only the cronplane daemon does for a job, as a platform that runs the command alone (a
 * CronJob, a scheduled task) lists it in its "cannot say" warning; the platform adds its own.
 */
export function daemonOnlyLabels(job: ResolvedJob): string[] {
  const lost: string[] = [];
  if (job.guards.size > 0) lost.push('guards');
  if (job.condition !== undefined) lost.push('condition');
  if (job.exitCodes.size > 0) lost.push('exit_codes');
  if (Object.keys(job.notify).length > 0) lost.push('alert routing (notify)');
  const watch = watchRulesLabel(job);
  if (watch !== undefined) lost.push(watch);
  if (setsAlert(job)) lost.push('alert evidence (alert:)');
  if (job.queue !== undefined) lost.push('queue limits');
  if (job.maxRuntimeMs !== undefined) lost.push('max_runtime');
  if (job.cooldownMs !== undefined) lost.push('cooldown');
  return lost;
}
