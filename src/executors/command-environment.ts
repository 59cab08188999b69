import { readFile } from 'node:fs/promises';
import { Secret, parseEnvFile, reveal } from '../config/index.ts';
import { CronplaneError, coerceError } from '../errors/index.ts';
import { substitutePlaceholders } from '../placeholders/index.ts';
import { holdsNul } from './command-line.ts';
import type { CommandSpec, ExecutionRequest } from './execution-request.ts';
import type { Identity } from './resolve-identity.ts';

/** How much of the daemon's own environment a command starts from. */
export const BaseEnvironment = {
  /** PATH, locale, TZ and TMPDIR from the daemon; HOME, USER, LOGNAME of the identity (cron, systemd). */
  minimal: 'minimal',
  /** Everything the daemon has (as a shell would pass on); the job's settings on top. */
  inherit: 'inherit',
} as const;
export type BaseEnvironment = keyof typeof BaseEnvironment;

/** PATH when the daemon has none: systemd's default for services. */
export const defaultPath = '/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin';

const passedThrough = ['PATH', 'LANG', 'LANGUAGE', 'TZ', 'TMPDIR'];

export interface CommandEnvironment {
  readonly env: Record<string, string>;
  /** Secret values placed in the environment, to mask if the command prints them. */
  readonly secrets: readonly string[];
}

/**
 * The environment a command gets, lowest to highest precedence: the base (minimal or
 * inherited), the job's `env`, its env files read now, then cronplane's own `CRONPLANE_*`
 * variables and the job's `dry_run.env` variable set from the run's dry-run flag. Placeholders are substituted in `env` and env-file values, as data; a value holding a
 * NUL is refused.
 */
export async function buildCommandEnvironment(
  request: ExecutionRequest<CommandSpec>,
  identity: Identity,
  base: BaseEnvironment,
  daemonEnv: NodeJS.ProcessEnv = process.env,
): Promise<CommandEnvironment> {
  const env: Record<string, string> = {};
  switch (base) {
    case 'inherit':
      for (const [key, value] of Object.entries(daemonEnv)) if (value !== undefined) env[key] = value;
      break;
    case 'minimal':
      for (const [key, value] of Object.entries(daemonEnv)) {
        if (value !== undefined && (passedThrough.includes(key) || key.startsWith('LC_'))) env[key] = value;
      }
      break;
  }
  env['PATH'] ??= defaultPath;
  if (base === 'minimal' || identity.switched) {
    env['HOME'] = identity.home;
    env['USER'] = identity.name;
    env['LOGNAME'] = identity.name;
  }
  const secrets: string[] = [];
  const { params } = request;
  for (const [key, value] of Object.entries(request.target.env)) {
    env[key] = substitutePlaceholders(reveal(value), params);
    if (value instanceof Secret) secrets.push(env[key]);
  }
  for (const ref of request.target.envFiles) {
    let text: string;
    try {
      text = await readFile(ref.path, 'utf8');
    } catch (thrown) {
      const error = coerceError(thrown) as NodeJS.ErrnoException;
      if (ref.optional && error.code === 'ENOENT') continue;
      throw new CronplaneError('executor.env-file', `cannot read env file ${ref.path}: ${error.message}`, {
        location: { file: ref.path },
      });
    }
    for (const [key, value] of parseEnvFile(text, ref.path)) env[key] = substitutePlaceholders(value, params);
  }
  env['CRONPLANE_RUN_ID'] = request.runId;
  env['CRONPLANE_JOB'] = request.job;
  env['CRONPLANE_ATTEMPT'] = String(request.attempt);
  env['CRONPLANE_SCHEDULED_AT'] = params['scheduled_at'] ?? '';
  env['CRONPLANE_FAN_KEY'] = params['fan_key'] ?? '';
  // The job's max_per_run, which the run's program reads to bound its batch; absent when unset.
  if (params['max_per_run'] === undefined) delete env['CRONPLANE_MAX_PER_RUN'];
  else env['CRONPLANE_MAX_PER_RUN'] = params['max_per_run'];
  if (request.dryRun) env['CRONPLANE_DRY_RUN'] = '1';
  else delete env['CRONPLANE_DRY_RUN'];
  // The job's own dry-run variable follows the run's flag, over its env files: the record is the truth.
  const dryRunEnv = request.target.dryRunEnv;
  if (dryRunEnv !== undefined)
    env[dryRunEnv.name] = request.dryRun ? dryRunEnv.whenTrue : dryRunEnv.whenFalse;
  // A placeholder value is data in an environment value, but the environment cannot carry a NUL.
  for (const [key, value] of Object.entries(env)) {
    if (value.includes('\0')) throw holdsNul(`the environment variable ${key}`);
  }
  return { env, secrets };
}
