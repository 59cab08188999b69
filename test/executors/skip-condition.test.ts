import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createCommandExecutor } from '../../src/executors/index.ts';
import type { SkipCondition } from '../../src/executors/index.ts';
import { collect, commandSpec, request } from './helpers.ts';

const executor = createCommandExecutor();

function condition(line: string, timeoutMs?: number): SkipCondition {
  return { argv: [line], shell: true, timeoutMs };
}

describe('the skip condition (systemd ExecCondition=)', () => {
  it('runs the job when the condition exits 0', async () => {
    const sink = collect();
    const result = await executor.execute(
      request(commandSpec({ argv: ['echo', 'job ran'], condition: condition('exit 0') })),
      sink,
    );
    assert.equal(result.outcome, 'success');
    assert.equal(sink.text('stdout'), 'job ran\n');
    assert.match(sink.text('system'), /skip condition exited 0: running the job/);
  });

  it('skips the job, with the reason, when the condition exits 1-254', async () => {
    const sink = collect();
    const result = await executor.execute(
      request(
        commandSpec({ argv: ['echo', 'job ran'], condition: condition('echo "no new files"; exit 1') }),
      ),
      sink,
    );
    assert.equal(result.outcome, 'skip');
    assert.equal(result.error, 'skip condition exited 1: no new files');
    assert.equal(sink.text('stdout'), 'no new files\n', 'the job itself did not run');
  });

  it('fails the run when the condition exits 255', async () => {
    const result = await executor.execute(
      request(commandSpec({ argv: ['echo', 'job ran'], condition: condition('exit 255') })),
      collect(),
    );
    assert.equal(result.outcome, 'failure');
    assert.match(result.error ?? '', /skip condition exited 255/);
  });

  it('fails the run when a signal ends the condition', async () => {
    const result = await executor.execute(
      request(commandSpec({ argv: ['echo', 'job ran'], condition: condition('kill -KILL $$') })),
      collect(),
    );
    assert.equal(result.outcome, 'failure');
    assert.equal(result.signal, 'SIGKILL');
  });

  it('gives the condition the job’s environment, with placeholders substituted', async () => {
    const result = await executor.execute(
      request(
        commandSpec({
          argv: ['true'],
          env: { TENANT_ID: '{tenant}' },
          condition: {
            argv: [
              'sh',
              '-c',
              'test "$TENANT_ID/$CRONPLANE_JOB/$1" = acme/nightly/acme',
              'check',
              '{tenant}',
            ],
            shell: false,
            timeoutMs: undefined,
          },
        }),
        { params: { tenant: 'acme' } },
      ),
      collect(),
    );
    assert.equal(result.outcome, 'success');
  });

  it('times out on its own timeout', async () => {
    const result = await executor.execute(
      request(commandSpec({ argv: ['true'], condition: condition('sleep 5', 200) }), { timeoutMs: 5000 }),
      collect(),
    );
    assert.equal(result.outcome, 'timed_out');
    assert.equal(result.error, 'the skip condition timed out after 200ms');
  });
});
