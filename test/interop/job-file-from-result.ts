/**
 * Test helper: an ImportResult written as a job file with the `yaml` package and read back with
 * the loader `cronplane validate` uses, so every imported job is checked by the real schema.
 * (The commented writer of `cronplane import` is another file's work; this is the bare minimum.)
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { stringify } from 'yaml';
import { readConfig } from '../../src/config/index.ts';
import type { ResolvedConfig, ResolvedJob } from '../../src/config/index.ts';
import type { ImportResult } from '../../src/interop/index.ts';
import { builtinKinds } from '../../src/kinds/index.ts';

let folder: string | undefined;
let counter = 0;

/** The result as job-file text: `version: 1`, its channels, and its jobs by name. */
export function jobFileFromResult(result: ImportResult): string {
  const file: Record<string, unknown> = { version: 1 };
  if (Object.keys(result.channels).length > 0) file['channels'] = result.channels;
  file['jobs'] = Object.fromEntries(result.jobs.map((job) => [job.name, job.entry]));
  return stringify(file);
}

/** Writes the result's job file and loads it as `cronplane validate` does; throws a ConfigError. */
export function loadResult(result: ImportResult, env: Readonly<Record<string, string>> = {}): ResolvedConfig {
  folder ??= mkdtempSync(path.join(tmpdir(), 'cronplane-import-'));
  const file = path.join(folder, `imported-${++counter}.yaml`);
  writeFileSync(file, jobFileFromResult(result));
  return readConfig(file, { kinds: builtinKinds, env });
}

/** The one resolved job of a result that holds one job. */
export function loadOnlyJob(result: ImportResult, env: Readonly<Record<string, string>> = {}): ResolvedJob {
  const jobs = loadResult(result, env).jobs;
  if (jobs.length !== 1) throw new Error(`expected one job, got ${jobs.length}`);
  return jobs[0] as ResolvedJob;
}
