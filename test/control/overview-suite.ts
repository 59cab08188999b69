/**
 * The overview's operations of the Control contract: the last runs per job and fan-out key, and
 * the live stream of run changes, answered alike by each set-up on each store.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { Control, RunChangeView } from '../../src/control/index.ts';
import type { StoreHarness } from '../support/store-harness.ts';
import { waitFor } from '../support/engine-harness.ts';
import { startRig } from './control-rig.ts';
import type { ControlRig, RigKind } from './control-rig.ts';
import { refused } from './assert-refused.ts';

/** Follows run changes into `seen` until `stop` aborts. */
function follow(control: Control, seen: RunChangeView[], stop: AbortController): Promise<void> {
  return (async () => {
    for await (const change of control.followRuns({ signal: stop.signal })) seen.push(change);
  })();
}

export function defineOverviewSuite(kind: RigKind, storeName: string, harness: () => StoreHarness): void {
  describe(`Control overview (${kind}) on ${storeName}`, () => {
    let rig: ControlRig;
    beforeEach(async () => {
      rig = await startRig(kind, harness());
    });
    afterEach(async () => {
      await rig.release();
    });

    it('gives the last runs of each job and fan-out key, newest first, in one answer', async () => {
      const fanned = await rig.control().triggerJob('fanned');
      const again = await rig.control().triggerJob('fanned');
      const [report] = await rig.control().triggerJob('report');
      const recent = await rig.control().listRecentRuns({ perKey: 1 });
      assert.equal(recent.perKey, 1);
      assert.deepEqual(
        recent.keys.map((key) => [key.job, key.fanKey, key.runs.map((run) => run.id)]),
        [
          ['fanned', 'eu', [again[0]?.id]],
          ['fanned', 'us', [again[1]?.id]],
          ['report', '', [report?.id]],
          ['sweep', '', []],
          ['team-build', '', []],
          ['throttled', '', []],
        ],
      );
      assert.deepEqual(recent.keys[2]?.runs[0], {
        id: report?.id,
        status: 'pending',
        scheduledAt: report?.scheduledAt,
        durationMs: null,
      });
      const named = await rig.control().listRecentRuns({ jobs: ['fanned'] });
      assert.equal(named.perKey, 50);
      assert.deepEqual(
        named.keys.map((key) => key.runs.map((run) => run.id)),
        [
          [again[0]?.id, fanned[0]?.id],
          [again[1]?.id, fanned[1]?.id],
        ],
      );
    });

    it('gives an actor limited to some jobs only those, and refuses the others and bad counts', async () => {
      const team = await rig.control('team').listRecentRuns();
      assert.deepEqual(
        team.keys.map((key) => key.job),
        ['team-build'],
      );
      await refused(rig.control('team').listRecentRuns({ jobs: ['report'] }), 'forbidden', 'api.forbidden');
      await refused(rig.control().listRecentRuns({ jobs: ['nothing'] }), 'not_found', 'api.unknown-job');
      await refused(rig.control().listRecentRuns({ perKey: 101 }), 'bad_input', 'api.invalid', /query\.per/);
      await refused(rig.control().listRecentRuns({ perKey: 0 }), 'bad_input', 'api.invalid');
    });

    it('streams a run as it is created, starts and succeeds on another node; an actor sees only its jobs', async () => {
      const all: RunChangeView[] = [];
      const team: RunChangeView[] = [];
      const stop = new AbortController();
      const following = [follow(rig.control(), all, stop), follow(rig.control('team'), team, stop)];
      try {
        // The streams start when they are opened: trigger until both have seen a run created.
        const triggered: number[] = [];
        const created = await waitFor('both streams to see a run created', async () => {
          const seen = triggered.find(
            (id) => all.some((change) => change.id === id) && team.some((change) => change.id === id),
          );
          if (seen !== undefined) return seen;
          const [run] = await rig.control().triggerJob('team-build');
          if (run !== undefined) triggered.push(run.id);
          return undefined;
        });
        const [report] = await rig.control().triggerJob('report');
        const now = Date.now();
        const [claimed] = await rig.store.claimRuns({
          node: 'other-node',
          now,
          limit: 1,
          leaseMs: 60_000,
          runIds: [created],
        });
        assert.equal(claimed?.id, created);
        assert.ok(
          await rig.store.finishRun(created, 'other-node', { status: 'succeeded', finishedAt: now + 1500 }),
        );
        await waitFor('the end in both streams', () =>
          [all, team].every((seen) => seen.some((c) => c.id === created && c.status === 'succeeded')),
        );
        await waitFor('the report run', () => all.some((change) => change.id === report?.id));
        for (const seen of [all, team]) {
          assert.deepEqual(
            seen.filter((change) => change.id === created).map((change) => change.status),
            ['pending', 'running', 'succeeded'],
          );
        }
        const end = all.find((change) => change.id === created && change.status === 'succeeded');
        assert.equal(end?.job, 'team-build');
        assert.equal(end?.fanKey, '');
        assert.equal(end?.durationMs, 1500);
        assert.equal(end?.finishedAt, new Date(now + 1500).toISOString());
        assert.equal(
          all.find((change) => change.id === created && change.status === 'running')?.finishedAt,
          null,
        );
        assert.ok(team.every((change) => change.job === 'team-build'));
      } finally {
        stop.abort();
        await Promise.all(following);
      }
    });
  });
}
