/**
 * `GET /api/runs/:id/logs/download` against a real daemon on SQLite and PostgreSQL: the whole
 * output as one text file, read from the store a page at a time, secrets masked, and the usual
 * refusals as JSON.
 */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { ReadLogsOptions, Store } from '../../src/store/index.ts';
import { anotherNode, runOnAnotherNode } from '../support/run-on-another-node.ts';
import { describeWithDaemonOnEachStore } from './describe-with-daemon.ts';

const secret = 'download-secret-0123456789';

const yaml = `version: 1
jobs:
  chatty:
    run: [sh, -c, 'echo hi']
    env: { API_KEY: { secret: ${secret} } }
  other:
    run: [sh, -c, 'echo other']
`;

/** A run of `job` that ran on another node and wrote `chunks`, ended failed. */
async function ranWith(
  store: Store,
  job: string,
  chunks: readonly { stream: 'stdout' | 'stderr' | 'system'; text: string; truncated?: boolean }[],
): Promise<number> {
  const id = await runOnAnotherNode(store, job);
  const now = Date.now();
  for (const chunk of chunks) {
    await store.appendLog(id, {
      stream: chunk.stream,
      chunk: chunk.text,
      at: now,
      ...(chunk.truncated === true ? { truncated: true } : {}),
    });
  }
  assert.ok(
    await store.finishRun(id, anotherNode, { status: 'failed', finishedAt: Date.now(), exitCode: 1 }),
  );
  return id;
}

describeWithDaemonOnEachStore(
  (storeName) => `downloading a run's log on ${storeName}`,
  { yaml },
  (rig) => {
    it('answers the whole output as run-<id>.log, reading the store a page at a time, secrets masked', async () => {
      const { api } = rig;
      const lines = Array.from({ length: 2050 }, (_, index) => ({
        stream: index % 3 === 0 ? ('stderr' as const) : ('stdout' as const),
        text: `line ${index + 1}${index === 1234 ? ` ${secret}` : ''}\n`,
      }));
      const id = await ranWith(api.daemon.store, 'chatty', [
        ...lines,
        { stream: 'system', text: 'the run failed with exit code 1' },
      ]);
      const store = api.daemon.store;
      const reads: ReadLogsOptions[] = [];
      const readLogs = store.readLogs.bind(store);
      store.readLogs = (runId, options) => {
        if (runId === id) reads.push(options ?? {});
        return readLogs(runId, options);
      };
      let answer;
      try {
        answer = await api.request('GET', `/api/runs/${id}/logs/download`);
      } finally {
        store.readLogs = readLogs;
      }
      assert.equal(answer.status, 200, answer.text.slice(0, 300));
      assert.match(String(answer.headers['content-type']), /^text\/plain; charset=utf-8/);
      assert.equal(answer.headers['content-disposition'], `attachment; filename="run-${id}.log"`);
      const expected =
        lines.map((line) => line.text.replace(secret, '***')).join('') +
        '[cronplane] the run failed with exit code 1\n';
      assert.equal(answer.text, expected);
      assert.ok(!answer.text.includes(secret));
      // 2,051 chunks: three pages of at most 1,000, never the whole log at once.
      assert.deepEqual(
        reads.map((options) => [options.afterSeq, options.limit]),
        [
          [0, 1000],
          [1000, 1000],
          [2000, 1000],
        ],
      );
    });

    it('ends with a note when the output was cut at the capture limit, and answers an empty log empty', async () => {
      const { api } = rig;
      const cut = await ranWith(api.daemon.store, 'chatty', [
        { stream: 'stdout', text: 'the beginning\n', truncated: true },
      ]);
      const answer = await api.request('GET', `/api/runs/${cut}/logs/download`);
      assert.equal(answer.status, 200);
      assert.equal(answer.text, "the beginning\n[cronplane] output was cut at the job's capture limit\n");

      const silent = await ranWith(api.daemon.store, 'chatty', []);
      const empty = await api.request('GET', `/api/runs/${silent}/logs/download`);
      assert.equal(empty.status, 200);
      assert.equal(empty.text, '');
    });

    it('refuses an unknown run, a bad id, no token and a token limited to other jobs, as JSON', async () => {
      const { api } = rig;
      const id = await ranWith(api.daemon.store, 'chatty', [{ stream: 'stdout', text: 'private\n' }]);
      const unknown = await api.request('GET', '/api/runs/999999/logs/download');
      assert.equal(unknown.status, 404);
      assert.equal(unknown.body.error.code, 'api.unknown-run');
      const bad = await api.request('GET', '/api/runs/abc/logs/download');
      assert.equal(bad.status, 400);
      assert.match(bad.body.error.message, /^path\.id/);
      const anonymous = await api.request('GET', `/api/runs/${id}/logs/download`, { token: null });
      assert.equal(anonymous.status, 401);
      const created = await api.request('POST', '/api/tokens', {
        json: { name: 'other-only', scope: 'read', jobs: ['other'] },
      });
      assert.equal(created.status, 201, created.text);
      const limited = await api.request('GET', `/api/runs/${id}/logs/download`, {
        token: created.body.token,
      });
      assert.equal(limited.status, 403, limited.text);
      assert.ok(!limited.text.includes('private'));
    });
  },
);
