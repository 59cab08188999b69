/**
 * `Engine.runEndsTold`: what waits for the alerts of a run's end. A run's end is recorded, then
 * told to `onRunEnded` without holding up the worker; `runEndsTold` resolves once every end
 * recorded so far has been told, its listener done.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { manualClock } from '../../src/clock/index.ts';
import { Engine } from '../../src/engine/index.ts';
import type { RunEnd } from '../../src/engine/index.ts';
import { configOf, ControlledWork, silentLogger, waitFor } from '../support/engine-harness.ts';
import { createSqliteHarness } from '../support/sqlite.ts';

const harness = await createSqliteHarness();
after(() => harness.close());

describe('the engine tells run ends', () => {
  it('resolves runEndsTold only once the listener of every recorded end has finished', async () => {
    const store = await harness.open();
    const work = new ControlledWork();
    const entered: number[] = [];
    let open!: () => void;
    const gate = new Promise<void>((resolve) => (open = resolve));
    const engine = new Engine({
      store,
      clock: manualClock(Date.parse('2026-03-14T02:00:00Z')),
      node: 'node-a',
      logger: silentLogger,
      execute: work.execute,
      schedule: false,
      onRunEnded: async (end: RunEnd) => {
        entered.push(end.run.id);
        await gate;
      },
    });
    try {
      await engine.start(configOf('version: 1\njobs:\n  a: { run: "true" }\n'));
      await engine.runEndsTold(); // nothing ended yet: at once
      const [run] = await engine.trigger({ job: 'a' });
      await waitFor('the listener is told', () => entered.includes(run?.id ?? -1));
      let told = false;
      const telling = engine.runEndsTold().then(() => (told = true));
      await new Promise((resolve) => setTimeout(resolve, 50));
      assert.equal(told, false, 'not while the listener is under way');
      open();
      await telling;
      assert.equal(told, true);
    } finally {
      open();
      await engine.drain(0);
      await store.release();
    }
  });
});
