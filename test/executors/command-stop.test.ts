import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createCommandExecutor } from '../../src/executors/index.ts';
import { collect, commandSpec, isAlive, request, waitFor } from './helpers.ts';

const executor = createCommandExecutor();

/** A shell that prints its own pid and its background grandchild's, then waits on it. */
const parentAndGrandchild = ['sh', '-c', 'sleep 300 & echo "$$ $!"; wait'];

function pidsFrom(stdout: string): number[] {
  return (stdout.split('\n')[0] ?? '').split(' ').map(Number);
}

describe('stopping a command', () => {
  it('kills the whole process group, grandchildren included, when the timeout elapses', async () => {
    const sink = collect();
    const started = Date.now();
    const result = await executor.execute(
      request(commandSpec({ argv: parentAndGrandchild }), { timeoutMs: 300, killGraceMs: 1000 }),
      sink,
    );
    assert.equal(result.outcome, 'timed_out');
    assert.equal(result.error, 'timed out after 300ms');
    assert.equal(result.signal, 'SIGTERM');
    assert.ok(Date.now() - started < 1500, 'SIGTERM was enough: no wait for the grace');
    const pids = pidsFrom(sink.text('stdout'));
    assert.equal(pids.length, 2);
    for (const pid of pids) assert.ok(await waitFor(() => !isAlive(pid)), `process ${pid} is gone`);
    assert.match(sink.text('system'), /timed out after 300ms: sending SIGTERM to the process group/);
  });

  it('stops the same way when the run is aborted (cancel, replace, shutdown)', async () => {
    const sink = collect();
    const controller = new AbortController();
    const running = executor.execute(
      request(commandSpec({ argv: parentAndGrandchild })),
      sink,
      controller.signal,
    );
    assert.ok(await waitFor(() => sink.text('stdout').includes('\n')), 'the command started');
    controller.abort('replaced by a newer run');
    const result = await running;
    assert.equal(result.outcome, 'cancelled');
    assert.equal(result.error, 'replaced by a newer run');
    for (const pid of pidsFrom(sink.text('stdout'))) {
      assert.ok(await waitFor(() => !isAlive(pid)), `process ${pid} is gone`);
    }
  });

  it('does not start at all when the signal is already aborted', async () => {
    const controller = new AbortController();
    controller.abort();
    const result = await executor.execute(
      request(commandSpec({ argv: ['sleep', '5'] })),
      collect(),
      controller.signal,
    );
    assert.equal(result.outcome, 'cancelled');
    assert.equal(result.durationMs, 0);
  });

  it('sends SIGKILL after the grace to a process that ignores SIGTERM', async () => {
    const sink = collect();
    const started = Date.now();
    const result = await executor.execute(
      request(commandSpec({ argv: ['sh', '-c', `trap '' TERM; echo "$$"; while :; do sleep 0.05; done`] }), {
        timeoutMs: 200,
        killGraceMs: 300,
      }),
      sink,
    );
    assert.equal(result.outcome, 'timed_out');
    assert.equal(result.signal, 'SIGKILL');
    assert.ok(Date.now() - started >= 480, 'waited for the grace before SIGKILL');
    assert.match(sink.text('system'), /still running 300ms after SIGTERM: sent SIGKILL/);
    assert.equal(isAlive(Number(sink.text('stdout').trim())), false);
  });

  it('stops what a finished command left running in its group, so the run does not hang on its pipes', async () => {
    const sink = collect();
    const result = await executor.execute(
      request(commandSpec({ argv: ['sh', '-c', 'sleep 300 & echo "$!"; exit 0'] }), { timeoutMs: 5000 }),
      sink,
    );
    assert.equal(result.outcome, 'success');
    assert.ok(result.durationMs < 2000, `ended in ${result.durationMs}ms`);
    assert.match(sink.text('system'), /left processes running in its group: sent them SIGTERM/);
    const leftover = Number(sink.text('stdout').trim());
    assert.ok(await waitFor(() => !isAlive(leftover)), 'the background sleep is gone');
  });

  it('lets go of output pipes held by a process that left the group, after the grace', async () => {
    const sink = collect();
    const result = await executor.execute(
      request(commandSpec({ argv: ['sh', '-c', 'setsid sleep 3 & sleep 0.2; exit 0'] }), {
        killGraceMs: 200,
      }),
      sink,
    );
    assert.equal(result.outcome, 'success');
    assert.ok(result.durationMs < 2500, `ended in ${result.durationMs}ms`);
    assert.match(sink.text('system'), /output pipes stayed open/);
  });
});
