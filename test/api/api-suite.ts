/**
 * The HTTP API driven over loopback against a real daemon (store, engine, queue drainer), on
 * one store: health, metrics, OpenAPI, jobs, runs, logs. `api-sqlite.test.ts` and
 * `api-postgres.test.ts` run it on each.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { openStore } from '../../src/store/index.ts';
import { waitFor } from '../support/engine-harness.ts';
import type { FreshStore } from './api-fixtures.ts';
import { baseYaml, useDaemons } from './api-fixtures.ts';
import { bootstrapToken, readEvents } from './api-harness.ts';

export function defineApiSuite(storeName: string, freshStore: FreshStore): void {
  describe(`the HTTP API on ${storeName}`, () => {
    const { start, stop, tokenFor, finished } = useDaemons(freshStore);

    it('answers /healthz, and /readyz with the store latency and the scheduler, without a token', async () => {
      const api = await start();
      const health = await api.request('GET', '/healthz', { token: null });
      assert.equal(health.status, 200);
      assert.equal(health.body.status, 'ok');
      assert.equal(health.body.node, 'api-node');
      const ready = await api.request('GET', '/readyz', { token: null });
      assert.equal(ready.status, 200, ready.text);
      assert.equal(ready.body.ready, true);
      assert.equal(ready.body.checks.store.ok, true);
      assert.equal(typeof ready.body.checks.store.latencyMs, 'number');
      assert.equal(ready.body.checks.scheduler.ok, true);
      assert.equal(
        ready.body.checks.scheduler.nextFireAt,
        '2027-01-01T00:00:00.000Z',
        'the yearly report is next',
      );
      await stop(api);
      const after = await api.request('GET', '/healthz', { token: null }).catch((error: Error) => error);
      assert.ok(after instanceof Error, 'a stopped daemon no longer answers');
    });

    it('serves /metrics in the Prometheus text format: runs by job and status, durations, fire lag, queue depth, store latency', async () => {
      const api = await start();
      const [run] = (await api.request('POST', '/api/jobs/fail/trigger')).body.runs;
      await finished(api, run.id);
      // The run's end is recorded a moment before its worker lets go of it.
      const answer = await waitFor('the worker to be idle', async () => {
        const scraped = await api.request('GET', '/metrics', { token: null });
        return /^cronplane_worker_running 0$/m.test(scraped.text) ? scraped : undefined;
      });
      assert.equal(answer.status, 200);
      assert.match(String(answer.headers['content-type']), /^text\/plain; version=0\.0\.4/);
      const text = answer.text;
      assert.match(text, /^# TYPE cronplane_runs_finished_total counter$/m);
      assert.match(text, /^cronplane_runs_finished_total\{job="fail",status="failed"\} 1$/m);
      assert.match(text, /^cronplane_run_duration_seconds_count\{job="fail"\} 1$/m);
      assert.match(text, /^cronplane_run_duration_seconds_bucket\{le="\+Inf",job="fail"\} 1$/m);
      assert.match(text, /^cronplane_fire_lag_seconds_count 1$/m);
      assert.match(text, /^cronplane_store_operation_seconds_count\{operation="claimRuns"\} \d+$/m);
      assert.match(text, /^cronplane_worker_running 0$/m);
      assert.match(text, /^cronplane_store_up 1$/m);
      assert.match(text, /^# TYPE cronplane_queue_items gauge$/m);
      for (const line of text.split('\n').filter((line) => line !== '' && !line.startsWith('#'))) {
        assert.match(line, /^[a-z_:][a-z0-9_:]*(\{[^}]*\})? -?[0-9.e+-]+|\+Inf|NaN$/i, line);
      }
    });

    it('serves an OpenAPI 3.1 document of every endpoint, to token holders only', async () => {
      const api = await start();
      assert.equal((await api.request('GET', '/api/openapi.json', { token: null })).status, 401);
      const answer = await api.request('GET', '/api/openapi.json');
      assert.equal(answer.status, 200);
      assert.equal(answer.body.openapi, '3.1.0');
      const operations = Object.values(
        answer.body.paths as Record<string, Record<string, { operationId: string }>>,
      )
        .flatMap((methods) => Object.values(methods))
        .map((operation) => operation.operationId);
      assert.equal(operations.length, api.daemon.server?.routes.length);
      const trigger = answer.body.paths['/api/jobs/{job}/trigger'].post;
      assert.equal(trigger['x-cronplane-scope'], 'trigger');
      assert.deepEqual(Object.keys(trigger.requestBody.content['application/json'].schema.properties), [
        'params',
        'dryRun',
        'force',
      ]);
      assert.equal(trigger.requestBody.content['application/json'].schema.additionalProperties, false);
      assert.equal(
        answer.body.paths['/api/runs'].get.parameters.find((p: { name: string }) => p.name === 'limit').in,
        'query',
      );
    });

    it('lists jobs with their last run, next fire and paused state; pause and resume persist across a restart', async () => {
      const storeUrl = await freshStore();
      const yaml = `${baseYaml}  tick:\n    schedule: every 1s\n    run: [sh, -c, 'echo tick']\n`;
      let api = await start({ storeUrl, yaml });
      await waitFor(
        'tick to have run',
        async () => (await api.request('GET', '/api/jobs/tick')).body.job.lastRun?.id,
      );
      const listed = await api.request('GET', '/api/jobs?limit=3');
      assert.deepEqual(
        listed.body.jobs.map((job: { name: string }) => job.name),
        ['cleanup-logs', 'cleanup-tmp', 'fail'],
      );
      assert.equal(listed.body.nextCursor, 'fail');
      const rest = await api.request('GET', '/api/jobs?cursor=fail');
      assert.deepEqual(
        rest.body.jobs.map((job: { name: string }) => job.name),
        ['forever', 'hello', 'hook', 'report', 'slow', 'tick'],
      );
      const report = rest.body.jobs.find((job: { name: string }) => job.name === 'report');
      assert.equal(report.nextFireAt, '2027-01-01T00:00:00.000Z');
      assert.equal(report.description, 'yearly report');
      assert.equal(report.lastRun, null);
      const paused = await api.request('POST', '/api/jobs/tick/pause');
      assert.equal(paused.status, 200);
      assert.equal(paused.body.job.paused, true);
      await stop(api);
      api = await start({ storeUrl, yaml });
      assert.equal(
        (await api.request('GET', '/api/jobs/tick')).body.job.paused,
        true,
        'still paused after a restart',
      );
      const before = (await api.request('GET', '/api/runs?job=tick')).body.runs.length;
      await new Promise((resolve) => setTimeout(resolve, 1500));
      assert.equal(
        (await api.request('GET', '/api/runs?job=tick')).body.runs.length,
        before,
        'a paused job does not fire',
      );
      assert.equal((await api.request('POST', '/api/jobs/tick/resume')).body.job.paused, false);
      await waitFor(
        'tick to fire again',
        async () => (await api.request('GET', '/api/runs?job=tick')).body.runs.length > before,
      );
      const audit = await api.request('GET', '/api/audit?actor=bootstrap');
      assert.deepEqual(
        audit.body.entries.map(
          (entry: { action: string; target: string }) => `${entry.action} ${entry.target}`,
        ),
        ['job.resume tick', 'job.pause tick'],
      );
      // Its every-second job would otherwise go on firing into the next test's store.
      await stop(api);
    });

    it('triggers a job with params and dry-run, answers the run ids at once, and records the token in the run and the audit log', async () => {
      const api = await start();
      const ci = await tokenFor(api, 'ci-deploy', 'trigger');
      const answer = await api.request('POST', '/api/jobs/hello/trigger', {
        token: ci,
        json: { params: { who: 'alice' }, dryRun: true },
      });
      assert.equal(answer.status, 202);
      const [queued] = answer.body.runs;
      assert.equal(queued.status, 'pending');
      assert.equal(queued.trigger, 'api');
      assert.equal(queued.requestedBy, 'ci-deploy');
      assert.equal(queued.dryRun, true);
      assert.equal(queued.params.who, 'alice');
      const run = await finished(api, queued.id);
      assert.equal(run['status'], 'succeeded');
      const logs = await api.request('GET', `/api/runs/${queued.id}/logs`);
      assert.equal(
        logs.body.chunks.map((chunk: { text: string }) => chunk.text).join(''),
        'hello alice\ntoken=***\n',
      );
      const unknownParam = await api.request('POST', '/api/jobs/hello/trigger', {
        json: { params: { whom: 'x' } },
      });
      assert.equal(unknownParam.status, 400);
      assert.equal(unknownParam.body.error.path, 'body.params.whom');
      assert.equal(unknownParam.body.error.code, 'api.invalid');
      assert.match(unknownParam.body.error.message, /takes no parameter "whom"; it takes: who, fan_key/);
      const audit = await api.request('GET', '/api/audit?action=job.trigger');
      assert.equal(audit.body.entries.length, 1, 'refused calls change nothing and are not audited');
      assert.equal(audit.body.entries[0].actor, 'ci-deploy');
      assert.deepEqual(audit.body.entries[0].details, {
        runs: [queued.id],
        params: { who: 'alice' },
        dryRun: true,
      });
    });

    it('lists runs filtered by job, status, trigger and scheduled time, paginated by cursor', async () => {
      const api = await start();
      const ids: number[] = [];
      for (const job of ['cleanup-tmp', 'fail', 'cleanup-tmp', 'hello', 'fail']) {
        const [run] = (await api.request('POST', `/api/jobs/${job}/trigger`)).body.runs;
        ids.push(run.id);
      }
      for (const id of ids) await finished(api, id);
      const byJob = await api.request('GET', '/api/runs?job=fail');
      assert.deepEqual(
        byJob.body.runs.map((run: { id: number }) => run.id),
        [ids[4], ids[1]],
      );
      const failed = await api.request('GET', '/api/runs?status=failed,critical');
      assert.deepEqual(
        failed.body.runs.map((run: { job: string }) => run.job),
        ['fail', 'fail'],
      );
      assert.equal((await api.request('GET', '/api/runs?trigger=schedule')).body.runs.length, 0);
      // Each listed run with the numbers it reported; `key` filters in the query.
      assert.deepEqual(
        byJob.body.runs.map((run: { metrics: unknown }) => run.metrics),
        [{ rows: 3 }, { rows: 3 }],
      );
      assert.equal((await api.request('GET', '/api/runs?job=fail&key=eu')).body.runs.length, 0);
      const badKey = await api.request('GET', '/api/runs?key=%01');
      assert.equal(badKey.status, 400, badKey.text);
      assert.equal(badKey.body.error.path, 'query.key');
      const all: number[] = [];
      let cursor: number | null = null;
      do {
        const page = await api.request(
          'GET',
          `/api/runs?limit=2${cursor === null ? '' : `&cursor=${cursor}`}`,
        );
        assert.ok(page.body.runs.length <= 2);
        all.push(...page.body.runs.map((run: { id: number }) => run.id));
        cursor = page.body.nextCursor;
      } while (cursor !== null);
      assert.deepEqual(all, [...ids].reverse());
      const first = (await api.request('GET', `/api/runs/${ids[0]}`)).body.run;
      const later = await api.request(
        'GET',
        `/api/runs?from=${encodeURIComponent(first.scheduledAt)}&to=${Date.parse(first.scheduledAt) + 1}`,
      );
      assert.deepEqual(
        later.body.runs.map((run: { id: number }) => run.id),
        [ids[0]],
      );
    });

    it('answers a listing again from the page it kept until the store changes, by this node or another process', async () => {
      const storeUrl = await freshStore();
      const api = await start({ storeUrl });
      const [first] = (await api.request('POST', '/api/jobs/cleanup-tmp/trigger')).body.runs;
      await finished(api, first.id);
      const listing = async (): Promise<{ ids: number[]; text: string; type: string }> => {
        const answer = await api.request('GET', '/api/runs?job=cleanup-tmp&limit=5');
        assert.equal(answer.status, 200, answer.text);
        return {
          ids: answer.body.runs.map((run: { id: number }) => run.id),
          text: answer.text,
          type: String(answer.headers['content-type']),
        };
      };
      const once = await listing();
      const again = await listing();
      assert.deepEqual(once.ids, [first.id]);
      assert.equal(again.text, once.text, 'the same page, byte for byte');
      assert.equal(again.type, 'application/json; charset=utf-8');
      // On PostgreSQL the mark is the server's: other work there (another test file) can move it
      // between two listings, so a kept page is looked for over a few tries.
      const pages = api.daemon.server!.context.runPages;
      let kept = false;
      for (let attempt = 0; attempt < 20 && !kept; attempt++) {
        const hits = pages.counts.hits;
        assert.equal((await listing()).text, once.text);
        kept = pages.counts.hits > hits;
      }
      assert.ok(kept, 'a listing was answered from the kept page');
      // A run triggered here is listed at once: no waiting for a kept page to age.
      const [second] = (await api.request('POST', '/api/jobs/cleanup-tmp/trigger')).body.runs;
      assert.deepEqual((await listing()).ids, [second.id, first.id]);
      await finished(api, second.id);
      assert.equal(JSON.parse((await listing()).text).runs[0].status, 'succeeded');
      // A run written by another process (here: a store of its own on the same database) too.
      const other = await openStore(storeUrl);
      try {
        const { inserted } = await other.insertRuns([
          {
            job: 'cleanup-tmp',
            trigger: 'api',
            scheduledAt: 1,
            queuedAt: 1,
            status: 'skipped',
            reason: 'elsewhere',
          },
        ]);
        assert.deepEqual((await listing()).ids, [inserted[0]!.id, second.id, first.id]);
      } finally {
        await other.release();
      }
    });

    it('shows a run with its attempts, transitions, metrics and error; retries a failed run; refuses to retry a success', async () => {
      const api = await start();
      const [queued] = (await api.request('POST', '/api/jobs/fail/trigger')).body.runs;
      await finished(api, queued.id);
      const detail = await api.request('GET', `/api/runs/${queued.id}`);
      assert.equal(detail.body.run.status, 'failed');
      assert.equal(detail.body.run.exitCode, 4);
      assert.deepEqual(detail.body.metrics, { rows: 3 });
      assert.deepEqual(
        detail.body.transitions.map((transition: { to: string }) => transition.to),
        ['pending', 'running', 'failed'],
      );
      const retried = await api.request('POST', `/api/runs/${queued.id}/retry`);
      assert.equal(retried.status, 202, retried.text);
      assert.equal(retried.body.run.trigger, 'retry');
      assert.equal(retried.body.run.attempt, 2);
      assert.equal(retried.body.run.firstRunId, queued.id);
      await finished(api, retried.body.run.id);
      const attempts = (await api.request('GET', `/api/runs/${retried.body.run.id}`)).body.attempts;
      assert.deepEqual(
        attempts.map((run: { id: number; attempt: number }) => [run.id, run.attempt]),
        [
          [queued.id, 1],
          [retried.body.run.id, 2],
        ],
      );
      const [ok] = (await api.request('POST', '/api/jobs/cleanup-tmp/trigger')).body.runs;
      await finished(api, ok.id);
      const refused = await api.request('POST', `/api/runs/${ok.id}/retry`);
      assert.equal(refused.status, 409);
      assert.match(refused.body.error.message, /run \d+ is succeeded; only runs that ended failed, critical/);
    });

    it('serves a run’s logs, and streams them live over SSE until the run ends, resuming after Last-Event-ID', async () => {
      const api = await start();
      const [queued] = (await api.request('POST', '/api/jobs/slow/trigger')).body.runs;
      const live = await readEvents(api.url, `/api/runs/${queued.id}/logs/stream`, {
        authorization: `Bearer ${bootstrapToken}`,
      });
      assert.equal(live.status, 200);
      const logs = live.events.filter((event) => event.event === 'log');
      assert.equal(logs.map((event) => event.data.text).join(''), 'one\ntwo\n');
      assert.deepEqual(live.events.at(-1), {
        event: 'end',
        data: { status: 'succeeded', exitCode: 0, error: null },
      });
      const lastSeq = logs.at(-1)?.data.seq as number;
      const resumed = await readEvents(api.url, `/api/runs/${queued.id}/logs/stream`, {
        authorization: `Bearer ${bootstrapToken}`,
        'last-event-id': String(logs[0]?.data.seq),
      });
      assert.deepEqual(
        resumed.events.map((event) => event.event),
        [...(lastSeq > (logs[0]?.data.seq as number) ? ['log'] : []), 'end'],
      );
      const page = await api.request('GET', `/api/runs/${queued.id}/logs?after=0&limit=1`);
      assert.equal(page.body.chunks.length, 1);
      assert.equal(page.body.done, false);
      const unauthorized = await api.request('GET', `/api/runs/${queued.id}/logs/stream`, { token: null });
      assert.equal(unauthorized.status, 401);
      assert.equal(
        unauthorized.body.error.code,
        'api.unauthorized',
        'errors before the stream starts are JSON',
      );
    });

    it('cancels a running run: its process stops, the run is cancelled, a second cancel is a 409', async () => {
      const api = await start();
      const [queued] = (await api.request('POST', '/api/jobs/forever/trigger')).body.runs;
      await waitFor('the run to start', async () =>
        (await api.request('GET', `/api/runs/${queued.id}`)).body.run.status === 'running' ? true : undefined,
      );
      const cancelled = await api.request('POST', `/api/runs/${queued.id}/cancel`);
      assert.equal(cancelled.status, 200, cancelled.text);
      assert.equal(cancelled.body.run.status, 'cancelled');
      assert.equal(cancelled.body.run.statusReason, 'cancelled through the API by bootstrap');
      await waitFor('the worker to let go of it', () =>
        api.daemon.engine.worker.activeCount === 0 ? true : undefined,
      );
      const again = await api.request('POST', `/api/runs/${queued.id}/cancel`);
      assert.equal(again.status, 409);
      assert.match(again.body.error.message, /already ended: cancelled/);
      const audit = await api.request('GET', '/api/audit?action=run.cancel');
      assert.equal(audit.body.entries[0].target, `run:${queued.id}`);
    });
  });
}
