/** The dashboard says durations the way people do: the biggest unit and the one below it, no zero part. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { humaneDuration } from '../../web/src/parts/humane-duration.ts';

describe('a duration for people', () => {
  for (const [ms, said] of [
    [null, '—'],
    [0, '0 ms'],
    [850, '850 ms'],
    [999.6, '1.0 s'],
    [59_960, '1 min'],
    [4_200, '4.2 s'],
    [59_949, '59.9 s'],
    [60_000, '1 min'],
    [185_000, '3 min 5 s'],
    [900_000, '15 min'],
    [3_599_400, '59 min 59 s'],
    [3_600_000, '1 h'],
    [7_800_000, '2 h 10 min'],
    [86_400_000, '1 d'],
    [273_600_000, '3 d 4 h'],
  ] as const) {
    it(`says ${String(ms)} ms as ${said}`, () => {
      assert.equal(humaneDuration(ms), said);
    });
  }
});
