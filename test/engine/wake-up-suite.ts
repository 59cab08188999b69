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
  readonly sent: string[];
  listener: SignalListener | undefined;
}

/** Wraps `real`; with `send: false` the worker's `runs_queued` signals are recorded, never sent. */
function watch(real: Store, send: boolean): WatchedStore {
  const watched: WatchedStore = {
    claims: 0,
    sent: [],
    listener: undefined,
    store: {
      ...real,
      claimRuns: (input) => {
        watched.claims++;
        return real.claimRuns(input);
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
function workerOn(store: Store, work: ControlledWork, random: () => number, wakeJitterMs = 3_600_000) {
  return new Worker({
    store,
    clock: manualClock(t0),
    node: 'node-a',
    logger: silentLogger,
    execute: work.execute,
    pollMs: 3_600_000,
    wakeJitterMs,
    random,
  });
}

export function defineWakeUpSuite(storeName: string, harness: () => StoreHarness): void {
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
