/**
 * `cronplane trigger`, `pause`, `resume` and `token` as a user runs them, against a real
 * `cronplane start` process listening on loopback, with a SQLite store. The commands themselves run
 * in the test's process (the same program and output as the bin, without a Node start each); the
 * daemon and a refused second `start` are real processes.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { openStore } from '../../src/store/index.ts';
import { waitFor } from '../support/engine-harness.ts';
import { runCronplane, startDaemonProcess } from '../support/run-cronplane.ts';
import { runCronplaneInProcess } from '../support/run-cronplane-in-process.ts';
import type { CliResult, DaemonProcess } from '../support/run-cronplane.ts';
import { openStream, send } from './api-harness.ts';

/** A port nothing listens on (one that was free a moment ago). */
async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function cronplane(args: string[], env: Record<string, string> = {}): Promise<CliResult> {
  return runCronplaneInProcess(args, { env });
}

describe('the cronplane command over the API', () => {
  const folder = mkdtempSync(path.join(tmpdir(), 'cronplane-cli-api-'));
  const file = path.join(folder, 'cronplane.yaml');
  const store = `sqlite:${path.join(folder, 'store.db')}`;
  const common = ['--config', file, '--store', store];
  let daemon: DaemonProcess | undefined;
  let server = '';
  let admin = '';
  let trigger = '';

  before(async () => {
    writeFileSync(
      file,
      "version: 1\njobs:\n  hello: { run: [sh, -c, 'echo hi'] }\n  tick: { schedule: '0 0 1 1 *', run: 'true' }\n",
    );
    const created = await cronplane(['token', 'create', 'ops', '--scope', 'admin', ...common]);
    assert.equal(created.code, 0, created.stderr);
    admin = created.stdout.trim();
    trigger = (
      await cronplane(['token', 'create', 'deploy', '--scope', 'trigger', '--jobs', 'hel*', ...common])
    ).stdout.trim();
    daemon = await startDaemonProcess([...common, '--node', 'cli-node'], { cwd: folder });
    server = daemon.server;
  });

  after(async () => {
    await daemon?.stop();
  });

  it('prints a token once on create, lists tokens without them, and stores only hashes', async () => {
    assert.match(admin, /^cpt_[0-9a-f]{12}_[A-Za-z0-9_-]{43}$/);
    const listed = await cronplane(['token', 'list', ...common]);
    assert.equal(listed.code, 0);
    assert.match(listed.stdout, /^deploy\t[0-9a-f]{12}\ttrigger\thel\*\t/m);
    assert.match(listed.stdout, /^ops\t[0-9a-f]{12}\tadmin\t\*\t/m);
    assert.ok(!listed.stdout.includes(admin) && !listed.stdout.includes(trigger));
    const json = await cronplane(['token', 'list', '--json', ...common]);
    assert.ok(!json.stdout.includes('hash'));
    const twice = await cronplane(['token', 'create', 'ops', '--scope', 'read', ...common]);
    assert.equal(twice.code, 2);
    assert.match(twice.stderr, /token named "ops" exists/);
    const badScope = await cronplane(['token', 'create', 'x', '--scope', 'root', ...common]);
    assert.equal(badScope.code, 2);
  });

  it('triggers a job on the running daemon and prints the queued run', async () => {
    const result = await cronplane(['trigger', 'hello', '--server', server], { CRONPLANE_TOKEN: trigger });
    assert.equal(result.code, 0, result.stderr);
    const id = Number(/^queued run (\d+) of hello$/m.exec(result.stdout)?.[1]);
    assert.ok(id > 0, result.stdout);
    const opened = await openStore(store);
    try {
      const run = await waitFor('the run to succeed', async () => {
        const found = await opened.getRun(id);
        return found?.status === 'succeeded' ? found : undefined;
      });
      assert.equal(run.requestedBy, 'deploy');
      assert.equal(run.trigger, 'api');
    } finally {
      await opened.release();
    }
    const viaEnv = await cronplane(['trigger', 'hello', '--json'], {
      CRONPLANE_TOKEN: trigger,
      CRONPLANE_SERVER: server,
    });
    assert.equal(JSON.parse(viaEnv.stdout.trim()).job, 'hello');
  });

  it('pauses and resumes a job with an admin token, and refuses a token without the scope', async () => {
    const refused = await cronplane(['pause', 'hello', '--server', server], { CRONPLANE_TOKEN: trigger });
    assert.equal(refused.code, 2);
    assert.match(refused.stderr, /refused \(403 api\.forbidden\): token "deploy" has scope trigger/);
    const paused = await cronplane(['pause', 'tick', '--server', server], { CRONPLANE_TOKEN: admin });
    assert.equal(paused.code, 0, paused.stderr);
    assert.equal(paused.stdout.trim(), 'paused tick: it does not fire until "cronplane resume tick"');
    const resumed = await cronplane(['resume', 'tick', '--server', server], { CRONPLANE_TOKEN: admin });
    assert.equal(resumed.stdout.trim(), 'resumed tick: next fire 2027-01-01T00:00:00.000Z');
    const unknown = await cronplane(['trigger', 'nope', '--server', server], { CRONPLANE_TOKEN: admin });
    assert.equal(unknown.code, 2);
    assert.match(unknown.stderr, /no job named "nope"/);
  });

  it('says clearly when no daemon answers, or when there is no token', async () => {
    const closed = await freePort();
    const none = await cronplane(['trigger', 'hello', '--server', `127.0.0.1:${closed}`], {
      CRONPLANE_TOKEN: admin,
    });
    assert.equal(none.code, 1);
    assert.match(
      none.stderr,
      new RegExp(
        `no cronplane daemon answers at http://127\\.0\\.0\\.1:${closed} \\(connection refused\\): start one`,
      ),
    );
    const noToken = await cronplane(['resume', 'hello', '--server', server]);
    assert.equal(noToken.code, 2);
    assert.match(noToken.stderr, /set CRONPLANE_TOKEN/);
  });

  it('lists runs and prints a run’s output through the API, following it live with -f', async () => {
    const env = { CRONPLANE_TOKEN: admin, CRONPLANE_SERVER: server };
    const triggered = await cronplane(['trigger', 'hello', '--json'], env);
    const id = (JSON.parse(triggered.stdout.trim()) as { id: number }).id;
    const followed = await cronplane(['logs', String(id), '-f'], env);
    assert.equal(followed.code, 0, followed.stderr);
    assert.equal(followed.stdout, 'hi\n');
    const printed = await cronplane(['logs', String(id)], env);
    assert.equal(printed.stdout, 'hi\n');
    const listed = await cronplane(['runs', 'hello', '--status', 'succeeded'], env);
    assert.equal(listed.code, 0, listed.stderr);
    assert.match(listed.stdout, new RegExp(`^${id}\thello\t-\tapi\t1\tsucceeded\t`, 'm'));
    const missing = await cronplane(['logs', '999999'], env);
    assert.equal(missing.code, 2);
    assert.match(missing.stderr, /404 api\.unknown-run/);
  });

  it('prints the same runs, as a table and as JSON, from the store and through the API', async () => {
    const env = { CRONPLANE_TOKEN: admin, CRONPLANE_SERVER: server };
    for (const extra of [[], ['--json']]) {
      const args = ['runs', 'hello', '--status', 'succeeded', ...extra];
      const over = await cronplane(args, env);
      const stored = await cronplane([...args, ...common], env); // --store wins over CRONPLANE_SERVER
      assert.equal(over.code, 0, over.stderr);
      assert.equal(stored.code, 0, stored.stderr);
      assert.match(over.stdout, /hello/);
      assert.equal(stored.stdout, over.stdout, `cronplane ${args.join(' ')}`);
    }
  });

  it('refuses to start a second daemon on a port already taken, saying so', async () => {
    const port = new URL(server).port;
    // Two processes that wait on nothing of each other: started together.
    const [second, bad] = await Promise.all([
      runCronplane(['start', ...common, '--listen', `127.0.0.1:${port}`], { cwd: folder }),
      runCronplane(['start', ...common, '--listen', 'nowhere'], { cwd: folder }),
    ]);
    assert.equal(second.code, 2);
    assert.match(
      second.stderr,
      new RegExp(`the API cannot listen on 127\\.0\\.0\\.1:${port}: the address is in use`),
    );
    assert.equal(bad.code, 2);
    assert.match(bad.stderr, /--listen "nowhere" is not a listen address/);
  });

  it('stops honouring a revoked token', async () => {
    const revoked = await cronplane(['token', 'revoke', 'deploy', ...common]);
    assert.equal(revoked.code, 0);
    await waitFor('the token to stop working', async () => {
      const result = await cronplane(['trigger', 'hello', '--server', server], { CRONPLANE_TOKEN: trigger });
      return result.code === 2 && /api\.unauthorized/.test(result.stderr) ? true : undefined;
    });
    assert.equal((await cronplane(['token', 'revoke', 'deploy', ...common])).code, 2);
  });
});

describe('cronplane start with its API limits set by flags', () => {
  it('takes --auth-failure-limit, --stream-limit and --stream-limit-total', async () => {
    const folder = mkdtempSync(path.join(tmpdir(), 'cronplane-cli-limits-'));
    const file = path.join(folder, 'cronplane.yaml');
    writeFileSync(file, "version: 1\njobs:\n  forever: { run: [sleep, '30'] }\n");
    const common = ['--config', file, '--store', `sqlite:${path.join(folder, 'store.db')}`];
    const admin = (await cronplane(['token', 'create', 'ops', '--scope', 'admin', ...common])).stdout.trim();
    const limited = await startDaemonProcess(
      [
        ...common,
        '--shutdown-timeout',
        '500',
        '--auth-failure-limit',
        '2',
        '--stream-limit',
        '1',
        '--stream-limit-total',
        '2',
      ],
      { cwd: folder },
    );
    try {
      const bad = {
        token: 'cpt_000000000000_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
        from: '127.0.0.2',
      };
      const statuses = [];
      for (let index = 0; index < 3; index++) {
        statuses.push((await send(limited.server, 'GET', '/api/jobs', bad)).status);
      }
      assert.deepEqual(statuses, [401, 401, 429]);
      const [run] = (await send(limited.server, 'POST', '/api/jobs/forever/trigger', { token: admin })).body
        .runs;
      const target = `/api/runs/${run.id}/logs/stream`;
      const first = await openStream(limited.server, target, { token: admin });
      assert.equal(first.status, 200);
      const second = await send(limited.server, 'GET', target, { token: admin });
      assert.equal(second.status, 429);
      assert.match(second.body.error.message, /token "ops" has 1 live streams open/);
      const reader = async (name: string): Promise<string> =>
        (await send(limited.server, 'POST', '/api/tokens', { token: admin, json: { name, scope: 'read' } }))
          .body.token as string;
      const other = await openStream(limited.server, target, { token: await reader('one') });
      assert.equal(other.status, 200);
      const third = await send(limited.server, 'GET', target, { token: await reader('two') });
      assert.equal(third.status, 429);
      assert.match(third.body.error.message, /the server has 2 live streams open/);
      other.close();
      first.close();
      await send(limited.server, 'POST', `/api/runs/${run.id}/cancel`, { token: admin });
    } finally {
      await limited.stop();
    }
  });
});
