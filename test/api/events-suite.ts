/**
 * Events through the API against a real daemon: listing with filters and paging, one event,
 * resolving by hand (audited, 404, 409), the open-events summary of /readyz and the gauge of
 * /metrics. `events.test.ts` runs it on SQLite and PostgreSQL.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { NewEvent } from '../../src/store/index.ts';
import type { FreshStore } from './api-fixtures.ts';
import { secretEnv, useDaemons } from './api-fixtures.ts';
import type { ApiDaemon } from './api-harness.ts';
import { startHttpReceiver } from '../notify/receivers.ts';
import { waitFor } from '../support/engine-harness.ts';

const T0 = Date.parse('2026-03-14T02:00:00Z');
const minute = 60_000;

function event(overrides: Partial<NewEvent> & Pick<NewEvent, 'dedupKey'>): NewEvent {
  return { kind: 'run:failed', severity: 'failure', job: 'fail', at: T0, ...overrides };
}

/** Events of every severity and several jobs; returns their ids by dedup key. */
async function recordSample(api: ApiDaemon): Promise<Record<string, number>> {
  const { store } = api.daemon;
  const ids: Record<string, number> = {};
  const add = async (input: NewEvent) => {
    ids[input.dedupKey] = (await store.recordEvent(input)).id;
  };
  await add(event({ dedupKey: 'fail:failed', runId: null, details: { error: `exit 4: oops ${secretEnv}` } }));
  await add(
    event({ dedupKey: 'hello:stuck', kind: 'run:stuck', severity: 'warning', job: 'hello', at: T0 + minute }),
  );
  await add(
    event({
      dedupKey: 'report:missed',
      kind: 'schedule:missed',
      severity: 'info',
      job: 'report',
      at: T0 + 2 * minute,
    }),
  );
  await add(
    event({ dedupKey: 'fail:critical', kind: 'run:critical', severity: 'critical', at: T0 + 3 * minute }),
  );
  await add(
    event({
      dedupKey: 'node:stall',
      kind: 'scheduler:stalled',
      severity: 'critical',
      job: null,
      at: T0 + 4 * minute,
    }),
  );
  // A repeat of the first: one event, counted twice, last seen later.
  await store.recordEvent(
    event({ dedupKey: 'fail:failed', at: T0 + 10 * minute, details: { error: 'exit 4 again' } }),
  );
  await store.resolveEvent('report:missed', T0 + 5 * minute);
  return ids;
}

export function defineEventsSuite(storeName: string, freshStore: FreshStore): void {
  describe(`events through the API on ${storeName}`, () => {
    const { start, tokenFor } = useDaemons(freshStore);

    it('lists events newest first with every field, filtered by job, kind, severity, open and a time window, paged by cursor', async () => {
      const api = await start();
      const ids = await recordSample(api);
      const list = async (query: string) => {
        const answer = await api.request('GET', `/api/events${query}`);
        assert.equal(answer.status, 200, answer.text);
        return answer.body as { events: Record<string, unknown>[]; nextCursor: number | null };
      };
      const all = await list('');
      assert.deepEqual(
        all.events.map((found) => found['dedupKey']),
        ['node:stall', 'fail:critical', 'report:missed', 'hello:stuck', 'fail:failed'],
      );
      assert.deepEqual(all.events.at(-1), {
        id: ids['fail:failed'],
        kind: 'run:failed',
        severity: 'failure',
        job: 'fail',
        runId: null,
        dedupKey: 'fail:failed',
        firstSeen: '2026-03-14T02:00:00.000Z',
        lastSeen: '2026-03-14T02:10:00.000Z',
        count: 2,
        resolvedAt: null,
        notifiedAt: null,
        details: { error: 'exit 4 again' },
      });
      const keys = async (query: string) => (await list(query)).events.map((found) => found['dedupKey']);
      assert.deepEqual(await keys('?severity=critical'), ['node:stall', 'fail:critical']);
      assert.deepEqual(await keys('?severity=info,warning'), ['report:missed', 'hello:stuck']);
      assert.deepEqual(await keys('?severity=critical&job=fail'), ['fail:critical']);
      assert.deepEqual(await keys('?kind=run:stuck'), ['hello:stuck']);
      assert.deepEqual(await keys('?open=true&severity=info,warning'), ['hello:stuck']);
      assert.deepEqual(await keys('?since=2026-03-14T02:03:30Z'), ['node:stall', 'fail:failed']);
      assert.deepEqual(
        await keys(`?since=${T0 + 90_000}&until=2026-03-14T02:03:00Z`),
        ['report:missed', 'fail:failed'],
        'events open at some point of the window: the failure opened before it and was seen after it',
      );
      const first = await list('?limit=2');
      assert.equal(first.events.length, 2);
      assert.equal(first.nextCursor, ids['fail:critical']);
      const rest = await list(`?limit=2&cursor=${first.nextCursor}`);
      assert.deepEqual(
        rest.events.map((found) => found['dedupKey']),
        ['report:missed', 'hello:stuck'],
      );
      const resolved = all.events.find((found) => found['dedupKey'] === 'report:missed');
      assert.equal(resolved?.['resolvedAt'], '2026-03-14T02:05:00.000Z');
    });

    it('masks secret values of the job file in event details', async () => {
      const api = await start();
      const { store } = api.daemon;
      const recorded = await store.recordEvent(
        event({ dedupKey: 'leak', details: { error: `token=${secretEnv}`, nested: [secretEnv] } }),
      );
      const one = await api.request('GET', `/api/events/${recorded.id}`);
      assert.equal(one.status, 200, one.text);
      assert.deepEqual(one.body.event.details, { error: 'token=***', nested: ['***'] });
      const listed = await api.request('GET', '/api/events');
      assert.ok(!listed.text.includes(secretEnv), 'the list does not show the secret');
    });

    it("shows one event, 404 for an unknown id, 403 outside a limited token's jobs and for events of no job", async () => {
      const api = await start();
      const ids = await recordSample(api);
      const one = await api.request('GET', `/api/events/${ids['hello:stuck']}`);
      assert.equal(one.status, 200, one.text);
      assert.equal(one.body.event.kind, 'run:stuck');
      assert.equal(one.body.event.job, 'hello');
      const unknown = await api.request('GET', '/api/events/424242');
      assert.equal(unknown.status, 404);
      assert.equal(unknown.body.error.code, 'api.unknown-event');
      assert.equal(unknown.body.error.path, 'path.id');
      const limited = await tokenFor(api, 'hello-only', 'trigger', ['hello']);
      const own = await api.request('GET', `/api/events/${ids['hello:stuck']}`, { token: limited });
      assert.equal(own.status, 200, own.text);
      for (const key of ['fail:failed', 'node:stall']) {
        const other = await api.request('GET', `/api/events/${ids[key]}`, { token: limited });
        assert.equal(other.status, 403, other.text);
        assert.equal(other.body.error.path, 'path.id');
        const resolve = await api.request('POST', `/api/events/${ids[key]}/resolve`, { token: limited });
        assert.equal(resolve.status, 403, resolve.text);
      }
      const listAll = await api.request('GET', '/api/events', { token: limited });
      assert.equal(listAll.status, 403, 'a limited token names its job');
      const listOwn = await api.request('GET', '/api/events?job=hello', { token: limited });
      assert.deepEqual(
        listOwn.body.events.map((found: { dedupKey: string }) => found.dedupKey),
        ['hello:stuck'],
      );
      assert.equal((await api.daemon.store.getEvent(ids['fail:failed'] ?? 0))?.resolvedAt, null);
    });

    it('resolves an open event by hand with a trigger token, audited; a second resolve is a 409; the next occurrence opens a new event', async () => {
      const api = await start();
      const ids = await recordSample(api);
      const id = ids['fail:critical'] ?? 0;
      const reader = await tokenFor(api, 'reader', 'read');
      const refused = await api.request('POST', `/api/events/${id}/resolve`, { token: reader });
      assert.equal(refused.status, 403);
      const operator = await tokenFor(api, 'on-call', 'trigger');
      const before = Date.now();
      const resolved = await api.request('POST', `/api/events/${id}/resolve`, { token: operator });
      assert.equal(resolved.status, 200, resolved.text);
      assert.equal(resolved.body.event.id, id);
      const resolvedAt = Date.parse(resolved.body.event.resolvedAt);
      assert.ok(resolvedAt >= before && resolvedAt <= Date.now(), resolved.body.event.resolvedAt);
      assert.equal((await api.daemon.store.getEvent(id))?.resolvedAt, resolvedAt);
      const [entry] = (await api.daemon.store.listAudit({ limit: 1 })).entries;
      assert.deepEqual(
        { actor: entry?.actor, action: entry?.action, target: entry?.target, details: entry?.details },
        {
          actor: 'on-call',
          action: 'event.resolve',
          target: `event:${id}`,
          details: { kind: 'run:critical', job: 'fail', dedupKey: 'fail:critical' },
        },
      );
      const again = await api.request('POST', `/api/events/${id}/resolve`, { token: operator });
      assert.equal(again.status, 409, again.text);
      assert.equal(again.body.error.code, 'api.conflict');
      assert.match(again.body.error.message, new RegExp(`event ${id} was already resolved at `));
      const alreadyResolved = await api.request('POST', `/api/events/${ids['report:missed']}/resolve`);
      assert.equal(alreadyResolved.status, 409);
      const unknown = await api.request('POST', '/api/events/424242/resolve');
      assert.equal(unknown.status, 404);
      const audited = (await api.daemon.store.listAudit({ action: 'event.resolve', limit: 10 })).entries;
      assert.equal(audited.length, 1, 'refused resolves are not audited');
      const reopened = await api.daemon.store.recordEvent(
        event({
          dedupKey: 'fail:critical',
          kind: 'run:critical',
          severity: 'critical',
          at: T0 + 20 * minute,
        }),
      );
      assert.notEqual(reopened.id, id);
      assert.equal(reopened.count, 1);
    });

    it('tells PagerDuty and Slack when an incident they heard of is resolved by hand', async () => {
      const receiver = await startHttpReceiver();
      try {
        const yaml = `version: 1
defaults:
  notify: { critical: [pager, ops], recovery: [ops] }
channels:
  ops: { slack: { webhook_url: "https://hooks.slack.invalid/T0/B0/x", url: "${receiver.url}/slack" } }
  pager: { pagerduty: { routing_key: "0123456789abcdef0123456789abcdef", url: "${receiver.url}/pd" } }
jobs:
  drift: { run: [sh, -c, 'exit 1'], exit_codes: { 1: critical } }
`;
        const api = await start({ yaml });
        const [run] = (await api.request('POST', '/api/jobs/drift/trigger')).body.runs;
        const opened = await waitFor('the critical incident told', async () => {
          const page = await api.request('GET', '/api/events?kind=run:critical');
          const found = page.body.events[0];
          return found?.notifiedAt !== null && found !== undefined ? found : undefined;
        });
        assert.equal(opened.runId, run.id);
        await waitFor('PagerDuty paged', () => receiver.requests.some((request) => request.path === '/pd'));
        const resolved = await api.request('POST', `/api/events/${opened.id}/resolve`);
        assert.equal(resolved.status, 200, resolved.text);
        const pager = await waitFor('PagerDuty resolved', () => {
          const sent = receiver.requests.filter((request) => request.path === '/pd');
          return sent.length === 2 ? sent : undefined;
        });
        const resolve = JSON.parse(pager[1]?.body ?? '{}') as Record<string, unknown>;
        assert.equal(resolve['event_action'], 'resolve');
        assert.equal(resolve['dedup_key'], JSON.parse(pager[0]?.body ?? '{}')['dedup_key']);
        const slack = await waitFor('Slack told', () => {
          const sent = receiver.requests.filter((request) => request.path === '/slack');
          return sent.length === 2 ? sent : undefined;
        });
        assert.match(slack[1]?.body ?? '', /resolved by hand/);
        assert.match(slack[1]?.body ?? '', /resolved by bootstrap/);
      } finally {
        await receiver.close();
      }
    });

    it('refuses bad filters with a 400 naming the parameter, changing nothing', async () => {
      const api = await start();
      await recordSample(api);
      const cases: [string, string, RegExp][] = [
        ['?severity=fatal', 'query.severity', /info, warning, failure, critical.*"fatal"/],
        ['?severity=critical,,nope', 'query.severity', /"nope"/],
        ['?severity=', 'query.severity', /severities/],
        ['?since=yesterday', 'query.since', /ISO 8601/],
        ['?until=2026-13-45', 'query.until', /ISO 8601/],
        // Date.parse reads these as 2001-12-01, a local time of the server, and a UTC midnight.
        ['?since=banana%2012', 'query.since', /ISO 8601 date-time with an offset.*"banana 12"/],
        ['?until=2026-03-14T02:00:00', 'query.until', /ISO 8601 date-time with an offset/],
        ['?since=2026-03-14', 'query.since', /or epoch milliseconds/],
        ['?since=2026-03-14T03:00:00Z&until=2026-03-14T02:00:00Z', 'query.until', /after since/],
        ['?open=yes', 'query.open', /true/],
        ['?kind=Run%20Failed', 'query.kind', /event kind/],
        ['?cursor=0', 'query.cursor', /at least 1/],
        ['?resolved=true', 'query.resolved', /resolved/],
      ];
      for (const [query, place, message] of cases) {
        const answer = await api.request('GET', `/api/events${query}`);
        assert.equal(answer.status, 400, `${query}: ${answer.text}`);
        const error = answer.body.error as { path?: string; message: string; issues?: { path: string }[] };
        const places = [error.path, ...(error.issues ?? []).map((issue) => issue.path)];
        assert.ok(places.includes(place), `${query} names ${place}: ${answer.text}`);
        assert.match(error.message, message, query);
      }
    });

    it('reports open events per severity and the newest critical ones in /readyz, staying ready; counts them in /metrics', async () => {
      const api = await start();
      const empty = await api.request('GET', '/readyz', { token: null });
      assert.deepEqual(empty.body.summary, {
        monitorsDown: [],
        openEvents: { info: 0, warning: 0, failure: 0, critical: 0 },
        openCritical: [],
      });
      await recordSample(api);
      for (let index = 0; index < 5; index++) {
        await api.daemon.store.recordEvent(
          event({
            dedupKey: `lost:${index}`,
            kind: 'run:lost',
            severity: 'critical',
            at: T0 + (30 + index) * minute,
          }),
        );
      }
      const ready = await api.request('GET', '/readyz', { token: null });
      assert.equal(ready.status, 200, 'open critical events never make a node not ready');
      assert.equal(ready.body.ready, true);
      assert.deepEqual(ready.body.summary.openEvents, { info: 0, warning: 1, failure: 1, critical: 7 });
      assert.deepEqual(
        ready.body.summary.openCritical.map((found: { kind: string }) => found.kind),
        ['run:lost', 'run:lost', 'run:lost', 'run:lost', 'run:lost'],
      );
      assert.deepEqual(ready.body.summary.openCritical[0], {
        id: (await api.daemon.store.getOpenEvent('lost:4'))?.id,
        kind: 'run:lost',
        job: 'fail',
        since: '2026-03-14T02:34:00.000Z',
      });
      const metrics = await api.request('GET', '/metrics', { token: null });
      assert.match(metrics.text, /^# TYPE cronplane_events_open gauge$/m);
      assert.match(metrics.text, /^cronplane_events_open\{severity="critical"\} 7$/m);
      assert.match(metrics.text, /^cronplane_events_open\{severity="info"\} 0$/m);
      assert.match(metrics.text, /^cronplane_events_open\{severity="failure"\} 1$/m);
    });
  });
}
