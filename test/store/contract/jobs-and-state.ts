/** Jobs synced from the job file, scheduler state, leases, events, and releasing the store. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { ContractContext } from './context.ts';
import { T0, newRun, second } from './context.ts';

export function defineJobAndStateTests(context: ContractContext): void {
  it('syncs jobs from the job file: adds, updates changed ones, marks missing ones removed', async () => {
    const { store } = context;
    const first = await store.syncJobs(
      [
        { name: 'backup', configHash: 'h1', spec: { schedule: '@daily', env: { TOKEN: '[redacted]' } } },
        { name: 'eval', configHash: 'h2', spec: { schedule: '0 2 * * *' } },
        { name: 'gone', configHash: 'h3', spec: {} },
      ],
      T0,
    );
    assert.deepEqual(first, { added: ['backup', 'eval', 'gone'], updated: [], removed: [], unchanged: 0 });
    assert.equal(await store.setJobPaused('eval', true, T0 + 1), true);
    assert.equal(await store.setJobPaused('nope', true, T0 + 1), false);
    const second_ = await store.syncJobs(
      [
        { name: 'backup', configHash: 'h1', spec: { schedule: '@daily', env: { TOKEN: '[redacted]' } } },
        { name: 'eval', configHash: 'h2b', spec: { schedule: '0 3 * * *' } },
      ],
      T0 + 2,
    );
    assert.deepEqual(second_, { added: [], updated: ['eval'], removed: ['gone'], unchanged: 1 });
    assert.deepEqual(
      (await store.listJobs()).map((job) => [job.name, job.configHash, job.paused, job.updatedAt]),
      [
        ['backup', 'h1', false, T0],
        ['eval', 'h2b', true, T0 + 2],
      ],
    );
    assert.deepEqual(await store.getJob('eval'), {
      name: 'eval',
      configHash: 'h2b',
      spec: { schedule: '0 3 * * *' },
      paused: true,
      createdAt: T0,
      updatedAt: T0 + 2,
      removedAt: null,
    });
    assert.equal((await store.getJob('gone'))?.removedAt, T0 + 2);
    assert.equal((await store.listJobs({ includeRemoved: true })).length, 3);
    const back = await store.syncJobs([{ name: 'gone', configHash: 'h3', spec: {} }], T0 + 3);
    assert.deepEqual(back, { added: [], updated: ['gone'], removed: ['backup', 'eval'], unchanged: 0 });
    assert.equal((await store.getJob('gone'))?.removedAt, null);
    await assert.rejects(
      store.syncJobs(
        [
          { name: 'x', configHash: '1', spec: {} },
          { name: 'x', configHash: '2', spec: {} },
        ],
        T0,
      ),
      { code: 'store.input', message: /jobs\[1\]\.name/ },
    );
  });

  it('writes a spec given as JSON text as it is, without reading the spec value', async () => {
    const { store } = context;
    const unread = {
      name: 'texted',
      configHash: 'h1',
      specJson: '{"schedule":"@hourly","env":{"TOKEN":"***"}}',
      get spec(): never {
        throw new Error('the spec value was read although its JSON text was given');
      },
    };
    assert.deepEqual(await store.syncJobs([unread], T0), {
      added: ['texted'],
      updated: [],
      removed: [],
      unchanged: 0,
    });
    assert.deepEqual((await store.getJob('texted'))?.spec, { schedule: '@hourly', env: { TOKEN: '***' } });
  });

  it('syncs thousands of jobs written in several statements, all or nothing', async () => {
    const { store } = context;
    const jobs = (count: number, hash: (index: number) => string) =>
      Array.from({ length: count }, (_, index) => ({
        name: `job-${String(index).padStart(5, '0')}`,
        configHash: hash(index),
        spec: { n: index },
        specJson: `{"n":${index}}`,
      }));
    const first = await store.syncJobs(
      jobs(4_500, () => 'h1'),
      T0,
    );
    assert.equal(first.added.length, 4_500);
    // Every third job changed, 500 left, 700 new ones: the writes span several statements.
    const next = [
      ...jobs(4_000, (index) => (index % 3 === 0 ? 'h2' : 'h1')),
      ...jobs(5_300, () => 'h1').slice(4_600),
    ];
    const second_ = await store.syncJobs(next, T0 + 1);
    assert.deepEqual(
      [second_.added.length, second_.updated.length, second_.removed.length, second_.unchanged],
      [700, 1_334, 500, 2_666],
    );
    const listed = await store.listJobs();
    assert.equal(listed.length, 4_700);
    assert.deepEqual(
      [
        listed[3_999]?.configHash,
        listed[3_999]?.updatedAt,
        listed[3_998]?.updatedAt,
        listed[4_000]?.createdAt,
      ],
      ['h2', T0 + 1, T0, T0 + 1],
    );
    assert.deepEqual((await store.getJob('job-05299'))?.spec, { n: 5_299 });
    assert.equal((await store.getJob('job-04499'))?.removedAt, T0 + 1);
    // A spec that cannot be built in a later part: nothing of the sync is written.
    const failing = jobs(6_000, () => 'h3').map((job, index) =>
      index === 5_600
        ? {
            ...job,
            get specJson(): string {
              throw new Error('no spec');
            },
          }
        : job,
    );
    await assert.rejects(store.syncJobs(failing, T0 + 2), /no spec/);
    const after = await store.listJobs({ includeRemoved: true });
    assert.deepEqual([after.length, after.filter((job) => job.configHash === 'h3').length], [5_200, 0]);
  });

  it('lets the event loop run during a sync of 12,000 jobs, and a read meanwhile sees none or all of them', async () => {
    const { store } = context;
    const jobs = Array.from({ length: 12_000 }, (_, index) => ({
      name: `many-${String(index).padStart(5, '0')}`,
      configHash: 'h1',
      spec: {},
      specJson: '{}',
    }));
    let synced = false;
    const syncing = store.syncJobs(jobs, T0).then((result) => {
      synced = true;
      return result;
    });
    // The first turn of the event loop after the call comes while the sync is still writing.
    const during = await new Promise<{ readonly read: Promise<number> } | undefined>((resolve) => {
      setImmediate(() =>
        resolve(synced ? undefined : { read: store.listJobs().then((listed) => listed.length) }),
      );
    });
    assert.ok(during !== undefined, 'the sync held the event loop until it was over');
    assert.equal((await syncing).added.length, 12_000);
    assert.ok([0, 12_000].includes(await during.read), 'a read during the sync saw part of it');
    assert.equal((await store.listJobs()).length, 12_000);
  });

  it('writes names and specs holding tabs, line breaks and backslashes as they are', async () => {
    const { store } = context;
    const odd = 'a\tb\nc\\d\re \\.';
    const specJson = JSON.stringify({ run: odd, path: 'C:\\x\\', quote: '"' });
    assert.deepEqual(
      (await store.syncJobs([{ name: odd, configHash: 'h\\1\t', spec: {}, specJson }], T0)).added,
      [odd],
    );
    const stored = await store.getJob(odd);
    assert.deepEqual([stored?.configHash, stored?.spec], ['h\\1\t', JSON.parse(specJson)]);
    // Rewritten (its hash changed) and joined by a new job: both ways of writing a row.
    const next = JSON.stringify({ run: `${odd}\n2` });
    const result = await store.syncJobs(
      [
        { name: odd, configHash: 'h2', spec: {}, specJson: next },
        { name: `${odd}\t2`, configHash: 'h\n', spec: { x: '\\' } },
      ],
      T0 + 1,
    );
    assert.deepEqual([result.added, result.updated], [[`${odd}\t2`], [odd]]);
    assert.deepEqual((await store.getJob(odd))?.spec, JSON.parse(next));
    assert.deepEqual((await store.getJob(`${odd}\t2`))?.spec, { x: '\\' });
  });

  it('writes nothing of a sync whose new jobs fail to build their spec', async () => {
    const { store } = context;
    await store.syncJobs([{ name: 'kept', configHash: 'h1', spec: {} }], T0);
    const jobs = Array.from({ length: 1_200 }, (_, index) => ({
      name: `new-${String(index).padStart(4, '0')}`,
      configHash: 'h1',
      get specJson(): string {
        if (index === 1_100) throw new Error('no spec');
        return '{}';
      },
      spec: {},
    }));
    await assert.rejects(
      store.syncJobs([{ name: 'kept', configHash: 'h2', spec: {} }, ...jobs], T0 + 1),
      /no spec/,
    );
    assert.deepEqual(
      (await store.listJobs({ includeRemoved: true })).map((job) => [
        job.name,
        job.configHash,
        job.removedAt,
      ]),
      [['kept', 'h1', null]],
    );
    // The store is still usable after the failed sync.
    const result = await store.syncJobs([{ name: 'kept', configHash: 'h2', spec: {} }], T0 + 2);
    assert.deepEqual(result.updated, ['kept']);
  });

  it('writes tens of thousands of schedule states in one call', async () => {
    const { store } = context;
    const states = Array.from({ length: 21_000 }, (_, index) => ({
      job: `tenant-${index}`,
      lastFireAt: index % 2 === 0 ? null : T0 + index,
      nextFireAt: index % 5 === 0 ? null : T0 + 2 * index,
    }));
    await store.setScheduleStates(states);
    await store.setScheduleStates(states.slice(10_000).map((state) => ({ ...state, nextFireAt: T0 })));
    const stored = new Map((await store.listScheduleStates()).map((state) => [state.job, state]));
    assert.equal(stored.size, 21_000);
    assert.deepEqual(
      [stored.get('tenant-0'), stored.get('tenant-9999'), stored.get('tenant-20001')],
      [
        { job: 'tenant-0', lastFireAt: null, nextFireAt: null },
        { job: 'tenant-9999', lastFireAt: T0 + 9_999, nextFireAt: T0 + 19_998 },
        { job: 'tenant-20001', lastFireAt: T0 + 20_001, nextFireAt: T0 },
      ],
    );
  });

  it('keeps schedule state per job and updates it in batches', async () => {
    const { store } = context;
    assert.equal(await store.getScheduleState('backup'), undefined);
    await store.setScheduleState({ job: 'backup', lastFireAt: T0, nextFireAt: T0 + 60 * second });
    await store.setScheduleStates([
      { job: 'backup', lastFireAt: T0 + 60 * second, nextFireAt: T0 + 120 * second },
      { job: 'eval', lastFireAt: null, nextFireAt: T0 + 5 * second },
    ]);
    assert.deepEqual(await store.getScheduleState('backup'), {
      job: 'backup',
      lastFireAt: T0 + 60 * second,
      nextFireAt: T0 + 120 * second,
    });
    assert.deepEqual(await store.listScheduleStates(), [
      { job: 'backup', lastFireAt: T0 + 60 * second, nextFireAt: T0 + 120 * second },
      { job: 'eval', lastFireAt: null, nextFireAt: T0 + 5 * second },
    ]);
    const many = Array.from({ length: 1200 }, (_, index) => ({
      job: `tenant-${index}`,
      lastFireAt: T0,
      nextFireAt: T0 + index,
    }));
    await store.setScheduleStates(many);
    assert.equal((await store.listScheduleStates()).length, 1202);
  });

  it('moves the schedule cursor as a lease holder only while nobody else has taken the lease', async () => {
    const { store } = context;
    const lease = { name: 'scheduler', owner: 'node-a', now: T0, until: T0 + 10 * second };
    const cursor = { job: 'backup', lastFireAt: T0, nextFireAt: T0 + 60 * second };
    assert.equal(await store.setScheduleStatesAsHolder(lease, [cursor]), false, 'nobody holds it yet');
    assert.equal(await store.getScheduleState('backup'), undefined);
    assert.equal(await store.acquireLease(lease), true);
    assert.equal(await store.setScheduleStatesAsHolder(lease, [cursor]), true);
    assert.deepEqual(await store.getScheduleState('backup'), cursor);
    // node-a's lease lapsed and node-b took it: node-a's late write changes nothing.
    assert.equal(await store.acquireLease({ ...lease, owner: 'node-b', now: T0 + 11 * second }), true);
    const late = { job: 'backup', lastFireAt: T0 + 60 * second, nextFireAt: T0 + 120 * second };
    assert.equal(await store.setScheduleStatesAsHolder(lease, [late]), false);
    assert.deepEqual(await store.getScheduleState('backup'), cursor);
    assert.equal(await store.setScheduleStatesAsHolder({ ...lease, owner: 'node-b' }, [late]), true);
    assert.deepEqual(await store.getScheduleState('backup'), late);
  });

  it('gives a lease to one owner until it expires, lets the owner renew it, and gives it up', async () => {
    const { store } = context;
    const lease = { name: 'scheduler', owner: 'node-a', now: T0, until: T0 + 10 * second };
    assert.equal(await store.acquireLease(lease), true);
    assert.equal(await store.acquireLease({ ...lease, owner: 'node-b', now: T0 + 5 * second }), false);
    assert.equal(await store.acquireLease({ ...lease, now: T0 + 5 * second, until: T0 + 15 * second }), true);
    assert.deepEqual(await store.getLease('scheduler'), {
      name: 'scheduler',
      owner: 'node-a',
      expiresAt: T0 + 15 * second,
      takenAt: T0,
    });
    assert.equal(await store.acquireLease({ ...lease, owner: 'node-b', now: T0 + 14 * second }), false);
    assert.equal(
      await store.acquireLease({ ...lease, owner: 'node-b', now: T0 + 15 * second, until: T0 + 25 * second }),
      true,
      'an expired lease goes to whoever asks',
    );
    assert.equal(await store.releaseLease('scheduler', 'node-a'), false);
    assert.equal(await store.releaseLease('scheduler', 'node-b'), true);
    assert.equal(await store.getLease('scheduler'), undefined);
  });

  it('keeps when its owner took a lease through renewals, also one after it ran out, and starts anew when another owner takes it or it is given up', async () => {
    const { store } = context;
    const lease = { name: 'scheduler', owner: 'node-a', now: T0, until: T0 + 10 * second };
    assert.equal(await store.acquireLease(lease), true);
    // Renewed after it ran out, nobody else having taken it: node-a held it throughout.
    assert.equal(
      await store.acquireLease({ ...lease, now: T0 + 12 * second, until: T0 + 22 * second }),
      true,
    );
    assert.equal((await store.getLease('scheduler'))?.takenAt, T0);
    // node-b takes it once it runs out, and node-a takes it back after node-b's ran out.
    assert.equal(
      await store.acquireLease({ ...lease, owner: 'node-b', now: T0 + 22 * second, until: T0 + 30 * second }),
      true,
    );
    assert.equal((await store.getLease('scheduler'))?.takenAt, T0 + 22 * second);
    assert.equal(
      await store.acquireLease({ ...lease, now: T0 + 31 * second, until: T0 + 40 * second }),
      true,
    );
    assert.equal((await store.getLease('scheduler'))?.takenAt, T0 + 31 * second, 'another holding');
    // Given up and taken again by the same owner: a new holding too.
    assert.equal(await store.releaseLease('scheduler', 'node-a'), true);
    assert.equal(
      await store.acquireLease({ ...lease, now: T0 + 32 * second, until: T0 + 42 * second }),
      true,
    );
    assert.equal((await store.getLease('scheduler'))?.takenAt, T0 + 32 * second);
  });

  it('gives a free lease to exactly one of two nodes asking at once', async () => {
    const { harness } = context;
    const nodes = await Promise.all([harness.open(), harness.open()]);
    try {
      for (let round = 0; round < 10; round++) {
        const name = `leader-${round}`;
        const won = await Promise.all(
          nodes.map((node, index) =>
            node.acquireLease({ name, owner: `node-${index}`, now: T0, until: T0 + second }),
          ),
        );
        assert.equal(won.filter(Boolean).length, 1, `round ${round}: ${JSON.stringify(won)}`);
      }
    } finally {
      await Promise.all(nodes.map((node) => node.release()));
    }
  });

  it('counts a repeated open event on one row and opens a new one after it is resolved', async () => {
    const { store } = context;
    const { inserted } = await store.insertRuns([newRun()]);
    const missed = {
      kind: 'schedule:missed',
      dedupKey: 'missed:backup',
      severity: 'warning',
      job: 'backup',
    } as const;
    const first = await store.recordEvent({ ...missed, at: T0, details: { fires: 1 } });
    const repeat = await store.recordEvent({
      ...missed,
      at: T0 + second,
      runId: inserted[0]!.id,
      details: { fires: 2 },
    });
    assert.equal(repeat.id, first.id);
    assert.deepEqual(
      [repeat.count, repeat.firstSeen, repeat.lastSeen, repeat.details, repeat.runId, repeat.resolvedAt],
      [2, T0, T0 + second, { fires: 2 }, inserted[0]!.id, null],
    );
    await store.recordEvent({
      kind: 'run:lost',
      dedupKey: 'lost:1',
      severity: 'critical',
      at: T0 + 2 * second,
    });
    assert.equal(await store.resolveEvent('missed:backup', T0 + 3 * second), 1);
    assert.equal(await store.resolveEvent('missed:backup', T0 + 3 * second), 0);
    const reopened = await store.recordEvent({ ...missed, at: T0 + 4 * second });
    assert.notEqual(reopened.id, first.id);
    assert.equal(reopened.count, 1);
    const all = await store.listEvents();
    assert.deepEqual(
      all.events.map((event) => [event.kind, event.count, event.resolvedAt]),
      [
        ['schedule:missed', 1, null],
        ['run:lost', 1, null],
        ['schedule:missed', 2, T0 + 3 * second],
      ],
    );
    assert.deepEqual(
      (await store.listEvents({ open: true, job: 'backup' })).events.map((event) => event.id),
      [reopened.id],
    );
    const page = await store.listEvents({ limit: 2 });
    assert.equal(page.events.length, 2);
    assert.deepEqual(
      (await store.listEvents({ cursor: page.nextCursor })).events.map((event) => event.id),
      [first.id],
    );
    await assert.rejects(store.recordEvent({ ...missed, severity: 'fatal' as never, at: T0 }), {
      code: 'store.input',
    });
  });

  it('writes finishes asked for before release, then refuses writes and closes every connection', async () => {
    const { harness, store } = context;
    await store.insertRuns([newRun()]);
    const extra = await harness.open();
    const [run] = await extra.claimRuns({ node: 'n', now: T0, limit: 1, leaseMs: second });
    const finishing = extra.finishRun(run!.id, 'n', { status: 'succeeded', finishedAt: T0 + 1 });
    await extra.release();
    assert.equal(await finishing, true);
    assert.equal((await store.getRunOrThrow(run!.id)).status, 'succeeded');
    await assert.rejects(extra.finishRun(run!.id, 'n', { status: 'succeeded', finishedAt: T0 + 2 }), {
      code: 'store.released',
    });
    await extra.release();
  });
}
