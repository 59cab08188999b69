/**
 * The Control contract: every operation, and its refusals, answered alike by each set-up
 * (LocalControl in a node, LocalControl on a store, HttpControl against the API) on each store.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { LogEvent } from '../../src/control/index.ts';
import type { RunStatus, Store } from '../../src/store/index.ts';
import { anotherNode, runOnAnotherNode } from '../support/run-on-another-node.ts';
import type { StoreHarness } from '../support/store-harness.ts';
import { publicUrl, secretValue, startRig } from './control-rig.ts';
import type { ControlRig, RigKind } from './control-rig.ts';
import { refused } from './assert-refused.ts';

/** A run of `job` that was claimed by another node and ended `status`, with one line of output. */
async function endedRun(store: Store, job: string, status: RunStatus, output = 'done\n'): Promise<number> {
  const id = await runningRun(store, job, output);
  assert.ok(await store.finishRun(id, anotherNode, { status, finishedAt: Date.now(), exitCode: 1 }));
  return id;
}

/** A run of `job` running on another node, with `output` so far. */
async function runningRun(store: Store, job: string, output = 'started\n'): Promise<number> {
  const id = await runOnAnotherNode(store, job);
  await store.appendLog(id, { stream: 'stdout', chunk: output, at: Date.now() });
  return id;
}

async function collect(
  events: AsyncIterable<LogEvent>,
  until: (event: LogEvent) => void,
): Promise<LogEvent[]> {
  const seen: LogEvent[] = [];
  for await (const event of events) {
    seen.push(event);
    until(event);
  }
  return seen;
}

export function defineControlSuite(kind: RigKind, storeName: string, harness: () => StoreHarness): void {
  describe(`Control (${kind}) on ${storeName}`, () => {
    let rig: ControlRig;
    beforeEach(async () => {
      rig = await startRig(kind, harness());
    });
    afterEach(async () => {
      await rig.release();
    });

    describe('jobs', () => {
      it('lists the jobs by name with their state, a page at a time', async () => {
        const first = await rig.control().listJobs({ limit: 2 });
        assert.deepEqual(
          first.jobs.map((job) => job.name),
          ['fanned', 'report'],
        );
        assert.equal(first.nextCursor, 'report');
        const second = await rig.control().listJobs({ cursor: 'report' });
        assert.deepEqual(
          second.jobs.map((job) => job.name),
          ['sweep', 'team-build', 'throttled'],
        );
        assert.equal(second.nextCursor, null);
        const report = first.jobs[1];
        assert.equal(report?.paused, false);
        assert.equal(report?.env['API_TOKEN'], '***');
        assert.equal(report?.paramRules['who']?.required, false);
        assert.equal(report?.lastRun, null);
      });

      it('shows an actor limited to some jobs only those, and refuses it the others', async () => {
        const page = await rig.control('team').listJobs();
        assert.deepEqual(
          page.jobs.map((job) => job.name),
          ['team-build'],
        );
        await refused(rig.control('team').getJob('report'), 'forbidden', 'api.forbidden', /team-\*/);
      });

      it('refuses a job the job file does not have as not found', async () => {
        await refused(rig.control().getJob('nope'), 'not_found', 'api.unknown-job', /no job named "nope"/);
      });

      it('says each schedule of a job in words and in its normal form, in the order of the job file', async () => {
        const job = await rig.control('team').getJob('team-build');
        assert.deepEqual(job.schedules, ['0 9 1 1 *', '*-07-01 17:30']);
        assert.deepEqual(job.calendar, [
          {
            text: '0 9 1 1 *',
            kind: 'cron',
            normalForm: '0 9 1 1 *',
            words: 'at 09:00 on the 1st of January',
          },
          {
            text: '*-07-01 17:30',
            kind: 'systemd',
            normalForm: '*-07-01 17:30:00',
            words: 'at 17:30 on the 1st of July',
          },
        ]);
        assert.deepEqual((await rig.control().getJob('report')).calendar, []);
      });

      it('lists a job’s next fires with the schedule each comes from; paused, it still lists them and says so', async () => {
        const after = Date.parse('2026-01-01T00:00:00Z');
        const fires = await rig.control('team').listNextFires('team-build', { count: 3, after });
        assert.deepEqual(fires, {
          job: 'team-build',
          timezone: 'UTC',
          paused: false,
          fires: [
            { at: '2026-01-01T09:00:00.000Z', schedule: '0 9 1 1 *' },
            { at: '2026-07-01T17:30:00.000Z', schedule: '*-07-01 17:30' },
            { at: '2027-01-01T09:00:00.000Z', schedule: '0 9 1 1 *' },
          ],
        });
        const tenFromNow = await rig.control().listNextFires('team-build');
        assert.equal(tenFromNow.fires.length, 10);
        assert.ok(Date.parse(tenFromNow.fires[0]?.at ?? '') > Date.now() - 60_000);
        await rig.control().pauseJob('team-build');
        const paused = await rig.control().listNextFires('team-build', { count: 3, after });
        assert.equal(paused.paused, true);
        assert.deepEqual(paused.fires, fires.fires);
        assert.deepEqual((await rig.control().listNextFires('report')).fires, [], 'on demand only');
      });

      it('refuses a fire count out of 1-100 or an instant before 1970 naming the field, and unknown or outside jobs', async () => {
        for (const count of [0, 101]) {
          await refused(
            rig.control().listNextFires('team-build', { count }),
            'bad_input',
            'api.invalid',
            /^query\.count: expected a fire count of at (least 1|most 100)$/,
          );
        }
        await refused(
          rig.control().listNextFires('team-build', { after: -1 }),
          'bad_input',
          'api.invalid',
          /^query\.after: expected an instant from 1970 on; found 1969-12-31T23:59:59\.999Z$/,
        );
        await refused(rig.control().listNextFires('nope'), 'not_found', 'api.unknown-job');
        await refused(rig.control('team').listNextFires('report'), 'forbidden', 'api.forbidden');
      });

      it('pauses and resumes a job in the store, recorded in the audit log under the actor', async () => {
        const paused = await rig.control().pauseJob('report');
        assert.equal(paused.paused, true);
        assert.equal((await rig.store.getJob('report'))?.paused, true);
        assert.equal((await rig.control().getJob('report')).paused, true);
        const resumed = await rig.control().resumeJob('report');
        assert.equal(resumed.paused, false);
        const audit = await rig.store.listAudit({ limit: 10 });
        assert.deepEqual(
          audit.entries.map((entry) => [entry.actor, entry.action, entry.target]),
          [
            ['bootstrap', 'job.resume', 'report'],
            ['bootstrap', 'job.pause', 'report'],
          ],
        );
      });

      it('triggers a run per fan-out entry, requested by the actor, with its parameters', async () => {
        const fanned = await rig.control().triggerJob('fanned');
        assert.deepEqual(fanned.map((run) => run.fanKey).sort(), ['eu', 'us']);
        const [run] = await rig.control().triggerJob('report', { params: { who: 'ada' }, dryRun: true });
        assert.equal(run?.trigger, 'api');
        assert.equal(run?.status, 'pending');
        assert.equal(run?.requestedBy, 'bootstrap');
        assert.equal(run?.params['who'], 'ada');
        assert.equal(run?.dryRun, true);
        const stored = await rig.store.getRun(run?.id as number);
        assert.equal(stored?.job, 'report');
        const [entry] = (await rig.store.listAudit({ action: 'job.trigger', limit: 1 })).entries;
        assert.deepEqual(entry?.details, { runs: [run?.id], params: { who: 'ada' }, dryRun: true });
      });

      it('triggers a fan-out job for an ad-hoc value of its placeholder, checked as a parameter is', async () => {
        const [adhoc, ...more] = await rig
          .control()
          .triggerJob('fanned', { params: { region: 'ap-south_1' } });
        assert.equal(more.length, 0, 'one run: the given value replaces the listed ones');
        assert.equal(adhoc?.fanKey, 'ap-south_1');
        assert.equal(adhoc?.params['region'], 'ap-south_1');
        assert.equal((await rig.store.getRun(adhoc?.id as number))?.fanKey, 'ap-south_1');
        // Never an option, a path or a shell word: the default pattern of a string parameter.
        for (const value of ['-rf', 'eu us', '../etc', 'eu;reboot', '$(id)']) {
          await refused(
            rig.control().triggerJob('fanned', { params: { region: value } }),
            'bad_input',
            'api.invalid',
            /^body\.params\.region: parameter "region" must match /,
          );
        }
        await refused(
          rig.control().triggerJob('fanned', { params: { tenant: 'acme' } }),
          'bad_input',
          'api.invalid',
          /takes no parameter "tenant"; it takes: region, fan_key/,
        );
        assert.equal((await rig.store.listRuns({ limit: 10 })).runs.length, 1);
      });

      it('refuses a trigger inside the job’s cooldown (run.cooldown, 409) and runs it when forced, saying so', async () => {
        const [first] = await rig.control().triggerJob('throttled');
        assert.ok(first !== undefined);
        const until = new Date(Date.parse(String(first.scheduledAt)) + 3_600_000).toISOString();
        await refused(
          rig.control().triggerJob('throttled'),
          'conflict',
          'run.cooldown',
          new RegExp(`in its cooldown until ${until.replace(/[.]/g, '\\.')}.*force`),
        );
        assert.equal((await rig.store.listRuns({ job: 'throttled', limit: 10 })).runs.length, 1);
        const view = await rig.control().getJob('throttled');
        assert.deepEqual([view.cooldownMs, view.cooldownUntil, view.maxPerRun], [3_600_000, until, 5]);
        if (rig.server !== undefined) {
          const answer = await fetch(`${rig.server.url}/api/jobs/throttled/trigger`, {
            method: 'POST',
            headers: { authorization: `Bearer ${rig.server.token}`, 'content-type': 'application/json' },
            body: '{}',
          });
          assert.equal(answer.status, 409);
          assert.equal(((await answer.json()) as { error: { code: string } }).error.code, 'run.cooldown');
        }
        const [forced] = await rig.control().triggerJob('throttled', { force: true });
        assert.match(forced?.statusReason ?? '', /^forced inside the cooldown, which ends at /);
        assert.equal((await rig.store.listRuns({ job: 'throttled', limit: 10 })).runs.length, 2);
        const [entry] = (await rig.store.listAudit({ action: 'job.trigger', limit: 1 })).entries;
        assert.equal((entry?.details as { force?: boolean } | undefined)?.force, true);
      });

      it('records exactly one of several triggers sent at once inside one cooldown, refusing the others', async () => {
        const outcomes = await Promise.allSettled(
          Array.from({ length: 4 }, () => rig.control().triggerJob('throttled')),
        );
        assert.equal(outcomes.filter((outcome) => outcome.status === 'fulfilled').length, 1);
        for (const outcome of outcomes) {
          if (outcome.status === 'rejected')
            assert.equal((outcome.reason as { code?: string }).code, 'run.cooldown');
        }
        assert.equal((await rig.store.listRuns({ job: 'throttled', limit: 10 })).runs.length, 1);
      });

      it('refuses a parameter that breaks its rule as bad input naming the field', async () => {
        await refused(
          rig.control().triggerJob('report', { params: { who: 'Not Valid' } }),
          'bad_input',
          'api.invalid',
          /^body\.params\.who: /,
        );
        assert.equal((await rig.store.listRuns({ limit: 10 })).runs.length, 0);
      });

      it('enqueues an item that waits for its release, keyed by the queue key', async () => {
        const item = await rig.control().enqueue('sweep', { payload: { org: 'acme', n: 1 }, priority: 5 });
        assert.equal(item.held, true);
        assert.equal(item.rateKey, 'acme');
        assert.deepEqual(item.payload, { org: 'acme', n: 1 });
        assert.equal(item.requestedBy, 'bootstrap');
        await refused(
          rig.control().enqueue('sweep', { payload: { n: 2 } }),
          'bad_input',
          'api.invalid',
          /org/,
        );
        await refused(
          rig.control().enqueue('report', { payload: { org: 'acme' } }),
          'conflict',
          'queue.not-a-queue',
          /has no queue: section/,
        );
      });
    });

    describe('queues', () => {
      it('shows a queue job’s items per key, the oldest waiting one, and the stuck ones', async () => {
        await rig.control().enqueue('sweep', { payload: { org: 'acme', n: 1 } });
        await rig.control().enqueue('sweep', { payload: { org: 'acme', n: 2 } });
        await rig.control().enqueue('sweep', { payload: { org: 'globex', n: 3 } });
        // A released item due an hour ago that no node took: stuck past the 15-minute default.
        const hourAgo = Date.now() - 3_600_000;
        const { inserted } = await rig.store.insertRuns([
          {
            job: 'sweep',
            trigger: 'api',
            scheduledAt: hourAgo,
            queuedAt: hourAgo,
            runAfter: hourAgo,
            rateKey: 'acme',
          },
          { job: 'sweep', trigger: 'api', scheduledAt: Date.now(), queuedAt: Date.now(), rateKey: 'globex' },
        ]);
        const queue = await rig.control().getQueue('sweep');
        assert.deepEqual(
          queue.keys.map((key) => [key.key, key.waiting, key.released, key.running]),
          [
            ['acme', 2, 1, 0],
            ['globex', 1, 1, 0],
          ],
        );
        assert.deepEqual([queue.waiting, queue.released, queue.running], [3, 2, 0]);
        assert.deepEqual(
          queue.next.map((item) => item.payload),
          [
            { org: 'acme', n: 1 },
            { org: 'acme', n: 2 },
            { org: 'globex', n: 3 },
          ],
        );
        assert.equal(queue.oldestWaitingAt, queue.next[0]?.queuedAt);
        assert.ok(queue.oldestWaitingAgeMs !== null && queue.oldestWaitingAgeMs >= 0);
        assert.deepEqual(queue.stuckAfter, { releasedMs: 900_000, runningMs: null });
        assert.equal(queue.stuckCount, 1);
        assert.deepEqual(
          queue.stuck.map((item) => [item.run.id, item.reason]),
          [[inserted[0]?.id, 'unclaimed']],
        );
        assert.match(queue.stuck[0]?.detail ?? '', /released 1h\d*m?\d*s? ago and not started \(limit 15m\)/);

        const queues = await rig.control().listQueues();
        assert.deepEqual(
          queues.map((summary) => [summary.job, summary.waiting, summary.released, summary.stuckCount]),
          [['sweep', 3, 2, 1]],
        );
        assert.equal('next' in (queues[0] ?? {}), false);
        assert.deepEqual(await rig.control('team').listQueues(), []);
      });

      it('refuses the queue of a job without one as a conflict, and one outside the actor as forbidden', async () => {
        await refused(
          rig.control().getQueue('report'),
          'conflict',
          'queue.not-a-queue',
          /has no queue: section/,
        );
        await refused(rig.control().getQueue('nope'), 'not_found', 'api.unknown-job');
        await refused(rig.control('team').getQueue('sweep'), 'forbidden', 'api.forbidden');
      });
    });

    describe('runs', () => {
      it('lists runs newest first, filtered by job and status, a page at a time', async () => {
        const failed = await endedRun(rig.store, 'report', 'failed');
        const succeeded = await endedRun(rig.store, 'report', 'succeeded');
        await endedRun(rig.store, 'team-build', 'failed');
        const page = await rig.control().listRuns({ job: 'report', limit: 1 });
        assert.deepEqual(
          page.runs.map((run) => run.id),
          [succeeded],
        );
        assert.notEqual(page.nextCursor, null);
        const next = await rig.control().listRuns({ job: 'report', cursor: page.nextCursor as number });
        assert.deepEqual(
          next.runs.map((run) => run.id),
          [failed],
        );
        const byStatus = await rig.control().listRuns({ status: ['failed'] });
        assert.equal(byStatus.runs.length, 2);
        await refused(rig.control('team').listRuns(), 'forbidden', 'api.forbidden', /name one with/);
        assert.equal((await rig.control('team').listRuns({ job: 'team-build' })).runs.length, 1);
      });

      it('lists the runs of one fan-out key and scheduled time, each with the metrics it reported', async () => {
        const now = Date.now();
        const { inserted } = await rig.store.insertRuns(
          ['eu', 'us', 'eu'].map((fanKey, index) => ({
            job: 'fanned',
            fanKey,
            trigger: 'schedule' as const,
            scheduledAt: now - (3 - index) * 60_000,
            queuedAt: now,
            runAfter: now + 3_600_000,
          })),
        );
        const [eu1, us, eu2] = inserted.map((run) => run.id);
        await rig.store.recordMetrics(eu1 as number, { agreement_rate: 0.81, total: 12 }, now);
        const byKey = await rig.control().listRuns({ job: 'fanned', key: 'eu', limit: 1 });
        assert.deepEqual(
          byKey.runs.map((run) => [run.id, run.fanKey, run.metrics]),
          [[eu2, 'eu', {}]],
        );
        const older = await rig.control().listRuns({ key: 'eu', to: now - 90_000 });
        assert.deepEqual(
          older.runs.map((run) => [run.id, run.metrics]),
          [[eu1, { agreement_rate: 0.81, total: 12 }]],
        );
        const since = await rig.control().listRuns({ job: 'fanned', from: now - 150_000 });
        assert.deepEqual(
          since.runs.map((run) => run.id),
          [eu2, us],
        );
      });

      it('gives a run with its attempts, changes of status and metrics', async () => {
        const id = await endedRun(rig.store, 'report', 'failed');
        await rig.store.recordMetrics(id, { rows: 3 }, Date.now());
        const detail = await rig.control().getRun(id);
        assert.equal(detail.run.id, id);
        assert.equal(detail.run.status, 'failed');
        assert.deepEqual(
          detail.attempts.map((run) => run.id),
          [id],
        );
        assert.deepEqual(
          detail.transitions.map((step) => step.to),
          ['pending', 'running', 'failed'],
        );
        assert.deepEqual(detail.metrics, { rows: 3 });
      });

      it('refuses an unknown run as not found, and a run of a job outside the actor as forbidden', async () => {
        await refused(rig.control().getRun(987_654), 'not_found', 'api.unknown-run', /no run with id 987654/);
        await refused(rig.control().retryRun(987_654), 'not_found', 'api.unknown-run');
        await refused(rig.control().cancelRun(987_654), 'not_found', 'api.unknown-run');
        await refused(rig.control().readLogs(987_654), 'not_found', 'api.unknown-run');
        const id = await endedRun(rig.store, 'report', 'failed');
        await refused(rig.control('team').getRun(id), 'forbidden', 'api.forbidden', /is of "report"/);
      });

      it('retries a failed run as its next attempt, requested by the actor', async () => {
        const id = await endedRun(rig.store, 'report', 'failed');
        const retry = await rig.control().retryRun(id);
        assert.equal(retry.trigger, 'retry');
        assert.equal(retry.attempt, 2);
        assert.equal(retry.firstRunId, id);
        assert.equal(retry.status, 'pending');
        assert.equal(retry.requestedBy, 'bootstrap');
        assert.deepEqual(
          (await rig.control().getRun(id)).attempts.map((run) => run.attempt),
          [1, 2],
        );
        const again = await rig.control().retryRun(id);
        assert.equal(again.attempt, 3);
      });

      it('refuses to retry a run that succeeded or has not ended, as a conflict', async () => {
        const succeeded = await endedRun(rig.store, 'report', 'succeeded');
        await refused(rig.control().retryRun(succeeded), 'conflict', 'api.conflict', /is succeeded/);
        const running = await runningRun(rig.store, 'report');
        await refused(rig.control().retryRun(running), 'conflict', 'api.conflict', /is running/);
      });

      it('cancels a pending run once; cancelling it again is a conflict', async () => {
        const [run] = await rig.control().triggerJob('report');
        const cancelled = await rig.control().cancelRun(run?.id as number);
        assert.equal(cancelled.status, 'cancelled');
        assert.match(cancelled.statusReason ?? '', /by bootstrap$/);
        await refused(
          rig.control().cancelRun(run?.id as number),
          'conflict',
          'api.conflict',
          /already ended: cancelled/,
        );
        const [entry] = (await rig.store.listAudit({ action: 'run.cancel', limit: 1 })).entries;
        assert.deepEqual(entry?.details, { was: 'pending' });
      });
    });

    describe('logs', () => {
      it('reads a run’s output after a sequence number, with secret values masked', async () => {
        const id = await runningRun(rig.store, 'report', `token ${secretValue}\n`);
        await rig.store.appendLog(id, { stream: 'stderr', chunk: 'second\n', at: Date.now() });
        const page = await rig.control().readLogs(id);
        assert.deepEqual(
          page.chunks.map((chunk) => [chunk.stream, chunk.text]),
          [
            ['stdout', 'token ***\n'],
            ['stderr', 'second\n'],
          ],
        );
        assert.equal(page.done, false);
        assert.equal(page.status, 'running');
        const rest = await rig.control().readLogs(id, { after: page.chunks[0]?.seq as number });
        assert.deepEqual(
          rest.chunks.map((chunk) => chunk.text),
          ['second\n'],
        );
        await rig.store.finishRun(id, anotherNode, { status: 'succeeded', finishedAt: Date.now() });
        assert.equal((await rig.control().readLogs(id, { after: page.nextAfter })).done, true);
      });

      it('follows a run’s output as it is written, then its end', async () => {
        const id = await runningRun(rig.store, 'report', 'one\n');
        let wrote = false;
        const seen = await collect(rig.control().followLogs(id), (event) => {
          if (event.kind === 'log' && !wrote) {
            wrote = true;
            void (async () => {
              await rig.store.appendLog(id, {
                stream: 'stdout',
                chunk: `two ${secretValue}\n`,
                at: Date.now(),
              });
              await rig.store.finishRun(id, anotherNode, {
                status: 'failed',
                finishedAt: Date.now(),
                exitCode: 3,
                error: 'exit code 3',
              });
            })();
          }
        });
        assert.deepEqual(seen, [
          { kind: 'log', chunk: { ...(seen[0] as { chunk: object }).chunk, text: 'one\n' } },
          { kind: 'log', chunk: { ...(seen[1] as { chunk: object }).chunk, text: 'two ***\n' } },
          { kind: 'end', status: 'failed', exitCode: 3, error: 'exit code 3' },
        ]);
      });

      it('refuses to follow an unknown run as not found', async () => {
        await refused(
          collect(rig.control().followLogs(987_654), () => undefined),
          'not_found',
          'api.unknown-run',
        );
      });
    });

    describe('events', () => {
      it('lists, gets and resolves events; resolving twice is a conflict', async () => {
        const now = Date.now();
        const failed = await rig.store.recordEvent({
          kind: 'run:failed',
          dedupKey: 'run:failed:report',
          severity: 'critical',
          at: now,
          job: 'report',
        });
        await rig.store.recordEvent({
          kind: 'schedule:missed',
          dedupKey: 'schedule:missed:team-build',
          severity: 'warning',
          at: now,
          job: 'team-build',
        });
        const all = await rig.control().listEvents();
        assert.equal(all.events.length, 2);
        const critical = await rig.control().listEvents({ severity: ['critical'], open: true });
        assert.deepEqual(
          critical.events.map((event) => event.id),
          [failed.id],
        );
        assert.equal((await rig.control().getEvent(failed.id)).kind, 'run:failed');
        assert.deepEqual((await rig.control().listEvents({ open: false })).events, [], 'none resolved yet');
        const resolved = await rig.control().resolveEvent(failed.id);
        assert.notEqual(resolved.resolvedAt, null);
        assert.deepEqual(
          (await rig.control().listEvents({ open: false })).events.map((event) => event.id),
          [failed.id],
          'open: false lists the resolved ones only',
        );
        assert.equal((await rig.control().listEvents({ open: true })).events.length, 1);
        await refused(rig.control().resolveEvent(failed.id), 'conflict', 'api.conflict', /already resolved/);
        const [entry] = (await rig.store.listAudit({ action: 'event.resolve', limit: 1 })).entries;
        assert.equal(entry?.actor, 'bootstrap');
        await refused(rig.control('team').getEvent(failed.id), 'forbidden', 'api.forbidden');
        await refused(
          rig.control().getEvent(987_654),
          'not_found',
          'api.unknown-event',
          /no event with id 987654/,
        );
      });

      it('refuses a window that ends before it starts as bad input', async () => {
        const now = Date.now();
        await refused(
          rig.control().listEvents({ since: now, until: now - 60_000 }),
          'bad_input',
          'api.invalid',
          /until/,
        );
      });
    });

    describe('monitors', () => {
      it('lists and gets monitors with their ping URLs; an actor sees only its own', async () => {
        const monitors = await rig.control().listMonitors();
        assert.deepEqual(
          monitors.map((monitor) => monitor.name),
          ['backup', 'team-heartbeat'],
        );
        const backup = await rig.control().getMonitor('backup');
        assert.equal(backup.description, 'Nightly database backup');
        assert.ok(backup.pingUrl.startsWith(`${publicUrl}/ping/`), backup.pingUrl);
        assert.equal(backup.pingUrlBase, 'public_url', 'built on server.public_url');
        assert.deepEqual(
          (await rig.control('team').listMonitors()).map((monitor) => monitor.name),
          ['team-heartbeat'],
        );
        await refused(rig.control('team').getMonitor('backup'), 'forbidden', 'api.forbidden');
        await refused(rig.control().getMonitor('nope'), 'not_found', 'api.unknown-monitor');
        const pings = await rig.control().listMonitorPings('backup');
        assert.deepEqual(pings, { pings: [], nextCursor: null });
      });

      it('pauses and resumes a monitor; asking again changes nothing', async () => {
        const paused = await rig.control().pauseMonitor('backup');
        assert.equal(paused.changed, true);
        assert.equal(paused.monitor.paused, true);
        assert.equal((await rig.control().pauseMonitor('backup')).changed, false);
        const resumed = await rig.control().resumeMonitor('backup');
        assert.equal(resumed.changed, true);
        assert.equal(resumed.monitor.paused, false);
        const audit = await rig.control().listAudit({ action: 'monitor.pause' });
        assert.deepEqual(
          audit.entries.map((entry) => entry.details),
          [{ changed: false }, { changed: true }],
        );
      });
    });

    describe('audit and nodes', () => {
      it('lists the audit log for an actor of every job only', async () => {
        await rig.control().pauseJob('team-build');
        const page = await rig.control().listAudit({ actor: 'bootstrap' });
        assert.equal(page.entries[0]?.action, 'job.pause');
        assert.equal(typeof page.entries[0]?.at, 'string');
        await refused(rig.control('team').listAudit(), 'forbidden', 'api.forbidden');
      });

      it('lists nodes and drains one; draining it again changes nothing', async () => {
        const now = Date.now();
        await rig.store.registerNode({
          instanceId: 'instance-1',
          name: 'worker-1',
          host: 'host-1',
          processScope: 'host-1/pid:[1]',
          pid: 4242,
          version: '1.2.3',
          startedAt: now,
          staleMs: 60_000,
          configHash: 'hash',
          tags: ['gpu'],
          slots: 4,
          role: 'all',
        });
        const nodes = await rig.control().listNodes();
        assert.deepEqual(
          nodes.map((node) => [node.name, node.state, node.tags]),
          [['worker-1', 'running', ['gpu']]],
        );
        const drained = await rig.control().drainNode('worker-1');
        assert.equal(drained.changed, true);
        assert.equal(drained.node.state, 'draining');
        assert.equal((await rig.control().drainNode('worker-1')).changed, false);
        await refused(
          rig.control().drainNode('nope'),
          'not_found',
          'api.unknown-node',
          /no live node named "nope"/,
        );
        await refused(rig.control('team').drainNode('worker-1'), 'forbidden', 'api.forbidden');
      });
    });
  });
}
