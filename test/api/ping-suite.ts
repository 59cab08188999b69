/**
 * The ping endpoints and the monitor read endpoints against a real daemon on one store: every
 * ping form, start/end pairing, capped bodies, unknown and malformed ids (404, nothing stored),
 * bad exit codes (400), the per-address limit, ping URLs, /readyz's summary.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { manualClock } from '../../src/clock/index.ts';
import type { ApiDaemon } from './api-harness.ts';
import type { FreshStore } from './api-fixtures.ts';
import { useDaemons } from './api-fixtures.ts';

const T0 = Date.UTC(2026, 0, 10, 12, 0, 0);
const MIN = 60_000;
const HOUR = 60 * MIN;
const clockIso = (at: number): string => new Date(at).toISOString();

export const monitorYaml = `version: 1
jobs:
  hello: { run: [sh, -c, 'echo hello'] }
monitors:
  backup: { period: 1h, grace: 5m, description: Nightly database backup }
  nightly: { schedule: '0 3 * * *', grace: 30m, min_duration: 1s }
`;

export function definePingSuite(storeName: string, freshStore: FreshStore): void {
  describe(`pings and monitors on ${storeName}`, () => {
    const { start, stop, tokenFor } = useDaemons(freshStore);

    async function pingPath(api: ApiDaemon, name: string): Promise<string> {
      const record = await api.daemon.store.getMonitor(name);
      assert.ok(record, name);
      return `/ping/${record.pingId}`;
    }
    const pingCount = async (api: ApiDaemon) =>
      (await api.daemon.store.listPings({ monitor: 'backup' })).pings.length +
      (await api.daemon.store.listPings({ monitor: 'nightly' })).pings.length;

    it('takes success pings by GET, HEAD and POST without a token, answering OK', async () => {
      const api = await start({ yaml: monitorYaml });
      const ping = await pingPath(api, 'backup');
      for (const method of ['GET', 'HEAD', 'POST']) {
        const answer = await api.request(method, ping, { token: null });
        assert.equal(answer.status, 200, `${method}: ${answer.text}`);
        assert.equal(answer.text, method === 'HEAD' ? '' : 'OK');
      }
      const pings = (await api.daemon.store.listPings({ monitor: 'backup' })).pings;
      assert.deepEqual(
        pings.map((p) => p.kind),
        ['success', 'success', 'success'],
      );
      assert.match(pings[0]?.source ?? '', /^127\.0\.0\.1/);
      assert.equal((await api.daemon.store.getMonitor('backup'))?.status, 'up');
    });

    it('pairs /start and the end by ?rid= and measures the duration; /fail and /3 take the monitor down', async () => {
      const clock = manualClock(T0);
      const api = await start({ yaml: monitorYaml, clock });
      const ping = await pingPath(api, 'backup');
      assert.equal((await api.request('POST', `${ping}/start?rid=r-1`, { token: null })).status, 200);
      clock.advance(42_000);
      const end = await api.request('POST', `${ping}/0?rid=r-1`, {
        token: null,
        raw: 'all good\n',
        headers: { 'content-type': 'text/plain' },
      });
      assert.equal(end.status, 200, end.text);
      const listed = await api.request('GET', '/api/monitors/backup/pings');
      assert.equal(listed.status, 200, listed.text);
      assert.deepEqual(
        listed.body.pings.map((p: Record<string, unknown>) => [
          p['kind'],
          p['exitCode'],
          p['runKey'],
          p['durationMs'],
          p['body'],
        ]),
        [
          ['exit', 0, 'r-1', 42_000, 'all good\n'],
          ['start', null, 'r-1', null, null],
        ],
      );
      assert.equal((await api.daemon.store.getMonitor('backup'))?.status, 'up');

      assert.equal((await api.request('GET', `${ping}/fail`, { token: null })).status, 200);
      assert.equal((await api.daemon.store.getMonitor('backup'))?.status, 'down');
      assert.equal((await api.request('GET', ping, { token: null })).status, 200);
      assert.equal((await api.daemon.store.getMonitor('backup'))?.status, 'up');
      assert.equal((await api.request('POST', `${ping}/3`, { token: null, raw: 'boom' })).status, 200);
      const monitor = (await api.request('GET', '/api/monitors/backup')).body.monitor;
      assert.equal(monitor.status, 'down');
      const [latest] = (await api.request('GET', '/api/monitors/backup/pings?limit=1')).body.pings;
      assert.deepEqual([latest.kind, latest.exitCode, latest.body], ['exit', 3, 'boom']);
    });

    it('answers 404 for an unknown or malformed id and stores nothing; 400 for a bad exit code; never 5xx', async () => {
      const api = await start({ yaml: monitorYaml });
      const ping = await pingPath(api, 'backup');
      const unknown = await api.request('POST', `/ping/${'0'.repeat(32)}`, { token: null, raw: 'x' });
      assert.equal(unknown.status, 404);
      assert.equal(unknown.body.error.code, 'api.unknown-ping-id');
      for (const target of [
        '/ping/short',
        `/ping/${'a'.repeat(65)}`,
        '/ping/..%2F..%2Fetc%2Fpasswd',
        '/ping/%00aaaaaaaaaaaaaaaaaaaa',
        `/ping/${'0'.repeat(32)}/start`,
        `/ping/${'0'.repeat(32)}/7`,
      ]) {
        const answer = await api.request('GET', target, { token: null });
        assert.equal(answer.status, 404, `${target}: ${answer.text}`);
        assert.equal(typeof answer.body.error.message, 'string');
      }
      for (const code of ['256', '-1', '1.5', 'abc', '007', '99999999999999999999']) {
        const answer = await api.request('GET', `${ping}/${code}`, { token: null });
        assert.equal(answer.status, 400, `${code}: ${answer.text}`);
        assert.equal(answer.body.error.path, 'path.action');
        assert.match(answer.body.error.message, /start, fail or an exit code from 0 to 255/);
      }
      for (const target of [
        `${ping}/%FF`,
        `${ping}/0/extra`,
        `${ping}?rid=${'x'.repeat(100)}`,
        `${ping}?other=1`,
      ]) {
        const answer = await api.request('GET', target, { token: null });
        assert.ok(answer.status >= 400 && answer.status < 500, `${target}: ${answer.status} ${answer.text}`);
        assert.equal(typeof answer.body.error.code, 'string');
      }
      assert.equal(await pingCount(api), 0, 'nothing was stored');
    });

    it('keeps the first 100 KiB of a large body of any content type and marks it truncated', async () => {
      const api = await start({ yaml: monitorYaml });
      const ping = await pingPath(api, 'backup');
      const big = 'x'.repeat(300 * 1024);
      const answer = await api.request('POST', ping, {
        token: null,
        raw: big,
        headers: { 'content-type': 'application/octet-stream' },
      });
      assert.equal(answer.status, 200, answer.text);
      const form = await api.request('POST', ping, {
        token: null,
        raw: 'a=1&b=2',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      assert.equal(form.status, 200, form.text);
      const bare = await api.request('POST', ping, { token: null, raw: '{"not": "parsed"}' });
      assert.equal(bare.status, 200, bare.text);
      const pings = (await api.daemon.store.listPings({ monitor: 'backup' })).pings;
      assert.deepEqual(
        pings.map((p) => [p.body?.length, p.bodyTruncated]),
        [
          [17, false],
          [7, false],
          [100 * 1024, true],
        ],
      );
    });

    it('limits pings per source address, apart from the API tokens’ limit', async () => {
      const api = await start({ yaml: monitorYaml, pingRateLimit: { max: 3, windowMs: 60_000 } });
      const ping = await pingPath(api, 'backup');
      const statuses: number[] = [];
      for (let index = 0; index < 5; index++)
        statuses.push((await api.request('GET', ping, { token: null })).status);
      assert.deepEqual(statuses, [200, 200, 200, 429, 429]);
      const limited = await api.request('GET', ping, { token: null });
      assert.equal(limited.body.error.code, 'api.rate-limited');
      assert.match(limited.body.error.message, /sent more than 3 pings/);
      assert.ok(Number(limited.headers['retry-after']) > 0);
      assert.equal(
        (await api.request('GET', '/api/monitors')).status,
        200,
        'the API itself is not limited by pings',
      );
      assert.equal((await api.daemon.store.listPings({ monitor: 'backup' })).pings.length, 3);
    });

    it('lists monitors with status, last ping and a ping URL on server.public_url, and 404s an unknown one', async () => {
      const api = await start({
        yaml: `${monitorYaml}server: { public_url: 'https://cron.example.com/' }\n`,
      });
      const ping = await pingPath(api, 'backup');
      await api.request('GET', ping, { token: null });
      const listed = await api.request('GET', '/api/monitors');
      assert.equal(listed.status, 200, listed.text);
      assert.deepEqual(
        listed.body.monitors.map((m: Record<string, unknown>) => [
          m['name'],
          m['status'],
          m['period'],
          m['schedules'],
        ]),
        [
          ['backup', 'up', '1h', []],
          ['nightly', 'new', null, ['0 3 * * *']],
        ],
      );
      assert.equal(listed.body.monitors[0].pingUrl, `https://cron.example.com${ping}`);
      assert.equal(listed.body.monitors[0].pingUrlBase, 'public_url');
      assert.equal(typeof listed.body.monitors[0].lastPingAt, 'string');
      assert.equal(listed.body.monitors[0].description, 'Nightly database backup');
      const own = await start({ yaml: monitorYaml });
      const mine = (await own.request('GET', '/api/monitors/nightly')).body.monitor;
      assert.equal(mine.pingUrl, `${own.url}${await pingPath(own, 'nightly')}`);
      assert.equal(mine.pingUrlBase, 'own_address', 'no server.public_url: the API’s own address');
      const missing = await api.request('GET', '/api/monitors/nope');
      assert.equal(missing.status, 404);
      assert.equal(missing.body.error.code, 'api.unknown-monitor');
      assert.equal((await api.request('GET', '/api/monitors', { token: null })).status, 401);
      assert.equal((await api.request('GET', '/api/monitors/nope/pings?limit=0')).status, 400);
    });

    it('names the monitors that are down in /readyz’s summary, staying ready', async () => {
      const api = await start({ yaml: monitorYaml });
      const before = await api.request('GET', '/readyz', { token: null });
      assert.deepEqual(before.body.summary.monitorsDown, []);
      await api.request('GET', `${await pingPath(api, 'nightly')}/fail`, { token: null });
      const ready = await api.request('GET', '/readyz', { token: null });
      assert.equal(ready.status, 200);
      assert.equal(ready.body.ready, true);
      assert.deepEqual(ready.body.summary.monitorsDown, ['nightly']);
    });

    it('pauses a monitor so it passes its deadline without going down, keeps it paused across a restart, and resumes it with a fresh grace', async () => {
      const clock = manualClock(T0);
      const storeUrl = await freshStore();
      let api = await start({ yaml: monitorYaml, clock, storeUrl });
      const ping = await pingPath(api, 'backup');
      assert.equal((await api.request('GET', ping, { token: null })).status, 200);

      const paused = await api.request('POST', '/api/monitors/backup/pause');
      assert.equal(paused.status, 200, paused.text);
      assert.deepEqual(
        [
          paused.body.monitor.name,
          paused.body.monitor.status,
          paused.body.monitor.paused,
          paused.body.changed,
        ],
        ['backup', 'up', true, true],
      );
      assert.equal(paused.body.monitor.pausedAt, new Date(T0).toISOString());
      const listed = (await api.request('GET', '/api/monitors')).body.monitors;
      assert.deepEqual(
        listed.map((m: Record<string, unknown>) => [m['name'], m['paused'], m['pausedAt'] === null]),
        [
          ['backup', true, false],
          ['nightly', false, true],
        ],
      );
      const again = await api.request('POST', '/api/monitors/backup/pause');
      assert.deepEqual(
        [again.status, again.body.changed, again.body.monitor.pausedAt],
        [200, false, new Date(T0).toISOString()],
      );

      clock.advance(3 * HOUR);
      await api.daemon.monitorWatch.check();
      assert.equal(
        (await api.request('GET', `${ping}/fail`, { token: null })).status,
        200,
        'pings still work',
      );
      const during = (await api.request('GET', '/api/monitors/backup')).body.monitor;
      assert.deepEqual([during.status, during.paused], ['up', true]);
      assert.equal(typeof during.lastFailureAt, 'string', 'the failure is recorded');
      assert.deepEqual((await api.daemon.store.listEvents({ kind: 'monitor:down' })).events, []);

      await stop(api);
      api = await start({ yaml: monitorYaml, clock, storeUrl });
      await api.daemon.monitorWatch.check();
      assert.equal(
        (await api.request('GET', '/api/monitors/backup')).body.monitor.paused,
        true,
        'after a restart',
      );
      assert.equal((await api.daemon.store.getMonitor('backup'))?.status, 'up');

      const resumed = await api.request('POST', '/api/monitors/backup/resume');
      assert.equal(resumed.status, 200, resumed.text);
      assert.deepEqual(
        [resumed.body.monitor.paused, resumed.body.monitor.pausedAt, resumed.body.monitor.resumedAt],
        [false, null, clockIso(clock.now())],
      );
      clock.advance(HOUR + 5 * MIN);
      await api.daemon.monitorWatch.check();
      assert.equal(
        (await api.daemon.store.getMonitor('backup'))?.status,
        'up',
        'a fresh grace from the resume',
      );
      clock.advance(1);
      await api.daemon.monitorWatch.check();
      assert.equal((await api.daemon.store.getMonitor('backup'))?.status, 'down');

      const audit = await api.request('GET', '/api/audit?actor=bootstrap');
      assert.deepEqual(
        audit.body.entries.map(
          (entry: { action: string; target: string; details: unknown }) =>
            `${entry.action} ${entry.target} ${JSON.stringify(entry.details)}`,
        ),
        [
          'monitor.resume backup {"changed":true}',
          'monitor.pause backup {"changed":false}',
          'monitor.pause backup {"changed":true}',
        ],
      );
    });

    it('refuses a pause without the admin scope, outside the token’s names, without a token, or of an unknown monitor, changing nothing', async () => {
      const api = await start({ yaml: monitorYaml });
      const reader = await tokenFor(api, 'reader', 'read');
      const operator = await tokenFor(api, 'operator', 'trigger');
      const nightlyAdmin = await tokenFor(api, 'nightly-admin', 'admin', ['nightly']);
      // A token of undefined is the bootstrap admin token.
      const refusals: Array<[string, string | null | undefined, number, string]> = [
        ['/api/monitors/backup/pause', null, 401, 'api.unauthorized'],
        ['/api/monitors/backup/pause', reader, 403, 'api.forbidden'],
        ['/api/monitors/backup/resume', operator, 403, 'api.forbidden'],
        ['/api/monitors/backup/pause', nightlyAdmin, 403, 'api.forbidden'],
        ['/api/monitors/nope/pause', undefined, 404, 'api.unknown-monitor'],
        ['/api/monitors/Not%20A%20Name/pause', undefined, 400, 'api.invalid'],
      ];
      for (const [target, token, status, code] of refusals) {
        const answer = await api.request('POST', target, { token });
        assert.equal(answer.status, status, `${target}: ${answer.text}`);
        assert.equal(answer.body.error.code, code, target);
      }
      const outside = await api.request('POST', '/api/monitors/backup/pause', { token: nightlyAdmin });
      assert.match(outside.body.error.message, /limited to names matching nightly; "backup"/);
      const monitors = await api.daemon.store.listMonitors();
      assert.deepEqual(
        monitors.map((monitor) => [monitor.name, monitor.paused]),
        [
          ['backup', false],
          ['nightly', false],
        ],
      );
      assert.deepEqual((await api.daemon.store.listAudit({ action: 'monitor.pause' })).entries, []);
      const own = await api.request('POST', '/api/monitors/nightly/pause', { token: nightlyAdmin });
      assert.deepEqual([own.status, own.body.monitor.paused], [200, true], 'its own names it may pause');
    });

    it('describes the ping and monitor endpoints in the OpenAPI document', async () => {
      const api = await start({ yaml: monitorYaml });
      const document = (await api.request('GET', '/api/openapi.json')).body;
      for (const path of ['/ping/{id}', '/ping/{id}/{action}']) {
        assert.deepEqual(Object.keys(document.paths[path]).sort(), ['get', 'post'], path);
        assert.deepEqual(document.paths[path].get.security, []);
      }
      assert.ok(document.paths['/api/monitors'].get);
      assert.ok(document.paths['/api/monitors/{monitor}/pings'].get);
      for (const verb of ['pause', 'resume']) {
        const operation = document.paths[`/api/monitors/{monitor}/${verb}`]?.post;
        assert.equal(operation?.operationId, `${verb}Monitor`);
        assert.ok(operation.responses['404'] && operation.responses['403'], verb);
      }
    });
  });
}
