/**
 * Where a command that reads or changes state goes: a daemon's API or the store. One place
 * chooses for every command (`--server`, else `CRONPLANE_SERVER` unless `--store` is given, else
 * the store; commands that need a daemon fall back to the default address instead of the
 * store). The commands run in the test's process (one that finds its job file in its working
 * folder is a real process); real stores, real HTTP servers that are not cronplane.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createPostgresHarness } from '../support/postgres.ts';
import { runCronplane } from '../support/run-cronplane.ts';
import { runCronplaneInProcess } from '../support/run-cronplane-in-process.ts';
import { createSqliteHarness } from '../support/sqlite.ts';
import type { StoreHarness } from '../support/store-harness.ts';

/** A port nothing listens on (one that was free a moment ago). */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** An HTTP server that answers every request with `status` and `body`, and its address. */
async function answering(status: number, body: string): Promise<{ server: Server; url: string }> {
  const server = createServer((_request, response) => {
    response.writeHead(status, { 'content-type': 'application/json' });
    response.end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

const noDaemon = (port: number) =>
  new RegExp(
    `^error: no cronplane daemon answers at http://127\\.0\\.0\\.1:${port} \\(connection refused\\)`,
  );

for (const [storeName, createHarness] of [
  ['SQLite', createSqliteHarness],
  ['PostgreSQL', createPostgresHarness],
] as const) {
  describe(`where cronplane commands go, with a store on ${storeName}`, () => {
    let harness: StoreHarness;
    let folder: string;
    let runId: number;
    before(async () => {
      harness = await createHarness();
      const store = await harness.open();
      try {
        const now = Date.now();
        const { inserted } = await store.insertRuns([
          { job: 'backup', trigger: 'api', scheduledAt: now, queuedAt: now },
        ]);
        runId = inserted[0]?.id ?? 0;
      } finally {
        await store.release();
      }
      folder = mkdtempSync(path.join(tmpdir(), 'cronplane-choice-'));
      writeFileSync(
        path.join(folder, 'cronplane.yaml'),
        `version: 1\nstore: ${JSON.stringify(harness.url)}\njobs:\n  backup: { run: "true" }\n`,
      );
    });
    after(async () => {
      await harness.close();
    });

    const cronplane = (args: string[], env: Record<string, string> = {}) =>
      runCronplaneInProcess(args, { cwd: folder, env: { CRONPLANE_TOKEN: 'cp_not-a-real-token', ...env } });

    it('reads the store of the job file when no daemon is named', async () => {
      // A process: it finds ./cronplane.yaml in its working folder, which main's io.cwd does not
      // fully stand for (the file found there is then read relative to the process's own).
      const listed = await runCronplane(['runs'], {
        cwd: folder,
        env: { CRONPLANE_TOKEN: 'cp_not-a-real-token' },
      });
      assert.equal(listed.code, 0, listed.stderr);
      assert.match(listed.stdout, new RegExp(`^${runId}\\tbackup\\t-\\tapi\\t1\\tpending\\t`, 'm'));
    });

    it('asks the daemon CRONPLANE_SERVER names instead of the store, but not when --store is given', async () => {
      const port = await closedPort();
      const env = { CRONPLANE_SERVER: `127.0.0.1:${port}` };
      const asked = await cronplane(['runs'], env);
      assert.equal(asked.code, 1);
      assert.match(asked.stderr, noDaemon(port));
      const stored = await cronplane(['runs', '--store', harness.url], env);
      assert.equal(stored.code, 0, stored.stderr);
      assert.match(stored.stdout, new RegExp(`^${runId}\\tbackup\\t`, 'm'));
    });

    it('asks the daemon --server names even when --store is given', async () => {
      const port = await closedPort();
      for (const args of [
        ['runs'],
        ['logs', String(runId)],
        ['events'],
        ['events', 'resolve', '1'],
        ['monitors'],
        ['monitors', 'pause', 'heartbeat'],
        ['nodes'],
      ]) {
        const asked = await cronplane([...args, '--store', harness.url, '--server', `127.0.0.1:${port}`]);
        assert.equal(asked.code, 1, `cronplane ${args.join(' ')}: ${asked.stderr}`);
        assert.match(asked.stderr, noDaemon(port), `cronplane ${args.join(' ')}`);
      }
    });

    it('sends the commands that need a daemon to CRONPLANE_SERVER, never to the store', async () => {
      const port = await closedPort();
      for (const args of [
        ['trigger', 'backup'],
        ['pause', 'backup'],
        ['resume', 'backup'],
        ['drain', 'n1'],
      ]) {
        const asked = await cronplane(args, { CRONPLANE_SERVER: `127.0.0.1:${port}` });
        assert.equal(asked.code, 1, `cronplane ${args.join(' ')}: ${asked.stderr}`);
        assert.match(asked.stderr, noDaemon(port), `cronplane ${args.join(' ')}`);
      }
    });
  });
}

describe('a daemon address that answers, but not as cronplane', () => {
  it("exits 1 with the server's message when it fails, and 2 when it refuses the request", async () => {
    const failing = await answering(
      503,
      JSON.stringify({ error: { code: 'store.down', message: 'no store' } }),
    );
    const refusing = await answering(
      404,
      JSON.stringify({ error: { code: 'api.not-found', message: 'gone' } }),
    );
    try {
      const env = { CRONPLANE_TOKEN: 'cp_not-a-real-token' };
      const failed = await runCronplaneInProcess(['runs', '--server', failing.url], { env });
      assert.equal(failed.code, 1);
      assert.equal(
        failed.stderr.trim(),
        `error: the daemon at ${failing.url} refused (503 store.down): no store`,
      );
      const refused = await runCronplaneInProcess(['monitors', '--server', refusing.url], { env });
      assert.equal(refused.code, 2);
      assert.equal(
        refused.stderr.trim(),
        `error: the daemon at ${refusing.url} refused (404 api.not-found): gone`,
      );
    } finally {
      failing.server.close();
      refusing.server.close();
    }
  });

  it('says the answer is not JSON, and asks for a token before calling at all', async () => {
    const html = await answering(200, '<html>hello</html>');
    try {
      const garbled = await runCronplaneInProcess(['nodes', '--server', html.url], {
        env: { CRONPLANE_TOKEN: 'cp_not-a-real-token' },
      });
      assert.equal(garbled.code, 2);
      assert.equal(
        garbled.stderr.trim(),
        `error: ${html.url} answered 200 with something that is not JSON; is it cronplane?`,
      );
      const tokenless = await runCronplaneInProcess(['events', '--server', html.url]);
      assert.equal(tokenless.code, 2);
      assert.match(tokenless.stderr, /^error: set CRONPLANE_TOKEN to an API token/);
    } finally {
      html.server.close();
    }
  });
});
