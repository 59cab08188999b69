/** Test helpers: a job file written to a temporary folder and read with the project's own loader. */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { readConfig } from '../../src/config/index.ts';
import type { ResolvedConfig, ResolvedJob } from '../../src/config/index.ts';
import type { ImportResult } from '../../src/interop/index.ts';
import { writeImportedJobFile } from '../../src/interop/index.ts';
import { builtinKinds } from '../../src/kinds/index.ts';

export const exportFolder = mkdtempSync(path.join(tmpdir(), 'cronplane-export-'));
let counter = 0;

/** The jobs of a job file whose `jobs:` block is `jobs` (indented by two spaces in the file). */
export function loadJobs(
  jobs: string,
  top = 'timezone: UTC',
  env: Readonly<Record<string, string>> = {},
): { config: ResolvedConfig; file: string } {
  const file = path.join(exportFolder, `jobs-${++counter}.yaml`);
  writeFileSync(file, `version: 1\n${top}\njobs:\n${jobs}`);
  return { config: readConfig(file, { kinds: builtinKinds, env }), file };
}

/** The one job of a job file with one job named `name` whose settings are `lines`. */
export function loadJob(lines: string, name = 'nightly'): { job: ResolvedJob; file: string } {
  const indented = lines
    .split('\n')
    .map((line) => `    ${line}`)
    .join('\n');
  const { config, file } = loadJobs(`  ${name}:\n${indented}\n`);
  const job = config.jobs[0];
  if (job === undefined) throw new Error('no job');
  return { job, file };
}

/** An import written as a job file and read back, with `env` as the environment (for `${SECRET}`s). */
export function loadImportedWith(result: ImportResult, env: Record<string, string>): ResolvedConfig {
  const file = path.join(exportFolder, `imported-${++counter}.yaml`);
  writeFileSync(file, writeImportedJobFile(result, { title: ['imported in a test'] }));
  return readConfig(file, { kinds: builtinKinds, env });
}
