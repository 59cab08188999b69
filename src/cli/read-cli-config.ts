/**
 * The job file as the CLI's commands read it: found by `--config`, `CRONPLANE_CONFIG` or the
 * working folder, relative paths from the command's folder, the built-in kinds, and `after:`
 * names left to the jobs defined through the API (the daemon checks them once the store is open).
 * `leave` keeps an unset `${VAR}` as written, for the commands that run no job and send nothing.
 */
import { findConfigFile, readConfig } from '../config/index.ts';
import type { ResolvedConfig } from '../config/index.ts';
import { builtinKinds } from '../kinds/index.ts';
import type { CliIo } from './cli-io.ts';

export function readCliConfig(
  flag: string | undefined,
  io: CliIo,
  unsetVariables: 'refuse' | 'leave' = 'refuse',
): ResolvedConfig {
  return readConfig(
    findConfigFile({ flag, env: io.env, cwd: io.cwd }),
    { env: io.env, kinds: builtinKinds, cwd: io.cwd, unsetVariables },
    { jobsBeyond: 'api' },
  );
}
