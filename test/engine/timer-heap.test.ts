import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TimerHeap } from '../../src/engine/timer-heap.ts';

/** A seeded stream of numbers in [0, 1): the same cases on every run. */
function seeded(seed: number): () => number {
  let state = seed;
  return () => {
    state = (state * 1_103_515_245 + 12_345) % 2_147_483_648;
    return state / 2_147_483_648;
  };
}

/** Pops everything: the keys with their times, in the order they come out. */
function drain(heap: TimerHeap<string>): [string, number][] {
  const out: [string, number][] = [];
  while (heap.size > 0) {
    const time = heap.peekTime() as number;
    out.push([heap.pop() as string, time]);
  }
  return out;
}

/** The times a model keeps, sorted: what the heap must give back. */
function sortedTimes(model: ReadonlyMap<string, number>): number[] {
  return [...model.values()].sort((a, b) => a - b);
}

describe('the timer heap', () => {
  it('gives keys back earliest first, and moves a key pushed again', () => {
    const heap = new TimerHeap<string>();
    heap.push('c', 30);
    heap.push('a', 10);
    heap.push('b', 20);
    heap.push('c', 5);
    heap.push('a', 40);
    assert.equal(heap.size, 3);
    assert.deepEqual(drain(heap), [
      ['c', 5],
      ['b', 20],
      ['a', 40],
    ]);
    assert.equal(heap.pop(), undefined);
  });

  it('keeps order and every key findable through thousands of random pushes, moves and deletes', () => {
    const random = seeded(7);
    const heap = new TimerHeap<string>();
    const model = new Map<string, number>();
    for (let step = 0; step < 5_000; step++) {
      const key = `k${Math.floor(random() * 800)}`;
      if (random() < 0.2) {
        assert.equal(heap.delete(key), model.delete(key));
      } else {
        const time = Math.floor(random() * 10_000);
        heap.push(key, time);
        model.set(key, time);
      }
      if (step % 500 === 0) {
        for (const [known, time] of model) assert.equal(heap.timeOf(known), time, known);
        assert.equal(heap.peekTime(), Math.min(...model.values()));
      }
    }
    assert.equal(heap.size, model.size);
    const drained = drain(heap);
    assert.deepEqual(
      drained.map(([, time]) => time),
      sortedTimes(model),
    );
    for (const [key, time] of drained) assert.equal(model.get(key), time, key);
  });

  it('is filled at once by reset, as by as many pushes, and works as usual afterwards', () => {
    const random = seeded(11);
    const keys = Array.from({ length: 3_000 }, (_, index) => `job-${index}`);
    const times = keys.map(() => Math.floor(random() * 1_000_000));
    times[5] = 3;
    const heap = new TimerHeap<string>();
    heap.push('left-over', 1);
    heap.reset(keys, times);
    const model = new Map(keys.map((key, index) => [key, times[index] as number]));
    assert.equal(heap.size, model.size);
    assert.equal(heap.has('left-over'), false);
    for (const [key, time] of model) assert.equal(heap.timeOf(key), time, key);
    assert.equal(heap.peekKey(), 'job-5');
    heap.push('job-7', 0);
    model.set('job-7', 0);
    assert.equal(heap.delete('job-9'), true);
    model.delete('job-9');
    const drained = drain(heap);
    assert.deepEqual(
      drained.map(([, time]) => time),
      sortedTimes(model),
    );
    assert.equal(drained[0]?.[0], 'job-7');
  });

  it('refuses a reset with a key given twice, or keys and times of different lengths, and is left empty', () => {
    const heap = new TimerHeap<string>();
    heap.push('a', 1);
    assert.throws(() => heap.reset(['a', 'b', 'a'], [1, 2, 3]), /a key is given twice/);
    assert.equal(heap.size, 0);
    assert.equal(heap.has('b'), false);
    assert.throws(() => heap.reset(['a'], [1, 2]), /as many keys as times/);
    heap.push('c', 4);
    assert.deepEqual(drain(heap), [['c', 4]]);
  });
});
