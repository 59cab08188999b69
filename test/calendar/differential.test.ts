/**
 * Differential tests: cronplane's next() against croner and cron-parser (dev dependencies, used as
 * oracles only) over thousands of seeded random cron expressions, start instants and zones, the
 * next 5 elapses each. Part of the start instants sit just before a daylight-saving change.
 *
 * Classes excluded from the comparison, each with the reason (see docs/calendar.md, "Differences"):
 * - Vixie's day rule: a day field whose first character is `*` (`*\/2`) counts as unrestricted,
 *   so `0 0 *\/2 * 1` is odd days AND Mondays in Vixie cron, cronie and cronplane; both oracles
 *   take the union. Tested in compile-schedule.test.ts.
 * - croner, near a DST change: croner counts a job as fixed-time only without any `*` or `/` in
 *   second/minute/hour (`fixedTimeRule: 'no-wildcard'`, its closest to Vixie); Vixie and cronplane
 *   look only at the field's first character, so `0 0-23/2 * * *` is fixed-time here and an
 *   interval job there. Tested in dst.test.ts.
 * - cron-parser, near a DST change: it moves a gap time forward by the length of the gap, never
 *   fires in the second pass of a repeated hour, and fails in 30-minute-shift zones (Lord Howe).
 *   Tested in dst.test.ts.
 * - Expressions an oracle refuses (cron-parser rejects duplicates such as `5,5`, croner and
 *   cron-parser do not read every form): nothing to compare.
 */
import { describe, it } from 'node:test';
import type { TestContext } from 'node:test';
import assert from 'node:assert/strict';
import { Cron } from 'croner';
import { CronExpressionParser } from 'cron-parser';
import { compileSchedule } from '../../src/calendar/compile-schedule.ts';
import { parseSchedule } from '../../src/calendar/parse-schedule.ts';
import { zoneOffsets } from '../../src/calendar/zone-offsets.ts';
import { cronGenerator, seededRandom } from './cron-generator.ts';

const ZONES = [
  'UTC',
  'Europe/Berlin',
  'America/New_York',
  'Asia/Tokyo',
  'Australia/Sydney',
  'Asia/Kolkata',
  'Australia/Lord_Howe',
  'America/Santiago',
];
const FROM = Date.parse('2024-01-01T00:00:00Z');
const TO = Date.parse('2031-01-01T00:00:00Z');
const CASES = 2500;
const ELAPSES = 5;
const DAY = 86_400_000;

function transitionsOf(zone: string): number[] {
  if (zone === 'UTC') return [];
  const offsets = zoneOffsets(zone);
  const list: number[] = [];
  for (let t = FROM; ;) {
    const transition = offsets.firstTransitionIn(t, TO);
    if (transition === undefined) return list;
    list.push(transition.at);
    t = transition.at;
  }
}

const TRANSITIONS = new Map(ZONES.map((zone) => [zone, transitionsOf(zone)]));

function crossesTransition(zone: string, from: number, to: number): boolean {
  return (TRANSITIONS.get(zone) ?? []).some((at) => at > from - DAY && at <= to + DAY);
}

function fieldsOf(expr: string): string[] {
  return expr.split(' ');
}

/** Vixie's day rule applies: one day field starts with `*` but is not `*`, and the other is restricted. */
function usesVixieStarRule(expr: string): boolean {
  const fields = fieldsOf(expr);
  const dom = fields[fields.length - 3] ?? '*';
  const dow = fields[fields.length - 1] ?? '*';
  return (
    (dom.startsWith('*') && dom !== '*' && dow !== '*') || (dow.startsWith('*') && dow !== '*' && dom !== '*')
  );
}

/** Fixed-time for Vixie (no leading `*` in second/minute/hour) but an interval job for croner. */
function classifiedDifferentlyByCroner(expr: string): boolean {
  const fields = fieldsOf(expr);
  const timeFields = fields.slice(0, fields.length - 3);
  const vixieFixed = timeFields.every((field) => !field.startsWith('*'));
  const cronerFixed = timeFields.every((field) => !field.includes('*') && !field.includes('/'));
  return vixieFixed !== cronerFixed;
}

interface Case {
  readonly expr: string;
  readonly zone: string;
  readonly start: number;
}

function cases(seed: number, nearestWeekday: boolean, nearChangeShare: number): Case[] {
  const random = seededRandom(seed);
  const next = cronGenerator(random, { seconds: true, nearestWeekday });
  return Array.from({ length: CASES }, (_, i) => {
    const zone = ZONES[i % ZONES.length] as string;
    const transitions = TRANSITIONS.get(zone) ?? [];
    const nearChange = transitions.length > 0 && random() < nearChangeShare;
    const start = nearChange
      ? (transitions[Math.floor(random() * transitions.length)] as number) -
        Math.floor(random() * 4 * 3_600_000)
      : FROM + Math.floor(random() * (TO - FROM));
    return { expr: next(), zone, start };
  });
}

function ours({ expr, zone, start }: Case): number[] {
  return compileSchedule(parseSchedule(expr), { timezone: zone }).upcoming(start, ELAPSES);
}

function show(list: readonly number[]): string {
  return list.map((ms) => new Date(ms).toISOString()).join(' ');
}

function compare(
  t: TestContext,
  all: readonly Case[],
  oracle: (c: Case) => number[] | undefined,
  excluded: (c: Case, mine: readonly number[]) => boolean,
): void {
  let compared = 0;
  let skipped = 0;
  let refused = 0;
  for (const c of all) {
    if (usesVixieStarRule(c.expr)) {
      skipped++;
      continue;
    }
    const mine = ours(c);
    if (excluded(c, mine)) {
      skipped++;
      continue;
    }
    const theirs = oracle(c);
    if (theirs === undefined) {
      refused++;
      continue;
    }
    assert.equal(
      show(mine),
      show(theirs),
      `${JSON.stringify(c.expr)} in ${c.zone} after ${new Date(c.start).toISOString()}`,
    );
    compared++;
  }
  t.diagnostic(`compared ${compared}, excluded ${skipped}, refused by the oracle ${refused}`);
  assert.ok(
    compared >= (all.length - refused) * 0.6,
    `only ${compared} of ${all.length - refused} cases were compared`,
  );
}

describe('differential: cron next() against the oracles', () => {
  it('agrees with croner on the next 5 elapses', (t) => {
    compare(
      t,
      cases(20260307, true, 0.35),
      ({ expr, zone, start }) => {
        let cron: Cron;
        try {
          cron = new Cron(expr, { timezone: zone, mode: '5-or-6-parts', fixedTimeRule: 'no-wildcard' });
        } catch {
          return undefined;
        }
        const list: number[] = [];
        let cursor = new Date(start);
        while (list.length < ELAPSES) {
          const next = cron.nextRun(cursor);
          if (next === null) break;
          list.push(next.getTime());
          cursor = next;
        }
        return list;
      },
      ({ expr, zone, start }, mine) =>
        classifiedDifferentlyByCroner(expr) && crossesTransition(zone, start, mine[mine.length - 1] ?? start),
    );
  });

  it('agrees with cron-parser on the next 5 elapses', (t) => {
    compare(
      t,
      cases(19700101, false, 0.1),
      ({ expr, zone, start }) => {
        try {
          const iterator = CronExpressionParser.parse(expr, { currentDate: new Date(start), tz: zone });
          return Array.from({ length: ELAPSES }, () => iterator.next().getTime());
        } catch {
          return undefined;
        }
      },
      ({ zone, start }, mine) => crossesTransition(zone, start, mine[mine.length - 1] ?? start),
    );
  });
});
