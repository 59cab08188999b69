import type { MaybeSecret, ResolvedJob } from '../config/index.ts';

/**
 * The environment an exported command gets: the job's `env`, and with `dry_run.env` that variable
 * at the value of a run no trigger chose (`true:` when the job's `dry_run` default is true, else
 * `false:`), which is what every scheduled run of the job gets from cronplane; with `max_per_run`,
 * `CRONPLANE_MAX_PER_RUN` as every run gets it.
 */
export function exportedEnv(job: ResolvedJob): Readonly<Record<string, MaybeSecret>> {
  const dryRun = job.dryRunEnv;
  const env =
    job.maxPerRun === undefined ? job.env : { ...job.env, CRONPLANE_MAX_PER_RUN: String(job.maxPerRun) };
  if (dryRun === undefined) return env;
  return { ...env, [dryRun.name]: job.dryRun ? dryRun.whenTrue : dryRun.whenFalse };
}
