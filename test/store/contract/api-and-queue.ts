/** What the HTTP API asks of the store: tokens, the audit log, queue items and run details. */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { it } from 'node:test';
import type { NewApiToken } from '../../../src/store/index.ts';
import type { ContractContext } from './context.ts';
import { T0, newRun, readWhileWriting, second } from './context.ts';

function token(overrides: Partial<NewApiToken> = {}): NewApiToken {
  return {
    id: 'abc123def456',
    name: 'deploy',
    hash: createHash('sha256').update('cpt_abc123def456_secret').digest('hex'),
    scope: 'trigger',
    jobs: ['cleanup-*'],
    createdAt: T0,
    createdBy: 'cli:ops',
    ...overrides,
  };
}

export function defineApiAndQueueTests(context: ContractContext): void {
  it('keeps API tokens by id with their hash, scope and job patterns, and lists active ones by name', async () => {
    const { store } = context;
    const created = await store.createApiToken(token());
    assert.deepEqual(created, { ...token(), lastUsedAt: null, revokedAt: null });
    assert.deepEqual(await store.getApiToken('abc123def456'), created);
    assert.equal(await store.getApiToken('nosuchtoken'), undefined);
    await store.createApiToken(token({ id: 'aaaaaaaaaaaa', name: 'reader', scope: 'read', jobs: [] }));
    assert.deepEqual(
      (await store.listApiTokens()).map((record) => `${record.name}:${record.scope}`),
      ['deploy:trigger', 'reader:read'],
    );
    await store.touchApiToken('aaaaaaaaaaaa', T0 + second);
    assert.equal((await store.getApiToken('aaaaaaaaaaaa'))?.lastUsedAt, T0 + second);
  });

  it('refuses a second active token with the same name, and frees the name once it is revoked', async () => {
    const { store } = context;
    await store.createApiToken(token());
    await assert.rejects(store.createApiToken(token({ id: 'bbbbbbbbbbbb' })), {
      code: 'store.conflict',
      message: /token named "deploy" exists/,
    });
    assert.equal(await store.revokeApiToken('deploy', T0 + second), true);
    assert.equal(await store.revokeApiToken('deploy', T0 + second), false, 'already revoked');
    assert.equal((await store.getApiToken('abc123def456'))?.revokedAt, T0 + second);
    assert.deepEqual(await store.listApiTokens(), []);
    await store.createApiToken(token({ id: 'bbbbbbbbbbbb' }));
    assert.equal((await store.listApiTokens({ includeRevoked: true })).length, 2);
  });

  it('refuses tokens with a bad scope or a hash that is not a sha256 digest, storing nothing', async () => {
    const { store } = context;
    await assert.rejects(store.createApiToken(token({ scope: 'root' as NewApiToken['scope'] })), {
      code: 'store.input',
      message: /read, trigger, admin/,
    });
    await assert.rejects(store.createApiToken(token({ hash: 'cpt_abc123def456_secret' })), (error: Error) => {
      assert.doesNotMatch(error.message, /secret/, 'the refused value is not echoed');
      return true;
    });
    assert.deepEqual(await store.listApiTokens({ includeRevoked: true }), []);
  });

  it('appends audit entries and lists them newest first, by actor and by page', async () => {
    const { store } = context;
    for (let index = 0; index < 5; index++) {
      await store.recordAudit({
        at: T0 + index,
        actor: index % 2 === 0 ? 'deploy' : 'ops',
        action: 'job.trigger',
        target: `job-${index}`,
        details: { runs: [index] },
      });
    }
    const first = await store.listAudit({ limit: 2 });
    assert.deepEqual(
      first.entries.map((entry) => entry.target),
      ['job-4', 'job-3'],
    );
    assert.deepEqual(first.entries[0]?.details, { runs: [4] });
    const second = await store.listAudit({ limit: 2, cursor: first.nextCursor });
    assert.deepEqual(
      second.entries.map((entry) => entry.target),
      ['job-2', 'job-1'],
    );
    assert.deepEqual(
      (await store.listAudit({ actor: 'ops' })).entries.map((entry) => entry.target),
      ['job-3', 'job-1'],
    );
  });

  it('records a queue item as held: listed by its status, never claimed, no worker woken for it', async () => {
    const { store } = context;
    const { inserted } = await store.insertRuns([
      newRun({ job: 'q', rateKey: 'org-a', status: 'held', runAfter: T0 - second }),
      newRun({ job: 'q', rateKey: 'org-b' }),
    ]);
    const [item, due] = inserted;
    assert.deepEqual([item?.status, item?.finishedAt], ['held', null]);
    assert.deepEqual(
      (await store.listTransitions(item!.id)).map((row) => [row.from, row.to]),
      [[null, 'held']],
    );
    assert.deepEqual(
      (await store.listRuns({ status: 'held' })).runs.map((run) => run.id),
      [item!.id],
    );
    assert.deepEqual(
      (await store.listRuns({ status: ['held', 'pending'] })).runs.map((run) => run.id),
      [due!.id, item!.id],
    );
    assert.equal(await store.nextPendingRunAfter(['q']), T0, 'only the pending run is due');
    const claimed = await store.claimRuns({ node: 'n', now: T0 + 10 * second, limit: 10, leaseMs: second });
    assert.deepEqual(
      claimed.map((run) => run.id),
      [due!.id],
    );
    assert.equal((await store.getRunOrThrow(item!.id)).status, 'held');
  });

  it('lists a job’s held runs oldest first, a page at a time', async () => {
    const { store } = context;
    const { inserted } = await store.insertRuns([
      newRun({ job: 'q', rateKey: 'org-a', status: 'held' }),
      newRun({ job: 'other', status: 'held' }),
      newRun({ job: 'q', rateKey: 'org-b' }),
      newRun({ job: 'q', rateKey: 'org-a', status: 'held' }),
    ]);
    const [first, , , last] = inserted;
    assert.deepEqual(
      (await store.listHeldRuns({ job: 'q' })).map((run) => run.id),
      [first!.id, last!.id],
    );
    assert.deepEqual(
      (await store.listHeldRuns({ job: 'q', limit: 1 })).map((run) => run.id),
      [first!.id],
    );
    assert.deepEqual(
      (await store.listHeldRuns({ job: 'q', afterId: first!.id })).map((run) => run.id),
      [last!.id],
    );
    await assert.rejects(store.listHeldRuns({ job: '' }), { code: 'store.input' });
  });

  it('counts a job’s held, pending and running runs per rate key', async () => {
    const { store } = context;
    await store.insertRuns([
      newRun({ job: 'q', rateKey: 'org-a' }),
      newRun({ job: 'q', rateKey: 'org-a', status: 'held' }),
      newRun({ job: 'q', rateKey: 'org-b', status: 'held' }),
      newRun({ job: 'q', rateKey: null }),
      newRun({ job: 'other', rateKey: 'org-a' }),
    ]);
    await store.claimRuns({ node: 'n', now: T0, limit: 1, leaseMs: second, jobs: ['q'] });
    assert.deepEqual(await store.countActiveRunsByKey('q'), [
      { rateKey: null, held: 0, pending: 1, running: 0 },
      { rateKey: 'org-a', held: 1, pending: 0, running: 1 },
      { rateKey: 'org-b', held: 1, pending: 0, running: 0 },
    ]);
    assert.deepEqual(await store.countActiveRunsByKey('none'), []);
  });

  it('counts a job’s runs per rate key while held runs are released meanwhile: each run once in every count', async () => {
    const { store } = context;
    const { inserted } = await store.insertRuns(
      Array.from({ length: 40 }, (_, index) =>
        newRun({ job: 'drip', rateKey: `org-${index % 2}`, status: 'held' }),
      ),
    );
    const totals = await readWhileWriting(
      inserted.map((run) => () => store.releaseHeldRuns([run.id], { at: T0 + second })),
      async () =>
        (await store.countActiveRunsByKey('drip')).reduce(
          (sum, key) => sum + key.held + key.pending + key.running,
          0,
        ),
    );
    assert.deepEqual(
      totals.filter((total) => total !== 40),
      [],
      'counts made while runs were released that were not 40',
    );
  });

  it('lists a job’s overdue runs: pending past a due time, running past a lease or a start, oldest first', async () => {
    const { store } = context;
    const { inserted } = await store.insertRuns([
      newRun({ job: 'q', runAfter: T0 }),
      newRun({ job: 'q', runAfter: T0 + 10 * second }),
      newRun({ job: 'q', status: 'held' }),
      newRun({ job: 'other', runAfter: T0 }),
      newRun({ job: 'q', runAfter: T0 }),
      newRun({ job: 'q', runAfter: T0 }),
    ]);
    const [late, fresh, , , expiring, running] = inserted;
    await store.claimRuns({ node: 'n', now: T0, limit: 1, leaseMs: second, runIds: [expiring!.id] });
    await store.claimRuns({ node: 'n', now: T0, limit: 1, leaseMs: 60 * second, runIds: [running!.id] });
    const overdue = (query: { pending: number; lease: number; started?: number }) =>
      store
        .listOverdueRuns({
          job: 'q',
          pendingDueBefore: query.pending,
          leaseExpiredBefore: query.lease,
          ...(query.started === undefined ? {} : { runningStartedBefore: query.started }),
        })
        .then((runs) => runs.map((run) => run.id));
    assert.deepEqual(await overdue({ pending: T0 + second, lease: T0 + 2 * second }), [
      late!.id,
      expiring!.id,
    ]);
    assert.deepEqual(await overdue({ pending: T0, lease: T0 }), []);
    assert.deepEqual(await overdue({ pending: T0, lease: T0, started: T0 + 1 }), [expiring!.id, running!.id]);
    assert.deepEqual(await overdue({ pending: T0 + 20 * second, lease: T0 }), [late!.id, fresh!.id]);
    await assert.rejects(store.listOverdueRuns({ job: '', pendingDueBefore: T0, leaseExpiredBefore: T0 }), {
      code: 'store.input',
    });
  });

  it('releases held runs to pending, due at the release, with a transition row each', async () => {
    const { store } = context;
    const { inserted } = await store.insertRuns([
      newRun({ job: 'q', status: 'held' }),
      newRun({ job: 'q', status: 'held' }),
      newRun({ job: 'q' }),
    ]);
    const ids = inserted.map((run) => run.id);
    const released = await store.releaseHeldRuns(ids, { at: T0 + second, node: 'n1' });
    assert.deepEqual(released, ids.slice(0, 2), 'the pending run was not held');
    for (const id of released) {
      const run = await store.getRunOrThrow(id);
      assert.deepEqual([run.status, run.runAfter, run.statusSeq], ['pending', T0 + second, 2]);
      assert.deepEqual(
        (await store.listTransitions(id)).map((row) => [row.seq, row.from, row.to, row.at, row.node]),
        [
          [1, null, 'held', T0, null],
          [2, 'held', 'pending', T0 + second, 'n1'],
        ],
      );
    }
    assert.deepEqual(await store.releaseHeldRuns(ids, { at: T0 + 2 * second }), [], 'nothing held any more');
    assert.deepEqual(await store.releaseHeldRuns([], { at: T0 }), []);
    const claimed = await store.claimRuns({ node: 'n', now: T0 + second, limit: 10, leaseMs: second });
    assert.equal(claimed.length, 3);
  });

  it('releases a held run once when two nodes release it at the same time (compare-and-set on held)', async () => {
    const { harness, store } = context;
    const other = await harness.open();
    try {
      const { inserted } = await store.insertRuns(
        Array.from({ length: 20 }, () => newRun({ job: 'q', status: 'held' })),
      );
      const ids = inserted.map((run) => run.id);
      const [mine, theirs] = await Promise.all([
        store.releaseHeldRuns(ids, { at: T0 + second, node: 'n1' }),
        other.releaseHeldRuns(ids, { at: T0 + second, node: 'n2' }),
      ]);
      assert.deepEqual(
        [...mine, ...theirs].sort((a, b) => a - b),
        ids,
        'each released by exactly one',
      );
      for (const id of ids) {
        const rows = await store.listTransitions(id);
        assert.deepEqual(
          rows.map((row) => [row.from, row.to]),
          [
            [null, 'held'],
            ['held', 'pending'],
          ],
        );
        assert.equal(rows[1]?.node, mine.includes(id) ? 'n1' : 'n2');
      }
    } finally {
      await other.release();
    }
  });

  it('cancels a held run with a held to cancelled row; a cancelled item is not released', async () => {
    const { store } = context;
    const { inserted } = await store.insertRuns([newRun({ job: 'q', status: 'held' })]);
    const id = inserted[0]!.id;
    assert.equal(await store.cancelRun(id, { at: T0 + second, node: 'api', reason: 'not needed' }), true);
    const run = await store.getRunOrThrow(id);
    assert.deepEqual(
      [run.status, run.finishedAt, run.statusReason],
      ['cancelled', T0 + second, 'not needed'],
    );
    assert.deepEqual(
      (await store.listTransitions(id)).map((row) => [row.from, row.to, row.reason]),
      [
        [null, 'held', null],
        ['held', 'cancelled', 'not needed'],
      ],
    );
    assert.deepEqual(await store.releaseHeldRuns([id], { at: T0 + 2 * second }), []);
    assert.equal(await store.cancelRun(id, { at: T0 + 2 * second }), false, 'already ended');
  });

  it('lets a held run become only pending or cancelled', async () => {
    const { store } = context;
    const { inserted } = await store.insertRuns([newRun({ job: 'q', status: 'held' })]);
    const id = inserted[0]!.id;
    await assert.rejects(store.transitionRun(id, { from: 'held', to: 'running', at: T0 }), {
      code: 'store.transition',
      message: /from held it may go to: pending, cancelled/,
    });
    assert.equal(await store.transitionRun(id, { from: 'pending', to: 'cancelled', at: T0 }), false);
    assert.equal(await store.transitionRun(id, { from: 'held', to: 'pending', at: T0 + second }), true);
    assert.equal((await store.getRunOrThrow(id)).status, 'pending');
  });

  it('finds each job’s latest run, a run’s attempts and the numbers it reported', async () => {
    const { store } = context;
    const { inserted } = await store.insertRuns([
      newRun({ job: 'a' }),
      newRun({ job: 'b' }),
      newRun({ job: 'a', scheduledAt: T0 + second }),
    ]);
    const [a1, b1, a2] = inserted;
    assert.deepEqual(
      (await store.latestRuns(['b', 'a', 'none'])).map((run) => run.id),
      [b1!.id, a2!.id],
    );
    assert.deepEqual(await store.latestRuns([]), []);
    // Past one statement's share of names: a second one, and the order asked kept.
    const many = Array.from({ length: 600 }, (_, index) => `none-${index}`);
    assert.deepEqual(
      (await store.latestRuns([...many, 'a', 'b'])).map((run) => run.id),
      [a2!.id, b1!.id],
    );
    const { inserted: retries } = await store.insertRuns([
      newRun({ job: 'a', attempt: 3, firstRunId: a1!.id }),
      newRun({ job: 'a', attempt: 2, firstRunId: a1!.id }),
    ]);
    assert.deepEqual(
      (await store.listAttempts(a1!.id)).map((run) => run.attempt),
      [1, 2, 3],
    );
    assert.equal((await store.listAttempts(a1!.id))[2]?.id, retries[0]?.id);
    await store.recordMetrics(a1!.id, { rows: 12, latency_ms: 3.5 }, T0);
    await store.recordMetrics(b1!.id, { rows: 1 }, T0);
    assert.deepEqual(await store.getRunMetrics(a1!.id), { latency_ms: 3.5, rows: 12 });
    assert.deepEqual(await store.getRunMetrics(a2!.id), {});
    const listed = await store.listRunMetrics([a2!.id, b1!.id, a1!.id]);
    assert.deepEqual(
      [...listed].sort(([x], [y]) => x - y),
      [
        [a1!.id, { latency_ms: 3.5, rows: 12 }],
        [b1!.id, { rows: 1 }],
      ],
    );
    assert.equal((await store.listRunMetrics([])).size, 0);
  });
}
