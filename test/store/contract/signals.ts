/** Store signals: wake-ups between the stores (nodes) sharing one database. */
import assert from 'node:assert/strict';
import { it } from 'node:test';
import type { Store } from '../../../src/store/index.ts';
import { waitFor } from '../../support/engine-harness.ts';
import type { ContractContext } from './context.ts';

/** The next payload `channel` brings to `store`, and a stop for the listener. */
async function nextSignal(
  store: Store,
  channel: string,
): Promise<{ heard: Promise<string>; stop: () => void }> {
  let resolve: (payload: string) => void = () => undefined;
  const heard = new Promise<string>((done) => (resolve = done));
  const stop = await store.onSignal(channel, (payload) => resolve(payload));
  return { heard, stop };
}

export function defineSignalTests(context: ContractContext): void {
  it('a signal reaches the listeners of every store on the database, its own included, with its payload', async () => {
    const { store, harness } = context;
    const other = await harness.open();
    try {
      const here = await nextSignal(store, 'runs_queued');
      const there = await nextSignal(other, 'runs_queued');
      const elsewhere: string[] = [];
      const stopElsewhere = await other.onSignal('lease_released', (payload) => elsewhere.push(payload));
      await store.signal('runs_queued', 'job=backup');
      assert.equal(await there.heard, 'job=backup');
      assert.equal(await here.heard, 'job=backup');
      // A signal without a payload brings an empty one.
      const again = await nextSignal(other, 'runs_queued');
      await other.signal('runs_queued');
      assert.equal(await again.heard, '');
      assert.deepEqual(elsewhere, []);
      for (const stop of [here.stop, there.stop, again.stop, stopElsewhere]) stop();
    } finally {
      await other.release();
    }
  });

  it('a stopped listener hears nothing more, while the others on the channel still do', async () => {
    const { store, harness } = context;
    const other = await harness.open();
    try {
      const stopped: string[] = [];
      const stop = await other.onSignal('wake', (payload) => stopped.push(payload));
      const kept = await nextSignal(other, 'wake');
      stop();
      stop();
      await store.signal('wake', 'one');
      assert.equal(await kept.heard, 'one');
      const last = await nextSignal(other, 'wake');
      await store.signal('wake', 'two');
      assert.equal(await last.heard, 'two');
      assert.deepEqual(stopped, []);
      kept.stop();
      last.stop();
    } finally {
      await other.release();
    }
  });

  it('a listener that throws does not keep the others from hearing the signal', async () => {
    const { store } = context;
    const warnings: string[] = [];
    const onWarning = (warning: Error): void => void warnings.push(warning.message);
    process.on('warning', onWarning);
    try {
      const stopThrowing = await store.onSignal('wake', () => {
        throw new Error('listener bug');
      });
      const kept = await nextSignal(store, 'wake');
      await store.signal('wake', 'x');
      assert.equal(await kept.heard, 'x');
      stopThrowing();
      kept.stop();
      await new Promise((resolve) => setImmediate(resolve));
      assert.ok(warnings.some((message) => message.includes('listener bug')));
    } finally {
      process.off('warning', onWarning);
    }
  });

  it('counts the other stores listening on the database: one more while another listens, as many again once it is gone', async () => {
    const { harness } = context;
    const here = await harness.open();
    const other = await harness.open();
    try {
      const stopHere = await here.onSignal('wake', () => undefined);
      // The file's store may listen too: the counts are relative to what was there before.
      const before = await here.countListeningPeers();
      const stopOther = await other.onSignal('runs_queued', () => undefined);
      assert.equal(await here.countListeningPeers(), before + 1);
      // Each sees the other and the same third parties, not itself.
      assert.equal(await other.countListeningPeers(), before + 1);
      stopOther();
      stopHere();
      await other.release();
      await waitFor('the released store no longer counted', async () =>
        (await here.countListeningPeers()) === before ? true : undefined,
      );
    } finally {
      await other.release();
      await here.release();
    }
  });

  it('refuses a channel that is not a plain name and a payload that is too long, sending nothing', async () => {
    const { store } = context;
    const heard: string[] = [];
    const stop = await store.onSignal('wake', (payload) => heard.push(payload));
    for (const channel of ['', 'Wake', 'wake; DROP TABLE runs', '"wake"', 'a'.repeat(41), '1wake']) {
      await assert.rejects(store.signal(channel, 'x'), { code: 'store.input' });
      await assert.rejects(
        store.onSignal(channel, () => undefined),
        { code: 'store.input' },
      );
    }
    await assert.rejects(store.signal('wake', 'x'.repeat(1001)), { code: 'store.input' });
    const ok = await nextSignal(store, 'wake');
    await store.signal('wake', 'fine');
    assert.equal(await ok.heard, 'fine');
    assert.deepEqual(heard, ['fine']);
    stop();
    ok.stop();
  });

  it('keeps its missed-signal mark while it hears every signal, and moves it when it may have missed some', async () => {
    const { store, harness } = context;
    const other = await harness.open();
    try {
      const heard = await nextSignal(store, 'wake');
      const before = await store.readMissedSignalMark();
      await other.signal('wake', 'heard');
      assert.equal(await heard.heard, 'heard');
      // A signal heard, and this store's own writes: nothing was missed.
      await store.heartbeatNode('nobody', {
        at: 1,
        slotsInUse: 0,
        configHash: 'x',
        leaderLease: 'scheduler',
      });
      assert.equal(await store.readMissedSignalMark(), before);
      if (harness.dialect === 'sqlite') {
        // Another connection's commit (another process, a CLI) sends no signal here: the mark moves.
        await other.setJobPaused('nobody', true, 1);
        await other.acquireLease({ name: 'mark-test', owner: 'other', now: 1, until: 2 });
        const after = await store.readMissedSignalMark();
        assert.notEqual(after, before);
        assert.equal(await store.readMissedSignalMark(), after);
      } else {
        // Writes elsewhere come with their signals; a lost listening connection moves the mark.
        await other.acquireLease({ name: 'mark-test', owner: 'other', now: 1, until: 2 });
        assert.equal(await store.readMissedSignalMark(), before);
        await harness.query(
          harness.url,
          "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE application_name = 'cronplane-signals' AND datname = current_database()",
        );
        await waitFor('a mark other than before, the same twice (listening again)', async () => {
          const first = await store.readMissedSignalMark();
          const second = await store.readMissedSignalMark();
          return first !== before && first === second ? true : undefined;
        });
      }
      heard.stop();
    } finally {
      await other.release();
    }
  });

  it('listens again after its connection was lost, hearing the signals sent after that', async (t) => {
    const { store, harness } = context;
    if (harness.dialect !== 'postgres') {
      t.diagnostic('SQLite signals have no connection to lose');
      const once = await nextSignal(store, 'wake');
      await store.signal('wake', 'local');
      assert.equal(await once.heard, 'local');
      once.stop();
      return;
    }
    const other = await harness.open();
    try {
      const heard: string[] = [];
      const stop = await other.onSignal('wake', (payload) => heard.push(payload));
      const killed = await harness.query<{ killed: boolean }>(
        harness.url,
        "SELECT pg_terminate_backend(pid) AS killed FROM pg_stat_activity WHERE application_name = 'cronplane-signals' AND datname = current_database()",
      );
      assert.ok(killed.length >= 1);
      // Signals are hints: keep sending until the listener is back (the back-off starts at 100 ms).
      for (let attempt = 0; heard.length === 0 && attempt < 200; attempt++) {
        await store.signal('wake', `after-${attempt}`);
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      assert.match(heard[0] ?? '', /^after-\d+$/);
      stop();
    } finally {
      await other.release();
    }
  });
}
