import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { manualClock } from '../../src/clock/index.ts';
import { LeaseFence } from '../../src/engine/lease-fence.ts';

const T0 = Date.UTC(2026, 0, 1);

function fenceOn(clock: ReturnType<typeof manualClock>): { fence: LeaseFence; fenced: number[][] } {
  const fenced: number[][] = [];
  const fence = new LeaseFence({ clock, marginMs: 100, onExpiring: (ids) => fenced.push([...ids]) });
  return { fence, fenced };
}

describe('LeaseFence', () => {
  it('fences each run at its lease end less the margin, whatever order the runs were held in', () => {
    const clock = manualClock(T0);
    const { fence, fenced } = fenceOn(clock);
    fence.hold([1], T0 + 1000);
    fence.hold([2], T0 + 2000);
    fence.hold([3], T0 + 500);
    clock.advance(399);
    assert.deepEqual(fenced, []);
    clock.advance(1);
    assert.deepEqual(fenced, [[3]]);
    clock.advance(500);
    assert.deepEqual(fenced, [[3], [1]]);
    clock.advance(1000);
    assert.deepEqual(fenced, [[3], [1], [2]]);
    assert.equal(clock.pendingTimers(), 0);
  });

  it('keeps one timer while held runs have later leases than the one it is set for', () => {
    const clock = manualClock(T0);
    const { fence } = fenceOn(clock);
    for (let id = 1; id <= 300; id++) fence.hold([id], T0 + 1000 + id);
    assert.equal(clock.pendingTimers(), 1);
    fence.release();
    assert.equal(clock.pendingTimers(), 0);
  });

  it('moves on to the next lease when the earliest run is dropped or renewed', () => {
    const clock = manualClock(T0);
    const { fence, fenced } = fenceOn(clock);
    fence.hold([1], T0 + 1000);
    fence.hold([2], T0 + 3000);
    fence.drop(1);
    fence.renewed([2], T0 + 4000);
    fence.hold([3], T0 + 5000);
    clock.advance(3900);
    assert.deepEqual(fenced, [[2]]);
    clock.advance(1000);
    assert.deepEqual(fenced, [[2], [3]]);
  });
});
