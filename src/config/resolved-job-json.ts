import type { ResolvedJob } from './resolved-config.ts';

/**
 * A resolved job as JSON text: what its `configHash` is taken over and what the `jobs` table
 * stores (`spec_json`). Each schedule is its text and syntax, not the calendar model parsed from
 * them (about half of a simple job's JSON, and determined by the two); the job's Maps (exit
 * codes and guards) are written as objects; the hash itself is left out. Built without a
 * replacer function, which would be called for every value of every job: a first sync of
 * 100,000 jobs builds this once per job.
 */
export function resolvedJobJson(job: ResolvedJob | Omit<ResolvedJob, 'configHash'>): string {
  return JSON.stringify({
    ...job,
    configHash: undefined,
    schedules: job.schedules.map((schedule) => ({ text: schedule.text, syntax: schedule.spec.syntax })),
    exitCodes: Object.fromEntries(job.exitCodes),
    guards: Object.fromEntries(job.guards),
  });
}
