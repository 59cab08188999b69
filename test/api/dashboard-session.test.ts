/**
 * Dashboard sessions: an API token exchanged for an HttpOnly cookie that acts with the token's
 * scope, patterns and name; mutating calls with the cookie need the CSRF token; sign-out and
 * expiry end it. Sessions live in the node's memory; the token is checked on the store, so this
 * runs on both stores.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { waitFor } from '../support/engine-harness.ts';
import { createPostgresHarness } from '../support/postgres.ts';
import { createSqliteHarness } from '../support/sqlite.ts';
import type { StoreHarness } from '../support/store-harness.ts';
import type { ApiDaemon, HttpAnswer } from './api-harness.ts';
import { startApiDaemon } from './api-harness.ts';

const yaml = `version: 1
jobs:
  hello:
    run: [sh, -c, 'echo hello']
  cleanup-tmp:
    run: [sh, -c, 'echo clean']
`;

function cookieOf(answer: HttpAnswer): string {
  const header = answer.headers['set-cookie'];
  const line = Array.isArray(header) ? (header[0] ?? '') : String(header);
  return line.split(';')[0] ?? '';
}

async function tokenFor(api: ApiDaemon, name: string, scope: string, jobs?: string[]): Promise<string> {
  const answer = await api.request('POST', '/api/tokens', {
    json: { name, scope, ...(jobs ? { jobs } : {}) },
  });
  assert.equal(answer.status, 201, answer.text);
  return answer.body.token as string;
}

for (const [storeName, createHarness] of [
  ['SQLite', createSqliteHarness],
  ['PostgreSQL', createPostgresHarness],
] as const) {
  describe(`dashboard sessions on ${storeName}`, () => {
    let harness: StoreHarness;
    before(async () => {
      harness = await createHarness();
    });
    const started: ApiDaemon[] = [];
    after(async () => {
      for (const api of started) await api.stop();
      await harness.close();
    });
    const start = async (extra: { sessionTtlMs?: number } = {}): Promise<ApiDaemon> => {
      await harness.reset();
      const api = await startApiDaemon({ storeUrl: harness.url, yaml, ...extra });
      started.push(api);
      return api;
    };

    it('signs in with a token: an HttpOnly, SameSite=Strict cookie that acts with its scope and patterns', async () => {
      const api = await start();
      const token = await tokenFor(api, 'cleaner', 'trigger', ['cleanup-*']);
      const signIn = await api.request('POST', '/api/session', { token: null, json: { token } });
      assert.equal(signIn.status, 201, signIn.text);
      const setCookie = String(signIn.headers['set-cookie']);
      assert.match(setCookie, /^cronplane_session=[A-Za-z0-9_-]{40,}; /);
      assert.match(setCookie, /HttpOnly/);
      assert.match(setCookie, /SameSite=Strict/);
      assert.match(setCookie, /Path=\//);
      assert.match(setCookie, /Max-Age=43200/);
      assert.ok(!setCookie.includes(token), 'the cookie is not the token');
      assert.equal(signIn.body.session.name, 'cleaner');
      assert.equal(signIn.body.session.scope, 'trigger');
      const cookie = cookieOf(signIn);
      const jobs = await api.request('GET', '/api/jobs', { token: null, headers: { cookie } });
      assert.equal(jobs.status, 200);
      assert.deepEqual(
        jobs.body.jobs.map((job: { name: string }) => job.name),
        ['cleanup-tmp'],
      );
      const csrf = (await api.request('GET', '/api/session', { token: null, headers: { cookie } })).body
        .session.csrfToken as string;
      const outside = await api.request('POST', '/api/jobs/hello/trigger', {
        token: null,
        json: {},
        headers: { cookie, 'x-csrf-token': csrf },
      });
      assert.equal(outside.status, 403);
      const inside = await api.request('POST', '/api/jobs/cleanup-tmp/trigger', {
        token: null,
        json: {},
        headers: { cookie, 'x-csrf-token': csrf },
      });
      assert.equal(inside.status, 202, inside.text);
      assert.equal(inside.body.runs[0].requestedBy, 'cleaner');
      const audit = await api.request('GET', '/api/audit');
      assert.ok(
        audit.body.entries.some(
          (entry: { actor: string; action: string }) =>
            entry.actor === 'cleaner' && /trigger/.test(entry.action),
        ),
        audit.text,
      );
    });

    it('refuses a mutating call made with the cookie but without the CSRF token (403), and a wrong token', async () => {
      const api = await start();
      const signIn = await api.request('POST', '/api/session', {
        token: null,
        json: { token: 'test-bootstrap-token-0123456789abcdef' },
      });
      const cookie = cookieOf(signIn);
      const bare = await api.request('POST', '/api/jobs/hello/trigger', {
        token: null,
        json: {},
        headers: { cookie },
      });
      assert.equal(bare.status, 403);
      assert.equal(bare.body.error.code, 'api.csrf');
      const wrong = await api.request('POST', '/api/jobs/hello/pause', {
        token: null,
        json: {},
        headers: { cookie, 'x-csrf-token': 'not-the-token' },
      });
      assert.equal(wrong.status, 403);
      assert.equal((await api.request('GET', '/api/jobs/hello')).body.job.paused, false);
      const refused = await api.request('POST', '/api/session', {
        token: null,
        json: { token: 'cpt_nope_nope' },
      });
      assert.equal(refused.status, 401);
      assert.equal(refused.headers['set-cookie'], undefined);
    });

    it('ends the session on sign-out: the cookie is cleared and no longer works (401)', async () => {
      const api = await start();
      const reader = await tokenFor(api, 'reader', 'read');
      const cookie = cookieOf(
        await api.request('POST', '/api/session', { token: null, json: { token: reader } }),
      );
      const csrf = (await api.request('GET', '/api/session', { token: null, headers: { cookie } })).body
        .session.csrfToken as string;
      const out = await api.request('DELETE', '/api/session', {
        token: null,
        headers: { cookie, 'x-csrf-token': csrf },
      });
      assert.equal(out.status, 200);
      assert.match(String(out.headers['set-cookie']), /cronplane_session=; .*Max-Age=0/);
      const after = await api.request('GET', '/api/jobs', { token: null, headers: { cookie } });
      assert.equal(after.status, 401);
      assert.equal(after.body.error.code, 'api.session-expired');
      assert.deepEqual(
        (await api.request('GET', '/api/session', { token: null, headers: { cookie } })).body,
        { session: null },
      );
    });

    it('answers 401 once a session has expired, and GET /api/session says signed out', async () => {
      const api = await start({ sessionTtlMs: 300 });
      const reader = await tokenFor(api, 'reader', 'read');
      const cookie = cookieOf(
        await api.request('POST', '/api/session', { token: null, json: { token: reader } }),
      );
      assert.equal((await api.request('GET', '/api/jobs', { token: null, headers: { cookie } })).status, 200);
      await new Promise((resolve) => setTimeout(resolve, 400));
      const expired = await api.request('GET', '/api/jobs', { token: null, headers: { cookie } });
      assert.equal(expired.status, 401);
      assert.equal(expired.body.error.code, 'api.session-expired');
      assert.deepEqual(
        (await api.request('GET', '/api/session', { token: null, headers: { cookie } })).body,
        { session: null },
      );
    });

    it('ends the sessions of a revoked token', async () => {
      const api = await start();
      const reader = await tokenFor(api, 'reader', 'read');
      const cookie = cookieOf(
        await api.request('POST', '/api/session', { token: null, json: { token: reader } }),
      );
      assert.equal((await api.request('DELETE', '/api/tokens/reader')).status, 200);
      await waitFor('the revoked token to stop working', async () =>
        (await api.request('GET', '/api/jobs', { token: null, headers: { cookie } })).status === 401
          ? true
          : undefined,
      );
      assert.deepEqual(
        (await api.request('GET', '/api/session', { token: null, headers: { cookie } })).body,
        { session: null },
      );
    });

    it('lists the session routes in the OpenAPI document', async () => {
      const api = await start();
      const paths = (await api.request('GET', '/api/openapi.json')).body.paths;
      assert.deepEqual(Object.keys(paths['/api/session']).sort(), ['delete', 'get', 'post']);
    });
  });
}
