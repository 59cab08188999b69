import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { defaultLookAheadMs, firesAhead, leadOf, recordMsPerRun } from '../../src/engine/scheduler.ts';
import { configOf } from '../support/engine-harness.ts';

function job(line: string) {
  const [resolved] = configOf(`version: 1\njobs:\n  j: ${line}\n`).jobs;
  assert.ok(resolved !== undefined);
  return resolved;
}

describe('firing ahead', () => {
  it('records ahead only the fires of allow jobs, whose runs depend on nothing at the fire instant', () => {
    assert.equal(firesAhead(job('{ schedule: every 1s, concurrency: allow, run: "true" }')), true);
    assert.equal(firesAhead(job('{ schedule: every 1s, run: "true" }')), false, 'forbid, the default');
    assert.equal(firesAhead(job('{ schedule: every 1s, concurrency: replace, run: "true" }')), false);
    assert.equal(firesAhead(job('{ schedule: every 1s, concurrency: queue, run: "true" }')), false);
  });

  it('records a large fan-out earlier, by what writing its runs may take', () => {
    const tenants = Array.from({ length: 100_000 }, (_, index) => `t${index}`).join(',');
    const single = job('{ schedule: every 1s, concurrency: allow, run: "true" }');
    const wide = job(
      `{ schedule: "0 2 * * *", concurrency: allow, for_each: { t: "${tenants}" }, run: "true" }`,
    );
    assert.equal(leadOf(single, defaultLookAheadMs), defaultLookAheadMs);
    assert.equal(leadOf(wide, defaultLookAheadMs), defaultLookAheadMs + 100_000 * recordMsPerRun);
    assert.equal(leadOf(wide, 0), 0, 'no look-ahead at all when it is turned off');
  });
});
