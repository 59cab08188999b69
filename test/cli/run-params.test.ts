/** `cronplane run JOB --param NAME=VALUE`: the same check as the API, before anything is recorded. */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, describe, it } from 'node:test';
import { createPostgresHarness } from '../support/postgres.ts';
import { runCronplane } from '../support/run-cronplane.ts';
import { createSqliteHarness } from '../support/sqlite.ts';

const token = 'Zq7sV2mK9xW4pL8rT3nB6yH1cF5dG0aE';
const folder = mkdtempSync(path.join(tmpdir(), 'cronplane-run-params-'));
const configFile = path.join(folder, 'cronplane.yaml');
writeFileSync(
  configFile,
  `version: 1
jobs:
  deploy:
    params:
      limit: { type: integer, min: 1, max: 1000, default: 100 }
      token: { type: string, pattern: '^[A-Za-z0-9]{20,64}$', secret: true }
    env: { DEPLOY_TOKEN: '{token}', LIMIT: '{limit}' }
    run: [sh, -c, 'echo "token is $DEPLOY_TOKEN, limit $LIMIT"']
`,
);

for (const [storeName, createHarness] of [
  ['SQLite', createSqliteHarness],
  ['PostgreSQL', createPostgresHarness],
] as const) {
  const harness = await createHarness();
  after(() => harness.close());

  describe(`cronplane run --param on ${storeName}`, () => {
    const run = (...params: string[]) =>
      runCronplane(
        [
          'run',
          'deploy',
          '--config',
          configFile,
          '--store',
          harness.url,
          ...params.flatMap((p) => ['--param', p]),
        ],
        {
          cwd: folder,
        },
      );
    const runCount = async () =>
      Number(
        (await harness.query<{ n: number | string }>(harness.url, 'SELECT count(*) AS n FROM runs'))[0]?.n,
      );

    it('refuses a value that breaks its rule with exit code 2, naming the parameter and the rule, and records nothing', async () => {
      await harness.reset();
      for (const [params, message] of [
        [
          [`token=${token}`, 'limit=0'],
          'error: (params.limit): parameter "limit" must be an integer between 1 and 1000',
        ],
        [['token=$(id)'], 'error: (params.token): parameter "token" must match ^[A-Za-z0-9]{20,64}$'],
        [
          ['limit=5'],
          'error: (params.token): parameter "token" is required: job "deploy" gives it no default',
        ],
      ] as const) {
        const result = await run(...params);
        assert.equal(result.code, 2, result.stderr);
        assert.equal(result.stderr.trim(), message);
        assert.equal(result.stdout, '');
      }
      assert.equal(await runCount(), 0);
    });

    it('runs with a secret parameter, masking it on the terminal and in the store', async () => {
      await harness.reset();
      const result = await run(`token=${token}`, 'limit=0042');
      assert.equal(result.code, 0, result.stderr);
      assert.equal(result.stdout, 'token is ***, limit 42\n');
      const rows = await harness.query<{ params_json: string; secret_params: string | null }>(
        harness.url,
        'SELECT params_json, secret_params FROM runs',
      );
      assert.deepEqual(
        rows.map((row) => [JSON.parse(row.params_json), row.secret_params]),
        [[{ limit: '42', token: '***' }, null]],
      );
      assert.ok(!`${result.stdout}${result.stderr}`.includes(token));
    });
  });
}
