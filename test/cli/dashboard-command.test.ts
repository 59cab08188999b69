/**
 * `cronplane dashboard` prints a one-time sign-in link: the code in its fragment opens one session
 * with the token's scope, once, and nothing of it reaches the daemon's log.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { runDashboard } from '../../src/cli/commands/dashboard.ts';
import type { CliIo } from '../../src/cli/cli-io.ts';
import { bootstrapToken, startApiDaemon } from '../api/api-harness.ts';
import type { ApiDaemon } from '../api/api-harness.ts';
import { createPostgresHarness } from '../support/postgres.ts';
import { createSqliteHarness } from '../support/sqlite.ts';
import type { StoreHarness } from '../support/store-harness.ts';

const yaml = `version: 1
jobs:
  hello:
    run: [sh, -c, 'echo hello']
`;

function captureIo(
  env: Record<string, string>,
): CliIo & { readonly out_: string[]; readonly err_: string[] } {
  const out_: string[] = [];
  const err_: string[] = [];
  return {
    out: (line) => out_.push(line),
    err: (line) => err_.push(line),
    env,
    cwd: '.',
    isTty: false,
    out_,
    err_,
  };
}

for (const [storeName, createHarness] of [
  ['SQLite', createSqliteHarness],
  ['PostgreSQL', createPostgresHarness],
] as const) {
  describe(`cronplane dashboard on ${storeName}`, () => {
    let harness: StoreHarness;
    let api: ApiDaemon;
    before(async () => {
      harness = await createHarness();
      await harness.reset();
      api = await startApiDaemon({ storeUrl: harness.url, yaml });
    });
    after(async () => {
      await api.stop();
      await harness.close();
    });

    it('prints a link whose code signs in once, with the scope of CRONPLANE_TOKEN, and never shows in the log', async () => {
      const created = await api.request('POST', '/api/tokens', { json: { name: 'viewer', scope: 'read' } });
      const io = captureIo({ CRONPLANE_TOKEN: created.body.token as string });
      assert.equal(await runDashboard({ server: api.url }, io), 0);
      const link = io.out_.join('\n');
      const match = new RegExp(`^${api.url}/signin#code=([0-9a-f-]{36})$`).exec(link);
      assert.ok(match !== null, link);
      const code = match[1] ?? '';
      const first = await api.request('POST', '/api/session', { token: null, json: { code } });
      assert.equal(first.status, 201, first.text);
      assert.equal(first.body.session.name, 'viewer');
      assert.equal(first.body.session.scope, 'read');
      const again = await api.request('POST', '/api/session', { token: null, json: { code } });
      assert.equal(again.status, 401);
      assert.ok(!api.logs.text.includes(code), 'the code is in no log line');
      assert.ok(!api.logs.text.includes(created.body.token as string), 'nor the token');
    });

    it('refuses a body with both a token and a code, or neither (400)', async () => {
      const both = await api.request('POST', '/api/session', {
        token: null,
        json: { token: bootstrapToken, code: 'x' },
      });
      assert.equal(both.status, 400);
      assert.equal((await api.request('POST', '/api/session', { token: null, json: {} })).status, 400);
    });

    it('exits 2 without CRONPLANE_TOKEN and 1 when the daemon refuses it', async () => {
      const none = captureIo({});
      assert.equal(await runDashboard({ server: api.url }, none), 2);
      assert.match(none.err_.join('\n'), /CRONPLANE_TOKEN/);
      const wrong = captureIo({
        CRONPLANE_TOKEN: 'cpt_0123456789ab_wrongwrongwrongwrongwrongwrongwrongwrongwro',
      });
      assert.equal(await runDashboard({ server: api.url }, wrong), 1);
      assert.match(wrong.err_.join('\n'), /refused: the bearer token is not valid/);
    });
  });
}
