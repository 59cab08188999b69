/**
 * Leader failover: several schedulers on one store, one shared manual clock. The leader that
 * stops renewing is replaced once its lease runs out; the new leader continues from the stored
 * schedule cursor, runs fires within their start deadline late and reports only older ones missed,
 * once.
 */
import assert from 'node:assert/strict';
import { setTimeout as sleep } from 'node:timers/promises';
import { describe, it } from 'node:test';
import { Scheduler } from '../../src/engine/index.ts';
import { manualClock } from '../../src/clock/index.ts';
import type { ManualClock } from '../../src/clock/index.ts';
import type { RunRecord, Store } from '../../src/store/index.ts';
import { configOf, silentLogger, waitFor } from '../support/engine-harness.ts';
import type { StoreFactory } from '../support/engine-harness.ts';

const t0 = Date.UTC(2026, 0, 1, 0, 0, 0, 500);
const second = 1000;

interface Node {
  readonly store: Store;
  readonly scheduler: Scheduler;
}

export function defineFailoverSuite(
  storeName: string,
  makeStore: StoreFactory,
  openAnother: () => Promise<Store>,
): void {
  describe(`leader failover on ${storeName}`, () => {
    async function withNodes(
      yaml: string,
      body: (nodes: {
        clock: ManualClock;
        start: (name: string, mayLead?: () => boolean) => Promise<Node>;
        crash: (node: Node) => Promise<void>;
        /** Moves the clock on; `stalled`: a node left stalled on purpose, not waited for. */
        step: (ms: number, stalled?: Node) => Promise<void>;
        runs: () => Promise<RunRecord[]>;
        first: Store;
      }) => Promise<void>,
      options: { readonly lookAhead?: boolean } = {},
    ): Promise<void> {
      const first = await makeStore();
      const clock = manualClock(t0);
      const config = configOf(yaml);
      const nodes: Node[] = [];
      const start = async (name: string, mayLead?: () => boolean): Promise<Node> => {
        const store = nodes.length === 0 ? first : await openAnother();
        const scheduler = new Scheduler({
          store,
          clock,
          node: name,
          logger: silentLogger,
          ...(options.lookAhead === true ? {} : { lookAheadMs: 0 }),
          ...(mayLead === undefined ? {} : { mayLead }),
        });
        await scheduler.start(config.jobs);
        const node = { store, scheduler };
        nodes.push(node);
        return node;
      };
      // kill -9: the process stops at once, its lease is left to run out.
      const crash = async (node: Node): Promise<void> => {
        node.store.releaseLease = async () => false;
        node.store.signal = async () => undefined;
        await node.scheduler.release();
      };
      // The shared clock moves only once every node has finished the tick it started: on a busy
      // machine a node slower than the clock would otherwise lose its lease or run late for real.
      const step = async (ms: number, stalled?: Node): Promise<void> => {
        const target = clock.now() + ms;
        while (clock.now() < target) {
          clock.advance(Math.min(250, target - clock.now()));
          await sleep(15);
          await Promise.all(nodes.filter((node) => node !== stalled).map((node) => node.scheduler.settled()));
        }
      };
      const runs = async (): Promise<RunRecord[]> =>
        [...(await first.listRuns({ limit: 1000 })).runs].reverse();
      try {
        await body({ clock, start, crash, step, runs, first });
      } finally {
        for (const node of nodes.reverse()) {
          await node.scheduler.release();
          await node.store.release();
        }
      }
    }

    const perSecond =
      'version: 1\njobs:\n  tick: { schedule: every 1s, start_deadline: 5s, catch_up: skip, run: "true" }\n';

    function fireTimes(runs: readonly RunRecord[]): number[] {
      return runs.map((run) => run.scheduledAt).sort((a, b) => a - b);
    }

    it('a follower takes over after the leader stops renewing, continuing from the stored cursor: no gap, nothing missed', async () => {
      await withNodes(perSecond, async ({ start, crash, step, runs, first }) => {
        const a = await start('node-a');
        const b = await start('node-b');
        assert.equal(a.scheduler.isLeader, true);
        await step(3 * second);
        assert.equal(b.scheduler.isLeader, false);
        assert.equal((await runs()).length, 3);
        await crash(a);
        await step(6 * second);
        await waitFor('node-b leads', () => b.scheduler.isLeader);
        const times = fireTimes(await runs());
        assert.deepEqual(
          times,
          Array.from({ length: 9 }, (_, index) => t0 + 500 + index * second),
          'every fire once: those due while the lease ran out fired late by node-b',
        );
        assert.ok((await runs()).slice(3).every((run) => run.trigger === 'schedule'));
        assert.deepEqual((await first.listEvents({ kind: 'schedule:missed' })).events, []);
      });
    });

    it('a leader busy for longer than its lease, nobody else taking it, goes on from its own schedule: no take-over, every fire once', async () => {
      const late =
        'version: 1\njobs:\n  tick: { schedule: every 1s, concurrency: allow, start_deadline: 5s, run: "true" }\n';
      await withNodes(late, async ({ clock, start, step, runs, first }) => {
        const a = await start('node-a');
        await step(3 * second);
        let cursorReads = 0;
        const listScheduleStates = a.store.listScheduleStates.bind(a.store);
        a.store.listScheduleStates = async () => {
          cursorReads++;
          return listScheduleStates();
        };
        // Its loop is held up for 3 s (a long pause): the 1.5 s lease runs out, nobody takes it.
        clock.advance(3 * second);
        await step(2 * second);
        assert.equal(a.scheduler.isLeader, true);
        assert.equal(cursorReads, 0, 'the stored cursors are not read again');
        // A pause is a stall, as when the lease had not run out: of the fires it held up, the
        // latest runs (late) and the one before it is reported missed; none is recorded twice.
        assert.deepEqual(
          fireTimes(await runs()),
          [0, 1, 2, 3, 5, 6, 7].map((index) => t0 + 500 + index * second),
        );
        const missed = (await first.listEvents({ kind: 'schedule:missed' })).events;
        assert.equal(missed.length, 1);
      });
    });

    for (const lookAhead of [false, true]) {
      it(`a leader kept from leading for a while (its job file differed) takes over from the stored cursor when it may again: no fire lost${lookAhead ? ', fires recorded ahead' : ''}`, async () => {
        const yaml =
          'version: 1\njobs:\n  tick: { schedule: every 1s, concurrency: allow, start_deadline: 5s, run: "true" }\n';
        await withNodes(
          yaml,
          async ({ clock, start, step, runs, first }) => {
            let mayLead = true;
            const a = await start('node-a', () => mayLead);
            await step(3 * second);
            assert.equal(a.scheduler.isLeader, true);
            mayLead = false;
            await step(2 * second);
            assert.equal(a.scheduler.isLeader, false, 'it stepped down');
            mayLead = true;
            await step(3 * second);
            assert.equal(a.scheduler.isLeader, true);
            const due = fireTimes(await runs()).filter((at) => at <= clock.now());
            assert.deepEqual(
              due,
              Array.from({ length: 8 }, (_, index) => t0 + 500 + index * second),
              'every fire once: those of the while it could not lead fired late',
            );
            assert.deepEqual((await first.listEvents({ kind: 'schedule:missed' })).events, []);
          },
          { lookAhead },
        );
      });
    }

    it('a follower of jobs that record their fires ahead keeps time without spinning, and takes over from the stored cursor', async () => {
      const ahead =
        'version: 1\njobs:\n  tick: { schedule: every 1s, concurrency: allow, start_deadline: 5s, run: "true" }\n';
      await withNodes(
        ahead,
        async ({ clock, start, crash, step, runs, first }) => {
          const a = await start('node-a');
          const b = await start('node-b');
          await step(3 * second);
          assert.equal(b.scheduler.isLeader, false);
          await crash(a);
          await step(6 * second);
          await waitFor('node-b leads', () => b.scheduler.isLeader);
          const due = fireTimes(await runs()).filter((at) => at <= clock.now());
          assert.deepEqual(
            due,
            Array.from({ length: 9 }, (_, index) => t0 + 500 + index * second),
          );
          assert.deepEqual((await first.listEvents({ kind: 'schedule:missed' })).events, []);
        },
        { lookAhead: true },
      );
    });

    it('hears a job paused through another node at once (a signal), not at its next reread of the paused jobs', async () => {
      await withNodes(perSecond, async ({ clock, start, step, runs }) => {
        const a = await start('node-a');
        const b = await start('node-b');
        await step(2 * second);
        assert.equal(a.scheduler.isLeader, true);
        const pausedAt = clock.now();
        await b.store.syncJobs([{ name: 'tick', configHash: 'h', spec: {} }], pausedAt);
        assert.equal(await b.store.setJobPaused('tick', true, pausedAt), true);
        // Less than the 5 s between rereads: only the signal can have told node-a.
        await step(3 * second);
        const after = (await runs()).filter((run) => run.scheduledAt > pausedAt + second);
        assert.deepEqual(
          after.map((run) => run.scheduledAt),
          [],
          'no fire of the paused job ran after the pause was heard',
        );
      });
    });

    it('a graceful stop hands the lease over at once (a signal, no poll): nothing missed, no gap', async () => {
      await withNodes(perSecond, async ({ clock, start, step, runs, first }) => {
        const a = await start('node-a');
        const b = await start('node-b');
        await step(2 * second);
        await a.scheduler.release();
        // The clock does not move: only the signal can wake node-b.
        await waitFor('node-b leads', () => b.scheduler.isLeader);
        assert.equal(clock.now(), t0 + 2 * second);
        await step(3 * second);
        assert.deepEqual(
          fireTimes(await runs()),
          Array.from({ length: 5 }, (_, i) => t0 + 500 + i * second),
        );
        assert.deepEqual((await first.listEvents({ kind: 'schedule:missed' })).events, []);
      });
    });

    it('reports a real gap longer than start_deadline exactly once, across two successive leader changes', async () => {
      await withNodes(perSecond, async ({ clock, start, crash, step, runs, first }) => {
        const a = await start('node-a');
        const b = await start('node-b');
        const c = await start('node-c');
        await step(2 * second);
        await crash(a);
        // Nobody can lead for 20 s (the followers are stopped; the clock jumps).
        clock.advance(20 * second);
        await sleep(50);
        await step(second);
        const leader = await waitFor('a new leader', () =>
          b.scheduler.isLeader ? b : c.scheduler.isLeader ? c : undefined,
        );
        await step(second);
        await crash(leader);
        await step(3 * second);
        await waitFor('the last node leads', () => (leader === b ? c : b).scheduler.isLeader);
        await step(2 * second);
        const events = (await first.listEvents({ kind: 'schedule:missed' })).events;
        assert.equal(events.length, 1);
        assert.equal(events[0]?.count, 1, 'reported once, not again by the next leader');
        const missed = (events[0]?.details as { count: number }).count;
        const times = new Set(fireTimes(await runs()));
        // Every per-second fire either ran or is counted in the one report.
        const last = Math.max(...times);
        const expected = (last - (t0 + 500)) / second + 1;
        assert.equal(times.size + missed, expected);
        assert.ok(missed >= 14, `the 20 s gap less the start deadline is missed (${missed})`);
      });
    });

    it('a new leader slower than its lease, replaced while it takes over, neither moves the cursor nor reports the gap', async () => {
      await withNodes(perSecond, async ({ clock, start, crash, step, runs, first }) => {
        const a = await start('node-a');
        const b = await start('node-b');
        await step(2 * second);
        await crash(a);
        // node-b will plan its take-over from the stored cursor and then stall (a long pause)
        // just before it writes the cursor.
        let resume: () => void = () => undefined;
        const stalled = new Promise<void>((resolve) => (resume = resolve));
        let stalls = 0;
        const stall = async (): Promise<void> => {
          if (stalls++ === 0) await stalled;
        };
        const write = b.store.setScheduleStates.bind(b.store);
        const writeAsHolder = b.store.setScheduleStatesAsHolder.bind(b.store);
        b.store.setScheduleStates = async (states) => {
          await stall();
          return write(states);
        };
        b.store.setScheduleStatesAsHolder = async (lease, states) => {
          await stall();
          return writeAsHolder(lease, states);
        };
        clock.advance(20 * second);
        await step(second, b);
        await waitFor('node-b takes the lease', () => b.scheduler.isLeader);
        const c = await start('node-c');
        // node-b's lease runs out while it stalls; node-c takes over from the cursor it reads.
        await step(3 * second, b);
        await waitFor('node-c leads', () => c.scheduler.isLeader);
        await step(second, b);
        resume();
        await step(2 * second);
        assert.equal(b.scheduler.isLeader, false, 'node-b, replaced, follows');
        const events = (await first.listEvents({ kind: 'schedule:missed' })).events;
        assert.equal(events.length, 1);
        assert.equal(events[0]?.count, 1, 'the gap is reported by node-c alone');
        const missed = (events[0]?.details as { count: number }).count;
        const times = new Set(fireTimes(await runs()));
        const last = Math.max(...times);
        assert.equal(
          times.size + missed,
          (last - (t0 + 500)) / second + 1,
          'each fire ran or was counted, once',
        );
      });
    });
  });
}
