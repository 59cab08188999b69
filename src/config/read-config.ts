import { loadJobFile } from './load-job-file.ts';
import type { LoadOptions } from './load-job-file.ts';
import { resolveConfig } from './resolve-config.ts';
import type { ResolveOptions } from './resolve-config.ts';
import type { ResolvedConfig } from './resolved-config.ts';

/**
 * Reads, validates and resolves a job file; throws a ConfigError listing every located problem.
 * `resolve.jobsBeyond: 'api'` lets a job run `after:` a job defined through the API (checked
 * later, `checkAfterApiJobs`).
 */
export function readConfig(
  file: string,
  options: LoadOptions,
  resolve: Pick<ResolveOptions, 'jobsBeyond'> = {},
): ResolvedConfig {
  return resolveConfig(loadJobFile(file, options), resolve);
}
