/** Status changes: the transition table is enforced, every change is a compare-and-set and a row. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { RunRecord } from '../../../src/store/index.ts';
import type { ContractContext } from './context.ts';
import { T0, newRun, second } from './context.ts';

const claim = { node: 'node-a', now: T0, limit: 100, leaseMs: 30 * second };

export function defineStatusTests(context: ContractContext): void {
  it('rejects a transition the table does not allow, naming the statuses that may follow', async () => {
    const { store } = context;
    const { inserted } = await store.insertRuns([newRun()]);
    const run = inserted[0]!;
    await assert.rejects(store.transitionRun(run.id, { from: 'pending', to: 'succeeded', at: T0 }), {
      code: 'store.transition',
      message: /pending to succeeded.*running, skipped, cancelled/,
    });
    await assert.rejects(store.finishRun(run.id, 'node-a', { status: 'pending', finishedAt: T0 }), {
      code: 'store.transition',
    });
    await assert.rejects(store.transitionRun(run.id, { from: 'succeeded', to: 'running', at: T0 }), {
      code: 'store.transition',
      message: /succeeded is terminal/,
    });
    assert.equal((await store.getRunOrThrow(run.id)).status, 'pending');
    assert.equal((await store.listTransitions(run.id)).length, 1);
  });

  it('moves a run only from the status the caller expects', async () => {
    const { store } = context;
    const { inserted } = await store.insertRuns([newRun()]);
    const run = inserted[0]!;
    assert.equal(await store.transitionRun(run.id, { from: 'running', to: 'failed', at: T0 }), false);
    assert.equal(
      await store.transitionRun(run.id, {
        from: 'pending',
        to: 'skipped',
        at: T0 + second,
        node: 'node-a',
        reason: 'job was removed',
        error: 'job backup is not in the job file',
      }),
      true,
    );
    const stored = await store.getRunOrThrow(run.id);
    assert.deepEqual(
      [stored.status, stored.statusReason, stored.finishedAt, stored.error, stored.statusSeq],
      ['skipped', 'job was removed', T0 + second, 'job backup is not in the job file', 2],
    );
    assert.deepEqual((await store.listTransitions(run.id)).at(-1), {
      runId: run.id,
      seq: 2,
      at: T0 + second,
      from: 'pending',
      to: 'skipped',
      reason: 'job was removed',
      node: 'node-a',
    });
    assert.equal(await store.transitionRun(run.id, { from: 'pending', to: 'skipped', at: T0 }), false);
  });

  it('cancels a pending or a running run, and then the running node loses its lease', async () => {
    const { store } = context;
    const { inserted } = await store.insertRuns([
      newRun({ job: 'queued', runAfter: T0 + 60 * second }),
      newRun(),
    ]);
    const [running] = (await store.claimRuns(claim)) as [RunRecord];
    const queued = inserted[0]!;
    const cancel = { at: T0 + second, node: 'api', reason: 'cancelled by alice' };
    assert.equal(await store.cancelRun(queued.id, cancel), true);
    assert.equal(await store.cancelRun(running.id, cancel), true);
    for (const id of [queued.id, running.id]) {
      const stored = await store.getRunOrThrow(id);
      assert.deepEqual(
        [stored.status, stored.statusReason, stored.finishedAt],
        ['cancelled', 'cancelled by alice', T0 + second],
      );
    }
    assert.deepEqual(
      (await store.listTransitions(running.id)).map((transition) => `${transition.from}>${transition.to}`),
      ['null>pending', 'pending>running', 'running>cancelled'],
    );
    assert.equal(await store.renewLease(running.id, 'node-a', T0 + 60 * second), false);
    assert.equal(
      await store.finishRun(running.id, 'node-a', { status: 'succeeded', finishedAt: T0 + 2 * second }),
      false,
    );
    assert.equal(await store.cancelRun(running.id, cancel), false, 'already ended');
    assert.deepEqual(
      await store.claimRuns({ ...claim, now: T0 + 60 * second }),
      [],
      'a cancelled run is never claimed',
    );
  });

  it('throws a not-found error naming the run for getRunOrThrow and appendLog', async () => {
    const { store } = context;
    await assert.rejects(store.getRunOrThrow(424242), { code: 'store.not_found', message: /Run 424242/ });
    assert.equal(await store.getRun(424242), undefined);
    await assert.rejects(store.appendLog(424242, { stream: 'stdout', chunk: 'x', at: T0 }), {
      code: 'store.not_found',
    });
  });
}
