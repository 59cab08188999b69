import type { ResolvedJob } from '../config/index.ts';

/**
 * The jobs in force: the job file's, then those defined through the API whose name the file does
 * not have (a name the file has stays the file's job).
 */
export function jobsInForce(
  fileJobs: readonly ResolvedJob[],
  apiJobs: Iterable<{ readonly job: ResolvedJob }>,
): ResolvedJob[] {
  const names = new Set(fileJobs.map((job) => job.name));
  const jobs = [...fileJobs];
  for (const { job } of apiJobs) if (!names.has(job.name)) jobs.push(job);
  return jobs;
}
