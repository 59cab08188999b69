import assert from 'node:assert/strict';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, it } from 'node:test';
import { createModuleExecutor } from '../../src/executors/index.ts';
import type { ModuleSpec } from '../../src/executors/index.ts';
import { collect, request } from './helpers.ts';
import type * as FixtureModule from './fixtures/module-jobs.ts';

const fixtures = path.join(import.meta.dirname, 'fixtures');
const jobs = path.join(fixtures, 'module-jobs.ts');
// The same module instance the executor imports (one URL, one module).
const fixtureModule = (await import(pathToFileURL(jobs).href)) as typeof FixtureModule;

function target(exportName: string, file = jobs): ModuleSpec {
  return { kind: 'module', path: file, exportName };
}

describe('the module executor', () => {
  it('calls the export with the run context and takes metrics from the returned object', async () => {
    const executor = createModuleExecutor();
    const sink = collect();
    const result = await executor.execute(
      request(target('default'), {
        params: { tenant: 'acme' },
        runId: '5',
        attempt: 2,
        dryRun: true,
        payload: { n: 1 },
      }),
      sink,
    );
    assert.equal(result.outcome, 'success');
    assert.deepEqual(result.metrics, { rows: 3, rate: 0.25 });
    assert.equal(sink.text('stdout'), 'hello acme run 5 attempt 2 dry true payload {"n":1}\n');
    assert.equal(result.outputBytes, Buffer.byteLength(sink.text('stdout')));
  });

  it('keeps the imported module between runs, so its state persists', async () => {
    const executor = createModuleExecutor();
    const first = await executor.execute(request(target('count')), collect());
    const second = await executor.execute(request(target('count')), collect());
    const third = await executor.execute(request({ ...target('count') }), collect());
    assert.equal((second.metrics?.['calls'] ?? 0) - (first.metrics?.['calls'] ?? 0), 1);
    assert.equal((third.metrics?.['calls'] ?? 0) - (first.metrics?.['calls'] ?? 0), 2);
  });

  it('runs plain JavaScript modules too', async () => {
    const result = await createModuleExecutor().execute(
      request(target('run', path.join(fixtures, 'plain-module.js')), { params: { tenant: 'acme' } }),
      collect(),
    );
    assert.deepEqual(result.metrics, { length: 4 });
  });

  it('turns a thrown error into a failure with its message', async () => {
    const result = await createModuleExecutor().execute(request(target('fails')), collect());
    assert.equal(result.outcome, 'failure');
    assert.equal(result.error, 'database unreachable');
  });

  it('fails clearly on a missing export, a non-function export or a module that does not load', async () => {
    const executor = createModuleExecutor();
    const missing = await executor.execute(request(target('nope')), collect());
    assert.equal(missing.outcome, 'failure');
    assert.match(
      missing.error ?? '',
      /module-jobs\.ts has no function export "nope" \(its function exports: .*fails.*\)/,
    );
    const notFunction = await executor.execute(request(target('notAFunction')), collect());
    assert.match(notFunction.error ?? '', /no function export "notAFunction"/);
    const broken = await executor.execute(
      request(target('default', path.join(fixtures, 'broken-module.ts'))),
      collect(),
    );
    assert.match(broken.error ?? '', /cannot load module .*broken-module\.ts: broken at import/);
  });

  it('lets the function choose skip or another outcome, and rejects an unknown one', async () => {
    const executor = createModuleExecutor();
    const skipped = await executor.execute(request(target('skips')), collect());
    assert.equal(skipped.outcome, 'skip');
    assert.equal(skipped.error, 'the queue is empty');
    const bogus = await executor.execute(request(target('bogus')), collect());
    assert.equal(bogus.outcome, 'failure');
    assert.match(bogus.error ?? '', /unknown outcome "meh"/);
  });

  it('aborts the function’s signal on timeout and reports timed_out', async () => {
    const result = await createModuleExecutor().execute(
      request(target('waits'), { timeoutMs: 100 }),
      collect(),
    );
    assert.equal(result.outcome, 'timed_out');
    assert.equal(result.error, 'timed out after 100ms');
    assert.ok(result.durationMs < 1000);
  });

  it('reports cancelled when the run is aborted', async () => {
    const controller = new AbortController();
    setTimeout(() => controller.abort('replaced by a newer run'), 50);
    const result = await createModuleExecutor().execute(
      request(target('waits'), { timeoutMs: undefined }),
      collect(),
      controller.signal,
    );
    assert.equal(result.outcome, 'cancelled');
    assert.equal(result.error, 'replaced by a newer run');
  });

  it('hands the run’s own signal to a function without a time limit, and a signal of its own with one', async () => {
    const executor = createModuleExecutor();
    const run = new AbortController();
    setTimeout(() => run.abort('cancelled by a person'), 20);
    const cancelled = await executor.execute(
      request(target('keepsSignal'), { timeoutMs: undefined }),
      collect(),
      run.signal,
    );
    assert.equal(cancelled.outcome, 'cancelled');
    assert.equal(fixtureModule.keptSignal, run.signal);

    const limited = new AbortController();
    const timedOut = await executor.execute(
      request(target('keepsSignal'), { timeoutMs: 20 }),
      collect(),
      limited.signal,
    );
    assert.equal(timedOut.outcome, 'timed_out');
    assert.notEqual(fixtureModule.keptSignal, limited.signal);
    assert.equal((fixtureModule.keptSignal?.reason as Error).name, 'TimeoutError');
    assert.equal(limited.signal.aborted, false, 'the run’s signal is not aborted by the time limit');
  });

  it('stops waiting for a function that ignores the run’s abort after the grace, without a time limit', async () => {
    const sink = collect();
    const run = new AbortController();
    setTimeout(() => run.abort('replaced by a newer run'), 20);
    const result = await createModuleExecutor().execute(
      request(target('stubborn'), { timeoutMs: undefined, killGraceMs: 50 }),
      sink,
      run.signal,
    );
    assert.equal(result.outcome, 'cancelled');
    assert.equal(result.error, 'replaced by a newer run');
    assert.match(sink.text('system'), /did not settle within 50ms of the abort/);
  });

  it('stops waiting for a function that ignores the abort after the grace', async () => {
    const sink = collect();
    const result = await createModuleExecutor().execute(
      request(target('stubborn'), { timeoutMs: 50, killGraceMs: 100 }),
      sink,
    );
    assert.equal(result.outcome, 'timed_out');
    assert.ok(result.durationMs < 800, `ended after ${result.durationMs}ms`);
    assert.match(sink.text('system'), /did not settle within 100ms of the abort/);
  });

  it("masks the run's secret parameter values in what the function logs", async () => {
    const sink = collect();
    const result = await createModuleExecutor().execute(
      request(target('default'), {
        params: { tenant: 'tenant-secret-42' },
        secretValues: ['tenant-secret-42'],
      }),
      sink,
    );
    assert.equal(result.outcome, 'success');
    assert.match(sink.text('stdout'), /^hello \*\*\* run /);
    assert.doesNotMatch(sink.text('stdout'), /tenant-secret-42/);
  });

  it('caps log lines at the capture limit', async () => {
    const sink = collect();
    const result = await createModuleExecutor().execute(
      request(target('chatty'), { captureLimitBytes: 30 }),
      sink,
    );
    assert.equal(result.truncated, true);
    assert.equal(sink.text('stdout'), 'line 0\nline 1\nline 2\nline 3\n');
    assert.equal(result.outputBytes, 10 * 7 + 90 * 8);
  });
});
