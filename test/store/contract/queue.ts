/** The run queue: inserting, claiming exactly once in order, leases, finishing. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import { makeFireKey } from '../../../src/store/index.ts';
import type { RunRecord } from '../../../src/store/index.ts';
import type { ContractContext } from './context.ts';
import { T0, manyRuns, newRun, refusedAt, second } from './context.ts';

const claim = { node: 'node-a', now: T0, limit: 100, leaseMs: 30 * second };

export function defineQueueTests(context: ContractContext): void {
  it('records runs with their defaults and returns them exactly as getRun reads them', async () => {
    const { store } = context;
    const { inserted, duplicates } = await store.insertRuns([
      newRun(),
      newRun({
        job: 'eval',
        fanKey: 'acme',
        params: { model: 'small', tenant: 'acme' },
        payload: { items: [1, 'two', null], nested: { ok: true } },
        trigger: 'retry',
        requestedBy: 'alice',
        runAfter: T0 + 5 * second,
        priority: 7,
        rateKey: 'org-1',
        attempt: 2,
        dryRun: true,
        fireKey: makeFireKey('eval', 'acme', T0, 2),
      }),
    ]);
    assert.equal(duplicates, 0);
    assert.equal(inserted.length, 2);
    for (const run of inserted) assert.deepEqual(await store.getRunOrThrow(run.id), run);
    const [plain, full] = inserted as [RunRecord, RunRecord];
    assert.deepEqual(
      { ...plain, id: 0 },
      {
        id: 0,
        job: 'backup',
        fanKey: '',
        params: {},
        payload: null,
        trigger: 'api',
        requestedBy: null,
        scheduledAt: T0,
        runAfter: T0,
        priority: 0,
        rateKey: null,
        queuedAt: T0,
        startedAt: null,
        finishedAt: null,
        attempt: 1,
        firstRunId: null,
        status: 'pending',
        statusReason: null,
        statusSeq: 1,
        exitCode: null,
        httpStatus: null,
        error: null,
        dryRun: false,
        node: null,
        leaseOwner: null,
        leaseExpiresAt: null,
        fireKey: null,
        logBytes: 0,
        logTruncated: false,
      },
    );
    assert.equal(full.fireKey, 'eval|acme|' + T0 + '|2');
    const { inserted: retries } = await store.insertRuns([newRun({ firstRunId: full.id, attempt: 3 })]);
    assert.equal((await store.getRunOrThrow(retries[0]!.id)).firstRunId, full.id);
  });

  it('ignores a duplicate fire key, within a batch and across batches, and counts it', async () => {
    const { store } = context;
    const key = makeFireKey('backup', '', T0, 1);
    const first = await store.insertRuns([newRun({ fireKey: key }), newRun({ fireKey: key }), newRun()]);
    assert.equal(first.inserted.length, 2);
    assert.equal(first.duplicates, 1);
    const again = await store.insertRuns([
      newRun({ fireKey: key }),
      newRun({ fireKey: makeFireKey('backup', '', T0, 2) }),
    ]);
    assert.equal(again.duplicates, 1);
    assert.deepEqual(
      again.inserted.map((run) => run.fireKey),
      [makeFireKey('backup', '', T0, 2)],
    );
    assert.equal((await store.listRuns()).runs.length, 3);
  });

  it('keeps a batch that mixes runs with and without a fire key in its order, ids rising', async () => {
    const { store } = context;
    const recorded = makeFireKey('eval', 'old', T0, 1);
    await store.insertRuns([newRun({ job: 'eval', fireKey: recorded })]);
    const key = makeFireKey('eval', 'new', T0, 1);
    const { inserted, duplicates } = await store.insertRuns([
      newRun({ job: 'eval', fanKey: 'a' }),
      newRun({ job: 'eval', fanKey: 'b', fireKey: key }),
      newRun({ job: 'eval', fanKey: 'c' }),
      newRun({ job: 'eval', fanKey: 'd', fireKey: key }),
      newRun({ job: 'eval', fanKey: 'e', fireKey: recorded }),
      newRun({ job: 'eval', fanKey: 'f' }),
    ]);
    assert.equal(duplicates, 2);
    assert.deepEqual(
      inserted.map((run) => run.fanKey),
      ['a', 'b', 'c', 'f'],
    );
    const ids = inserted.map((run) => run.id);
    assert.deepEqual(
      ids,
      [...ids].sort((a, b) => a - b),
    );
    for (const run of inserted) {
      assert.deepEqual(await store.getRunOrThrow(run.id), run);
      assert.equal((await store.listTransitions(run.id)).length, 1);
    }
  });

  it('records the creation of a run as its first transition', async () => {
    const { store } = context;
    const { inserted } = await store.insertRuns([
      newRun(),
      newRun({ status: 'skipped', reason: 'previous run still running' }),
    ]);
    const [queued, skipped] = inserted as [RunRecord, RunRecord];
    assert.deepEqual(await store.listTransitions(queued.id), [
      { runId: queued.id, seq: 1, at: T0, from: null, to: 'pending', reason: null, node: null },
    ]);
    assert.equal(skipped.status, 'skipped');
    assert.equal(skipped.finishedAt, T0);
    assert.equal(skipped.statusReason, 'previous run still running');
    assert.deepEqual(await store.getRunOrThrow(skipped.id), skipped);
    assert.equal((await store.claimRuns(claim)).length, 1, 'a skipped run is never claimed');
  });

  it('rejects a malformed run before writing anything, naming the field', async () => {
    const { store } = context;
    await assert.rejects(store.insertRuns([newRun(), newRun({ trigger: 'cron' as never })]), {
      code: 'store.input',
      message: /runs\[1\]\.trigger.*"cron"/,
    });
    await assert.rejects(store.insertRuns([newRun({ status: 'running' as never })]), { code: 'store.input' });
    await assert.rejects(store.insertRuns([newRun({ attempt: 0 })]), { code: 'store.input' });
    await assert.rejects(store.insertRuns([newRun({ scheduledAt: 1.5 })]), { code: 'store.input' });
    assert.equal((await store.listRuns()).runs.length, 0);
  });

  it('claims highest priority first, then the earliest run_after, then the lowest id', async () => {
    const { store } = context;
    const { inserted } = await store.insertRuns([
      newRun({ job: 'a', runAfter: T0 - 3 * second }),
      newRun({ job: 'b', runAfter: T0 - 1 * second, priority: 5 }),
      newRun({ job: 'c', runAfter: T0 - 5 * second }),
      newRun({ job: 'd', runAfter: T0 - 3 * second }),
      newRun({ job: 'e', runAfter: T0 - 2 * second, priority: 5 }),
    ]);
    const firstTwo = await store.claimRuns({ ...claim, limit: 2 });
    assert.deepEqual(
      firstTwo.map((run) => run.job),
      ['e', 'b'],
    );
    const rest = await store.claimRuns(claim);
    assert.deepEqual(
      rest.map((run) => run.job),
      ['c', 'a', 'd'],
    );
    assert.equal(inserted.length, 5);
    assert.deepEqual(await store.claimRuns(claim), []);
  });

  it('does not claim a run whose run_after is still in the future', async () => {
    const { store } = context;
    await store.insertRuns([
      newRun({ job: 'later', runAfter: T0 + 1 }),
      newRun({ job: 'now', runAfter: T0 }),
    ]);
    assert.deepEqual(
      (await store.claimRuns(claim)).map((run) => run.job),
      ['now'],
    );
    assert.deepEqual(await store.claimRuns(claim), []);
    assert.deepEqual(
      (await store.claimRuns({ ...claim, now: T0 + 1 })).map((run) => run.job),
      ['later'],
    );
  });

  it('gives the claimed run a lease and a node and records pending to running', async () => {
    const { store } = context;
    await store.insertRuns([newRun()]);
    const [run] = await store.claimRuns(claim);
    assert.ok(run !== undefined);
    assert.equal(run.status, 'running');
    assert.equal(run.node, 'node-a');
    assert.equal(run.leaseOwner, 'node-a');
    assert.equal(run.startedAt, T0);
    assert.equal(run.leaseExpiresAt, T0 + 30 * second);
    assert.equal(run.statusSeq, 2);
    assert.deepEqual(await store.getRunOrThrow(run.id), run);
    assert.deepEqual((await store.listTransitions(run.id))[1], {
      runId: run.id,
      seq: 2,
      at: T0,
      from: 'pending',
      to: 'running',
      reason: null,
      node: 'node-a',
    });
  });

  it('claims only the jobs, rate keys and runs the filters allow', async () => {
    const { store } = context;
    const { inserted } = await store.insertRuns([
      newRun({ job: 'a', rateKey: 'org-1' }),
      newRun({ job: 'a', rateKey: 'org-2' }),
      newRun({ job: 'b' }),
      newRun({ job: 'c', rateKey: 'org-1' }),
      newRun({ job: 'c' }),
    ]);
    const ids = inserted.map((run) => run.id);
    const jobsOf = (runs: readonly RunRecord[]) =>
      runs.map((run) => `${run.job}:${run.rateKey ?? '-'}`).sort();
    assert.deepEqual(jobsOf(await store.claimRuns({ ...claim, runIds: [ids[4]!, ids[2]!] })), ['b:-', 'c:-']);
    assert.deepEqual(jobsOf(await store.claimRuns({ ...claim, exclude: { rateKeys: ['org-1'] } })), [
      'a:org-2',
    ]);
    assert.deepEqual(await store.claimRuns({ ...claim, jobs: ['b'] }), []);
    assert.deepEqual(jobsOf(await store.claimRuns({ ...claim, exclude: { jobs: ['a'] } })), ['c:org-1']);
    assert.deepEqual(jobsOf(await store.claimRuns({ ...claim, jobs: ['a', 'b'] })), ['a:org-1']);
    assert.deepEqual(await store.claimRuns({ ...claim, jobs: [] }), []);
  });

  it('claims each run exactly once when two stores race over 1,000 runs', async () => {
    const { harness, store } = context;
    await store.insertRuns(Array.from({ length: 1000 }, (_, index) => newRun({ job: `job-${index % 7}` })));
    const racers = await Promise.all([harness.open(), harness.open()]);
    try {
      const claimedBy = await Promise.all(
        racers.map(async (racer, index) => {
          const ids: number[] = [];
          for (;;) {
            const runs = await racer.claimRuns({ ...claim, node: `node-${index}`, limit: 25 });
            if (runs.length === 0) return ids;
            ids.push(...runs.map((run) => run.id));
          }
        }),
      );
      const all = claimedBy.flat();
      assert.equal(all.length, 1000, 'every run claimed');
      assert.equal(new Set(all).size, 1000, 'no run claimed twice');
      assert.ok(
        claimedBy.every((ids) => ids.length > 0),
        'both claimers got work',
      );
      const transitions = await harness.query<{ n: number }>(
        harness.url,
        "SELECT count(*) AS n FROM run_transitions WHERE to_status = 'running'",
      );
      assert.equal(Number(transitions[0]?.n), 1000);
    } finally {
      await Promise.all(racers.map((racer) => racer.release()));
    }
  });

  it('records and claims in one call: the runs just queued are claimed in claim order with the others, with their transitions', async () => {
    const { store } = context;
    const { inserted: [waiting] = [] } = await store.insertRuns([newRun({ job: 'waiting', priority: 5 })]);
    const { inserted, duplicates, claimed } = await store.insertAndClaimRuns(
      [
        newRun({ job: 'new-1' }),
        newRun({ job: 'new-2', runAfter: T0 + 1 }),
        newRun({ job: 'new-3', priority: 9 }),
      ],
      { ...claim, limit: 2 },
    );
    assert.equal(duplicates, 0);
    assert.deepEqual(
      inserted.map((run) => [run.job, run.status]),
      [
        ['new-1', 'pending'],
        ['new-2', 'pending'],
        ['new-3', 'pending'],
      ],
      'the runs as they were recorded',
    );
    // Claim order across old and new runs: priority 9, then 5; new-1 is due but past the limit, new-2 not due.
    assert.deepEqual(
      claimed.map((run) => run.job),
      ['new-3', 'waiting'],
    );
    const [first] = claimed;
    assert.ok(first !== undefined && waiting !== undefined);
    assert.equal(first.status, 'running');
    assert.equal(first.leaseOwner, 'node-a');
    assert.equal(first.leaseExpiresAt, T0 + 30 * second);
    assert.deepEqual(await store.getRunOrThrow(first.id), first);
    assert.deepEqual(
      (await store.listTransitions(first.id)).map((transition) => [
        transition.from,
        transition.to,
        transition.node,
      ]),
      [
        [null, 'pending', null],
        ['pending', 'running', 'node-a'],
      ],
    );
    assert.equal((await store.getRunOrThrow(waiting.id)).status, 'running');
    assert.deepEqual(
      (await store.claimRuns({ ...claim, now: T0 + 1 })).map((run) => run.job),
      ['new-1', 'new-2'],
      'the rest stayed pending',
    );
  });

  it('records and claims in one call: a duplicate fire key is counted, not claimed, and a bad claim writes nothing', async () => {
    const { store } = context;
    const fireKey = makeFireKey('backup', '', T0, 1);
    await store.insertRuns([newRun({ fireKey })]);
    const [held] = await store.claimRuns(claim);
    const again = await store.insertAndClaimRuns([newRun({ fireKey }), newRun({ job: 'other' })], claim);
    assert.equal(again.duplicates, 1);
    assert.deepEqual(
      again.claimed.map((run) => run.job),
      ['other'],
    );
    assert.notEqual(again.claimed[0]?.id, held?.id);
    const before = await store.listRuns({ limit: 100 });
    await assert.rejects(
      store.insertAndClaimRuns([newRun({ job: 'refused' })], { ...claim, leaseMs: 0 }),
      refusedAt('leaseMs'),
    );
    await assert.rejects(
      store.insertAndClaimRuns([newRun({ job: '' })], claim),
      (thrown: { code?: string }) => thrown.code === 'store.input',
    );
    assert.deepEqual(await store.listRuns({ limit: 100 }), before, 'nothing was written');
    const { inserted, claimed } = await store.insertAndClaimRuns([newRun({ job: 'unclaimed' })], {
      ...claim,
      limit: 0,
    });
    assert.equal(inserted.length, 1);
    assert.deepEqual(claimed, [], 'a claim of 0 records the runs and claims none');
    const none = await store.insertAndClaimRuns([], claim);
    assert.deepEqual(
      none.claimed.map((run) => run.job),
      ['unclaimed'],
      'with no runs to record it is a plain claim',
    );
    assert.deepEqual(none.inserted, []);
  });

  it('claims of the runs it records only those the claim would take: pending, due, and passing its filters', async () => {
    const { store } = context;
    const { inserted: [waiting] = [] } = await store.insertRuns([
      newRun({ job: 'waiting', runAfter: T0 - 1 }),
    ]);
    const fireKey = makeFireKey('keyed', '', T0, 1);
    const { inserted, duplicates, claimed } = await store.insertAndClaimRuns(
      [
        newRun({ job: 'held', status: 'held' }),
        newRun({ job: 'later', runAfter: T0 + 5 * second }),
        newRun({ job: 'ahead', runAfter: T0 + second, priority: 1 }),
        newRun({ job: 'excluded' }),
        newRun({ job: 'limited', rateKey: 'org-1' }),
        newRun({ job: 'keyed', fireKey, priority: 2 }),
        newRun({ job: 'keyed', fireKey, priority: 3 }),
        newRun({ job: 'plain', rateKey: 'org-2' }),
      ],
      { ...claim, aheadMs: second, exclude: { jobs: ['excluded'], rateKeys: ['org-1'] } },
    );
    assert.equal(duplicates, 1, 'the second run with the same fire key');
    assert.deepEqual(
      inserted.map((run) => [run.job, run.status, run.priority]),
      [
        ['held', 'held', 0],
        ['later', 'pending', 0],
        ['ahead', 'pending', 1],
        ['excluded', 'pending', 0],
        ['limited', 'pending', 0],
        ['keyed', 'pending', 2],
        ['plain', 'pending', 0],
      ],
    );
    assert.deepEqual(
      claimed.map((run) => [run.job, run.startedAt]),
      [
        ['keyed', T0],
        ['ahead', T0 + second],
        ['waiting', T0],
        ['plain', T0],
      ],
      'claim order: priority, then due time, then id; a run due ahead starts at its due time',
    );
    // Each run as stored: as claimed if it was, else as recorded.
    const latest = new Map([...inserted, ...claimed].map((run) => [run.id, run]));
    for (const run of latest.values()) assert.deepEqual(await store.getRunOrThrow(run.id), run, run.job);
    for (const run of claimed) {
      assert.deepEqual(
        (await store.listTransitions(run.id)).map((transition) => [
          transition.seq,
          transition.from,
          transition.to,
        ]),
        [
          [1, null, 'pending'],
          [2, 'pending', 'running'],
        ],
        `${run.job}: queued, then claimed`,
      );
    }
    assert.deepEqual(
      (await store.listTransitions(inserted[0]!.id)).map((transition) => transition.to),
      ['held'],
    );
    assert.equal(waiting?.status, 'pending');
    const onlyJobs = await store.insertAndClaimRuns([newRun({ job: 'other' }), newRun({ job: 'mine' })], {
      ...claim,
      jobs: ['mine'],
    });
    assert.deepEqual(
      onlyJobs.claimed.map((run) => run.job),
      ['mine'],
    );
    const byId = await store.insertAndClaimRuns([newRun({ job: 'by-id' })], {
      ...claim,
      runIds: [onlyJobs.inserted[0]!.id],
    });
    assert.deepEqual(
      byId.claimed.map((run) => run.job),
      ['other'],
      'a claim of given runs takes none of the new ones',
    );
  });

  it('renews a lease only for the node that holds it while the run is running', async () => {
    const { store } = context;
    await store.insertRuns([newRun(), newRun()]);
    const [first, other] = (await store.claimRuns(claim)) as [RunRecord, RunRecord];
    assert.equal(await store.renewLease(first.id, 'node-a', T0 + 60 * second), true);
    assert.equal((await store.getRunOrThrow(first.id)).leaseExpiresAt, T0 + 60 * second);
    assert.equal(await store.renewLease(first.id, 'node-b', T0 + 90 * second), false);
    assert.deepEqual(await store.renewLeases('node-a', [first.id, other.id, 999_999], T0 + 70 * second), [
      first.id,
      other.id,
    ]);
    await store.finishRun(first.id, 'node-a', { status: 'succeeded', finishedAt: T0 + second });
    assert.equal(await store.renewLease(first.id, 'node-a', T0 + 90 * second), false);
    assert.deepEqual(await store.renewLeases('node-a', [], T0), []);
  });

  it('marks running runs whose lease expired as lost, once, with a transition', async () => {
    const { store } = context;
    await store.insertRuns([newRun({ job: 'short' }), newRun({ job: 'long' })]);
    const runs = await store.claimRuns({ ...claim, leaseMs: 10 * second });
    const long = runs.find((run) => run.job === 'long')!;
    await store.renewLease(long.id, 'node-a', T0 + 60 * second);
    assert.deepEqual(await store.expireLeases(T0 + 10 * second - 1, 'node-b'), []);
    const lost = await store.expireLeases(T0 + 10 * second, 'node-b');
    assert.deepEqual(
      lost.map((run) => [run.job, run.status, run.statusReason, run.finishedAt]),
      [['short', 'lost', 'lease expired', T0 + 10 * second]],
    );
    assert.deepEqual(await store.getRunOrThrow(lost[0]!.id), lost[0]);
    assert.deepEqual((await store.listTransitions(lost[0]!.id)).at(-1), {
      runId: lost[0]!.id,
      seq: 3,
      at: T0 + 10 * second,
      from: 'running',
      to: 'lost',
      reason: 'lease expired',
      node: 'node-b',
    });
    assert.deepEqual(await store.expireLeases(T0 + 20 * second, 'node-b'), []);
    assert.equal(
      await store.finishRun(lost[0]!.id, 'node-a', { status: 'succeeded', finishedAt: T0 + 21 * second }),
      false,
      'a lost run cannot be finished by its late node',
    );
  });

  it('finishes a run with its outcome and a running-to-outcome transition', async () => {
    const { store } = context;
    await store.insertRuns([newRun()]);
    const [run] = await store.claimRuns(claim);
    assert.ok(run !== undefined);
    const finished = await store.finishRun(run.id, 'node-a', {
      status: 'failed',
      finishedAt: T0 + 3 * second,
      exitCode: 2,
      httpStatus: 503,
      error: 'exit code 2',
      reason: 'exit code 2 means failure',
    });
    assert.equal(finished, true);
    const stored = await store.getRunOrThrow(run.id);
    assert.deepEqual(
      [
        stored.status,
        stored.finishedAt,
        stored.exitCode,
        stored.httpStatus,
        stored.error,
        stored.statusReason,
      ],
      ['failed', T0 + 3 * second, 2, 503, 'exit code 2', 'exit code 2 means failure'],
    );
    assert.deepEqual((await store.listTransitions(run.id)).at(-1), {
      runId: run.id,
      seq: 3,
      at: T0 + 3 * second,
      from: 'running',
      to: 'failed',
      reason: 'exit code 2 means failure',
      node: 'node-a',
    });
  });

  it('refuses to finish a run for another node, a run not running, or a run twice', async () => {
    const { store } = context;
    const { inserted } = await store.insertRuns([
      newRun({ runAfter: T0 }),
      newRun({ runAfter: T0 + 60 * second }),
    ]);
    const [run] = await store.claimRuns(claim);
    assert.ok(run !== undefined);
    const outcome = { status: 'succeeded', finishedAt: T0 + second } as const;
    assert.equal(await store.finishRun(run.id, 'node-b', outcome), false);
    assert.equal((await store.getRunOrThrow(run.id)).status, 'running');
    assert.equal(await store.finishRun(inserted[1]!.id, 'node-a', outcome), false, 'still pending');
    assert.equal(await store.finishRun(999_999, 'node-a', outcome), false, 'no such run');
    assert.equal(await store.finishRun(run.id, 'node-a', outcome), true);
    assert.equal(await store.finishRun(run.id, 'node-a', { ...outcome, status: 'failed' }), false);
    assert.equal((await store.getRunOrThrow(run.id)).status, 'succeeded');
    assert.equal((await store.listTransitions(run.id)).length, 3);
  });

  it('answers each finish of a batch made together for itself', async () => {
    const { store } = context;
    await store.insertRuns(manyRuns(60));
    const runs = await store.claimRuns(claim);
    const results = await Promise.all([
      ...runs.map((run, index) =>
        store.finishRun(run.id, index % 3 === 0 ? 'node-b' : 'node-a', {
          status: index % 2 === 0 ? 'succeeded' : 'warning',
          finishedAt: T0 + index,
          exitCode: index,
        }),
      ),
      store.finishRun(runs[1]!.id, 'node-a', { status: 'failed', finishedAt: T0 }),
    ]);
    assert.deepEqual(
      results,
      [...runs.map((_, index) => index % 3 !== 0), false],
      'wrong node refused; the second finish of a run refused',
    );
    for (const [index, run] of runs.entries()) {
      const stored = await store.getRunOrThrow(run.id);
      if (index % 3 === 0) assert.equal(stored.status, 'running');
      else
        assert.deepEqual(
          [stored.status, stored.exitCode],
          [index % 2 === 0 ? 'succeeded' : 'warning', index],
        );
    }
  });
}
