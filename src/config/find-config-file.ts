import { existsSync } from 'node:fs';
import path from 'node:path';
import { CronplaneError } from '../errors/index.ts';

/** The names looked for in the working directory when neither a flag nor CRONPLANE_CONFIG names a file. */
export const defaultConfigNames = ['cronplane.yaml', 'cronplane.yml', 'cronplane.json'] as const;

/**
 * Which job file to use: `--config FILE`, else `CRONPLANE_CONFIG`, else `./cronplane.yaml`
 * (or `.yml`, `.json`) in the working directory.
 */
export function findConfigFile(options: {
  readonly flag?: string | undefined;
  readonly env?: Readonly<Record<string, string | undefined>>;
  readonly cwd?: string;
}): string {
  if (options.flag !== undefined && options.flag !== '') return options.flag;
  const fromEnv = (options.env ?? process.env)['CRONPLANE_CONFIG'];
  if (fromEnv !== undefined && fromEnv !== '') return fromEnv;
  const cwd = options.cwd ?? process.cwd();
  for (const name of defaultConfigNames) {
    if (existsSync(path.join(cwd, name))) return name;
  }
  throw new CronplaneError(
    'config.not-found',
    `no job file: give one with --config FILE or CRONPLANE_CONFIG, or create ./cronplane.yaml (cronplane init writes a starter)`,
  );
}
