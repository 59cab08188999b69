/** The overview: the last runs per job and fan-out key, and the changes of status in written order. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { ContractContext } from './context.ts';
import { T0, newRun, refusedAt, second } from './context.ts';

export function defineOverviewTests(context: ContractContext): void {
  it('reads the last runs of each job and fan-out key, newest first, keys in the order asked', async () => {
    const { store } = context;
    const { inserted } = await store.insertRuns([
      ...Array.from({ length: 4 }, (_, index) =>
        newRun({ job: 'eval', fanKey: 'acme', scheduledAt: T0 + index }),
      ),
      ...Array.from({ length: 2 }, (_, index) =>
        newRun({ job: 'eval', fanKey: 'globex', scheduledAt: T0 + index }),
      ),
      newRun({ job: 'backup' }),
      newRun({ job: 'other' }),
    ]);
    const acme = inserted.filter((run) => run.fanKey === 'acme').map((run) => run.id);
    const globex = inserted.filter((run) => run.fanKey === 'globex').map((run) => run.id);
    const backup = inserted.find((run) => run.job === 'backup');
    const recent = await store.listRecentRuns({
      keys: [
        { job: 'eval', fanKey: 'globex' },
        { job: 'backup', fanKey: '' },
        { job: 'eval', fanKey: 'acme' },
        { job: 'none', fanKey: '' },
      ],
      perKey: 3,
    });
    assert.deepEqual(
      recent.map((run) => [run.job, run.fanKey, run.id]),
      [
        ['eval', 'globex', globex[1]],
        ['eval', 'globex', globex[0]],
        ['backup', '', backup?.id],
        ['eval', 'acme', acme[3]],
        ['eval', 'acme', acme[2]],
        ['eval', 'acme', acme[1]],
      ],
    );
    assert.deepEqual(recent[2], {
      id: backup?.id,
      job: 'backup',
      fanKey: '',
      status: 'pending',
      scheduledAt: T0,
      startedAt: null,
      finishedAt: null,
    });
    assert.deepEqual(await store.listRecentRuns({ keys: [], perKey: 50 }), []);
  });

  it('refuses a recent-runs read with a bad count or key, naming the field', async () => {
    const { store } = context;
    await assert.rejects(store.listRecentRuns({ keys: [], perKey: 0 }), refusedAt('perKey'));
    await assert.rejects(store.listRecentRuns({ keys: [], perKey: 101 }), refusedAt('perKey'));
    await assert.rejects(
      store.listRecentRuns({ keys: [{ job: '', fanKey: '' }], perKey: 5 }),
      refusedAt('keys[0].job'),
    );
  });

  it('reads every change of status after an id, in written order, with the run’s job and key', async () => {
    const { store } = context;
    const start = await store.lastRunChangeId();
    const { inserted } = await store.insertRuns([
      newRun({ job: 'eval', fanKey: 'acme' }),
      newRun({ job: 'other' }),
    ]);
    const [first, second_] = inserted;
    assert.ok(first !== undefined && second_ !== undefined);
    const [claimed] = await store.claimRuns({
      node: 'n',
      now: T0,
      limit: 1,
      leaseMs: 60 * second,
      runIds: [first.id],
    });
    assert.equal(claimed?.id, first.id);
    assert.equal(
      await store.finishRun(first.id, 'n', { status: 'succeeded', finishedAt: T0 + 5 * second, exitCode: 0 }),
      true,
    );
    const changes = await store.readRunChanges({ afterId: start });
    assert.deepEqual(
      changes.map((change) => [change.runId, change.status]),
      [
        [first.id, 'pending'],
        [second_.id, 'pending'],
        [first.id, 'running'],
        [first.id, 'succeeded'],
      ],
    );
    assert.ok(changes.every((change, index) => index === 0 || change.id > (changes[index - 1]?.id ?? 0)));
    const done = changes[3];
    assert.deepEqual(
      { job: done?.job, fanKey: done?.fanKey, scheduledAt: done?.scheduledAt, finishedAt: done?.finishedAt },
      { job: 'eval', fanKey: 'acme', scheduledAt: T0, finishedAt: T0 + 5 * second },
    );
    assert.equal(await store.lastRunChangeId(), done?.id);
    // After an id, limited, and with ids skipped earlier asked for again.
    const after = await store.readRunChanges({ afterId: changes[1]?.id ?? 0, limit: 1 });
    assert.deepEqual(
      after.map((change) => change.id),
      [changes[2]?.id],
    );
    const again = await store.readRunChanges({ afterId: done?.id ?? 0, alsoIds: [changes[0]?.id ?? 0] });
    assert.deepEqual(
      again.map((change) => change.id),
      [changes[0]?.id],
    );
    await assert.rejects(store.readRunChanges({ afterId: -1 }), refusedAt('afterId'));
    await assert.rejects(store.readRunChanges({ afterId: 0, limit: 1001 }), refusedAt('limit'));
  });
}
