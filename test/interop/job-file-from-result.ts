/**
 * Test helpers: an ImportResult written by `cronplane import`'s own writer and read back with the
 * loader `cronplane validate` uses (`loadImported`), so every imported job is checked by the real
 * schema; and the few assertions every importer's tests make of a result.
 */
import assert from 'node:assert/strict';
import type { ResolvedConfig, ResolvedJob } from '../../src/config/index.ts';
import { CronplaneError } from '../../src/errors/index.ts';
import type { ImportResult } from '../../src/interop/index.ts';
import { loadImported } from './load-imported.ts';

/** Writes the result's job file and loads it as `cronplane validate` does; throws with every problem. */
export function loadResult(result: ImportResult, env: Readonly<Record<string, string>> = {}): ResolvedConfig {
  return loadImported(result, env).config;
}

/** The one resolved job of a result that holds one job. */
export function loadOnlyJob(result: ImportResult, env: Readonly<Record<string, string>> = {}): ResolvedJob {
  const jobs = loadResult(result, env).jobs;
  if (jobs.length !== 1) throw new Error(`expected one job, got ${jobs.length}`);
  return jobs[0] as ResolvedJob;
}

/** The job-file entry of a result that holds one job. */
export function onlyEntry(result: ImportResult): Readonly<Record<string, unknown>> {
  assert.equal(result.jobs.length, 1);
  return (result.jobs[0] as { entry: Readonly<Record<string, unknown>> }).entry;
}

/** Each warning as `file:line message -> action`. */
export function warningsOf(result: ImportResult): string[] {
  return result.warnings.map(
    (warning) => `${warning.file}:${warning.line} ${warning.message} -> ${warning.action}`,
  );
}

/** The message of the import error `run` throws (code `import.invalid`); fails when it throws none. */
export function importErrorOf(run: () => unknown): string {
  try {
    run();
  } catch (thrown) {
    assert.ok(thrown instanceof CronplaneError, String(thrown));
    assert.equal(thrown.code, 'import.invalid');
    return thrown.message;
  }
  assert.fail('expected an import error');
}
