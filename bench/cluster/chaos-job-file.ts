/**
 * The job file every chaos node runs (one file, shared: the nodes start with `--watch`, so an
 * edit reaches them all). Five per-second jobs recorded ahead (`concurrency: allow`), a fan-out
 * every 10 s (so short runs see several), a slow `forbid` job that is often still running when it
 * fires again, and a queue job fed by the harness through the API.
 */
import { renameSync, writeFileSync } from 'node:fs';

export const perSecondJobs = ['ps-a', 'ps-b', 'ps-c', 'ps-d', 'ps-e'] as const;
export const fanOutJob = 'fan-out';
export const forbidJob = 'slow-forbid';
export const queueJob = 'queue-work';
export const fanOutTenants = ['t1', 't2', 't3', 't4'] as const;

/** The file's text; `edition` changes with each edit (a value the jobs receive, nothing else). */
export function chaosJobFile(edition: number): string {
  const perSecond = perSecondJobs
    .map((name) => `  ${name}: { schedule: every 1s, concurrency: allow, run: "true" }`)
    .join('\n');
  return `version: 1
defaults:
  env: { CHAOS_EDITION: "${edition}" }
jobs:
${perSecond}
  ${fanOutJob}:
    schedule: every 10s
    concurrency: allow
    for_each: { tenant: [${fanOutTenants.join(', ')}] }
    run: "true {tenant}"
  ${forbidJob}: { schedule: every 2s, concurrency: forbid, run: "sleep 3" }
  ${queueJob}:
    schedule: every 1s
    queue: { max_per_run: 10 }
    run: "true"
`;
}

/** Writes the file as editors do (a new file renamed over the old), so watchers see one change. */
export function writeChaosJobFile(file: string, edition: number): void {
  writeFileSync(`${file}.tmp`, chaosJobFile(edition));
  renameSync(`${file}.tmp`, file);
}
