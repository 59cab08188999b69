import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { formatDuration, parseDuration } from '../../src/calendar/duration.ts';
import { assertCalendarError } from './assert-calendar-error.ts';

describe('parseDuration', () => {
  it('reads every unit and combinations of them', () => {
    assert.equal(parseDuration('500ms'), 500);
    assert.equal(parseDuration('30s'), 30_000);
    assert.equal(parseDuration('10m'), 600_000);
    assert.equal(parseDuration('24h'), 86_400_000);
    assert.equal(parseDuration('7d'), 604_800_000);
    assert.equal(parseDuration('2w'), 1_209_600_000);
    assert.equal(parseDuration('1h30m'), 5_400_000);
    assert.equal(parseDuration('1h 30m 15s'), 5_415_000);
    assert.equal(parseDuration('90 seconds'), 90_000);
    assert.equal(parseDuration('2 hours'), 7_200_000);
    assert.equal(parseDuration('1.5s'), 1500);
    assert.equal(parseDuration('  10M  '), 600_000);
  });

  it('reports a missing unit where the unit should be', () => {
    assertCalendarError(() => parseDuration('30'), {
      position: 2,
      message: /"30" has no unit/,
      code: 'duration.invalid',
    });
  });

  it('reports an unknown unit at its position', () => {
    assertCalendarError(() => parseDuration('10m 5y'), {
      position: 5,
      message: /"y" is not a unit/,
      code: 'duration.invalid',
    });
  });

  it('reports a token that is not a number', () => {
    assertCalendarError(() => parseDuration('1h abc'), {
      position: 3,
      message: /"abc" is not a number/,
      code: 'duration.invalid',
    });
  });

  it('rejects an empty duration and fractions of a millisecond', () => {
    assertCalendarError(() => parseDuration('   '), {
      position: 3,
      message: /found nothing/,
      code: 'duration.invalid',
    });
    assertCalendarError(() => parseDuration('0.5ms'), {
      position: 0,
      message: /not a whole number of milliseconds/,
      code: 'duration.invalid',
    });
  });
});

describe('formatDuration', () => {
  it('prints the largest units first and round-trips through parseDuration', () => {
    assert.equal(formatDuration(5_400_000), '1h30m');
    assert.equal(formatDuration(90_000), '1m30s');
    assert.equal(formatDuration(500), '500ms');
    assert.equal(formatDuration(0), '0s');
    assert.equal(formatDuration(93_784_005), '1d2h3m4s5ms');
    for (const ms of [1, 999, 1000, 61_000, 3_600_001, 86_400_000 * 9])
      assert.equal(parseDuration(formatDuration(ms)), ms);
  });
});
