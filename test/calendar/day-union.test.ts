/**
 * The day rule exporters use: day of month OR weekday only when both are restricted and neither is
 * written from `*`, checked against the engine's own fires for each form.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { compileSchedule, dayUnion, effectiveDayMatch, parseCron } from '../../src/calendar/index.ts';
import type { CalendarSpec } from '../../src/calendar/index.ts';

const start = Date.UTC(2026, 0, 1);

function firesOfUnion(specs: readonly CalendarSpec[]): number[] {
  const all = specs.flatMap((spec) => compileSchedule(spec, { timezone: 'UTC' }).upcoming(start, 200));
  return [...new Set(all)].sort((a, b) => a - b).slice(0, 200);
}

describe('dayUnion and effectiveDayMatch', () => {
  const cases: [string, 'and' | 'or', number][] = [
    ['0 0 13 * 5', 'or', 2],
    ['0 0 */2 * 1', 'and', 1],
    ['0 0 1 * *', 'and', 1],
    ['0 0 * * 1-5', 'and', 1],
    ['0 0 1,15 * *,1', 'and', 1],
  ];
  for (const [text, match, parts] of cases) {
    it(`${text}: ${match}, ${parts} spec(s) with the engine's fires`, () => {
      const spec = parseCron(text);
      assert.equal(spec.kind, 'calendar');
      if (spec.kind !== 'calendar') return;
      assert.equal(effectiveDayMatch(spec), match);
      const union = dayUnion(spec);
      assert.equal(union.length, parts);
      assert.ok(union.every((part) => part.dayMatch === 'and'));
      assert.deepEqual(firesOfUnion(union), compileSchedule(spec, { timezone: 'UTC' }).upcoming(start, 200));
    });
  }
});
