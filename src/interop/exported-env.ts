import type { MaybeSecret, ResolvedJob } from '../config/index.ts';

/**
 * The environment an exported command gets: the job's `env`, and with `dry_run.env` that variable
 * at the value of a run no trigger chose (`true:` when the job's `dry_run` default is true, else
 * `false:`), which is what every scheduled run of the job gets from cronplane.
 */
export function exportedEnv(job: ResolvedJob): Readonly<Record<string, MaybeSecret>> {
  const dryRun = job.dryRunEnv;
  if (dryRun === undefined) return job.env;
  return { ...job.env, [dryRun.name]: job.dryRun ? dryRun.whenTrue : dryRun.whenFalse };
}
