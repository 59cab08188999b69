import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { CliIo } from '../cli-io.ts';
import { ExitCode } from '../cli-io.ts';
import { starterJobFile } from '../starter-job-file.ts';

/** `cronplane init [FILE]`: writes a commented starter job file; never overwrites without --force. */
export function runInit(file: string | undefined, options: { force?: boolean }, io: CliIo): number {
  const target = path.resolve(io.cwd, file ?? 'cronplane.yaml');
  if (existsSync(target) && options.force !== true) {
    io.err(`error: ${target} already exists; use --force to overwrite it`);
    return ExitCode.usage;
  }
  writeFileSync(target, starterJobFile);
  io.out(`wrote ${target}; check it with: cronplane validate ${path.relative(io.cwd, target) || target}`);
  return ExitCode.ok;
}
