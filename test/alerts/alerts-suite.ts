import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runIncidentKey } from '../../src/alerts/index.ts';
import { configOf, waitFor } from '../support/engine-harness.ts';
import type { StoreFactory } from '../support/engine-harness.ts';
import { closedPort, startHttpReceiver } from '../notify/receivers.ts';
import type { HttpReceiver } from '../notify/receivers.ts';
import { startAlertHarness } from './alert-harness.ts';
import type { AlertHarness } from './alert-harness.ts';

const t0 = Date.UTC(2026, 2, 14, 2, 0, 0);
const minute = 60_000;
const hour = 3_600_000;

function jobFile(
  receiver: string,
  jobs: string,
  notify = '{ failure: [ops], critical: [pager, ops], recovery: [ops] }',
): string {
  return `version: 1
server: { public_url: "https://cron.example.com" }
defaults:
  notify: ${notify}
channels:
  ops: { slack: { webhook_url: "https://hooks.slack.invalid/T0/B0/x", url: "${receiver}/slack" } }
  pager: { pagerduty: { routing_key: "0123456789abcdef0123456789abcdef", url: "${receiver}/pd" } }
  audit: { webhook: { url: "${receiver}/hook", secret: whsec-example-key } }
jobs:
${jobs}`;
}

function text(request: { body: string }): string {
  return request.body;
}

/** The alerting pipeline from run outcomes to channels, on one store. */
export function defineAlertsSuite(storeName: string, makeStore: StoreFactory): void {
  describe(`alerts on ${storeName}`, () => {
    let receiver: HttpReceiver;
    before(async () => {
      receiver = await startHttpReceiver();
    });
    after(async () => {
      await receiver.close();
    });

    async function withHarness(
      jobs: string,
      body: (h: AlertHarness) => Promise<void>,
      options: { notify?: string; start?: number; runLeaseMs?: number } = {},
    ): Promise<void> {
      receiver.requests.length = 0;
      const h = await startAlertHarness(
        makeStore,
        configOf(jobFile(receiver.url, jobs, options.notify)),
        receiver,
        {
          start: options.start ?? t0,
          ...(options.runLeaseMs === undefined ? {} : { runLeaseMs: options.runLeaseMs }),
        },
      );
      try {
        await body(h);
      } finally {
        await h.release();
      }
    }

    it('pages PagerDuty for exit code 1 mapped critical, and resolves the same dedup key on the next success', async () => {
      await withHarness('  drift-review: { run: "true", exit_codes: { 1: critical } }\n', async (h) => {
        h.work.script.push({
          outcome: 'critical',
          exitCode: 1,
          error: 'RuntimeError: drift sample store unreachable',
        });
        const failed = await h.runOnce('drift-review');
        assert.equal(failed.status, 'critical');
        const [trigger] = h.sent('/pd');
        const event = JSON.parse(trigger?.body ?? '{}') as Record<string, unknown> & {
          payload: Record<string, unknown>;
          links: { href: string }[];
        };
        assert.equal(event['event_action'], 'trigger');
        assert.equal(event['dedup_key'], 'cronplane:run:critical:drift-review');
        assert.equal(event.payload['severity'], 'critical');
        assert.equal(
          event.payload['summary'],
          'drift-review failed: exit code 1 (critical): RuntimeError: drift sample store unreachable',
        );
        assert.equal(event.links[0]?.href, `https://cron.example.com/runs/${failed.id}`);
        // Critical also reaches Slack (critical: [pager, ops]).
        assert.equal(h.sent('/slack').length, 1);

        await h.runOnce('drift-review');
        const resolves = h.sent('/pd');
        assert.equal(resolves.length, 2);
        assert.deepEqual(JSON.parse(resolves[1]?.body ?? '{}'), {
          routing_key: '0123456789abcdef0123456789abcdef',
          event_action: 'resolve',
          dedup_key: 'cronplane:run:critical:drift-review',
        });
        const slack = h.sent('/slack');
        assert.equal(slack.length, 2);
        assert.match(text(slack[1] as { body: string }), /drift-review recovered/);
        const { events } = await h.store.listEvents({
          dedupKey: runIncidentKey('run:critical', 'drift-review'),
        });
        assert.equal(events.length, 1);
        assert.notEqual(events[0]?.resolvedAt, null);
      });
    });

    it('tells Slack of a failure once, counts a second failure on the open event, and reminds after remind_every', async () => {
      await withHarness('  nightly: { run: "false", watch: { remind_every: 1h } }\n', async (h) => {
        h.work.script.push({ outcome: 'failure', exitCode: 2, error: 'exit code 2' });
        await h.runOnce('nightly');
        assert.equal(h.sent('/slack').length, 1);
        assert.match(text(h.sent('/slack')[0] as { body: string }), /nightly failed: exit code 2/);

        h.clock.advance(10 * minute);
        h.work.script.push({ outcome: 'failure', exitCode: 2, error: 'exit code 2' });
        await h.runOnce('nightly');
        assert.equal(h.sent('/slack').length, 1, 'a repeat sends nothing');
        const open = await h.store.getOpenEvent(runIncidentKey('run:failed', 'nightly'));
        assert.equal(open?.count, 2);

        h.clock.advance(40 * minute);
        await h.jobWatch.check();
        await h.outbox.drain();
        assert.equal(h.sent('/slack').length, 1, 'not yet an hour since it was told');
        h.clock.advance(11 * minute);
        await h.jobWatch.check();
        await h.outbox.drain();
        assert.equal(h.sent('/slack').length, 2);
        assert.match(text(h.sent('/slack')[1] as { body: string }), /reminder: nightly failed/);
        await h.jobWatch.check();
        await h.outbox.drain();
        assert.equal(h.sent('/slack').length, 2, 'the next reminder waits another hour');
      });
    });

    it('sends a due reminder once when two reminder passes start at once', async () => {
      await withHarness('  nightly: { run: "false", watch: { remind_every: 1h } }\n', async (h) => {
        h.work.script.push({ outcome: 'failure', exitCode: 2, error: 'exit code 2' });
        await h.runOnce('nightly');
        h.clock.advance(61 * minute);
        const counts = await Promise.all([h.alerter.remind(), h.alerter.remind(), h.alerter.remind()]);
        await h.outbox.drain();
        assert.deepEqual(
          counts.sort((a, b) => a - b),
          [0, 0, 1],
        );
        assert.equal(h.sent('/slack').length, 2, 'the failure, then one reminder');
      });
    });

    it('resolves only after recover_after successes in a row', async () => {
      await withHarness('  sync: { run: "true", watch: { recover_after: 2 } }\n', async (h) => {
        h.work.script.push({ outcome: 'failure', exitCode: 1 });
        await h.runOnce('sync');
        await h.runOnce('sync');
        const key = runIncidentKey('run:failed', 'sync');
        assert.notEqual(await h.store.getOpenEvent(key), undefined, 'one success is not enough');
        assert.equal(h.sent('/slack').length, 1);
        await h.runOnce('sync');
        assert.equal(await h.store.getOpenEvent(key), undefined);
        assert.equal(h.sent('/slack').length, 2);
        assert.match(text(h.sent('/slack')[1] as { body: string }), /sync recovered/);
      });
    });

    it('raises job:failing at consecutive_failures in a row, and keeps single failures quiet', async () => {
      await withHarness('  flaky: { run: "false", watch: { consecutive_failures: 3 } }\n', async (h) => {
        for (let i = 0; i < 2; i++) {
          h.work.script.push({ outcome: 'failure', exitCode: 1 });
          await h.runOnce('flaky');
        }
        assert.equal(h.sent('/slack').length, 0);
        assert.equal((await h.store.getOpenEvent(runIncidentKey('run:failed', 'flaky')))?.count, 2);
        h.work.script.push({ outcome: 'timed_out', error: 'timed out after 1m' });
        await h.runOnce('flaky');
        assert.equal(h.sent('/slack').length, 1);
        assert.match(text(h.sent('/slack')[0] as { body: string }), /flaky failed 3 times in a row/);
        await h.runOnce('flaky');
        assert.equal(await h.store.getOpenEvent(runIncidentKey('job:failing', 'flaky')), undefined);
      });
    });

    it('raises job:no-success when nothing succeeded within expect_success_within, counted from the start, and a success resolves it', async () => {
      await withHarness(
        '  cleanup: { run: "true", watch: { expect_success_within: 48h } }\n',
        async (h) => {
          h.clock.advance(47 * hour);
          await h.jobWatch.check();
          assert.equal(await h.store.getOpenEvent(runIncidentKey('job:no-success', 'cleanup')), undefined);
          h.clock.advance(2 * hour);
          await h.jobWatch.check();
          await h.outbox.drain();
          const open = await h.store.getOpenEvent(runIncidentKey('job:no-success', 'cleanup'));
          assert.equal(open?.kind, 'job:no-success');
          assert.equal(open?.severity, 'failure');
          const slack = h.sent('/slack');
          assert.equal(slack.length, 1);
          assert.match(text(slack[0] as { body: string }), /cleanup has not succeeded in 48h/);
          await h.runOnce('cleanup');
          assert.equal(await h.store.getOpenEvent(runIncidentKey('job:no-success', 'cleanup')), undefined);
          assert.equal(h.sent('/slack').length, 2);
        },
        { notify: '{ missed: [ops], recovery: [ops] }' },
      );
    });

    it('judges expect_success_within of a job applied after start (an API job) and routes it by its own notify:, until it is removed', async () => {
      await withHarness('  filler: { run: "true" }\n', async (h) => {
        const [applied] = configOf(
          jobFile(
            receiver.url,
            '  api-cleanup: { run: "true", watch: { expect_success_within: 48h }, notify: { missed: [audit] } }\n',
          ),
        ).jobs;
        h.jobWatch.applyJobChanges([applied!], []);
        h.alerter.applyJobChanges([applied!], []);
        h.clock.advance(49 * hour);
        await h.jobWatch.check();
        await h.outbox.drain();
        const key = runIncidentKey('job:no-success', 'api-cleanup');
        // Its own timer (a day) looked too while the clock moved: a repeat counts on the open event.
        const count = (await h.store.getOpenEvent(key))?.count ?? 0;
        assert.ok(count >= 1);
        assert.equal(h.sent('/hook').length, 1, 'told on the channel of the job’s own notify:');
        // (its file's defaults still route failures to ops: the job's map is merged over them)
        h.jobWatch.applyJobChanges([], ['api-cleanup']);
        h.alerter.applyJobChanges([], ['api-cleanup']);
        h.clock.advance(49 * hour);
        await h.jobWatch.check();
        assert.equal((await h.store.getOpenEvent(key))?.count, count, 'a removed job is judged no more');
      });
    });

    it('flags a success faster than min_duration and one slower than slower_than × the median', async () => {
      await withHarness(
        '  report: { run: "true", watch: { min_duration: 5s, slower_than: 3 } }\n',
        async (h) => {
          h.work.autoResult = undefined;
          async function runFor(ms: number) {
            const [run] = await h.engine.trigger({ job: 'report' });
            await waitFor('held', () => h.work.held.includes(run?.id ?? -1));
            // The lease (10 minutes here) outlasts every run, so one jump of the clock neither fences
            // the run nor races a renewal: durations are the subject, not leases.
            h.clock.advance(ms);
            h.work.finish(run?.id ?? -1);
            await h.ended(run?.id ?? -1);
          }
          await runFor(1000);
          const fast = await h.store.getOpenEvent(runIncidentKey('run:too-fast', 'report'));
          assert.equal(fast?.severity, 'warning');
          assert.match(text(h.sent('/slack')[0] as { body: string }), /finished suspiciously fast/);
          for (let i = 0; i < 3; i++) await runFor(10_000);
          assert.equal(await h.store.getOpenEvent(runIncidentKey('run:too-fast', 'report')), undefined);
          assert.equal(await h.store.getOpenEvent(runIncidentKey('run:slow', 'report')), undefined);
          await runFor(40_000);
          const slow = await h.store.getOpenEvent(runIncidentKey('run:slow', 'report'));
          assert.equal(slow?.kind, 'run:slow');
          assert.ok(h.sent('/slack').some((request) => /report was slow: 40s/.test(request.body)));
        },
        { notify: '{ warning: [ops] }', runLeaseMs: 10 * 60_000 },
      );
    });

    it('summarises a flapping job in one message instead of a message per flip', async () => {
      await withHarness('  wobbly: { run: "true" }\n', async (h) => {
        for (let flip = 0; flip < 6; flip++) {
          h.work.script.push({ outcome: 'failure', exitCode: 1 });
          await h.runOnce('wobbly');
          h.clock.advance(minute);
          await h.runOnce('wobbly');
          h.clock.advance(minute);
        }
        const slack = h.sent('/slack').map((request) => request.body);
        // Four failures and their four recoveries are told; the fifth opening is the summary; the sixth is counted on it.
        assert.equal(slack.filter((body) => /wobbly failed/.test(body) && !/flapping/.test(body)).length, 4);
        assert.equal(slack.filter((body) => /wobbly recovered/.test(body)).length, 4);
        const summaries = slack.filter((body) => /flapping/.test(body));
        assert.equal(summaries.length, 1);
        assert.match(summaries[0] as string, /wobbly is flapping: 5 failures, 4 recoveries in the last hour/);
        const summary = await h.store.getOpenEvent(
          `alert:flapping:${runIncidentKey('run:failed', 'wobbly')}`,
        );
        assert.equal(summary?.count, 2);

        // An hour without a new failure: the summary ends.
        h.clock.advance(hour);
        await h.jobWatch.check();
        await h.outbox.drain();
        assert.equal(
          await h.store.getOpenEvent(`alert:flapping:${runIncidentKey('run:failed', 'wobbly')}`),
          undefined,
        );
        assert.match(h.sent('/slack').at(-1)?.body ?? '', /wobbly stopped flapping/);
      });
    });

    it('records notify:failed for an unreachable channel without stopping or delaying runs', async () => {
      const port = await closedPort();
      receiver.requests.length = 0;
      const yaml = `version: 1
defaults:
  notify: { failure: [dead, audit], warning: [audit] }
channels:
  dead: { slack: { webhook_url: "https://hooks.slack.invalid/x", url: "http://127.0.0.1:${port}/slack" } }
  audit: { webhook: { url: "${receiver.url}/hook" } }
jobs:
  etl: { run: "false" }
`;
      const h = await startAlertHarness(makeStore, configOf(yaml), receiver, { start: t0 });
      try {
        h.work.script.push({ outcome: 'failure', exitCode: 1 });
        const started = Date.now();
        const [first] = await h.engine.trigger({ job: 'etl' });
        const [second] = await h.engine.trigger({ job: 'etl' });
        await waitFor('both runs ended', async () => {
          const a = await h.store.getRun(first?.id ?? -1);
          const b = await h.store.getRun(second?.id ?? -1);
          return a?.finishedAt !== null && b?.finishedAt !== null && a !== undefined && b !== undefined;
        });
        assert.ok(Date.now() - started < 2000, 'runs are not held up by the dead channel');
        await waitFor('notify:failed recorded', async () => {
          await h.outbox.drain();
          return h.store.getOpenEvent('notify:failed:dead');
        });
        const failed = await h.store.getOpenEvent('notify:failed:dead');
        assert.equal(failed?.severity, 'warning');
        assert.equal(failed?.kind, 'notify:failed');
        await h.outbox.drain();
        const hooks = h.sent('/hook').map((request) => JSON.parse(request.body) as { title: string });
        assert.ok(hooks.some((hook) => /notifications to "dead" \(slack\) fail/.test(hook.title)));
      } finally {
        await h.release();
      }
    });

    it('tells of a lost run once: as lost when it is retried, as failed when it is not', async () => {
      await withHarness(
        '  once: { run: "true" }\n  twice: { run: "true", retry: { attempts: 2, delay: 1m } }\n',
        async (h) => {
          // Runs another node claimed, whose lease then ran out (the node died).
          const losing = async (job: string): Promise<number> => {
            const [run] = await h.store
              .insertRuns([
                {
                  job,
                  fanKey: '',
                  params: {},
                  trigger: 'manual',
                  scheduledAt: h.clock.now(),
                  runAfter: h.clock.now() + hour,
                  queuedAt: h.clock.now(),
                },
              ])
              .then((result) => result.inserted);
            const [claimed] = await h.store.claimRuns({
              node: 'node-dead',
              now: h.clock.now() + hour,
              limit: 1,
              leaseMs: 1_000,
              runIds: [run?.id ?? -1],
            });
            assert.equal(claimed?.id, run?.id);
            return run?.id ?? -1;
          };
          const once = await losing('once');
          const twice = await losing('twice');
          h.clock.advance(hour + minute);
          await h.engine.sweepLostRuns();
          await waitFor('both told', async () => {
            await h.outbox.drain();
            return h.sent('/slack').length >= 2;
          });
          await h.outbox.drain();
          const slack = h.sent('/slack').map(text);
          assert.equal(slack.length, 2, slack.join('\n'));
          assert.equal(slack.filter((body) => /once was lost: its node stopped/.test(body)).length, 1);
          assert.equal(
            slack.filter((body) => new RegExp(`run ${twice} of twice was lost`).test(body)).length,
            1,
          );
          const lostOnce = await h.store.getOpenEvent(`run:lost:${once}`);
          assert.equal(lostOnce?.kind, 'run:lost', 'the loss is recorded');
          assert.equal(lostOnce?.notifiedAt, null, 'but told as the failure of the run');
          const retries = (await h.store.listRuns({ job: 'twice' })).runs.filter(
            (run) => run.trigger === 'retry',
          );
          assert.equal(retries.length, 1);
        },
      );
    });

    it('raises scheduler:stalled when the scheduler stops ticking, and resolves it when it ticks again', async () => {
      await withHarness('  hourly: { schedule: "0 * * * *", run: "true" }\n', async (h) => {
        // Time passes and the scheduler's timer never runs (its loop is stuck).
        const manualNow = h.clock.now.bind(h.clock);
        h.clock.now = () => manualNow() + hour + 20_000;
        try {
          await h.jobWatch.check();
          await h.outbox.drain();
        } finally {
          h.clock.now = manualNow;
        }
        const stalled = await h.store.getOpenEvent('scheduler:stalled:node-a');
        assert.equal(stalled?.severity, 'critical');
        const told = h.sent('/pd');
        assert.equal(told.length, 1, 'critical reaches PagerDuty');
        assert.match(told[0]?.body ?? '', /the scheduler on node-a has stalled/);

        // The loop runs again: the overdue fire is made and the next check resolves it.
        h.clock.advance(hour + 20_000);
        await waitFor(
          'the scheduler ticks',
          () => (h.engine.scheduler.nextFireOf('hourly') ?? 0) > t0 + hour,
        );
        await h.jobWatch.check();
        await h.outbox.drain();
        assert.equal(await h.store.getOpenEvent('scheduler:stalled:node-a'), undefined);
        assert.equal(JSON.parse(h.sent('/pd')[1]?.body ?? '{}')['event_action'], 'resolve');
      });
    });

    it('looks at the scheduler without visiting its jobs: 200 scheduled jobs cost a look of the job watch no next-fire read', async () => {
      const jobs = Array.from(
        { length: 200 },
        (_, i) => `  job-${i}: { schedule: "${i % 60} * * * *", run: "true" }\n`,
      );
      await withHarness(jobs.join(''), async (h) => {
        const scheduler = h.engine.scheduler;
        let reads = 0;
        const nextFireOf = scheduler.nextFireOf.bind(scheduler);
        scheduler.nextFireOf = (job) => {
          reads++;
          return nextFireOf(job);
        };
        // Its earliest fire, from the top of its heap, is the earliest of the jobs'.
        const earliest = Math.min(
          ...Array.from({ length: 200 }, (_, i) => nextFireOf(`job-${i}`) ?? Infinity),
        );
        assert.equal(scheduler.earliestFire, earliest);
        reads = 0;
        await h.jobWatch.check();
        assert.equal(reads, 0, 'no job was visited');
        assert.equal(await h.store.getOpenEvent('scheduler:stalled:node-a'), undefined);
      });
    });

    it('notifies a missed fire and a stuck run through their notify keys', async () => {
      receiver.requests.length = 0;
      const yaml = jobFile(
        receiver.url,
        '  hourly: { schedule: "0 * * * *", run: "true" }\n  batch: { run: "true", max_runtime: 1m }\n',
        '{ missed: [ops], stuck: [audit] }',
      );
      const h = await startAlertHarness(makeStore, configOf(yaml), receiver, {
        start: Date.UTC(2026, 0, 1, 5, 30),
        beforeStart: async (store) => {
          await store.setScheduleState({
            job: 'hourly',
            lastFireAt: Date.UTC(2026, 0, 1, 0, 0),
            nextFireAt: null,
          });
        },
      });
      try {
        await waitFor('missed told', async () => {
          await h.outbox.drain();
          return h.sent('/slack').length === 1;
        });
        assert.match(h.sent('/slack')[0]?.body ?? '', /hourly missed 5 fires/);
        const missed = await h.store.getOpenEvent('schedule:missed:hourly');
        assert.equal(missed?.kind, 'schedule:missed');
        assert.notEqual(missed?.notifiedAt, null);

        h.work.autoResult = undefined;
        const [run] = await h.engine.trigger({ job: 'batch' });
        await waitFor('batch running', () => h.work.held.includes(run?.id ?? -1));
        h.clock.advance(2 * minute);
        await h.stuckWatch.check();
        await h.outbox.drain();
        const hooks = h
          .sent('/hook')
          .map((request) => JSON.parse(request.body) as { title: string; event: string });
        assert.equal(hooks.length, 1);
        assert.equal(hooks[0]?.event, 'stuck');
        assert.match(hooks[0]?.title ?? '', new RegExp(`run ${run?.id} of batch is stuck`));
      } finally {
        await h.release();
      }
    });
  });
}
