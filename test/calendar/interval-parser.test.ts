import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { parseInterval } from '../../src/calendar/interval-parser.ts';
import { assertCalendarError } from './assert-calendar-error.ts';

describe('parseInterval', () => {
  it('reads short and long durations anchored on the epoch', () => {
    assert.deepEqual(parseInterval('every 30s'), {
      kind: 'interval',
      syntax: 'interval',
      source: 'every 30s',
      everyMs: 30_000,
      anchorMs: 0,
    });
    assert.equal(parseInterval('every 6h').everyMs, 21_600_000);
    assert.equal(parseInterval('every 1h30m').everyMs, 5_400_000);
    assert.equal(parseInterval('every 90 seconds').everyMs, 90_000);
    assert.equal(parseInterval('Every 1 hour 30 minutes').everyMs, 5_400_000);
  });

  it('reads an offset and an anchor clock time', () => {
    assert.equal(parseInterval('every 6h offset 30m').anchorMs, 1_800_000);
    assert.equal(parseInterval('every 1h at :15').anchorMs, 900_000);
    assert.equal(parseInterval('every 1d at 03:30').anchorMs, 12_600_000);
    assert.equal(parseInterval('every 1h at :15:30').anchorMs, 930_000);
    assert.equal(
      parseInterval('every 14d at 2026-01-05T09:00:00Z').anchorMs,
      Date.parse('2026-01-05T09:00:00Z'),
    );
  });

  it('reports a missing or zero period', () => {
    assertCalendarError(() => parseInterval('every'), { position: 5, message: /needs a period/ });
    assertCalendarError(() => parseInterval('every 0s'), { position: 6, message: /longer than 0/ });
    assertCalendarError(() => parseInterval('every 30'), { position: 8, message: /"30" has no unit/ });
  });

  it('reports a bad offset or anchor at its position', () => {
    assertCalendarError(() => parseInterval('every 1h offset 90m'), {
      position: 16,
      message: /offset 1h30m must be shorter than the period 1h/,
    });
    assertCalendarError(() => parseInterval('every 1h offset'), {
      position: 15,
      message: /"offset" needs a value/,
    });
    assertCalendarError(() => parseInterval('every 1h at 25:00'), {
      position: 12,
      message: /hour "25" is out of range 0-23/,
    });
    assertCalendarError(() => parseInterval('every 1h at :75'), {
      position: 13,
      message: /minute "75" is out of range 0-59/,
    });
    assertCalendarError(() => parseInterval('every 1h at noon'), {
      position: 12,
      message: /"noon" is not an anchor time/,
    });
    assertCalendarError(() => parseInterval('every 1h at :15 sharp'), {
      position: 16,
      message: /unexpected "sharp"/,
    });
  });

  it('rejects text that does not start with every', () => {
    assertCalendarError(() => parseInterval('each 5m'), {
      position: 0,
      message: /expected every <duration>/,
    });
  });
});
