/** What the HTTP API asks of the store: tokens, the audit log, queue items and run details. */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { it } from 'node:test';
import type { NewApiToken } from '../../../src/store/index.ts';
import type { ContractContext } from './context.ts';
import { T0, newRun, second } from './context.ts';

const held = Number.MAX_SAFE_INTEGER;

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

  it('lists a job’s pending runs oldest first, optionally only those held back', async () => {
    const { store } = context;
    await store.insertRuns([
      newRun({ job: 'q', rateKey: 'org-a', runAfter: held }),
      newRun({ job: 'other', runAfter: held }),
      newRun({ job: 'q', rateKey: 'org-b' }),
      newRun({ job: 'q', rateKey: 'org-a', runAfter: held }),
    ]);
    const all = await store.listPendingRuns({ job: 'q' });
    assert.deepEqual(
      all.map((run) => run.rateKey),
      ['org-a', 'org-b', 'org-a'],
    );
    assert.ok(all[0]!.id < all[1]!.id && all[1]!.id < all[2]!.id);
    const waiting = await store.listPendingRuns({ job: 'q', runAfterFrom: held, limit: 1 });
    assert.deepEqual(
      waiting.map((run) => run.id),
      [all[0]!.id],
    );
    const next = await store.listPendingRuns({ job: 'q', runAfterFrom: held, afterId: all[0]!.id });
    assert.deepEqual(
      next.map((run) => run.id),
      [all[2]!.id],
    );
  });

  it('counts a job’s active runs per rate key, leaving out runs still held back when asked', async () => {
    const { store } = context;
    await store.insertRuns([
      newRun({ job: 'q', rateKey: 'org-a' }),
      newRun({ job: 'q', rateKey: 'org-a', runAfter: held }),
      newRun({ job: 'q', rateKey: 'org-b', runAfter: held }),
      newRun({ job: 'q', rateKey: null }),
      newRun({ job: 'other', rateKey: 'org-a' }),
    ]);
    await store.claimRuns({ node: 'n', now: T0, limit: 1, leaseMs: second, jobs: ['q'] });
    assert.deepEqual(await store.countActiveRunsByKey('q'), [
      { rateKey: null, pending: 1, running: 0 },
      { rateKey: 'org-a', pending: 1, running: 1 },
      { rateKey: 'org-b', pending: 1, running: 0 },
    ]);
    assert.deepEqual(await store.countActiveRunsByKey('q', { runAfterBefore: held }), [
      { rateKey: null, pending: 1, running: 0 },
      { rateKey: 'org-a', pending: 0, running: 1 },
    ]);
  });

  it('moves held runs to due with a compare-and-set on their earliest start', async () => {
    const { store } = context;
    const { inserted } = await store.insertRuns([
      newRun({ job: 'q', runAfter: held }),
      newRun({ job: 'q', runAfter: held }),
      newRun({ job: 'q' }),
    ]);
    const ids = inserted.map((run) => run.id);
    const moved = await store.rescheduleRuns(ids, { from: held, to: T0 + second });
    assert.deepEqual(moved, ids.slice(0, 2));
    assert.deepEqual(await store.rescheduleRuns(ids, { from: held, to: T0 }), [], 'nothing held any more');
    const claimed = await store.claimRuns({ node: 'n', now: T0 + second, limit: 10, leaseMs: second });
    assert.equal(claimed.length, 3);
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
  });
}
