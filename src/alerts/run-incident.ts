import type { NotifyKey, Severity } from '../config/index.ts';
import type { RunRecord } from '../store/index.ts';

/** The incidents a run's end (or the job watch) can open, each with its notify key and severity. */
export const RunIncident = {
  'run:failed': { notifyKey: 'failure', severity: 'failure' },
  'run:critical': { notifyKey: 'critical', severity: 'critical' },
  'run:warning': { notifyKey: 'warning', severity: 'warning' },
  'job:failing': { notifyKey: 'failure', severity: 'failure' },
  'run:too-fast': { notifyKey: 'warning', severity: 'warning' },
  'run:slow': { notifyKey: 'warning', severity: 'warning' },
  'job:no-success': { notifyKey: 'missed', severity: 'failure' },
} as const satisfies Record<string, { notifyKey: NotifyKey; severity: Severity }>;
export type RunIncident = keyof typeof RunIncident;

/**
 * The key a run is judged by: its fan-out key (`tenant_a`), else its queue item's key (the value
 * of the payload's `queue.key` field, `acme`), else `''` (the job as a whole). A queue job never
 * fans out, so the two never meet in one job.
 */
export function runKeyOf(run: Pick<RunRecord, 'fanKey' | 'rateKey'>): string {
  return run.fanKey !== '' ? run.fanKey : (run.rateKey ?? '');
}

/** `run:failed:eval` or, for one key (fan-out entry or queue key), `run:failed:eval[acme]`. */
export function runIncidentKey(kind: RunIncident, job: string, fanKey = ''): string {
  return fanKey === '' ? `${kind}:${job}` : `${kind}:${job}[${fanKey}]`;
}

/** `eval` or, for one key (fan-out entry or queue key), `eval [acme]`. */
export function subjectOf(run: RunRecord): string {
  return keyedSubject(run.job, runKeyOf(run));
}

/** `eval`, or `eval [acme]` for a key. */
export function keyedSubject(job: string, key: string): string {
  return key === '' ? job : `${job} [${key}]`;
}

/** `drift-review failed: exit code 1 (critical)`, `eval timed out`, `batch was lost`. */
export function titleOf(run: RunRecord, subject: string): string {
  const code = run.exitCode === null ? '' : `exit code ${run.exitCode}`;
  switch (run.status) {
    case 'critical':
      return `${subject} failed: ${code === '' ? 'critical' : `${code} (critical)`}`;
    case 'warning':
      return `${subject} warned: ${code === '' ? 'warning' : `${code} (warning)`}`;
    case 'timed_out':
      // The executor's own words say how long ("timed out after 1s"): said once, in the title.
      return run.error?.startsWith('timed out') === true ? `${subject} ${run.error}` : `${subject} timed out`;
    case 'lost':
      return `${subject} was lost: its node stopped`;
    default:
      return `${subject} failed${code === '' ? (run.httpStatus === null ? '' : `: HTTP ${run.httpStatus}`) : `: ${code}`}`;
  }
}
