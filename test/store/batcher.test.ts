import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Batcher } from '../../src/store/batcher.ts';

describe('Batcher (group commit)', () => {
  it('writes calls made in the same turn as one batch, each getting its own answer', async () => {
    const batches: number[][] = [];
    const batcher = new Batcher<number, number>(async (items) => {
      batches.push([...items]);
      return items.map((item) => item * 10);
    });
    assert.deepEqual(await Promise.all([1, 2, 3].map((item) => batcher.add(item))), [10, 20, 30]);
    assert.deepEqual(batches, [[1, 2, 3]]);
  });

  it('collects calls made during a write into the next write', async () => {
    const batches: number[][] = [];
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const batcher = new Batcher<number, number>(async (items) => {
      batches.push([...items]);
      if (batches.length === 1) await gate;
      return items;
    });
    const first = batcher.add(1);
    await new Promise((resolve) => setImmediate(resolve));
    const later = [batcher.add(2), batcher.add(3)];
    release();
    assert.deepEqual(await Promise.all([first, ...later]), [1, 2, 3]);
    assert.deepEqual(batches, [[1], [2, 3]]);
  });

  it('splits a long queue at the batch size and fails only the batch whose write failed', async () => {
    const batches: number[][] = [];
    const batcher = new Batcher<number, number>(async (items) => {
      batches.push([...items]);
      if (items.includes(3)) throw new Error('disk full');
      return items;
    }, 2);
    const results = await Promise.allSettled([1, 2, 3, 4, 5].map((item) => batcher.add(item)));
    assert.deepEqual(
      results.map((result) => result.status),
      ['fulfilled', 'fulfilled', 'rejected', 'rejected', 'fulfilled'],
    );
    assert.deepEqual(batches, [[1, 2], [3, 4], [5]]);
  });

  it('drains every call made so far', async () => {
    const written: number[] = [];
    const batcher = new Batcher<number, void>(async (items) => {
      written.push(...items);
      return items.map(() => undefined);
    });
    const pending = [batcher.add(1), batcher.add(2)];
    await batcher.drain();
    assert.deepEqual(written, [1, 2]);
    await Promise.all(pending);
    await batcher.drain();
  });
});
