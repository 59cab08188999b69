import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RunPageCache } from '../../src/control/index.ts';
import type { RunPage } from '../../src/control/index.ts';

function pageOf(id: number): RunPage {
  return { runs: [], nextCursor: id };
}

describe('RunPageCache', () => {
  it('gives the kept page for the same query and mark, and reads again when the mark moved', async () => {
    const cache = new RunPageCache();
    let reads = 0;
    const read = async (): Promise<RunPage> => pageOf(++reads);
    const first = await cache.pageOf('q', 'm1', read);
    assert.equal(await cache.pageOf('q', 'm1', read), first);
    assert.equal(reads, 1);
    assert.equal((await cache.pageOf('q', 'm2', read)).nextCursor, 2, 'a moved mark reads again');
    assert.equal((await cache.pageOf('other', 'm2', read)).nextCursor, 3, 'each query its own page');
    assert.deepEqual(cache.counts, { hits: 1, misses: 3 });
    assert.ok(Object.isFrozen(first), 'a kept page cannot be changed by one of its readers');
  });

  it('lets requests that come during a read wait for it, and keeps no failed read', async () => {
    const cache = new RunPageCache();
    let reads = 0;
    let release: (page: RunPage) => void = () => undefined;
    const slow = async (): Promise<RunPage> => {
      reads++;
      return new Promise((resolve) => (release = resolve));
    };
    const both = Promise.all([cache.pageOf('q', 'm', slow), cache.pageOf('q', 'm', slow)]);
    release(pageOf(7));
    const [a, b] = await both;
    assert.equal(a, b);
    assert.equal(reads, 1);
    const failing = async (): Promise<RunPage> => Promise.reject(new Error('store down'));
    await assert.rejects(cache.pageOf('f', 'm', failing), /store down/);
    assert.equal(
      (await cache.pageOf('f', 'm', async () => pageOf(9))).nextCursor,
      9,
      'read again after a failure',
    );
  });

  it('keeps at most its size of pages, the oldest going first', async () => {
    const cache = new RunPageCache({ pages: 2, runs: 100 });
    let reads = 0;
    const read = async (): Promise<RunPage> => pageOf(++reads);
    await cache.pageOf('a', 'm', read);
    await cache.pageOf('b', 'm', read);
    await cache.pageOf('c', 'm', read);
    await cache.pageOf('b', 'm', read);
    assert.equal(reads, 3, 'b was still kept');
    await cache.pageOf('a', 'm', read);
    assert.equal(reads, 4, 'a had gone first');
  });

  it('keeps at most its number of runs in all, the oldest pages going first', async () => {
    const cache = new RunPageCache({ pages: 10, runs: 5 });
    let reads = 0;
    const read = (runs: number) => async (): Promise<RunPage> => {
      reads++;
      return { runs: Array.from({ length: runs }, () => ({}) as RunPage['runs'][number]), nextCursor: null };
    };
    await cache.pageOf('a', 'm', read(3));
    await cache.pageOf('b', 'm', read(2));
    await cache.pageOf('a', 'm', read(3));
    assert.equal(reads, 2, 'five runs fit');
    await cache.pageOf('c', 'm', read(1));
    await cache.pageOf('b', 'm', read(2));
    assert.equal(reads, 3, 'b was still kept');
    await cache.pageOf('a', 'm', read(3));
    assert.equal(reads, 4, 'a had gone to make room');
  });
});
