import { loadJobFile } from './load-job-file.ts';
import type { LoadedJobFile, LoadOptions } from './load-job-file.ts';
import { resolveConfig } from './resolve-config.ts';
import type { ResolveOptions } from './resolve-config.ts';
import type { ResolvedConfig } from './resolved-config.ts';

export interface ReadConfigOptions extends Pick<ResolveOptions, 'jobsBeyond'> {
  /** Called once the file is read and validated, before it is resolved (the daemon collects the reading's garbage there). */
  readonly afterRead?: (loaded: LoadedJobFile) => void;
}

/**
 * Reads, validates and resolves a job file; throws a ConfigError listing every located problem.
 * `resolve.jobsBeyond: 'api'` lets a job run `after:` a job defined through the API (checked
 * later, `checkAfterApiJobs`).
 */
export function readConfig(
  file: string,
  options: LoadOptions,
  resolve: ReadConfigOptions = {},
): ResolvedConfig {
  const loaded = loadJobFile(file, options);
  resolve.afterRead?.(loaded);
  return resolveConfig(loaded, resolve);
}
