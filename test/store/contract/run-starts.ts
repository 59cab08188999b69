/** The last start of a job and fan-out key, which `cooldown` measures from. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { ContractContext } from './context.ts';
import { T0, manyRuns, newRun as anyRun, refusedAt, second } from './context.ts';
import type { NewRun } from '../../../src/store/index.ts';

/** A run of a job with a 10-minute cooldown: what `lastRunStarts` counts. */
function newRun(overrides: Partial<NewRun> = {}): NewRun {
  return anyRun({ cooldownMs: 600 * second, ...overrides });
}

const claim = { node: 'node-a', limit: 100, leaseMs: 30 * second };

export function defineRunStartTests(context: ContractContext): void {
  it('answers the latest start of each key: a started run’s start, a pending run’s due time', async () => {
    const { store } = context;
    await store.insertRuns([
      newRun({ job: 'sync', fanKey: 'a', runAfter: T0 }),
      newRun({ job: 'sync', fanKey: 'b', runAfter: T0 + 5 * second }),
    ]);
    const [started] = await store.claimRuns({ ...claim, now: T0 });
    assert.equal(started?.fanKey, 'a');
    await store.finishRun(started?.id ?? 0, 'node-a', { status: 'succeeded', finishedAt: T0 + 60 * second });
    assert.deepEqual(
      await store.lastRunStarts([
        { job: 'sync', fanKey: 'b' },
        { job: 'sync', fanKey: 'a' },
        { job: 'sync', fanKey: 'never' },
        { job: 'other', fanKey: '' },
      ]),
      [
        { job: 'sync', fanKey: 'b', startedAt: T0 + 5 * second },
        { job: 'sync', fanKey: 'a', startedAt: T0 },
      ],
    );
  });

  it('leaves out skipped fires, held items, retries and runs cancelled before they started', async () => {
    const { store } = context;
    const { inserted } = await store.insertRuns([
      newRun({ job: 'job', runAfter: T0 }),
      newRun({ job: 'job', runAfter: T0 + 10 * second, status: 'skipped', reason: 'cooldown' }),
      newRun({ job: 'job', runAfter: T0 + 20 * second, status: 'held' }),
      newRun({ job: 'job', runAfter: T0 + 30 * second, attempt: 2 }),
      newRun({ job: 'job', runAfter: T0 + 40 * second }),
    ]);
    await store.cancelRun(inserted[4]?.id ?? 0, { at: T0, node: 'node-a', reason: 'not wanted' });
    assert.deepEqual(await store.lastRunStarts([{ job: 'job', fanKey: '' }]), [
      { job: 'job', fanKey: '', startedAt: T0 },
    ]);
  });

  it('counts a released queue item from its release, and the newest start among many', async () => {
    const { store } = context;
    const { inserted } = await store.insertRuns([
      newRun({ job: 'q', runAfter: T0 - 3600 * second }),
      newRun({ job: 'q', status: 'held' }),
    ]);
    await store.releaseHeldRuns([inserted[1]?.id ?? 0], { at: T0 + 7 * second, node: 'node-a' });
    assert.deepEqual(await store.lastRunStarts([{ job: 'q', fanKey: '' }]), [
      { job: 'q', fanKey: '', startedAt: T0 + 7 * second },
    ]);
  });

  it('leaves out runs planned without a cooldown (they are not in its index)', async () => {
    const { store } = context;
    await store.insertRuns([
      newRun({ job: 'mixed', runAfter: T0 }),
      anyRun({ job: 'mixed', scheduledAt: T0 + 30 * second }),
      anyRun({ job: 'plain', scheduledAt: T0 }),
    ]);
    assert.deepEqual(
      await store.lastRunStarts([
        { job: 'mixed', fanKey: '' },
        { job: 'plain', fanKey: '' },
      ]),
      [{ job: 'mixed', fanKey: '', startedAt: T0 }],
    );
  });

  it('refuses a cooldown that is not a positive number of milliseconds', async () => {
    await assert.rejects(
      context.store.insertRuns([newRun({ cooldownMs: 0 })]),
      refusedAt('runs[0].cooldownMs'),
    );
    await assert.rejects(
      context.store.insertRuns([anyRun(), newRun({ cooldownMs: 1.5 })]),
      refusedAt('runs[1].cooldownMs'),
    );
    assert.equal((await context.store.listRuns()).runs.length, 0);
  });

  it('checks and inserts atomically per key: of triggers at once from two stores, exactly one is recorded', async () => {
    const { harness, store } = context;
    const other = await harness.open();
    try {
      const refused = new Error('inside the cooldown');
      const key = { job: 'sync', fanKey: 'a' };
      const trigger = (on: typeof store) =>
        on.startRunsInCooldown([key], (starts) => {
          if (starts.length > 0) throw refused;
          return { runs: [newRun({ job: 'sync', fanKey: 'a', runAfter: T0 })] };
        });
      const outcomes = await Promise.allSettled([store, other, store, other, store, other].map(trigger));
      const recorded = outcomes.flatMap((outcome) =>
        outcome.status === 'fulfilled' ? outcome.value.inserted : [],
      );
      assert.equal(recorded.length, 1);
      for (const outcome of outcomes.filter((outcome) => outcome.status === 'rejected'))
        assert.equal(outcome.reason, refused);
      assert.equal(outcomes.filter((outcome) => outcome.status === 'rejected').length, 5);
      assert.equal((await store.listRuns({ job: 'sync' })).runs.length, 1);
      assert.deepEqual(await store.listTransitions(recorded[0]?.id ?? 0), [
        { runId: recorded[0]?.id, seq: 1, at: T0, from: null, to: 'pending', reason: null, node: null },
      ]);
    } finally {
      await other.release();
    }
  });

  it('reads the last start of every key it locks, and records the runs the decision answers', async () => {
    const { store } = context;
    await store.insertRuns([newRun({ job: 'sync', fanKey: 'a', runAfter: T0 })]);
    const seen: (readonly unknown[])[] = [];
    const { inserted, duplicates, released } = await store.startRunsInCooldown(
      [
        { job: 'sync', fanKey: 'b' },
        { job: 'sync', fanKey: 'a' },
      ],
      (starts) => {
        seen.push(starts);
        return { runs: [newRun({ job: 'sync', fanKey: 'b', runAfter: T0 + second })] };
      },
    );
    assert.deepEqual(seen, [[{ job: 'sync', fanKey: 'a', startedAt: T0 }]]);
    assert.equal(inserted.length, 1);
    assert.equal(duplicates, 0);
    assert.deepEqual(released, []);
    assert.deepEqual(await store.lastRunStarts([{ job: 'sync', fanKey: 'b' }]), [
      { job: 'sync', fanKey: 'b', startedAt: T0 + second },
    ]);
  });

  it('writes nothing when the decision throws, or a run it answers is invalid (naming the field)', async () => {
    const { store } = context;
    const key = { job: 'sync', fanKey: '' };
    await assert.rejects(
      store.startRunsInCooldown([key], () => {
        throw new Error('refused');
      }),
      /refused/,
    );
    await assert.rejects(
      store.startRunsInCooldown([key], () => ({
        runs: [newRun({ job: 'sync' }), newRun({ job: 'sync', trigger: 'nope' as never })],
      })),
      refusedAt('runs[1].trigger'),
    );
    await assert.rejects(
      store.startRunsInCooldown([], () => ({ runs: [] })),
      refusedAt('keys'),
    );
    await assert.rejects(
      store.startRunsInCooldown([key], () => ({
        runs: [newRun({ job: 'sync' })],
        release: { runIds: [1], input: { at: Number.NaN } },
      })),
      refusedAt('release.at'),
    );
    assert.equal((await store.listRuns()).runs.length, 0);
  });

  it('releases the held runs the decision names under the lock, as a start of their key', async () => {
    const { harness, store } = context;
    const other = await harness.open();
    try {
      const { inserted } = await store.insertRuns([
        newRun({ job: 'q', status: 'held' }),
        newRun({ job: 'q', status: 'held' }),
        newRun({ job: 'q', status: 'held' }),
      ]);
      const ids = inserted.map((run) => run.id);
      // Two releasers at once from two stores: the second sees the first's release as a start.
      const release = (on: typeof store, runIds: readonly number[]) =>
        on.startRunsInCooldown([{ job: 'q', fanKey: '' }], (starts) =>
          starts.length > 0 ? { runs: [] } : { runs: [], release: { runIds, input: { at: T0, node: 'n' } } },
        );
      const results = await Promise.all([release(store, ids.slice(0, 2)), release(other, ids.slice(2))]);
      const releasing = results.filter((result) => result.released.length > 0);
      assert.equal(releasing.length, 1);
      const released = releasing[0]?.released ?? [];
      assert.ok([2, 1].includes(released.length));
      assert.equal((await store.listHeldRuns({ job: 'q' })).length, 3 - released.length);
      assert.deepEqual(await store.lastRunStarts([{ job: 'q', fanKey: '' }]), [
        { job: 'q', fanKey: '', startedAt: T0 },
      ]);
      const first = released[0] ?? 0;
      assert.deepEqual((await store.listTransitions(first)).at(-1), {
        runId: first,
        seq: 2,
        at: T0,
        from: 'held',
        to: 'pending',
        reason: 'released from the queue',
        node: 'n',
      });
    } finally {
      await other.release();
    }
  });

  it('records a fire key once: one recorded before, or twice in the decision, is a duplicate', async () => {
    const { store } = context;
    await store.insertRuns([newRun({ job: 'sync', fanKey: 'a', fireKey: 'sync|a|1' })]);
    const { inserted, duplicates } = await store.startRunsInCooldown(
      [
        { job: 'sync', fanKey: 'a' },
        { job: 'sync', fanKey: 'b' },
      ],
      () => ({
        runs: [
          newRun({ job: 'sync', fanKey: 'a', fireKey: 'sync|a|1' }),
          newRun({ job: 'sync', fanKey: 'b', fireKey: 'sync|b|1' }),
          newRun({ job: 'sync', fanKey: 'b', fireKey: 'sync|b|1' }),
          newRun({ job: 'sync', fanKey: 'b', status: 'skipped', reason: 'cooldown' }),
        ],
      }),
    );
    assert.equal(duplicates, 2);
    assert.deepEqual(
      inserted.map((run) => [run.fanKey, run.status]),
      [
        ['b', 'pending'],
        ['b', 'skipped'],
      ],
    );
    assert.equal((await store.listRuns({ job: 'sync' })).runs.length, 3);
    for (const run of inserted)
      assert.deepEqual(
        (await store.listTransitions(run.id)).map((step) => [step.from, step.to, step.reason]),
        [[null, run.status, run.status === 'skipped' ? 'cooldown' : null]],
      );
  });

  it('refuses a key without a job name', async () => {
    await assert.rejects(context.store.lastRunStarts([{ job: '', fanKey: '' }]), refusedAt('job'));
  });

  it('finds the last start through the index runs_last_start', async () => {
    const { harness, store } = context;
    await store.insertRuns(manyRuns(3000, 'busy').map((run) => ({ ...run, cooldownMs: 600 * second })));
    await harness.query(harness.url, 'ANALYZE');
    const query =
      "SELECT (CASE WHEN started_at IS NOT NULL THEN started_at WHEN status = 'pending' THEN run_after END) AS started " +
      "FROM runs WHERE job = 'j' AND fan_key = '' AND cooldown_ms IS NOT NULL AND attempt = 1 AND status <> 'held' AND status <> 'skipped' " +
      "AND (CASE WHEN started_at IS NOT NULL THEN started_at WHEN status = 'pending' THEN run_after END) IS NOT NULL " +
      "ORDER BY (CASE WHEN started_at IS NOT NULL THEN started_at WHEN status = 'pending' THEN run_after END) DESC LIMIT 1";
    const plan = await harness.query(
      harness.url,
      `${harness.dialect === 'sqlite' ? 'EXPLAIN QUERY PLAN' : 'EXPLAIN'} ${query}`,
    );
    assert.match(JSON.stringify(plan), /runs_last_start/);
  });
}
