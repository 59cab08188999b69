import { loadJobFile } from './load-job-file.ts';
import type { LoadOptions } from './load-job-file.ts';
import { resolveConfig } from './resolve-config.ts';
import type { ResolvedConfig } from './resolved-config.ts';

/** Reads, validates and resolves a job file; throws a ConfigError listing every located problem. */
export function readConfig(file: string, options: LoadOptions): ResolvedConfig {
  return resolveConfig(loadJobFile(file, options));
}
