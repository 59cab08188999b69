/**
 * Several daemons on one store: a name refused while live, a restart that takes its dead
 * predecessor's lease at once, a job file unlike the leader's (claims nothing, /readyz says why,
 * resumes after a reload), drain and roles. Real daemons in this process, real HTTP.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { after, afterEach, describe, it } from 'node:test';
import { processScopeOf } from '../../src/cluster/index.ts';
import { leaderLeaseName } from '../../src/engine/index.ts';
import { openStore } from '../../src/store/index.ts';
import type { Store } from '../../src/store/index.ts';
import { hostname } from 'node:os';
import type { ApiDaemon } from '../api/api-harness.ts';
import { startApiDaemon } from '../api/api-harness.ts';
import { waitFor } from '../support/engine-harness.ts';

/** \`inbox\` makes the scheduler tick (and the queue drainer look) every second, recording no runs. */
const fileA = `version: 1
jobs:
  shared:
    run: [sh, -c, 'echo shared']
  inbox:
    schedule: every 1s
    queue: {}
    run: 'true'
`;
/** The same jobs and one more: a job file that differs from the leader's. */
const fileB = `${fileA}  only-b:
    run: [sh, -c, 'echo only b']
`;

/** A pid that belonged to a process that has exited. */
async function deadPid(): Promise<number> {
  const child = spawn(process.execPath, ['-e', '']);
  await new Promise((resolve) => child.once('exit', resolve));
  return child.pid as number;
}

export function defineClusterSuite(storeName: string, freshStore: () => Promise<string>): void {
  describe(`several nodes on ${storeName}`, () => {
    const daemons: ApiDaemon[] = [];
    const stores: Store[] = [];
    // Each test's daemons stop when it ends: on PostgreSQL the next test resets the same database,
    // and a daemon still running would take the scheduler lease in it.
    afterEach(async () => {
      for (const daemon of daemons.splice(0)) await daemon.stop();
    });
    after(async () => {
      for (const store of stores) await store.release();
    });
    const start = async (storeUrl: string, node: string, yaml: string, extra: object = {}) => {
      const daemon = await startApiDaemon({ storeUrl, node, yaml, heartbeatMs: 50, ...extra });
      daemons.push(daemon);
      return daemon;
    };
    const open = async (url: string) => {
      const store = await openStore(url);
      stores.push(store);
      return store;
    };

    it('refuses a second live process with the same name, naming the first; the name is free after a clean stop', async () => {
      const url = await freshStore();
      const first = await start(url, 'node-a', fileA);
      await assert.rejects(
        startApiDaemon({ storeUrl: url, node: 'node-a', yaml: fileA }),
        (error: Error & { code?: string }) =>
          error.code === 'node.name-taken' &&
          error.message.includes(first.daemon.presence.instanceId) &&
          error.message.includes(`pid ${process.pid}`) &&
          error.message.includes(`host ${hostname()}`) &&
          /last heartbeat [\d.]+ s ago/.test(error.message),
      );
      await first.stop();
      const again = await start(url, 'node-a', fileA);
      assert.notEqual(again.daemon.presence.instanceId, first.daemon.presence.instanceId);
    });

    it('takes the scheduler lease of a dead process of this host at once on restart', async () => {
      const url = await freshStore();
      const store = await open(url);
      const now = Date.now();
      // What a `kill -9` leaves: a live-looking row (fresh heartbeat) holding a fresh 15 s lease.
      await store.registerNode({
        instanceId: 'killed-instance',
        name: 'node-a',
        host: hostname(),
        processScope: processScopeOf(hostname()),
        pid: await deadPid(),
        version: '0.0.0',
        startedAt: now,
        staleMs: 60_000,
        configHash: 'whatever',
        tags: [],
        slots: 8,
        role: 'all',
      });
      assert.equal(
        await store.acquireLease({
          name: leaderLeaseName,
          owner: 'killed-instance',
          now,
          until: now + 15_000,
        }),
        true,
      );
      const restarted = await start(url, 'node-a', fileA);
      const lease = await waitFor('the new process to lead', async () => {
        const held = await store.getLease(leaderLeaseName);
        return held?.owner === restarted.daemon.presence.instanceId ? held : undefined;
      });
      assert.ok(lease.expiresAt > now);
      const killed = (await store.listNodes()).find((node) => node.instanceId === 'killed-instance');
      assert.equal(killed?.state, 'stopped');
      assert.match(killed?.stateReason ?? '', /is dead/);
    });

    it("keeps a node whose job file differs from the leader's from claiming until its file matches", async () => {
      const url = await freshStore();
      const store = await open(url);
      const leader = await start(url, 'node-a', fileA, { role: 'scheduler' });
      await waitFor('node-a to lead', () => leader.daemon.engine.scheduler.isLeader);
      const odd = await start(url, 'node-b', fileB, { role: 'worker' });
      const ready = await odd.request('GET', '/readyz', { token: null });
      assert.equal(ready.status, 503);
      const reason = (ready.body.reasons as string[]).join('\n');
      const oddHash = odd.daemon.presence.status().configHash;
      const leaderHash = leader.daemon.presence.status().configHash;
      assert.notEqual(oddHash, leaderHash);
      assert.match(
        reason,
        new RegExp(`hash ${oddHash}\\) differs from the leader's \\(node node-a, hash ${leaderHash}`),
      );
      assert.equal(ready.body.checks.node.leaderConfigHash, leaderHash);
      // The leader's file is the cluster's: the odd node did not write its job into the table.
      assert.equal(await store.getJob('only-b'), undefined);
      const [run] = (
        await store.insertRuns([
          { job: 'shared', trigger: 'api', scheduledAt: Date.now(), queuedAt: Date.now() },
        ])
      ).inserted;
      odd.daemon.engine.worker.wake();
      // Ten heartbeats of the odd node later, the run still waits.
      const beats = (await store.listNodes()).find((node) => node.name === 'node-b')?.heartbeatAt ?? 0;
      await waitFor(
        'ten heartbeats',
        async () =>
          ((await store.listNodes()).find((node) => node.name === 'node-b')?.heartbeatAt ?? 0) >= beats + 500,
      );
      assert.equal((await store.getRun(run!.id))?.status, 'pending');
      // The leader takes the queue drainer's lease at the drainer's first pass: wait for it.
      const expected = [
        ['node-a', true, ['scheduler', 'queue-drainer'], 'scheduler'],
        ['node-b', false, [], 'worker'],
      ];
      let listed: unknown[] = [];
      await waitFor('the nodes view to show both leases on node-a', async () => {
        const nodes = await leader.request('GET', '/api/nodes');
        listed = (
          nodes.body.nodes as { name: string; configMatchesLeader: boolean; leads: string[]; role: string }[]
        ).map((node) => [node.name, node.configMatchesLeader, node.leads, node.role]);
        return JSON.stringify(listed) === JSON.stringify(expected) || undefined;
      }).catch(() => undefined);
      assert.deepEqual(listed, expected);
      assert.match(odd.logs.text, /differs from the leader's/);
      writeFileSync(odd.configFile, fileA);
      assert.equal(await odd.daemon.reload(), true);
      const done = await waitFor('the run to succeed on node-b', async () => {
        const found = await store.getRun(run!.id);
        return found?.status === 'succeeded' ? found : undefined;
      });
      assert.equal(done.node, 'node-b');
      assert.equal((await odd.request('GET', '/readyz', { token: null })).status, 200);
    });

    it('drains a node: it hands the scheduler lease over at once, claims nothing new, and says so', async () => {
      const url = await freshStore();
      const store = await open(url);
      const a = await start(url, 'node-a', fileA);
      await waitFor('node-a to lead', () => a.daemon.engine.scheduler.isLeader);
      const b = await start(url, 'node-b', fileA);
      const drained = await b.request('POST', '/api/nodes/node-a/drain');
      assert.equal(drained.status, 200);
      assert.deepEqual([drained.body.changed, drained.body.node.state], [true, 'draining']);
      assert.equal((await b.request('POST', '/api/nodes/node-a/drain')).body.changed, false);
      await waitFor(
        'node-a to give its lease up',
        async () => (await store.getLease(leaderLeaseName))?.owner !== a.daemon.presence.instanceId,
      );
      // The follower looks again every third of a lease (5 s); the takeover timing is c-failover's.
      await waitFor(
        'node-b to take the lease',
        async () => (await store.getLease(leaderLeaseName))?.owner === b.daemon.presence.instanceId,
        10_000,
      );
      assert.equal(a.daemon.presence.mayClaim(), false);
      const ready = await a.request('GET', '/readyz', { token: null });
      assert.equal(ready.status, 503);
      assert.match((ready.body.reasons as string[]).join(), /this node is draining/);
      const audit = await b.request('GET', '/api/audit?action=node.drain');
      assert.deepEqual(
        (audit.body.entries as { action: string; target: string }[]).map((entry) => [
          entry.action,
          entry.target,
        ]),
        [['node.drain', 'node-a']],
      );
      const unknown = await b.request('POST', '/api/nodes/nobody/drain');
      assert.equal(unknown.status, 404);
      const bad = await b.request('POST', '/api/nodes/..%2Fx/drain');
      assert.equal(bad.status, 400);
      assert.equal((await b.request('POST', '/api/nodes/node-a/drain', { token: null })).status, 401);
    });

    it('never lets a worker-role node take the scheduler lease', async () => {
      const url = await freshStore();
      const store = await open(url);
      const worker = await start(url, 'node-w', fileA, { role: 'worker' });
      const beats = (await store.listNodes())[0]?.heartbeatAt ?? 0;
      await waitFor(
        'ten heartbeats',
        async () => ((await store.listNodes())[0]?.heartbeatAt ?? 0) >= beats + 500,
      );
      assert.equal(worker.daemon.engine.scheduler.isLeader, false);
      assert.equal(await store.getLease(leaderLeaseName), undefined);
    });
  });
}
