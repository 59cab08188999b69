/** A run's secret parameter values: kept apart from `params`, only while the run may still execute. */
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { it } from 'node:test';
import { SecretParams } from '../../../src/store/index.ts';
import type { RunRecord } from '../../../src/store/index.ts';
import type { ContractContext } from './context.ts';
import { newRun, second, T0 } from './context.ts';

const token = 'tok3n-VALUE-0123456789';

export function defineSecretParamTests(context: ContractContext): void {
  const rawColumn = async (id: number): Promise<string | null> => {
    const { harness } = context;
    const rows = await harness.query<{ secret_params: string | null }>(
      harness.url,
      `SELECT secret_params FROM runs WHERE id = ${id}`,
    );
    return rows[0]?.secret_params ?? null;
  };
  const queue = async (count: number): Promise<readonly RunRecord[]> => {
    const { inserted } = await context.store.insertRuns(
      Array.from({ length: count }, () =>
        newRun({ params: { token: '***', who: 'me' }, secretParams: new SecretParams({ token }) }),
      ),
    );
    return inserted;
  };
  const claim = { node: 'node-a', now: T0, limit: 10, leaseMs: 30 * second };

  it('keeps secret parameter values apart from params, and gives them to the claim only', async () => {
    const { store } = context;
    const [queued] = (await queue(1)) as [RunRecord];
    assert.deepEqual(queued.params, { token: '***', who: 'me' });
    assert.equal(await rawColumn(queued.id), JSON.stringify({ token }));
    const read = await store.getRunOrThrow(queued.id);
    assert.deepEqual(read.secretParams?.reveal(), { token });
    assert.doesNotMatch(JSON.stringify(read), new RegExp(token), 'a record prints them as ***');
    assert.doesNotMatch(inspect(read), new RegExp(token));
    const [claimed] = await store.claimRuns(claim);
    assert.deepEqual(claimed?.secretParams?.reveal(), { token });
  });

  it('clears them when a run ends, whichever way: finished, cancelled, lost', async () => {
    const { store } = context;
    const [finished, cancelled, lost, pending] = (await queue(4)) as [
      RunRecord,
      RunRecord,
      RunRecord,
      RunRecord,
    ];
    await store.claimRuns({ ...claim, runIds: [finished.id, cancelled.id, lost.id] });
    assert.equal(
      await store.finishRun(finished.id, 'node-a', { status: 'failed', finishedAt: T0 + second }),
      true,
    );
    assert.equal(await store.cancelRun(cancelled.id, { at: T0 + second, reason: 'test' }), true);
    const expired = await store.expireLeases(T0 + 60 * second);
    assert.deepEqual(
      expired.map((run) => [run.id, run.secretParams?.reveal()]),
      [[lost.id, { token }]],
      'the sweep still sees them, so a retry of a lost run can carry them on',
    );
    for (const run of [finished, cancelled, lost]) {
      assert.equal(
        await rawColumn(run.id),
        null,
        `run ${run.id} (${(await store.getRunOrThrow(run.id)).status})`,
      );
      assert.equal((await store.getRunOrThrow(run.id)).secretParams, undefined);
    }
    assert.equal(await rawColumn(pending.id), JSON.stringify({ token }), 'a pending run keeps them');
  });

  it('keeps none for a run recorded as skipped', async () => {
    const { store } = context;
    const { inserted } = await store.insertRuns([
      newRun({ status: 'skipped', params: { token: '***' }, secretParams: new SecretParams({ token }) }),
    ]);
    const [skipped] = inserted as [RunRecord];
    assert.equal(skipped.secretParams, undefined);
    assert.equal(await rawColumn(skipped.id), null);
    assert.equal((await store.getRunOrThrow(skipped.id)).secretParams, undefined);
  });
}
