/**
 * Returning a large job file's pooled heap pages: works in a process started without
 * `--expose-gc` and leaves no `gc` global behind. How much memory it gives back is measured by
 * bench/dispatch/idle.bench.ts, not asserted here.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import path from 'node:path';
import { describe, it } from 'node:test';
import {
  collectBetweenLoadSteps,
  entriesOf,
  largeJobFileEntries,
  returnFreeMemoryAfterLoad,
} from '../../src/daemon/index.ts';
import { repositoryRoot } from '../support/run-cronplane.ts';

function runScript(source: string): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      ['--input-type=module', '-e', source],
      { cwd: repositoryRoot },
      (error, stdout, stderr) => {
        resolve({ code: error === null ? 0 : (error.code as number | null), stdout, stderr });
      },
    );
  });
}

describe('returning free memory after a large job file', () => {
  it('collects in a process without --expose-gc, and exposes gc to no context', async () => {
    const module = path.join(repositoryRoot, 'src/daemon/return-free-memory.ts');
    const result = await runScript(`
      import vm from 'node:vm';
      import { collectBetweenLoadSteps, returnFreeMemory } from ${JSON.stringify(module)};
      const before = typeof globalThis.gc;
      let garbage = Array.from({ length: 200000 }, (_, i) => ({ i, text: 'x'.repeat(20) + i }));
      garbage = undefined;
      returnFreeMemory();
      collectBetweenLoadSteps(100000);
      returnFreeMemory();
      console.log(JSON.stringify({
        before,
        after: typeof globalThis.gc,
        newContext: vm.runInNewContext('typeof gc'),
      }));
    `);
    assert.equal(result.code, 0, result.stderr);
    assert.deepEqual(JSON.parse(result.stdout), {
      before: 'undefined',
      after: 'undefined',
      newContext: 'undefined',
    });
  });

  it('runs only after files of at least largeJobFileEntries jobs and monitors', () => {
    assert.equal(returnFreeMemoryAfterLoad(12), false);
    assert.equal(returnFreeMemoryAfterLoad(largeJobFileEntries - 1), false);
    assert.equal(returnFreeMemoryAfterLoad(largeJobFileEntries), true);
  });

  it('collects between the steps of loading only files of at least largeJobFileEntries jobs and monitors', () => {
    assert.equal(collectBetweenLoadSteps(12), false);
    assert.equal(collectBetweenLoadSteps(largeJobFileEntries - 1), false);
    assert.equal(collectBetweenLoadSteps(largeJobFileEntries), true);
  });

  it('counts the jobs and monitors of a file as read', () => {
    assert.equal(entriesOf({ jobFile: { version: 1 } }), 0);
    assert.equal(
      entriesOf({
        jobFile: {
          version: 1,
          jobs: { a: { run: 'true' }, b: { run: 'true' } },
          monitors: { m: { schedule: '0 * * * *' } },
        },
      } as unknown as Parameters<typeof entriesOf>[0]),
      3,
    );
  });
});
