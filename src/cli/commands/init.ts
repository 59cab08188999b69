import { existsSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { CliIo } from '../cli-io.ts';
import { ExitCode } from '../cli-io.ts';
import { schemaFileName, starterJobFile } from '../starter-job-file.ts';
import { jobFileSchemaText } from './schema.ts';

/**
 * `cronplane init [FILE]`: writes a commented starter job file (never over one without --force)
 * and the job file's JSON Schema beside it, which the file's first line names for YAML editors
 * (the schema is generated, so it is written anew each time).
 */
export function runInit(file: string | undefined, options: { force?: boolean }, io: CliIo): number {
  const target = path.resolve(io.cwd, file ?? 'cronplane.yaml');
  if (existsSync(target) && options.force !== true) {
    io.err(`error: ${target} already exists; use --force to overwrite it`);
    return ExitCode.usage;
  }
  writeFileSync(target, starterJobFile);
  const schema = path.join(path.dirname(target), schemaFileName);
  writeFileSync(schema, `${jobFileSchemaText()}\n`);
  io.out(`wrote ${target}; check it with: cronplane validate ${path.relative(io.cwd, target) || target}`);
  io.out(`wrote ${schema}: YAML editors complete and check the job file with it`);
  return ExitCode.ok;
}
