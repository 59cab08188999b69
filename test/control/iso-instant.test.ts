/**
 * The API's instants written without a Date per value: each must read exactly as
 * `Date#toISOString` writes it, across days, leap years and the edges of what it takes.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isoInstant } from '../../src/control/views/iso-instant.ts';

function same(ms: number): void {
  assert.equal(isoInstant(ms), new Date(ms).toISOString(), `instant ${ms}`);
}

describe('isoInstant', () => {
  it('writes every part of an instant as toISOString does', () => {
    for (const ms of [0, 1, 9, 10, 99, 100, 999, 1000, 59_999, 60_000, 3_599_999, 3_600_000, 86_399_999]) {
      same(ms);
    }
    same(Date.UTC(2026, 0, 1, 3, 4, 5, 6));
    same(Date.UTC(2026, 11, 31, 23, 59, 59, 999));
  });

  it('follows month ends and leap days when consecutive instants change day', () => {
    for (const start of [
      Date.UTC(2024, 1, 28),
      Date.UTC(2100, 1, 28),
      Date.UTC(2000, 1, 28),
      Date.UTC(1999, 11, 31),
    ]) {
      for (let ms = start; ms < start + 3 * 86_400_000; ms += 997_001) same(ms);
    }
  });

  it('agrees with toISOString on a spread of instants from 1970 to 9999, in any order', () => {
    let seed = 12_345;
    for (let index = 0; index < 20_000; index++) {
      seed = (seed * 1_103_515_245 + 12_345) % 2_147_483_648;
      same(Math.floor((seed / 2_147_483_648) * 253_402_300_799_999));
    }
  });

  it('leaves instants it does not shorten to Date: before 1970, from the year 10000, fractions', () => {
    for (const ms of [-1, -86_400_001, 253_402_300_800_000, 8.64e15, 1.5, Date.UTC(2026, 0, 1) + 0.25])
      same(ms);
  });
});
