import { chainBack } from './chain-back.ts';
import type { ConfigProblem } from './config-problems.ts';
import { ConfigError } from './config-problems.ts';
import type { ResolvedConfig, ResolvedJob } from './resolved-config.ts';

/**
 * A file job may run `after:` a job defined through the API: the file is read before the store,
 * so such names wait in `config.afterOutsideFile` until the jobs in force are known (the file's
 * and the API's, `jobsInForce`). Throws a ConfigError located at each `after:` entry that names
 * no job in force, or that closes a cycle through the API's jobs
 * (`jobs.report.after[0]: jobs run after each other in a cycle: report -> api-job -> report`).
 */
export function checkAfterApiJobs(config: ResolvedConfig, jobs: readonly ResolvedJob[]): void {
  const outside = config.afterOutsideFile ?? [];
  if (outside.length === 0) return;
  const afterOf = new Map(jobs.map((job) => [job.name, job.after]));
  const problems: ConfigProblem[] = [];
  for (const { job, name, ...at } of outside) {
    if (!afterOf.has(name)) {
      problems.push(at);
      continue;
    }
    const trail = chainBack(name, job, (other) => afterOf.get(other));
    if (trail !== undefined)
      problems.push({
        ...at,
        message: `jobs run after each other in a cycle: ${[job, ...trail, job].join(' -> ')}`,
      });
  }
  if (problems.length > 0) throw new ConfigError(problems);
}
