/** A watcher's looks and its one timer, on a manual clock. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { manualClock } from '../../src/clock/index.ts';
import { WatchLoop } from '../../src/watchers/index.ts';

const T0 = Date.UTC(2026, 0, 1, 0, 0, 0);

/** A look that waits until the test lets it finish, and records when each started. */
function gatedLook() {
  const started: number[] = [];
  const gates: (() => void)[] = [];
  let finished = 0;
  const look = async (): Promise<number> => {
    started.push(started.length + 1);
    await new Promise<void>((resolve) => gates.push(resolve));
    finished += 1;
    return finished;
  };
  const open = async () => {
    while (gates.length === 0) await new Promise((resolve) => setImmediate(resolve));
    gates.shift()?.();
  };
  return { look, started, open, finished: () => finished };
}

describe('a watch loop', () => {
  it('runs a look asked for during another after it, never two at once', async () => {
    const clock = manualClock(T0);
    const gated = gatedLook();
    const loop = new WatchLoop(clock, gated.look, 0);
    const first = loop.lookNow();
    const second = loop.lookNow();
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(gated.started.length, 1, 'the second waits for the first');
    await gated.open();
    assert.equal(await first, 1);
    await gated.open();
    assert.equal(await second, 2);
  });

  it('looks when its timer falls due, then lets the watcher arm the next', async () => {
    const clock = manualClock(T0);
    const looks: number[] = [];
    const loop = new WatchLoop(
      clock,
      () => {
        looks.push(clock.now());
        return Promise.resolve();
      },
      undefined,
    );
    const arm = () => loop.lookIn(1000, arm);
    loop.start();
    arm();
    assert.equal(loop.armedAt, T0 + 1000);
    clock.advance(999);
    assert.deepEqual(looks, []);
    clock.advance(1);
    await new Promise((resolve) => setImmediate(resolve));
    assert.deepEqual(looks, [T0 + 1000]);
    assert.equal(loop.armedAt, T0 + 2000, 'the watcher armed the next look');
    await loop.release();
  });

  it('arms nothing before it starts or once released, and release waits for the look under way', async () => {
    const clock = manualClock(T0);
    const gated = gatedLook();
    const loop = new WatchLoop(clock, gated.look, 0);
    loop.lookIn(1000);
    assert.equal(clock.pendingTimers(), 0, 'not started');
    loop.start();
    loop.lookAt(T0 - 5000);
    assert.equal(loop.armedAt, T0 - 5000, 'a time already past is looked at at once');
    await gated.open();
    let released = false;
    loop.lookIn(1000);
    clock.advance(1000);
    const release = loop.release().then(() => (released = true));
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(released, false, 'the look under way is waited for');
    await gated.open();
    await release;
    assert.equal(gated.finished(), 2);
    loop.lookIn(1000);
    assert.equal(clock.pendingTimers(), 0, 'released');
  });
});
