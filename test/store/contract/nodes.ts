/** Node identity: registration refused for a live name, heartbeat, drain, stop, and leases of gone holders. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { NewNode, Store } from '../../../src/store/index.ts';
import type { ContractContext } from './context.ts';
import { T0, second } from './context.ts';

function newNode(overrides: Partial<NewNode> = {}): NewNode {
  return {
    instanceId: 'instance-a',
    name: 'node-a',
    host: 'host-1',
    processScope: 'host-1/pid:[1]',
    pid: 4242,
    version: '1.2.3',
    startedAt: T0,
    staleMs: 5 * second,
    configHash: 'hash-1',
    tags: ['gpu'],
    slots: 8,
    role: 'all',
    ...overrides,
  };
}

const leaderLease = 'scheduler';

/** A heartbeat of `instanceId` at `at` with the job-file hash `configHash`. */
function beat(store: Store, instanceId: string, at: number, configHash: string, slotsInUse = 0) {
  return store.heartbeatNode(instanceId, { at, slotsInUse, configHash, leaderLease });
}

export function defineNodeTests(context: ContractContext): void {
  it('registers a process and refuses a second live process with the same name, naming the first', async () => {
    const { store } = context;
    const first = await store.registerNode(newNode());
    assert.equal(first.registered, true);
    const second_ = await store.registerNode(
      newNode({ instanceId: 'instance-b', pid: 99, startedAt: T0 + 2 * second }),
    );
    assert.equal(second_.registered, false);
    if (second_.registered) return;
    assert.deepEqual(
      [second_.holder.instanceId, second_.holder.host, second_.holder.pid, second_.holder.heartbeatAt],
      ['instance-a', 'host-1', 4242, T0],
    );
    assert.deepEqual(
      (await store.listNodes()).map((node) => [node.instanceId, node.state, node.tags]),
      [['instance-a', 'running', ['gpu']]],
      'the refused process wrote nothing',
    );
  });

  it('marks a live row whose heartbeat is older than its stale time stopped and registers the new process', async () => {
    const { store } = context;
    await store.registerNode(newNode());
    const later = await store.registerNode(newNode({ instanceId: 'instance-b', startedAt: T0 + 5 * second }));
    assert.equal(later.registered, true);
    const rows = await store.listNodes();
    assert.deepEqual(
      rows.map((node) => [node.instanceId, node.state, node.stateReason]),
      [
        ['instance-b', 'running', null],
        ['instance-a', 'stopped', 'its heartbeat stopped'],
      ],
    );
    assert.deepEqual(
      (await store.listNodes({ stoppedSince: T0 + 1 })).map((node) => node.instanceId),
      ['instance-b'],
      'stopped nodes not heard from since are left out',
    );
  });

  it('lets exactly one of two processes starting at once under one name register', async () => {
    const { harness } = context;
    const stores = await Promise.all([harness.open(), harness.open()]);
    try {
      for (let round = 0; round < 5; round++) {
        const results = await Promise.all(
          stores.map((store, index) =>
            store.registerNode(newNode({ name: `race-${round}`, instanceId: `race-${round}-${index}` })),
          ),
        );
        assert.equal(results.filter((result) => result.registered).length, 1, `round ${round}`);
      }
    } finally {
      await Promise.all(stores.map((store) => store.release()));
    }
  });

  it('answers the node state and the live leader in one heartbeat; a drain is seen at the next one', async () => {
    const { store } = context;
    await store.registerNode(newNode());
    await store.registerNode(newNode({ instanceId: 'instance-b', name: 'node-b', configHash: 'hash-2' }));
    assert.deepEqual(await beat(store, 'instance-b', T0 + second, 'hash-2', 2), {
      state: 'running',
      leader: null,
    });
    await store.acquireLease({ name: leaderLease, owner: 'instance-a', now: T0, until: T0 + 15 * second });
    assert.deepEqual(await beat(store, 'instance-b', T0 + 2 * second, 'hash-2', 1), {
      state: 'running',
      leader: { instanceId: 'instance-a', name: 'node-a', configHash: 'hash-1' },
    });
    const drained = await store.drainNode('node-b', T0 + 3 * second, 'drained by ops');
    assert.deepEqual([drained?.changed, drained?.node.state], [true, 'draining']);
    assert.equal((await store.drainNode('node-b', T0 + 3 * second, 'again'))?.changed, false);
    assert.equal(await store.drainNode('no-such-node', T0, 'x'), undefined);
    const seen = await beat(store, 'instance-b', T0 + 4 * second, 'hash-2', 0);
    assert.equal(seen?.state, 'draining');
    // The leader fell silent past its stale time: no live leader.
    assert.equal((await beat(store, 'instance-b', T0 + 6 * second, 'hash-2', 0))?.leader, null);
    const rows = await store.listNodes();
    assert.deepEqual(
      rows.map((node) => [node.name, node.heartbeatAt, node.slotsInUse]),
      [
        ['node-a', T0, 0],
        ['node-b', T0 + 6 * second, 0],
      ],
    );
    assert.equal(await store.stopNode('instance-b', T0 + 7 * second, 'stopped cleanly'), true);
    assert.equal(await store.stopNode('instance-b', T0 + 8 * second, 'again'), false);
    assert.equal(
      await beat(store, 'instance-b', T0 + 8 * second, 'h', 0),
      undefined,
      'a stopped node is told so',
    );
  });

  it("answers the leader's own new job-file hash when the leader's heartbeat brings it", async () => {
    const { store } = context;
    await store.registerNode(newNode());
    await store.acquireLease({ name: leaderLease, owner: 'instance-a', now: T0, until: T0 + 15 * second });
    // The leader reloaded an edited file: its heartbeat must not find it differing from itself.
    assert.deepEqual(await beat(store, 'instance-a', T0 + second, 'hash-edited', 0), {
      state: 'running',
      leader: { instanceId: 'instance-a', name: 'node-a', configHash: 'hash-edited' },
    });
    await store.registerNode(newNode({ instanceId: 'instance-b', name: 'node-b', configHash: 'hash-1' }));
    assert.deepEqual(
      (await beat(store, 'instance-b', T0 + 2 * second, 'hash-1', 0))?.leader?.configHash,
      'hash-edited',
      'a follower sees the hash the leader last sent',
    );
  });

  it('gives a lease at once to another owner when its holder is stopped or silent past its stale time', async () => {
    const { store } = context;
    await store.registerNode(newNode());
    await store.registerNode(newNode({ instanceId: 'instance-b', name: 'node-b' }));
    const lease = { name: leaderLease, now: T0 + second, until: T0 + 16 * second };
    assert.equal(await store.acquireLease({ ...lease, owner: 'instance-a' }), true);
    assert.equal(
      await store.acquireLease({ ...lease, owner: 'instance-b', now: T0 + 4 * second }),
      false,
      'a live holder keeps its lease',
    );
    assert.equal(
      await store.acquireLease({ ...lease, owner: 'instance-b', now: T0 + 5 * second }),
      true,
      'a holder silent for its stale time (5 s) has lost it, 11 s before the lease would expire',
    );
    await beat(store, 'instance-a', T0 + 5 * second, 'h', 0);
    await beat(store, 'instance-b', T0 + 5 * second, 'h', 0);
    assert.equal(await store.acquireLease({ ...lease, owner: 'instance-a', now: T0 + 6 * second }), false);
    await store.stopNode('instance-b', T0 + 6 * second, 'its pid is dead');
    assert.equal(
      await store.acquireLease({ ...lease, owner: 'instance-a', now: T0 + 6 * second }),
      true,
      'a stopped holder has lost it',
    );
    assert.equal((await store.getLease(leaderLease))?.owner, 'instance-a');
  });

  it('refuses a bad registration and writes nothing', async () => {
    const { store } = context;
    await assert.rejects(
      store.registerNode(newNode({ role: 'boss' as never })),
      (error: Error & { code?: string }) => error.code === 'store.input' && /role/.test(error.message),
    );
    await assert.rejects(store.registerNode(newNode({ name: '' })), /name/);
    assert.deepEqual(await store.listNodes(), []);
  });
}
