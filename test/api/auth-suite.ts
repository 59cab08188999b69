/**
 * Tokens, scopes, job patterns, rate limits and secrets of the HTTP API, against a real daemon on
 * one store.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { waitFor } from '../support/engine-harness.ts';
import type { FreshStore } from './api-fixtures.ts';
import { secretBearer, secretEnv, useDaemons } from './api-fixtures.ts';
import { bootstrapToken } from './api-harness.ts';

export function defineAuthSuite(storeName: string, freshStore: FreshStore): void {
  describe(`API tokens and secrets on ${storeName}`, () => {
    const { start, stop, tokenFor, finished } = useDaemons(freshStore);

    it('refuses /api without a valid token (401) and without the scope (403), never echoing the token', async () => {
      const api = await start();
      const none = await api.request('GET', '/api/jobs', { token: null });
      assert.equal(none.status, 401);
      assert.equal(none.body.error.code, 'api.unauthorized');
      assert.equal(none.headers['www-authenticate'], 'Bearer realm="cronplane"');
      const wrong = 'cpt_0123456789ab_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';
      const bad = await api.request('GET', '/api/jobs', { token: wrong });
      assert.equal(bad.status, 401);
      assert.ok(!bad.text.includes(wrong));
      const basic = await api.request('GET', '/api/jobs', {
        token: null,
        headers: { authorization: 'Basic dXNlcjpwYXNz' },
      });
      assert.equal(basic.status, 401);
      assert.match(basic.body.error.message, /Bearer <token>/);
      const reader = await tokenFor(api, 'reader', 'read');
      assert.equal((await api.request('GET', '/api/jobs', { token: reader })).status, 200);
      const denied = await api.request('POST', '/api/jobs/hello/trigger', { token: reader });
      assert.equal(denied.status, 403);
      assert.match(
        denied.body.error.message,
        /token "reader" has scope read; POST \/api\/jobs\/:job\/trigger needs trigger/,
      );
      const trigger = await tokenFor(api, 'ci', 'trigger');
      assert.equal((await api.request('POST', '/api/jobs/hello/pause', { token: trigger })).status, 403);
      assert.equal((await api.request('POST', '/api/jobs/hello/trigger', { token: trigger })).status, 202);
      assert.equal((await api.request('DELETE', '/api/tokens/ci')).status, 200);
      await waitFor('the revoked token to stop working', async () =>
        (await api.request('GET', '/api/jobs', { token: trigger })).status === 401 ? true : undefined,
      );
    });

    it('limits a token to its job patterns: 403 outside cleanup-*, and listings show only its jobs', async () => {
      const api = await start();
      const cleaner = await tokenFor(api, 'cleaner', 'trigger', ['cleanup-*']);
      assert.equal(
        (await api.request('POST', '/api/jobs/cleanup-tmp/trigger', { token: cleaner })).status,
        202,
      );
      const outside = await api.request('POST', '/api/jobs/hello/trigger', { token: cleaner });
      assert.equal(outside.status, 403);
      assert.match(outside.body.error.message, /limited to jobs matching cleanup-\*; "hello"/);
      const jobs = await api.request('GET', '/api/jobs', { token: cleaner });
      assert.deepEqual(
        jobs.body.jobs.map((job: { name: string }) => job.name),
        ['cleanup-logs', 'cleanup-tmp'],
      );
      assert.equal(
        (await api.request('GET', '/api/runs', { token: cleaner })).status,
        403,
        'name a job to list runs',
      );
      assert.equal((await api.request('GET', '/api/runs?job=cleanup-tmp', { token: cleaner })).status, 200);
      const [helloRun] = (await api.request('POST', '/api/jobs/hello/trigger')).body.runs;
      assert.equal((await api.request('GET', `/api/runs/${helloRun.id}`, { token: cleaner })).status, 403);
      const admin = await tokenFor(api, 'limited-admin', 'admin', ['cleanup-*']);
      assert.equal((await api.request('GET', '/api/tokens', { token: admin })).status, 403);
    });

    it('answers 429 once a token passes its rate limit, counting each token apart', async () => {
      const api = await start({ apiRateLimit: { max: 5, windowMs: 60_000 } });
      const first = await tokenFor(api, 'first', 'read');
      const second = await tokenFor(api, 'second', 'read');
      for (let index = 0; index < 5; index++) {
        assert.equal((await api.request('GET', '/api/jobs', { token: first })).status, 200);
      }
      const limited = await api.request('GET', '/api/jobs', { token: first });
      assert.equal(limited.status, 429);
      assert.equal(limited.body.error.code, 'api.rate-limited');
      assert.match(limited.body.error.message, /token "first" made more than 5 requests/);
      assert.ok(Number(limited.headers['retry-after']) > 0);
      assert.equal((await api.request('GET', '/api/jobs', { token: second })).status, 200);
      assert.equal(
        (await api.request('GET', '/healthz', { token: null })).status,
        200,
        'health is not limited',
      );
    });

    it('never shows secret values or bearer tokens: in job answers, run output, errors or its own log', async () => {
      const api = await start();
      const created = await tokenFor(api, 'ops', 'admin');
      const job = await api.request('GET', '/api/jobs/hello', { token: created });
      assert.equal(job.body.job.env.API_TOKEN, '***');
      const hook = await api.request('GET', '/api/jobs/hook', { token: created });
      assert.equal(hook.body.job.target.bearer, '***');
      const [run] = (await api.request('POST', '/api/jobs/fail/trigger', { token: created })).body.runs;
      await finished(api, run.id);
      const [hookRun] = (await api.request('POST', '/api/jobs/hook/trigger', { token: created })).body.runs;
      await finished(api, hookRun.id);
      const echoed = await api.request('POST', '/api/jobs/hello/trigger', {
        token: created,
        json: { params: { who: secretEnv } },
      });
      assert.equal(
        echoed.body.runs[0].params.who,
        '***',
        'an answer never carries a secret, even one sent in',
      );
      await finished(api, echoed.body.runs[0].id);
      const bad = await api.request('GET', '/api/jobs', { token: `${created}x` });
      const answers = [
        job,
        hook,
        echoed,
        bad,
        await api.request('GET', `/api/runs/${run.id}/logs`, { token: created }),
        await api.request('GET', `/api/runs/${echoed.body.runs[0].id}/logs`, { token: created }),
        await api.request('GET', `/api/runs?limit=100`, { token: created }),
        await api.request('GET', '/api/tokens', { token: created }),
        await api.request('GET', '/api/audit', { token: created }),
        await api.request('GET', '/api/jobs', { token: created }),
        await api.request('GET', '/metrics', { token: null }),
      ];
      for (const answer of answers) {
        for (const secret of [secretEnv, secretBearer, bootstrapToken, created]) {
          assert.ok(!answer.text.includes(secret), `an answer holds a secret: ${answer.text.slice(0, 200)}`);
        }
      }
      const logs = await api.request('GET', `/api/runs/${run.id}/logs`, { token: created });
      assert.match(logs.text, /oops \*\*\*/);
      await stop(api);
      for (const secret of [secretEnv, secretBearer, bootstrapToken, created]) {
        assert.ok(!api.logs.text.includes(secret), 'the daemon log holds a secret');
      }
      assert.ok(api.logs.lines.length > 0, 'the daemon logged something');
    });

    it('creates, lists and revokes tokens through the API, storing only their hash', async () => {
      const api = await start();
      const created = await api.request('POST', '/api/tokens', { json: { name: 'dash', scope: 'read' } });
      assert.equal(created.status, 201);
      assert.match(created.body.token, /^cpt_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
      assert.equal(created.body.record.createdBy, 'bootstrap');
      const stored = await api.daemon.store.getApiToken(created.body.record.id);
      assert.ok(
        stored !== undefined &&
          stored.hash !== created.body.token &&
          !stored.hash.includes(created.body.token),
      );
      const listed = await api.request('GET', '/api/tokens');
      assert.deepEqual(
        listed.body.tokens.map((token: { name: string; scope: string }) => `${token.name}:${token.scope}`),
        ['dash:read'],
      );
      assert.ok(!('hash' in listed.body.tokens[0]));
      const twice = await api.request('POST', '/api/tokens', { json: { name: 'dash', scope: 'admin' } });
      assert.equal(twice.status, 409);
      assert.equal((await api.request('DELETE', '/api/tokens/dash')).status, 200);
      assert.equal((await api.request('DELETE', '/api/tokens/dash')).status, 404);
      assert.equal((await api.request('GET', '/api/jobs', { token: created.body.token })).status, 401);
    });
  });
}
