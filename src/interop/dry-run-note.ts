import type { ResolvedJob } from '../config/index.ts';

/**
 * The warning for a job whose runs are dry by default (`dry_run: true`), for a platform that runs
 * every fire for real: `[message, action]`, undefined when its runs are not dry. A command still
 * runs in a dry cronplane run, told by `CRONPLANE_DRY_RUN=1` (not written) and its `dry_run.env`
 * variable (written, see `exportedEnv`); an HTTP request is not sent at all, and curl sends it.
 */
export function dryRunNote(job: ResolvedJob): readonly [string, string] | undefined {
  if (!job.dryRun) return undefined;
  const message = 'dry_run: the runs of the job are dry unless a trigger says otherwise';
  if (job.target.kind === 'http')
    return [
      message,
      'the request is sent at every fire: curl has no dry run, remove the job or its schedule',
    ];
  const env = job.dryRunEnv;
  return [
    message,
    env === undefined
      ? 'the command runs without CRONPLANE_DRY_RUN=1: it does what a live run does'
      : `the command gets ${env.name}=${env.whenTrue}, not CRONPLANE_DRY_RUN=1`,
  ];
}
