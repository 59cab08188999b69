/**
 * How a worker wakes on queued runs: alone on the store it claims the runs it queued at once,
 * without waiting for its own `runs_queued` signal to come back (and skips that signal when it
 * does); while other workers listen, every wake-up on queued runs waits a random time first, so
 * that the node that queued them has no head start. Workers on a real store; the signals the
 * workers send are recorded, and the test delivers them where it needs to.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { manualClock } from '../../src/clock/index.ts';
import type { ManualClock } from '../../src/clock/index.ts';
import { Worker, runsQueuedChannel } from '../../src/engine/index.ts';
import type { ResolvedJob } from '../../src/config/index.ts';
import type { SignalListener, Store } from '../../src/store/index.ts';
import { ControlledWork, configOf, silentLogger, waitFor } from '../support/engine-harness.ts';
import type { StoreHarness } from '../support/store-harness.ts';

const t0 = Date.UTC(2026, 0, 1, 0, 0, 0);
const jobs: readonly ResolvedJob[] = configOf('version: 1\njobs:\n  noop: { run: "true" }\n').jobs;

/** A store whose claims are counted and whose `runs_queued` listener and signals are kept. */
interface WatchedStore {
  readonly store: Store;
  claims: number;
  /** Looks for the next due run (`nextPendingRunAfter`). */
  looks: number;
  /** Calls of `insertAndClaimRuns`: runs queued and claimed in one transaction. */
  insertsWithClaim: number;
  readonly sent: string[];
  listener: SignalListener | undefined;
}

/** Wraps `real`; with `send: false` the worker's `runs_queued` signals are recorded, never sent. */
function watch(real: Store, send: boolean): WatchedStore {
  const watched: WatchedStore = {
    claims: 0,
    looks: 0,
    insertsWithClaim: 0,
    sent: [],
    listener: undefined,
    store: {
      ...real,
      claimRuns: (input) => {
        watched.claims++;
        return real.claimRuns(input);
      },
      nextPendingRunAfter: (jobNames) => {
        watched.looks++;
        return real.nextPendingRunAfter(jobNames);
      },
      insertAndClaimRuns: (runs, claim) => {
        watched.insertsWithClaim++;
        return real.insertAndClaimRuns(runs, claim);
      },
      signal: async (channel, payload) => {
        if (channel === runsQueuedChannel) watched.sent.push(payload ?? '');
        if (send || channel !== runsQueuedChannel) await real.signal(channel, payload);
      },
      onSignal: async (channel, listener) => {
        if (channel === runsQueuedChannel) watched.listener = listener;
        return real.onSignal(channel, listener);
      },
    },
  };
  return watched;
}

/** Lets a wake-up turn into a claim: the claim loop starts on the next turn of the event loop. */
const nextTurns = async (): Promise<void> => {
  for (let turn = 0; turn < 3; turn++) await new Promise((resolve) => setImmediate(resolve));
};

/** A worker whose jitter, if ever waited, would be an hour, and which polls hourly. */
function workerOn(
  store: Store,
  work: ControlledWork,
  random: () => number,
  wakeJitterMs = 3_600_000,
  clock: ManualClock = manualClock(t0),
) {
  return new Worker({
    store,
    clock,
    node: 'node-a',
    logger: silentLogger,
    execute: work.execute,
    pollMs: 3_600_000,
    wakeJitterMs,
    random,
  });
}

export function defineWakeUpSuite(storeName: string, harness: () => StoreHarness): void {
  /**
   * A worker alone on a fresh store (`wrap` may stand between them), started on `jobsToRun` and
   * settled; drained, and the store released, after `body`.
   */
  async function withLoneWorker(
    options: { readonly jobsToRun: readonly ResolvedJob[]; readonly wrap?: (store: Store) => Store },
    body: (lone: {
      real: Store;
      watched: WatchedStore;
      worker: Worker;
      work: ControlledWork;
      clock: ManualClock;
    }) => Promise<void>,
  ): Promise<void> {
    await harness().reset();
    const real = await harness().open();
    const watched = watch(real, false);
    const work = new ControlledWork();
    const clock = manualClock(t0);
    const worker = workerOn(options.wrap?.(watched.store) ?? watched.store, work, () => 1, undefined, clock);
    try {
      await worker.start(options.jobsToRun);
      await worker.settled();
      await body({ real, watched, worker, work, clock });
    } finally {
      await worker.drain(0);
      await real.release();
    }
  }

  describe(`wake-ups on queued runs on ${storeName}`, () => {
    it('a worker alone on the store starts the runs it queued at once, without its own signal coming back, and skips that signal', async () => {
      await harness().reset();
      const real = await harness().open();
      const watched = watch(real, false);
      const work = new ControlledWork();
      let draws = 0;
      const worker = workerOn(watched.store, work, () => {
        draws++;
        return 1;
      });
      try {
        await worker.start(jobs);
        await waitFor('the start-up claim', () => watched.claims === 1);
        const { inserted } = await real.insertRuns([
          { job: 'noop', trigger: 'api', scheduledAt: t0, queuedAt: t0 },
        ]);
        await worker.runsQueued();
        await waitFor('the run started', () => work.started.length === 1);
        assert.equal(work.started[0]?.id, inserted[0]?.id);
        assert.equal(watched.claims, 2, 'one claim for the queued run');
        assert.equal(draws, 0, 'no random wait: nobody else listens');
        assert.equal(watched.sent.length, 1, 'the other nodes are still told');
        await waitFor(
          'the run recorded',
          async () => (await real.getRun(inserted[0]?.id ?? 0))?.status === 'succeeded',
        );

        // Its own signal, heard when it comes back, wakes nothing; another sender's does.
        watched.listener?.(watched.sent[0] ?? '');
        await nextTurns();
        assert.equal(watched.claims, 2, 'its own signal is not claimed on again');
        watched.listener?.('');
        await waitFor('a claim on a signal of another sender', () => watched.claims === 3);
        assert.equal(draws, 0);
      } finally {
        await worker.drain(0);
        await real.release();
      }
    });

    it('a worker alone on the store, idle, claims the runs it queues in the transaction of their insert, with no claim or signal after', async () => {
      const limitedJobs = configOf(
        'version: 1\njobs:\n  noop: { run: "true" }\n  one-at-a-time: { run: "true", max_parallel: 1 }\n',
      ).jobs;
      await withLoneWorker({ jobsToRun: limitedJobs }, async ({ real, watched, worker, work }) => {
        // The runs are held running until the worker drains.
        work.autoResult = undefined;
        const startUpClaims = watched.claims;
        assert.ok(startUpClaims > 0, 'the start-up claim');
        const { inserted } = await worker.queueRuns([
          { job: 'noop', trigger: 'api', scheduledAt: t0, queuedAt: t0 },
        ]);
        // Started before queueRuns answered: the claim came with the insert.
        assert.deepEqual(
          work.started.map((run) => run.id),
          [inserted[0]?.id],
        );
        assert.equal(watched.insertsWithClaim, 1);
        await nextTurns();
        assert.equal(watched.claims, startUpClaims, 'no claim of its own for the run');
        assert.deepEqual(watched.sent, [], 'no signal: nothing was left to claim');
        const stored = await real.getRunOrThrow(inserted[0]?.id ?? 0);
        assert.equal(stored.status, 'running');
        assert.equal(stored.leaseOwner, 'node-a');

        // A run of a job with a parallel limit is left to the claim loop, which counts the runs
        // of that job first: recorded, signalled, then claimed.
        const limited = await worker.queueRuns([
          { job: 'one-at-a-time', trigger: 'api', scheduledAt: t0, queuedAt: t0 },
        ]);
        assert.equal(watched.insertsWithClaim, 2);
        assert.equal(watched.sent.length, 1, 'the run it left is signalled');
        await waitFor('the limited run started by the loop', () => work.started.length === 2);
        assert.equal(work.started[1]?.id, limited.inserted[0]?.id);
        assert.ok(watched.claims > startUpClaims);
      });
    });

    it('a worker alone on the store keeps the wake-up it armed for a later run when it takes a trigger with its insert, without a look per trigger', async () => {
      await withLoneWorker({ jobsToRun: jobs }, async ({ watched, worker, work, clock }) => {
        const later = await worker.queueRuns([
          { job: 'noop', trigger: 'api', scheduledAt: t0, queuedAt: t0, runAfter: t0 + 60_000 },
        ]);
        await worker.settled();
        assert.equal(work.started.length, 0, 'not due yet');
        const looks = watched.looks;
        assert.ok(looks > 0, 'the worker looked for the next due run after leaving it');

        const { inserted } = await worker.queueRuns([
          { job: 'noop', trigger: 'api', scheduledAt: t0, queuedAt: t0 },
        ]);
        await worker.settled();
        assert.deepEqual(
          work.started.map((run) => run.id),
          [inserted[0]?.id],
        );
        assert.equal(watched.looks, looks, 'no look: the runs waiting are the ones it saw before');

        clock.advance(60_000);
        await waitFor('the later run started at its time', () => work.started.length === 2);
        assert.equal(work.started[1]?.id, later.inserted[0]?.id);
      });
    });

    it('a worker whose insert with a claim fails rejects the queueing, writes nothing, and claims again afterwards', async () => {
      let failNext = true;
      const failingOnce = (store: Store): Store => ({
        ...store,
        insertAndClaimRuns: async (runs, claim) => {
          if (failNext) {
            failNext = false;
            throw new Error('the store is away');
          }
          return store.insertAndClaimRuns(runs, claim);
        },
      });
      await withLoneWorker({ jobsToRun: jobs, wrap: failingOnce }, async ({ real, worker, work }) => {
        const run = { job: 'noop', trigger: 'api' as const, scheduledAt: t0, queuedAt: t0 };
        await assert.rejects(worker.queueRuns([run]), /the store is away/);
        assert.equal((await real.listRuns({ limit: 10 })).runs.length, 0, 'nothing recorded');
        await worker.settled();
        // Not stuck in a claim: the next run is claimed with its insert and started.
        const { inserted } = await worker.queueRuns([run]);
        assert.deepEqual(
          work.started.map((started) => started.id),
          [inserted[0]?.id],
        );
      });
    });

    it('a worker that is not alone on the store queues runs with a plain insert and signals them', async () => {
      await harness().reset();
      const first = watch(await harness().open(), true);
      const second = watch(await harness().open(), true);
      const work = new ControlledWork();
      const firstWorker = workerOn(first.store, work, () => 0, 1);
      const secondWorker = workerOn(second.store, work, () => 0, 1);
      try {
        await firstWorker.start(jobs);
        await secondWorker.start(jobs);
        // The first counts the newcomer once it hears it announce itself.
        await waitFor('the first counted the second', async () => {
          await firstWorker.runsQueued();
          return first.claims >= 2;
        });
        const sentBefore = first.sent.length;
        const { inserted } = await firstWorker.queueRuns([
          { job: 'noop', trigger: 'api', scheduledAt: t0, queuedAt: t0 },
        ]);
        assert.equal(first.insertsWithClaim, 0, 'no claim with the insert while another worker listens');
        assert.equal(first.sent.length, sentBefore + 1, 'the run is signalled');
        await waitFor('the run started on one of them', () =>
          work.started.some((run) => run.id === inserted[0]?.id),
        );
      } finally {
        await firstWorker.drain(0);
        await secondWorker.drain(0);
        await first.store.release();
        await second.store.release();
      }
    });

    it('while another worker listens, a wake-up on queued runs waits a random time, on the node that queued them too', async () => {
      await harness().reset();
      const first = watch(await harness().open(), true);
      const second = watch(await harness().open(), true);
      const work = new ControlledWork();
      const draws = { first: 0, second: 0 };
      const firstWorker = workerOn(first.store, work, () => ++draws.first && 0, 1);
      const secondWorker = workerOn(second.store, work, () => ++draws.second && 0, 1);
      try {
        await firstWorker.start(jobs);
        await firstWorker.runsQueued();
        assert.equal(draws.first, 0, 'alone: no random wait');
        // The second counts the first when it starts listening, and tells it that it is there.
        await secondWorker.start(jobs);
        assert.equal(second.sent.length, 1, 'the newcomer announced itself');
        const drawn = draws.second;
        await secondWorker.runsQueued();
        // It wakes on its own signal when it comes back, after a random wait like the others.
        await waitFor('the newcomer waited a random time', () => draws.second > drawn);
        await waitFor('the first counted the newcomer', async () => {
          await firstWorker.runsQueued();
          return draws.first >= 1;
        });
      } finally {
        await firstWorker.drain(0);
        await secondWorker.drain(0);
        await first.store.release();
        await second.store.release();
      }
    });
  });
}

/** The poll's rhythm: a worker that polls every second, its claims and mark reads counted. */
export function defineIdlePollSuite(storeName: string, harness: () => StoreHarness): void {
  describe(`an idle worker's poll on ${storeName}`, () => {
    async function idleWorker() {
      const real = await harness().open();
      const watched = watch(real, true);
      let marks = 0;
      const store: Store = {
        ...watched.store,
        readMissedSignalMark: () => {
          marks++;
          return real.readMissedSignalMark();
        },
      };
      const clock = manualClock(t0);
      const work = new ControlledWork();
      const worker = new Worker({
        store,
        clock,
        node: 'node-a',
        logger: silentLogger,
        execute: work.execute,
        pollMs: 1000,
      });
      await worker.start(jobs);
      await worker.settled();
      const second = async (count = 1): Promise<void> => {
        for (let tick = 0; tick < count; tick++) {
          clock.advance(1000);
          await worker.settled();
        }
      };
      return { real, watched, worker, work, second, marks: () => marks };
    }

    it('claims at a poll only when it may have missed a signal, or every 5 s', async () => {
      await harness().reset();
      const { real, watched, worker, second, marks } = await idleWorker();
      try {
        assert.equal(watched.claims, 1, 'the start-up claim');
        // The first poll claims (no look vouched for by a mark yet), the next four do not.
        await second();
        assert.equal(watched.claims, 2);
        await second(4);
        assert.equal(watched.claims, 2, 'nothing can have been missed: no claim');
        assert.equal(marks(), 5, 'each poll read the mark');
        await second();
        assert.equal(watched.claims, 3, 'claimed anyway after 5 s');
      } finally {
        await worker.drain(0);
        await real.release();
      }
    });

    it(
      harness().dialect === 'sqlite'
        ? 'claims at the next poll a run another connection queued without a signal (the mark moved)'
        : 'claims a run queued without a signal within 5 s, and at the next poll after its listening connection was lost',
      async () => {
        await harness().reset();
        const { real, watched, worker, work, second } = await idleWorker();
        const other = await harness().open();
        try {
          await second();
          const queue = async (): Promise<number> => {
            const { inserted } = await other.insertRuns([
              { job: 'noop', trigger: 'api', scheduledAt: t0, queuedAt: t0 },
            ]);
            return inserted[0]?.id ?? 0;
          };
          const first = await queue();
          if (harness().dialect === 'sqlite') {
            await second();
            await waitFor('the run started', () => work.started.some((run) => run.id === first));
            return;
          }
          await second(3);
          assert.equal(work.started.length, 0, 'no signal and the mark unchanged: not claimed yet');
          // 5 s after the last claim that found nothing.
          await second(2);
          await waitFor('claimed at the 5 s poll', () => work.started.some((run) => run.id === first));
          const claims = watched.claims;
          const lost = await queue();
          const before = await real.readMissedSignalMark();
          await harness().query(
            harness().url,
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'cronplane-signals' AND datname = current_database()",
          );
          await waitFor('the loss noticed', async () => (await real.readMissedSignalMark()) !== before);
          await second();
          assert.ok(watched.claims > claims);
          await waitFor('claimed at the next poll', () => work.started.some((run) => run.id === lost));
        } finally {
          await worker.drain(0);
          await other.release();
          await real.release();
        }
      },
    );
  });
}
