import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ControlledWork, configOf, startHarness, waitFor } from '../support/engine-harness.ts';
import type { Harness, StoreFactory } from '../support/engine-harness.ts';

/** 2026-01-01T00:00:00.500Z: half a second before a whole second, so per-second fires are crisp. */
const t0 = Date.UTC(2026, 0, 1, 0, 0, 0, 500);
const second = 1000;
const hour = 3_600_000;

/**
 * The number of runs of a job once it stops changing (the same in four looks 50 ms apart): the
 * ticks a clock advance set off have written what they were going to, even on a busy machine.
 */
async function settledCount(h: Harness, job: string): Promise<number> {
  let last = -1;
  let same = 0;
  for (let look = 0; look < 100 && same < 3; look++) {
    const count = (await h.runs(job)).length;
    same = count === last ? same + 1 : 0;
    last = count;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return last;
}

function iso(ms: number): string {
  return new Date(ms).toISOString();
}

/** The behaviour of the durable engine, run against one store implementation. */
export function defineEngineSuite(storeName: string, makeStore: StoreFactory): void {
  describe(`the engine on ${storeName}`, () => {
    async function withHarness(
      yaml: string,
      body: (harness: Harness) => Promise<void>,
      options: Partial<Parameters<typeof startHarness>[2]> = {},
    ): Promise<void> {
      const harness = await startHarness(makeStore, configOf(yaml), { start: t0, ...options });
      try {
        await body(harness);
      } finally {
        await harness.release();
      }
    }

    it('fires a per-second job once each second, on the second, and runs it', async () => {
      await withHarness('version: 1\njobs:\n  tick: { schedule: every 1s, run: "true" }\n', async (h) => {
        for (let step = 1; step <= 3; step++) {
          h.clock.advance(second);
          await waitFor(`fire ${step} ran`, async () => {
            const runs = await h.runs('tick');
            return runs.length === step && runs.every((run) => run.status === 'succeeded');
          });
        }
        const runs = await h.runs('tick');
        assert.deepEqual(
          runs.map((run) => iso(run.scheduledAt)),
          ['2026-01-01T00:00:01.000Z', '2026-01-01T00:00:02.000Z', '2026-01-01T00:00:03.000Z'],
        );
        assert.ok(runs.every((run) => run.trigger === 'schedule' && run.attempt === 1));
      });
    });

    it('stores no schedule state for a job that has not fired, and its cursor from its first fire on', async () => {
      const yaml =
        'version: 1\njobs:\n  tick: { schedule: every 1s, run: "true" }\n  hourly: { schedule: every 1h, run: "true" }\n';
      await withHarness(yaml, async (h) => {
        assert.deepEqual(await h.store.listScheduleStates(), [], 'a first start writes no state');
        h.clock.advance(second);
        await waitFor('the first fire is stored', async () => (await h.runs('tick')).length === 1);
        await waitFor('its cursor is stored', async () => (await h.store.listScheduleStates()).length === 1);
        const [state] = await h.store.listScheduleStates();
        assert.deepEqual(state, {
          job: 'tick',
          lastFireAt: Date.UTC(2026, 0, 1, 0, 0, 1),
          nextFireAt: Date.UTC(2026, 0, 1, 0, 0, 2),
        });
      });
    });

    it('runs one run per fan-out value with its placeholder values', async () => {
      const yaml = `version: 1
jobs:
  eval:
    schedule: every 1h
    for_each: { tenant_id: [tenant_a, tenant_b] }
    run: echo {tenant_id}
`;
      await withHarness(yaml, async (h) => {
        h.clock.set(Date.UTC(2026, 0, 1, 1, 0, 0));
        await waitFor(
          'two runs done',
          async () => (await h.runs()).filter((r) => r.status === 'succeeded').length === 2,
        );
        const runs = await h.runs('eval');
        assert.deepEqual(runs.map((run) => [run.fanKey, run.params['tenant_id']]).sort(), [
          ['tenant_a', 'tenant_a'],
          ['tenant_b', 'tenant_b'],
        ]);
      });
    });

    it('skips a fire while the previous run is still running (forbid), and records the skip', async () => {
      const work = new ControlledWork();
      work.autoResult = undefined;
      await withHarness(
        'version: 1\njobs:\n  slow: { schedule: every 1s, concurrency: forbid, run: "true" }\n',
        async (h) => {
          h.clock.advance(second);
          await waitFor('first run started', () => work.held.length === 1);
          h.clock.advance(second);
          await waitFor('second fire recorded', async () => (await h.runs()).length === 2);
          const [first, second_] = await h.runs();
          assert.equal(first?.status, 'running');
          assert.equal(second_?.status, 'skipped');
          assert.match(second_?.statusReason ?? '', /previous run is still active/);
          work.finish(first?.id as number);
          await waitFor('first run done', async () => (await h.runs())[0]?.status === 'succeeded');
        },
        { work },
      );
    });

    it('stops the running run when a new fire replaces it (replace)', async () => {
      const work = new ControlledWork();
      work.autoResult = undefined;
      await withHarness(
        'version: 1\njobs:\n  swap: { schedule: every 1s, concurrency: replace, run: "true" }\n',
        async (h) => {
          h.clock.advance(second);
          await waitFor('first run started', () => work.held.length === 1);
          h.clock.advance(second);
          await waitFor('second run started', () => work.started.length === 2);
          const [first, second_] = await h.runs();
          assert.equal(first?.status, 'cancelled');
          assert.match(first?.statusReason ?? '', /replace/);
          assert.equal(second_?.status, 'running');
        },
        { work },
      );
    });

    it('holds a new fire until the previous run ends (queue)', async () => {
      const work = new ControlledWork();
      work.autoResult = undefined;
      await withHarness(
        'version: 1\njobs:\n  line: { schedule: every 1s, concurrency: queue, run: "true" }\n',
        async (h) => {
          h.clock.advance(second);
          await waitFor('first run started', () => work.held.length === 1);
          h.clock.advance(second);
          await waitFor('second fire queued', async () => (await h.runs()).length === 2);
          assert.equal((await h.runs())[1]?.status, 'pending');
          assert.equal(work.started.length, 1);
          work.finish(work.held[0] as number);
          await waitFor('second run started', () => work.started.length === 2);
          assert.equal(work.started[1]?.scheduledAt, t0 + 1500);
        },
        { work },
      );
    });

    it('retries a failed run with back-off, as new attempts linked to the first', async () => {
      const work = new ControlledWork();
      work.script.push({ outcome: 'failure', exitCode: 3 }, { outcome: 'failure', exitCode: 3 });
      const yaml = `version: 1
jobs:
  flaky:
    schedule: every 1h
    run: "false"
    retry: { attempts: 3, backoff: exponential, delay: 10s, jitter: 0 }
`;
      await withHarness(
        yaml,
        async (h) => {
          h.clock.set(Date.UTC(2026, 0, 1, 1, 0, 0));
          await waitFor('first attempt failed', async () =>
            (await h.runs()).some((r) => r.status === 'failed'),
          );
          const [first] = await h.runs();
          await waitFor('retry queued', async () => (await h.runs()).length === 2);
          const [, retry] = await h.runs();
          assert.equal(retry?.trigger, 'retry');
          assert.equal(retry?.attempt, 2);
          assert.equal(retry?.firstRunId, first?.id);
          assert.equal((retry?.runAfter ?? 0) - h.clock.now(), 10 * second, 'first back-off is the delay');
          assert.equal(retry?.status, 'pending');
          await h.advance(10 * second);
          await waitFor('second retry queued', async () => (await h.runs()).length === 3);
          const [, , third] = await h.runs();
          assert.equal(third?.attempt, 3);
          assert.equal((third?.runAfter ?? 0) - h.clock.now(), 20 * second, 'then it doubles');
          await h.advance(20 * second);
          await waitFor('third attempt succeeded', async () => (await h.runs())[2]?.status === 'succeeded');
          assert.deepEqual(
            (await h.runs()).map((run) => run.status),
            ['failed', 'failed', 'succeeded'],
          );
        },
        { work },
      );
    });

    it('does not retry a critical outcome: it is an answer, not a failure', async () => {
      const work = new ControlledWork();
      work.script.push({ outcome: 'critical', exitCode: 1 });
      await withHarness(
        'version: 1\njobs:\n  drift: { schedule: every 1h, run: "true", retry: { attempts: 3 } }\n',
        async (h) => {
          h.clock.set(Date.UTC(2026, 0, 1, 1, 0, 0));
          await waitFor('critical recorded', async () => (await h.runs())[0]?.status === 'critical');
          h.clock.advance(hour / 2);
          assert.equal((await h.runs()).length, 1);
        },
        { work },
      );
    });

    describe('after downtime', () => {
      const downtime = async (policy: string, extra = '') => {
        const yaml = `version: 1\njobs:\n  hourly: { schedule: "0 * * * *", catch_up: ${policy}, run: "true"${extra} }\n`;
        // The scheduler last fired at 00:00; it starts again at 05:30, so 01:00..05:00 fell due while it was down.
        return startHarness(makeStore, configOf(yaml), {
          start: Date.UTC(2026, 0, 1, 5, 30),
          beforeStart: async (store) => {
            await store.setScheduleState({
              job: 'hourly',
              lastFireAt: Date.UTC(2026, 0, 1, 0, 0),
              nextFireAt: null,
            });
          },
        });
      };

      it('records the missed fires and runs none (skip)', async () => {
        const h = await downtime('skip');
        try {
          assert.equal((await h.runs()).length, 0);
          const { events } = await h.store.listEvents({ job: 'hourly' });
          assert.equal(events.length, 1);
          assert.equal(events[0]?.kind, 'schedule:missed');
          assert.deepEqual(events[0]?.details, {
            count: 5,
            first: '2026-01-01T01:00:00.000Z',
            last: '2026-01-01T05:00:00.000Z',
            reason: 'the scheduler was not running',
            alert: {
              title: 'hourly missed 5 fires',
              summary:
                'the scheduler was not running; fires from 2026-01-01T01:00:00.000Z to 2026-01-01T05:00:00.000Z did not run',
              notifyKey: 'missed',
              monitor: false,
            },
          });
        } finally {
          await h.release();
        }
      });

      it('runs the latest missed fire once (once, like systemd Persistent=true)', async () => {
        const h = await downtime('once');
        try {
          await waitFor('catch-up ran', async () => (await h.runs())[0]?.status === 'succeeded');
          const runs = await h.runs();
          assert.deepEqual(
            runs.map((run) => [run.trigger, iso(run.scheduledAt)]),
            [['catch-up', '2026-01-01T05:00:00.000Z']],
          );
          const { events } = await h.store.listEvents({ job: 'hourly' });
          assert.equal((events[0]?.details as { count: number }).count, 4);
        } finally {
          await h.release();
        }
      });

      it('runs every missed fire inside the window (all)', async () => {
        const h = await downtime('all', ', catch_up_window: 3h');
        try {
          await waitFor(
            'catch-ups ran',
            async () => (await h.runs()).filter((r) => r.status === 'succeeded').length === 3,
          );
          assert.deepEqual((await h.runs()).map((run) => iso(run.scheduledAt)).sort(), [
            '2026-01-01T03:00:00.000Z',
            '2026-01-01T04:00:00.000Z',
            '2026-01-01T05:00:00.000Z',
          ]);
          const { events } = await h.store.listEvents({ job: 'hourly' });
          assert.equal((events[0]?.details as { count: number }).count, 2);
        } finally {
          await h.release();
        }
      });

      it('then fires normally at the next hour', async () => {
        const h = await downtime('skip');
        try {
          h.clock.set(Date.UTC(2026, 0, 1, 6, 0));
          await waitFor('06:00 fired', async () => (await h.runs()).length === 1);
          assert.equal(iso((await h.runs())[0]?.scheduledAt ?? 0), '2026-01-01T06:00:00.000Z');
        } finally {
          await h.release();
        }
      });
    });

    it('marks a run lost when its node stops renewing the lease, and retries it', async () => {
      const yaml =
        'version: 1\njobs:\n  job: { run: "true", retry: { attempts: 2, delay: 1s, jitter: 0 } }\n';
      await withHarness(
        yaml,
        async (h) => {
          // Another node claimed a run and died.
          const { inserted } = await h.store.insertRuns([
            { job: 'job', trigger: 'manual', scheduledAt: t0, queuedAt: t0, runAfter: t0 + 60 * second },
          ]);
          const [dead] = await h.store.claimRuns({
            node: 'node-dead',
            now: t0 + 60 * second,
            limit: 1,
            leaseMs: 5 * second,
            runIds: [inserted[0]?.id as number],
          });
          assert.equal(dead?.status, 'running');
          // Drive the clock a second per look: the sweep notices the expired lease, then the retry's back-off passes.
          await waitFor('lost', async () => {
            h.clock.advance(second);
            return (await h.runs())[0]?.status === 'lost';
          });
          assert.ok(h.clock.now() >= t0 + 65 * second, 'not before the lease expired');
          await waitFor('retried', async () => {
            h.clock.advance(second);
            return (await h.runs())[1]?.status === 'succeeded';
          });
          const [lost, retry] = await h.runs();
          assert.equal(retry?.firstRunId, lost?.id);
          assert.equal(retry?.trigger, 'retry');
          const { events } = await h.store.listEvents({ kind: 'run:lost' });
          assert.equal(events[0]?.runId, lost?.id);
        },
        { runLeaseMs: 10 * second },
      );
    });

    it('starts a job that runs after another when every run of its fire succeeded', async () => {
      const yaml = `version: 1
jobs:
  extract: { schedule: every 1h, for_each: { part: [a, b] }, run: "true" }
  load: { after: [extract], run: "true" }
`;
      await withHarness(yaml, async (h) => {
        h.clock.set(Date.UTC(2026, 0, 1, 1, 0, 0));
        await waitFor('load ran', async () => (await h.runs('load'))[0]?.status === 'succeeded');
        const load = await h.runs('load');
        assert.equal(load.length, 1, 'one chained run per upstream fire, not one per fan-out run');
        assert.equal(load[0]?.trigger, 'chain');
        assert.match(load[0]?.requestedBy ?? '', /^extract#\d+$/);
      });
    });

    it('does not fire while another node holds the scheduler lease', async () => {
      await withHarness(
        'version: 1\njobs:\n  tick: { schedule: every 1s, run: "true" }\n',
        async (h) => {
          let asked = 0;
          const acquire = h.store.acquireLease.bind(h.store);
          h.store.acquireLease = (input) => {
            asked++;
            return acquire(input);
          };
          h.clock.advance(3 * second);
          await new Promise((resolve) => setTimeout(resolve, 100));
          assert.equal((await h.runs()).length, 0);
          assert.ok(
            asked <= 2,
            `a follower asks for the lease now and then, not in a loop (asked ${asked} times)`,
          );
        },
        {
          beforeStart: async (store) => {
            const held = await store.acquireLease({
              name: 'scheduler',
              owner: 'node-other',
              now: t0,
              until: t0 + hour,
            });
            assert.ok(held);
          },
        },
      );
    });

    it('stops firing a job another node paused once it renews its lease, and fires again once resumed', async () => {
      await withHarness('version: 1\njobs:\n  tick: { schedule: every 1s, run: "true" }\n', async (h) => {
        await h.advance(2 * second);
        await waitFor('fires before the pause', async () => (await h.runs('tick')).length >= 2);
        // Another node's API pauses the job: only the store knows.
        assert.ok(await h.store.setJobPaused('tick', true, h.clock.now()));
        // The leader renews its 15 s lease every half lease, and reads the paused jobs then.
        await h.advance(9 * second);
        const atPause = await settledCount(h, 'tick');
        await h.advance(5 * second);
        assert.equal(await settledCount(h, 'tick'), atPause, 'no fire while paused elsewhere');
        assert.ok(await h.store.setJobPaused('tick', false, h.clock.now()));
        await h.advance(12 * second);
        await waitFor('fires again after the resume', async () => (await h.runs('tick')).length > atPause);
      });
    });

    it('rewrites on a reload only the job whose definition changed, its spec naming its schedule by text', async () => {
      const yaml = (cSchedule: string) =>
        [
          'version: 1',
          'jobs:',
          '  a: { schedule: "0 3 * * *", run: "true" }',
          '  b: { schedule: "0 3 * * *", run: "true" }',
          `  c: { schedule: "${cSchedule}", run: "true" }`,
          '',
        ].join('\n');
      await withHarness(yaml('0 4 * * *'), async (h) => {
        await h.advance(second);
        await h.engine.reload(configOf(yaml('30 4 * * *')));
        const rows = await h.store.listJobs();
        assert.deepEqual(
          rows.map((row) => [row.name, row.createdAt, row.updatedAt]),
          [
            ['a', t0, t0],
            ['b', t0, t0],
            ['c', t0, t0 + second],
          ],
        );
        const spec = rows[2]?.spec as { schedules: unknown; configHash?: unknown };
        assert.deepEqual(spec.schedules, [{ text: '30 4 * * *', syntax: 'cron' }]);
        assert.equal(spec.configHash, undefined);
      });
    });

    it('fires, not misses, a fire that fell due just before a reload read the job file', async () => {
      const yaml = 'version: 1\njobs:\n  tick: { schedule: every 1s, run: "true" }\n';
      await withHarness(yaml, async (h) => {
        await h.advance(2 * second);
        await waitFor('two fires', async () => (await h.runs('tick')).length === 2);
        // Time passes without the timer running (the loop was busy reading the new job file).
        const manualNow = h.clock.now.bind(h.clock);
        h.clock.now = () => manualNow() + 700;
        try {
          await h.engine.reload(configOf(yaml));
          await waitFor('the fire due at the reload', async () =>
            (await h.runs('tick')).some((run) => run.scheduledAt === t0 + 2500),
          );
        } finally {
          h.clock.now = manualNow;
        }
        const missed = await h.store.listEvents({ kind: 'schedule:missed' });
        assert.deepEqual(missed.events, [], 'nothing is recorded missed');
      });
    });

    it('holds its timer while a reload reads the store, so a fire due meanwhile runs once and is not missed', async () => {
      const yaml = 'version: 1\njobs:\n  tick: { schedule: every 1s, run: "true" }\n';
      await withHarness(yaml, async (h) => {
        await h.advance(2 * second);
        await waitFor('two fires', async () => (await h.runs('tick')).length === 2);
        // The reload starts late (reading the job file took 700 ms) and stops while it reads the
        // schedule states; the timer of the next fire falls due then.
        const manualNow = h.clock.now.bind(h.clock);
        h.clock.now = () => manualNow() + 700;
        const readStates = h.store.listScheduleStates.bind(h.store);
        let reached!: () => void;
        const atGate = new Promise<void>((resolve) => (reached = resolve));
        let open!: () => void;
        const gate = new Promise<void>((resolve) => (open = resolve));
        h.store.listScheduleStates = async () => {
          const states = await readStates();
          reached();
          await gate;
          return states;
        };
        try {
          const reloading = h.engine.reload(configOf(yaml));
          await atGate;
          h.clock.advance(500);
          await new Promise((resolve) => setTimeout(resolve, 100));
          open();
          await reloading;
          await waitFor('the fire due during the reload', async () =>
            (await h.runs('tick')).some((run) => run.scheduledAt === t0 + 2500),
          );
        } finally {
          h.store.listScheduleStates = readStates;
          h.clock.now = manualNow;
        }
        const fires = (await h.runs('tick')).filter((run) => run.scheduledAt === t0 + 2500);
        assert.equal(fires.length, 1, 'fired once');
        const missed = await h.store.listEvents({ kind: 'schedule:missed' });
        assert.deepEqual(missed.events, [], 'nothing is recorded missed');
      });
    });

    it('records no run of its own when a queue job fires: its fires release enqueued items', async () => {
      await withHarness(
        'version: 1\njobs:\n  drain: { schedule: every 1s, queue: { key: org, per_key: 1 }, run: "true" }\n',
        async (h) => {
          await h.advance(3 * second);
          await waitFor(
            'the fires are still recorded as schedule state',
            async () => ((await h.store.getScheduleState('drain'))?.lastFireAt ?? 0) >= t0 + 1500,
          );
          assert.equal((await h.runs()).length, 0);
        },
      );
    });

    it('queues a manual trigger at once, with the requester and parameters recorded', async () => {
      await withHarness(
        'version: 1\njobs:\n  adhoc: { run: "echo {who}", params: { who: nobody } }\n',
        async (h) => {
          const [run] = await h.engine.trigger({
            job: 'adhoc',
            requestedBy: 'alice',
            params: { who: 'me' },
            dryRun: true,
          });
          assert.equal(run?.trigger, 'manual');
          assert.equal(run?.requestedBy, 'alice');
          assert.equal(run?.dryRun, true);
          assert.equal(run?.params['who'], 'me');
          await waitFor('ran', async () => (await h.runs())[0]?.status === 'succeeded');
          await assert.rejects(h.engine.trigger({ job: 'nope' }), /no job named "nope"/);
          await assert.rejects(
            h.engine.trigger({ job: 'adhoc', params: { whom: 'x' } }),
            /job "adhoc" takes no parameter "whom"; it takes: who, fan_key/,
          );
        },
      );
    });
  });
}
