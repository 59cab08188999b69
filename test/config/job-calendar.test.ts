import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { calendarCache, compileJobCalendar, nextFires } from '../../src/config/index.ts';
import { configOf } from '../support/engine-harness.ts';

const T0 = Date.UTC(2026, 0, 5, 12, 0, 0);

describe("a job's calendar compiled for a load", () => {
  const config = configOf(
    [
      'version: 1',
      'jobs:',
      '  a: { schedule: "5 * * * *", run: "true" }',
      '  b: { schedule: "5 * * * *", run: "true" }',
      '  c: { schedule: "5 * * * *", run: "true", timezone: Asia/Kolkata }',
      '  d: { schedule: ["5 * * * *"], run: "true" }',
      '',
    ].join('\n'),
  );
  const job = (name: string) => {
    const found = config.jobs.find((entry) => entry.name === name);
    assert.ok(found !== undefined);
    return found;
  };

  it('is one calendar for the jobs that share a schedule text and a zone', () => {
    const cache = calendarCache();
    const [a, b] = [job('a'), job('b')];
    const calendar = compileJobCalendar(a.schedules, a.timezone, cache);
    assert.equal(compileJobCalendar(b.schedules, b.timezone, cache), calendar);
    assert.deepEqual(nextFires(calendar, T0, 2), [T0 + 5 * 60_000, T0 + 65 * 60_000]);
  });

  it('is its own for another zone or a list of schedules of its own, and fires the same', () => {
    const cache = calendarCache();
    const [a, c, d] = [job('a'), job('c'), job('d')];
    const shared = compileJobCalendar(a.schedules, a.timezone, cache);
    const zoned = compileJobCalendar(c.schedules, c.timezone, cache);
    const listed = compileJobCalendar(d.schedules, d.timezone, cache);
    assert.notEqual(zoned, shared);
    assert.notEqual(listed, shared);
    // Kolkata is 5:30 ahead: its minute 5 is UTC's minute 35.
    assert.deepEqual(nextFires(zoned, T0, 1), [T0 + 35 * 60_000]);
    assert.deepEqual(nextFires(listed, T0, 2), nextFires(shared, T0, 2));
  });

  it('is compiled anew without a cache', () => {
    const a = job('a');
    assert.notEqual(compileJobCalendar(a.schedules, a.timezone), compileJobCalendar(a.schedules, a.timezone));
  });
});
