/** Jobs defined through the API: versions, compare-and-set, deletes, the change feed. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { PutApiJobInput } from '../../../src/store/index.ts';
import type { ContractContext } from './context.ts';
import { T0, refusedAt } from './context.ts';

function put(
  name: string,
  entry: Record<string, unknown>,
  extra: Partial<PutApiJobInput> = {},
): PutApiJobInput {
  return {
    name,
    entry: entry as PutApiJobInput['entry'],
    at: T0,
    actor: 'deploy',
    token: 'deploy',
    ...extra,
  };
}

export function defineApiJobTests(context: ContractContext): void {
  it('creates an API job at version 1 and lists it with its row in jobs', async () => {
    const { store } = context;
    const batch = await store.putApiJobs([put('nightly', { schedule: '0 2 * * *', run: 'true' })]);
    assert.equal(batch.committed, true);
    assert.deepEqual(batch.writes, [
      {
        kind: 'created',
        record: {
          name: 'nightly',
          entry: { run: 'true', schedule: '0 2 * * *' },
          version: 1,
          updatedAt: T0,
          updatedBy: 'deploy',
          token: 'deploy',
        },
        previous: null,
      },
    ]);
    assert.deepEqual(
      (await store.listApiJobs()).map((job) => [job.name, job.version]),
      [['nightly', 1]],
    );
    const row = await store.getJob('nightly');
    assert.equal(row?.removedAt, null);
    assert.equal(row?.paused, false);
  });

  it('writes the same entry again as unchanged, with no new version, whatever its key order', async () => {
    const { store } = context;
    await store.putApiJobs([put('a', { schedule: '@hourly', run: 'x' })]);
    const again = await store.putApiJobs([
      put('a', { run: 'x', schedule: '@hourly' }, { at: T0 + 5, actor: 'other' }),
    ]);
    assert.equal(again.writes[0]?.kind, 'unchanged');
    assert.equal(again.writes[0]?.kind === 'unchanged' && again.writes[0].record.updatedBy, 'deploy');
    assert.equal((await store.listApiJobVersions('a')).length, 1);
  });

  it('replaces an entry as the next version, keeping the earlier one and the pause state', async () => {
    const { store } = context;
    await store.putApiJobs([put('a', { schedule: '@hourly', run: 'x' })]);
    assert.equal(await store.setJobPaused('a', true, T0 + 1), true);
    const batch = await store.putApiJobs([put('a', { schedule: '@daily', run: 'x' }, { at: T0 + 2 })]);
    const write = batch.writes[0];
    assert.equal(write?.kind, 'updated');
    assert.deepEqual(write?.kind === 'updated' ? write.previous : null, { run: 'x', schedule: '@hourly' });
    assert.equal((await store.getApiJob('a'))?.version, 2);
    assert.deepEqual(
      (await store.listApiJobVersions('a')).map((version) => [version.version, version.change]),
      [
        [2, 'updated'],
        [1, 'created'],
      ],
    );
    assert.deepEqual(await store.listPausedJobs(), ['a']);
  });

  it('writes nothing when If-Match names another version, in the whole batch', async () => {
    const { store } = context;
    await store.putApiJobs([put('a', { schedule: '@hourly', run: 'x' })]);
    const batch = await store.putApiJobs([
      put('b', { schedule: '@hourly', run: 'y' }),
      put('a', { schedule: '@daily', run: 'x' }, { ifMatch: 7 }),
    ]);
    assert.equal(batch.committed, false);
    assert.deepEqual(batch.writes[1], { kind: 'stale', name: 'a', current: 1 });
    assert.equal(await store.getApiJob('b'), undefined);
    assert.equal((await store.getApiJob('a'))?.version, 1);
    const matched = await store.putApiJobs([put('a', { schedule: '@daily', run: 'x' }, { ifMatch: 1 })]);
    assert.equal(matched.writes[0]?.kind, 'updated');
    const createOnly = await store.putApiJobs([put('a', { schedule: '@daily', run: 'z' }, { ifMatch: 0 })]);
    assert.deepEqual(createOnly.writes[0], { kind: 'stale', name: 'a', current: 2 });
  });

  it('deletes as a version of its own; a name written again goes on counting', async () => {
    const { store } = context;
    await store.putApiJobs([put('a', { schedule: '@hourly', run: 'x' })]);
    assert.deepEqual(await store.deleteApiJob({ name: 'a', at: T0 + 1, actor: 'deploy', ifMatch: 3 }), {
      kind: 'stale',
      name: 'a',
      current: 1,
    });
    const deleted = await store.deleteApiJob({ name: 'a', at: T0 + 1, actor: 'deploy', ifMatch: 1 });
    assert.equal(deleted.kind, 'deleted');
    assert.equal(await store.getApiJob('a'), undefined);
    assert.equal((await store.getJob('a'))?.removedAt, T0 + 1);
    assert.deepEqual(await store.deleteApiJob({ name: 'a', at: T0 + 2, actor: 'deploy' }), {
      kind: 'absent',
      name: 'a',
    });
    const again = await store.putApiJobs([
      put('a', { schedule: '@daily', run: 'x' }, { at: T0 + 3, ifMatch: 0 }),
    ]);
    assert.equal(again.writes[0]?.kind, 'created');
    assert.equal(again.writes[0]?.kind === 'created' && again.writes[0].record.version, 3);
    assert.equal((await store.getJob('a'))?.removedAt, null);
    assert.deepEqual(
      (await store.listApiJobVersions('a')).map((version) => [
        version.version,
        version.change,
        version.entry,
      ]),
      [
        [3, 'created', { run: 'x', schedule: '@daily' }],
        [2, 'deleted', null],
        [1, 'created', { run: 'x', schedule: '@hourly' }],
      ],
    );
  });

  it('leaves API jobs alone when the job file is synced', async () => {
    const { store } = context;
    await store.putApiJobs([put('api-one', { schedule: '@hourly', run: 'x' })]);
    const result = await store.syncJobs([{ name: 'file-one', configHash: 'h1', spec: {} }], T0 + 1);
    assert.deepEqual(result.removed, []);
    assert.deepEqual(
      (await store.listJobs()).map((job) => job.name),
      ['api-one', 'file-one'],
    );
  });

  it('writes a job of the file over the row of an active API job of the same name, as a new job', async () => {
    const { store } = context;
    await store.putApiJobs([put('shared', { schedule: '@hourly', run: 'x' })]);
    const result = await store.syncJobs(
      [{ name: 'shared', configHash: 'h1', spec: { from: 'file' } }],
      T0 + 1,
    );
    assert.deepEqual([result.added, result.updated, result.removed], [['shared'], [], []]);
    assert.deepEqual(
      [(await store.getJob('shared'))?.configHash, (await store.getJob('shared'))?.spec],
      ['h1', { from: 'file' }],
    );
  });

  it('follows the versions written by id, from the last one seen', async () => {
    const { store } = context;
    assert.equal(await store.lastApiJobChangeId(), 0);
    await store.putApiJobs([put('a', { run: 'x' }), put('b', { run: 'y' })]);
    const start = await store.lastApiJobChangeId();
    await store.putApiJobs([put('a', { run: 'z' }, { at: T0 + 1 })]);
    await store.deleteApiJob({ name: 'b', at: T0 + 2, actor: 'deploy' });
    const changes = await store.readApiJobChanges({ afterId: start });
    assert.deepEqual(
      changes.map((change) => [change.name, change.version, change.change]),
      [
        ['a', 2, 'updated'],
        ['b', 2, 'deleted'],
      ],
    );
    assert.equal(await store.lastApiJobChangeId(), changes.at(-1)?.id);
    const first = (await store.readApiJobChanges({ afterId: 0, limit: 1 }))[0];
    assert.deepEqual(
      (await store.readApiJobChanges({ afterId: start, alsoIds: [first?.id ?? 0] })).map(
        (change) => change.name,
      ),
      ['a', 'a', 'b'],
    );
  });

  it('writes a batch of 1,200 jobs in one call', async () => {
    const { store } = context;
    const inputs = Array.from({ length: 1200 }, (_, index) => put(`bulk-${index}`, { run: `echo ${index}` }));
    const batch = await store.putApiJobs(inputs);
    assert.equal(batch.writes.filter((write) => write.kind === 'created').length, 1200);
    assert.equal((await store.listApiJobs()).length, 1200);
    assert.equal((await store.listJobs()).length, 1200);
  });

  it('refuses a name given twice in a batch, and an entry that is not an object', async () => {
    const { store } = context;
    await assert.rejects(
      store.putApiJobs([put('a', { run: 'x' }), put('a', { run: 'y' })]),
      refusedAt('jobs[1].name'),
    );
    await assert.rejects(store.putApiJobs([{ ...put('a', {}), entry: [] }]), refusedAt('jobs[0].entry'));
  });
}
