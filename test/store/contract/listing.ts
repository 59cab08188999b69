/** Reading the queue back: filtered, paginated listings and the counts a worker needs. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { ContractContext } from './context.ts';
import { SecretParams } from '../../../src/store/index.ts';
import { T0, newRun, readWhileWriting, second } from './context.ts';

export function defineListingTests(context: ContractContext): void {
  it('lists runs newest first, filtered by job, status, trigger and scheduled time', async () => {
    const { store } = context;
    await store.insertRuns([
      newRun({ job: 'a', trigger: 'schedule', scheduledAt: T0 }),
      newRun({ job: 'b', trigger: 'manual', scheduledAt: T0 + 1 * second }),
      newRun({ job: 'a', trigger: 'manual', scheduledAt: T0 + 2 * second, runAfter: T0 + 60 * second }),
      newRun({ job: 'a', trigger: 'schedule', scheduledAt: T0 + 3 * second }),
    ]);
    const claimed = await store.claimRuns({ node: 'n', now: T0 + 10 * second, limit: 1, leaseMs: second });
    const ids = async (query: Parameters<typeof store.listRuns>[0]) =>
      (await store.listRuns(query)).runs.map((run) => `${run.job}@${(run.scheduledAt - T0) / second}`);
    assert.deepEqual(await ids({}), ['a@3', 'a@2', 'b@1', 'a@0']);
    assert.deepEqual(await ids({ job: 'a' }), ['a@3', 'a@2', 'a@0']);
    assert.deepEqual(await ids({ status: 'running' }), [`${claimed[0]!.job}@0`]);
    assert.deepEqual(await ids({ status: ['pending', 'running'], job: 'a' }), ['a@3', 'a@2', 'a@0']);
    assert.deepEqual(await ids({ status: [] }), []);
    assert.deepEqual(await ids({ trigger: 'manual' }), ['a@2', 'b@1']);
    assert.deepEqual(await ids({ from: T0 + 1 * second, to: T0 + 3 * second }), ['a@2', 'b@1']);
    assert.deepEqual(await ids({ job: 'a', trigger: 'schedule', status: 'pending' }), ['a@3']);
  });

  it("lists a job's runs newest first whatever their status, its newest run and each key's last runs, with pending, running and ended runs interleaved", async () => {
    const { store } = context;
    const { inserted } = await store.insertRuns([
      ...Array.from({ length: 9 }, () => newRun({ job: 'mix' })),
      newRun({ job: 'other' }),
      newRun({ job: 'mix', status: 'skipped', reason: 'overlap' }),
      newRun({ job: 'mix', fanKey: 'k2' }),
    ]);
    const mix = inserted.filter((run) => run.job === 'mix' && run.fanKey === '');
    // The first six due runs of 'mix' (and the other job's) are claimed; three of them end.
    const claimed = await store.claimRuns({
      node: 'n',
      now: T0,
      limit: 6,
      leaseMs: 60 * second,
      jobs: ['mix'],
    });
    assert.deepEqual(
      claimed.map((run) => run.id),
      mix.slice(0, 6).map((run) => run.id),
    );
    await store.finishRun(mix[0]!.id, 'n', { status: 'succeeded', finishedAt: T0 + 1 });
    await store.finishRun(mix[2]!.id, 'n', { status: 'failed', finishedAt: T0 + 1 });
    await store.finishRun(mix[4]!.id, 'n', { status: 'succeeded', finishedAt: T0 + 1 });
    const expected = inserted
      .filter((run) => run.job === 'mix')
      .map((run) => run.id)
      .reverse();
    const statusOf = async (id: number) => (await store.getRunOrThrow(id)).status;
    assert.deepEqual(await Promise.all(expected.map(statusOf)), [
      'pending', // k2
      'skipped',
      'pending',
      'pending',
      'pending',
      'running',
      'succeeded',
      'running',
      'failed',
      'running',
      'succeeded',
    ]);
    const ids = async (query: Parameters<typeof store.listRuns>[0]) =>
      (await store.listRuns(query)).runs.map((run) => run.id);
    assert.deepEqual(await ids({ job: 'mix' }), expected);
    // Paged three at a time, the cursor crossing from one kind of run to the other.
    const paged: number[] = [];
    let cursor: number | null = null;
    for (let page = 0; page < 10; page++) {
      const result = await store.listRuns({ job: 'mix', limit: 3, ...(cursor === null ? {} : { cursor }) });
      paged.push(...result.runs.map((run) => run.id));
      cursor = result.nextCursor;
      if (cursor === null) break;
    }
    assert.deepEqual(paged, expected);
    const withStatus = async (status: NonNullable<Parameters<typeof store.listRuns>[0]>['status']) =>
      (await store.listRuns({ job: 'mix', status })).runs.map((run) => run.status);
    assert.deepEqual(await withStatus(['succeeded', 'running']), [
      'running',
      'succeeded',
      'running',
      'running',
      'succeeded',
    ]);
    assert.deepEqual(await withStatus('pending'), ['pending', 'pending', 'pending', 'pending']);
    assert.deepEqual(await withStatus(['failed', 'skipped']), ['skipped', 'failed']);
    assert.deepEqual(await ids({ job: 'mix', fanKey: '', limit: 4 }), expected.slice(1, 5));
    // The newest run of a job is its newest whatever its status.
    const [k2] = expected;
    assert.deepEqual(
      (await store.latestRuns(['mix', 'other'])).map((run) => run.id),
      [k2, inserted[9]!.id],
    );
    await store.finishRun(mix[5]!.id, 'n', { status: 'succeeded', finishedAt: T0 + 2 });
    const recent = await store.listRecentRuns({
      keys: [
        { job: 'mix', fanKey: '' },
        { job: 'mix', fanKey: 'k2' },
      ],
      perKey: 5,
    });
    assert.deepEqual(
      recent.map((run) => [run.fanKey, run.id, run.status]),
      [
        ['', expected[1], 'skipped'],
        ['', expected[2], 'pending'],
        ['', expected[3], 'pending'],
        ['', expected[4], 'pending'],
        ['', expected[5], 'succeeded'],
        ['k2', k2, 'pending'],
      ],
    );
  });

  it('lists every run of a job while its runs end meanwhile: a run ending during a listing is not missed', async () => {
    const { store } = context;
    const { inserted } = await store.insertRuns(Array.from({ length: 60 }, () => newRun({ job: 'busy' })));
    const claimed = await store.claimRuns({ node: 'n', now: T0, limit: 60, leaseMs: 60 * second });
    assert.equal(claimed.length, 60);
    const all = inserted.map((run) => run.id).reverse();
    const listings = await readWhileWriting(
      claimed.map((run) => () => store.finishRun(run.id, 'n', { status: 'succeeded', finishedAt: T0 + 1 })),
      async () => (await store.listRuns({ job: 'busy', limit: 100 })).runs.map((run) => run.id),
    );
    const short = listings
      .filter((ids) => ids.length !== all.length)
      .map((ids) => all.filter((id) => !ids.includes(id)));
    assert.deepEqual(short, [], 'runs missing from listings made while runs ended');
  });

  it('lists each run as getRun reads it, with the numbers it reported when asked, in one read', async () => {
    const { store } = context;
    const { inserted } = await store.insertRuns([
      newRun({
        job: 'a',
        params: { who: 'Zoë "q" \\ \n', empty: '' },
        payload: { deep: [1, 2.5, null, 'é'] },
      }),
      newRun({
        job: 'b',
        trigger: 'manual',
        fanKey: 'tenant-1',
        rateKey: 'org-1',
        priority: 3,
        dryRun: true,
      }),
      newRun({
        job: 'c',
        params: { token: '***' },
        secretParams: new SecretParams({ token: 'a-secret-value' }),
      }),
      newRun({ job: 'd', status: 'skipped', reason: 'overlap' }),
    ]);
    const [first, second_, third] = inserted;
    await store.claimRuns({ node: 'n', now: T0 + 10 * second, limit: 1, leaseMs: second });
    await store.recordMetrics(
      first!.id,
      { rows: 12, ratio: 0.1 + 0.2, huge: 1e300, negative: -5, whole: 2 },
      T0,
    );
    await store.recordMetrics(third!.id, { 'a name with spaces "and quotes"': 1.5 }, T0);
    const page = await store.listRuns({ withMetrics: true });
    assert.equal(page.runs.length, 4);
    for (const run of page.runs) assert.deepEqual(run, await store.getRunOrThrow(run.id));
    const ids = page.runs.map((run) => run.id);
    assert.deepEqual(
      [...(page.metrics ?? new Map())].sort(([x], [y]) => x - y),
      [...(await store.listRunMetrics(ids))].sort(([x], [y]) => x - y),
    );
    assert.deepEqual(page.metrics?.get(first!.id), {
      huge: 1e300,
      negative: -5,
      ratio: 0.1 + 0.2,
      rows: 12,
      whole: 2,
    });
    assert.deepEqual(Object.keys(page.metrics?.get(first!.id) ?? {}), [
      'huge',
      'negative',
      'ratio',
      'rows',
      'whole',
    ]);
    assert.equal(page.metrics?.has(second_!.id), false);
    assert.equal((await store.listRuns({})).metrics, undefined);
    assert.equal((await store.listRuns({ status: [], withMetrics: true })).metrics?.size, 0);
  });

  it('lists the runs of one fan-out key, in the query and not after a page is cut', async () => {
    const { store } = context;
    await store.insertRuns([
      newRun({ job: 'fan', fanKey: 'eu', scheduledAt: T0 }),
      newRun({ job: 'fan', fanKey: 'us', scheduledAt: T0 + 1 * second }),
      newRun({ job: 'fan', fanKey: 'us', scheduledAt: T0 + 2 * second }),
      newRun({ job: 'plain', scheduledAt: T0 + 3 * second }),
    ]);
    const keys = async (query: Parameters<typeof store.listRuns>[0]) =>
      (await store.listRuns(query)).runs.map((run) => `${run.fanKey}@${(run.scheduledAt - T0) / second}`);
    // A limit of 1 would find no eu run if the key were applied to the page afterwards.
    assert.deepEqual(await keys({ fanKey: 'eu', limit: 1 }), ['eu@0']);
    assert.deepEqual(await keys({ job: 'fan', fanKey: 'us' }), ['us@2', 'us@1']);
    assert.deepEqual(await keys({ fanKey: '' }), ['@3']);
    assert.deepEqual(await keys({ job: 'plain', fanKey: 'eu' }), []);
  });

  it('lists the runs of one queue key (rate key), in the query and not after a page is cut', async () => {
    const { store } = context;
    await store.insertRuns([
      newRun({ job: 'queue', rateKey: 'acme', scheduledAt: T0 }),
      newRun({ job: 'queue', rateKey: 'globex', scheduledAt: T0 + 1 * second }),
      newRun({ job: 'queue', rateKey: 'globex', scheduledAt: T0 + 2 * second }),
      newRun({ job: 'other', rateKey: 'acme', scheduledAt: T0 + 3 * second }),
      newRun({ job: 'queue', scheduledAt: T0 + 4 * second }),
    ]);
    const keys = async (query: Parameters<typeof store.listRuns>[0]) =>
      (await store.listRuns(query)).runs.map(
        (run) => `${run.job}:${run.rateKey ?? '-'}@${(run.scheduledAt - T0) / second}`,
      );
    assert.deepEqual(await keys({ job: 'queue', rateKey: 'acme', limit: 1 }), ['queue:acme@0']);
    assert.deepEqual(await keys({ job: 'queue', rateKey: 'globex' }), ['queue:globex@2', 'queue:globex@1']);
    assert.deepEqual(await keys({ rateKey: 'acme' }), ['other:acme@3', 'queue:acme@0']);
    assert.deepEqual(await keys({ job: 'queue', rateKey: 'initech' }), []);
  });

  it('pages through runs with a cursor, newest first, without gaps or repeats', async () => {
    const { store } = context;
    await store.insertRuns(
      Array.from({ length: 23 }, (_, index) => newRun({ job: index % 2 === 0 ? 'even' : 'odd' })),
    );
    const seen: number[] = [];
    let cursor: number | null = null;
    let pages = 0;
    do {
      const page = await store.listRuns({ limit: 5, cursor });
      seen.push(...page.runs.map((run) => run.id));
      cursor = page.nextCursor;
      pages += 1;
    } while (cursor !== null);
    assert.equal(pages, 5);
    assert.equal(seen.length, 23);
    assert.deepEqual(
      seen,
      [...seen].sort((a, b) => b - a),
    );
    const evens = await store.listRuns({ job: 'even', limit: 12 });
    assert.equal(evens.runs.length, 12);
    assert.equal(evens.nextCursor, null, 'an exactly full last page has no next page');
    await assert.rejects(store.listRuns({ limit: 0 }), { code: 'store.input' });
    await assert.rejects(store.listRuns({ limit: 1001 }), { code: 'store.input' });
  });

  it('counts pending and running runs per job and knows when the next pending run is due', async () => {
    const { store } = context;
    assert.equal(await store.nextPendingRunAfter(), null);
    await store.insertRuns([
      newRun({ job: 'a' }),
      newRun({ job: 'a' }),
      newRun({ job: 'a', runAfter: T0 + 90 * second }),
      newRun({ job: 'b', runAfter: T0 + 30 * second }),
      newRun({ job: 'c', status: 'skipped' }),
    ]);
    await store.claimRuns({ node: 'n', now: T0, limit: 1, leaseMs: second });
    assert.deepEqual(await store.countActiveRuns(), [
      { job: 'a', pending: 2, running: 1 },
      { job: 'b', pending: 1, running: 0 },
    ]);
    assert.deepEqual(await store.countActiveRuns(['b', 'c']), [{ job: 'b', pending: 1, running: 0 }]);
    assert.deepEqual(await store.countActiveRuns([]), []);
    assert.equal(await store.nextPendingRunAfter(), T0);
    assert.equal(await store.nextPendingRunAfter(['b']), T0 + 30 * second);
    assert.equal(await store.nextPendingRunAfter(['c']), null);
  });

  it("moves its change mark with every committed write, its own or another connection's, and not while only reading", async () => {
    const { store, harness } = context;
    const moved = async (write: () => Promise<unknown>, what: string): Promise<void> => {
      const before = await store.readChangeMark();
      await write();
      assert.notEqual(await store.readChangeMark(), before, `the mark did not move after ${what}`);
    };
    // On PostgreSQL the mark is the server's: another database's write moves it too, so two
    // reads in a row are looked for (a few tries), not two reads of any moment.
    let steady = false;
    for (let attempt = 0; attempt < 20 && !steady; attempt++) {
      const first = await store.readChangeMark();
      await store.listRuns({ limit: 10 });
      await store.getRun(1);
      steady = (await store.readChangeMark()) === first;
    }
    assert.ok(steady, 'reading alone moved the mark');
    let id = 0;
    await moved(async () => {
      id = (await store.insertRuns([newRun({ job: 'a' })])).inserted[0]!.id;
    }, 'an insert');
    await moved(() => store.claimRuns({ node: 'n', now: T0, limit: 1, leaseMs: second }), 'a claim');
    await moved(() => store.recordMetrics(id, { rows: 1 }, T0), 'metrics recorded');
    await moved(() => store.finishRun(id, 'n', { status: 'succeeded', finishedAt: T0 + second }), 'a finish');
    const other = await harness.open();
    try {
      await moved(() => other.insertRuns([newRun({ job: 'b' })]), "another store's insert");
    } finally {
      await other.release();
    }
    await moved(
      () => harness.query(harness.url, `UPDATE runs SET error = 'changed elsewhere' WHERE id = ${id}`),
      'an update on a connection of its own',
    );
  });
}
