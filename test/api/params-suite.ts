/**
 * Trigger parameters through the API: every value checked against its declared rule before
 * anything is recorded (a refusal is a 400 naming the parameter and the rule), and a secret
 * parameter's value reaching the command but nothing that shows or stores a run.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { waitFor } from '../support/engine-harness.ts';
import type { FreshStore } from './api-fixtures.ts';
import { baseYaml, useDaemons } from './api-fixtures.ts';
import type { ApiDaemon } from './api-harness.ts';

/** Reads the store's own tables, as an operator with the database would. */
export type RawQuery = <Row>(url: string, text: string) => Promise<Row[]>;

const deployToken = 'Zq7sV2mK9xW4pL8rT3nB6yH1cF5dG0aE';

function paramsYaml(outFile: string): string {
  return `${baseYaml}  deploy:
    params:
      who: { type: string, pattern: '^[a-z][a-z0-9-]{0,30}$', default: world }
      limit: { type: integer, min: 1, max: 1000, default: 100 }
      ratio: { type: number, min: 0, max: 1, default: 0.5 }
      verbose: { type: boolean, default: false }
      mode: { type: enum, values: [dry, apply], default: dry }
      token: { type: string, pattern: '^[A-Za-z0-9]{20,64}$', secret: true }
    env: { DEPLOY_TOKEN: '{token}', OUT_FILE: '${outFile}' }
    run: [sh, -c, 'printf %s "$DEPLOY_TOKEN" | sha256sum | cut -c1-64 > "$OUT_FILE"; echo "token is $DEPLOY_TOKEN"']
  retried:
    params:
      token: { type: string, pattern: '^[A-Za-z0-9]{20,64}$', secret: true }
    retry: { attempts: 2, delay: 50ms, jitter: 0 }
    env: { DEPLOY_TOKEN: '{token}', OUT_FILE: '${outFile}.retried' }
    run: [sh, -c, 'if [ "$CRONPLANE_ATTEMPT" = 1 ]; then echo "first $DEPLOY_TOKEN"; exit 1; fi; printf %s "$DEPLOY_TOKEN" > "$OUT_FILE"']
`;
}

export function defineParamsSuite(storeName: string, freshStore: FreshStore, query: RawQuery): void {
  describe(`trigger parameters through the API on ${storeName}`, () => {
    const { start, finished } = useDaemons(freshStore);
    const outFile = path.join(mkdtempSync(path.join(tmpdir(), 'cronplane-params-')), 'token.sha256');

    async function startWithParams(): Promise<{ api: ApiDaemon; storeUrl: string }> {
      const storeUrl = await freshStore();
      return { api: await start({ storeUrl, yaml: paramsYaml(outFile) }), storeUrl };
    }

    async function runCount(storeUrl: string): Promise<number> {
      const [row] = await query<{ n: number | string }>(storeUrl, 'SELECT count(*) AS n FROM runs');
      return Number(row?.n);
    }

    it('refuses a value that breaks its rule with a 400 naming the parameter and the rule, recording nothing', async () => {
      const { api, storeUrl } = await startWithParams();
      const refusals: [Record<string, unknown>, string, string][] = [
        [{ token: deployToken, who: '$(id -un > pwned.txt)' }, 'who', 'must match ^[a-z][a-z0-9-]{0,30}$'],
        [{ token: deployToken, limit: '1001' }, 'limit', 'must be an integer between 1 and 1000'],
        [{ token: deployToken, limit: 'ten' }, 'limit', 'must be an integer between 1 and 1000'],
        [{ token: deployToken, ratio: 2 }, 'ratio', 'must be a number between 0 and 1'],
        [{ token: deployToken, verbose: 'perhaps' }, 'verbose', 'must be true or false'],
        [{ token: deployToken, mode: 'destroy' }, 'mode', 'must be one of dry, apply'],
        [{ token: 'short' }, 'token', 'must match ^[A-Za-z0-9]{20,64}$'],
        [{ token: `${deployToken}\u0000` }, 'token', 'must not contain control characters'],
        [{ who: 'alice' }, 'token', 'is required: job "deploy" gives it no default'],
      ];
      for (const [params, name, rule] of refusals) {
        const answer = await api.request('POST', '/api/jobs/deploy/trigger', { json: { params } });
        assert.equal(answer.status, 400, answer.text);
        assert.equal(answer.body.error.code, 'api.invalid');
        assert.equal(answer.body.error.path, `body.params.${name}`);
        assert.ok(
          answer.body.error.message.startsWith(`body.params.${name}: parameter "${name}" ${rule}`),
          answer.body.error.message,
        );
        assert.ok(
          !answer.text.includes('pwned') && !answer.text.includes(deployToken),
          'the value is not echoed',
        );
      }
      assert.equal(await runCount(storeUrl), 0, 'a refused trigger records no run');
      const audit = await api.request('GET', '/api/audit?action=job.trigger');
      assert.equal(audit.body.entries.length, 0, 'nor an audit entry');
    });

    it('accepts values of each type in canonical form, JSON numbers and booleans included', async () => {
      const { api } = await startWithParams();
      const answer = await api.request('POST', '/api/jobs/deploy/trigger', {
        json: {
          params: {
            token: deployToken,
            who: 'alice',
            limit: '007',
            ratio: 0.25,
            verbose: true,
            mode: 'apply',
          },
        },
      });
      assert.equal(answer.status, 202, answer.text);
      assert.deepEqual(answer.body.runs[0].params, {
        who: 'alice',
        limit: '7',
        ratio: '0.25',
        verbose: 'true',
        mode: 'apply',
        token: '***',
      });
      await finished(api, answer.body.runs[0].id);
    });

    it('gives a secret parameter to the command and shows *** everywhere else, keeping it in the store only while the run is unfinished', async () => {
      const { api, storeUrl } = await startWithParams();
      const answer = await api.request('POST', '/api/jobs/deploy/trigger', {
        json: { params: { token: deployToken } },
      });
      assert.equal(answer.status, 202, answer.text);
      const [queued] = answer.body.runs;
      assert.equal(queued.params.token, '***');
      const run = await finished(api, queued.id);
      assert.equal(run['status'], 'succeeded');
      assert.equal(
        readFileSync(outFile, 'utf8').trim(),
        createHash('sha256').update(deployToken).digest('hex'),
        'the command received the real value',
      );
      assert.deepEqual((run['params'] as Record<string, string>)['token'], '***');
      const logs = await api.request('GET', `/api/runs/${queued.id}/logs`);
      assert.equal(logs.body.chunks.map((chunk: { text: string }) => chunk.text).join(''), 'token is ***\n');
      const [row] = await query<{ params_json: string; secret_params: string | null }>(
        storeUrl,
        `SELECT params_json, secret_params FROM runs WHERE id = ${queued.id}`,
      );
      assert.equal(JSON.parse(row?.params_json ?? '{}').token, '***');
      assert.equal(row?.secret_params, null, 'cleared once the run ended');
      const stored = await query<{ chunk: string }>(
        storeUrl,
        `SELECT chunk FROM run_logs WHERE run_id = ${queued.id}`,
      );
      assert.equal(stored.map((chunk) => chunk.chunk).join(''), 'token is ***\n');
      const audit = await api.request('GET', '/api/audit?action=job.trigger');
      assert.equal(audit.body.entries[0].details.params.token, '***');
      const everything = [
        answer.text,
        logs.text,
        (await api.request('GET', `/api/runs/${queued.id}`)).text,
        (await api.request('GET', '/api/runs?limit=100')).text,
        (await api.request('GET', '/api/jobs/deploy')).text,
        audit.text,
        api.logs.lines.join(''),
        JSON.stringify(await query(storeUrl, 'SELECT * FROM runs')),
        JSON.stringify(await query(storeUrl, 'SELECT * FROM run_logs')),
        JSON.stringify(await query(storeUrl, 'SELECT * FROM audit_log')),
        JSON.stringify(await query(storeUrl, 'SELECT * FROM events')),
      ];
      for (const text of everything) assert.ok(!text.includes(deployToken), text.slice(0, 300));
    });

    it('runs the attack of the issue as data: a value that a free-text rule lets through reaches sh -c and a shell line as text, and nothing it says runs', async () => {
      const folder = mkdtempSync(path.join(tmpdir(), 'cronplane-inject-'));
      const yaml = `${baseYaml}  free-argv:
    params: { who: { type: string, pattern: '[\\s\\S]{1,200}' } }
    cwd: '${folder}'
    run: [sh, -c, 'echo "hello {who}" > argv.out']
  free-shell:
    params: { who: { type: string, pattern: '[\\s\\S]{1,200}' } }
    cwd: '${folder}'
    shell: true
    run: echo "hello {who}" > shell.out
`;
      const api = await start({ storeUrl: await freshStore(), yaml });
      const attack = '$(id -un > pwned.txt; echo injected)`touch pwned2.txt`; touch pwned3.txt';
      for (const job of ['free-argv', 'free-shell']) {
        const answer = await api.request('POST', `/api/jobs/${job}/trigger`, {
          json: { params: { who: attack } },
        });
        assert.equal(answer.status, 202, answer.text);
        const run = await finished(api, answer.body.runs[0].id);
        assert.equal(run['status'], 'succeeded', JSON.stringify(run));
      }
      assert.equal(readFileSync(path.join(folder, 'argv.out'), 'utf8'), `hello ${attack}\n`);
      assert.equal(readFileSync(path.join(folder, 'shell.out'), 'utf8'), `hello ${attack}\n`);
      for (const marker of ['pwned.txt', 'pwned2.txt', 'pwned3.txt']) {
        assert.equal(existsSync(path.join(folder, marker)), false, `${marker} was created: the value ran`);
      }
    });

    it('carries a secret parameter to the retry of a failed run, and clears it from both', async () => {
      const { api, storeUrl } = await startWithParams();
      const answer = await api.request('POST', '/api/jobs/retried/trigger', {
        json: { params: { token: deployToken } },
      });
      const first = answer.body.runs[0];
      assert.equal((await finished(api, first.id))['status'], 'failed');
      const retry = await waitFor('the retry to end', async () => {
        const runs = (await api.request('GET', '/api/runs?job=retried')).body.runs as {
          id: number;
          status: string;
        }[];
        return runs.find((run) => run.id !== first.id && !['pending', 'running'].includes(run.status));
      });
      assert.equal(retry.status, 'succeeded');
      assert.equal(readFileSync(`${outFile}.retried`, 'utf8'), deployToken, 'the retry got the real value');
      const rows = await query<{ params_json: string; secret_params: string | null }>(
        storeUrl,
        "SELECT params_json, secret_params FROM runs WHERE job = 'retried'",
      );
      assert.deepEqual(
        rows.map((row) => [JSON.parse(row.params_json).token, row.secret_params]),
        [
          ['***', null],
          ['***', null],
        ],
      );
      const retried = await api.request('POST', `/api/runs/${first.id}/retry`);
      assert.equal(retried.status, 409, 'its secret is gone: a retry by hand is refused, not run with ***');
      assert.match(
        retried.body.error.message,
        /secret parameter "token", whose value is not kept once a run ends/,
      );
      const logs = await api.request('GET', `/api/runs/${first.id}/logs`);
      assert.equal(logs.body.chunks.map((chunk: { text: string }) => chunk.text).join(''), 'first ***\n');
    });

    it('describes each parameter and its rule in the job view, without a secret default', async () => {
      const { api } = await startWithParams();
      const job = (await api.request('GET', '/api/jobs/deploy')).body.job;
      assert.deepEqual(job.params, {
        who: 'world',
        limit: '100',
        ratio: '0.5',
        verbose: 'false',
        mode: 'dry',
      });
      assert.deepEqual(job.paramRules.token, {
        type: 'string',
        rule: 'must match ^[A-Za-z0-9]{20,64}$',
        required: true,
        secret: true,
        description: null,
        values: null,
      });
      assert.equal(job.paramRules.mode.rule, 'must be one of dry, apply');
      // The dashboard's trigger form offers an enum's values as a choice.
      assert.deepEqual(job.paramRules.mode.values, ['dry', 'apply']);
    });
  });
}
