/**
 * Fencing by lease expiry on PostgreSQL: a node whose store connections are killed
 * (`pg_terminate_backend`) and that cannot reconnect (its TCP proxy refuses) stops its own runs
 * before their lease expires — the command's process is gone by then — and leaves their end
 * unrecorded, so another node's sweep marks them lost.
 */
import assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { after, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';
import { Engine } from '../../src/engine/index.ts';
import { systemClock } from '../../src/clock/index.ts';
import { createExecuteRun } from '../../src/engine/execute-run.ts';
import { configOf, silentLogger, waitFor } from '../support/engine-harness.ts';
import { createPostgresHarness, postgresTestUrl } from '../support/postgres.ts';
import { TcpProxy } from '../support/tcp-proxy.ts';

const harness = await createPostgresHarness();
const server = new URL(postgresTestUrl);
const proxy = await TcpProxy.start({ host: server.hostname, port: Number(server.port || 5432) });
after(async () => {
  await proxy.close();
  await harness.close();
});

/** The pid of the process whose command line is exactly `args`, if one runs. */
function pidOf(args: string): number | undefined {
  const lines = execFileSync('ps', ['-eo', 'pid=,args='], { encoding: 'utf8' }).split('\n');
  const line = lines.find((entry) => entry.trim().replace(/^\d+\s+/, '') === args);
  return line === undefined ? undefined : Number(line.trim().split(/\s+/)[0]);
}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch {
    return false;
  }
}

describe('fencing by lease expiry on PostgreSQL', () => {
  it('kills the process of a run whose lease it cannot renew before the lease expires, and records no end', async () => {
    // A sleep of a length no other process has, to find its pid.
    const seconds = 3000 + (randomBytes(2).readUInt16BE(0) % 1000);
    const command = `sleep ${seconds}`;
    const appName = `cronplane_fence_${randomBytes(4).toString('hex')}`;
    const url = new URL(proxy.rewrite(harness.url));
    url.searchParams.set('application_name', appName);
    const store = await harness.open(url.toString());
    const observer = await harness.open();
    const clock = systemClock();
    const leaseMs = 3000;
    const engine = new Engine({
      store,
      clock,
      node: 'node-fenced',
      logger: silentLogger,
      execute: createExecuteRun(),
      runLeaseMs: leaseMs,
      pollMs: 200,
      schedule: false,
    });
    try {
      await engine.start(configOf(`version: 1\njobs:\n  long: { run: "${command}" }\n`));
      const [run] = await engine.trigger({ job: 'long' });
      assert.ok(run !== undefined);
      const pid = await waitFor('the command runs', () => pidOf(command));
      // Past a renewal, so the fence acts on a renewed lease.
      await sleep(leaseMs / 3 + 200);
      assert.ok(alive(pid));

      const killed = await harness.query<{ killed: boolean }>(
        postgresTestUrl,
        `SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity WHERE application_name = '${appName}'`,
      );
      await proxy.cut();
      assert.ok(killed.length > 0, 'the node had connections to kill');

      const goneAt = await waitFor(
        'the process is killed',
        () => (alive(pid) ? undefined : Date.now()),
        10_000,
      );
      // The last lease the node was granted is in the store: it could not renew after the cut.
      const fenced = await observer.getRunOrThrow(run.id);
      assert.equal(fenced.status, 'running', 'the fenced node recorded no end');
      assert.ok(fenced.leaseExpiresAt !== null);
      assert.ok(
        goneAt <= fenced.leaseExpiresAt,
        `killed ${goneAt - fenced.leaseExpiresAt} ms after its lease expired`,
      );

      await proxy.restore();
      // Another node's sweep, once the lease has expired, takes the run as lost.
      await sleep(Math.max(0, fenced.leaseExpiresAt - Date.now() + 50));
      const lost = await observer.expireLeases(Date.now());
      assert.deepEqual(
        lost.map((entry) => entry.id),
        [run.id],
      );
      assert.equal((await observer.getRunOrThrow(run.id)).status, 'lost');
    } finally {
      await proxy.restore();
      await engine.drain(0);
      await store.release();
      await observer.release();
    }
  });
});
