/**
 * The dashboard is served by the daemon on the API's own address: its pages at `/` and at every
 * address a link may open, its assets beside them, a Content-Security-Policy on each, and the
 * API, pings, health and metrics exactly as before.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { createSqliteHarness } from '../support/sqlite.ts';
import type { ApiDaemon } from './api-harness.ts';
import { startApiDaemon } from './api-harness.ts';

const yaml = `version: 1
jobs:
  hello:
    run: [sh, -c, 'echo hello']
`;

describe('the dashboard served by the daemon', () => {
  let api: ApiDaemon;
  let harness: Awaited<ReturnType<typeof createSqliteHarness>>;
  before(async () => {
    harness = await createSqliteHarness();
    api = await startApiDaemon({ storeUrl: harness.url, yaml });
  });
  after(async () => {
    await api.stop();
    await harness.close();
  });

  it('answers / with the app, under a policy that allows only its own scripts and API', async () => {
    const page = await api.request('GET', '/', { token: null });
    assert.equal(page.status, 200);
    assert.match(String(page.headers['content-type']), /^text\/html/);
    assert.match(page.text, /<div id="app"><\/div>/);
    const policy = String(page.headers['content-security-policy']);
    assert.match(policy, /script-src 'self'(;|$)/);
    assert.match(policy, /connect-src 'self'(;|$)/);
    assert.doesNotMatch(policy, /unsafe-inline/);
    assert.doesNotMatch(page.text, /<script>(?!<)/, 'no inline script in the page');
  });

  it('answers the addresses alert links open (runs, jobs, monitors, events) with the same app', async () => {
    const index = (await api.request('GET', '/', { token: null })).text;
    for (const target of ['/runs/123', '/jobs/hello', '/monitors/backup', '/events/5', '/signin']) {
      const page = await api.request('GET', target, { token: null });
      assert.equal(page.status, 200, target);
      assert.equal(page.text, index, target);
    }
  });

  it('serves the built script and style sheet the page names, cached for good', async () => {
    const index = (await api.request('GET', '/', { token: null })).text;
    const assets = [...index.matchAll(/(?:src|href)="(\/assets\/[^"]+)"/g)].map((match) => match[1] ?? '');
    assert.ok(assets.some((asset) => asset.endsWith('.js')));
    assert.ok(assets.some((asset) => asset.endsWith('.css')));
    for (const asset of assets) {
      const answer = await api.request('GET', asset, { token: null });
      assert.equal(answer.status, 200, asset);
      assert.match(String(answer.headers['cache-control']), /immutable/);
    }
  });

  it('leaves the API, pings, health and metrics as they were', async () => {
    assert.equal((await api.request('GET', '/api/jobs', { token: null })).status, 401);
    assert.equal((await api.request('GET', '/api/jobs')).status, 200);
    assert.equal((await api.request('GET', '/healthz', { token: null })).status, 200);
    assert.equal((await api.request('GET', '/metrics', { token: null })).status, 200);
    const unknown = await api.request('GET', '/api/nothing-here');
    assert.equal(unknown.status, 404);
    assert.equal(unknown.body.error.code, 'api.not-found');
    const elsewhere = await api.request('GET', '/not-a-page', { token: null });
    assert.equal(elsewhere.status, 404);
    assert.equal(elsewhere.body.error.code, 'api.not-found');
  });
});
