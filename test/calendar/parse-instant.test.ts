import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseDateTime, parseInstant } from '../../src/calendar/index.ts';

describe('parseInstant', () => {
  it('reads ISO 8601 date-times with an offset, and epoch milliseconds', () => {
    const cases: [string, string][] = [
      ['2026-03-14T02:00:00Z', '2026-03-14T02:00:00.000Z'],
      ['2026-03-14t02:00:00z', '2026-03-14T02:00:00.000Z'],
      ['2026-03-14 02:00:00Z', '2026-03-14T02:00:00.000Z'],
      ['2026-03-14T02:00Z', '2026-03-14T02:00:00.000Z'],
      ['2026-03-14T03:00:00+01:00', '2026-03-14T02:00:00.000Z'],
      ['2026-03-13T21:30:00-0430', '2026-03-14T02:00:00.000Z'],
      ['2026-03-14T02:00:00.25Z', '2026-03-14T02:00:00.250Z'],
      ['2026-03-14T02:00:00.123456789Z', '2026-03-14T02:00:00.123Z'],
      ['2024-02-29T00:00:00Z', '2024-02-29T00:00:00.000Z'],
      ['0099-01-01T00:00:00Z', '0099-01-01T00:00:00.000Z'],
      ['1773453600000', '2026-03-14T02:00:00.000Z'],
      ['0', '1970-01-01T00:00:00.000Z'],
    ];
    for (const [text, iso] of cases) {
      const instant = parseInstant(text);
      assert.equal(instant === undefined ? undefined : new Date(instant).toISOString(), iso, text);
    }
  });

  it('refuses what Date.parse would guess at: words, dates alone, times without an offset, impossible fields', () => {
    for (const text of [
      'banana 12',
      'yesterday',
      '1h',
      'Sat, 14 Mar 2026 02:00:00 GMT',
      '2026-03-14',
      '2026-03-14T02:00:00',
      '2026-03-14T02:00',
      '2026-13-01T00:00:00Z',
      '2026-02-29T00:00:00Z',
      '2026-04-31T00:00:00Z',
      '2026-03-14T24:00:00Z',
      '2026-03-14T02:60:00Z',
      '2026-03-14T02:00:60Z',
      '2026-03-14T02:00:00+24:00',
      '2026-03-14T02:00:00Z trailing',
      ' 2026-03-14T02:00:00Z',
      '-1',
      '1.5',
      '9007199254740993',
      '9999999999999999',
      '',
    ]) {
      assert.equal(parseInstant(text), undefined, text);
    }
  });

  it('parseDateTime does not take epoch milliseconds', () => {
    assert.equal(parseDateTime('1773453600000'), undefined);
  });
});
